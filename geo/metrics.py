"""Route metrics: km by country, status and mode, border crossings, gauge breaks, time and cost.

Each segment is cut once where it crosses a territory outline (1:10m, Nakhchivan as its own
unit ``AZE-NX``) or the Caspian shore; the parts are measured geodesically and cached per data
version. A path (ordered ``(segment_id, reversed)`` pairs) is then a sum of cached parts, which
keeps metrics for every named route well under a second.

Water: any part of a segment outside every territory counts as ``CASPIAN`` inside the Caspian
polygon of ``water.geojson`` and as ``SEA`` elsewhere. Border crossings ignore stretches shorter
than ``settings.crossing_tolerance_km`` (1:10m wiggles, coastline bits at ports); the km by
country still count them.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from . import settings
from .assumptions import Assumptions, load_assumptions
from .data import (
    _path,
    _stamp,
    load_places,
    load_routes,
    load_segments,
    load_territories,
    load_water,
    route_path,
)
from .measure import distance_km, geod, line_length_km

SEA = "SEA"
CASPIAN = "CASPIAN"
WATER = (SEA, CASPIAN)
WATER_MODES = frozenset({"sea", "ferry"})
UNBUILT = frozenset({"under_construction", "planned", "proposed"})
OUT_OF_SERVICE = frozenset({"disrupted", "closed"})

__all__ = [
    "path_metrics",
    "route_metrics",
    "routes_table",
    "segment_metrics",
    "time_cost_series",
]


@dataclass(frozen=True)
class Run:
    """A stretch of one segment (in its drawn direction) inside one unit or water body."""

    unit: str
    km0: float
    km1: float
    start: tuple[float, float]
    end: tuple[float, float]


@dataclass(frozen=True, eq=False)
class _Network:
    """Everything path metrics need, computed once per data version (hashed by identity)."""

    folder: str
    segments: gpd.GeoDataFrame
    runs: dict
    places: gpd.GeoDataFrame
    place_unit: dict
    unit_iso3: dict
    seg: dict  # segment id -> plain dict of its attributes (pandas lookups are slow in loops)
    place: dict  # place id -> plain dict: lon, lat, kind, name_en, country


# ---------------------------------------------------------------------------------------------
# Per-segment overlay (cached)


def _stamps(data_dir) -> tuple:
    water = _path("water.geojson", data_dir)
    return (
        _stamp(_path("segments.geojson", data_dir)),
        _stamp(_path("places.csv", data_dir)),
        _stamp(_path("borders.geojson", data_dir)),
        _stamp(water) if water.exists() else None,
    )


def network(data_dir: Path | str | None = None) -> _Network:
    """The cached per-segment overlay of the data folder (internal; used by routing too)."""
    return _network(*_stamps(data_dir))


@lru_cache(maxsize=4)
def _network(seg_stamp, places_stamp, borders_stamp, water_stamp) -> _Network:
    folder = Path(seg_stamp[0]).parent
    segments = load_segments(folder)
    places = load_places(folder)
    territories = load_territories(folder)
    caspian = None
    if water_stamp is not None and _has_features(Path(water_stamp[0])):
        water = load_water(folder)
        if CASPIAN in water.index:
            caspian = water.geometry.loc[CASPIAN]
    unit_iso3 = {str(u): str(c) for u, c in territories["iso3"].items()}
    runs = {sid: _segment_runs(geom, territories, caspian) for sid, geom in segments.geometry.items()}
    lengths = segments.geometry.map(line_length_km)
    by_unit = pd.Series({sid: _km_by(r) for sid, r in runs.items()}, dtype=object)
    by_country = by_unit.map(lambda d: _group_units(d, unit_iso3))
    segments["length_km"] = lengths.astype(float)
    segments["km_by_unit"] = by_unit.reindex(segments.index)
    segments["km_by_country"] = by_country.reindex(segments.index)
    segments["countries"] = [
        tuple(dict.fromkeys(unit_iso3[r.unit] for r in runs[sid] if r.unit not in WATER))
        for sid in segments.index
    ]
    place_unit = {pid: _place_unit(row, territories) for pid, row in places.iterrows()}
    seg = {
        sid: {"from": r["from"], "to": r["to"], "name": r["name"], "mode": r["mode"],
              "status": r["status"], "length_km": float(r["length_km"]),
              "gauge_mm": None if pd.isna(r["gauge_mm"]) else int(r["gauge_mm"])}
        for sid, r in segments.drop(columns="geometry").to_dict("index").items()
    }
    place = {
        pid: {"lon": float(r["lon"]), "lat": float(r["lat"]), "kind": r["kind"],
              "name_en": r["name_en"], "country": r["country"]}
        for pid, r in places.drop(columns="geometry").to_dict("index").items()
    }
    return _Network(str(folder), segments, runs, places, place_unit, unit_iso3, seg, place)


def _has_features(path: Path) -> bool:
    """False for a water file with no features (which ``load_water`` cannot index)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return bool(doc.get("features")) if isinstance(doc, dict) else True


