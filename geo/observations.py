"""Published door-to-door times and costs per named route (``data/observations.yaml``).

Each observation is one published figure for a whole trip along a named route: who measured
or claimed it, when, for what cargo unit, and what exactly was measured. Fields:

``id``, ``route`` (a route id of ``routes.yaml``), ``origin`` and ``destination`` (as the
source names them), ``cargo_unit`` (as the source says), ``year`` (of the trip or figure),
``kind`` {"measured", "estimated", "claimed"}: a shipment that was timed, a study's estimate,
or a statement by an operator or official; ``days_min``/``days_max`` and/or
``cost_usd_min``/``cost_usd_max`` (equal when one figure was published), ``cost_per``
{"TEU", "FEU", "container"} when a cost is given, ``what`` (what was measured, in the source's
terms), ``source``, ``url`` (one or a list), ``date`` (of the publication). Optional:
``differs_from_route`` (how the observed trip differs from the route as the data draws it)
and ``source_of_assumptions`` (ids of assumptions derived from this same figure: a comparison
with those is not independent). An assumption fitted to observations (basis ``fitted``) names
them in its ``fitted_to``; the loader adds its id to their ``source_of_assumptions``, and
refuses a ``fitted_to`` that names no observation.

A data folder without ``observations.yaml`` has no observations.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._validate import Problems, check_date, check_required, check_unique, is_blank, yaml_records
from .assumptions import load_assumptions
from .data import load_routes
from .files import data_path, file_stamp
from .vocab import COST_UNITS, OBSERVATION_KINDS

COLUMNS = ["route", "origin", "destination", "cargo_unit", "year", "kind", "days_min",
           "days_max", "cost_usd_min", "cost_usd_max", "cost_per", "what", "source", "url",
           "date", "differs_from_route", "source_of_assumptions"]
REQUIRED = ["route", "origin", "destination", "cargo_unit", "year", "kind", "what", "source",
            "url", "date"]
MEASURES = {"days": ("days_min", "days_max"), "cost_usd": ("cost_usd_min", "cost_usd_max")}

__all__ = ["load_observations", "observations_between", "observations_path", "route_observations"]


def observations_path(data_dir: Path | str | None = None) -> Path:
    """``observations.yaml`` of the data folder (``settings.data_dir`` by default)."""
    return data_path("observations.yaml", data_dir)


def load_observations(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Published door-to-door times and costs, indexed by ``id``, columns :data:`COLUMNS`.

    Checks every record (required fields, known route, kind, numbers with min <= max, a cost
    unit with every cost, known assumption ids) and raises one
    :class:`~geo.DataValidationError` listing every problem by observation and field.

    Raises
    ------
    FileNotFoundError
        The data folder has no ``observations.yaml``.
    """
    path = observations_path(data_dir)
    routes = tuple(load_routes(data_dir).index)
    assumptions = load_assumptions(data_dir)
    fitted = tuple((a.id, a.fitted_to) for a in assumptions.entries.values() if a.fitted_to)
    frame = _load(file_stamp(path), routes, tuple(assumptions.entries)).copy()
    _add_fitted(frame, fitted, assumptions.path)
    return frame


def _add_fitted(frame: pd.DataFrame, fitted: tuple, assumptions_path: str) -> None:
    """Name each fitted assumption among the ``source_of_assumptions`` of the observations it
    was fitted to; an id in ``fitted_to`` that is no observation is refused."""
    problems = Problems(assumptions_path, noun="assumption")
    for aid, oids in fitted:
        for oid in oids:
            if oid not in frame.index:
                problems.add(aid, "fitted_to", oid, "is not an observation id of "
                             "observations.yaml (`corridors calibration` lists them)")
                continue
            known = frame.at[oid, "source_of_assumptions"]
            if aid not in known:
                frame.at[oid, "source_of_assumptions"] = (*known, aid)
    problems.raise_if_any()


