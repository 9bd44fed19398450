"""The OSM cache: imported and downloaded ways as GeoJSON files with their metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from .. import settings
from .._errors import OSMError
from ..snapped import ATTRIBUTION, osm_dir, read_collection, write_collection
from .read import KEEP_TAGS, KINDS, normalise, read_osm, tags_for


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def osmnx_version() -> str:
    import osmnx as ox

    return ox.__version__


def write_ways(path: Path, ways: gpd.GeoDataFrame, metadata: dict) -> Path:
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
    ways = normalise(raw, kind, str(path))
    ways.attrs["osm_metadata"] = metadata
    ways.attrs["osm_cache"] = str(path)
    return ways


def safe_name(text: str) -> str:
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
        wanted = ", ".join(f"{k}={'|'.join(v)}" for k, v in tags_for(kind).items())
        msg = f"{path}: no OSM ways tagged {wanted}; nothing imported, the cache is unchanged"
        raise OSMError(msg)
    stem = path.name.split(".")[0]
    cache = osm_dir(data_dir) / f"import-{safe_name(stem)}.geojson"
    metadata = {
        "source": "import",
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "date": now(),
        "kind": kind or "rail+road",
        "tags": tags_for(kind),
        "reader": "pyosmium" if path.name.lower().endswith(".pbf") else "osmnx.features_from_xml",
        "osmnx_version": osmnx_version(),
    }
    write_ways(cache, ways, metadata)
    ways.attrs["osm_cache"] = str(cache)
    ways.attrs["osm_metadata"] = {**metadata, "attribution": ATTRIBUTION}
    return ways


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


