"""Line and marker styles of static maps, and the primitives that draw shapes with them.

Colours and dashes come from :mod:`geo.style` (the interactive map's styles); sizes are in
points on the page and follow the app's weights (a highlighted route is 9 against a
corridor's 3, at opacity 0.45; places and border crossings as ``layers.places`` draws them).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from .. import style

SEGMENT_WIDTH_PT = 1.5
#: Route highlight as in the app (layers.corridors.highlight_layer): weight 9 (corridors: 3).
HIGHLIGHT_WEIGHT = 9.0
HIGHLIGHT_OPACITY = 0.45
#: Place markers as in the app (layers.places): kind -> (size pt, fill); edge #222222.
PLACE_MARKERS = {"city": (4.2, "#222222"), "port": (4.2, style.WATER_FILL)}
PLACE_MARKER = (3.4, "#ffffff")


def dashes(status: str):
    """A matplotlib linestyle for a status: solid, or the app's dash pattern at any width."""
    dash = style.STATUS_DASH.get(status)
    if not dash:
        return "solid"
    # Leaflet dashes are pixels at weight LINE_WEIGHT; matplotlib scales dashes by line width.
    return (0, tuple(float(v) / style.LINE_WEIGHT for v in dash.split()))


def sort_by(values: list, order) -> list:
    """``values`` in the order of ``order`` (e.g. a style dict); unknown values last."""
    order = list(order)
    return sorted(values, key=lambda v: order.index(v) if v in order else len(order))


def route_color(position: int) -> str:
    """The highlight colour of the route at ``position`` in the request (as in the app)."""
    return style.ROUTE_HIGHLIGHTS[position % len(style.ROUTE_HIGHLIGHTS)]


def claim_color(verdict) -> str:
    """The marker fill of a verdict (as in the app); grey for mixed or unknown verdicts."""
    return style.VERDICT_COLORS.get(verdict, "#bbbbbb")


def polygon_patches(geoms, **kwargs):
    """All polygons of ``geoms`` as one patch (one compound path: fast to build and draw).

    Rings are oriented (exteriors counter-clockwise, holes clockwise) so the non-zero fill
    rule leaves holes empty.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for geom in shapely.orient_polygons(np.asarray(geoms, dtype=object)):
        if geom is None or geom.is_empty:
            continue
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            for ring in (poly.exterior, *poly.interiors):
                xy = np.asarray(ring.coords)[:, :2]
                ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
                ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
                vertices.append(xy)
                codes.append(ring_codes)
    if not vertices:
        vertices, codes = [np.zeros((0, 2))], [np.zeros(0, dtype=MplPath.code_type)]
    path = MplPath(np.concatenate(vertices), np.concatenate(codes))
    return PathPatch(path, **kwargs)


def line_parts(geoms) -> list[np.ndarray]:
    parts = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        for line in getattr(geom, "geoms", [geom]):
            parts.append(np.asarray(line.coords)[:, :2])
    return parts


def clip_to_box(frame: gpd.GeoDataFrame, box) -> np.ndarray:
    geoms = frame.geometry.values
    keep = shapely.intersects(geoms, shapely.box(*box))
    return shapely.clip_by_rect(geoms[keep], *box)
