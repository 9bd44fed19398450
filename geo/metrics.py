"""Route metrics: km by country, status and mode, border crossings, gauge breaks, transshipments.

A path (ordered ``(segment_id, reversed)`` pairs) is a sum of the cached per-segment overlay
parts of :mod:`geo.overlay`, which keeps metrics for every named route well under a second.
Time and cost estimates are added by :mod:`geo.timecost`. A route's named sections (such as the
Syunik/Meghri section) are measured on their own and rendered once, in :func:`section_summary`.

Border crossings ignore stretches shorter than ``settings.crossing_tolerance_km`` (1:10m
wiggles, coastline bits at ports); the km by country still count them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import settings
from .assumptions import Assumptions, load_assumptions
from .data import load_routes, route_path
from .dated import network_at
from .dates import is_stale, settings_today
from .gauges import breaks_along
from .lifecycle import Scenario
from .measure import distance_km, km_text
from .overlay import Network, Run, network, sum_by_unit, units_to_countries
from .style import STATUS_LABELS
from .timecost import event_totals, leg_time_cost, path_events
from .vocab import LENGTH_BASES, OUT_OF_SERVICE, SEA, WATER, WATER_MODES

# A path counts as existing today when less than this many km of it are not operational.
EXISTS_TOLERANCE_KM = 0.5

__all__ = ["km_split_text", "length_basis", "length_text", "measure_route", "path_metrics",
           "path_sections", "route_metrics", "section_metrics", "section_summary", "section_text",
           "status_age"]


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
        ``length_km`` (the best estimate: published chainage where a segment has one, the
        drawn line elsewhere), ``measured_km`` (all on the drawn line), ``length_basis``
        (``chainage_km``, ``measured_only_km``, ``share_chainage``, ``text``), ``km_by_country``,
        ``km_by_unit``, ``km_by_status``, ``km_by_mode`` (each segment's best estimate split
        in the proportions of its drawn line, so they add up to ``length_km``),
        ``border_crossings``, ``gauge_breaks`` (see :func:`geo.gauges.breaks_along`),
        ``transshipments``, ``origin``, ``destination``, ``straight_km``, ``detour_index``,
        ``exists_today`` (every segment operational), ``km_operational``,
        ``km_under_construction``, ``km_planned`` (planned or proposed), ``km_out_of_service``
        (disrupted or closed), ``est_time_h``, ``est_cost_usd`` (central model estimates),
        ``est_time_h_range``, ``est_cost_usd_range`` ([low, high]), ``est_cost_unit``,
        ``est_basis``, ``events`` and ``assumptions_used`` (see
        :func:`geo.timecost.event_totals`), ``unknowns``,
        ``status_as_of`` (oldest and newest as-of date of the segments' statuses) and
        ``stale_segments`` (those older than
        ``settings.stale_after_days``), ``segments``, plus ``steps``, ``nodes`` (place ids in
        order), ``legs`` (one dict per segment with its km range, hours and cost, see
        :func:`geo.timecost.leg_time_cost`) and
        ``assumptions_file`` (the assumptions the estimate used).
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
        length, measured = float(row["length_km"]), float(row["measured_km"])
        scale = length / measured if measured > 0 else 1.0
        # On a sea or ferry leg, land other than the two ports' units (an island, a cape the
        # coarse line cuts) is passed by, not entered: water for crossings, land for km.
        ports = {net.place_unit.get(a), net.place_unit.get(b)}
        by_water = row["mode"] in WATER_MODES
        for r in _oriented(net.runs[sid], measured, rev):
            seen_as = SEA if by_water and r.unit not in WATER and r.unit not in ports else r.unit
            path_runs.append((r.unit, at + r.km0 * scale, at + r.km1 * scale, r.start, r.end,
                              row["mode"], seen_as))
        legs.append({"segment": sid, "from": a, "to": b, "name": row["name"], "mode": row["mode"],
                     "status": row["status"], "gauges": row["gauges"], "km0": at,
                     "km1": at + length, "measured_km": measured, "basis": row["basis"],
                     "as_of": row["as_of"],
                     **leg_time_cost(sid, row, length, assumptions, unknowns)})
        at += length
    node_km = [0.0] + [leg["km1"] for leg in legs]
    origin, destination = nodes[0], nodes[-1]
    km_by_unit = sum_by_unit(Run(*r[:5]) for r in path_runs)
    crossings = _crossings(path_runs, net, nodes, node_km, legs)
    gauge_breaks, gauge_notes = breaks_along(legs, net.place)
    unknowns += _grouped_notes(legs, gauge_notes)
    transshipments = [
        {"place_id": prev["to"], "from_mode": prev["mode"], "to_mode": leg["mode"],
         "km_from_start": prev["km1"]}
        for prev, leg in itertools.pairwise(legs)
        if prev["mode"] != leg["mode"]
    ]
    straight = distance_km(*_lonlat(net.place, origin), *_lonlat(net.place, destination))
    events = path_events(legs, crossings, gauge_breaks, transshipments)
    estimate = event_totals(legs, events, assumptions, unknowns)
    return {
        "origin": origin,
        "destination": destination,
        "length_km": at,
        "measured_km": sum(leg["measured_km"] for leg in legs),
        "length_basis": length_basis(legs),
        "km_by_country": units_to_countries(km_by_unit, net.unit_iso3),
        "km_by_unit": km_by_unit,
        **_exists(legs),
        "km_by_status": _sum_by(legs, "status"),
        "km_by_mode": _sum_by(legs, "mode"),
        "border_crossings": crossings,
        "gauge_breaks": gauge_breaks,
        **_gauge_unknown(legs),
        "transshipments": transshipments,
        "straight_km": straight,
        "detour_index": at / straight if straight > 0 else None,
        **estimate,
        "unknowns": list(dict.fromkeys(unknowns)),
        **status_age(legs),
        "as_of": net.when or "as recorded",
        "projected": net.projected,
        "scenario": net.scenario,
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


def _grouped_notes(legs: list[dict], gauge_notes: list[str]) -> list[str]:
    """Notes on what the figures assume, one line per kind rather than one per segment."""
    out = []
    built = [leg["segment"] for leg in legs if leg["time_assumes"] == "built"]
    if built:
        out.append(f"time assumes these unbuilt segments are built and run at the default speed: "
                   f"{', '.join(built)}")
    normal = [leg["segment"] for leg in legs if leg["time_assumes"] == "normal service"]
    if normal:
        out.append(f"time assumes normal service on these disrupted or closed segments: "
                   f"{', '.join(normal)}")
    unknown = [n.removeprefix("gauge of segment ").removesuffix(" not known")
               for n in gauge_notes if n.startswith("gauge of segment ")]
    if unknown:
        out.append(f"gauge not known on: {', '.join(unknown)}")
    return out + [n for n in gauge_notes if not n.startswith("gauge of segment ")]


def _gauge_unknown(legs: list[dict]) -> dict:
    """``gauge_unknown_km``: km of railway whose gauge the data does not know, and
    ``gauge_unknown_segments``: those segments' names, in path order."""
    unknown = [leg for leg in legs if leg["mode"] == "rail" and not leg["gauges"]]
    return {"gauge_unknown_km": sum(leg["km1"] - leg["km0"] for leg in unknown),
            "gauge_unknown_segments": list(dict.fromkeys(leg["name"] for leg in unknown))}