def route_observations(route_id: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """The observations of one named route (empty when there are none or no file)."""
    frame = _optional(data_dir)
    return frame[frame["route"] == route_id]


def observations_between(origin: str, destination: str,
                         data_dir: Path | str | None = None) -> pd.DataFrame:
    """Observations of the named routes that join these two place ids, in either direction."""
    frame = _optional(data_dir)
    routes = load_routes(data_dir)
    ids = [rid for rid, o, d in zip(routes.index, routes["origin"], routes["destination"], strict=True)
           if {o, d} == {origin, destination}]
    return frame[frame["route"].isin(ids)]


def _optional(data_dir) -> pd.DataFrame:
    if not observations_path(data_dir).exists():
        return pd.DataFrame(columns=COLUMNS, index=pd.Index([], name="id"))
    return load_observations(data_dir)


@lru_cache(maxsize=8)
def _load(stamp: tuple, routes: tuple, assumption_ids: tuple) -> pd.DataFrame:
    path = stamp[0]
    problems = Problems(path, noun="observation")
    records = yaml_records(problems, path, "observations")
    rows = []
    for label, raw in records:
        row = _check(problems, label, raw, routes, assumption_ids)
        if row is not None:
            rows.append(row)
    check_unique(problems, [raw.get("id") for _, raw in records if raw.get("id")])
    problems.raise_if_any()
    return pd.DataFrame(rows, columns=["id", *COLUMNS]).set_index("id")


def _check(problems: Problems, oid, raw: dict, routes, assumption_ids) -> dict | None:
    before = len(problems.items)
    check_required(problems, oid, raw, ["id", *REQUIRED])
    if not is_blank(raw.get("route")) and raw["route"] not in routes:
        problems.add(oid, "route", raw["route"], f"is not a route of routes.yaml ({', '.join(routes)})")
    if not is_blank(raw.get("kind")) and raw["kind"] not in OBSERVATION_KINDS:
        problems.add(oid, "kind", raw["kind"], f"must be one of {list(OBSERVATION_KINDS)}")
    year = raw.get("year")
    if not is_blank(year) and (isinstance(year, bool) or not isinstance(year, int)
                               or not 1900 <= year <= 2100):
        problems.add(oid, "year", year, "must be a year such as 2022")
    if not is_blank(raw.get("date")):
        check_date(problems, oid, "date", str(raw["date"]))
    given = [m for m, (lo, hi) in MEASURES.items() if not (is_blank(raw.get(lo)) and is_blank(raw.get(hi)))]
    if not given:
        problems.add(oid, "days_min/cost_usd_min", None, "give a time (days_min, days_max) or a "
                     "cost (cost_usd_min, cost_usd_max), or both")
    for measure in given:
        _check_pair(problems, oid, raw, *MEASURES[measure])
    if "cost_usd" in given and raw.get("cost_per") not in COST_UNITS:
        problems.add(oid, "cost_per", raw.get("cost_per"),
                     f"must be one of {list(COST_UNITS)} when a cost is given")
    urls = raw.get("url") if isinstance(raw.get("url"), list) else [raw.get("url")]
    for url in urls:
        if not is_blank(url) and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            problems.add(oid, "url", url, "must be a web address (http:// or https://)")
    used = raw.get("source_of_assumptions") or []
    if not isinstance(used, list):
        problems.add(oid, "source_of_assumptions", used, "must be a list of assumption ids")
        used = []
    for aid in used:
        if aid not in assumption_ids:
            problems.add(oid, "source_of_assumptions", aid, "is not an assumption id "
                         "(`corridors assumptions` lists them)")
    if len(problems.items) > before:
        return None
    row = {"id": str(oid), **{c: raw.get(c) for c in COLUMNS}}
    row.update(url=tuple(urls), source_of_assumptions=tuple(used), date=str(raw["date"]),
               differs_from_route=" ".join(str(raw.get("differs_from_route") or "").split()),
               what=" ".join(str(raw["what"]).split()))
    for lo, hi in MEASURES.values():
        row[lo] = None if is_blank(raw.get(lo)) else float(raw[lo])
        row[hi] = None if is_blank(raw.get(hi)) else float(raw[hi])
    return row


def _check_pair(problems, oid, raw, lo_field, hi_field) -> None:
    values = {}
    for name in (lo_field, hi_field):
        value = raw.get(name)
        if is_blank(value):
            problems.add(oid, name, value, f"is required with {lo_field if name == hi_field else hi_field}"
                         " (equal when one figure was published)")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.add(oid, name, value, "must be a positive number")
        else:
            values[name] = value
    if len(values) == 2 and values[lo_field] > values[hi_field]:
        problems.add(oid, f"{lo_field}/{hi_field}", (values[lo_field], values[hi_field]),
                     "min must not exceed max")
