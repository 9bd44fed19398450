"""Stream the corridor ways of an OSM file in batches, with memory that does not grow with them.

:func:`stream_ways` reads a ``.osm.pbf`` or OSM XML file with pyosmium in three passes and
yields the kept ways as Arrow tables of at most ``batch_size`` rows (:mod:`geo.osm.store`
writes them to GeoParquet, one row group each):

1. ways only: a C++ tag filter keeps the corridor ways; Python records only their ids;
2. ways only, in C++ (``IdTracker.complete_backward_references``): the ids of their nodes;
3. the whole file: only those nodes reach the node-location index (an id filter runs before
   the location handler) and only the kept ways reach Python, each as WKB built in C++.

**Node index.** Only the nodes of kept ways are stored, 16 bytes each (``sparse_mem_array``),
never every node of the file: a country extract has tens of millions of nodes, its railways
and main roads a few million. Above :data:`MEMORY_INDEX_MAX_NODES` node references the
index moves to a temporary file (``sparse_file_array``, memory-mapped, so the operating
system keeps in memory only what fits and drops it under pressure); the file is removed when
the import ends, however it ends. A dense index (8 bytes times the highest node id, about
100 GB for today's ids) would suit only a planet file.

Graph topology downstream uses node *locations* (OSM's 1e-7 degree fixed point, exact) rather
than node ids: reading ids costs a Python call per node, six times the whole import; two
distinct OSM nodes at exactly the same position are a mapping error that validators flag.

Module globals (change by assignment):

BATCH_SIZE : int
    Ways per batch (and per Parquet row group): 20,000, about 40 MB while in Python.
MEMORY_INDEX_MAX_NODES : int
    Node references of kept ways up to which the location index stays in memory:
    20,000,000 (320 MB).
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from shapely.geometry.base import BaseGeometry

from .._errors import OSMError
from .read import KEEP_TAGS, ROAD_CLASSES, classify, tags_for
from .store import node_metres, ways_table

BATCH_SIZE: int = 20_000
MEMORY_INDEX_MAX_NODES: int = 20_000_000


@dataclass(frozen=True)
class WayFilter:
    """What an import keeps: kind ``{"rail", "road"}`` or None, road classes, and where.

    ``bbox`` is ``(west, south, east, north)`` in degrees; ``area`` a lon/lat polygon (the
    buffer around a route). A way is kept when it touches them; it is kept whole.
    """

    kind: str | None = None
    road_classes: tuple[str, ...] = ROAD_CLASSES
    bbox: tuple[float, float, float, float] | None = None
    area: BaseGeometry | None = field(default=None, compare=False)

    def tag_pairs(self) -> list[tuple[str, str]]:
        """``(key, value)`` pairs for pyosmium's C++ ``TagFilter``."""
        return [(k, v) for k, values in tags_for(self.kind, self.road_classes).items() for v in values]


