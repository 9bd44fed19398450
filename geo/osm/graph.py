"""The routing graph of an OSM way cache, as NumPy and SciPy sparse arrays (no networkx).

:func:`osm_graph` reads a cache written by :func:`geo.import_osm` and splits its ways at shared
nodes: a graph node is a way's end or a position that two or more ways (or one way twice) pass
through, an edge the stretch of one way between two graph nodes. Everything is vectorised, so
a million-edge graph builds in about a second (``bench/bench_osm.py``); networkx would spend
several seconds only creating the edge dicts.

Nodes are identified by their position on OSM's fixed-point grid (1e-7 degrees, exact), see
:mod:`geo.osm.stream`. Edge lengths are the sums of the ways' geodesic node-to-node metres
stored at import (WGS84). Edge attributes come from the way's tags: ``mode`` (rail/road),
``status``, ``gauge`` (the set, OSM-style ``"1435;1520"``; "" unknown), ``usage``, and a
label (``ref``, else ``name``).

Module globals (change by assignment):

SNAP_TOLERANCE_KM : float
    How far (km) a place may be from the nearest usable network node. 5 km: a curated place
    is a town or station point, usually within a few hundred metres of its track or road.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from .._errors import OSMError
from ..measure import geod
from .read import gauge_columns
from .store import line_arrays, read_table

SNAP_TOLERANCE_KM: float = 5.0
GRAPH_COLUMNS = ["osm_id", "kind", "status", "gauge", "usage", "ref", "name", "node_m", "geometry"]


@dataclass(frozen=True)
class CSR:
    """Rows of a sparse adjacency matrix: ``indptr``, end node ``cols``, and per entry the
    graph ``edge`` and whether it is walked against the way (``reverse``)."""

    indptr: np.ndarray
    cols: np.ndarray
    edge: np.ndarray
    reverse: np.ndarray


@dataclass(frozen=True, eq=False)
class OSMGraph:
    """A routing graph: ``nodes`` (lon/lat), and per edge its ends, km and OSM attributes.

    Edge ``e`` runs from node ``u[e]`` to node ``v[e]`` along ``coords[first[e]:last[e] + 1]``
    (the way's own vertices, in the way's direction), part of way ``way[e]``. ``along_km``
    gives, per vertex of ``coords``, the km walked from the first vertex of the first way
    (ways one after another), so the km between two vertices of one way is a difference.
    """

    source: str
    nodes: np.ndarray
    u: np.ndarray
    v: np.ndarray
    km: np.ndarray
    first: np.ndarray
    last: np.ndarray
    coords: np.ndarray
    way: np.ndarray
    mode: np.ndarray
    status: np.ndarray
    gauge: np.ndarray
    usage: np.ndarray
    label: np.ndarray
    along_km: np.ndarray

    @property
    def edges(self) -> int:
        return len(self.u)

    def edge_line(self, e: int, reverse: bool = False) -> np.ndarray:
        """The lon/lat vertices of edge ``e``, walked from ``v`` to ``u`` when ``reverse``."""
        pts = self.coords[self.first[e]:self.last[e] + 1]
        return pts[::-1] if reverse else pts

    @cached_property
    def csr(self) -> CSR:
        """Both directions of every edge, sorted by start node then end node (built once)."""
        m = self.edges
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        order = np.lexsort((cols, rows))
        indptr = np.zeros(len(self.nodes) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(self.nodes)), out=indptr[1:])
        edge = np.concatenate([np.arange(m), np.arange(m)])[order]
        return CSR(indptr, cols[order].astype(np.int32), edge, order >= m)

    def midpoints(self) -> np.ndarray:
        """The point halfway along each edge (by length), to classify edges by territory.

        Found on the vertex pair that spans half the edge's km, interpolated linearly in
        lon/lat between the two (vertices are metres apart on OSM ways).
        """
        half = (self.along_km[self.first] + self.along_km[self.last]) / 2.0
        k = np.searchsorted(self.along_km, half, side="right") - 1
        k = np.clip(k, self.first, np.maximum(self.last - 1, self.first))
        step = self.along_km[k + 1] - self.along_km[k]
        t = np.divide(half - self.along_km[k], step, out=np.full(len(k), 0.5), where=step > 0)
        t = np.clip(t, 0.0, 1.0)[:, None]
        return self.coords[k] * (1.0 - t) + self.coords[k + 1] * t


def osm_graph(cache: str | Path) -> OSMGraph:
    """The routing graph of a way cache (cached per file version; do not modify it)."""
    path = Path(cache)
    if not path.is_file():
        msg = f"{path}: OSM cache file not found; run `corridors osm import FILE` first"
        raise OSMError(msg)
    stat = path.stat()
    return _graph(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _graph(path: str, _mtime: int, _size: int) -> OSMGraph:
    table = read_table(Path(path), columns=GRAPH_COLUMNS)
    coords, offsets = line_arrays(table)
    node_m, _ = line_arrays(table, "node_m")
    n_ways = len(offsets) - 1
    grid = np.round(coords * 1e7).astype(np.int64)
    keys = (grid[:, 0] << 32) | (grid[:, 1] & 0xFFFFFFFF)
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    is_vertex = counts[inverse] > 1
    is_vertex[offsets[:-1]] = True
    is_vertex[offsets[1:] - 1] = True
    pos = np.flatnonzero(is_vertex)
    way_of = np.repeat(np.arange(n_ways), np.diff(offsets))
    last_of_way = np.zeros(len(coords), dtype=bool)
    last_of_way[offsets[1:] - 1] = True
    starts = pos[:-1][~last_of_way[pos[:-1]]]
    stops = pos[1:][~last_of_way[pos[:-1]]]
    vertex = np.zeros(len(counts), dtype=bool)  # per distinct position: is it a graph node?
    vertex[inverse[pos]] = True
    number = np.cumsum(vertex) - 1
    node_of = np.full(len(coords), -1, dtype=np.int64)
    node_of[pos] = number[inverse[pos]]
    nodes = np.zeros((int(vertex.sum()), 2))
    nodes[node_of[pos]] = coords[pos]
    way = way_of[starts]
    columns = {c: table.column(c).to_numpy(zero_copy_only=False) for c in
               ("osm_id", "kind", "status", "gauge", "usage", "ref", "name")}
    gauge = gauge_columns(columns["gauge"])[0]
    label = np.where(columns["ref"] != "", columns["ref"], columns["name"])
    way_km = node_m[offsets[1:] - 1] / 1000.0
    along_km = node_m / 1000.0 + np.repeat(np.concatenate([[0.0], np.cumsum(way_km)[:-1]]),
                                           np.diff(offsets))
    return OSMGraph(
        source=path, nodes=nodes, u=node_of[starts], v=node_of[stops],
        km=(node_m[stops] - node_m[starts]) / 1000.0, first=starts, last=stops, coords=coords,
        way=columns["osm_id"][way], mode=columns["kind"][way], status=columns["status"][way],
        gauge=gauge[way], usage=columns["usage"][way], label=label[way], along_km=along_km,
    )


def edges_within(graph: OSMGraph, areas) -> np.ndarray:
    """Which edges have their midpoint inside any of the lon/lat polygons ``areas`` (a mask).

    Vectorised point-in-polygon: per polygon, ``shapely.contains_xy`` on its prepared outline
    for the midpoints inside its bounding box only (a million edges against a country take a
    fraction of a second; an STRtree query with the ``intersects`` predicate, a minute).
    """
    mids = graph.midpoints()
    x, y = mids[:, 0], mids[:, 1]
    inside = np.zeros(graph.edges, dtype=bool)
    for geom in areas:
        w, s, e, n = geom.bounds
        idx = np.flatnonzero(~inside & (x >= w) & (x <= e) & (y >= s) & (y <= n))
        if len(idx):
            shapely.prepare(geom)
            inside[idx[shapely.contains_xy(geom, x[idx], y[idx])]] = True
    return inside


@dataclass(frozen=True)
class Snap:
    """A place snapped to the network: the node, its position, a way through it and the gap."""

    place: str
    node: int
    lon: float
    lat: float
    way: int
    distance_m: float


def snap_place(graph: OSMGraph, place: str, lon: float, lat: float, usable: np.ndarray,
               tolerance_km: float | None = None, *, what: str = "") -> Snap:
    """The nearest node of an edge in ``usable`` (a mask) to a place, within the tolerance.

    Candidates are ranked by an equirectangular approximation and the best few measured on
    the ellipsoid. Raises :class:`~geo.OSMError` naming the place, the distance and the file
    when no usable node is within ``tolerance_km`` (default :data:`SNAP_TOLERANCE_KM`).
    """
    tolerance_km = SNAP_TOLERANCE_KM if tolerance_km is None else float(tolerance_km)
    candidates = np.flatnonzero(usable_nodes(graph, usable))
    if not len(candidates):
        msg = f"{Path(graph.source).name}: no OSM {what or 'way'} is left to route on"
        raise OSMError(msg)
    pts = graph.nodes[candidates]
    approx = ((pts[:, 0] - lon) * np.cos(np.radians(lat))) ** 2 + (pts[:, 1] - lat) ** 2
    best = candidates[np.argpartition(approx, min(7, len(approx) - 1))[:8]]
    _, _, metres = geod().inv(np.full(len(best), lon), np.full(len(best), lat),
                              graph.nodes[best, 0], graph.nodes[best, 1])
    k = int(np.argmin(metres))
    node, gap = int(best[k]), float(metres[k])
    if gap > tolerance_km * 1000.0:
        msg = (f"{place} is {gap / 1000:.1f} km from the nearest node of the OSM {what or 'network'} "
               f"in {Path(graph.source).name} (at {graph.nodes[node, 1]:.5f}, "
               f"{graph.nodes[node, 0]:.5f}); the limit is {tolerance_km:g} km: import an OSM "
               "file that covers this place, or allow a larger distance (--snap-km)")
        raise OSMError(msg)
    touching = np.flatnonzero(usable & ((graph.u == node) | (graph.v == node)))
    return Snap(place, node, float(graph.nodes[node, 0]), float(graph.nodes[node, 1]),
                int(graph.way[touching[0]]), gap)


def usable_nodes(graph: OSMGraph, usable: np.ndarray) -> np.ndarray:
    """Which nodes are an end of an edge in ``usable`` (a mask over the nodes)."""
    ok = np.zeros(len(graph.nodes), dtype=bool)
    ok[graph.u[usable]] = True
    ok[graph.v[usable]] = True
    return ok


def nodes_near(graph: OSMGraph, lon: float, lat: float, usable: np.ndarray,
               tolerance_km: float) -> tuple[np.ndarray, np.ndarray]:
    """The nodes of ``usable`` edges within ``tolerance_km`` of a point, nearest first.

    Returns the node numbers and their geodesic distances (m, WGS84). Candidates are picked
    by an equirectangular approximation with a 5% margin, then measured on the ellipsoid.
    """
    candidates = np.flatnonzero(usable_nodes(graph, usable))
    pts = graph.nodes[candidates]
    approx_km = 111.32 * np.hypot((pts[:, 0] - lon) * np.cos(np.radians(lat)), pts[:, 1] - lat)
    candidates = candidates[approx_km <= tolerance_km * 1.05 + 0.1]
    _, _, metres = geod().inv(np.full(len(candidates), lon), np.full(len(candidates), lat),
                              graph.nodes[candidates, 0], graph.nodes[candidates, 1])
    metres = np.atleast_1d(np.asarray(metres, dtype=float))
    keep = metres <= tolerance_km * 1000.0
    order = np.argsort(metres[keep], kind="stable")
    return candidates[keep][order], metres[keep][order]


def components(graph: OSMGraph, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The connected parts of the network of ``usable`` edges.

    Returns ``labels`` (per node: its part, -1 for a node on no usable edge) and ``km`` (per
    part: the length of its usable edges), from ``scipy.sparse.csgraph.connected_components``
    in one pass over the edges.
    """
    n = len(graph.nodes)
    u, v = graph.u[usable], graph.v[usable]
    matrix = csr_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    _, labels = connected_components(matrix, directed=False)
    labels = np.where(usable_nodes(graph, usable), labels, -1)
    km = np.bincount(labels[u], weights=graph.km[usable], minlength=int(labels.max()) + 1)
    return labels, km


