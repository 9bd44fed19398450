"""Time and cost estimates as low-central-high ranges: legs from speeds and haulage costs,
events from dwell and fees.

A leg's hours are its km divided by the speed of its mode (per country where the assumptions
have one, e.g. Iranian rail); its cost is km times the haulage cost per km. Events along a path
(:func:`path_events`): each land border crossing (dwell and fee by the mode that crosses),
break of gauge, transshipment (at a port, or at a terminal between rail and road), port call
(the ship's time in port at the end of each sea or ferry stretch) and wait for a ferry sailing.
Customs at a sea border are cleared in port and counted in its container dwell, so a crossing by
sea adds nothing of its own.

Totals add bound to bound (:class:`geo.ranges.Range`): the low puts every assumption at its
low end at once, the high every one at its high end. ``est_time_h`` and ``est_cost_usd`` are
the central values. Estimates compare routes by the same published figures; they do not
predict a shipment.
"""

from __future__ import annotations

import pandas as pd

from .assumptions import Assumptions
from .gauges import break_text
from .ranges import ZERO, Range
from .vocab import FEE_EVENTS, OUT_OF_SERVICE, UNBUILT, WATER_MODES

__all__ = ["components", "double_counted", "duration_text", "estimate_text", "event_totals",
           "leg_estimate", "leg_time_cost", "path_events", "reestimate", "time_cost_series"]

# Order of events at the same km: a ship arrives, its cargo crosses the border, changes gauge
# or mode, then waits for the next sailing.
EVENT_ORDER = {"port_call": 0, "border_crossing": 1, "gauge_break": 2, "transshipment": 3,
               "train_formation": 4, "ferry_wait": 5}
# The ``event`` column of the time/cost-distance series for each kind.
SERIES_EVENT = {"border_crossing": "border", "gauge_break": "gauge_break",
                "transshipment": "transshipment", "port_call": "port_call",
                "train_formation": "train_formation", "ferry_wait": "ferry_wait"}
SERIES_COLUMNS = ["km", "hours", "hours_low", "hours_high", "cost_usd", "cost_usd_low",
                  "cost_usd_high", "event", "label"]
SEA_BORDER_NOTE = ("no dwell of its own: cargo by sea clears customs where it is discharged, "
                   "within the port's container dwell")


# ---------------------------------------------------------------------------------------------
# Legs


def leg_time_cost(sid: str, row: dict, length: float, assumptions: Assumptions,
                  unknowns: list) -> dict:
    """Hours and haulage cost of one segment as ranges, and what its time assumes.

    ``row`` is the segment's entry in :attr:`geo.overlay.Network.seg` (``mode``, ``status``
    and ``km_by_country`` of its drawn line, which is scaled to ``length``, the best estimate).
    Returns the keys :func:`leg_estimate` returns, plus ``km_by_country``.
    """
    parts = _scaled(row.get("km_by_country") or {}, length)
    leg = {"segment": sid, "mode": row["mode"], "status": row["status"], "km_by_country": parts}
    return {"km_by_country": parts, **leg_estimate(leg, assumptions, unknowns)}


def _scaled(km_by_country: dict, length: float) -> dict:
    total = sum(km_by_country.values())
    if total <= 0:
        return {"": length}
    return {c: km * length / total for c, km in km_by_country.items()}


