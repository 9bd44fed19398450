"""The OSM cache folder: imported and downloaded ways as GeoParquet files with their provenance.

Cache names
-----------
An import is cached as ``import-<name>-<kind>-<key>.parquet``: ``<name>`` is the OSM file's
name up to its first dot, ``<kind>`` ``rail``, ``road`` or ``both``, and ``<key>`` the first 8
hex digits of a sha256 over the file's content digest (sha256 of its bytes, read in chunks), the
kind and the filters (tags kept, so the road classes; bbox; route and buffer). Importing a file
again with the same options replaces its own cache; another kind, other filters or a changed
file give another cache beside it. The digest and the key are in the metadata (``file_sha256``,
``cache_key``). The digest costs one more read of the file, at about 1.4 GB/s from the page
cache (0.4 s for a 500 MB extract, under 1 ms for the 0.27 MB Caucasus railways), small
beside the import's three passes. Downloads of :func:`geo.refresh_route` are
``route-<id>.parquet``; caches named ``import-<name>.parquet`` by earlier versions are read
and listed as they are.

:func:`osm_caches` lists the way caches (kind, region, ways, km, source and dates, read from
the files' footers); :func:`choose_cache` picks the one to route on when none is named.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from .. import settings
from .._errors import OSMError
from ..data import load_segments, route_path
from ..measure import point_to_geom_km
from ..snapped import ATTRIBUTION, SNAPPED_NAME, osm_dir, read_collection
from .graph import SNAP_TOLERANCE_KM
from .match import local_transformer, reproject
from .read import KINDS, normalise, road_classes_for, tags_for
from .store import (
    frame_table,
    read_metadata,
    read_region,
    read_table,
    table_to_ways,
    write_ways,
)
from .stream import WayFilter, station_nodes, stream_ways

CACHE_SUFFIX = ".parquet"
KIND_NAMES = {"rail": "rail", "road": "road", None: "both"}
"""The ``<kind>`` of an import's cache name, by the ``kind`` of :func:`import_osm`."""
CACHE_COLUMNS = ["file", "kind", "region", "ways", "km", "source", "imported", "osm_date"]


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def osmnx_version() -> str:
    import osmnx as ox

    return ox.__version__


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "osm"


def file_sha256(path: Path) -> str:
    """The sha256 (hex) of a file's bytes, read in chunks (a country extract is not loaded)."""
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except FileNotFoundError as err:
        msg = f"{path}: OSM file not found"
        raise OSMError(msg) from err
    except OSError as err:
        msg = f"{path}: cannot read the OSM file ({err.strerror or err})"
        raise OSMError(msg) from err


def import_key(digest: str, options: dict) -> str:
    """The sha256 (hex) naming an import: the file's content ``digest`` and its ``options``.

    ``options`` are the kind and filters as stored in the metadata; tag values are sorted, so
    ``motorway,trunk`` and ``trunk,motorway`` name the same cache.
    """
    tags = {k: sorted(v) for k, v in (options.get("tags") or {}).items()}
    text = json.dumps({**options, "tags": tags, "file_sha256": digest}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def osm_data_date(path: Path) -> str | None:
    """When the OSM data of a file was current, from its header (Geofabrik and planet extracts
    carry ``osmosis_replication_timestamp``), or None if the header does not say."""
    import osmium

    try:
        with osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING) as reader:
            header = reader.header()
            return header.get("osmosis_replication_timestamp") or header.get("timestamp") or None
    except RuntimeError:  # unreadable: the import itself reports it, naming the file
        return None


@dataclass(frozen=True)
class OSMImport:
    """What :func:`import_osm` wrote: the cache file, its metadata and a summary of the ways."""

    cache: Path
    metadata: dict
    summary: pd.DataFrame

    @property
    def ways(self) -> int:
        return int(self.metadata["ways"])

    @property
    def length_km(self) -> float:
        return float(self.metadata["length_km"])


