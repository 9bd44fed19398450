"""OpenStreetMap alignments for the corridors: offline import, online refresh, snapping.

Three steps, each usable alone:

1. **Read** railway and road ways with their tags: :func:`read_osm` / :func:`import_osm` from an
   OSM XML file (offline, ``osmnx.features.features_from_xml``; ``.osm.pbf`` through
   ``pyosmium`` when installed), or :func:`refresh_route` from the Overpass API around a route
   (online, ``osmnx.features.features_from_polygon``). Both cache the ways, with the date and
   source, as ``<data_dir>/osm/*.geojson``.
2. **Snap** curated segments to the ways that follow them (:func:`snap_segments`), record the
   way ids, and take status and gauge from the tags; :func:`save_snapped` writes
   ``<data_dir>/osm/snapped.geojson``.
3. **Use**: :func:`geo.load_segments` reads that file (unless ``settings.use_osm_geometry`` is
   off), so every metric, map and export then uses the OSM alignment; the columns
   ``geometry_source`` and ``osm_way_ids`` say which segments do. :func:`route_length_change`
   reports each route's length before and after.

Why the features API and not ``osmnx.graph_from_xml``: the graph functions keep only ways that
pass a routable-network filter (no ``railway=construction``/``proposed``/``abandoned``),
simplify ways into edges that lose their way ids, and keep only ``settings.useful_tags_way``.
Snapping needs every lifecycle state, the id of every way (provenance) and its own tags; the
features API returns exactly one row per way with all of its tags. The graph used for
matching is built here from the ways' shared nodes (:mod:`geo.osm.match`).

Tags to status (documented mapping, :data:`RAIL_STATUS`): ``railway=rail`` -> operational,
``construction`` -> under_construction, ``proposed`` -> proposed, ``disused`` (track in place,
no traffic) -> disrupted, ``abandoned`` (track removed) -> closed; roads under
``highway=construction``/``proposed`` likewise, other road classes operational. A segment
takes the weakest status along the OSM ways that cover it (one missing link breaks a
corridor) when OSM covers at least 90 % of it; with less coverage, OSM can only make the
curated status weaker, never stronger. A curated project status (under construction, planned,
proposed) is kept when OSM shows only the old disused or abandoned track it would rebuild
(Meghri, Julfa). Gauge: the ``gauge`` tag (mm) covering most of the
matched length, when it is a gauge of the data model (1435 or 1520) and OSM covers at least
half of the segment; a gauge change inside a segment is kept in ``gauges``.

OSM data is © OpenStreetMap contributors, available under the Open Database License (ODbL).
"""

from .cache import import_osm, load_osm_cache, osm_status
from .download import refresh_route
from .read import KINDS, read_osm, summarise_ways
from .snap import geometry_note, reset_snapped, route_length_change, save_snapped, snap_segments

__all__ = [
    "KINDS",
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
