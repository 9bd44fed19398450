"""Routing on the segment network: place names, constrained graphs, k alternatives compared.

The network is an undirected ``networkx.MultiGraph``: nodes are place ids, each segment is an
edge keyed by its id. Constraints remove edges: ``avoid`` (segments that run through a country
for at least ``settings.crossing_tolerance_km``, or start or end there), ``status`` and
``mode`` (keep only the listed values). Alternatives are the k shortest loop-free paths (Yen's
algorithm, ``networkx.shortest_simple_paths``) by length or by time; each comes with every
metric of :func:`geo.path_metrics`.

Single shortest-path queries on large graphs (``settings.routing_fast_min_edges`` edges or
more) run on ``scipy.sparse.csgraph``, which ``bench/bench_metrics.py`` measured to be faster
than networkx there.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import islice, pairwise
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from . import settings
from ._errors import NoPathError
from .assumptions import load_assumptions
from .metrics import path_metrics
from .names import resolve_place
from .overlay import Network, network
from .vocab import MODES, STATUSES, WATER, WATER_MODES

WEIGHTS = ("length", "time")

__all__ = ["build_graph", "compare", "shortest_path"]


# ---------------------------------------------------------------------------------------------
# Graph


def _as_set(value, allowed, what: str) -> frozenset | None:
    if value is None:
        return None
    items = {value} if isinstance(value, str) else set(value)
    if not items:
        return None
    bad = sorted(items - set(allowed))
    if bad:
        msg = f"unknown {what} {', '.join(map(repr, bad))}; use one of {', '.join(sorted(allowed))}"
        raise ValueError(msg)
    return frozenset(items)


def _avoid_set(avoid, net) -> frozenset:
    codes = {str(c).strip().upper() for c in ([avoid] if isinstance(avoid, str) else avoid or ())}
    known = set(net.unit_iso3) | set(net.unit_iso3.values()) | set(WATER)
    bad = sorted(codes - known)
    if bad:
        msg = (f"unknown country code(s) to avoid: {', '.join(bad)}; use ISO3 codes of the "
               f"borders file (e.g. {', '.join(sorted(set(net.unit_iso3.values()))[:6])} ...), "
               "AZE-NX, SEA or CASPIAN")
        raise ValueError(msg)
    return frozenset(codes)


def _edge_areas(net, sid: str) -> frozenset:
    """Countries, units and water a segment runs through (by more than the wiggle tolerance).

    Water counts only for sea and ferry segments: a railway or road drawn across a bay of the
    1:10m coastline does not make it a sea route.
    """
    row = net.segments.loc[sid]
    limit = min(settings.crossing_tolerance_km, 0.5 * float(row["length_km"]))
    out = {u for u, km in row["km_by_unit"].items()
           if km >= limit and (u not in WATER or row["mode"] in WATER_MODES)}
    out |= {net.unit_iso3.get(u, u) for u in out}
    for end in (row["from"], row["to"]):
        unit = net.place_unit.get(end)
        if unit:
            out |= {unit, net.unit_iso3.get(unit, unit)}
    return frozenset(out)


@lru_cache(maxsize=4)
def _base_graph(net, assumptions) -> nx.MultiGraph:
    g = nx.MultiGraph()
    for pid, row in net.places.iterrows():
        g.add_node(pid, name=row["name_en"], kind=row["kind"], country=row["country"],
                   lon=float(row["lon"]), lat=float(row["lat"]))
    # a mode without an assumed speed is ranked at the slowest assumed one (path_metrics says so)
    slowest = min((a.value for a in assumptions.entries.values() if a.group == "speed_kmh"),
                  default=1.0)
    for sid, row in net.segments.iterrows():
        length = float(row["length_km"])
        speed = assumptions.per_mode("speed_kmh", row["mode"], row["status"])
        g.add_edge(row["from"], row["to"], key=sid, segment=sid, length=length,
                   time=length / (speed.value if speed else slowest),
                   mode=row["mode"], status=row["status"],
                   gauge_mm=None if pd.isna(row["gauge_mm"]) else int(row["gauge_mm"]),
                   areas=_edge_areas(net, sid))
    return g


def build_graph(
    data_dir: Path | str | None = None,
    *,
    avoid: str | Iterable[str] = (),
    status: str | Iterable[str] | None = None,
    mode: str | Iterable[str] | None = None,
    net: Network | None = None,
) -> nx.MultiGraph:
    """The segment network as an undirected ``networkx.MultiGraph`` under the given constraints.

    Parameters
    ----------
    data_dir : path, optional
        Data folder; ``settings.data_dir`` by default.
    avoid : iterable of str
        ISO3 codes (or ``AZE-NX``, ``SEA``, ``CASPIAN``): drop segments running through them.
    status : str or iterable of str, optional
        Keep only segments with these statuses (``operational``, ``planned`` ...).
    mode : str or iterable of str, optional
        Keep only segments of these modes {"rail", "road", "sea", "ferry"}.

    net : Network, optional
        The network to build the graph of; the curated network of ``data_dir`` by default.

    Returns
    -------
    networkx.MultiGraph
        Nodes are place ids (attributes ``name``, ``kind``, ``country``, ``lon``, ``lat``);
        edges are keyed by segment id with ``length`` (km), ``time`` (h, travel only),
        ``mode``, ``status``, ``gauge_mm`` and ``areas`` (countries/units crossed).
    """
    net = net or network(data_dir)
    avoid_set = _avoid_set(avoid, net)
    status_set = _as_set(status, STATUSES, "status")
    mode_set = _as_set(mode, MODES, "mode")
    return _constrained(_base(net, data_dir), avoid_set, status_set, mode_set)


def _base(net, data_dir) -> nx.MultiGraph:
    """The unconstrained graph, cached per data version and assumptions (do not modify)."""
    return _base_graph(net, load_assumptions(data_dir))


def _constrained(base: nx.MultiGraph, avoid_set, status_set, mode_set) -> nx.MultiGraph:
    if not avoid_set and status_set is None and mode_set is None:
        return base.copy()
    g = nx.MultiGraph()
    g.add_nodes_from(base.nodes(data=True))
    g.add_edges_from(
        (u, v, k, d) for u, v, k, d in base.edges(keys=True, data=True)
        if not (d["areas"] & avoid_set)
        and (status_set is None or d["status"] in status_set)
        and (mode_set is None or d["mode"] in mode_set)
    )
    return g


# ---------------------------------------------------------------------------------------------
# Shortest paths


def shortest_path(graph: nx.MultiGraph, source, target, *, weight: str = "length") -> list:
    """Node list of the shortest path by edge attribute ``weight``.

    networkx below ``settings.routing_fast_min_edges`` edges, ``scipy.sparse.csgraph.dijkstra``
    above. The engine choice and the sparse matrix are kept in ``graph.graph`` after the first
    query (rebuilt when the number of nodes changes), so do not add or remove edges of a graph
    between queries without a node count change; :func:`build_graph` returns a fresh graph.

    Raises
    ------
    networkx.NetworkXNoPath
        When no path links the two nodes.
    """
    if not _is_large(graph):
        return nx.dijkstra_path(graph, source, target, weight=weight)
    return _csgraph_path(graph, source, target, weight)


def _is_large(graph) -> bool:
    """Whether ``graph`` has ``settings.routing_fast_min_edges`` edges or more (cached).

    Counting the edges of a networkx graph walks every node (60 ms at 100,000 edges), more
    than a scipy query itself, so the answer is kept with the node count it was made for.
    """
    key = (graph.number_of_nodes(), settings.routing_fast_min_edges)
    seen = graph.graph.get("_large")
    if seen is None or seen[0] != key:
        seen = (key, graph.number_of_edges() >= settings.routing_fast_min_edges)
        graph.graph["_large"] = seen
    return seen[1]


def _csgraph_matrix(graph, weight: str):
    cache = graph.graph.setdefault("_csgraph", {})
    size = graph.number_of_nodes()
    if weight in cache and cache[weight][0] == size:
        return cache[weight][1:]
    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    multi = graph.is_multigraph()
    for u, nbrs in graph.adjacency():  # each undirected edge is seen from both ends
        iu = index[u]
        for v, attrs in nbrs.items():
            rows.append(iu)
            cols.append(index[v])
            if multi:  # parallel edges: keep the lightest
                vals.append(min(d.get(weight, 1.0) for d in attrs.values()))
            else:
                vals.append(attrs.get(weight, 1.0))
    w = np.maximum(np.asarray(vals, dtype=float), 1e-12)  # csgraph reads an explicit 0 as "no edge"
    matrix = csr_matrix((w, (np.asarray(rows), np.asarray(cols))), shape=(len(nodes), len(nodes)))
    cache[weight] = (size, matrix, nodes, index)
    return matrix, nodes, index


def _csgraph_path(graph, source, target, weight: str) -> list:
    matrix, nodes, index = _csgraph_matrix(graph, weight)
    src, dst = index[source], index[target]
    dist, pred = dijkstra(matrix, directed=True, indices=src, return_predecessors=True)
    if not np.isfinite(dist[dst]):
        msg = f"no path between {source!r} and {target!r}"
        raise nx.NetworkXNoPath(msg)
    out = [dst]
    while out[-1] != src:
        out.append(int(pred[out[-1]]))
    return [nodes[i] for i in reversed(out)]


def _cheapest_key(graph, u, v, weight: str) -> str:
    return min(graph[u][v].items(), key=lambda kv: kv[1][weight])[0]


def _node_path_to_steps(graph, nodes, weight: str, net) -> list[tuple[str, bool]]:
    steps = []
    for u, v in pairwise(nodes):
        sid = _cheapest_key(graph, u, v, weight)
        steps.append((sid, net.seg[sid]["from"] != u))
    return steps


def _k_paths(graph, source, target, k: int, weight: str, net, *, variants: bool) -> list:
    """Up to ``k`` loop-free paths as step lists, best first (Yen on a subdivided graph).

    Runs of segments through places where nothing branches are first joined into chains
    (the shipped network shrinks to a few dozen), and each chain becomes its own node between
    its two ends, so parallel chains (a road and a railway between the same towns) are
    distinct paths. Unless ``variants``, a path
    through the same places with the same main mode as a better one is skipped (at most
    ``CANDIDATES_PER_PATH * k`` paths are examined).
    """
    if k == 1 or _is_large(graph):
        return [_node_path_to_steps(graph, shortest_path(graph, source, target, weight=weight),
                                    weight, net)]
    chains = _chains(graph, {source, target}, weight, net)
    sub = nx.Graph()
    for i, (u, v, _steps, w) in enumerate(chains):
        sub.add_edge(u, ("chain", i), w=w / 2.0)
        sub.add_edge(("chain", i), v, w=w / 2.0)
    out, seen = [], set()
    candidates = nx.shortest_simple_paths(sub, source, target, weight="w")
    for nodes in islice(candidates, CANDIDATES_PER_PATH * k):
        steps = []
        for i in range(1, len(nodes) - 1, 2):
            u, _v, part, _w = chains[nodes[i][1]]
            steps += part if nodes[i - 1] == u else [(sid, not rev) for sid, rev in reversed(part)]
        key = _variant_key(steps, net)
        if not variants and key in seen:
            continue
        seen.add(key)
        out.append(steps)
        if len(out) == k:
            break
    return out


CANDIDATES_PER_PATH = 10


def _chains(graph, keep: set, weight: str, net) -> list[tuple]:
    """Maximal runs of edges whose inner places have exactly two edges (and are not in ``keep``).

    Returns ``(u, v, steps, total_weight)`` per chain, ``steps`` walking from ``u`` to ``v``.
    A loop from a place back to itself cannot be part of a loop-free path and is left out.
    """
    def junction(n) -> bool:
        return n in keep or graph.degree(n) != 2

    used: set = set()
    out = []
    for start in graph.nodes:
        if not junction(start):
            continue
        for _, nxt, key, data in graph.edges(start, keys=True, data=True):
            if key in used:
                continue
            used.add(key)
            steps = [(key, net.seg[key]["from"] != start)]
            total, at, last = data[weight], nxt, key
            while not junction(at):
                _, nxt, key, data = next(e for e in graph.edges(at, keys=True, data=True) if e[2] != last)
                used.add(key)
                steps.append((key, net.seg[key]["from"] != at))
                total, at, last = total + data[weight], nxt, key
            if at != start:
                out.append((start, at, steps, total))
    return out


def _variant_key(steps, net) -> tuple:
    """Places visited in order and the mode with the most km: paths sharing both are variants."""
    first, rev = steps[0]
    places = [net.seg[first]["to" if rev else "from"]]
    by_mode: dict = {}
    for sid, rev in steps:
        seg = net.seg[sid]
        places.append(seg["from"] if rev else seg["to"])
        by_mode[seg["mode"]] = by_mode.get(seg["mode"], 0.0) + seg["length_km"]
    return tuple(places), max(by_mode, key=by_mode.get)


# ---------------------------------------------------------------------------------------------
# Compare


def compare(
    origin: str,
    destination: str,
    *,
    avoid: str | Iterable[str] = (),
    status: str | Iterable[str] | None = None,
    mode: str | Iterable[str] | None = None,
    k: int = 3,
    weight: str = "length",
    data_dir: Path | str | None = None,
    variants: bool = False,
    net: Network | None = None,
) -> list[dict]:
    """Up to ``k`` alternative paths from ``origin`` to ``destination`` with all their metrics.

    Parameters
    ----------
    origin, destination : str
        Place ids or names in any language form (see :func:`resolve_place`).
    avoid, status, mode
        Constraints, as for :func:`build_graph`.
    k : int
        How many alternatives at most (loop-free, best first).
    weight : {"length", "time"}
        Rank by geodesic length, or by estimated time. For ``time``, the 3k fastest paths by
        travel time are re-ranked by the full estimate (border, gauge and transshipment dwell
        included), so the order matches ``est_time_h``.
    data_dir : path, optional
        Data folder; ``settings.data_dir`` by default.
    variants : bool
        Also list paths that pass through the same places with the same main mode as a better
        one (e.g. swapping a short road stub for a parallel rail stub). By default they are
        skipped, so the alternatives differ in where they go or by which main mode.
    net : Network, optional
        Route on this network (:func:`geo.overlay.build_network`, e.g. imported OpenStreetMap
        ways) instead of the curated network of ``data_dir``; its places must include
        ``origin`` and ``destination``.

    Returns
    -------
    list of dict
        :func:`geo.path_metrics` of each path, plus ``rank`` and ``weight``.

    Raises
    ------
    UnknownPlaceError
        A name matches no place (with suggestions) or several.
    NoPathError
        No path under the constraints; the message names the constraint that removed the
        last connection.
    """
    if weight not in WEIGHTS:
        msg = f"unknown weight {weight!r}; use one of {', '.join(WEIGHTS)}"
        raise ValueError(msg)
    if int(k) < 1:
        msg = f"k must be at least 1, not {k!r}"
        raise ValueError(msg)
    o = resolve_place(origin, data_dir)
    d = resolve_place(destination, data_dir)
    if o == d:
        msg = f"origin and destination are the same place ({o!r})"
        raise ValueError(msg)
    net = net or network(data_dir)
    avoid_set = _avoid_set(avoid, net)
    status_set = _as_set(status, STATUSES, "status")
    mode_set = _as_set(mode, MODES, "mode")
    base = _base(net, data_dir)
    graph = _constrained(base, avoid_set, status_set, mode_set)
    if not nx.has_path(graph, o, d):
        raise NoPathError(_why_no_path(base, net, o, d, avoid_set, status_set, mode_set))
    assumptions = load_assumptions(data_dir)
    want = int(k) * 3 if weight == "time" else int(k)
    paths = _k_paths(graph, o, d, want, weight, net, variants=variants)
    results = [path_metrics(steps, data_dir, assumptions=assumptions, net=net) for steps in paths]
    if weight == "time":
        results.sort(key=lambda m: m["est_time_h"])
    results = results[: int(k)]
    for rank, m in enumerate(results, start=1):
        m["rank"] = rank
        m["weight"] = weight
    return results


def _describe(name: str, value) -> str:
    if name == "avoid":
        return f"avoiding {value}"
    return f"keeping only {name} {', '.join(sorted(value))}"


def _why_no_path(base, net, o, d, avoid_set, status_set, mode_set) -> str:
    """Apply the constraints one by one and name the one after which o and d are disconnected."""
    places = net.places
    label = f"{places.at[o, 'name_en']} ({o}) to {places.at[d, 'name_en']} ({d})"
    for pid in (o, d):
        if base.degree(pid) == 0:
            return f"no path from {label}: {pid!r} has no segment in the network"
    if not nx.has_path(base, o, d):
        return f"no path from {label}: the network does not connect them, even without constraints"
    for pid in (o, d):
        unit = net.place_unit.get(pid)
        hit = {unit, net.unit_iso3.get(unit)} & avoid_set
        if hit:
            return (f"no path from {label}: {pid!r} lies in {', '.join(sorted(hit))}, "
                    "which is to be avoided")
    steps: list = [("avoid", c) for c in sorted(avoid_set)]
    if status_set is not None:
        steps.append(("status", status_set))
    if mode_set is not None:
        steps.append(("mode", mode_set))
    applied_avoid: set = set()
    applied = {"status": None, "mode": None}
    before = base
    for name, value in steps:
        if name == "avoid":
            applied_avoid.add(value)
        else:
            applied[name] = value
        graph = _constrained(base, frozenset(applied_avoid), applied["status"], applied["mode"])
        if not nx.has_path(graph, o, d):
            done = [_describe(n, v) for n, v in steps[: steps.index((name, value))]]
            context = f" after {' and '.join(done)}" if done else ""
            detail = _blocking_detail(before, o, d, name, value)
            return (f"no path from {label}: {_describe(name, value)} removes the last "
                    f"connection{context}{detail}")
        before = graph
    return f"no path from {label} under the given constraints"


def _blocking_detail(before, o, d, name, value) -> str:
    """Which segments of the best remaining path the blocking constraint removes."""
    try:
        nodes = nx.dijkstra_path(before, o, d, weight="length")
    except nx.NetworkXNoPath:
        return ""
    removed = []
    for u, v in pairwise(nodes):
        key = _cheapest_key(before, u, v, "length")
        data = before[u][v][key]
        if name == "avoid" and value in data["areas"]:
            removed.append(key)
        elif name in ("status", "mode") and data[name] not in value:
            removed.append(f"{key} ({data[name]})")
    if not removed:
        return ""
    return f" (the shortest path left before it uses {', '.join(removed)})"