def parse_bbox(text: str | Iterable[float]) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` from ``"W,S,E,N"`` (degrees), checked."""
    try:
        parts = [float(v) for v in (text.split(",") if isinstance(text, str) else text)]
    except ValueError:
        parts = []
    if len(parts) != 4:
        msg = f"bbox must be W,S,E,N in degrees, e.g. 44,38,47,42; got {text!r}"
        raise OSMError(msg)
    w, s, e, n = parts
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        msg = f"bbox {text!r} is not W,S,E,N with -180 <= W < E <= 180 and -90 <= S < N <= 90"
        raise OSMError(msg)
    return w, s, e, n


#: The widest corridor (km either side of a route) an import or refresh may keep. Buffers are
#: drawn in a projection centred on each segment, which cannot draw one thousands of km wide
#: (``--buffer-km 1e308`` failed deep in GEOS); a wider corridor is a whole region: use
#: ``--bbox`` or no filter.
MAX_BUFFER_KM = 1000.0


def check_buffer_km(buffer_km: float) -> float:
    """``buffer_km`` as a float if it is a number of km in (0, :data:`MAX_BUFFER_KM`];
    otherwise :class:`~geo.OSMError` saying what is allowed."""
    try:
        value = float(buffer_km)
    except (TypeError, ValueError):
        value = math.nan
    if not 0 < value <= MAX_BUFFER_KM:  # NaN fails this too
        msg = (f"buffer_km must be a positive, finite number of km, at most {MAX_BUFFER_KM:g}, "
               f"got {buffer_km!r}; for a wider area use a box (--bbox W,S,E,N) or no filter")
        raise OSMError(msg)
    return value


def route_area(route_id: str, buffer_km: float, data_dir: Path | str | None = None):
    """The lon/lat polygon within ``buffer_km`` of a route's segments.

    Each segment is buffered in an azimuthal equidistant projection centred on it (metres),
    as :func:`geo.refresh_route` does, then returned to lon/lat.
    """
    buffer_km = check_buffer_km(buffer_km)
    segments = load_segments(data_dir, osm=False)
    parts = []
    for sid, _ in route_path(route_id, data_dir):
        geom = segments.geometry.loc[sid]
        proj = local_transformer(geom)
        local = reproject(geom, proj).buffer(buffer_km * 1000.0, quad_segs=8)
        parts.append(reproject(local, proj, inverse=True))
    return shapely.union_all(parts)


def import_osm(
    path: str | Path,
    *,
    kind: str | None = None,
    road_classes: Iterable[str] | str | None = None,
    bbox: str | Iterable[float] | None = None,
    route: str | None = None,
    buffer_km: float | None = None,
    data_dir: Path | str | None = None,
    batch_size: int | None = None,
    progress: bool = False,
) -> OSMImport:
    """Stream an OSM file (offline) into ``<data_dir>/osm/import-<name>-<kind>-<key>.parquet``.

    The cache is named by the file, the kind and a key of the file's content and the filters
    (see the module docstring): the same import done again replaces its own cache, any other
    is written beside it.

    Parameters
    ----------
    path
        ``.osm.pbf`` or OSM XML (``.osm``, ``.osm.bz2``, ``.osm.gz``), any size: the ways are
        written batch by batch (see :mod:`geo.osm.stream`), never all held in memory.
    kind
        ``{"rail", "road"}`` or None for both.
    road_classes
        ``highway=*`` values to keep as roads (``"motorway,trunk"``); ``ROAD_CLASSES`` by default.
    bbox
        ``"W,S,E,N"``: keep only ways touching this box.
    route, buffer_km
        Keep only ways within ``buffer_km`` (default ``settings.osm_refresh_buffer_km``) of the
        route's segments.
    batch_size
        Ways per batch (``geo.osm.stream.BATCH_SIZE`` by default); the result is the same.
    progress
        Show a progress bar on a terminal.

    Raises :class:`~geo.OSMError` when the file cannot be read or keeps no way; on any
    failure or interruption the cache is unchanged and no temporary file is left.
    """
    from osmium.version import pyosmium_release

    path = Path(path)
    classes = road_classes_for(road_classes)
    tags = tags_for(kind, classes)
    box = parse_bbox(bbox) if bbox is not None else None
    area = None
    if route is not None:
        buffer_km = settings.osm_refresh_buffer_km if buffer_km is None else float(buffer_km)
        area = route_area(route, buffer_km, data_dir)
    elif buffer_km is not None:
        msg = "buffer_km needs a route (--route ID)"
        raise OSMError(msg)
    wanted = WayFilter(kind=kind, road_classes=classes, bbox=box, area=area)
    digest = file_sha256(path)
    stat = path.stat()
    options = {
        "kind": kind or "rail+road",
        "tags": tags,
        "bbox": list(box) if box else None,
        "route": route,
        "buffer_km": buffer_km if route else None,
    }
    key = import_key(digest, options)
    name = f"import-{safe_name(path.name.split('.')[0])}-{KIND_NAMES[kind]}-{key[:8]}"
    cache = osm_dir(data_dir) / f"{name}{CACHE_SUFFIX}"
    metadata = {
        "source": "import",
        "file": path.name,
        "file_bytes": stat.st_size,
        "file_modified": (dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(microsecond=0)
                          .isoformat()),
        "file_sha256": digest,
        "cache_key": key,
        "osm_data_date": osm_data_date(path),
        "date": now(),
        **options,
        "reader": f"pyosmium {pyosmium_release}",
        "attribution": ATTRIBUTION,
    }
    where = (f" touching {','.join(f'{v:g}' for v in box)}" if box else "") + (
        f" within {buffer_km:g} km of route {route!r}" if route else "")

    def empty() -> str:
        wanted_tags = ", ".join(f"{k}={'|'.join(v)}" for k, v in tags.items())
        unchanged = "the cache is unchanged" if cache.exists() else "nothing was cached"
        return f"{path}: no OSM ways tagged {wanted_tags}{where}; nothing imported, {unchanged}"

    if kind in (None, "rail"):
        metadata["stations"] = station_nodes(path, wanted)
    batches = stream_ways(path, wanted, batch_size=batch_size, progress=progress)
    done = write_ways(cache, batches, metadata, empty=empty)
    return OSMImport(cache, done, pd.DataFrame(done["summary"]))


def read_osm(
    path: str | Path, *, kind: str | None = None, road_classes: Iterable[str] | str | None = None
) -> gpd.GeoDataFrame:
    """Railway and/or road ways of an OSM file, one row per way, indexed by ``osm_id``, in memory.

    ``kind`` is one of ``{"rail", "road"}`` or None for both. Reads ``.osm.pbf`` and OSM XML
    like :func:`import_osm`, which should be used instead for country-sized files (it streams
    the ways to disk).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kind`` ("rail"/"road"), the tags of ``KEEP_TAGS`` ("" when absent),
        ``status`` (mapped from the lifecycle tags), ``gauge_mm`` (Int64, from ``gauge`` when
        it is a single number), ``length_km`` (geodesic) and the LineString ``geometry``.
    """
    wanted = WayFilter(kind=kind, road_classes=road_classes_for(road_classes))
    tags_for(kind)
    return table_to_ways(list(stream_ways(Path(path), wanted)), str(path))


def write_frame(path: Path, ways: gpd.GeoDataFrame, metadata: dict) -> dict:
    """Cache a ways frame (:func:`geo.osm.read.normalise`) as GeoParquet, atomically."""
    tables = [frame_table(ways)] if len(ways) else []
    return write_ways(path, tables, {**metadata, "attribution": ATTRIBUTION},
                      empty=lambda: f"no ways to cache in {path}")


def load_osm_cache(path: str | Path, *, bbox: Iterable[float] | None = None) -> gpd.GeoDataFrame:
    """Ways cached by :func:`import_osm` or :func:`refresh_route`, as :func:`read_osm` returns.

    ``bbox`` (W, S, E, N) reads only the ways touching it. The file's metadata (source, date,
    filters) is in ``.attrs["osm_metadata"]``.
    """
    path = Path(path)
    if path.suffix == ".geojson":  # caches written before GeoParquet
        if not path.is_file():
            msg = f"{path}: OSM cache file not found; run `corridors osm import` or `osm refresh`"
            raise OSMError(msg)
        features, metadata = read_collection(path)
        rows = [dict(f.get("properties") or {}) for f in features]
        raw = gpd.GeoDataFrame(rows, geometry=[shape(f["geometry"]) for f in features],
                               crs=settings.crs)
        raw = raw.set_index("osm_id") if len(raw) else raw
        ways = normalise(raw, metadata.get("kind") if metadata.get("kind") in KINDS else None,
                         str(path))
    else:
        ways = table_to_ways(read_table(path, bbox=tuple(bbox) if bbox is not None else None),
                             str(path))
        metadata = read_metadata(path)
    ways.attrs["osm_metadata"] = metadata
    ways.attrs["osm_cache"] = str(path)
    return ways


def cache_path(cache: str | Path, data_dir: Path | str | None = None) -> Path:
    """A cache given by path, or by file name in the data folder's OSM cache."""
    path = Path(cache)
    return path if path.exists() or path.is_absolute() else osm_dir(data_dir) / path


def import_files(data_dir: Path | str | None = None) -> list[Path]:
    """The imports (``import-*.parquet``) of the OSM folder, newest first."""
    return [p for p in cache_files(data_dir) if p.name.startswith("import-")]


def only_import(data_dir: Path | str | None = None) -> Path | None:
    """The data folder's one import, or None when there are none or several."""
    imports = import_files(data_dir)
    return imports[0] if len(imports) == 1 else None


def cache_files(data_dir: Path | str | None = None) -> list[Path]:
    """The way caches of the OSM folder (imports and refreshes), newest first."""
    folder = osm_dir(data_dir)
    files = [p for p in folder.glob(f"*{CACHE_SUFFIX}")] if folder.is_dir() else []
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)


def osm_status(data_dir: Path | str | None = None) -> pd.DataFrame:
    """What the OSM cache folder holds: one row per file with its source, date and size.

    Columns ``file``, ``source`` ("import", "refresh" or "snapped"), ``date``, ``what`` (file
    or route the ways came from), ``items`` (ways, or snapped segments).
    """
    rows = []
    folder = osm_dir(data_dir)
    paths = sorted([*folder.glob(f"*{CACHE_SUFFIX}"), *folder.glob("*.geojson")]) \
        if folder.is_dir() else []
    for path in paths:
        try:
            if path.suffix == CACHE_SUFFIX:
                meta = read_metadata(path)
                items, what = meta["rows"], meta.get("file") or meta.get("route") or ""
            else:
                features, meta = read_collection(path)
                items, what = len(features), meta.get("file") or meta.get("route") or ""
                if path.name == SNAPPED_NAME:
                    what = ", ".join(sorted(str((f.get("properties") or {}).get("id"))
                                            for f in features))
        except (ValueError, OSMError) as err:
            problem = str(err).splitlines()[-1]
            rows.append({"file": path.name, "source": "unreadable", "date": "", "what": problem,
                         "items": 0})
            continue
        rows.append({"file": path.name, "source": meta.get("source", "?"),
                     "date": meta.get("date", ""), "what": what, "items": items})
    return pd.DataFrame(rows, columns=["file", "source", "date", "what", "items"])


def region_text(region: Iterable[float] | None) -> str:
    """``"W,S,E,N"`` rounded outwards to 0.01 degree (so it still covers every way), or ""."""
    if region is None:
        return ""
    w, s, e, n = (round(float(v) * 100, 6) for v in region)  # 6: no 40.01 -> 40.00 drift
    return ",".join(f"{v:.2f}" for v in (math.floor(w) / 100, math.floor(s) / 100,
                                         math.ceil(e) / 100, math.ceil(n) / 100))


def osm_caches(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The way caches of the OSM folder (imports and refreshes), one row each, by file name.

    Read from each file's metadata (its footer), not its ways; for caches written before the
    region was stored, the region comes from the ``bbox`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``file``; ``kind`` ("rail", "road" or "rail+road"; "unreadable" for a file
        that is not a cache, with the problem in ``source``); ``region`` (``"W,S,E,N"`` of the
        ways, rounded outwards to 0.01 degree, as ``--bbox`` takes it); ``ways``; ``km``
        (geodesic, 0.1 km); ``source`` (the OSM file imported, or the route downloaded);
        ``imported`` (date and time of the import or download, UTC) and ``osm_date`` (when
        the OSM data was current, if known: the file header's replication timestamp, or the
        download date for the Overpass API, which serves live data).
    """
    rows = []
    for path in sorted(cache_files(data_dir)):
        try:
            meta = read_metadata(path)
            region = read_region(path, meta)
        except OSMError as err:
            rows.append({"file": path.name, "kind": "unreadable", "region": "", "ways": 0,
                         "km": 0.0, "source": str(err).splitlines()[-1], "imported": "",
                         "osm_date": ""})
            continue
        refresh = meta.get("source") == "refresh"
        source = (f"Overpass API, route {meta.get('route')} within {meta.get('buffer_km', 0):g} km"
                  if refresh else meta.get("file") or "")
        rows.append({
            "file": path.name,
            "kind": meta.get("kind") or "rail+road",
            "region": region_text(region),
            "ways": int(meta["rows"]),
            "km": round(float(meta.get("length_km") or 0.0), 1),
            "source": source,
            "imported": meta.get("date", ""),
            "osm_date": (meta.get("date") if refresh else meta.get("osm_data_date")) or "",
        })
    return pd.DataFrame(rows, columns=CACHE_COLUMNS)


def choose_cache(
    *,
    data_dir: Path | str | None = None,
    mode: str | Iterable[str] | None = None,
    covering: Mapping[str, tuple[float, float]] | Iterable[tuple[float, float]] | None = None,
    margin_km: float | None = None,
) -> Path:
    """The one way cache to route on when none is named: of the right kind, covering the places.

    The candidates are the imports of the OSM folder (the refresh caches only when there is
    no import). A candidate fits when its kind holds every mode of ``mode`` that is a
    ``{"rail", "road"}`` (any kind when none) and every point of ``covering`` lies within
    ``margin_km`` (default ``geo.osm.graph.SNAP_TOLERANCE_KM``, how far a place may snap) of
    its region, the box listed by :func:`osm_caches`.

    Parameters
    ----------
    mode
        The modes routed on, as for :func:`geo.compare_osm`.
    covering
        ``(lon, lat)`` points, or ``{label: (lon, lat)}`` to name them in messages.
    margin_km
        Geodesic km from a point to the nearest point of a region's box within which the
        region covers it.

    Raises
    ------
    OSMError
        No cache at all; none that fits (the message lists every candidate with its kind and
        region); or several that fit (listed, asking for one by name: ``--osm-cache FILE``).
    """
    folder = osm_dir(data_dir)
    caches = osm_caches(data_dir)
    caches = caches[caches["kind"] != "unreadable"]
    if not len(caches):
        msg = (f"no imported OpenStreetMap network in {folder}: run "
               "`corridors osm import FILE.osm.pbf` first")
        raise OSMError(msg)
    imports = caches["file"].str.startswith("import-")
    pool = caches[imports] if imports.any() else caches
    modes = {mode} if isinstance(mode, str) else set(mode or ())
    wanted = modes & set(KINDS)
    points = (list(covering.items()) if isinstance(covering, Mapping)
              else [(None, point) for point in covering or ()])
    margin = SNAP_TOLERANCE_KM if margin_km is None else float(margin_km)

    def covers(region: str) -> bool:
        if not region:
            return False
        box = shapely.box(*(float(v) for v in region.split(",")))
        return all(point_to_geom_km(shapely.Point(lon, lat), box) <= margin
                   for _, (lon, lat) in points)

    of_kind = pool[pool["kind"].map(lambda kind: wanted <= set(kind.split("+"))).astype(bool)]
    fit = of_kind[of_kind["region"].map(covers).astype(bool)]
    if len(fit) == 1:
        return folder / fit["file"].iloc[0]
    what = f"{'+'.join(sorted(wanted))} " if wanted else ""
    where = (f" within {margin:g} km of " + "; ".join(
        f"{label + ' ' if label else ''}(lon,lat {lon:.2f},{lat:.2f})"
        for label, (lon, lat) in points)) if points else ""

    def listing(rows: pd.DataFrame) -> str:
        return "\n".join(f"  {r.file}: {r.kind}, region {r.region or '?'} (W,S,E,N), "
                          f"{r.ways} ways, from {r.source or '?'}" for r in rows.itertuples())

    if not len(of_kind):
        msg = (f"no OpenStreetMap {what}cache in {folder}; the caches are:\n{listing(pool)}\n"
               f"import one with `corridors osm import FILE"
               f"{' --kind ' + next(iter(wanted)) if len(wanted) == 1 else ''}`")
        raise OSMError(msg)
    if not len(fit):
        msg = (f"no OpenStreetMap {what}cache in {folder} covers the places{where}; the "
               f"caches are:\n{listing(pool)}\nimport an extract that covers them "
               "(`corridors osm import FILE`), name a cache with --osm-cache FILE, or let "
               "places join the network from farther away with --snap-km")
        raise OSMError(msg)
    msg = (f"{len(fit)} OpenStreetMap {what}caches in {folder} cover the places{where}:\n"
           f"{listing(fit)}\nname the one to route on: `--osm-cache FILE` (`cache=` in Python)")
    raise OSMError(msg)
