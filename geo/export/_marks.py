"""Line and marker styles of static maps, shared by the map and its legend.

Colours and dashes come from :mod:`geo.style` (the interactive map's styles); sizes are in
points on the page and follow the app's weights (a highlighted route is 9 against a
corridor's 3, at opacity 0.45; places and border crossings as ``layers.places`` draws them).
"""

from __future__ import annotations

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
