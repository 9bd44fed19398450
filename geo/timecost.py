"""Time and cost estimates: per leg from speeds and haulage costs, per event from dwell and fees.

The assumptions (:mod:`geo.assumptions`) give speeds and costs by mode and status, and the
hours and cost of each border crossing, break of gauge and transshipment. Estimates compare
routes by the same rules; they do not predict a shipment.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .assumptions import Assumptions, load_assumptions
from .gauges import break_text
from .vocab import OUT_OF_SERVICE, UNBUILT

__all__ = ["event_totals", "leg_time_cost", "time_cost_series"]


def leg_time_cost(
    sid: str, row: dict, length: float, assumptions: Assumptions, unknowns: list
) -> tuple[float, float, str | None]:
    """Hours and haulage cost of one segment, and what its time assumes about its status.

    The third value is ``"built"`` for an unbuilt segment and ``"normal service"`` for a
    disrupted or closed one when the assumptions have no speed for that status (the default
    speed of the mode is then used), else None. A mode without a speed or cost is noted in
    ``unknowns`` and counted as zero.
    """
    mode, status = row["mode"], row["status"]
    speed = assumptions.per_mode("speed_kmh", mode, status)
    cost = assumptions.per_mode("cost_usd_per_km", mode, status)
    if speed is None:
        unknowns.append(f"no speed assumed for mode {mode!r} (segment {sid}): its time is not counted")
    if cost is None:
        unknowns.append(f"no cost assumed for mode {mode!r} (segment {sid}): its cost is not counted")
    assumed = None
    if speed is not None and speed.status is None and status in UNBUILT:
        assumed = "built"
    if speed is not None and speed.status is None and status in OUT_OF_SERVICE:
        assumed = "normal service"
    hours = length / speed.value if speed is not None else 0.0
    return hours, (length * cost.value if cost is not None else 0.0), assumed


def event_totals(legs: list[dict], events: dict, assumptions: Assumptions, unknowns: list
                 ) -> tuple[float, float]:
    """Estimated hours and cost of a path: its legs plus the dwell and fee of each event.

    ``events`` maps an event kind (``border_crossing``, ``gauge_break``, ``transshipment``)
    to how many times the path meets it.
    """
    hours = sum(leg["hours"] for leg in legs) + sum(
        n * _event_value(assumptions, "dwell_h", e, unknowns) for e, n in events.items() if n)
    cost = sum(leg["cost_usd"] for leg in legs) + sum(
        n * _event_value(assumptions, "cost_usd", e, unknowns) for e, n in events.items() if n)
    return hours, cost


def _event_value(assumptions: Assumptions, group: str, event: str, unknowns: list) -> float:
    entry = assumptions.per_event(group, event)
    if entry is None:
        unknowns.append(f"no {group} assumed for {event}: not counted")
        return 0.0
    return entry.value




def time_cost_series(metrics: dict, *, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Cumulative distance against cumulative time and cost, as in UNESCAP time/cost-distance charts.

    Parameters
    ----------
    metrics : dict
        The result of :func:`geo.path_metrics` or :func:`geo.route_metrics`.
    assumptions : Assumptions, optional
        Those the metrics were computed with (read from ``metrics["assumptions_file"]`` by
        default).

    Returns
    -------
    pandas.DataFrame
        Columns ``km``, ``hours``, ``cost_usd``, ``event`` {"start", "segment", "border",
        "gauge_break", "transshipment", "end"} and ``label``, in travel order. At each event
        two rows share the same ``km``: before and after the dwell, so a line through the rows
        draws the vertical step.
    """
    if assumptions is None:
        assumptions = load_assumptions(Path(metrics["assumptions_file"]).parent)
    events = []
    for c in metrics["border_crossings"]:
        where = f" at {c['place_id']}" if c.get("place_id") else ""
        events.append((c["km_from_start"], "border", "border_crossing",
                       f"{c['from_unit']} -> {c['to_unit']}{where} ({c['via']})"))
    for g in metrics["gauge_breaks"]:
        events.append((g["km_from_start"], "gauge_break", "gauge_break", break_text(g)))
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