def _segment_runs(line, territories: gpd.GeoDataFrame, caspian) -> tuple[Run, ...]:
    """Cut ``line`` at every territory outline and the Caspian shore; classify each part."""
    cand = territories.sindex.query(line, predicate="intersects")
    units = [str(territories.index[i]) for i in cand]
    geoms = [territories.geometry.iloc[i] for i in cand]
    outlines = list(geoms)
    if caspian is not None and caspian.intersects(line):
        outlines.append(caspian)
    box = shapely.box(*line.bounds).buffer(0.01)
    cuts = [shapely.intersection(line, shapely.clip_by_rect(g.boundary, *box.bounds)) for g in outlines]
    coords = [shapely.get_coordinates(c) for c in cuts if not c.is_empty]
    dists = {0.0, line.length}
    if coords:
        pts = shapely.points(np.vstack(coords))
        dists.update(shapely.line_locate_point(line, pts).tolist())
    cuts_at = np.array(sorted(dists))
    cuts_at = cuts_at[np.concatenate([[True], np.diff(cuts_at) > 1e-12])]
    cuts_at[-1] = max(cuts_at[-1], line.length)
    lo, hi = cuts_at[:-1], cuts_at[1:]
    mids = shapely.line_interpolate_point(line, (lo + hi) / 2)
    xs, ys = shapely.get_x(mids), shapely.get_y(mids)
    labels = np.full(len(mids), SEA, dtype=object)
    todo = np.ones(len(mids), dtype=bool)
    for unit, geom in zip(units, geoms, strict=True):
        hit = todo & shapely.intersects_xy(geom, xs, ys)
        labels[hit] = unit
        todo &= ~hit
    if caspian is not None and todo.any():
        labels[todo & shapely.intersects_xy(caspian, xs, ys)] = CASPIAN
    g = geod()
    pieces = [shapely.ops.substring(line, a, b) for a, b in zip(lo, hi, strict=True)]
    kms = np.array([g.geometry_length(p) / 1000.0 for p in pieces])
    total = line_length_km(line)
    if kms.sum() > 0:
        kms *= total / kms.sum()  # chords vs geodesic differ by micrometres; keep the sum exact
    runs: list[Run] = []
    at = 0.0
    for label, km, piece in zip(labels, kms.tolist(), pieces, strict=True):
        start, end = tuple(piece.coords[0]), tuple(piece.coords[-1])
        if runs and runs[-1].unit == label:
            prev = runs[-1]
            runs[-1] = Run(label, prev.km0, at + km, prev.start, end)
        else:
            runs.append(Run(str(label), at, at + km, start, end))
        at += km
    return tuple(runs)


def _km_by(runs) -> dict:
    out: dict = {}
    for r in runs:
        out[r.unit] = out.get(r.unit, 0.0) + (r.km1 - r.km0)
    return out


def _group_units(km_by_unit: dict, unit_iso3: dict) -> dict:
    out: dict = {}
    for unit, km in km_by_unit.items():
        key = unit_iso3.get(unit, unit)
        out[key] = out.get(key, 0.0) + km
    return out


def _place_unit(row, territories: gpd.GeoDataFrame) -> str | None:
    """The territory unit of a place: the unit of its declared country containing (or nearest) it."""
    mine = territories[territories["iso3"] == row["country"]]
    if mine.empty:
        return None
    if len(mine) == 1:
        return str(mine.index[0])
    gaps = shapely.distance(np.asarray(mine.geometry.values), row.geometry)  # degrees: only ranks
    return str(mine.index[int(np.argmin(gaps))])


