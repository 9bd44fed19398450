"""Folium map layers built from GeoDataFrames; never reads files, never imports streamlit.

The public API is re-exported here, one name a line.
"""

from .assets import Assets, apply_assets, inline_assets, served_assets
from .basemap import (
    border_lines,
    borders_layer,
    land_layer,
    nakhchivan_layer,
    offline_base,
    tile_fallback_notice,
    tile_layer,
    water_layer,
)
from .changes import (
    change_groups,
    change_legend_html,
    changes_layer,
    context_layer,
    state_routes_layer,
)
from .claims import (
    claim_from_url_script,
    claim_popup_html,
    claims_layer,
    country_claims,
    country_claims_layer,
    located_on_map,
    open_claim_script,
)
from .controls import add_controls, fill_window_script, layer_control
from .corridors import (
    DatedStatuses,
    corridor_layer,
    gauge_break_layer,
    highlight_frame,
    highlight_layer,
)
from .labels import label_rows, labels_layer
from .legend import category, legend_control, legend_html
from .map import (
    DEFAULT_BOUNDS,
    DEFAULT_SHOW,
    LAYER_KEYS,
    base_map,
    build_map,
    focus_group,
    legend_for,
    overlay_groups,
    to_html,
)
from .places import crossings_layer, places_layer
from .search import extent_from_url_script, search_control
from .visibility import layers_from_url_script

__all__ = [
    "DEFAULT_BOUNDS",
    "DEFAULT_SHOW",
    "LAYER_KEYS",
    "Assets",
    "DatedStatuses",
    "add_controls",
    "apply_assets",
    "base_map",
    "border_lines",
    "borders_layer",
    "build_map",
    "category",
    "change_groups",
    "change_legend_html",
    "changes_layer",
    "claim_from_url_script",
    "claim_popup_html",
    "claims_layer",
    "context_layer",
    "country_claims",
    "country_claims_layer",
    "corridor_layer",
    "crossings_layer",
    "extent_from_url_script",
    "fill_window_script",
    "focus_group",
    "gauge_break_layer",
    "highlight_frame",
    "highlight_layer",
    "inline_assets",
    "label_rows",
    "labels_layer",
    "land_layer",
    "layers_from_url_script",
    "layer_control",
    "legend_control",
    "legend_for",
    "legend_html",
    "located_on_map",
    "nakhchivan_layer",
    "offline_base",
    "open_claim_script",
    "overlay_groups",
    "places_layer",
    "search_control",
    "served_assets",
    "state_routes_layer",
    "tile_fallback_notice",
    "tile_layer",
    "to_html",
    "water_layer",
]
