"""Calibration: the model's range beside published door-to-door times and costs.

For each observation of a named route (:mod:`geo.observations`) the table gives the observed
figure (min to max), the model's low, central and high, the difference between the central and
the observed range, and where the central lies outside it the assumptions that explain the gap.

Which assumptions explain a gap is computed, not typed: each assumption the route's estimate
uses is moved alone to its low and to its high end, the others staying central
(:func:`sensitivity`). Those that move the estimate furthest towards the observation are named,
largest first, until together they close the gap (at most three); when even every assumption at
its end at once cannot reach the observation, the table says the figure lies beyond the model's
range. How the observed trip differs from the drawn route (``differs_from_route``) and figures
that are not independent of an assumption (``source_of_assumptions``) are given as notes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from .assumptions import Assumptions, load_assumptions
from .metrics import route_metrics
from .observations import load_observations
from .timecost import components, reestimate

__all__ = ["calibration_summary", "calibration_table", "compare_to_observations", "fit_assumptions",
           "sensitivity"]

COLUMNS = ["route", "observation", "kind", "year", "measure", "unit", "observed_min",
           "observed_max", "model_low", "model_central", "model_high", "difference", "result",
           "explained_by", "components", "notes", "set"]
# An observation some assumption of the estimate was fitted to (or derived from) is no test of
# the model; one it was not fitted to is.
FITTED, HELD_OUT = "fitted to", "held out"
# The assumption groups behind each measure.
TIME_GROUPS, COST_GROUPS = ("speed_kmh", "dwell_h"), ("cost_usd_per_km", "cost_usd")
# measure -> (observation fields, metrics keys, divisor from model units to shown units, unit)
MEASURES = {
    "time": (("days_min", "days_max"), ("est_time_h", "est_time_h_range"), 24.0),
    "cost": (("cost_usd_min", "cost_usd_max"), ("est_cost_usd", "est_cost_usd_range"), 1.0),
}
MAX_NAMED = 3


def sensitivity(metrics: dict, assumptions: Assumptions) -> pd.DataFrame:
    """Each assumption the estimate uses, alone at its low and at its high end.

    Returns
    -------
    pandas.DataFrame
        Indexed by assumption id, columns ``low``, ``high``, ``unit``, ``time_h_at_low``,
        ``time_h_at_high``, ``cost_usd_at_low``, ``cost_usd_at_high``: the path's central
        estimate with that one assumption moved, the others central.
    """
    rows = []
    for aid in metrics["assumptions_used"]:
        entry = assumptions.entries[aid]
        row = {"id": aid, "low": entry.low, "high": entry.high, "unit": entry.unit}
        for bound in ("low", "high"):
            moved = assumptions.with_entry(replace(entry, central=getattr(entry, bound)))
            m = reestimate(metrics, moved)
            row[f"time_h_at_{bound}"] = m["est_time_h"]
            row[f"cost_usd_at_{bound}"] = m["est_cost_usd"]
        rows.append(row)
    columns = ["id", "low", "high", "unit", "time_h_at_low", "time_h_at_high", "cost_usd_at_low",
               "cost_usd_at_high"]
    return pd.DataFrame(rows, columns=columns).set_index("id")


def compare_to_observations(metrics: dict, observations: pd.DataFrame,
                            assumptions: Assumptions) -> pd.DataFrame:
    """The model's estimate of one path beside each observation, one row per measure given.

    Parameters
    ----------
    metrics : dict
        :func:`geo.route_metrics` (or :func:`geo.timecost.reestimate` of it for a scenario).
    observations : pandas.DataFrame
        Rows of :func:`geo.observations.load_observations`.
    assumptions : Assumptions
        Those the metrics were estimated with.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`. Time in days, cost in USD per the observation's unit. ``result`` is
        "within", "model below", "model above" or "not compared" (a cost per another unit
        than the model's); ``difference`` is the central minus the nearest observed bound
        (0 when within). ``set`` is "fitted to" when an assumption the estimate uses was fitted
        to or derived from the observation (``source_of_assumptions``), else "held out": only
        held-out rows test the model.
    """
    sens = sensitivity(metrics, assumptions)
    rows = []
    for oid, obs in observations.iterrows():
        for measure in MEASURES:
            row = _row(metrics, sens, assumptions, str(oid), obs, measure)
            if row is not None:
                rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(metrics, sens, assumptions, oid, obs, measure) -> dict | None:
    (lo_field, hi_field), (central_key, range_key), scale = MEASURES[measure]
    if pd.isna(obs[lo_field]):
        return None
    groups = TIME_GROUPS if measure == "time" else COST_GROUPS
    shared = {a for a in set(obs.get("source_of_assumptions") or ()) & set(metrics["assumptions_used"])
              if a.split(".")[0] in groups}
    which = FITTED if shared else HELD_OUT
    lo, hi = float(obs[lo_field]), float(obs[hi_field])
    central = metrics[central_key] / scale
    low, high = (v / scale for v in metrics[range_key])
    notes = _notes(metrics, obs)
    unit = "days"
    if measure == "cost":
        unit = f"USD per {obs['cost_per']}"
        if obs["cost_per"] != assumptions.cost_per:
            return {**_base(oid, obs, measure, unit, lo, hi, low, central, high), "difference": None,
                    "result": "not compared", "explained_by": "", "components": "",
                    "notes": " ".join([f"Observed per {obs['cost_per']}, the model per "
                                       f"{assumptions.cost_per}.", *notes]), "set": which}
    result, gap = _place(central, lo, hi, measure)
    explained = "" if result == "within" else _explain(
        sens, measure, central, gap, low if result == "model above" else high, lo, hi)
    parts = "" if result == "within" else largest_components(metrics, assumptions, measure)
    return {**_base(oid, obs, measure, unit, lo, hi, low, central, high), "difference": gap,
            "result": result, "explained_by": explained, "components": parts,
            "notes": " ".join(notes), "set": which}


def largest_components(metrics: dict, assumptions: Assumptions, measure: str, n: int = 3) -> str:
    """The ``n`` largest components of a path's central estimate of ``measure``, measured:
    "haulage.sea (cost_usd_per_km.sea.CASPIAN, 858 km): USD 3,363 of 5,077; ..."."""
    table = components(metrics, assumptions)
    key, total = ("time_h", metrics["est_time_h"]) if measure == "time" else (
        "cost_usd", metrics["est_cost_usd"])
    table = table[table[key] > 0].sort_values(key, ascending=False).head(n)
    out = []
    for _, r in table.iterrows():
        where = f", {r['km']:,.0f} km" if r["km"] else f", {r['count']} event(s)"
        value = (f"{r[key] / 24:,.1f} d of {total / 24:,.1f}" if measure == "time"
                 else f"USD {r[key]:,.0f} of {total:,.0f}")
        out.append(f"{r['component']} ({r['assumption']}{where}): {value}")
    return "; ".join(out)


def _base(oid, obs, measure, unit, lo, hi, low, central, high) -> dict:
    return {"route": obs["route"], "observation": oid, "kind": obs["kind"], "year": obs["year"],
            "measure": measure, "unit": unit, "observed_min": lo, "observed_max": hi,
            "model_low": low, "model_central": central, "model_high": high}


def _notes(metrics: dict, obs) -> list[str]:
    out = []
    if obs.get("differs_from_route"):
        out.append(f"The observed trip: {obs['differs_from_route'].rstrip('.')}.")
    shared = sorted(set(obs.get("source_of_assumptions") or ()) & set(metrics["assumptions_used"]))
    if shared:
        out.append(f"Not independent: {', '.join(shared)} fitted to or derived from this figure.")
    return out


# Half the last digit shown (0.1 day, USD 1): a central that rounds to a bound is within.
ROUNDING = {"time": 0.05, "cost": 0.5}


def _place(central: float, lo: float, hi: float, measure: str = "cost") -> tuple[str, float]:
    slack = ROUNDING[measure]
    if central < lo - slack:
        return "model below", central - lo
    if central > hi + slack:
        return "model above", central - hi
    return "within", 0.0


def _explain(sens: pd.DataFrame, measure: str, central: float, gap: float, bound: float,
             lo: float, hi: float) -> str:
    """The assumptions that move the central towards the observed range, largest first."""
    key, scale, unit = ("time_h", 24.0, "d") if measure == "time" else ("cost_usd", 1.0, "USD")
    need = -gap  # the change that would bring the central to the nearest observed bound
    moves = []
    for aid, r in sens.iterrows():
        best = max(((r[f"{key}_at_{b}"] / scale - central, b) for b in ("low", "high")),
                   key=lambda t: t[0] * (1 if need > 0 else -1))
        if best[0] * need > 0:
            moves.append((abs(best[0]), aid, best[1], best[0], r[best[1]], r["unit"]))
    moves.sort(reverse=True)
    if not moves:
        return "no assumption moves the estimate towards it"
    named, total = [], 0.0
    for size, aid, which, delta, value, aunit in moves:
        named.append(f"{aid} at its {which} ({value:g} {aunit}): {_signed(delta, unit)}")
        total += size
        if total >= abs(need) or len(named) == MAX_NAMED:
            break
    reaches = bound >= lo if need > 0 else bound <= hi
    end = "high" if need > 0 else "low"
    if total >= abs(need):
        head = "closed by " if len(named) == 1 else "closed together by "
        tail = ""
    else:
        head = "largest levers: "
        tail = f" (together {_signed(total if need > 0 else -total, unit)} of {_signed(need, unit)} needed"
        tail += (f"; every assumption at its {end} gives {_fmt(bound, unit)}, which reaches it)"
                 if reaches else
                 f"; beyond the model's range: every assumption at its {end} gives only {_fmt(bound, unit)})")
    return head + "; ".join(named) + tail


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.1f} d" if unit == "d" else f"USD {value:,.0f}"


def _signed(value: float, unit: str) -> str:
    return f"{value:+,.1f} d" if unit == "d" else f"{'+' if value >= 0 else '-'}USD {abs(value):,.0f}"


# ---------------------------------------------------------------------------------------------
# Tables over the named routes


def calibration_table(data_dir: Path | str | None = None, *,
                      routes: list[str] | None = None) -> pd.DataFrame:
    """Every observation of ``data/observations.yaml`` beside the model (:data:`COLUMNS`).

    ``routes`` keeps only those route ids. Estimates use the assumptions in use for the data
    folder (``settings.assumptions_file`` when set).
    """
    frames = [compare_to_observations(m, obs, a) for m, obs, a in _per_route(data_dir, routes)]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def calibration_summary(data_dir: Path | str | None = None, *,
                        routes: list[str] | None = None) -> pd.DataFrame:
    """Per route and measure: the observed range over all its comparable observations (lowest
    min to highest max) beside the model's central and range, with the same columns as
    :func:`calibration_table` (``observation`` is the number of observations) plus
    ``estimate_assumes`` (what the route's time assumes about unbuilt or disrupted segments)."""
    rows = []
    for metrics, obs, assumptions in _per_route(data_dir, routes):
        table = compare_to_observations(metrics, obs, assumptions)
        sens = sensitivity(metrics, assumptions)
        for measure, part in table[table["result"] != "not compared"].groupby("measure", sort=False):
            lo, hi = part["observed_min"].min(), part["observed_max"].max()
            central, low, high = part.iloc[0][["model_central", "model_low", "model_high"]]
            result, gap = _place(central, lo, hi, measure)
            explained = "" if result == "within" else _explain(
                sens, measure, central, gap, low if result == "model above" else high, lo, hi)
            rows.append({"route": metrics["route_id"], "observation": len(part),
                         "kind": ", ".join(sorted(set(part["kind"]))), "year": None,
                         "measure": measure, "unit": part.iloc[0]["unit"], "observed_min": lo,
                         "observed_max": hi, "model_low": low, "model_central": central,
                         "model_high": high, "difference": gap, "result": result,
                         "explained_by": explained, "set": "all", "notes": "",
                         "components": "" if result == "within" else largest_components(
                             metrics, assumptions, measure),
                         "estimate_assumes": _assumes(metrics)})
    return pd.DataFrame(rows, columns=[*COLUMNS, "estimate_assumes"])


def _per_route(data_dir, routes):
    observations = load_observations(data_dir)
    assumptions = load_assumptions(data_dir)
    for rid, obs in observations.groupby("route", sort=False):
        if routes and rid not in routes:
            continue
        yield route_metrics(rid, data_dir), obs, assumptions


def _assumes(metrics: dict) -> str:
    built = [leg["segment"] for leg in metrics["legs"] if leg["time_assumes"] == "built"]
    normal = [leg["segment"] for leg in metrics["legs"] if leg["time_assumes"] == "normal service"]
    parts = []
    if built:
        parts.append(f"unbuilt segments built: {', '.join(built)}")
    if normal:
        parts.append(f"normal service on disrupted segments: {', '.join(normal)}")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# Fitting

FIT_COLUMNS = ["assumption", "fitted_to", "low", "central", "high", "in_file_low",
               "in_file_central", "in_file_high", "unit"]


def fit_assumptions(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The values of the fitted assumptions (basis ``fitted``) that fit their observations.

    Every fitted assumption is solved at once, by least squares, so that the central estimate
    of each observation's route meets the observation: its midpoint for ``central``, its
    ``min`` for ``low`` and its ``max`` for ``high``. An estimate is a sum, linear in a dwell,
    a fee or a haulage rate, so two estimates per unknown (all fitted values at 0, one at 1)
    give the equations. A time observation fits the time assumptions (dwell), a cost one the
    cost assumptions (fees, rates).

    Returns
    -------
    pandas.DataFrame
        :data:`FIT_COLUMNS`: per fitted assumption the values the fit gives beside those in
        the file (``in_file_*``), so that a change of the data that moves the fit shows.
    """
    assumptions = load_assumptions(data_dir)
    observations = load_observations(data_dir)
    fitted = [a for a in assumptions.entries.values() if a.basis == "fitted"]
    if not fitted:
        return pd.DataFrame(columns=FIT_COLUMNS)
    zero = assumptions
    for a in fitted:
        zero = zero.with_entry(replace(a, low=0.0, central=0.0, high=0.0))
    rows, targets, owner = [], {"low": [], "central": [], "high": []}, []
    metrics = {}
    for index, a in enumerate(fitted):
        for oid in a.fitted_to:
            obs = observations.loc[oid]
            measure = "time" if a.group in TIME_GROUPS else "cost"
            (lo_field, hi_field), (central_key, _), scale = MEASURES[measure]
            if pd.isna(obs[lo_field]) or (measure == "cost" and obs["cost_per"] != assumptions.cost_per):
                continue
            route = obs["route"]
            if route not in metrics:
                metrics[route] = route_metrics(route, data_dir)
            base = reestimate(metrics[route], zero)[central_key] / scale
            slopes = []
            for b in fitted:
                one = zero.with_entry(replace(b, low=1.0, central=1.0, high=1.0))
                same_measure = (b.group in TIME_GROUPS) == (measure == "time")
                slopes.append(reestimate(metrics[route], one)[central_key] / scale - base
                              if same_measure else 0.0)
            rows.append(slopes)
            owner.append(index)
            lo, hi = float(obs[lo_field]), float(obs[hi_field])
            for key, value in (("low", lo), ("central", (lo + hi) / 2), ("high", hi)):
                targets[key].append(value - base)
    if not rows:
        return pd.DataFrame(columns=FIT_COLUMNS)
    matrix = np.array(rows)
    solved = {key: np.linalg.lstsq(matrix, np.array(t), rcond=None)[0] for key, t in targets.items()}
    out = []
    for i, a in enumerate(fitted):
        values = [float(solved[k][i]) for k in ("low", "central", "high")]
        # An assumption fitted to several observations: the value each of them gives alone
        # (with the equations of the other fitted assumptions) widens the range.
        mine = [r for r, o in enumerate(owner) if o == i]
        for keep in mine if len(mine) > 1 else []:
            use = [r for r in range(len(rows)) if r == keep or r not in mine]
            for key in ("low", "high"):
                alone = np.linalg.lstsq(matrix[use], np.array(targets[key])[use], rcond=None)[0]
                values.append(float(alone[i]))
        central = values[1]
        out.append({"assumption": a.id, "fitted_to": ", ".join(a.fitted_to), "low": min(values),
                    "central": central, "high": max(values), "in_file_low": a.low,
                    "in_file_central": a.central, "in_file_high": a.high, "unit": a.unit})
    return pd.DataFrame(out, columns=FIT_COLUMNS)
