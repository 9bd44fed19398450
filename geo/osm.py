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
matching is built here from the ways' shared nodes (:mod:`geo._osm_snap`).

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

from __future__ import annotations

import datetime as dt
import hashlib
import re
import socket
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, shape
from shapely.ops import substring

from . import settings
from ._errors import OSMError
from ._osm_files import (
    ATTRIBUTION,
    SNAPPED_NAME,
    fingerprint,
    osm_dir,
    read_collection,
    write_collection,
)
from ._osm_snap import local_transformer, reproject, snap_line
from .data import GAUGES_MM, load_routes, load_segments, route_path
from .measure import length_km, line_length_km

KINDS = ("rail", "road")
RAIL_VALUES = ("rail", "construction", "proposed", "disused", "abandoned")
ROAD_VALUES = ("motorway", "trunk", "primary", "secondary", "tertiary", "construction", "proposed")
RAIL_STATUS = {
    "rail": "operational",
    "construction": "under_construction",
    "proposed": "proposed",
    "disused": "disrupted",
    "abandoned": "closed",
}
ROAD_STATUS = {"construction": "under_construction", "proposed": "proposed"}
STATUS_ORDER = ("operational", "disrupted", "under_construction", "planned", "proposed", "closed")
"""From strongest to weakest: how far a segment is from carrying traffic today."""
PROJECT_STATUSES = frozenset({"under_construction", "planned", "proposed"})
"""Curated statuses about a project; a disused or abandoned OSM track does not override them."""
KEEP_TAGS = (
    "railway", "highway", "construction", "proposed", "gauge", "electrified", "voltage",
    "usage", "service", "name", "name:en", "ref", "operator",
)
SKIP_SERVICE = frozenset({"yard", "siding", "spur", "crossover"})
"""Service tracks are imported but never snapped to: they are not the corridor's main line."""
FULL_COVERAGE = 0.9
GAUGE_COVERAGE = 0.5
TOLERANCE_RANGE_M = (1000.0, 10000.0)
MAX_QUERY_PART_KM = 100.0
MIN_QUERY_PART_KM = 10.0
CONNECT_TIMEOUT_S = 10.0
WAY_COLUMNS = ["kind", *KEEP_TAGS, "status", "gauge_mm", "length_km", "geometry"]


def _tags(kind: str | None) -> dict[str, list[str]]:
    if kind not in (None, *KINDS):
        msg = f"unknown kind {kind!r}; use one of {', '.join(KINDS)}"
        raise OSMError(msg)
    tags: dict[str, list[str]] = {}
    if kind in (None, "rail"):
        tags["railway"] = list(RAIL_VALUES)
    if kind in (None, "road"):
        tags["highway"] = list(ROAD_VALUES)
    return tags


# ---------------------------------------------------------------------------------------------
# Reading


def read_osm(path: str | Path, *, kind: str | None = None) -> gpd.GeoDataFrame:
    """Railway and/or road ways of an OSM file, one row per way, indexed by ``osm_id``.

    ``kind`` is one of ``{"rail", "road"}`` or None for both. Reads ``.osm`` (also ``.osm.bz2``,
    ``.osm.gz``) offline with ``osmnx.features.features_from_xml``; ``.osm.pbf`` needs the
    ``osmium`` package (pyosmium).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kind`` ("rail"/"road"), the tags of :data:`KEEP_TAGS` ("" when absent),
        ``status`` (mapped from the lifecycle tags), ``gauge_mm`` (Int64, from ``gauge`` when
        it is a single number), ``length_km`` (geodesic) and the LineString ``geometry``.
    """
    path = Path(path)
    tags = _tags(kind)
    if not path.is_file():
        msg = f"{path}: OSM file not found"
        raise OSMError(msg)
    if path.name.lower().endswith(".pbf"):
        return _normalise(_read_pbf(path, tags), kind, str(path))
    import xml.sax
    from xml.etree.ElementTree import ParseError

    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    try:
        raw = ox.features.features_from_xml(path, tags=tags)
    except InsufficientResponseError:
        raw = gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=settings.crs)
    except (ParseError, xml.sax.SAXException, UnicodeDecodeError, KeyError, ValueError, EOFError,
            OSError) as err:
        msg = f"{path}: not a readable OSM XML file ({type(err).__name__}: {err})"
        raise OSMError(msg) from err
    if "element" in getattr(raw.index, "names", []):
        raw = raw[raw.index.get_level_values("element") == "way"]
        raw.index = raw.index.get_level_values("id")
    return _normalise(raw, kind, str(path))