def leg_estimate(leg: dict, assumptions: Assumptions, unknowns: list) -> dict:
    """``hours``, ``cost_usd`` (central), ``hours_range``, ``cost_usd_range`` ([low, high]),
    ``time_assumes`` and ``assumptions_used`` of a leg under ``assumptions``.

    ``leg`` needs ``segment``, ``mode``, ``status`` and ``km_by_country``. Each country's km
    use that country's speed and cost where the assumptions have one. ``time_assumes`` is
    ``"built"`` for an unbuilt segment and ``"normal service"`` for a disrupted or closed one
    when no speed is assumed for its status, else None. A mode without a speed or cost is
    noted in ``unknowns`` and counted as zero.
    """
    mode, status, sid = leg["mode"], leg["status"], leg["segment"]
    hours = cost = ZERO
    used: list[str] = []
    parts: list[dict] = []
    for country, km in leg["km_by_country"].items():
        speed = assumptions.per_mode("speed_kmh", mode, status, country)
        rate = assumptions.per_mode("cost_usd_per_km", mode, status, country)
        if speed is None:
            unknowns.append(f"no speed assumed for mode {mode!r} (segment {sid}): its time is not counted")
        else:
            part = speed.range.reciprocal() * km
            hours = hours + part
            used.append(speed.id)
            parts.append({"assumption": speed.id, "km": km, "hours": part.central, "cost_usd": 0.0})
        if rate is None:
            unknowns.append(f"no cost assumed for mode {mode!r} (segment {sid}): its cost is not counted")
        else:
            part = rate.range * km
            cost = cost + part
            used.append(rate.id)
            parts.append({"assumption": rate.id, "km": km, "hours": 0.0, "cost_usd": part.central})
    speed = assumptions.per_mode("speed_kmh", mode, status)
    assumed = None
    if speed is not None and speed.variant != status:
        assumed = "built" if status in UNBUILT else "normal service" if status in OUT_OF_SERVICE else None
    return {"hours": hours.central, "hours_range": hours.bounds(), "cost_usd": cost.central,
            "cost_usd_range": cost.bounds(), "time_assumes": assumed,
            "assumptions_used": list(dict.fromkeys(used)), "parts": parts}


def _leg_range(leg: dict, key: str) -> Range:
    low, high = leg[f"{key}_range"]
    return Range(low, leg[key], high)


# ---------------------------------------------------------------------------------------------
# Events


def path_events(legs: list[dict], crossings: list[dict], gauge_breaks: list[dict],
                transshipments: list[dict]) -> list[dict]:
    """Every event that costs time along a path, in travel order.

    Each is a dict with ``kind`` (one of :data:`geo.vocab.EVENTS`), ``variant`` (a land
    crossing's mode, ``"sea"`` for a crossing by sea, ``"port"`` or ``"terminal"`` for a
    transshipment, else None), ``km_from_start``, ``place_id`` and ``label``.

    Besides the mode changes between legs, a path that starts by water is loaded at its port
    of departure and one that ends by water is discharged at its port of arrival (a port
    transshipment each), and a container waits for a train to be formed wherever it joins one:
    after a transshipment to rail and at a break of gauge.
    """
    out = []
    if legs and legs[0]["mode"] in WATER_MODES:
        out.append(_event("transshipment", "port", legs[0]["km0"], legs[0]["from"],
                          f"loaded at {legs[0]['from']} (port of departure)"))
    if legs and legs[-1]["mode"] in WATER_MODES:
        out.append(_event("transshipment", "port", legs[-1]["km1"], legs[-1]["to"],
                          f"discharged at {legs[-1]['to']} (port of arrival)"))
    for c in crossings:
        where = f" at {c['place_id']}" if c.get("place_id") else ""
        variant = "sea" if c.get("via") == "sea" else _mode_at(legs, c["km_from_start"])
        out.append(_event("border_crossing", variant, c["km_from_start"], c.get("place_id"),
                          f"{c['from_unit']} -> {c['to_unit']}{where} ({c.get('via', 'land')})"))
    for g in gauge_breaks:
        out.append(_event("gauge_break", None, g["km_from_start"], g.get("place_id"), break_text(g)))
        out.append(_event("train_formation", None, g["km_from_start"], g.get("place_id"),
                          f"waiting for a train of the other gauge at {g.get('place_id') or 'the break'}"))
    for t in transshipments:
        variant = "port" if {t["from_mode"], t["to_mode"]} & WATER_MODES else "terminal"
        out.append(_event("transshipment", variant, t["km_from_start"], t["place_id"],
                          f"{t['from_mode']} -> {t['to_mode']} at {t['place_id']}"))
        if t["to_mode"] == "rail":
            out.append(_event("train_formation", None, t["km_from_start"], t["place_id"],
                              f"waiting for a train to be formed at {t['place_id']}"))
    for i, leg in enumerate(legs):
        if leg["mode"] not in WATER_MODES:
            continue
        nxt = legs[i + 1]["mode"] if i + 1 < len(legs) else None
        if nxt != leg["mode"]:
            out.append(_event("port_call", None, leg["km1"], leg["to"],
                              f"ship in port at {leg['to']}"))
        if leg["mode"] == "ferry" and (i == 0 or legs[i - 1]["mode"] != "ferry"):
            out.append(_event("ferry_wait", None, leg["km0"], leg["from"],
                              f"waiting for a sailing at {leg['from']}"))
    return sorted(out, key=lambda e: (e["km_from_start"], EVENT_ORDER[e["kind"]]))


