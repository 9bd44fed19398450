"""Assumption scenarios: the main assumptions changed by a user, as assumptions and as YAML.

A scenario is an :class:`~geo.assumptions.Assumptions` object in which some entries carry a
user's values (basis ``scenario``; the published figures they replace are kept in ``notes``).
:func:`with_overrides` makes one; :func:`geo.timecost.reestimate` and
:func:`geo.time_cost_series` estimate a path under it; :func:`assumptions_yaml` writes it in
the format of ``data/assumptions.yaml``, which ``corridors ... --assumptions FILE`` reads.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import yaml

from ._errors import ScenarioError
from ._validate import Problems
from .assumptions import ENTRY_FIELDS, PER_MODE, Assumption, Assumptions, parse_entry
from .dates import settings_today
from .vocab import STATUSES

__all__ = ["MAIN_ASSUMPTIONS", "assumptions_yaml", "main_assumptions", "with_overrides"]

# What the app's scenario editor offers: border dwell, speeds, gauge-break handling and the
# largest costs, by assumption id.
MAIN_ASSUMPTIONS = (
    "dwell_h.border_crossing.rail",
    "dwell_h.border_crossing.road",
    "dwell_h.gauge_break",
    "cost_usd.gauge_break",
    "dwell_h.transshipment.port",
    "dwell_h.train_formation",
    "speed_kmh.rail.default",
    "speed_kmh.rail.IRN",
    "speed_kmh.road.default",
    "speed_kmh.sea.default",
    "cost_usd_per_km.rail.IRN",
    "cost_usd_per_km.rail.AZE",
    "cost_usd_per_km.rail.RUS",
    "cost_usd_per_km.rail.default",
    "cost_usd_per_km.sea.default",
)


def main_assumptions(assumptions: Assumptions) -> pd.DataFrame:
    """The entries of :data:`MAIN_ASSUMPTIONS` that ``assumptions`` has, one row each:
    ``id``, ``low``, ``central``, ``high``, ``unit``, ``basis``, ``source``, ``applies``."""
    rows = [{"id": a.id, "low": a.low, "central": a.central, "high": a.high, "unit": a.unit,
             "basis": a.basis, "source": a.source, "applies": a.applies}
            for aid in MAIN_ASSUMPTIONS if (a := assumptions.entries.get(aid)) is not None]
    return pd.DataFrame(rows, columns=["id", "low", "central", "high", "unit", "basis", "source",
                                       "applies"])


def with_overrides(assumptions: Assumptions, overrides: Mapping[str, float | Mapping], *,
                   note: str = "set by the user") -> Assumptions:
    """A copy of ``assumptions`` with some entries set to a user's values.

    Parameters
    ----------
    assumptions : Assumptions
        The base (usually the shipped file).
    overrides : mapping
        Assumption id -> a number (the new central; low and high widen to include it when it
        lies outside them) or a mapping with any of ``low``, ``central``, ``high``.
    note : str
        Why the values were set, kept in each changed entry's ``source``.

    Raises
    ------
    ScenarioError
        Lists every unknown id and every value that is not a number, is negative (a speed:
        not positive) or out of order.
    """
    problems = Problems("scenario", error=ScenarioError, noun="assumption")
    entries = dict(assumptions.entries)
    for aid, value in overrides.items():
        base = assumptions.entries.get(aid)
        if base is None:
            problems.add(aid, "id", aid, "is not an assumption id (`corridors assumptions` lists them)")
            continue
        entry = parse_entry(problems, base.group, base.key, base.variant, _raw(base, value, note))
        if entry is not None:
            entries[aid] = entry
    problems.raise_if_any()
    return Assumptions(path=f"scenario based on {assumptions.path}", as_of=settings_today().isoformat(),
                       cargo_unit=assumptions.cargo_unit, currency=assumptions.currency,
                       cost_per=assumptions.cost_per, entries=entries)


def _raw(base: Assumption, value, note: str) -> dict:
    if isinstance(value, Mapping):
        values = {k: value.get(k, getattr(base, k)) for k in ("low", "central", "high")}
    else:
        values = {"low": base.low, "central": value, "high": base.high}
        if isinstance(value, int | float) and not isinstance(value, bool):
            values = {"low": min(base.low, value), "central": value, "high": max(base.high, value)}
    return {**values, "unit": base.unit, "basis": "scenario",
            "source": f"scenario value, {note}",
            "applies": base.applies or "as the published entry it replaces",
            "notes": (f"replaces {base.low:g} / {base.central:g} / {base.high:g} {base.unit} "
                      f"({base.basis}: {base.source})")}


def assumptions_yaml(assumptions: Assumptions) -> str:
    """The assumptions as a YAML file in the format of ``data/assumptions.yaml``.

    Reading the text back (:func:`geo.assumptions.read_assumptions`) gives the same entries.
    """
    doc: dict = {"as_of": assumptions.as_of, "cargo_unit": assumptions.cargo_unit,
                 "cost_per": assumptions.cost_per, "currency": assumptions.currency}
    for a in assumptions.entries.values():
        group = doc.setdefault(a.group, {})
        if a.group in PER_MODE:
            by_key = group.setdefault(a.key, {})
            if a.variant == "default" or a.variant in STATUSES:
                by_key[a.variant] = _entry_dict(a)
            else:
                by_key.setdefault("countries", {})[a.variant] = _entry_dict(a)
        elif a.variant is None:
            group[a.key] = _entry_dict(a)
        else:
            group.setdefault(a.key, {})[a.variant] = _entry_dict(a)
    head = (f"# Corridor Explorer time and cost assumptions: {assumptions.path}\n"
            "# Format: geo/assumptions.py. Use with: corridors COMMAND --assumptions FILE\n")
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def _entry_dict(a: Assumption) -> dict:
    out = {}
    for name in ENTRY_FIELDS:
        value = getattr(a, name)
        if name in ("url", "fitted_to", "includes"):
            value = list(value)
        if value not in ("", [], None):
            out[name] = value
    return out
