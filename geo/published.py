"""Published figures (``data/references.yaml``): read, validate, and chainage per segment.

Each reference says what exactly it measures, its value and unit, its source and date. Its
``subject`` says what to compute for comparison, by ``kind``:

``border``
    ``subject: {a: ARM, b: IRN}``: shared border length of two countries (or units such as
    ``AZE-NX``) measured on the borders file.
``route``
    ``subject: {route: ROUTE_ID}``, optionally ``country: ISO3``: a named route's length, or
    the part of it inside one country.
``section``
    ``subject: {segments: [ID, ...]}`` or ``{between: [PLACE, PLACE], mode: rail}``, optionally
    ``country: ISO3``: the summed segments, or the shortest path between two places.
``comparison``
    A published figure the data cannot compute (e.g. transit days); shown for context.

A ``section`` over ``segments`` whose ends are exactly the segments' ends may be marked
``chainage: true``: its length is then the published length (chainage) of those segments,
which route metrics use as the best estimate (:func:`geo.chainage.chainage_by_segment`). A
figure for several consecutive segments is shared among them in proportion to their drawn
lengths. A segment drawn more than ``settings.drawn_longer_pct`` longer than its chainage is
warned about when the segments load (:mod:`geo.drawn`).

A data folder without ``references.yaml`` has no references.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._validate import Problems, check_date, check_required, check_unique, is_blank, yaml_records
from .files import data_path, file_stamp

KINDS = ("border", "route", "section", "comparison")
COLUMNS = ["kind", "measures", "subject", "value", "unit", "source", "url", "date", "notes", "causes",
           "chainage"]
CAUSES = {
    "border": (
        "Natural Earth 1:10m outlines are generalised: they cut the bends that a surveyed border "
        "follows along rivers and ridges, so borders measured on them come out shorter than "
        "published (surveyed) lengths; published figures also differ between editions and "
        "sources."
    ),
    "route": (
        "Published lengths are usually chainage along the built or designed alignment, with "
        "every curve; the data draws each segment with few vertices, so its geodesic length is "
        "shorter. Published figures may also start and end at other points (station to station, "
        "border to border) than the data's places."
    ),
    "comparison": "Not computed from the data: a published figure shown for context.",
}
CAUSES["section"] = CAUSES["route"]
LENGTH_UNITS = ("km",)


def references_path(data_dir: Path | str | None = None) -> Path:
    """``references.yaml`` of the data folder (``settings.data_dir`` by default)."""
    return data_path("references.yaml", data_dir)


def load_references(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Published reference figures, indexed by ``id``; empty when the folder has no file.

    Columns: ``kind`` {"border", "route", "section", "comparison"}, ``measures``, ``subject``
    (dict), ``value``, ``unit``, ``source``, ``url``, ``date``, ``notes``, ``causes`` (list of
    known reasons a computed figure differs). Every problem in the file is reported in one
    :class:`~geo.DataValidationError`.
    """
    path = references_path(data_dir)
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS, index=pd.Index([], name="id"))
    return _load(file_stamp(path)).copy()


@lru_cache(maxsize=8)
def _load(stamp: tuple) -> pd.DataFrame:
    path = stamp[0]
    problems = Problems(path)
    rows = []
    for rid, item in yaml_records(problems, path, "references"):
        check_required(problems, rid, item, ["id", "kind", "measures", "value", "unit", "source", "date"])
        if not is_blank(item.get("date")):
            check_date(problems, rid, "date", str(item.get("date")))
        kind = item.get("kind")
        if kind not in KINDS:
            problems.add(rid, "kind", kind, f"must be one of {list(KINDS)}")
        value = item.get("value")
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_blank(value) and (not numeric or value <= 0):
            problems.add(rid, "value", value, "must be a positive number")
        if kind in ("border", "route", "section") and item.get("unit") not in LENGTH_UNITS:
            problems.add(rid, "unit", item.get("unit"), f"a {kind} length must be in {list(LENGTH_UNITS)}")
        _check_subject(problems, rid, kind, item.get("subject"))
        causes = item.get("causes") or []
        if not isinstance(causes, list):
            problems.add(rid, "causes", causes, "must be a list of strings")
        chainage = item.get("chainage", False)
        _check_chainage(problems, rid, kind, item.get("subject"), chainage)
        rows.append({
            "id": rid, "kind": kind, "measures": item.get("measures"),
            "subject": dict(item.get("subject") or {}), "value": value, "unit": item.get("unit"),
            "source": item.get("source"), "url": item.get("url") or "",
            "date": str(item.get("date")), "notes": item.get("notes") or "",
            "causes": list(causes) if isinstance(causes, list) else [],
            "chainage": chainage is True,
        })
    check_unique(problems, [r["id"] for r in rows])
    problems.raise_if_any()
    return pd.DataFrame(rows, columns=["id", *COLUMNS]).set_index("id")


def _check_subject(problems: Problems, rid: str, kind, subject) -> None:
    if kind == "comparison":
        return
    if not isinstance(subject, dict):
        problems.add(rid, "subject", subject, f"a {kind} reference needs a subject mapping")
        return
    if kind == "border" and (is_blank(subject.get("a")) or is_blank(subject.get("b"))):
        problems.add(rid, "subject", subject, "a border needs two units: {a: ISO3, b: ISO3}")
    if kind == "route" and is_blank(subject.get("route")):
        problems.add(rid, "subject", subject, "a route reference needs {route: ROUTE_ID}")
    if kind == "section":
        segs, between = subject.get("segments"), subject.get("between")
        if not (isinstance(segs, list) and segs) and not (isinstance(between, list) and len(between) == 2):
            problems.add(rid, "subject", subject,
                         "a section needs {segments: [ID, ...]} or {between: [PLACE, PLACE]}")


def _check_chainage(problems: Problems, rid: str, kind, subject, chainage) -> None:
    if chainage is False:
        return
    if chainage is not True:
        problems.add(rid, "chainage", chainage, "must be true or false")
        return
    if kind != "section" or not isinstance(subject, dict) or not subject.get("segments"):
        problems.add(rid, "chainage", chainage,
                     "only a section over {segments: [ID, ...]} can be a segment's chainage")
    elif subject.get("country"):
        problems.add(rid, "chainage", chainage,
                     "a chainage covers whole segments: leave out 'country'")
