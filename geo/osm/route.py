"""Route between two places on an imported OSM network, with every metric of the curated one.

:func:`compare_osm` is :func:`geo.compare` for the OSM network (``corridors compare ORIGIN
DEST --network osm``): constraints become edge masks of the graph of :mod:`geo.osm.graph`
(``mode``, ``status`` from the tags, ``avoid`` from whether each edge's midpoint lies in an
avoided territory), each place snaps to the nearest node of its mode's network, and
``scipy.sparse.csgraph`` finds the shortest path. Only that path is then overlaid with the
territories: its edges, merged into legs of the same mode, status and gauge, become a small
segments frame (plus a straight access line from each place to its node when they differ) for
:func:`geo.overlay.build_network`, and :func:`geo.path_metrics` gives km by country, border
crossings, gauge breaks, time and cost exactly as on the curated network.

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
from .._errors import InputError, NoPathError, OSMError
from ..assumptions import load_assumptions
from ..data import load_places, load_territories, load_water
from ..metrics import path_metrics
from ..names import resolve_place
from ..overlay import build_network
from ..snapped import osm_dir
from ..vocab import CASPIAN, MODES, SEA, STATUSES, WATER, parse_gauge
from .cache import cache_files
from .graph import OSMGraph, Snap, edges_within, osm_graph, reachable, shortest_edges, snap_place
from .store import read_metadata

WEIGHTS = ("length", "time")


def default_cache(data_dir: Path | str | None = None) -> Path:
    """The newest ``import-*.parquet`` of the OSM folder (else the newest cache of any kind)."""
    files = cache_files(data_dir)
    imports = [p for p in files if p.name.startswith("import-")]
    if not files:
        msg = (f"no imported OpenStreetMap network in {osm_dir(data_dir)}: run "
               "`corridors osm import FILE.osm.pbf` first")
        raise OSMError(msg)
    return (imports or files)[0]


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
    avoid: str | Iterable[str] = (),
    status: str | Iterable[str] | None = None,
    mode: str | Iterable[str] | None = None,
    weight: str = "length",
    snap_km: float | None = None,
    data_dir: Path | str | None = None,
) -> list[dict]:
    """The shortest path on the OSM network from ``origin`` to ``destination``, with all metrics.

    Parameters
    ----------
    origin, destination
        Place ids or names in any language form, as for :func:`geo.compare`.
    cache
        A way cache (``data/osm/import-*.parquet``); the newest import by default.
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
        ("osm"), ``geometry_source`` (file and date), ``snaps`` (each place's node, a way
        through it and the distance in m) and ``geometry`` (the path, lon/lat LineString).

    Raises
    ------
    OSMError
        No cache, or a place farther than ``snap_km`` from every usable node.
    NoPathError
        The network does not connect the two nodes under the constraints; names the
        constraint that removed the last connection.
    """
    if weight not in WEIGHTS:
        msg = f"unknown weight {weight!r}; use one of {', '.join(WEIGHTS)}"
        raise ValueError(msg)
    o, d = resolve_place(origin, data_dir), resolve_place(destination, data_dir)
    if o == d:
        msg = f"origin and destination are the same place ({o!r})"
        raise InputError(msg)
    path = Path(cache) if cache is not None else default_cache(data_dir)
    if not path.exists() and not path.is_absolute():
        path = osm_dir(data_dir) / path
    graph = osm_graph(path)
    places = load_places(data_dir)
    territories = load_territories(data_dir)
    water = load_water(data_dir)
    caspian = water.geometry.loc[CASPIAN] if CASPIAN in water.index else None
    rules = _Rules(graph, territories, caspian, avoid, _codes(status, STATUSES, "status"),
                   _codes(mode, MODES, "mode"))
    for pid in (o, d):
        unit = _unit_at(places.at[pid, "lon"], places.at[pid, "lat"], territories)
        hit = {unit, territories["iso3"].get(unit)} & rules.avoid
        if hit:
            msg = f"no path: {pid!r} lies in {', '.join(sorted(hit))}, which is to be avoided"
            raise NoPathError(msg)
    usable = rules.mask()
    what = "/".join(sorted(rules.mode)) if rules.mode else "network"
    by_mode = rules.mask(avoid=frozenset(), status=None)  # where a place joins: any of its modes
    snaps = [snap_place(graph, f"{places.at[p, 'name_en']} ({p})", places.at[p, "lon"],
                        places.at[p, "lat"], by_mode, snap_km, what=what) for p in (o, d)]
    weights = graph.km if weight == "length" else _hours(graph, data_dir)
    edges = shortest_edges(graph, weights, usable, snaps[0].node, snaps[1].node)
    if edges is None:
        raise NoPathError(rules.why_not(places, o, d, snaps))
    if not edges and not any(s.distance_m > 0 for s in snaps):
        msg = f"{o!r} and {d!r} snap to the same OSM node; nothing to measure"
        raise OSMError(msg)
    segments, junctions = path_frames(graph, edges, snaps, places.loc[[o, d]], territories)
    net = build_network(segments, pd.concat([places.loc[[o, d]], junctions]), territories,
                        caspian, folder=str(path))
    metrics = path_metrics([(sid, False) for sid in segments.index], data_dir, net=net)
    meta = read_metadata(path)
    metrics.update(
        rank=1, weight=weight, network="osm",
        geometry_source=f"OpenStreetMap ({path.name}, imported {meta.get('date', '?')[:10]})",
        snaps=[{"place_id": p, "node_lon": s.lon, "node_lat": s.lat, "osm_way_id": s.way,
                "distance_m": s.distance_m} for p, s in zip((o, d), snaps, strict=True)],
        geometry=shapely.line_merge(shapely.MultiLineString(list(segments.geometry))),
        osm_way_ids=sorted({int(w) for ids in segments["osm_way_ids"] for w in ids.split(",") if w}),
    )
    return [metrics]


def _unit_at(lon: float, lat: float, territories: gpd.GeoDataFrame) -> str | None:
    hit = territories.index[shapely.contains_xy(np.asarray(territories.geometry.values), lon, lat)]
    return str(hit[0]) if len(hit) else None


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

    def why_not(self, places, o: str, d: str, snaps: list[Snap]) -> str:
        label = f"{places.at[o, 'name_en']} ({o}) to {places.at[d, 'name_en']} ({d})"
        a, b = snaps[0].node, snaps[1].node
        where = Path(self.graph.source).name
        if not reachable(self.graph, np.ones(self.graph.edges, dtype=bool), a, b):
            return (f"no path from {label} on the OSM network of {where}: it does not connect "
                    "their nearest nodes, even without constraints")
        steps = [("avoid", c) for c in sorted(self.avoid)]
        steps += [("status", self.status)] if self.status else []
        steps += [("mode", self.mode)] if self.mode else []
        applied: dict = {"avoid": set(), "status": None, "mode": None}
        for name, value in steps:
            if name == "avoid":
                applied["avoid"].add(value)
            else:
                applied[name] = value
            mask = self.mask(frozenset(applied["avoid"]), applied["status"], applied["mode"])
            if not reachable(self.graph, mask, a, b):
                said = f"avoiding {value}" if name == "avoid" else \
                    f"keeping only {name} {', '.join(sorted(value))}"
                return f"no path from {label} on the OSM network of {where}: {said} removes the " \
                       "last connection"
        return f"no path from {label} on the OSM network of {where} under the given constraints"


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
    units = [_unit_at(x, y, territories) for x, y in pts]
    junctions = gpd.GeoDataFrame(
        {"lon": pts[:, 0], "lat": pts[:, 1], "kind": "junction",
         "name_en": [f"OSM junction at {y:.5f}, {x:.5f}" for x, y in pts],
         "country": [territories["iso3"].get(u, "") if u else "" for u in units]},
        geometry=gpd.points_from_xy(pts[:, 0], pts[:, 1]), index=pd.Index(inner, name="id"),
        crs=settings.crs)
    return segments, junctions

