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
]