def segment_metrics(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """The segments (as :func:`geo.load_segments`) with measures of the ground they cover.

    Added columns: ``length_km`` (geodesic), ``km_by_unit`` (dict: territory unit, including
    ``"AZE-NX"``, or ``"SEA"``/``"CASPIAN"`` -> km), ``km_by_country`` (dict: ISO3 or water ->
    km) and ``countries`` (tuple of ISO3 codes in drawn order). Computed once per data version.
    """
    frame = network(data_dir).segments.copy()
    for col in ("km_by_unit", "km_by_country"):
        frame[col] = frame[col].map(dict)
    return frame


# ---------------------------------------------------------------------------------------------
# Path metrics


def path_metrics(
    steps,
    data_dir: Path | str | None = None,
    *,
    assumptions: Assumptions | None = None,
) -> dict:
    """All metrics of a path given as ordered ``(segment_id, reversed)`` pairs.

    Parameters
    ----------
    steps : list of (str, bool)
        As :func:`geo.route_path` returns: each segment and whether it is walked ``to`` -> ``from``.
    data_dir : path, optional
        Data folder; ``settings.data_dir`` by default.
    assumptions : Assumptions, optional
        Time and cost assumptions; those of the data folder by default.

    Returns
    -------
    dict
        ``length_km``, ``km_by_country``, ``km_by_unit``, ``km_by_status``, ``km_by_mode``,
        ``border_crossings``, ``gauge_breaks``, ``transshipments``, ``origin``, ``destination``,
        ``straight_km``, ``detour_index``, ``est_time_h``, ``est_cost_usd``, ``unknowns``,
        ``segments``, plus ``steps``, ``nodes`` (place ids in order) and ``legs`` (one dict per
        segment with its km range, hours and cost) and ``assumptions_file``, which
        :func:`time_cost_series` uses.
    """
    net = network(data_dir)
    assumptions = assumptions or load_assumptions(data_dir)
    steps = _check_steps(steps, net.seg)
    segs = net.seg
    nodes = [_ends(segs, steps[0])[0]]
    legs, path_runs, unknowns = [], [], []
    at = 0.0
    for sid, rev in steps:
        row = segs[sid]
        a, b = _ends(segs, (sid, rev))
        nodes.append(b)
        length = float(row["length_km"])
        # On a sea or ferry leg, land other than the two ports' units (an island, a cape the
        # coarse line cuts) is passed by, not entered: water for crossings, land for km.
        ports = {net.place_unit.get(a), net.place_unit.get(b)}
        by_water = row["mode"] in WATER_MODES
        for r in _oriented(net.runs[sid], length, rev):
            seen_as = SEA if by_water and r.unit not in WATER and r.unit not in ports else r.unit
            path_runs.append((r.unit, at + r.km0, at + r.km1, r.start, r.end, row["mode"], seen_as))
        hours, cost = _leg_time_cost(sid, row, length, assumptions, unknowns)
        legs.append({"segment": sid, "from": a, "to": b, "name": row["name"], "mode": row["mode"],
                     "status": row["status"], "gauge_mm": row["gauge_mm"], "km0": at,
                     "km1": at + length, "hours": hours, "cost_usd": cost})
        at += length
    node_km = [0.0] + [leg["km1"] for leg in legs]
    origin, destination = nodes[0], nodes[-1]
    km_by_unit = _sum_runs(path_runs)
    crossings = _crossings(path_runs, net, nodes, node_km, legs)
    gauge_breaks = _gauge_breaks(legs, net.place, unknowns)
    transshipments = [
        {"place_id": prev["to"], "from_mode": prev["mode"], "to_mode": leg["mode"],
         "km_from_start": prev["km1"]}
        for prev, leg in itertools.pairwise(legs)
        if prev["mode"] != leg["mode"]
    ]
    straight = distance_km(*_lonlat(net.place, origin), *_lonlat(net.place, destination))
    events = {"border_crossing": len(crossings), "gauge_break": len(gauge_breaks),
              "transshipment": len(transshipments)}
    est_time = sum(leg["hours"] for leg in legs) + sum(
        n * _event_value(assumptions, "dwell_h", e, unknowns) for e, n in events.items() if n)
    est_cost = sum(leg["cost_usd"] for leg in legs) + sum(
        n * _event_value(assumptions, "cost_usd", e, unknowns) for e, n in events.items() if n)
    return {
        "origin": origin,
        "destination": destination,
        "length_km": at,
        "km_by_country": _group_units(km_by_unit, net.unit_iso3),
        "km_by_unit": km_by_unit,
        "km_by_status": _sum_by(legs, "status"),
        "km_by_mode": _sum_by(legs, "mode"),
        "border_crossings": crossings,
        "gauge_breaks": gauge_breaks,
        "transshipments": transshipments,
        "straight_km": straight,
        "detour_index": at / straight if straight > 0 else None,
        "est_time_h": est_time,
        "est_cost_usd": est_cost,
        "unknowns": list(dict.fromkeys(unknowns)),
        "segments": [sid for sid, _ in steps],
        "steps": [(sid, rev) for sid, rev in steps],
        "nodes": nodes,
        "legs": legs,
        "assumptions_file": assumptions.path,
    }


def _check_steps(steps, segs) -> list[tuple[str, bool]]:
    steps = [(str(s), bool(r)) for s, r in steps]
    if not steps:
        msg = "a path needs at least one segment"
        raise ValueError(msg)
    unknown = [s for s, _ in steps if s not in segs]
    if unknown:
        msg = f"path refers to unknown segment id(s): {', '.join(map(repr, unknown))}"
        raise ValueError(msg)
    for i in range(1, len(steps)):
        end = _ends(segs, steps[i - 1])[1]
        start = _ends(segs, steps[i])[0]
        if end != start:
            msg = (f"path step {i + 1} (segment {steps[i][0]!r}) starts at {start!r}, "
                   f"but step {i} ends at {end!r}")
            raise ValueError(msg)
    return steps


def _ends(segs, step) -> tuple[str, str]:
    sid, rev = step
    a, b = segs[sid]["from"], segs[sid]["to"]
    return (b, a) if rev else (a, b)


def _oriented(runs, length: float, rev: bool):
    if not rev:
        return runs
    return [Run(r.unit, length - r.km1, length - r.km0, r.end, r.start) for r in reversed(runs)]


def _lonlat(places, pid) -> tuple[float, float]:
    return places[pid]["lon"], places[pid]["lat"]


def _sum_runs(path_runs) -> dict:
    out: dict = {}
    for unit, km0, km1, *_ in path_runs:
        out[unit] = out.get(unit, 0.0) + (km1 - km0)
    return out


def _sum_by(legs, key) -> dict:
    out: dict = {}
    for leg in legs:
        out[leg[key]] = out.get(leg[key], 0.0) + (leg["km1"] - leg["km0"])
    return out


def _leg_time_cost(sid, row, length, assumptions: Assumptions, unknowns: list) -> tuple[float, float]:
    mode, status = row["mode"], row["status"]
    speed = assumptions.per_mode("speed_kmh", mode, status)
    cost = assumptions.per_mode("cost_usd_per_km", mode, status)
    if speed is None:
        unknowns.append(f"no speed assumed for mode {mode!r} (segment {sid}): its time is not counted")
    if cost is None:
        unknowns.append(f"no cost assumed for mode {mode!r} (segment {sid}): its cost is not counted")
    if speed is not None and speed.status is None and status in UNBUILT:
        unknowns.append(f"segment {sid} is {status}: its time assumes it is built and runs at the "
                        f"default {mode} speed")
    if speed is not None and speed.status is None and status in OUT_OF_SERVICE:
        unknowns.append(f"segment {sid} is {status}: its time assumes normal service")
    hours = length / speed.value if speed is not None else 0.0
    return hours, (length * cost.value if cost is not None else 0.0)


def _event_value(assumptions: Assumptions, group: str, event: str, unknowns: list) -> float:
    entry = assumptions.per_event(group, event)
    if entry is None:
        unknowns.append(f"no {group} assumed for {event}: not counted")
        return 0.0
    return entry.value


def _gauge_breaks(legs, places, unknowns: list) -> list[dict]:
    for leg in legs:
        if leg["mode"] == "rail" and leg["gauge_mm"] is None:
            unknowns.append(f"gauge of segment {leg['segment']} not known")
    out = []
    for prev, leg in itertools.pairwise(legs):
        if prev["mode"] != "rail" or leg["mode"] != "rail":
            continue
        if prev["gauge_mm"] is None or leg["gauge_mm"] is None or prev["gauge_mm"] == leg["gauge_mm"]:
            continue
        lon, lat = _lonlat(places, prev["to"])
        out.append({"place_id": prev["to"], "lon": lon, "lat": lat,
                    "from_gauge_mm": prev["gauge_mm"], "to_gauge_mm": leg["gauge_mm"],
                    "km_from_start": prev["km1"]})
    return out


# ---------------------------------------------------------------------------------------------
# Border crossings


@dataclass
class _Stretch:
    unit: str
    km0: float
    km1: float
    start: tuple
    end: tuple
    anchor: bool
    by_sea: bool


def _merge(items: list[_Stretch]) -> list[_Stretch]:
    out: list[_Stretch] = []
    for s in items:
        if out and out[-1].unit == s.unit:
            prev = out[-1]
            out[-1] = _Stretch(s.unit, prev.km0, s.km1, prev.start, s.end,
                               prev.anchor or s.anchor, prev.by_sea or s.by_sea)
        else:
            out.append(s)
    return out


def _crossings(path_runs, net: _Network, nodes, node_km, legs) -> list[dict]:
    """Ordered border crossings of a path from its per-unit runs.

    The origin's and destination's units anchor both ends (a port on the water side of a
    1:10m coastline still starts in its country). Stretches shorter than
    ``settings.crossing_tolerance_km`` are dropped before comparing neighbours, so a line that
    wiggles along a border or clips a coastline at a port is not reported as crossing it.
    Between two land units separated by water sailed by a sea or ferry leg the crossing is
    ``via`` "sea", from the port of departure to the port of arrival.
    """
    total_km = legs[-1]["km1"]
    tol = settings.crossing_tolerance_km
    items = []
    first, last = path_runs[0], path_runs[-1]
    o_unit, d_unit = net.place_unit.get(nodes[0]), net.place_unit.get(nodes[-1])
    if o_unit:
        items.append(_Stretch(o_unit, 0.0, 0.0, first[3], first[3], True, False))
    items += [_Stretch(seen, k0, k1, s, e, False, seen in WATER and m in WATER_MODES)
              for _u, k0, k1, s, e, m, seen in path_runs]
    if d_unit:
        items.append(_Stretch(d_unit, total_km, total_km, last[4], last[4], True, False))
    merged = _merge(items)
    kept = _merge([s for s in merged if s.anchor or (s.km1 - s.km0) >= tol])
    out: list[dict] = []
    land = None
    water: list[_Stretch] = []
    for s in kept:
        if s.unit in WATER:
            water.append(s)
            continue
        if land is not None and s.unit != land.unit:
            sea = [w for w in water if w.by_sea]
            sailed = [leg for leg in legs if leg["mode"] in WATER_MODES
                      and leg["km0"] < sea[-1].km1 and leg["km1"] > sea[0].km0] if sea else []
            if sailed:
                km = sailed[-1]["km1"]
                place, from_place = sailed[-1]["to"], sailed[0]["from"]
                lon, lat = _lonlat(net.place, place)
                via = "sea"
            else:
                km = land.km1
                place = from_place = _place_near(net, nodes, node_km, km)
                lon, lat = land.end[:2]
                via = "land"
            out.append({
                "seq": len(out) + 1,
                "from_country": net.unit_iso3.get(land.unit, land.unit),
                "to_country": net.unit_iso3.get(s.unit, s.unit),
                "from_unit": land.unit,
                "to_unit": s.unit,
                "place_id": place,
                "from_place_id": from_place,
                "lon": float(lon),
                "lat": float(lat),
                "km_from_start": float(km),
                "via": via,
            })
        land = s
        water = []
    return out


PLACE_PREFERENCE = {"border_crossing": 0, "port": 1}


def _place_near(net: _Network, nodes, node_km, km: float) -> str | None:
    """The path's place nearest (along the path) to ``km``, preferring border posts and ports."""
    best = None
    for pid, at in zip(nodes, node_km, strict=True):
        gap = abs(at - km)
        if gap > settings.crossing_place_km:
            continue
        key = (PLACE_PREFERENCE.get(net.place[pid]["kind"], 2), gap)
        if best is None or key < best[0]:
            best = (key, pid)
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# Named routes


def gauge_break_places(segments: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Places where rail segments of different known gauges meet (index: place id).

    Columns: ``name`` (English), ``gauges`` (sorted list of mm), ``geometry`` (the place's
    point). Segments of unknown gauge are left out: they neither make nor hide a break.
    """
    rail = segments[(segments["mode"] == "rail") & segments["gauge_mm"].notna()]
    seen: dict[str, set[int]] = {}
    for a, b, gauge in zip(rail["from"], rail["to"], rail["gauge_mm"], strict=True):
        for end in (a, b):
            seen.setdefault(end, set()).add(int(gauge))
    ids = sorted(pid for pid, gauges in seen.items() if len(gauges) > 1 and pid in places.index)
    return gpd.GeoDataFrame(
        {"name": [places.at[p, "name_en"] for p in ids], "gauges": [sorted(seen[p]) for p in ids]},
        geometry=[places.geometry.loc[p] for p in ids],
        index=pd.Index(ids, name="id"),
        crs=places.crs,
    )


def route_metrics(route_id: str, data_dir: Path | str | None = None) -> dict:
    """:func:`path_metrics` of a named route, plus ``route_id`` and ``name``.

    Raises
    ------
    UnknownRouteError
        No route has this id (the message lists the known ones).
    """
    return _route_metrics(load_routes(data_dir), route_id, data_dir)


def _route_metrics(routes: pd.DataFrame, route_id: str, data_dir) -> dict:
    if route_id not in routes.index:
        route_path(route_id, data_dir)  # raises UnknownRouteError naming the known routes
    net = network(data_dir)
    at = routes.at[route_id, "origin"]
    steps = []
    for sid in routes.at[route_id, "segments"]:  # as geo.route_path, without copying frames
        rev = net.seg[sid]["from"] != at
        at = net.seg[sid]["from"] if rev else net.seg[sid]["to"]
        steps.append((sid, rev))
    out = {"route_id": route_id, "name": routes.at[route_id, "name"]}
    out.update(path_metrics(steps, data_dir))
    return out


ROUTE_COLUMNS = [
    "route_id", "name", "origin", "destination", "length_km", "km_by_country", "km_by_status",
    "km_by_mode", "border_crossings", "gauge_breaks", "est_time_h", "est_cost_usd",
    "straight_km", "detour_index", "transshipments", "unknowns",
]
REFERENCE_COLUMNS = ["ref_length_km", "ref_diff_pct", "ref_id", "ref_source"]


def routes_table(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per named route with its metrics and, where published, the reference length.

    Columns: ``route_id``, ``name``, ``origin``, ``destination``, ``length_km``,
    ``km_by_country``, ``km_by_status``, ``km_by_mode``, ``border_crossings``,
    ``gauge_breaks``, ``est_time_h``, ``est_cost_usd``, ``straight_km``, ``detour_index``,
    ``transshipments``, ``unknowns``, then ``ref_length_km``, ``ref_diff_pct``, ``ref_id`` and
    ``ref_source`` (empty where ``references.yaml`` has no whole-route length).
    """
    from .references import route_references

    routes = load_routes(data_dir)
    rows = [_route_metrics(routes, rid, data_dir) for rid in routes.index]
    frame = pd.DataFrame(rows, columns=ROUTE_COLUMNS)
    refs = route_references(data_dir)
    ref_rows = []
    for rid, km in zip(frame["route_id"], frame["length_km"], strict=True):
        ref = refs.get(rid)
        if ref is None:
            ref_rows.append(dict.fromkeys(REFERENCE_COLUMNS))
        else:
            ref_rows.append({"ref_length_km": ref["value"],
                             "ref_diff_pct": (km - ref["value"]) / ref["value"] * 100.0,
                             "ref_id": ref["id"], "ref_source": ref["source"]})
    return pd.concat([frame, pd.DataFrame(ref_rows, columns=REFERENCE_COLUMNS)], axis=1)


# ---------------------------------------------------------------------------------------------
# Time/cost-distance series


def time_cost_series(
    steps_or_metrics,
    data_dir: Path | str | None = None,
    *,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """Cumulative distance against cumulative time and cost, as in UNESCAP time/cost-distance charts.

    Parameters
    ----------
    steps_or_metrics : list of (str, bool) or dict
        A path (as :func:`geo.route_path` returns) or the result of :func:`path_metrics`.
    data_dir, assumptions
        As for :func:`path_metrics`; for metrics, the assumptions they were computed with.

    Returns
    -------
    pandas.DataFrame
        Columns ``km``, ``hours``, ``cost_usd``, ``event`` {"start", "segment", "border",
        "gauge_break", "transshipment", "end"} and ``label``, in travel order. At each event
        two rows share the same ``km``: before and after the dwell, so a line through the rows
        draws the vertical step.
    """
    if isinstance(steps_or_metrics, dict):
        metrics = steps_or_metrics
        if assumptions is None and metrics.get("assumptions_file"):
            assumptions = load_assumptions(Path(metrics["assumptions_file"]).parent)
    else:
        metrics = path_metrics(steps_or_metrics, data_dir, assumptions=assumptions)
    assumptions = assumptions or load_assumptions(data_dir)
    events = []
    for c in metrics["border_crossings"]:
        where = f" at {c['place_id']}" if c.get("place_id") else ""
        events.append((c["km_from_start"], "border", "border_crossing",
                       f"{c['from_unit']} -> {c['to_unit']}{where} ({c['via']})"))
    for g in metrics["gauge_breaks"]:
        events.append((g["km_from_start"], "gauge_break", "gauge_break",
                       f"{g['from_gauge_mm']} -> {g['to_gauge_mm']} mm at {g['place_id']}"))
    for t in metrics["transshipments"]:
        events.append((t["km_from_start"], "transshipment", "transshipment",
                       f"{t['from_mode']} -> {t['to_mode']} at {t['place_id']}"))
    legs = metrics["legs"]
    ends = [(leg["km1"], 0, "segment", leg) for leg in legs]
    marks = [(km, 1, kind, (key, label)) for km, kind, key, label in events]
    rows = [{"km": 0.0, "hours": 0.0, "cost_usd": 0.0, "event": "start", "label": metrics["origin"]}]
    dwell_h = dwell_usd = 0.0
    for km, _order, kind, item in sorted(ends + marks, key=lambda t: (t[0], t[1])):
        hours, cost = _travel_at(legs, km)
        if kind == "segment":
            rows.append({"km": km, "hours": hours + dwell_h, "cost_usd": cost + dwell_usd,
                         "event": "segment", "label": item["name"]})
            continue
        key, label = item
        rows.append({"km": km, "hours": hours + dwell_h, "cost_usd": cost + dwell_usd,
                     "event": "segment", "label": ""})
        dwell = assumptions.per_event("dwell_h", key)
        fee = assumptions.per_event("cost_usd", key)
        dwell_h += dwell.value if dwell else 0.0
        dwell_usd += fee.value if fee else 0.0
        rows.append({"km": km, "hours": hours + dwell_h, "cost_usd": cost + dwell_usd,
                     "event": kind, "label": label})
    last = dict(rows[-1])
    last.update(event="end", label=metrics["destination"])
    rows.append(last)
    return pd.DataFrame(rows, columns=["km", "hours", "cost_usd", "event", "label"])


def _travel_at(legs, km: float) -> tuple[float, float]:
    """Travel hours and haulage cost (no dwell) from the start to ``km`` along the legs."""
    hours = cost = 0.0
    for leg in legs:
        span = leg["km1"] - leg["km0"]
        if km >= leg["km1"]:
            hours += leg["hours"]
            cost += leg["cost_usd"]
            continue
        if km > leg["km0"] and span > 0:
            share = (km - leg["km0"]) / span
            hours += leg["hours"] * share
            cost += leg["cost_usd"] * share
        break
    return hours, cost
