"""Two states of the network side by side: one date against another, or today against a scenario.

:func:`compare_states` routes the same origin and destination (or measures the same named
route) in both states and gives the change in km, time, cost, border crossings and gauge
breaks, and the segments whose status differs between them, for a table and a map of what
changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ._errors import NoPathError
from .dated import network_at
from .lifecycle import Scenario, parse_when
from .metrics import route_metrics
from .routing import compare

__all__ = ["State", "compare_states", "status_changes"]


@dataclass(frozen=True)
class State:
    """A state of the network: statuses on a date (None: today), under a scenario (or none)."""

    when: str | dt.date | None = None
    scenario: Scenario | None = None

    def label(self) -> str:
        day = parse_when(self.when).isoformat()
        projected = parse_when(self.when) > parse_when(None) or self.scenario is not None
        text = f"as of {day}" + (" (projected)" if projected else "")
        return text + (f", scenario {self.scenario.name!r}" if self.scenario else "")


def compare_states(
    a: State,
    b: State,
    *,
    origin: str | None = None,
    destination: str | None = None,
    route: str | None = None,
    data_dir: Path | str | None = None,
    **constraints,
) -> dict:
    """The best path (or the named ``route``) in state ``a`` and in state ``b``, and the change.

    Parameters
    ----------
    a, b
        The two states.
    origin, destination
        Places to route between (any name form), with ``constraints`` as for
        :func:`geo.compare` (``avoid``, ``status``, ``mode``, ``weight``); or
    route
        A named route, measured in both states.

    Returns
    -------
    dict
        ``a`` and ``b`` (``label`` and ``metrics``, which are None where no path exists in
        that state, with ``why``), ``change`` (b minus a: ``km``, ``hours``, ``cost_usd``,
        ``crossings``, ``gauge_breaks``; None where either side has no path) and
        ``status_changes`` (see :func:`status_changes`).
    """
    sides = {}
    for key, state in (("a", a), ("b", b)):
        metrics, why = _measure(state, origin, destination, route, data_dir, constraints)
        sides[key] = {"label": state.label(), "metrics": metrics, "why": why}
    ma, mb = sides["a"]["metrics"], sides["b"]["metrics"]
    change = None
    if ma is not None and mb is not None:
        change = {"km": mb["length_km"] - ma["length_km"],
                  "hours": mb["est_time_h"] - ma["est_time_h"],
                  "cost_usd": mb["est_cost_usd"] - ma["est_cost_usd"],
                  "crossings": len(mb["border_crossings"]) - len(ma["border_crossings"]),
                  "gauge_breaks": len(mb["gauge_breaks"]) - len(ma["gauge_breaks"])}
    return {**sides, "change": change, "status_changes": status_changes(a, b, data_dir)}


def _measure(state: State, origin, destination, route, data_dir, constraints):
    if route is not None:
        return route_metrics(route, data_dir, as_of=state.when or "today",
                             scenario=state.scenario), ""
    try:
        best = compare(origin, destination, k=1, data_dir=data_dir, as_of=state.when or "today",
                       scenario=state.scenario, **constraints)[0]
    except NoPathError as err:
        return None, str(err)
    return best, ""


def status_changes(a: State, b: State, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Segments whose status differs between two states: ``segment``, ``name``, ``mode``,
    ``status_a``, ``status_b``, ``basis_b`` (what state b's status rests on) and ``geometry``
    (for a map of what changed)."""
    na = network_at(data_dir, a.when or "today", a.scenario)
    nb = network_at(data_dir, b.when or "today", b.scenario)
    sa, sb = na.segments, nb.segments
    changed = sa.index[sa["status"] != sb["status"]]
    return pd.DataFrame({
        "segment": list(changed),
        "name": list(sb.loc[changed, "name"]),
        "mode": list(sb.loc[changed, "mode"]),
        "status_a": list(sa.loc[changed, "status"]),
        "status_b": list(sb.loc[changed, "status"]),
        "basis_b": list(sb.loc[changed, "status_basis"]),
        "geometry": list(sb.geometry.loc[changed]),
    }, columns=["segment", "name", "mode", "status_a", "status_b", "basis_b", "geometry"])
