"""The OSM way cache on disk: GeoParquet 1.1, written batch by batch, read column by column.

Why GeoParquet and not GeoPackage: the import writes one row group per batch with pyarrow
(no per-row SQL insert, no spatial-index upkeep), compressed (zstd), and a reader takes only
the columns it needs: routing reads coordinates, lengths and a few tags, never the names. The
geometry uses GeoParquet's native ``linestring`` encoding (GeoArrow: a list of x/y structs),
so coordinates come back as NumPy arrays without parsing WKB; each way's per-node geodesic
metres (``node_m``) share the same offsets. A ``bbox`` column (the GeoParquet 1.1 covering)
lets :func:`read_ways` skip row groups outside an area. GDAL 3.8+ (QGIS) and geopandas read
the files as they are.

Columns: ``osm_id``, ``kind``, the tags of ``KEEP_TAGS`` ("" when absent), ``status``,
``gauge_mm`` (single gauge or null), ``length_km``, ``node_m``, ``bbox`` and ``geometry``.
The file's key-value metadata ``corridors_osm`` holds the import's provenance (source file,
date, filters, attribution) and, written last, its summary and ``region``: the bounding box
``[west, south, east, north]`` (degrees) of its ways, so a folder of caches can be listed from
the files' footers alone (:func:`read_region` computes it for caches written without one).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely

from .. import settings
from .._errors import OSMError
from .._io import atomic_write
from ..measure import geod
from .read import KEEP_TAGS, WAY_COLUMNS, summarise_ways

META_KEY = b"corridors_osm"
POINT = pa.struct([("x", pa.float64()), ("y", pa.float64())])
BBOX = pa.struct([("xmin", pa.float64()), ("ymin", pa.float64()), ("xmax", pa.float64()),
                  ("ymax", pa.float64())])
SCHEMA = pa.schema([
    ("osm_id", pa.int64()),
    ("kind", pa.string()),
    *[(tag, pa.string()) for tag in KEEP_TAGS],
    ("status", pa.string()),
    ("gauge_mm", pa.int64()),
    ("length_km", pa.float64()),
    ("node_m", pa.list_(pa.float64())),
    ("bbox", BBOX),
    ("geometry", pa.list_(POINT)),
])
GEO_METADATA = {
    "version": "1.1.0",
    "primary_column": "geometry",
    "columns": {"geometry": {
        "encoding": "linestring",
        "geometry_types": ["LineString"],
        "edges": "planar",
        "covering": {"bbox": {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}},
    }},
}


def ways_table(
    ids: np.ndarray,
    tags: pd.DataFrame,
    found: pd.DataFrame,
    coords: np.ndarray,
    offsets: np.ndarray,
    node_m: np.ndarray,
) -> pa.Table:
    """One batch as an Arrow table of :data:`SCHEMA`.

    ``tags`` has one column per tag of ``KEEP_TAGS``; ``found`` the ``kind``, ``status`` and
    ``gauge_mm`` of :func:`geo.osm.read.classify`; way ``i`` has the lon/lat
    ``coords[offsets[i]:offsets[i + 1]]`` and the metres ``node_m`` from its first node.
    """
    offs = pa.array(offsets.astype(np.int32))
    points = pa.StructArray.from_arrays([pa.array(coords[:, 0]), pa.array(coords[:, 1])],
                                        fields=list(POINT))
    geometry = pa.ListArray.from_arrays(offs, points)
    starts, stops = offsets[:-1], offsets[1:]
    bbox = pa.StructArray.from_arrays(
        [pa.array(np.minimum.reduceat(coords[:, 0], starts)),
         pa.array(np.minimum.reduceat(coords[:, 1], starts)),
         pa.array(np.maximum.reduceat(coords[:, 0], starts)),
         pa.array(np.maximum.reduceat(coords[:, 1], starts))],
        fields=list(BBOX),
    )
    columns = {
        "osm_id": pa.array(ids, pa.int64()),
        "kind": pa.array(found["kind"].to_numpy(object), pa.string()),
        **{tag: pa.array(tags[tag].to_numpy(object), pa.string()) for tag in KEEP_TAGS},
        "status": pa.array(found["status"].to_numpy(object), pa.string()),
        "gauge_mm": pa.array(found["gauge_mm"].astype("Int64"), pa.int64()),
        "length_km": pa.array(node_m[stops - 1] / 1000.0),
        "node_m": pa.ListArray.from_arrays(offs, pa.array(node_m)),
        "bbox": bbox,
        "geometry": geometry,
    }
    return pa.table(columns, schema=SCHEMA)


def frame_table(ways: gpd.GeoDataFrame) -> pa.Table:
    """The Arrow table of a ways frame as :func:`geo.osm.read.normalise` returns it."""
    coords, which = shapely.get_coordinates(ways.geometry.values, return_index=True)
    offsets = np.zeros(len(ways) + 1, dtype=np.int64)
    np.cumsum(np.bincount(which, minlength=len(ways)), out=offsets[1:])
    return ways_table(np.asarray(ways.index, dtype=np.int64), ways[list(KEEP_TAGS)],
                      ways[["kind", "status", "gauge_mm"]], coords, offsets,
                      node_metres(coords, offsets))


def node_metres(coords: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Geodesic metres from each way's first node to each of its nodes (WGS84, vectorised).

    ``coords`` are the ways' lon/lat one after the other; way ``i`` is
    ``coords[offsets[i]:offsets[i + 1]]``.
    """
    if len(coords) < 2:
        return np.zeros(len(coords))
    x, y = coords[:, 0], coords[:, 1]
    _, _, step = geod().inv(x[:-1], y[:-1], x[1:], y[1:])
    step = np.asarray(step, dtype=float)
    out = np.zeros(len(coords))
    counts = np.diff(offsets)
    ways = np.flatnonzero(counts > 1)
    for k in range(1, int(counts.max())):  # node by node along all ways at once: the sums do
        ways = ways[counts[ways] > k]       # not depend on which ways share a batch
        at = offsets[ways] + k
        out[at] = out[at - 1] + step[at - 1]
    return out


