"""Routing on the segment network: place names, constrained graphs, k alternatives compared.

The network is an undirected ``networkx.MultiGraph``: nodes are place ids, each segment is an
edge keyed by its id. Constraints remove edges: ``avoid`` (segments that run through a country
for at least ``settings.crossing_tolerance_km``, or start or end there), ``status`` and
``mode`` (keep only the listed values). Alternatives are different corridors, each with every
metric of :func:`geo.path_metrics`.

Shortest paths are found by :mod:`geo.graph`; alternatives that are different corridors by
:mod:`geo.alternatives`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import networkx as nx

from . import settings
from ._errors import InputError, NoPathError
from .alternatives import corridor_text, corridors
from .assumptions import load_assumptions
from .dated import network_at
from .graph import cheapest_key, is_large, node_path_to_steps, shortest_path
from .lifecycle import Scenario
from .metrics import path_metrics, path_sections
from .names import resolve_place
from .overlay import Network, network
from .vocab import MODES, NOT_YET, STATUSES, WATER, WATER_MODES

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
    for sid, row in net.seg.items():
        if row["status"] == NOT_YET:  # not even announced on the network's date
            continue
        length = row["length_km"]  # the best estimate (geo.vocab.LENGTH_BASES)
        speed = assumptions.per_mode("speed_kmh", row["mode"], row["status"])
        g.add_edge(row["from"], row["to"], key=sid, segment=sid, length=length,
                   time=length / (speed.value if speed else slowest),
                   mode=row["mode"], status=row["status"], gauges=row["gauges"],
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
        edges are keyed by segment id with ``length`` (km, the best estimate: published
        chainage where the segment has one), ``time`` (h, travel only), ``mode``, ``status``,
        ``gauges`` (frozenset of mm) and ``areas`` (countries/units crossed).
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
    as_of: str | dt.date | None = None,
    scenario: Scenario | None = None,
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
        Rank by length (the best estimate, see :func:`geo.path_metrics`), or by estimated time
        (the corridors found are ranked by the full estimate, border, gauge and transshipment
        dwell included, so the order matches ``est_time_h``).
    data_dir : path, optional
        Data folder; ``settings.data_dir`` by default.
    variants : bool
        Also list paths of a corridor already found as alternatives of their own. By default
        each alternative is a different corridor (a different sequence of countries and seas
        crossed, see :mod:`geo.alternatives`) and the paths of the same corridor are listed in
        its ``variants``.
    net : Network, optional
        Route on this network (:func:`geo.overlay.build_network`, e.g. imported OpenStreetMap
        ways) instead of the curated network of ``data_dir``; its places must include
        ``origin`` and ``destination``.
    as_of, scenario
        Route on the curated network with the statuses of that date (a date or "today"),
        under that scenario (see :mod:`geo.lifecycle`); segments not yet announced then are
        left out, and ``status=["operational"]`` keeps what was (or is projected to be)
        operational on the date.

    Returns
    -------
    list of dict
        :func:`geo.path_metrics` of each path, plus ``rank``, ``weight``, ``corridor`` (the
        countries in order, e.g. ``"AZE > ARM > AZE-NX"``) and ``variants`` (the other paths
        of the same corridor found, each with ``length_km``, ``via`` and ``segments``) and
        ``sections`` (the named sections of routes it walks end to end, such as the
        Syunik/Meghri section, each with its own figures: :func:`geo.metrics.path_sections`).

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
        raise InputError(msg)
    if net is None:
        net = network_at(data_dir, as_of, scenario) if (as_of or scenario) else network(data_dir)
    avoid_set = _avoid_set(avoid, net)
    status_set = _as_set(status, STATUSES, "status")
    mode_set = _as_set(mode, MODES, "mode")
    base = _base(net, data_dir)
    graph = _constrained(base, avoid_set, status_set, mode_set)
    if not nx.has_path(graph, o, d):
        raise NoPathError(_why_no_path(base, net, o, d, avoid_set, status_set, mode_set))
    assumptions = load_assumptions(data_dir)

    def measure(steps: list[tuple[str, bool]]) -> dict:
        return path_metrics(steps, data_dir, assumptions=assumptions, net=net)

    if int(k) == 1 or is_large(graph):
        nodes = shortest_path(graph, o, d, weight=weight)
        results = [measure(node_path_to_steps(graph, nodes, weight, net))]
    else:
        results = corridors(graph, o, d, int(k), weight, net, measure, variants=variants)
    key = "est_time_h" if weight == "time" else "length_km"
    results.sort(key=lambda m: m[key])
    for rank, m in enumerate(results, start=1):
        m["rank"] = rank
        m["weight"] = weight
        m.setdefault("corridor", corridor_text(m))
        m.setdefault("variants", [])
        m["sections"] = path_sections(m["steps"], data_dir, net=net, assumptions=assumptions)
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
        key = cheapest_key(before, u, v, "length")
        data = before[u][v][key]
        if name == "avoid" and value in data["areas"]:
            removed.append(key)
        elif name in ("status", "mode") and data[name] not in value:
            removed.append(f"{key} ({data[name]})")
    if not removed:
        return ""
    return f" (the shortest path left before it uses {', '.join(removed)})"