def _event(kind, variant, km, place, label) -> dict:
    return {"kind": kind, "variant": variant, "km_from_start": float(km), "place_id": place,
            "label": label}


def _mode_at(legs: list[dict], km: float) -> str:
    """The mode of the leg that arrives at ``km`` (the last leg when km is at the very end)."""
    for leg in legs:
        if leg["km0"] < km <= leg["km1"] + 1e-9:
            return leg["mode"]
    return legs[-1]["mode"] if legs else ""


def _event_ranges(event: dict, assumptions: Assumptions, unknowns: list) -> dict:
    kind, variant = event["kind"], event["variant"]
    if kind == "border_crossing" and variant == "sea":
        return {"dwell_h": 0.0, "dwell_h_range": [0.0, 0.0], "cost_usd": 0.0,
                "cost_usd_range": [0.0, 0.0], "assumptions_used": [], "dwell_assumption": None,
                "fee_assumption": None, "note": SEA_BORDER_NOTE}
    named = f"{kind} ({variant})" if variant else kind
    dwell = assumptions.per_event("dwell_h", kind, variant)
    fee = assumptions.per_event("cost_usd", kind, variant)
    if dwell is None:
        unknowns.append(f"no dwell_h assumed for {named}: not counted")
    if fee is None and kind in FEE_EVENTS:
        unknowns.append(f"no cost_usd assumed for {named}: not counted")
    d = dwell.range if dwell else ZERO
    c = fee.range if fee else ZERO
    return {"dwell_h": d.central, "dwell_h_range": d.bounds(), "cost_usd": c.central,
            "cost_usd_range": c.bounds(),
            "assumptions_used": [a.id for a in (dwell, fee) if a is not None],
            "dwell_assumption": dwell.id if dwell else None,
            "fee_assumption": fee.id if fee else None, "note": ""}


def event_totals(legs: list[dict], events: list[dict], assumptions: Assumptions,
                 unknowns: list) -> dict:
    """The estimate of a path: its legs plus the dwell and fee of each event, as ranges.

    Parameters
    ----------
    legs : list of dict
        With ``hours``, ``hours_range``, ``cost_usd`` and ``cost_usd_range``
        (:func:`leg_time_cost`).
    events : list of dict
        As :func:`path_events` gives them.
    assumptions : Assumptions
    unknowns : list
        Notes on what is not counted are appended here.

    Returns
    -------
    dict
        ``est_time_h`` and ``est_cost_usd`` (central), ``est_time_h_range`` and
        ``est_cost_usd_range`` ([low, high]), ``est_cost_unit`` (e.g. "USD per TEU"),
        ``est_basis`` (what the figures rest on, for people), ``events`` (each with its
        ``dwell_h``, ``cost_usd``, their ranges, ``assumptions_used`` and ``note``) and
        ``assumptions_used`` (ids of every assumption the estimate uses).
    """
    hours = sum((_leg_range(leg, "hours") for leg in legs), ZERO)
    cost = sum((_leg_range(leg, "cost_usd") for leg in legs), ZERO)
    priced = [{**e, **_event_ranges(e, assumptions, unknowns)} for e in events]
    for e in priced:
        hours = hours + Range(e["dwell_h_range"][0], e["dwell_h"], e["dwell_h_range"][1])
        cost = cost + Range(e["cost_usd_range"][0], e["cost_usd"], e["cost_usd_range"][1])
    used = [i for item in [*legs, *priced] for i in item.get("assumptions_used", [])]
    return {"est_time_h": hours.central, "est_time_h_range": hours.bounds(),
            "est_cost_usd": cost.central, "est_cost_usd_range": cost.bounds(),
            "est_cost_unit": f"{assumptions.currency} per {assumptions.cost_per}",
            "est_basis": (f"model estimates from {assumptions.basis_text()}; low and high put "
                          "every assumption at its low or high end at once"),
            "events": priced, "assumptions_used": sorted(set(used))}