def write_ways(
    path: Path, tables: Iterable[pa.Table], metadata: dict, *, empty: Callable[[], str]
) -> dict:
    """Write the batches to ``path`` (GeoParquet) atomically; return the metadata written.

    The metadata gains ``ways``, ``length_km``, ``summary`` (ways and km by kind, tag and
    status) and ``region`` (:func:`table_region` of all the batches). If no batch has a row,
    raises :class:`~geo.OSMError` with the text of ``empty()``; on that or any other failure
    (Ctrl-C included) ``path`` is left as it was and no temporary file remains.
    """
    done: dict = {}

    def write(tmp: Path) -> None:
        schema = SCHEMA.with_metadata({b"geo": json.dumps(GEO_METADATA).encode(),
                                       META_KEY: json.dumps(metadata).encode()})
        parts: list[pd.DataFrame] = []
        regions: list[list[float]] = []
        rows = 0
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for table in tables:
                writer.write_table(table, row_group_size=max(1, len(table)))
                rows += len(table)
                parts.append(summarise_ways(table.select(
                    ["kind", "railway", "highway", "status", "gauge", "length_km"]).to_pandas()))
                if len(table):
                    regions.append(table_region(table))
            if not rows:
                raise OSMError(empty())
            summary = summarise_ways(pd.concat(parts, ignore_index=True))
            w, s, e, n = np.asarray(regions).T
            done.update(metadata, ways=rows, length_km=float(summary["length_km"].sum()),
                        summary=summary.to_dict("records"),
                        region=[float(w.min()), float(s.min()), float(e.max()), float(n.max())])
            writer.add_key_value_metadata({META_KEY: json.dumps(done).encode()})

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, write)
    return done


