"""Corridor Explorer library: load, validate, measure, route, check claims, export.

Never imports streamlit or folium. The public API is re-exported here, one name a line.
"""

from ._errors import ClaimsFileError
from ._errors import DataValidationError
from ._errors import ExportError
from ._errors import NoPathError
from ._errors import OSMError
from ._errors import UnknownPlaceError
from ._errors import UnknownRouteError
from .borders import shared_border_km
from .borders import shared_borders
from .checks import check_claims
from .checks import claim_card_html
from .checks import claims_gdf
from .claims import load_articles
from .claims import load_claims
from .claims import save_claims
from .claims import validate_claims
from .escape import bidi
from .escape import escape_html
from .escape import escape_js_string
from .mentions import draft_claims
from .mentions import find_mentions
from .data import data_as_of
from .data import load_basemap
from .data import load_borders
from .data import load_nakhchivan
from .data import load_places
from .data import load_routes
from .data import load_routes_gdf
from .data import load_segments
from .data import load_territories
from .data import load_water
from .data import route_geometry
from .data import route_path
from .measure import distance_km
from .measure import length_km
from .metrics import gauge_break_places
from .metrics import path_metrics
from .metrics import route_metrics
from .metrics import routes_table
from .metrics import segment_metrics
from .metrics import time_cost_series
from .assumptions import load_assumptions
from .references import load_references
from .references import reference_comparison
from .routing import build_graph
from .routing import compare
from .routing import resolve_place
from .osm import geometry_note
from .osm import import_osm
from .osm import load_osm_cache
from .osm import osm_status
from .osm import read_osm
from .osm import refresh_route
from .osm import reset_snapped
from .osm import route_length_change
from .osm import save_snapped
from .osm import snap_segments
from .osm import summarise_ways
from .export import export_bytes
from .export import export_data
from .export import export_frames
from .export import map_frames
from .export import render_map
from .export import save_map
from .export import to_geojson

__all__ = [
    "ClaimsFileError",
    "DataValidationError",
    "ExportError",
    "NoPathError",
    "OSMError",
    "UnknownPlaceError",
    "UnknownRouteError",
    "data_as_of",
    "distance_km",
    "length_km",
    "load_basemap",
    "load_borders",
    "load_nakhchivan",
    "load_places",
    "load_routes",
    "load_routes_gdf",
    "load_segments",
    "load_territories",
    "load_water",
    "route_geometry",
    "route_path",
    "shared_border_km",
    "shared_borders",
    "check_claims",
    "claim_card_html",
    "claims_gdf",
    "load_articles",
    "load_claims",
    "save_claims",
    "validate_claims",
    "bidi",
    "escape_html",
    "escape_js_string",
    "draft_claims",
    "find_mentions",
    "gauge_break_places",
    "path_metrics",
    "route_metrics",
    "routes_table",
    "segment_metrics",
    "time_cost_series",
    "load_assumptions",
    "load_references",
    "reference_comparison",
    "build_graph",
    "compare",
    "resolve_place",
    "geometry_note",
    "import_osm",
    "load_osm_cache",
    "osm_status",
    "read_osm",
    "refresh_route",
    "reset_snapped",
    "route_length_change",
    "save_snapped",
    "snap_segments",
    "summarise_ways",
    "export_bytes",
    "export_data",
    "export_frames",
    "map_frames",
    "render_map",
    "save_map",
    "to_geojson",
]