def reestimate(metrics: dict, assumptions: Assumptions) -> dict:
    """The metrics of a path with its time and cost estimated under other assumptions.

    Geometry, crossings and events stay as they are; legs, ``est_*`` keys, ``events``,
    ``assumptions_used`` and ``assumptions_file`` are recomputed (fast: no overlay, no
    routing). Use it for scenarios (:func:`geo.assumption_scenarios.with_overrides`).
    """
    notes: list[str] = []
    legs = [{**leg, **leg_estimate(leg, assumptions, notes)} for leg in metrics["legs"]]
    estimate = event_totals(legs, metrics["events"], assumptions, notes)
    unknowns = list(dict.fromkeys([*metrics.get("unknowns", []), *notes]))
    return {**metrics, "legs": legs, **estimate, "unknowns": unknowns,
            "assumptions_file": assumptions.path}


# ---------------------------------------------------------------------------------------------
# Components

COMPONENT_COLUMNS = ["component", "assumption", "basis", "count", "km", "time_h", "cost_usd",
                     "includes"]


def components(metrics: dict, assumptions: Assumptions) -> pd.DataFrame:
    """What the central estimate of a path adds up, one row per assumption used.

    Columns :data:`COMPONENT_COLUMNS`: the ``component`` (:data:`geo.vocab.COMPONENTS`), the
    ``assumption`` id and its ``basis``, ``count`` (legs or events it prices), ``km`` (for
    haulage and travel), ``time_h`` and ``cost_usd`` it adds and ``includes`` (the other
    components its measured figure covers). ``time_h`` sums to ``est_time_h`` and ``cost_usd``
    to ``est_cost_usd``: nothing is left out and nothing added twice.
    """
    rows: dict[str, dict] = {}

    def add(aid: str | None, km: float, hours: float, cost: float) -> None:
        if aid is None:
            return
        entry = assumptions.entries[aid]
        row = rows.setdefault(aid, {"component": entry.component, "assumption": aid,
                                    "basis": entry.basis, "count": 0, "km": 0.0, "time_h": 0.0,
                                    "cost_usd": 0.0, "includes": ", ".join(entry.includes)})
        row["count"] += 1
        row["km"] += km
        row["time_h"] += hours
        row["cost_usd"] += cost

    for leg in metrics["legs"]:
        for part in leg.get("parts", []):
            add(part["assumption"], part["km"], part["hours"], part["cost_usd"])
    for e in metrics["events"]:
        add(e.get("dwell_assumption"), 0.0, e["dwell_h"], 0.0)
        add(e.get("fee_assumption"), 0.0, 0.0, e["cost_usd"])
    frame = pd.DataFrame(list(rows.values()), columns=COMPONENT_COLUMNS)
    return frame.sort_values(["component", "assumption"], ignore_index=True)


def double_counted(metrics: dict, assumptions: Assumptions) -> list[str]:
    """Each component the estimate of a path counts twice, in words (empty when none).

    A component is counted twice when one assumption the estimate uses covers it by its
    ``includes`` (its figure was measured over more than its own component) and another the
    estimate uses adds it as its own: for example a sea rate taken from an all-in port-to-door
    price beside a port handling fee and a rail haulage rate.
    """
    used = [assumptions.entries[a] for a in metrics["assumptions_used"]]
    own: dict[str, list[str]] = {}
    for a in used:
        own.setdefault(a.component, []).append(a.id)
    out = []
    for a in used:
        for component in a.includes:
            for other in own.get(component, []):
                out.append(f"{component}: counted by {other} and already included in {a.id}")
    return out


# ---------------------------------------------------------------------------------------------
# Text and series


def duration_text(hours: float, low: float, high: float) -> str:
    """A model time and its range in the unit that reads best, the days only from two days.

    ``"8 min (range 6-11 min)"`` when even the high end is under an hour; ``"5.5 h (range
    4.1-7.9 h)"`` under ten hours; ``"26 h (range 20-35 h)"`` under two days; beyond,
    ``"399 h = 16.6 days (range 301-665 h)"``.
    """
    if high < 1:
        return f"{hours * 60:,.0f} min (range {low * 60:,.0f}-{high * 60:,.0f} min)"
    if hours < 10:
        return f"{hours:,.1f} h (range {low:,.1f}-{high:,.1f} h)"
    days = f" = {hours / 24:,.1f} days" if hours >= 48 else ""
    return f"{hours:,.0f} h{days} (range {low:,.0f}-{high:,.0f} h)"


