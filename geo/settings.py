"""Global settings for Corridor Explorer.

Each setting is a typed module global; change it by assignment (``geo.settings.data_dir = ...``)
or, for the data folder, with the ``CORRIDORS_DATA_DIR`` environment variable.

data_dir : pathlib.Path
    Folder holding the shipped geodata (``borders.geojson``, ``places.csv``,
    ``segments.geojson``, ``routes.yaml``, ``claims/`` ...). Default: ``data/`` beside the
    package, or ``$CORRIDORS_DATA_DIR``.
crs : str
    CRS of every GeoDataFrame the loaders return. Always ``"EPSG:4326"`` (lon/lat, WGS84).
ellps : str
    Ellipsoid for geodesic measures (``pyproj.Geod``). Default ``"WGS84"``.
place_country_tolerance_m : float
    How far (m) a place may lie outside its declared country's 1:10m outline before it is an
    error. Ports and border crossings sit on generalised coastlines and borders, so 3000 m.
segment_end_tolerance_m : float
    How far (m) a segment's first/last vertex may be from its ``from``/``to`` place. 500 m.
densify_km : float
    Segments are densified along the geodesic to at most this vertex spacing at load, so that
    overlays in lon/lat follow the same path the geodesic length measures. 10 km.
border_tolerance_deg : float
    Half-width (degrees) of the band used to match two countries' outlines when measuring a
    shared border; covers outlines whose vertices do not coincide. 0.001 (~100 m).
"""

from __future__ import annotations

import os
from pathlib import Path

data_dir: Path = Path(
    os.environ.get("CORRIDORS_DATA_DIR", Path(__file__).resolve().parents[1] / "data")
)
crs: str = "EPSG:4326"
ellps: str = "WGS84"
place_country_tolerance_m: float = 3000.0
segment_end_tolerance_m: float = 500.0
densify_km: float = 10.0
border_tolerance_deg: float = 0.001
