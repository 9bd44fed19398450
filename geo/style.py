"""One place for map styles, shared by the interactive map (``layers``) and static exports.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); status is
shown by dash pattern as well as by name, so no style depends on colour alone.
"""

from __future__ import annotations

MODE_COLORS: dict[str, str] = {
    "rail": "#0072B2",   # blue
    "road": "#E69F00",   # orange
    "sea": "#009E73",    # bluish green
    "ferry": "#56B4E9",  # sky blue
}

# SVG/Leaflet dash arrays (in pixels at weight 3); None is a solid line.
STATUS_DASH: dict[str, str | None] = {
    "operational": None,
    "under_construction": "10 5",
    "planned": "4 6",
    "proposed": "1 6",
    "disrupted": "12 4 2 4",
    "closed": "2 3",
    "not_yet_announced": "1 10",
}

STATUS_LABELS: dict[str, str] = {
    "operational": "operational",
    "under_construction": "under construction",
    "planned": "planned",
    "proposed": "proposed",
    "disrupted": "disrupted",
    "closed": "closed",
    "not_yet_announced": "not yet announced",
}

STATUS_OPACITY: dict[str, float] = {"closed": 0.55, "disrupted": 0.8}

VERDICT_COLORS: dict[str, str] = {
    "consistent": "#009E73",
    "partly_consistent": "#E69F00",
    "inconsistent": "#D55E00",
    "context_only": "#56B4E9",
    "not_checkable": "#999999",
}

VERDICT_LABELS: dict[str, str] = {
    "consistent": "consistent with the geodata",
    "partly_consistent": "partly consistent",
    "inconsistent": "not consistent with the geodata",
    "context_only": "context only",
    "not_checkable": "not checkable from geodata",
}

CLAIM_KIND_SYMBOLS: dict[str, str] = {
    "event": "E",
    "territorial": "T",
    "infrastructure": "I",
    "metric": "M",
    "allegation": "A",
    "opinion": "O",
}

# Colours for highlighting several named routes at once, in order (app, HTML and static maps).
# None of them is a mode, verdict or Nakhchivan colour (CIE76 distance 30 or more from each,
# checked in tests/test_layers.py), so a highlighted rail route never looks like a road.
ROUTE_HIGHLIGHTS: list[str] = ["#FF00FF", "#7B3294", "#8C510A", "#4D9221"]

BORDER_COLOR = "#555555"
LAND_FILL = "#f2efe9"
WATER_FILL = "#cfe3f3"
NAKHCHIVAN_FILL = "#CC79A7"
NAKHCHIVAN_EDGE = "#8a3f6f"
GAUGE_BREAK_COLOR = "#000000"
LINE_WEIGHT = 3.0

ATTRIBUTION_NE = "Borders: Natural Earth 1:10m admin-0 v5.1.1 (public domain)"
ATTRIBUTION_OSM = "© OpenStreetMap contributors (ODbL)"
ATTRIBUTION_DATA = "Corridors and places: Corridor Explorer curated data (sources per feature)"


def segment_style(mode: str, status: str) -> dict:
    """Leaflet-style path options for a segment of ``mode`` and ``status``."""
    return {
        "color": MODE_COLORS.get(mode, "#000000"),
        "weight": LINE_WEIGHT,
        "opacity": STATUS_OPACITY.get(status, 0.95),
        "dashArray": STATUS_DASH.get(status),
    }