def estimate_text(metrics: dict) -> str:
    """The estimate in words: "399 h = 16.6 days (range 301-665 h); USD 8,288 per TEU (range
    7,115-10,938)", a short time in minutes or hours (:func:`duration_text`). Its basis is
    ``metrics["est_basis"]``."""
    lo, hi = metrics["est_time_h_range"]
    clo, chi = metrics["est_cost_usd_range"]
    unit = metrics.get("est_cost_unit", "USD")
    currency, _, per = unit.partition(" per ")
    per_text = f" per {per}" if per else ""
    return (f"{duration_text(metrics['est_time_h'], lo, hi)}; {currency} "
            f"{metrics['est_cost_usd']:,.0f}{per_text} (range {clo:,.0f}-{chi:,.0f})")


def time_cost_series(metrics: dict, *, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Cumulative distance against cumulative time and cost, as in UNESCAP time/cost-distance
    charts, with the low-high band.

    Parameters
    ----------
    metrics : dict
        The result of :func:`geo.path_metrics` or :func:`geo.route_metrics`.
    assumptions : Assumptions, optional
        Estimate under these (a scenario) instead of those the metrics were computed with.

    Returns
    -------
    pandas.DataFrame
        :data:`SERIES_COLUMNS`: ``km``, ``hours``, ``hours_low``, ``hours_high``, ``cost_usd``,
        ``cost_usd_low``, ``cost_usd_high``, ``event`` {"start", "segment", "border",
        "gauge_break", "transshipment", "port_call", "ferry_wait", "end"} and ``label``, in
        travel order. At each event two rows share the same ``km``: before and after the
        dwell, so a line through the rows draws the vertical step.
    """
    if assumptions is not None:
        metrics = reestimate(metrics, assumptions)
    legs = metrics["legs"]
    ends = [(leg["km1"], 0, "segment", leg) for leg in legs]
    marks = [(e["km_from_start"], 1, "event", e) for e in metrics["events"]]
    rows = [_row(0.0, ZERO, ZERO, "start", metrics["origin"])]
    dwell_h = dwell_usd = ZERO
    for km, _order, what, item in sorted(ends + marks, key=lambda t: (t[0], t[1])):
        hours, cost = _travel_at(legs, km)
        if what == "segment":
            rows.append(_row(km, hours + dwell_h, cost + dwell_usd, "segment", item["name"]))
            continue
        rows.append(_row(km, hours + dwell_h, cost + dwell_usd, "segment", ""))
        dwell_h = dwell_h + Range(item["dwell_h_range"][0], item["dwell_h"], item["dwell_h_range"][1])
        dwell_usd = dwell_usd + Range(item["cost_usd_range"][0], item["cost_usd"],
                                      item["cost_usd_range"][1])
        label = item["label"] + (f"; {item['note']}" if item.get("note") else "")
        rows.append(_row(km, hours + dwell_h, cost + dwell_usd, SERIES_EVENT[item["kind"]], label))
    last = dict(rows[-1])
    last.update(event="end", label=metrics["destination"])
    rows.append(last)
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def _row(km: float, hours: Range, cost: Range, event: str, label: str) -> dict:
    return {"km": km, "hours": hours.central, "hours_low": hours.low, "hours_high": hours.high,
            "cost_usd": cost.central, "cost_usd_low": cost.low, "cost_usd_high": cost.high,
            "event": event, "label": label}


def _travel_at(legs, km: float) -> tuple[Range, Range]:
    """Travel hours and haulage cost (no dwell) from the start to ``km`` along the legs."""
    hours = cost = ZERO
    for leg in legs:
        span = leg["km1"] - leg["km0"]
        if km >= leg["km1"]:
            hours = hours + _leg_range(leg, "hours")
            cost = cost + _leg_range(leg, "cost_usd")
            continue
        if km > leg["km0"] and span > 0:
            share = (km - leg["km0"]) / span
            hours = hours + _leg_range(leg, "hours") * share
            cost = cost + _leg_range(leg, "cost_usd") * share
        break
    return hours, cost
