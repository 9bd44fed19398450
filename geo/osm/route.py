"""Route between two places on an imported OSM network, with every metric of the curated one.

:func:`compare_osm` is :func:`geo.compare` for the OSM network (``corridors compare ORIGIN
DEST --network osm``): constraints become edge masks of the graph of :mod:`geo.osm.graph`
(``mode``, ``status`` from the tags, ``avoid`` from whether each edge's midpoint lies in an
avoided territory), each place joins the network at a node (below), and
``scipy.sparse.csgraph`` finds the shortest path. Only that path is then overlaid with the
territories: its edges, merged into legs of the same mode, status and gauge, become a small
segments frame (plus a straight access line from each place to its node when they differ) for
:func:`geo.overlay.build_network`, and :func:`geo.path_metrics` gives km by country, border
crossings, gauge breaks, time and cost exactly as on the curated network.

Places (:func:`geo.osm.places.resolve_osm_place`): a place of ``places.csv`` by id or name; else coordinates
``"lat,lon"`` as maps copy them; else a station of a stations file (:mod:`geo.osm.stations`).
Coordinates and stations may lie anywhere the OSM file covers: km outside every territory of
the borders file count as :data:`OUTSIDE_BORDERS` (the overlay's open sea, ``SEA``, is never
a place for a railway or a road), with a note among the unknowns.

Where a place joins the network:

* With ``mode``, the path may use the given modes; each place joins at the nearest node of
  them within the snapping distance (a station or junction at the nearest rail node when
  rail is among them).
* Without ``mode``, the path keeps to one mode (OSM railways and roads meet only at level
  crossings, no place to change mode). Modes are tried in turn: rail first when a place is a
  station or junction (:data:`geo.osm.places.RAIL_PLACE_KINDS`, or a station of a stations file), then by
  how near each mode's nodes are to the two places; the first that connects them is used.
* In each mode, when the two nearest nodes are on parts of the network that do not meet
  under the constraints (a siding, a stub cut off at the edge of the extract), both places
  join the longest part (by km) that has a node within the snapping distance of each, at
  its nodes nearest to them. So a path is found whenever some mode connects the places
  within that distance; ``snap_notes`` of the result say which mode and nodes, and why.
* When none does, the error gives, per mode tried, the constraint that removed the last
  connection between the nearest nodes (or that the network does not connect them at all).

Gauge along the path: a leg's gauge set comes from the ``gauge`` tags; on dual-gauge track
(``1435;1520``) a train keeps the gauge it arrived with, so a break is counted where that
gauge ends, not where dual track begins (``gauge_mm`` of each leg is the gauge used).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from .. import settings
from .._errors import InputError, NoPathError, OSMError, UnknownPlaceError
from ..alternatives import corridor_text
from ..assumptions import load_assumptions
from ..data import load_territories, load_water
from ..files import data_path
from ..metrics import path_metrics
from ..overlay import build_network
from ..vocab import CASPIAN, MODES, SEA, STATUSES, WATER, parse_gauge
from .cache import cache_path, choose_cache, only_import
from .graph import (
    SNAP_TOLERANCE_KM,
    OSMGraph,
    Snap,
    components,
    edges_within,
    nodes_near,
    osm_graph,
    reachable,
    shortest_edges,
    snap_place,
    usable_nodes,
)
from .places import OSMPlace, places_frame, resolve_osm_place, unit_at
from .stations import cache_stations
from .store import read_metadata

WEIGHTS = ("length", "time")
#: The country of km outside every territory of the borders file (km_by_country key).
OUTSIDE_BORDERS = "outside the borders file"


def _codes(value, allowed, what: str) -> frozenset | None:
    if value is None:
        return None
    items = {value} if isinstance(value, str) else set(value)
    bad = sorted(items - set(allowed))
    if bad:
        msg = f"unknown {what} {', '.join(map(repr, bad))}; use one of {', '.join(sorted(allowed))}"
        raise ValueError(msg)
    return frozenset(items) or None


def compare_osm(
    origin: str,
    destination: str,
    *,
    cache: str | Path | None = None,
    stations: str | Path | None = None,
    avoid: str | Iterable[str] = (),
    status: str | Iterable[str] | None = None,
    mode: str | Iterable[str] | None = None,
    weight: str = "length",
    snap_km: float | None = None,
    data_dir: Path | str | None = None,
) -> list[dict]:
    """The shortest path on the OSM network from ``origin`` to ``destination``, with all metrics.

    Where each place joins the network (see the module docstring for the full rule): with
    ``mode``, the nearest node of those modes (a station or junction prefers rail); without
    it, the path keeps to one mode, tried in this order: rail when a place is a station or
    junction, then the mode whose network is nearest to both places, then the others. In each
    mode, when the two nearest nodes lie on parts of the network that do not meet (a siding,
    a stub cut off in the extract), both places join the longest part of the network that has
    a node within ``snap_km`` of each. A path is found whenever one mode connects the places.

    Parameters
    ----------
    origin, destination
        Each a place id or name in any language form, as for :func:`geo.compare`; else
        coordinates ``"lat,lon"``; else the name of a station of ``stations`` (see
        :func:`resolve_osm_place`).
    cache
        A way cache (``data/osm/import-*.parquet``); by default the one that covers both places.
    stations
        A stations file (JSON list of OSM stations, see :mod:`geo.osm.stations`) whose
        station names may be used as places.
    avoid, status, mode
        Constraints as for :func:`geo.compare` (ISO3 codes or ``AZE-NX``, ``SEA``,
        ``CASPIAN``; statuses; modes ``rail``/``road``).
    weight
        ``{"length", "time"}``: geodesic km, or hours at the assumed speeds.
    snap_km
        How far a place may be from the network (``geo.osm.graph.SNAP_TOLERANCE_KM``).

    Returns
    -------
    list of dict
        One alternative: :func:`geo.path_metrics` plus ``rank``, ``weight``, ``network``
        ("osm"), ``corridor`` (the names of the main OSM ways and the countries, e.g. ``"E1 /
        M1 (AAA > BBB)"``), ``geometry_source`` (file and date), ``snaps`` (each place, where
        it was found, its node, a way through it, the distance in m and the mode),
        ``snap_notes`` (why the path uses its mode and nodes, when not the obvious ones),
        ``geometry`` (the path, lon/lat LineString) and ``osm_way_ids``. Km outside every
        territory of the borders file are counted as :data:`OUTSIDE_BORDERS`, not as sea.

    Raises
    ------
    UnknownPlaceError
        A place is none of a place, coordinates or a station, or a name is ambiguous.
    InputError
        Coordinates out of range, or the same place twice.
    OSMError
        No cache, or a place farther than ``snap_km`` from every node of the modes tried.
    NoPathError
        The network does not connect the two places in any mode tried under the
        constraints; names, per mode, the constraint that removed the last connection.
    """
    if weight not in WEIGHTS:
        msg = f"unknown weight {weight!r}; use one of {', '.join(WEIGHTS)}"
        raise ValueError(msg)
    named = None if cache is None else cache_path(cache, data_dir)
    try:
        ends = [resolve_osm_place(text, stations=stations, data_dir=data_dir)
                for text in (origin, destination)]
    except UnknownPlaceError:
        if stations is not None:
            raise
        # no stations file: the stations the import kept, of the cache named or the only one
        named = named or only_import(data_dir)
        if named is None:
            raise
        kept = cache_stations(named, read_metadata(named))
        ends = [resolve_osm_place(text, data_dir=data_dir, imported=kept,
                                  imported_from=named.name) for text in (origin, destination)]
    if ends[0].id == ends[1].id or (ends[0].lon, ends[0].lat) == (ends[1].lon, ends[1].lat):
        msg = f"origin and destination are the same place ({ends[0].id!r})"
        raise InputError(msg)
    path = named if named is not None else choose_cache(
        data_dir=data_dir, mode=mode, margin_km=snap_km,
        covering={p.id: (p.lon, p.lat) for p in ends})
    graph = osm_graph(path)
    territories = load_territories(data_dir)
    water = load_water(data_dir)
    caspian = water.geometry.loc[CASPIAN] if CASPIAN in water.index else None
    rules = _Rules(graph, territories, caspian, avoid, _codes(status, STATUSES, "status"),
                   _codes(mode, MODES, "mode"))
    for p in ends:
        unit = unit_at(p.lon, p.lat, territories)
        hit = {unit, territories["iso3"].get(unit)} & rules.avoid
        if hit:
            msg = f"no path: {p.id!r} lies in {', '.join(sorted(hit))}, which is to be avoided"
            raise NoPathError(msg)
    weights = graph.km if weight == "length" else _hours(graph, data_dir)
    tolerance_km = SNAP_TOLERANCE_KM if snap_km is None else float(snap_km)
    modes, snaps, notes = _join(graph, rules, ends, tolerance_km)
    edges = shortest_edges(graph, weights, rules.mask(mode=modes), snaps[0].node, snaps[1].node)
    if not edges and not any(s.distance_m > 0 for s in snaps):
        msg = f"{ends[0].id!r} and {ends[1].id!r} snap to the same OSM node; nothing to measure"
        raise OSMError(msg)
    places = places_frame(ends)
    segments, junctions = path_frames(graph, edges, snaps, places, territories)
    net = build_network(segments, pd.concat([places, junctions]), territories, caspian,
                        folder=str(path))
    metrics = path_metrics([(sid, False) for sid in segments.index], data_dir, net=net)
    _count_outside(metrics, data_path("borders.geojson", data_dir))
    meta = read_metadata(path)
    metrics.update(
        rank=1, weight=weight, network="osm",
        corridor=osm_corridor_text(metrics, _way_names(graph, edges), modes),
        geometry_source=f"OpenStreetMap ({path.name}, imported {meta.get('date', '?')[:10]})",
        snaps=[{"place_id": p.id, "name": p.name, "found": p.source, "node_lon": s.lon,
                "node_lat": s.lat, "osm_way_id": s.way, "distance_m": s.distance_m,
                "mode": "/".join(sorted(modes))} for p, s in zip(ends, snaps, strict=True)],
        snap_notes=notes,
        geometry=shapely.line_merge(shapely.MultiLineString(list(segments.geometry))),
        osm_way_ids=sorted({int(w) for ids in segments["osm_way_ids"] for w in ids.split(",") if w}),
    )
    return [metrics]


# ---------------------------------------------------------------------------------------------
# Places: project places, coordinates and OSM stations


# ---------------------------------------------------------------------------------------------
# Where the places join the network, and in which mode


def _join(graph: OSMGraph, rules: _Rules, ends: list[OSMPlace],
          tolerance_km: float) -> tuple[frozenset, list[Snap], list[str]]:
    """The modes to route on, each place's node in them, and notes on the choice.

    Tries :func:`_mode_order` in turn; the first mode (set) that connects the places wins.
    Raises the one error of a single try, else :class:`~geo.NoPathError` giving each mode's
    reason (or :class:`~geo.OSMError` when every mode is too far from a place).
    """
    tries = _mode_order(graph, rules, ends, tolerance_km)
    where = Path(graph.source).name
    failed: list[tuple[str, Exception]] = []
    for modes, why in tries:
        what = "/".join(sorted(modes))
        try:
            snaps, notes = _connect(graph, rules, ends, modes, tolerance_km)
        except (NoPathError, OSMError) as err:
            failed.append((what, err))
            continue
        if rules.mode is None:
            done = "; ".join(f"not by {m}: {_reason(e, where)}" for m, e in failed)
            notes.insert(0, f"no --mode given: routed by {what} ({why})"
                         + (f"; {done}" if done else ""))
        return modes, snaps, notes
    if len(failed) == 1:
        raise failed[0][1]
    label = f"{ends[0].label} to {ends[1].label}"
    if all(isinstance(e, OSMError) for _, e in failed):
        every = rules.mask(avoid=frozenset(), status=None)
        for p in ends:  # raises for a place beyond the distance from every mode
            snap_place(graph, p.label, p.lon, p.lat, every, tolerance_km)
    reasons = "; ".join(f"by {m}, {_reason(e, where)}" for m, e in failed)
    msg = f"no path from {label} on the OSM network of {where} in any mode: {reasons}"
    raise NoPathError(msg)


def _reason(err: Exception, where: str) -> str:
    """The part of a no-path message after the places and the file (:meth:`_Rules.why_not`)."""
    return str(err).split(f" of {where}: ", 1)[-1] if isinstance(err, NoPathError) else str(err)


def _mode_order(graph: OSMGraph, rules: _Rules, ends: list[OSMPlace],
                tolerance_km: float) -> list[tuple[frozenset, str]]:
    """The modes to try, each with the reason it comes at its place in the order.

    The given modes together; or, without ``mode``, each mode of the network alone: rail
    first when a place is a station or junction, then by the summed distance from the two
    places to the nearest node of the mode (a mode beyond ``tolerance_km`` of a place last).
    """
    if rules.mode:
        return [(rules.mode, "")]
    rail_place = next((p for p in ends if p.rail), None)
    order = []
    for m in (m for m in MODES if np.any(graph.mode == m)):
        mask = rules.mask(avoid=frozenset(), status=None, mode=frozenset({m}))
        gaps = [nodes_near(graph, p.lon, p.lat, mask, tolerance_km)[1][:1] for p in ends]
        gap_m = sum(float(g[0]) if len(g) else np.inf for g in gaps)
        by_kind = m == "rail" and rail_place is not None
        order.append(((not by_kind, gap_m, MODES.index(m)), m, by_kind))
    order.sort()
    out = []
    for (_, gap_m, _), m, by_kind in order:
        if by_kind:
            why = f"{rail_place.label} is a {rail_place.kind}"
        elif len(order) == 1:
            why = f"the only mode of {Path(graph.source).name}"
        elif np.isfinite(gap_m):
            why = f"its nodes are the nearest to the two places, {gap_m / 1000:.1f} km in all"
        else:
            why = "the nearest mode to each place did not connect them"
        out.append((frozenset({m}), why))
    return out


def _connect(graph: OSMGraph, rules: _Rules, ends: list[OSMPlace], modes: frozenset,
             tolerance_km: float) -> tuple[list[Snap], list[str]]:
    """Each place's node on the network of ``modes`` under the constraints, connected.

    Candidates are the nodes of the ``modes`` within ``tolerance_km`` of each place (a
    station or junction takes rail nodes first when ``modes`` mixes rail with others). The
    nearest candidates when the usable edges connect them; else the nearest candidates in
    the longest connected part that has candidates of both places.
    """
    what = "/".join(sorted(modes))
    joins = rules.mask(avoid=frozenset(), status=None, mode=modes)  # where a place may join
    usable = rules.mask(mode=modes)
    rail = usable_nodes(graph, joins & (graph.mode == "rail")) if len(modes) > 1 else None
    near = []
    for p in ends:
        nodes, metres = nodes_near(graph, p.lon, p.lat, joins, tolerance_km)
        if not len(nodes):  # raises: how far the place is from the network
            snap_place(graph, p.label, p.lon, p.lat, joins, tolerance_km, what=what)
        if rail is not None and p.rail:
            first = np.argsort(~rail[nodes], kind="stable")
            nodes, metres = nodes[first], metres[first]
        near.append((nodes, metres))
    labels, part_km = components(graph, usable)
    (o_nodes, _), (d_nodes, _) = near
    picks = [0, 0]
    notes = []
    if labels[o_nodes[0]] < 0 or labels[o_nodes[0]] != labels[d_nodes[0]]:
        shared = (set(labels[o_nodes].tolist()) & set(labels[d_nodes].tolist())) - {-1}
        if not shared:
            raise NoPathError(rules.why_not(ends, int(o_nodes[0]), int(d_nodes[0]), modes))
        part = max(shared, key=lambda c: (part_km[c], -c))
        picks = [int(np.flatnonzero(labels[nodes] == part)[0]) for nodes, _ in near]
        for i, (p, (_, metres)) in enumerate(zip(ends, near, strict=True)):
            if picks[i]:
                notes.append(
                    f"{p.label} joins the {what} network {metres[picks[i]]:,.0f} m away, not at "
                    f"its nearest {what} node ({metres[0]:,.0f} m), which is on a part that "
                    f"does not reach {ends[1 - i].label}; the part joined has "
                    f"{part_km[part]:,.0f} km of {what}")
    snaps = []
    for p, (nodes, metres), i in zip(ends, near, picks, strict=True):
        node = int(nodes[i])
        touching = np.flatnonzero(usable & ((graph.u == node) | (graph.v == node)))
        snaps.append(Snap(p.label, node, float(graph.nodes[node, 0]), float(graph.nodes[node, 1]),
                          int(graph.way[touching[0]]), float(metres[i])))
    return snaps, notes


# ---------------------------------------------------------------------------------------------
# What the path is called, and km outside the borders file


def _way_names(graph: OSMGraph, edges: list[tuple[int, bool]], *,
               n: int = 3) -> list[tuple[str, float]]:
    """The ``n`` longest named OSM ways of the path (``ref``, else ``name``) with their km, in
    path order, and ``("", km)`` for the unnamed rest."""
    km: dict[str, float] = {}
    for e, _ in edges:
        km[str(graph.label[e])] = km.get(str(graph.label[e]), 0.0) + float(graph.km[e])
    top = sorted((k for k in km if k), key=km.get, reverse=True)[:n]
    return [(k, km[k]) for k in km if k in top] + [("", sum(v for k, v in km.items()
                                                           if k not in top))]


def osm_corridor_text(metrics: dict, names: list[tuple[str, float]], modes: frozenset) -> str:
    """A path's label: its main OSM ways and where it runs, ``"E1 / M1 (AAA > BBB)"``.

    ``names`` as :func:`_way_names` gives them: the named ways are listed, or "unnamed OSM
    rail" when no way has a name; "and unnamed ways" is added when they make up most of the
    length. The countries are the border crossings in order, or the country or countries of
    the km (:data:`OUTSIDE_BORDERS` where the path leaves the borders file).
    """
    named = [n for n, _ in names if n]
    unnamed = sum(km for n, km in names if not n)
    total = sum(km for _, km in names)
    ways = " / ".join(named) or f"unnamed OSM {' and '.join(sorted(modes))}"
    if named and total > 0 and unnamed > total / 2:
        ways += " and unnamed ways"
    if metrics["border_crossings"]:
        where = corridor_text(metrics)
    else:
        table = metrics["km_by_country"]
        units = sorted((k for k in table if k not in WATER), key=lambda k: -table[k])
        where = " and ".join(u if u == OUTSIDE_BORDERS else f"within {u}" for u in units)
    return f"{ways} ({where})" if where else ways


def _count_outside(metrics: dict, borders: Path) -> None:
    """Km on land outside every territory: :data:`OUTSIDE_BORDERS` instead of ``SEA``, noted.

    The overlay counts any part of a line outside the borders file's territories and the
    Caspian as open sea; OSM rail and road ways are on land (or bridges), so there it means
    that the borders file does not cover them.
    """
    km = metrics["km_by_unit"].get(SEA, 0.0)
    tables = [metrics["km_by_country"], metrics["km_by_unit"]]
    tables += [leg["km_by_country"] for leg in metrics["legs"] if leg.get("km_by_country")]
    for table in tables:
        if SEA in table:
            table[OUTSIDE_BORDERS] = table.get(OUTSIDE_BORDERS, 0.0) + table.pop(SEA)
    if km > 0:
        metrics["unknowns"].append(
            f"{km:,.1f} km of the path lie {OUTSIDE_BORDERS} ({borders}): their country is "
            "not known, and no border crossing there is counted")


def _hours(graph: OSMGraph, data_dir) -> np.ndarray:
    """Hours per edge at the assumed speed of its mode and status (the slowest if none is set)."""
    assumptions = load_assumptions(data_dir)
    slowest = min((a.value for a in assumptions.entries.values() if a.group == "speed_kmh"),
                  default=1.0)
    speed = np.full(graph.edges, slowest)
    for m, s in {(m, s) for m, s in zip(graph.mode, graph.status, strict=True)}:
        found = assumptions.per_mode("speed_kmh", m, s)
        if found:
            speed[(graph.mode == m) & (graph.status == s)] = found.value
    return graph.km / speed


class _Rules:
    """The constraints as edge masks, and the explanation when they disconnect two nodes."""

    def __init__(self, graph, territories, caspian, avoid, status, mode) -> None:
        codes = {str(c).strip().upper() for c in ([avoid] if isinstance(avoid, str) else avoid or ())}
        codes.discard("")
        iso3 = {str(u): str(c) for u, c in territories["iso3"].items()}
        known = set(iso3) | set(iso3.values()) | set(WATER)
        bad = sorted(codes - known)
        if bad:
            msg = (f"unknown country code(s) to avoid: {', '.join(bad)}; use ISO3 codes of the "
                   "borders file, AZE-NX, SEA or CASPIAN")
            raise ValueError(msg)
        self.graph, self.avoid, self.status, self.mode = graph, frozenset(codes), status, mode
        self.within = {code: self._area_mask(code, territories, caspian, iso3) for code in codes}

    def _area_mask(self, code: str, territories, caspian, iso3: dict) -> np.ndarray:
        """Edges whose midpoint lies in the unit or country ``code``, or on that water."""
        if code == SEA:  # off every territory and outside the Caspian
            land = [*territories.geometry, *([caspian] if caspian is not None else [])]
            return ~edges_within(self.graph, land)
        if code == CASPIAN:
            return edges_within(self.graph, [caspian] if caspian is not None else [])
        units = [u for u in iso3 if u == code or iso3[u] == code]
        return edges_within(self.graph, list(territories.geometry.loc[units]))

    def mask(self, avoid=None, status="all", mode="all") -> np.ndarray:
        avoid = self.avoid if avoid is None else avoid
        status = self.status if status == "all" else status
        mode = self.mode if mode == "all" else mode
        ok = np.ones(self.graph.edges, dtype=bool)
        if mode:
            ok &= np.isin(self.graph.mode, list(mode))
        if status:
            ok &= np.isin(self.graph.status, list(status))
        for code in avoid:
            ok &= ~self.within[code]
        return ok

    def why_not(self, ends: list[OSMPlace], a: int, b: int, modes: frozenset | None) -> str:
        """The no-path message for nodes ``a`` and ``b``: the constraint (avoided territories,
        then statuses, then ``modes``) whose addition removes the last connection."""
        label = f"{ends[0].label} to {ends[1].label}"
        where = Path(self.graph.source).name
        said = "the given constraints together remove the last connection"
        steps = [("avoid", c) for c in sorted(self.avoid)]
        steps += [("status", self.status)] if self.status else []
        steps += [("mode", modes)] if modes else []
        applied: dict = {"avoid": set(), "status": None, "mode": None}
        if not reachable(self.graph, np.ones(self.graph.edges, dtype=bool), a, b):
            said = "it does not connect their nearest nodes, even without constraints"
            steps = []
        for name, value in steps:
            if name == "avoid":
                applied["avoid"].add(value)
            else:
                applied[name] = value
            mask = self.mask(frozenset(applied["avoid"]), applied["status"], applied["mode"])
            if not reachable(self.graph, mask, a, b):
                said = (f"avoiding {value}" if name == "avoid" else
                        f"keeping only {name} {', '.join(sorted(value))}") + \
                    " removes the last connection"
                break
        return f"no path from {label} on the OSM network of {where}: {said}"


def carried_gauges(sets: list[frozenset]) -> list[int | None]:
    """The gauge a train uses on each leg, keeping its gauge across dual-gauge track.

    ``sets`` are the legs' gauge sets in path order (empty: unknown, or not rail). A forward
    pass keeps the gauges still possible since the last break; a backward pass picks, on
    each leg, the gauge of the next leg when possible, so a break falls where the gauge in
    use ends.
    """
    possible: list[frozenset] = []
    current: frozenset = frozenset()
    for s in sets:
        current = (current & s) or s if s else frozenset()
        possible.append(current)
    out: list[int | None] = [None] * len(sets)
    nxt: int | None = None
    for i in range(len(sets) - 1, -1, -1):
        if not possible[i]:
            nxt = None
            continue
        out[i] = nxt if nxt in possible[i] else min(possible[i])
        nxt = out[i]
    return out


def _node_id(graph: OSMGraph, node: int) -> str:
    """A junction's place id: ``osm@LAT,LON`` of the graph node (7 decimals, OSM's precision)."""
    lon, lat = graph.nodes[node]
    return f"osm@{lat:.7f},{lon:.7f}"


def path_frames(graph: OSMGraph, edges: list[tuple[int, bool]], snaps: list[Snap],
                ends: gpd.GeoDataFrame, territories) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The path as a segments frame (legs and access lines) and its junction places.

    Consecutive edges of the same mode, status and gauge set form one leg; a leg's name is
    the ``ref`` (else ``name``) of its longest way.
    """
    g = graph
    legs: list[dict] = []
    for e, rev in edges:
        key = (g.mode[e], g.status[e], g.gauge[e])
        start, end = (g.v[e], g.u[e]) if rev else (g.u[e], g.v[e])
        pts = g.edge_line(e, rev)
        if legs and legs[-1]["key"] == key:
            leg = legs[-1]
            leg["coords"].append(pts[1:])
            leg["to_node"] = end
        else:
            leg = {"key": key, "from_node": start, "to_node": end, "coords": [pts], "ways": {}}
            legs.append(leg)
        leg["ways"][int(g.way[e])] = leg["ways"].get(int(g.way[e]), 0.0) + float(g.km[e])
        leg.setdefault("labels", {})[int(g.way[e])] = str(g.label[e])
    o, d = ends.index
    chosen = carried_gauges([parse_gauge(leg["key"][2]) if leg["key"][0] == "rail" else frozenset()
                             for leg in legs])
    rows = []
    for leg, gauge_mm in zip(legs, chosen, strict=True):
        longest = max(leg["ways"], key=leg["ways"].get)
        name = leg["labels"][longest] or f"OSM way {longest}"
        rows.append({"from": _node_id(g, leg["from_node"]), "to": _node_id(g, leg["to_node"]),
                     "name": name, "mode": leg["key"][0], "status": leg["key"][1],
                     "gauge": leg["key"][2], "gauge_mm": gauge_mm,
                     "osm_way_ids": ",".join(str(w) for w in leg["ways"]),
                     "geometry": LineString(np.vstack(leg["coords"]))})
    for end_id, snap, at_start in ((o, snaps[0], True), (d, snaps[1], False)):
        node_id = _node_id(g, snap.node)
        near = (rows[0] if at_start else rows[-1]) if rows else None
        if snap.distance_m == 0 and rows:
            rows[0 if at_start else -1]["from" if at_start else "to"] = end_id
            continue
        place = (ends.at[end_id, "lon"], ends.at[end_id, "lat"])
        line = [place, (snap.lon, snap.lat)] if at_start else [(snap.lon, snap.lat), place]
        access = {"from": end_id if at_start else node_id, "to": node_id if at_start else end_id,
                  "name": "access to the OSM network (straight line)",
                  "mode": near["mode"] if near else "road", "status": "operational",
                  "gauge": near["gauge"] if near else "", "gauge_mm": near["gauge_mm"] if near else None,
                  "osm_way_ids": "", "geometry": LineString(line)}
        rows.insert(0, access) if at_start else rows.append(access)
    ids = [f"osm-{i + 1}" for i in range(len(rows))]
    segments = gpd.GeoDataFrame(rows, index=pd.Index(ids, name="id"), crs=settings.crs)
    segments["gauge_mm"] = pd.array(segments["gauge_mm"], dtype="Int64")
    segments["geometry_source"] = np.where(segments["osm_way_ids"] != "", "osm", "access line")
    inner = sorted({n for a, b in zip(segments["from"], segments["to"], strict=True)
                    for n in (a, b) if n.startswith("osm@")})
    pts = np.array([[float(v) for v in n[4:].split(",")][::-1] for n in inner]).reshape(-1, 2)
    units = [unit_at(x, y, territories) for x, y in pts]
    junctions = gpd.GeoDataFrame(
        {"lon": pts[:, 0], "lat": pts[:, 1], "kind": "junction",
         "name_en": [f"OSM junction at {y:.5f}, {x:.5f}" for x, y in pts],
         "country": [territories["iso3"].get(u, "") if u else "" for u in units]},
        geometry=gpd.points_from_xy(pts[:, 0], pts[:, 1]), index=pd.Index(inner, name="id"),
        crs=settings.crs)
    return segments, junctions