def _exists(legs: list[dict]) -> dict:
    """km operational, under construction, planned (or proposed) and out of service; and
    whether the whole path is operational today (as far as the statuses' dates go)."""
    by_status = _sum_by(legs, "status")
    total = sum(by_status.values())
    operational = by_status.get("operational", 0.0)
    return {
        "exists_today": total - operational < EXISTS_TOLERANCE_KM,
        "km_operational": operational,
        "km_under_construction": by_status.get("under_construction", 0.0),
        "km_planned": by_status.get("planned", 0.0) + by_status.get("proposed", 0.0),
        "km_out_of_service": sum(by_status.get(s, 0.0) for s in OUT_OF_SERVICE),
    }


def length_text(km: float, measured_km: float, basis: dict) -> str:
    """A length with its basis, for people: "164 km (published chainage; 140 km measured on the
    drawn line)" or "480 km (measured on the drawn line)"."""
    if basis["share_chainage"] + basis.get("share_traced", 0.0) <= 0.005:
        return f"{km_text(km)} ({basis['text']})"
    return f"{km_text(km)} ({basis['text']}; {km_text(measured_km)} all measured on the drawn line)"


def km_split_text(table: dict, *, labels: dict | None = None) -> str:
    """km by country (or status, mode) for people, largest first: "IRN 109.5; AZE 0.2";
    ``labels`` put words on the keys (e.g. ``geo.style.STATUS_LABELS``)."""
    labels = labels or {}
    items = sorted(table.items(), key=lambda kv: -kv[1])
    return "; ".join(f"{labels.get(k, k)} {v:.1f}" for k, v in items)


