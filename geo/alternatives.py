"""Alternatives that are different corridors, with near-identical paths folded in as variants.

The rule: a **corridor** is the sequence of border crossings a path makes, each as (from
unit, to unit, by land or by sea), with Nakhchivan (``AZE-NX``) as its own unit; a path that
makes no crossing is the corridor of its one country. Two paths are the same corridor when they
cross the same borders in the same order, whatever lines they take within each country. So
Baku -> Nakhchivan has three corridors in the shipped data: through Armenia (the Meghri
section), through Iran (the Aras road, or rail via Jolfa) and through Georgia and Turkey
(Kars-Igdir). Each alternative returned is a different corridor; the other paths found for a
corridor are listed with it as ``variants``. This answers the question users ask ("via
Armenia, via Iran or via Turkey?") and keeps a parallel road stub or a second line through the
same country from filling the list. A further corridor is offered only when it is at most
``MAX_DETOUR`` times as long as the shortest one found and passes no country twice.

The search: the k shortest loop-free paths (Yen's algorithm on the network with its
branch-free runs joined into chains) are examined, up to ``YEN_CANDIDATES_PER_CORRIDOR * k``
of them; when that finds fewer than k corridors, the edges of the corridors found are
penalised (weights multiplied by 1 + a penalty that grows each round) and the shortest path
under the penalties is examined, until k corridors are found or ``PENALTY_ROUNDS`` rounds
bring nothing new. Every path examined is measured with its true weights.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

import networkx as nx

from .graph import node_path_to_steps
from .overlay import Network
from .vocab import WATER

YEN_CANDIDATES_PER_CORRIDOR = 15
PENALTY_ROUNDS = 8
PENALTY_START = 1.0
PENALTY_GROWTH = 3.0
MAX_VARIANTS = 5
# A further corridor is offered only when it is at most this many times as long as the shortest
# one found, and when it does not pass through the same country twice.
MAX_DETOUR = 3.0

Steps = list[tuple[str, bool]]

__all__ = ["corridor_key", "corridor_text", "corridors", "via_text"]


def corridor_key(metrics: dict) -> tuple:
    """The corridor of a measured path: its border crossings in order, or its one unit."""
    crossings = metrics["border_crossings"]
    if not crossings:
        return (tuple(sorted(u for u in metrics["km_by_unit"] if u not in WATER)),)
    return tuple((c["from_unit"], c["to_unit"], c["via"]) for c in crossings)


def corridor_text(metrics: dict) -> str:
    """The units a path passes, in order: ``"AZE > ARM > AZE-NX"`` (``~`` marks a sea crossing)."""
    crossings = metrics["border_crossings"]
    if not crossings:
        return "within one country"
    parts = [crossings[0]["from_unit"]]
    for c in crossings:
        parts.append(("~ " if c["via"] == "sea" else "") + c["to_unit"])
    return " > ".join(parts)


def corridors(
    graph: nx.MultiGraph,
    source: str,
    target: str,
    k: int,
    weight: str,
    net: Network,
    measure: Callable[[Steps], dict],
    *,
    variants: bool = False,
) -> list[dict]:
    """Up to ``k`` paths from ``source`` to ``target``, each a different corridor.

    Parameters
    ----------
    graph
        The constrained segment graph (edges keyed by segment id, with ``weight``).
    k
        How many corridors at most.
    weight
        Edge attribute to minimise: ``"length"`` or ``"time"``.
    net
        The network the graph was built from.
    measure
        Path metrics of a list of steps (:func:`geo.path_metrics` with the caller's options).
    variants
        Return every distinct path found (up to ``k``), not one per corridor.

    Returns
    -------
    list of dict
        The metrics of each corridor's best path, in the order found, with ``corridor`` (text,
        see :func:`corridor_text`) and ``variants`` (the corridor's other paths: ``length_km``,
        ``via`` and ``segments``, best first, at most ``MAX_VARIANTS``).
    """
    found = _Found(k, measure, variants=variants)
    chains = _chains(graph, {source, target}, weight, net)
    sub = nx.Graph()
    for i, (u, v, _steps, w) in enumerate(chains):
        sub.add_edge(u, ("chain", i), w=w / 2.0)
        sub.add_edge(("chain", i), v, w=w / 2.0)
    for nodes in islice(nx.shortest_simple_paths(sub, source, target, weight="w"),
                        YEN_CANDIDATES_PER_CORRIDOR * k):
        steps: Steps = []
        for i in range(1, len(nodes) - 1, 2):
            u, _v, part, _w = chains[nodes[i][1]]
            steps += part if nodes[i - 1] == u else [(sid, not rev) for sid, rev in reversed(part)]
        found.examine(steps)
        if found.full():
            return found.results()
    penalty = PENALTY_START
    for _ in range(PENALTY_ROUNDS):
        if found.full():
            break
        steps = _penalised_path(graph, source, target, weight, net, found.used_segments(), penalty)
        if steps is None:
            break
        new = found.examine(steps)
        penalty = penalty if new else penalty * PENALTY_GROWTH
    return found.results()


class _Found:
    """The corridors found so far, each with its best path and its variants."""

    def __init__(self, k: int, measure: Callable[[Steps], dict], *, variants: bool) -> None:
        self.k, self.measure, self.all_paths = k, measure, variants
        self.best: dict[tuple, dict] = {}
        self.seen: set[tuple] = set()

    def examine(self, steps: Steps) -> bool:
        """Measure a path and file it; True when it is a new corridor (or a new path)."""
        key_steps = tuple(steps)
        if key_steps in self.seen:
            return False
        self.seen.add(key_steps)
        metrics = self.measure(steps)
        key = key_steps if self.all_paths else corridor_key(metrics)
        if key not in self.best and self.best and not self._worth_offering(metrics):
            return False
        if key not in self.best:
            metrics["corridor"] = corridor_text(metrics)
            metrics["variants"] = []
            self.best[key] = metrics
            return True
        best = self.best[key]
        if len(best["variants"]) < MAX_VARIANTS:
            best["variants"].append({"length_km": metrics["length_km"], "via": via_text(metrics),
                                     "segments": metrics["segments"]})
        return False

    def _worth_offering(self, metrics: dict) -> bool:
        shortest = min(m["length_km"] for m in self.best.values())
        if metrics["length_km"] > MAX_DETOUR * shortest:
            return False
        units = [c["to_unit"] for c in metrics["border_crossings"]]
        return len(units) == len(set(units))

    def full(self) -> bool:
        return len(self.best) >= self.k

    def used_segments(self) -> dict[str, int]:
        """How many corridors found use each segment (their best paths and variants)."""
        uses: dict[str, int] = {}
        for m in self.best.values():
            for sid in {*m["segments"], *(s for v in m["variants"] for s in v["segments"])}:
                uses[sid] = uses.get(sid, 0) + 1
        return uses

    def results(self) -> list[dict]:
        out = list(self.best.values())[: self.k]
        for m in out:
            m["variants"].sort(key=lambda v: v["length_km"])
        return out


def _penalised_path(graph, source, target, weight, net, uses, penalty) -> Steps | None:
    """The shortest path when each segment's weight grows by ``penalty`` per corridor using it."""
    g = nx.MultiGraph()
    g.add_nodes_from(graph.nodes)
    for u, v, key, data in graph.edges(keys=True, data=True):
        g.add_edge(u, v, key=key, penalised=data[weight] * (1.0 + penalty * uses.get(key, 0)))
    try:
        nodes = nx.dijkstra_path(g, source, target, weight="penalised")
    except nx.NetworkXNoPath:
        return None
    return node_path_to_steps(g, nodes, "penalised", net)


def via_text(metrics: dict) -> str:
    """Places in order with the mode of each leg: ``baku -rail- alat -rail- ...``."""
    parts = [metrics["nodes"][0]]
    parts += [f"-{leg['mode']}- {leg['to']}" for leg in metrics["legs"]]
    return " ".join(parts)


def _chains(graph, keep: set, weight: str, net: Network) -> list[tuple]:
    """Maximal runs of edges whose inner places have exactly two edges (and are not in ``keep``).

    Returns ``(u, v, steps, total_weight)`` per chain, ``steps`` walking from ``u`` to ``v``.
    A loop from a place back to itself cannot be part of a loop-free path and is left out.
    Parallel chains (a road and a railway between the same towns) stay distinct.
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
                _, nxt, key, data = next(
                    e for e in graph.edges(at, keys=True, data=True) if e[2] != last)
                used.add(key)
                steps.append((key, net.seg[key]["from"] != at))
                total, at, last = total + data[weight], nxt, key
            if at != start:
                out.append((start, at, steps, total))
    return out

