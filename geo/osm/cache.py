"""The OSM cache folder: imported and downloaded ways as GeoParquet files with their provenance."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from .. import settings
from .._errors import OSMError
from ..data import load_segments, route_path
from ..snapped import ATTRIBUTION, SNAPPED_NAME, osm_dir, read_collection
from .match import local_transformer, reproject
from .read import KINDS, normalise, road_classes_for, tags_for
from .store import frame_table, read_metadata, read_table, table_to_ways, write_ways
from .stream import WayFilter, stream_ways

CACHE_SUFFIX = ".parquet"


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def osmnx_version() -> str:
    import osmnx as ox

    return ox.__version__


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "osm"


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


def route_area(route_id: str, buffer_km: float, data_dir: Path | str | None = None):
    """The lon/lat polygon within ``buffer_km`` of a route's segments.

    Each segment is buffered in an azimuthal equidistant projection centred on it (metres),
    as :func:`geo.refresh_route` does, then returned to lon/lat.
    """
    if not 0 < buffer_km < float("inf"):
        msg = f"buffer_km must be a positive, finite number of km, got {buffer_km!r}"
        raise OSMError(msg)
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
    """Stream an OSM file (offline) into ``<data_dir>/osm/import-<name>.parquet``.

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
    cache = osm_dir(data_dir) / f"import-{safe_name(path.name.split('.')[0])}{CACHE_SUFFIX}"
    stat = path.stat() if path.is_file() else None
    metadata = {
        "source": "import",
        "file": path.name,
        "file_bytes": stat.st_size if stat else None,
        "file_modified": (dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(microsecond=0)
                          .isoformat() if stat else None),
        "date": now(),
        "kind": kind or "rail+road",
        "tags": tags,
        "bbox": list(box) if box else None,
        "route": route,
        "buffer_km": buffer_km if route else None,
        "reader": f"pyosmium {pyosmium_release}",
        "attribution": ATTRIBUTION,
    }
    where = (f" touching {','.join(f'{v:g}' for v in box)}" if box else "") + (
        f" within {buffer_km:g} km of route {route!r}" if route else "")

    def empty() -> str:
        wanted_tags = ", ".join(f"{k}={'|'.join(v)}" for k, v in tags.items())
        unchanged = "the cache is unchanged" if cache.exists() else "nothing was cached"
        return f"{path}: no OSM ways tagged {wanted_tags}{where}; nothing imported, {unchanged}"

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