def _read_pbf(path: Path, tags: dict[str, list[str]]) -> gpd.GeoDataFrame:
    try:
        import osmium
    except ImportError as err:
        msg = (
            f"{path}: reading .osm.pbf needs the pyosmium package (pip install osmium); "
            f"or convert the file to OSM XML first, e.g. `osmium cat {path.name} -o "
            f"{path.name[:-4]}` (osmium-tool), and import the .osm file"
        )
        raise OSMError(msg) from err
    rows, geoms = [], []
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter(*tags))
        )
        for obj in processor:
            if not obj.is_way():
                continue
            way_tags = {t.k: t.v for t in obj.tags}
            if not any(way_tags.get(k) in values for k, values in tags.items()):
                continue
            coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if len(coords) < 2:
                continue
            rows.append({"id": obj.id, **way_tags})
            geoms.append(LineString(coords))
    except RuntimeError as err:
        msg = f"{path}: not a readable OSM PBF file ({err})"
        raise OSMError(msg) from err
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs)
    return frame.set_index("id") if len(frame) else frame


def _normalise(raw: gpd.GeoDataFrame, kind: str | None, where: str) -> gpd.GeoDataFrame:
    """Keep LineString ways of the wanted values, with the columns of :data:`WAY_COLUMNS`."""
    frame = raw[raw.geometry.geom_type == "LineString"].copy() if len(raw) else raw.copy()
    for tag in KEEP_TAGS:
        if tag not in frame:
            frame[tag] = ""
        frame[tag] = frame[tag].fillna("").astype(str)
    rail = frame["railway"].isin(RAIL_VALUES) & _sub_is(frame, "railway", {"", "yes", "rail"})
    road_sub = {"", "yes", *ROAD_VALUES[:5], *(f"{v}_link" for v in ROAD_VALUES[:5])}
    road = frame["highway"].isin(ROAD_VALUES) & _sub_is(frame, "highway", road_sub)
    if kind == "rail":
        road &= False
    if kind == "road":
        rail &= False
    frame = frame[rail | road].copy()
    frame["kind"] = np.where(rail[frame.index], "rail", "road")
    frame["status"] = [
        RAIL_STATUS[r] if k == "rail" else ROAD_STATUS.get(h, "operational")
        for k, r, h in zip(frame["kind"], frame["railway"], frame["highway"], strict=True)
    ]
    frame["gauge_mm"] = pd.array(
        [int(g) if re.fullmatch(r"\d{3,4}", g.strip()) else None for g in frame["gauge"]],
        dtype="Int64",
    )
    frame["length_km"] = length_km(frame) if len(frame) else pd.Series(dtype=float)
    frame.index = pd.Index([int(i) for i in frame.index], name="osm_id")
    out = gpd.GeoDataFrame(frame[WAY_COLUMNS], geometry="geometry", crs=settings.crs)
    out.attrs["osm_source"] = where
    return out.sort_index()


def _sub_is(frame: pd.DataFrame, key: str, allowed: set[str]) -> pd.Series:
    """Whether the subtype (``construction=*``/``proposed=*``) of a planned way is allowed.

    Ways that are not under construction or proposed have the empty subtype. This keeps a
    metro or tram under construction (``construction=subway``) out of the railways.
    """
    value = frame[key]
    sub = pd.Series("", index=frame.index)
    for state in ("construction", "proposed"):
        sub = sub.where(value != state, frame[state])
    return sub.isin(allowed)


