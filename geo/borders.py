"""Shared land borders between neighbouring countries (or territorial units), measured geodesically."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from . import settings
from .measure import line_length_km


def shared_border_line(a, b, *, tolerance_deg: float | None = None):
    """The part of polygon ``a``'s outline that runs along polygon ``b``.

    Natural Earth neighbours usually share vertices, but not always; a band of half-width
    ``tolerance_deg`` (default ``settings.border_tolerance_deg``, about 1 m) around ``b``
    catches an outline drawn with other vertices. Returns a (Multi)LineString, maybe empty.
    """
    tol = settings.border_tolerance_deg if tolerance_deg is None else tolerance_deg
    line = a.boundary.intersection(b.buffer(tol))
    parts = [g for g in getattr(line, "geoms", [line]) if g.geom_type in ("LineString", "MultiLineString")]
    return shapely.line_merge(shapely.union_all(parts)) if parts else shapely.LineString()


def shared_border_km(a: BaseGeometry, b: BaseGeometry, *, tolerance_deg: float | None = None) -> float:
    """Geodesic length (km) of the border shared by polygons ``a`` and ``b``.

    Measured from both sides and averaged, so it does not depend on which outline has more
    vertices; 0.0 when they do not touch.
    """
    one = line_length_km(shared_border_line(a, b, tolerance_deg=tolerance_deg))
    two = line_length_km(shared_border_line(b, a, tolerance_deg=tolerance_deg))
    return (one + two) / 2.0


def shared_borders(frame: gpd.GeoDataFrame, *, tolerance_deg: float | None = None) -> pd.DataFrame:
    """Every pair of neighbouring features of ``frame`` with the length of their shared border.

    Returns a DataFrame with columns ``a``, ``b`` (index labels of ``frame``, ``a < b``) and
    ``length_km``, sorted by ``a`` then ``b``. Pairs whose outlines only meet at a point
    (length under 0.1 km) are left out.
    """
    tol = settings.border_tolerance_deg if tolerance_deg is None else tolerance_deg
    geoms = frame.geometry
    left, right = geoms.sindex.query(shapely.buffer(geoms.values, tol), predicate="intersects")
    rows = []
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        a, b = sorted([frame.index[i], frame.index[j]])
        km = shared_border_km(geoms.loc[a], geoms.loc[b], tolerance_deg=tol)
        if km >= 0.1:
            rows.append({"a": a, "b": b, "length_km": round(km, 1)})
    out = pd.DataFrame(rows, columns=["a", "b", "length_km"])
    return out.sort_values(["a", "b"]).reset_index(drop=True)