def length_basis(legs: list[dict]) -> dict:
    """How much of a path's best-estimate length is published chainage, traced OSM track and
    the drawn line (:data:`geo.vocab.LENGTH_BASES`).

    Returns ``chainage_km``, ``traced_km``, ``osm_km`` (on OpenStreetMap lines), ``access_km``
    (straight lines from places to an OSM network), ``measured_only_km`` (best-estimate km of
    segments with none of these, measured on the drawn line), ``share_chainage`` and ``share_traced``
    (0..1) and ``text``, e.g. "74% published chainage, 26% measured on the drawn line".
    """
    km = dict.fromkeys(LENGTH_BASES, 0.0)
    for leg in legs:
        km[leg["basis"] if leg["basis"] in km else "measured"] += leg["km1"] - leg["km0"]
    total = sum(km.values())
    shares = {b: (v / total if total > 0 else 0.0) for b, v in km.items()}
    if total <= 0:
        shares["measured"] = 1.0
    whole = [b for b, s in shares.items() if s >= 0.995]
    if whole:
        text = LENGTH_BASES[whole[0]]
    else:
        text = ", ".join(f"{s:.0%} {LENGTH_BASES[b]}" for b, s in shares.items() if s > 0.005)
    return {"chainage_km": km["chainage"], "traced_km": km["traced"], "osm_km": km["osm"],
            "access_km": km["access"], "measured_only_km": km["measured"],
            "share_chainage": shares["chainage"], "share_traced": shares["traced"], "text": text}


def status_age(legs: list[dict], *, today: dt.date | None = None) -> dict:
    """The as-of dates of a path's segment statuses and the segments that may be out of date.

    Returns ``status_as_of`` (``[oldest, newest]``) and ``stale_segments``: ids of the
    segments whose as-of date is more than ``settings.stale_after_days`` before ``today``.
    """
    today = today or settings_today()
    dates = [leg["as_of"] for leg in legs if leg["as_of"]]
    stale = [leg["segment"] for leg in legs if leg["as_of"] and is_stale(leg["as_of"], today)]
    return {"status_as_of": [min(dates), max(dates)] if dates else [None, None],
            "stale_segments": list(dict.fromkeys(stale))}


def stale_text(stale: list[str]) -> str:
    """The "may be out of date" note for segments whose status record is old ("" for none)."""
    if not stale:
        return ""
    return (f"status may be out of date (recorded more than {settings.stale_after_days} days "
            f"ago) on {len(stale)} section(s): {', '.join(stale)}")


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


def route_metrics(
    route_id: str,
    data_dir: Path | str | None = None,
    *,
    as_of: str | dt.date | None = None,
    scenario: Scenario | None = None,
) -> dict:
    """:func:`path_metrics` of a named route, plus ``route_id``, ``name`` and ``sections``
    (the route's named sections, each :func:`section_summary`, in route order).

    ``as_of`` (a date, or "today") and ``scenario`` give the statuses of that date (see
    :mod:`geo.lifecycle`); the result then says ``as_of``, whether it is ``projected`` and
    under which ``scenario``.

    Raises
    ------
    UnknownRouteError
        No route has this id (the message lists the known ones).
    """
    return measure_route(load_routes(data_dir), route_id, data_dir,
                         network_at(data_dir, as_of, scenario))


def measure_route(routes: pd.DataFrame, route_id: str, data_dir: Path | str | None,
                  net: Network) -> dict:
    """:func:`route_metrics` with the routes table and network already in hand (for tables)."""
    steps = _route_steps(routes, route_id, data_dir, net)
    out = {"route_id": route_id, "name": routes.at[route_id, "name"]}
    out.update(path_metrics(steps, data_dir, net=net))
    out["sections"] = [section_summary(route_id, sec, m) for sec, m in
                       _measure_sections(routes, route_id, steps, data_dir, net)]
    return out


def _route_steps(routes: pd.DataFrame, route_id: str, data_dir: Path | str | None,
                 net: Network) -> list[tuple[str, bool]]:
    if route_id not in routes.index:
        route_path(route_id, data_dir)  # raises UnknownRouteError naming the known routes
    at = routes.at[route_id, "origin"]
    steps = []
    for sid in routes.at[route_id, "segments"]:  # as geo.route_path, without copying frames
        rev = net.seg[sid]["from"] != at
        at = net.seg[sid]["from"] if rev else net.seg[sid]["to"]
        steps.append((sid, rev))
    return steps


def _measure_sections(routes, route_id, steps, data_dir, net) -> list[tuple[dict, dict]]:
    """Each named section of a route with the :func:`path_metrics` of its own steps."""
    walk = dict(steps)
    return [(sec, path_metrics([(sid, walk[sid]) for sid in sec["segments"]], data_dir, net=net))
            for sec in routes.at[route_id, "sections"]]


