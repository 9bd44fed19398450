"""Shortest paths on a segment graph: networkx below a size, scipy's csgraph above it.

``settings.routing_fast_min_edges`` decides: single shortest-path queries on graphs with at
least that many edges run on ``scipy.sparse.csgraph``, which ``bench/bench_metrics.py``
measured to be faster than networkx there.
"""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from . import settings
from .overlay import Network


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
    if not is_large(graph):
        return nx.dijkstra_path(graph, source, target, weight=weight)
    return csgraph_path(graph, source, target, weight)


def is_large(graph) -> bool:
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


def csgraph_path(graph, source, target, weight: str) -> list:
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


def cheapest_key(graph, u, v, weight: str) -> str:
    """The key of the lightest edge between ``u`` and ``v``."""
    return min(graph[u][v].items(), key=lambda kv: kv[1][weight])[0]


def node_path_to_steps(graph, nodes, weight: str, net: Network) -> list[tuple[str, bool]]:
    """The ``(segment id, reversed)`` steps of a node path, the lightest edge between each pair."""
    steps = []
    for u, v in pairwise(nodes):
        sid = cheapest_key(graph, u, v, weight)
        steps.append((sid, net.seg[sid]["from"] != u))
    return steps