def summarise_ways(ways: gpd.GeoDataFrame) -> pd.DataFrame:
    """Ways and geodesic km by kind, tag value and status (what an import brought in)."""
    if not len(ways):
        return pd.DataFrame(columns=["kind", "tag", "status", "ways", "length_km"])
    rail = ways["kind"] == "rail"
    tag = np.where(rail, "railway=" + ways["railway"], "highway=" + ways["highway"])
    table = (
        ways.assign(tag=tag)
        .groupby(["kind", "tag", "status"], as_index=False)
        .agg(ways=("length_km", "size"), length_km=("length_km", "sum"))
    )
    return table.sort_values(["kind", "length_km"], ascending=[True, False]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Cache: import and refresh


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _osmnx_version() -> str:
    import osmnx as ox

    return ox.__version__


def _write_ways(path: Path, ways: gpd.GeoDataFrame, metadata: dict) -> Path:
    features = []
    for osm_id, row in ways.iterrows():
        props = {"osm_id": int(osm_id)}
        for col in ["kind", *KEEP_TAGS, "status"]:
            if row[col] != "":
                props[col] = row[col]
        if not pd.isna(row["gauge_mm"]):
            props["gauge_mm"] = int(row["gauge_mm"])
        features.append({"geometry": row.geometry, "properties": props})
    return write_collection(path, features, {**metadata, "ways": len(features)})


def load_osm_cache(path: str | Path) -> gpd.GeoDataFrame:
    """Ways cached by :func:`import_osm` or :func:`refresh_route`, as :func:`read_osm` returns.

    The file's metadata (source, date, tags, osmnx version) is in ``.attrs["osm_metadata"]``.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"{path}: OSM cache file not found; run `corridors osm import` or `osm refresh`"
        raise OSMError(msg)
    features, metadata = read_collection(path)
    rows = [dict(f.get("properties") or {}) for f in features]
    geoms = [shape(f["geometry"]) for f in features]
    raw = gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs)
    raw = raw.set_index("osm_id") if len(raw) else raw
    kind = metadata.get("kind") if metadata.get("kind") in KINDS else None
    ways = _normalise(raw, kind, str(path))
    ways.attrs["osm_metadata"] = metadata
    ways.attrs["osm_cache"] = str(path)
    return ways


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "osm"


def import_osm(
    path: str | Path, *, kind: str | None = None, data_dir: Path | str | None = None
) -> gpd.GeoDataFrame:
    """Read an OSM file (offline) and cache its ways as ``<data_dir>/osm/import-<name>.geojson``.

    ``kind`` is one of ``{"rail", "road"}`` or None for both. Raises :class:`~geo.OSMError`
    when the file cannot be read or holds no railway/road ways; the cache is then unchanged.
    Returns the ways (see :func:`read_osm`) with ``.attrs["osm_cache"]`` and
    ``.attrs["osm_metadata"]``.
    """
    path = Path(path)
    ways = read_osm(path, kind=kind)
    if not len(ways):
        wanted = ", ".join(f"{k}={'|'.join(v)}" for k, v in _tags(kind).items())
        msg = f"{path}: no OSM ways tagged {wanted}; nothing imported, the cache is unchanged"
        raise OSMError(msg)
    stem = path.name.split(".")[0]
    cache = osm_dir(data_dir) / f"import-{_safe_name(stem)}.geojson"
    metadata = {
        "source": "import",
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "date": _now(),
        "kind": kind or "rail+road",
        "tags": _tags(kind),
        "reader": "pyosmium" if path.name.lower().endswith(".pbf") else "osmnx.features_from_xml",
        "osmnx_version": _osmnx_version(),
    }
    _write_ways(cache, ways, metadata)
    ways.attrs["osm_cache"] = str(cache)
    ways.attrs["osm_metadata"] = {**metadata, "attribution": ATTRIBUTION}
    return ways


@contextmanager
def _osmnx_settings(**values) -> Iterator[None]:
    import osmnx as ox

    old = {k: getattr(ox.settings, k) for k in values}
    try:
        for k, v in values.items():
            setattr(ox.settings, k, v)
        yield
    finally:
        for k, v in old.items():
            setattr(ox.settings, k, v)


def _check_online(url: str, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Open (and close) a TCP connection to the Overpass host, or the HTTPS proxy if one is set.

    Fails in seconds where osmnx would first wait out its retry pauses.
    """
    parts = urlparse(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    target = urlparse(proxy) if proxy else parts
    port = target.port or (443 if target.scheme == "https" else 80)
    try:
        socket.create_connection((target.hostname, port), timeout=timeout_s).close()
    except OSError as err:
        via = f" through proxy {proxy}" if proxy else ""
        msg = f"cannot reach the Overpass API {url}{via}: {err}"
        raise OSMError(msg) from err


def _download(polygon, tags: dict) -> gpd.GeoDataFrame:
    """One Overpass query (osmnx), empty frame when nothing matches."""
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    try:
        return ox.features.features_from_polygon(polygon, tags)
    except InsufficientResponseError as err:
        if "No matching features" in str(err):
            return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=settings.crs)
        raise


def _route_parts(route_id: str, buffer_km: float, kind: str | None, data_dir) -> list[tuple]:
    """(segment id, mode, lon/lat polygon) query parts covering the route's rail/road segments.

    Each segment is cut into pieces and each piece is buffered by ``buffer_km`` in a local
    azimuthal equidistant projection centred on the segment (metres), then returned to lon/lat.
    Pieces are short enough (at most :data:`MAX_QUERY_PART_KM`) that a buffered piece stays
    under osmnx's ``max_query_area_size``, which would otherwise replace a long, bent buffer
    by its convex hull; they also let the refresh report progress part by part.
    """
    import osmnx as ox

    area_km2 = 0.9 * ox.settings.max_query_area_size / 1e6  # 10 % margin
    part_km = (area_km2 - np.pi * buffer_km**2) / (2 * buffer_km)
    part_km = min(MAX_QUERY_PART_KM, max(MIN_QUERY_PART_KM, part_km))
    segments = load_segments(data_dir, osm=False)
    parts = []
    for sid, _ in route_path(route_id, data_dir):
        mode = segments.at[sid, "mode"]
        if mode not in KINDS or (kind and mode != kind):
            continue
        geom = segments.geometry.loc[sid]
        proj = local_transformer(geom)
        line = reproject(geom, proj)
        n = max(1, int(np.ceil(line.length / (part_km * 1000))))
        for i in range(n):
            piece = substring(line, line.length * i / n, line.length * (i + 1) / n)
            poly = reproject(piece.buffer(buffer_km * 1000, quad_segs=8), proj, inverse=True)
            parts.append((sid, mode, poly))
    return parts


def refresh_route(
    route_id: str,
    *,
    buffer_km: float | None = None,
    kind: str | None = None,
    data_dir: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
) -> gpd.GeoDataFrame:
    """Download (online) the OSM ways around a route and cache them as ``osm/route-<id>.geojson``.

    ``kind`` is one of ``{"rail", "road"}`` or None for the modes of the route's segments;
    ``buffer_km`` defaults to ``settings.osm_refresh_buffer_km``. ``progress`` is called with
    one line of text per query part. With no connection, or if any part fails, raises
    :class:`~geo.OSMError` and leaves the cache as it was (the file is replaced only after
    every part has arrived).
    """
    import osmnx as ox

    buffer_km = settings.osm_refresh_buffer_km if buffer_km is None else float(buffer_km)
    if not buffer_km > 0:
        msg = f"buffer_km must be a positive number of km, got {buffer_km!r}"
        raise OSMError(msg)
    _tags(kind)
    cache = osm_dir(data_dir) / f"route-{_safe_name(route_id)}.geojson"
    parts = _route_parts(route_id, buffer_km, kind, data_dir)
    if not parts:
        msg = f"route {route_id!r} has no rail or road segment to refresh"
        raise OSMError(msg)
    say = progress or (lambda _text: None)
    unchanged = f"the cache {cache} is unchanged" if cache.exists() else "nothing was cached"
    say(f"route {route_id}: {len(parts)} part(s) within {buffer_km:g} km, "
        f"from {ox.settings.overpass_url}")
    try:
        _check_online(ox.settings.overpass_url)
    except OSMError as err:
        msg = f"refresh of route {route_id!r} needs the internet: {err}; {unchanged}"
        raise OSMError(msg) from err
    frames = []
    with _osmnx_settings(use_cache=False):
        for i, (sid, mode, poly) in enumerate(parts, start=1):
            try:
                raw = _download(poly, _tags(mode))
            except Exception as err:  # noqa: BLE001 - requests, osmnx and socket errors alike
                msg = (
                    f"refresh of route {route_id!r} failed at part {i}/{len(parts)} "
                    f"(segment {sid!r}): {type(err).__name__}: {err}; {unchanged}"
                )
                raise OSMError(msg) from err
            if "element" in getattr(raw.index, "names", []):
                raw = raw[raw.index.get_level_values("element") == "way"]
                raw.index = raw.index.get_level_values("id")
            frames.append(_normalise(raw, mode, "overpass"))
            say(f"  part {i}/{len(parts)} (segment {sid}, {mode}): {len(frames[-1])} ways")
    ways = pd.concat(frames)
    ways = gpd.GeoDataFrame(ways[~ways.index.duplicated()], crs=settings.crs).sort_index()
    metadata = {
        "source": "refresh",
        "route": route_id,
        "date": _now(),
        "kind": kind or "rail+road",
        "buffer_km": buffer_km,
        "buffer_crs": "+proj=aeqd +ellps=WGS84 centred on each segment",
        "tags": _tags(kind),
        "overpass_url": ox.settings.overpass_url,
        "osmnx_version": _osmnx_version(),
    }
    _write_ways(cache, ways, metadata)
    say(f"cached {len(ways)} ways in {cache}")
    ways.attrs["osm_cache"] = str(cache)
    ways.attrs["osm_metadata"] = {**metadata, "attribution": ATTRIBUTION}
    return ways


# ---------------------------------------------------------------------------------------------
# Snapping


def snap_tolerance_m(accuracy_m: float | None) -> float:
    """Matching distance for a segment: its ``accuracy_m`` kept within 1-10 km, else the setting.

    The curated line claims to be within ``accuracy_m`` of the real alignment, so an OSM line
    further away than that is a different line. At least 1 km because a curve between two
    waypoints leaves their chord; at most 10 km because further away is another valley.
    """
    if accuracy_m is None or pd.isna(accuracy_m):
        return float(settings.osm_snap_tolerance_m)
    low, high = TOLERANCE_RANGE_M
    return float(min(max(float(accuracy_m), low), high))


def _int_or_none(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _weakest(statuses) -> str:
    return max(statuses, key=STATUS_ORDER.index)


def _snap_status(curated: str, way_status: dict[int, str], coverage: float) -> str:
    osm = _weakest(way_status.values())
    if curated in PROJECT_STATUSES and osm in ("disrupted", "closed"):
        return curated
    return osm if coverage >= FULL_COVERAGE else _weakest([curated, osm])


def _snap_gauge(curated, way_gauge: dict[int, int | None], lengths: dict[int, float], coverage):
    by_gauge: dict[int, float] = {}
    for w, g in way_gauge.items():
        if g is not None:
            by_gauge[g] = by_gauge.get(g, 0.0) + lengths[w]
    total = sum(lengths.values())
    ranked = sorted(by_gauge.items(), key=lambda x: -x[1])
    note = ", ".join(f"{g} mm {m / total:.0%}" for g, m in ranked)
    if not by_gauge or coverage < GAUGE_COVERAGE:
        return curated, note
    top, metres = max(by_gauge.items(), key=lambda x: x[1])
    if top not in GAUGES_MM or metres / total < 0.5:
        return curated, note
    return top, note


def snap_segments(
    ways: gpd.GeoDataFrame,
    *,
    route: str | None = None,
    data_dir: Path | str | None = None,
) -> gpd.GeoDataFrame:
    """Snap the curated segments (of one ``route``, or all) to the OSM ``ways`` that follow them.

    Each rail segment is matched to railway ways and each road segment to highway ways, within
    :func:`snap_tolerance_m` (see :mod:`geo._osm_snap` for the test of "follows"). Service
    tracks (yards, sidings, spurs) are ignored.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per segment tried, indexed by segment ``id``: ``mode``, ``matched``,
        ``tolerance_m``, ``coverage`` (share of the segment's length that OSM follows),
        ``osm_way_ids`` (list), ``ways``, ``curated_km``, ``osm_km`` (geodesic, after
        snapping), ``change_km``, ``status_curated``, ``status``, ``gauge_curated``,
        ``gauge_mm``, ``gauges`` (OSM gauges by share of matched length) and the snapped
        ``geometry`` (None where unmatched). ``.attrs["curated_fingerprint"]`` maps ids to the
        fingerprints :func:`save_snapped` stores.
    """
    segments = load_segments(data_dir, osm=False)
    if route is not None:
        ids = [sid for sid, _ in route_path(route, data_dir)]
    else:
        ids = list(segments.index)
    usable = ways[~ways["service"].isin(SKIP_SERVICE)] if len(ways) else ways
    by_mode = {k: usable[usable["kind"] == k] for k in KINDS} if len(usable) else {}
    rows, geoms, prints = [], [], {}
    for sid in ids:
        seg = segments.loc[sid]
        if seg["mode"] not in KINDS:
            continue
        candidates = by_mode.get(seg["mode"])
        if candidates is None or not len(candidates):
            continue
        tol = snap_tolerance_m(seg["accuracy_m"])
        match = snap_line(seg.geometry, candidates.geometry, tol)
        curated_km = line_length_km(seg.geometry)
        gauge_cur = None if pd.isna(seg["gauge_mm"]) else int(seg["gauge_mm"])
        row = {
            "id": sid, "mode": seg["mode"], "matched": match is not None, "tolerance_m": tol,
            "coverage": 0.0, "osm_way_ids": [], "ways": 0, "curated_km": curated_km,
            "osm_km": curated_km, "change_km": 0.0, "status_curated": seg["status"],
            "status": seg["status"], "gauge_curated": gauge_cur, "gauge_mm": gauge_cur,
            "gauges": "",
        }
        if match is not None:
            used = candidates.loc[match.way_ids]
            way_status = dict(zip(used.index, used["status"], strict=True))
            status = _snap_status(seg["status"], way_status, match.coverage)
            gauge, note = gauge_cur, ""
            if seg["mode"] == "rail":
                way_gauge = {w: _int_or_none(g) for w, g in used["gauge_mm"].items()}
                gauge, note = _snap_gauge(gauge_cur, way_gauge, match.way_lengths_m, match.coverage)
            osm_km = line_length_km(match.geometry)
            row.update(
                coverage=match.coverage, osm_way_ids=list(match.way_ids), ways=len(match.way_ids),
                osm_km=osm_km, change_km=osm_km - curated_km, status=status, gauge_mm=gauge,
                gauges=note,
            )
        rows.append(row)
        geoms.append(match.geometry if match is not None else None)
        prints[sid] = fingerprint(seg["from"], seg["to"], seg.geometry)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs)
    frame = frame.set_index("id") if len(frame) else frame
    for col in ("gauge_curated", "gauge_mm"):
        if col in frame:
            frame[col] = pd.array([_int_or_none(g) for g in frame[col]], dtype="Int64")
    frame.attrs["curated_fingerprint"] = prints
    frame.attrs["osm_source"] = ways.attrs.get("osm_cache") or ways.attrs.get("osm_source", "")
    frame.attrs["osm_date"] = (ways.attrs.get("osm_metadata") or {}).get("date", "")
    return frame


def save_snapped(snapped: gpd.GeoDataFrame, *, data_dir: Path | str | None = None) -> Path:
    """Add the matched rows of :func:`snap_segments` to ``<data_dir>/osm/snapped.geojson``.

    Records of other segments already in the file are kept (snaps from several OSM files add
    up); a segment snapped again is replaced. Written atomically. Returns the path.
    """
    path = osm_dir(data_dir) / SNAPPED_NAME
    records: dict[str, dict] = {}
    if path.exists():
        for feat in read_collection(path)[0]:
            props = dict(feat.get("properties") or {})
            records[props.get("id")] = {"geometry": shape(feat["geometry"]), "properties": props}
    source = Path(snapped.attrs.get("osm_source") or "osm").name
    date = snapped.attrs.get("osm_date", "")
    now = _now()
    for sid, row in snapped[snapped["matched"]].iterrows() if len(snapped) else []:
        props = {
            "id": sid,
            "osm_way_ids": [int(w) for w in row["osm_way_ids"]],
            "osm_source": f"{source} ({date})" if date else source,
            "status": row["status"],
            "gauge_mm": _int_or_none(row["gauge_mm"]),
            "gauges": row["gauges"],
            "coverage": round(float(row["coverage"]), 4),
            "tolerance_m": float(row["tolerance_m"]),
            "curated_km": round(float(row["curated_km"]), 3),
            "osm_km": round(float(row["osm_km"]), 3),
            "curated_fingerprint": snapped.attrs["curated_fingerprint"][sid],
            "snapped_at": now,
        }
        records[sid] = {"geometry": row.geometry, "properties": props}
    metadata = {"source": "snapped", "date": now, "segments": len(records)}
    return write_collection(path, list(records.values()), metadata)


def reset_snapped(*, data_dir: Path | str | None = None) -> bool:
    """Remove ``osm/snapped.geojson`` so every segment uses its curated geometry again.

    Downloaded and imported ways stay cached. Returns True if a file was removed.
    """
    path = osm_dir(data_dir) / SNAPPED_NAME
    if path.exists():
        path.unlink()
        return True
    return False


def route_length_change(
    data_dir: Path | str | None = None, *, routes: list[str] | None = None
) -> pd.DataFrame:
    """Each route's geodesic length on the curated and on the OSM-snapped geometry.

    Returns a DataFrame indexed by route ``id`` with ``segments``, ``snapped`` (how many of
    them follow OSM), ``curated_km``, ``osm_km``, ``change_km``, ``change_pct`` and
    ``osm_way_ids`` (list of the ways now in the route).
    """
    table = load_routes(data_dir)
    before = length_km(load_segments(data_dir, osm=False))
    snapped = load_segments(data_dir, osm=True)
    after = length_km(snapped)
    rows = []
    for rid in routes or list(table.index):
        sids = list(table.at[rid, "segments"])
        ways = [int(w) for s in sids for w in snapped.at[s, "osm_way_ids"].split(",") if w]
        km0, km1 = float(before[sids].sum()), float(after[sids].sum())
        rows.append({
            "id": rid, "segments": len(sids),
            "snapped": int((snapped.loc[sids, "geometry_source"] == "osm").sum()),
            "curated_km": km0, "osm_km": km1, "change_km": km1 - km0,
            "change_pct": 100.0 * (km1 - km0) / km0 if km0 else 0.0,
            "osm_way_ids": ways,
        })
    columns = ["id", "segments", "snapped", "curated_km", "osm_km", "change_km", "change_pct",
               "osm_way_ids"]
    return pd.DataFrame(rows, columns=columns).set_index("id")


def osm_status(data_dir: Path | str | None = None) -> pd.DataFrame:
    """What the OSM cache folder holds: one row per file with its source, date and size.

    Columns ``file``, ``source`` ("import", "refresh" or "snapped"), ``date``, ``what`` (file
    or route the ways came from), ``items`` (ways, or snapped segments).
    """
    rows = []
    folder = osm_dir(data_dir)
    for path in sorted(folder.glob("*.geojson")) if folder.is_dir() else []:
        try:
            features, meta = read_collection(path)
        except ValueError as err:
            problem = str(err).splitlines()[-1]
            rows.append({"file": path.name, "source": "unreadable", "date": "", "what": problem,
                         "items": 0})
            continue
        what = meta.get("file") or meta.get("route") or ""
        if meta.get("source") == "snapped":
            what = ", ".join(sorted(str((f.get("properties") or {}).get("id")) for f in features))
        rows.append({"file": path.name, "source": meta.get("source", "?"),
                     "date": meta.get("date", ""), "what": what, "items": len(features)})
    return pd.DataFrame(rows, columns=["file", "source", "date", "what", "items"])


def geometry_note(segments: pd.DataFrame) -> str:
    """One sentence for maps and exports: how many segments follow OSM, with the attribution.

    Empty when every segment uses its curated geometry (or the column is absent).
    """
    if "geometry_source" not in segments or not (segments["geometry_source"] == "osm").any():
        return ""
    n = int((segments["geometry_source"] == "osm").sum())
    return (
        f"{n} of {len(segments)} segments follow OpenStreetMap alignments "
        f"({ATTRIBUTION}); the others use the curated geometry."
    )
