"""Geodesic measures on the WGS84 ellipsoid (``pyproj.Geod``); no planar shortcuts.

Every function returns plain floats or a ``pandas.Series`` aligned to its input's index.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from pyproj import Geod
from shapely.geometry import LineString

from . import settings


@lru_cache(maxsize=4)
def geod(ellps: str | None = None) -> Geod:
    """The shared ``pyproj.Geod`` for ``settings.ellps`` (or ``ellps``)."""
    return Geod(ellps=ellps or settings.ellps)


def line_length_km(geom) -> float:
    """Geodesic length in km of a (multi)line, or of a polygon's boundary; 0 for empty."""
    if geom is None or geom.is_empty:
        return 0.0
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = geom.boundary
    return float(geod().geometry_length(geom)) / 1000.0


def length_km(geoms: gpd.GeoSeries | gpd.GeoDataFrame) -> pd.Series:
    """Geodesic length (km) of each geometry of a GeoSeries/GeoDataFrame, named ``length_km``."""
    series = getattr(geoms, "geometry", geoms)
    values = [line_length_km(g) for g in series]
    return pd.Series(values, index=series.index, name="length_km", dtype=float)


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in km between two lon/lat points."""
    _, _, metres = geod().inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0


def point_to_geom_km(point, geom) -> float:
    """Geodesic distance in km from a point to the nearest point of ``geom`` (0 if inside)."""
    if geom.is_empty:
        return float("inf")
    if geom.contains(point) or geom.touches(point):
        return 0.0
    nearest = shapely.ops.nearest_points(point, geom)[1]
    return distance_km(point.x, point.y, nearest.x, nearest.y)


def densify_geodesic(line: LineString, max_km: float | None = None) -> LineString:
    """Insert points along the geodesic between vertices so no step exceeds ``max_km``.

    The geodesic length is unchanged (the new points lie on the same geodesics); overlays done
    in lon/lat then follow the path that the length measures.
    """
    max_km = max_km or settings.densify_km
    coords = np.asarray(line.coords)
    out = [tuple(coords[0])]
    g = geod()
    for (x1, y1), (x2, y2) in zip(coords[:-1, :2], coords[1:, :2], strict=True):
        step_km = distance_km(x1, y1, x2, y2)
        n = int(step_km // max_km)
        if n > 0:
            out.extend(g.npts(x1, y1, x2, y2, n))
        out.append((x2, y2))
    return LineString(out)


def km_text(km: float, *, decimals_below: float = 10.0) -> str:
    """A length in km for people: whole km from ``decimals_below`` ("1,126 km"), one decimal
    under it ("1.2 km"), so a short path never reads "0 km"."""
    return f"{km:,.0f} km" if abs(km) >= decimals_below - 0.05 else f"{km:.1f} km"