def shortest_edges(graph: OSMGraph, weights: np.ndarray, usable: np.ndarray, source: int,
                   target: int) -> list[tuple[int, bool]] | None:
    """The shortest path as ``(edge, reversed)`` pairs over the ``usable`` edges, or None.

    ``scipy.sparse.csgraph.dijkstra`` on the graph's CSR structure (both directions of every
    edge, built once per graph); edges that are not usable weigh infinity, so a query costs
    one pass over the edge array and the search itself. Of parallel edges between two nodes
    the search and the path take the lightest.
    """
    if source == target:
        return []
    csr = graph.csr
    w = np.where(usable, np.maximum(weights, 1e-12), np.inf)[csr.edge]  # 0 would be "no edge"
    matrix = csr_matrix((w, csr.cols, csr.indptr), shape=(len(graph.nodes),) * 2)
    dist, pred = dijkstra(matrix, directed=True, indices=source, return_predecessors=True)
    if not np.isfinite(dist[target]):
        return None
    path = [target]
    while path[-1] != source:
        path.append(int(pred[path[-1]]))
    path.reverse()
    out = []
    for a, b in zip(path[:-1], path[1:], strict=True):
        lo, hi = csr.indptr[a], csr.indptr[a + 1]
        first = lo + int(np.searchsorted(csr.cols[lo:hi], b))
        last = lo + int(np.searchsorted(csr.cols[lo:hi], b, side="right"))
        k = first + int(np.argmin(w[first:last]))
        out.append((int(csr.edge[k]), bool(csr.reverse[k])))
    return out


def reachable(graph: OSMGraph, usable: np.ndarray, source: int, target: int) -> bool:
    """Whether ``target`` can be reached from ``source`` over the ``usable`` edges."""
    return shortest_edges(graph, np.ones(graph.edges), usable, source, target) is not None
