"""Corridor Explorer library: load, validate, measure, route, check claims, export.

Never imports streamlit or folium. The public API is re-exported here, one name a line.
"""

from ._errors import (
    ClaimsFileError,
    DataValidationError,
    ExportError,
    InputError,
    NoPathError,
    OSMError,
    UnknownPlaceError,
    UnknownRouteError,
)
from .assumptions import load_assumptions
from .borders import shared_border_km, shared_borders
from .claims import (
    check_claims,
    claims_gdf,
    draft_claims,
    find_mentions,
    load_articles,
    load_claims,
    save_claims,
    validate_claims,
)
from .data import (
    data_as_of,
    load_basemap,
    load_borders,
    load_nakhchivan,
    load_places,
    load_routes,
    load_routes_gdf,
    load_segments,
    load_territories,
    load_water,
    route_geometry,
    route_path,
)
from .escape import bidi, escape_html, escape_js_string
from .export import export_bytes, export_data, export_frames, map_frames, render_map, save_map, to_geojson
from .gauges import gauge_break_places
from .measure import distance_km, length_km
from .metrics import path_metrics, route_metrics
from .names import resolve_place
from .osm import (
    geometry_note,
    import_osm,
    load_osm_cache,
    osm_status,
    read_osm,
    refresh_route,
    reset_snapped,
    route_length_change,
    save_snapped,
    snap_segments,
    summarise_ways,
)
from .overlay import segment_metrics
from .published import load_references
from .references import reference_comparison, routes_table
from .routing import build_graph, compare
from .timecost import time_cost_series

__all__ = [
    "ClaimsFileError",
    "DataValidationError",
    "ExportError",
    "InputError",
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