def section_metrics(
    route_id: str,
    data_dir: Path | str | None = None,
    *,
    as_of: str | dt.date | None = None,
    scenario: Scenario | None = None,
) -> list[dict]:
    """:func:`path_metrics` of each named section of a route (``sections`` of
    ``routes.yaml``), in route order, plus ``route_id``, ``section_id`` and ``name``: a
    section's own length on its basis, km by country and status, crossings and gauge, so a
    report can quote the Syunik/Meghri link without subtracting. ``as_of`` and ``scenario``
    as for :func:`route_metrics`; a route without sections gives []. The short form of each,
    the one tables and exports show, is in ``route_metrics(...)["sections"]``
    (:func:`section_summary`).
    """
    routes = load_routes(data_dir)
    net = network_at(data_dir, as_of, scenario)
    steps = _route_steps(routes, route_id, data_dir, net)
    return [{"route_id": route_id, "section_id": sec["id"], "name": sec["name"], **m}
            for sec, m in _measure_sections(routes, route_id, steps, data_dir, net)]


def section_summary(route_id: str, section: dict, metrics: dict) -> dict:
    """The figures of a named section that tables, the Compare page and exports show.

    ``section`` is one entry of a route's ``sections`` (``id``, ``name``, ``segments``),
    ``metrics`` the :func:`path_metrics` of its steps. Returns ``route_id``, ``section_id``,
    ``name``, ``segments``, ``steps``, ``length_km`` (best estimate), ``measured_km`` (drawn
    line), ``length_basis`` (in words), ``km_by_country``, ``km_by_status``,
    ``exists_today``, and the same figures in words, rendered here once: ``length_text``
    (:func:`length_text`, e.g. "42 km (published chainage; 35 km all measured on the drawn
    line)"), ``country_text`` ("ARM 42.0") and ``status_text`` ("planned 42.0"), km each
    (:func:`km_split_text`).
    """
    return {
        "route_id": route_id,
        "section_id": section["id"],
        "name": section["name"],
        "segments": list(metrics["segments"]),
        "steps": list(metrics["steps"]),
        "length_km": metrics["length_km"],
        "measured_km": metrics["measured_km"],
        "length_basis": metrics["length_basis"]["text"],
        "km_by_country": metrics["km_by_country"],
        "km_by_status": metrics["km_by_status"],
        "exists_today": metrics["exists_today"],
        "length_text": length_text(metrics["length_km"], metrics["measured_km"],
                                   metrics["length_basis"]),
        "country_text": km_split_text(metrics["km_by_country"]),
        "status_text": km_split_text(metrics["km_by_status"], labels=STATUS_LABELS),
    }


def section_text(summary: dict) -> str:
    """A :func:`section_summary` on one line, for panels, popups and text tables:
    "<name>: 42 km (published chainage; ...); km by country: ARM 42.0; km by status: planned 42.0"."""
    return (f"{summary['name']}: {summary['length_text']}; km by country: "
            f"{summary['country_text']}; km by status: {summary['status_text']}")


def path_sections(
    steps: Sequence[tuple[str, bool]],
    data_dir: Path | str | None = None,
    *,
    net: Network | None = None,
    assumptions: Assumptions | None = None,
) -> list[dict]:
    """The named sections of any route (``sections`` of ``routes.yaml``) that a path walks
    from end to end, in path order, each measured on the path's own steps
    (:func:`section_summary`). A section named by two routes with the same segments is listed
    once. ``net`` and ``assumptions`` as for :func:`path_metrics`; a path on another network
    (imported OpenStreetMap ways) walks none.
    """
    steps = [(str(s), bool(r)) for s, r in steps]
    at = {sid: i for i, (sid, _) in enumerate(steps)}
    found: dict[tuple, tuple[int, dict]] = {}
    routes = load_routes(data_dir)
    for route_id, sections in routes["sections"].items():
        for sec in sections:
            where = sorted(at.get(sid, -1) for sid in sec["segments"])
            first = where[0] if where else -1
            key = (sec["id"], tuple(sorted(sec["segments"])))
            if first < 0 or where != list(range(first, first + len(where))) or key in found:
                continue
            m = path_metrics(steps[first:first + len(where)], data_dir, net=net,
                             assumptions=assumptions)
            found[key] = (first, section_summary(route_id, sec, m))
    return [summary for _, summary in sorted(found.values(), key=lambda item: item[0])]
