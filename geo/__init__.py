"""Corridor Explorer library: load, validate, measure, route, check claims, export.

Never imports streamlit or folium. The public API is re-exported here, one name a line.
"""

from ._errors import (
    ClaimsFileError,
    DataValidationError,
    DataWarning,
    ExportError,
    InputError,
    NetworkError,
    NoPathError,
    NothingToExport,
    OSMError,
    ScenarioError,
    UnknownPlaceError,
    UnknownRouteError,
)
from .assumption_scenarios import assumptions_yaml, main_assumptions, with_overrides
from .assumptions import load_assumptions, read_assumptions
from .borders import shared_border_km, shared_borders
from .calibration import calibration_summary, calibration_table, compare_to_observations
from .claims import (
    check_claims,
    claims_gdf,
    claims_on_topic,
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
from .dated import key_dates, network_at, segments_at, when_text
from .escape import bidi, escape_html, escape_js_string
from .export import export_bytes, export_data, export_frames, map_frames, render_map, save_map, to_geojson
from .gauges import gauge_break_places
from .lifecycle import Scenario, load_scenario, scenario_from_dict, scenario_yaml, status_on, timeline
from .measure import distance_km, length_km
from .messages import UserMessage, error_notice, user_message
from .metrics import path_metrics, path_sections, route_metrics, section_metrics, section_summary
from .names import resolve_place
from .observations import load_observations, observations_between, route_observations
from .osm import (
    OSMImport,
    compare_osm,
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
from .scenarios import State, compare_states, status_changes
from .search import map_labels, name_index, search_index
from .timecost import estimate_text, reestimate, time_cost_series

__all__ = [
    "ClaimsFileError",
    "DataValidationError",
    "ExportError",
    "InputError",
    "NoPathError",
    "NothingToExport",
    "OSMError",
    "ScenarioError",
    "NetworkError",
    "DataWarning",
    "UserMessage",
    "error_notice",
    "user_message",
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
    "claims_on_topic",
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
    "path_sections",
    "route_metrics",
    "section_metrics",
    "section_summary",
    "routes_table",
    "segment_metrics",
    "time_cost_series",
    "estimate_text",
    "reestimate",
    "load_assumptions",
    "read_assumptions",
    "assumptions_yaml",
    "main_assumptions",
    "with_overrides",
    "load_observations",
    "route_observations",
    "observations_between",
    "calibration_table",
    "calibration_summary",
    "compare_to_observations",
    "load_references",
    "map_labels",
    "name_index",
    "search_index",
    "reference_comparison",
    "build_graph",
    "compare",
    "network_at",
    "segments_at",
    "key_dates",
    "when_text",
    "Scenario",
    "load_scenario",
    "scenario_from_dict",
    "scenario_yaml",
    "status_on",
    "timeline",
    "State",
    "compare_states",
    "status_changes",
    "OSMImport",
    "compare_osm",
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