def read_metadata(path: Path) -> dict:
    """The ``corridors_osm`` metadata of a cache file, with ``rows`` from its footer."""
    try:
        meta = pq.read_metadata(path)
    except (OSError, pa.ArrowException) as err:
        msg = f"{path}: not a readable OSM cache file ({err}); delete it and import again"
        raise OSMError(msg) from err
    raw = (meta.metadata or {}).get(META_KEY)
    out = json.loads(raw) if raw else {}
    out["rows"] = meta.num_rows
    return out


def table_region(table: pa.Table) -> list[float]:
    """``[west, south, east, north]`` (degrees) of the ways of a non-empty table, from ``bbox``."""
    box = table.column("bbox")
    def side(key: str, extreme) -> float:
        return float(extreme(pc.struct_field(box, key)).as_py())

    return [side("xmin", pc.min), side("ymin", pc.min), side("xmax", pc.max), side("ymax", pc.max)]


def read_region(path: Path, metadata: dict | None = None) -> list[float] | None:
    """The ``region`` of a cache file: from its metadata, else (older caches) its ``bbox`` column.

    ``metadata`` is the file's :func:`read_metadata` when the caller has it already. None when
    the file holds no way.
    """
    metadata = read_metadata(path) if metadata is None else metadata
    if metadata.get("region"):
        return [float(v) for v in metadata["region"]]
    table = read_table(path, columns=["bbox"])
    return table_region(table) if len(table) else None


def read_table(path: Path, columns: list[str] | None = None, bbox=None) -> pa.Table:
    """Columns of a cache file, only the ways whose bbox touches ``bbox`` (W, S, E, N) if given."""
    if not Path(path).is_file():
        msg = f"{path}: OSM cache file not found; run `corridors osm import` or `osm refresh`"
        raise OSMError(msg)
    filters = None
    if bbox is not None:
        w, s, e, n = bbox
        def b(key: str):
            return pc.field(("bbox", key))

        filters = (b("xmin") <= e) & (b("xmax") >= w) & (b("ymin") <= n) & (b("ymax") >= s)
    try:
        return pq.read_table(path, columns=columns, filters=filters)
    except (OSError, pa.ArrowException) as err:
        msg = f"{path}: not a readable OSM cache file ({err}); delete it and import again"
        raise OSMError(msg) from err


def line_arrays(table: pa.Table, column: str = "geometry") -> tuple[np.ndarray, np.ndarray]:
    """``(coords, offsets)`` of a list-of-points (or list-of-floats) column, without copies."""
    arr = table.column(column).combine_chunks()
    if arr.offset or arr.null_count:
        arr = pa.concat_arrays([arr])
    offsets = np.asarray(arr.offsets, dtype=np.int64)
    values = arr.values
    if pa.types.is_struct(values.type):
        flat = np.column_stack([values.field("x").to_numpy(), values.field("y").to_numpy()])
    else:
        flat = values.to_numpy()
    return flat, offsets


def table_to_ways(tables: pa.Table | list[pa.Table], where: str) -> gpd.GeoDataFrame:
    """The ways frame (``WAY_COLUMNS``, indexed by ``osm_id``, sorted) of cache tables."""
    if isinstance(tables, list):
        tables = pa.concat_tables(tables) if tables else SCHEMA.empty_table()
    coords, offsets = line_arrays(tables)
    counts = np.diff(offsets)
    geoms = (shapely.linestrings(coords, indices=np.repeat(np.arange(len(counts)), counts))
             if len(coords) else np.array([], dtype=object))
    frame = tables.drop_columns(["geometry", "node_m", "bbox"]).to_pandas()
    for tag in KEEP_TAGS:
        frame[tag] = frame[tag].fillna("").astype(str)
    frame["gauge_mm"] = frame["gauge_mm"].astype("Int64")
    frame = frame.set_index(pd.Index(frame.pop("osm_id").astype("int64"), name="osm_id"))
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index),
                           crs=settings.crs)[WAY_COLUMNS]
    out.attrs["osm_source"] = where
    return out.sort_index()
