"""OpenStreetMap for the corridors: streaming import, routing on the imported ways, snapping.

1. **Import** (offline): :func:`import_osm` streams a ``.osm.pbf`` or OSM XML file of any size
   with pyosmium into ``<data_dir>/osm/import-<name>.parquet`` (GeoParquet, written batch by
   batch, with the source, date and filters; see :mod:`geo.osm.stream` for the passes and
   the node index, :mod:`geo.osm.store` for the file). :func:`refresh_route` downloads the
   ways around one route from the Overpass API (online, osmnx) into ``route-<id>.parquet``.
   :func:`read_osm` reads a small file into memory.
2. **Route** on the imported network: :func:`compare_osm` (``corridors compare ORIGIN DEST
   --network osm``) builds a sparse graph of the ways split at shared nodes
   (:mod:`geo.osm.graph`), snaps both places to it and gives the shortest path with every
   metric of the curated network (:mod:`geo.osm.route`).
3. **Snap** curated segments to the ways that follow them (:func:`snap_segments`), record the
   way ids, and take status and gauge from the tags; :func:`save_snapped` writes
   ``<data_dir>/osm/snapped.geojson``, which :func:`geo.load_segments` then uses (unless
   ``settings.use_osm_geometry`` is off); :func:`route_length_change` reports each route's
   length before and after.

Tags to status (documented mapping, ``RAIL_STATUS``): ``railway=rail`` -> operational,
``construction`` -> under_construction, ``proposed`` -> proposed, ``disused`` (track in place,
no traffic) -> disrupted, ``abandoned`` (track removed) -> closed; roads under
``highway=construction``/``proposed`` likewise, other road classes operational. Gauge: the
``gauge`` tag as a set of mm (``1520``, or ``1435;1520`` on dual-gauge track).

When snapping, a segment takes the weakest status along the OSM ways that cover it (one missing link breaks a
corridor) when OSM covers at least 90 % of it; with less coverage, OSM can only make the
curated status weaker, never stronger. A curated project status (under construction, planned,
proposed) is kept when OSM shows only the old disused or abandoned track it would rebuild
(Meghri, Julfa). Gauge: the single gauge covering most of the matched length, when it is a
gauge of the data model (1435 or 1520) and OSM covers at least half of the segment; a gauge
change inside a segment is kept in ``gauges``.

OSM data is © OpenStreetMap contributors, available under the Open Database License (ODbL).
"""

from .cache import OSMImport, import_osm, load_osm_cache, osm_status, read_osm
from .download import refresh_route
from .read import KINDS, ROAD_CLASSES, summarise_ways
from .route import compare_osm
from .snap import geometry_note, reset_snapped, route_length_change, save_snapped, snap_segments

__all__ = [
    "KINDS",
    "OSMImport",
    "ROAD_CLASSES",
    "compare_osm",
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
]
