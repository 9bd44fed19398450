"""Global settings for Corridor Explorer.

Each setting is a typed module global; change it by assignment (``geo.settings.data_dir = ...``)
or, for the data folder, with the ``CORRIDORS_DATA_DIR`` environment variable.

data_dir : pathlib.Path
    Folder holding the shipped geodata (``borders.geojson``, ``places.csv``,
    ``segments.geojson``, ``routes.yaml``, ``claims/`` ...). Default: ``data/`` beside the
    package, or ``$CORRIDORS_DATA_DIR``.
assumptions_file : pathlib.Path or None
    A time and cost assumptions file (same format as ``data/assumptions.yaml``, e.g. a
    scenario) that every estimate uses instead of the data folder's. None (default) uses
    ``<data_dir>/assumptions.yaml``, or the shipped file when the folder has none. The CLI
    sets it from ``--assumptions FILE``.
crs : str
    CRS of every GeoDataFrame the loaders return. Always ``"EPSG:4326"`` (lon/lat, WGS84).
ellps : str
    Ellipsoid for geodesic measures (``pyproj.Geod``). Default ``"WGS84"``.
place_country_tolerance_m : float
    How far (m) a place may lie outside its declared country's 1:10m outline before it is an
    error. Ports and border crossings sit on generalised coastlines and borders, so 3000 m.
segment_end_tolerance_m : float
    How far (m) a segment's first/last vertex may be from its ``from``/``to`` place. 500 m.
waypoint_tolerance_m : float
    How far (m) a segment's sourced waypoint may be from its drawn line. 50 m: the line is
    drawn through its waypoints, so this only absorbs rounding.
drawn_longer_pct : float
    How much longer (percent) a segment's drawn line may be than its published length
    (chainage) before the loader warns (:mod:`geo.drawn`): a line drawn straight between
    sourced points runs short of the track, so a longer one is out of shape. 3.
stale_after_days : int
    A status or record whose as-of date is older than this many days is flagged "may be out
    of date" wherever it is shown. 183 (about six months).
today : str or None
    The date "today" for ages and "as of" defaults (ISO ``YYYY-MM-DD``); None uses the
    system clock. Tests set it to get the same answer every day.
densify_km : float
    Segments are densified along the geodesic to at most this vertex spacing at load, so that
    overlays in lon/lat follow the same path the geodesic length measures. 10 km.
border_tolerance_deg : float
    Half-width (degrees) of the band used to match two countries' outlines when measuring a
    shared border, so outlines drawn with different vertices along the same line still match.
    0.00001 (about 1 m): Natural Earth neighbours agree to well under that, and each end of a
    matched border can overshoot along the coast by at most this much.
crossing_tolerance_km : float
    When listing border crossings along a path, a stretch shorter than this (km) inside
    another territory or on water is treated as a wiggle of the 1:10m outlines (or a port's
    coastline) and not reported as a crossing. Distances by country still count every metre.
    1.0 km.
crossing_place_km : float
    A crossing is attributed to a place of the path (a border post, a port) when that place is
    at most this far (km, along the path) from where the path crosses the 1:10m line. 10 km.
routing_fast_min_edges : int
    Graphs with at least this many edges answer single shortest-path queries with
    ``scipy.sparse.csgraph`` (faster on large graphs, see ``bench/bench_metrics.py``);
    smaller graphs use networkx. 20000.
use_osm_geometry : bool
    When ``<data_dir>/osm/snapped.geojson`` exists (written by ``corridors osm import --snap``),
    segments snapped to OpenStreetMap ways take their geometry, status and gauge from it, so
    metrics, map and exports use the OSM alignment. False always uses the curated geometry.
    Default True.
osm_snap_tolerance_m : float
    How far (m) an OSM way may lie from a curated segment and still be matched to it, for
    segments without ``accuracy_m`` (a segment's own ``accuracy_m`` is used when given, kept
    between 1 and 10 km). 3000 m: curated lines join waypoints by geodesics, and a mountain
    railway between waypoints strays from that chord by a few km. See :mod:`geo.osm`.
osm_refresh_buffer_km : float
    Half-width (km) of the corridor around a route that ``corridors osm refresh`` downloads.
    5 km: wider than the snapping tolerance, narrow enough to keep Overpass queries small.
max_snapshot_pixels : int
    The largest PNG snapshot, in pixels (width x height). 100 000 000 (100 megapixels, about
    A0 at 300 dpi, 400 MB of memory while drawing); a larger request is refused with the
    largest DPI that fits its page size.
max_article_chars : int
    The longest article text ``claims draft`` (and the app's "Add an article") reads, in
    characters. 200 000 (about 30 000 words, a long report; drafting it takes a few
    seconds); longer text is refused with a message, before it is read in full.
network_deadline_s : float
    Total time (s) a network operation (``corridors osm refresh``) may take, all requests and
    retries together, before it stops with a message; progress is reported every
    ``network_progress_s`` seconds while it waits. 300 s.
network_progress_s : float
    How often (s) a network operation that is still waiting says so. 15 s.
"""

from __future__ import annotations

import os
from pathlib import Path

data_dir: Path = Path(
    os.environ.get("CORRIDORS_DATA_DIR", Path(__file__).resolve().parents[1] / "data")
)
assumptions_file: Path | None = None
crs: str = "EPSG:4326"
ellps: str = "WGS84"
place_country_tolerance_m: float = 3000.0
segment_end_tolerance_m: float = 500.0
waypoint_tolerance_m: float = 50.0
drawn_longer_pct: float = 3.0
stale_after_days: int = 183
today: str | None = None
densify_km: float = 10.0
border_tolerance_deg: float = 1e-5
crossing_tolerance_km: float = 1.0
crossing_place_km: float = 10.0
routing_fast_min_edges: int = 20000
use_osm_geometry: bool = True
osm_snap_tolerance_m: float = 3000.0
osm_refresh_buffer_km: float = 5.0
max_snapshot_pixels: int = 100_000_000
max_article_chars: int = 200_000
network_deadline_s: float = 300.0
network_progress_s: float = 15.0
