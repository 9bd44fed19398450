"""Route metrics: km by country, status and mode, border crossings, gauge breaks, transshipments.

A path (ordered ``(segment_id, reversed)`` pairs) is a sum of the cached per-segment overlay
parts of :mod:`geo.overlay`, which keeps metrics for every named route well under a second.
Time and cost estimates are added by :mod:`geo.timecost`.

Border crossings ignore stretches shorter than ``settings.crossing_tolerance_km`` (1:10m
wiggles, coastline bits at ports); the km by country still count them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import settings
from .assumptions import Assumptions, load_assumptions
from .data import load_routes, route_path
from .measure import distance_km
from .overlay import Network, Run, network, sum_by_unit, units_to_countries
from .timecost import event_totals, leg_time_cost
from .vocab import SEA, WATER, WATER_MODES

__all__ = ["gauge_break_places", "path_metrics", "route_metrics"]


def path_metrics(
    steps: Sequence[tuple[str, bool]],
    data_dir: Path | str | None = None,
    *,
    assumptions: Assumptions | None = None,
    net: Network | None = None,
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
    net : Network, optional
        The network the steps walk (:func:`geo.overlay.build_network`); by default the
        curated network of the data folder.

    Returns
    -------
    dict
        ``length_km``, ``km_by_country``, ``km_by_unit``, ``km_by_status``, ``km_by_mode``,
        ``border_crossings``, ``gauge_breaks``, ``transshipments``, ``origin``, ``destination``,
        ``straight_km``, ``detour_index``, ``est_time_h``, ``est_cost_usd``, ``unknowns``,
        ``segments``, plus ``steps``, ``nodes`` (place ids in order) and ``legs`` (one dict per
        segment with its km range, hours and cost) and ``assumptions_file``, which
        :func:`geo.time_cost_series` uses.
    """
    net = net or network(data_dir)
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
        hours, cost = leg_time_cost(sid, row, length, assumptions, unknowns)
        legs.append({"segment": sid, "from": a, "to": b, "name": row["name"], "mode": row["mode"],
                     "status": row["status"], "gauge_mm": row["gauge_mm"], "km0": at,
                     "km1": at + length, "hours": hours, "cost_usd": cost})
        at += length
    node_km = [0.0] + [leg["km1"] for leg in legs]
    origin, destination = nodes[0], nodes[-1]
    km_by_unit = sum_by_unit(Run(*r[:5]) for r in path_runs)
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
    est_time, est_cost = event_totals(legs, events, assumptions, unknowns)
    return {
        "origin": origin,
        "destination": destination,
        "length_km": at,
        "km_by_country": units_to_countries(km_by_unit, net.unit_iso3),
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


def _sum_by(legs, key) -> dict:
    out: dict = {}
    for leg in legs:
        out[leg[key]] = out.get(leg[key], 0.0) + (leg["km1"] - leg["km0"])
    return out


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


def _crossings(path_runs, net: Network, nodes, node_km, legs) -> list[dict]:
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


def _place_near(net: Network, nodes, node_km, km: float) -> str | None:
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