def stream_ways(
    path: Path,
    wanted: WayFilter,
    *,
    batch_size: int | None = None,
    progress: bool = False,
) -> Iterator[pa.Table]:
    """Batches of the corridor ways of ``path`` as Arrow tables (see :func:`batch_table`).

    ``progress`` shows a progress bar (rate and ETA, by bytes read) on a terminal's standard
    error; nothing is shown when it is not a terminal. Raises :class:`~geo.OSMError` naming
    the file when it is missing or unreadable.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"{path}: OSM file not found"
        raise OSMError(msg)
    try:
        import osmium
    except ImportError as err:
        msg = f"{path}: reading OSM files needs the pyosmium package (pip install osmium)"
        raise OSMError(msg) from err
    size = max(1, batch_size or BATCH_SIZE)
    with _Progress(path, enabled=progress) as bar, tempfile.TemporaryDirectory(
        prefix="corridors-osm-index-", ignore_cleanup_errors=True
    ) as scratch:
        try:
            tracker, refs = _track(path, wanted, bar)
            bar.phase(1, "finding the nodes of kept ways")
            tracker.complete_backward_references(str(path), relation_depth=0)
            bar.phase(2, "reading node locations and ways")
            kind = "sparse_mem_array"
            if refs > MEMORY_INDEX_MAX_NODES:
                kind = f"sparse_file_array,{Path(scratch) / 'nodes.idx'}"
            index = osmium.index.create_map(kind)
            locations = osmium.NodeLocationsForWays(index)
            locations.ignore_errors()
            batch = _Batch()
            # the iterator does not keep its handlers alive: hold them here
            handlers = (tracker.id_filter(), locations, osmium.filter.EntityFilter(osmium.osm.WAY))
            with osmium.io.Reader(str(path)) as reader:
                ways = osmium.OsmFileIterator(reader, *handlers)
                for way in ways:
                    batch.add(way)
                    if len(batch) >= size:
                        table = batch.table(wanted)
                        batch = _Batch()
                        if table is not None:
                            yield table
            table = batch.table(wanted)
            if table is not None:
                yield table
        except OSMError:
            raise
        except (RuntimeError, osmium.InvalidLocationError) as err:  # e.g. lat="nan"
            raise unreadable(path, err) from err


def unreadable(path: Path, err: Exception) -> OSMError:
    """The error for an OSM file pyosmium cannot read, naming the file and its format."""
    flavour = "PBF" if path.name.lower().endswith(".pbf") else "XML"
    return OSMError(f"{path}: not a readable OSM {flavour} file ({err})")


def _track(path: Path, wanted: WayFilter, bar: _Progress):
    """Pass 1: the ids of the ways the tags keep, and how many node references they have."""
    import osmium

    tracker = osmium.IdTracker()
    count = [0]

    class Ways:
        def way(self, w) -> None:
            tracker.add_way(w.id)
            count[0] += len(w.nodes)

    bar.phase(0, "finding corridor ways")
    tag_filter, handler = osmium.filter.TagFilter(*wanted.tag_pairs()), Ways()
    with osmium.io.Reader(str(path), osmium.osm.WAY) as reader:
        osmium.apply(reader, tag_filter, handler)
    return tracker, count[0]


class _Batch:
    """Ids, WKB and tags of up to ``BATCH_SIZE`` ways, as plain lists."""

    def __init__(self) -> None:
        import osmium

        self.ids: list[int] = []
        self.wkb: list[str] = []
        self.tags: dict[str, list[str]] = {k: [] for k in KEEP_TAGS}
        self._factory = osmium.geom.WKBFactory()
        self._errors = (osmium.InvalidLocationError, RuntimeError)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, way) -> None:
        try:
            wkb = self._factory.create_linestring(way.nodes)
        except self._errors:  # nodes missing from an extract's edge, or fewer than 2 places
            wkb = _partial_line(way)
            if wkb is None:
                return
        self.ids.append(way.id)
        self.wkb.append(wkb)
        tags = way.tags
        for key, values in self.tags.items():
            values.append(tags.get(key, ""))

    def table(self, wanted: WayFilter) -> pa.Table | None:
        if not self.ids:
            return None
        coords, offsets = wkb_lines(self.wkb)
        return batch_table(np.asarray(self.ids, dtype=np.int64), coords, offsets,
                           pd.DataFrame(self.tags), wanted)


STATION_VALUES = ("station", "halt")
"""``railway=*`` values of the named nodes an import keeps as stations."""


def station_nodes(path: Path, wanted: WayFilter) -> list[dict]:
    """The named railway stations and halts of an OSM file (one C++-filtered pass over its
    nodes), within the import's ``bbox`` and ``area`` when it has them: records
    ``{"id", "lat", "lon", "name", "nameLocal", "type"}`` as in a stations file
    (:mod:`geo.osm.stations`). ``nameLocal`` is the ``name:en`` tag where ``name`` is in
    another script."""
    import osmium

    pairs = [("railway", v) for v in STATION_VALUES]
    reader = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(
        osmium.filter.TagFilter(*pairs))
    out = []
    try:
        for node in reader:
            name = node.tags.get("name")
            if not name or not node.location.valid():
                continue
            lon, lat = node.location.lon, node.location.lat
            if wanted.bbox is not None:
                w, s, e, n = wanted.bbox
                if not (w <= lon <= e and s <= lat <= n):
                    continue
            if wanted.area is not None and not shapely.intersects_xy(wanted.area, lon, lat):
                continue
            out.append({"id": node.id, "lat": lat, "lon": lon, "name": name,
                        "nameLocal": node.tags.get("name:en", ""),
                        "type": node.tags.get("railway")})
    except (RuntimeError, osmium.InvalidLocationError) as err:  # e.g. lat="nan"
        raise unreadable(path, err) from err
    return out


def wkb_lines(hexes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(coords, offsets)`` of hex WKB LineStrings, decoded with NumPy rather than GEOS.

    Little-endian 2D LineStrings (what pyosmium's factory writes on every common machine) are
    read in one vectorised step: 9 header bytes, then x/y doubles. Anything else goes
    through shapely.
    """
    sizes = np.fromiter(map(len, hexes), dtype=np.int64, count=len(hexes)) // 2
    raw = np.frombuffer(bytes.fromhex("".join(hexes)), dtype=np.uint8)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    counts = (sizes - 9) // 16
    header = raw[starts[:, None] + np.arange(5)]
    if len(hexes) and not ((header[:, 0] == 1) & (header[:, 1] == 2) & (header[:, 2:] == 0).all(1)).all():
        geoms = shapely.from_wkb(np.asarray(hexes, dtype=object))
        coords, which = shapely.get_coordinates(geoms, return_index=True)
        counts = np.bincount(which, minlength=len(hexes))
    else:
        keep = np.ones(len(raw), dtype=bool)
        keep[(starts[:, None] + np.arange(9)).ravel()] = False
        coords = raw[keep].view("<f8").reshape(-1, 2)
    offsets = np.zeros(len(hexes) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return coords, offsets


def _partial_line(way) -> str | None:
    """WKB of the way's nodes that have a location, or None when fewer than two places are left."""
    pts = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
    pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    if len(pts) < 2:
        return None
    return shapely.to_wkb(shapely.linestrings(pts), hex=True)


def batch_table(
    ids: np.ndarray, coords: np.ndarray, offsets: np.ndarray, tags: pd.DataFrame, wanted: WayFilter
) -> pa.Table | None:
    """The Arrow table of one batch: kept ways only, in the schema of :mod:`geo.osm.store`.

    Way ``i`` has the lon/lat ``coords[offsets[i]:offsets[i + 1]]``; ``tags`` one column per
    tag of ``KEEP_TAGS``.
    """
    found = classify(tags, wanted.kind, wanted.road_classes)
    keep = found["keep"].to_numpy(copy=True)
    starts = offsets[:-1]
    if wanted.bbox is not None and len(ids):
        w, s, e, n = wanted.bbox
        x, y = coords[:, 0], coords[:, 1]
        keep &= ((np.minimum.reduceat(x, starts) <= e) & (np.maximum.reduceat(x, starts) >= w)
                 & (np.minimum.reduceat(y, starts) <= n) & (np.maximum.reduceat(y, starts) >= s))
    if wanted.area is not None and keep.any():
        counts = np.diff(offsets)
        lines = shapely.linestrings(coords, indices=np.repeat(np.arange(len(ids)), counts))
        shapely.prepare(wanted.area)
        keep[keep] = shapely.intersects(lines[keep], wanted.area)
    if not keep.any():
        return None
    if not keep.all():
        counts = np.diff(offsets)[keep]
        coords = coords[np.repeat(keep, np.diff(offsets))]
        offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
    return ways_table(
        ids[keep], tags[keep].reset_index(drop=True), found[keep].reset_index(drop=True),
        coords, offsets, node_metres(coords, offsets),
    )


class _Progress:
    """A tqdm bar over the three passes, by bytes read, when asked and on a terminal.

    The position within a pass is the reader's file offset (``/proc/self/fdinfo`` on Linux),
    polled from a thread; elsewhere the bar moves pass by pass. The reader reads ahead of the
    ways Python sees, so the bar may run a little ahead of the work.
    """

    PASSES = 3

    def __init__(self, path: Path, *, enabled: bool) -> None:
        self.path = path
        self.size = max(1, path.stat().st_size)
        self.enabled = enabled
        self.bar = None
        self.base = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # optional: the import works the same without a bar
                return self
            self.bar = tqdm(total=self.size * self.PASSES, unit="B", unit_scale=True,
                            unit_divisor=1024, desc=self.path.name, disable=None,
                            dynamic_ncols=True, leave=False)
            if not self.bar.disable:
                self._thread = threading.Thread(target=self._poll, daemon=True)
                self._thread.start()
        return self

    def phase(self, index: int, text: str) -> None:
        self.base = index * self.size
        if self.bar is not None:
            self.bar.set_postfix_str(f"pass {index + 1}/{self.PASSES}: {text}", refresh=False)
            self._move(self.base)

    def _move(self, to: int) -> None:
        if self.bar is not None and to > self.bar.n:
            self.bar.update(to - self.bar.n)

    def _poll(self) -> None:
        offset = _file_offset_reader(self.path)
        while not self._stop.wait(0.2):
            at = offset()
            if at is not None:
                self._move(self.base + min(at, self.size))

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.bar is not None:
            if exc[0] is None:
                self._move(self.size * self.PASSES)
            self.bar.close()


def _file_offset_reader(path: Path) -> Callable[[], int | None]:
    """A function giving the offset of this process's open reader of ``path`` (Linux), or None."""
    real = os.path.realpath(path)
    fds = Path("/proc/self/fd")

    def offset() -> int | None:
        try:
            for fd in os.listdir(fds):
                if os.path.realpath(fds / fd) == real:
                    with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as info:
                        return int(info.readline().split()[1])
        except (OSError, ValueError, IndexError):
            return None
        return None

    return offset
