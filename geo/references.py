"""Published figures (``data/references.yaml``) set beside the figures computed from the data.

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

A data folder without ``references.yaml`` has no references.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._errors import NoPathError, UnknownPlaceError, UnknownRouteError
from ._validate import Problems, check_date, check_required, check_unique, is_blank, read_yaml
from .borders import shared_border_km
from .data import load_borders, load_routes, load_territories
from .files import data_path, file_stamp
from .metrics import path_metrics, route_metrics
from .overlay import segment_metrics
from .routing import compare

KINDS = ("border", "route", "section", "comparison")
COLUMNS = ["kind", "measures", "subject", "value", "unit", "source", "url", "date", "notes", "causes"]
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
    doc = read_yaml(problems, path)
    items = doc.get("references") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        problems.add("-", "references", type(items).__name__, "must be a list of references")
        problems.raise_if_any()
    rows = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.add(f"#{i}", "(record)", item, "must be a mapping")
            continue
        rid = item.get("id") or f"#{i}"
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
        rows.append({
            "id": rid, "kind": kind, "measures": item.get("measures"),
            "subject": dict(item.get("subject") or {}), "value": value, "unit": item.get("unit"),
            "source": item.get("source"), "url": item.get("url") or "",
            "date": str(item.get("date")), "notes": item.get("notes") or "",
            "causes": list(causes) if isinstance(causes, list) else [],
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


def route_references(data_dir: Path | str | None = None) -> dict:
    """Whole-route length references (kind ``route`` without ``country``), by route id."""
    refs = load_references(data_dir)
    out: dict = {}
    for rid, ref in refs[refs["kind"] == "route"].iterrows():
        subject = ref["subject"]
        if subject.get("country") or subject.get("route") in out:
            continue
        out[subject["route"]] = {"id": rid, "value": float(ref["value"]), "source": ref["source"]}
    return out


def reference_comparison(
    data_dir: Path | str | None = None,
    *,
    ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every reference beside the figure computed from the data, with the difference.

    Parameters
    ----------
    data_dir : path, optional
        Data folder; ``settings.data_dir`` by default.
    ids : iterable of str, optional
        Only these reference ids.

    Returns
    -------
    pandas.DataFrame
        One row per reference: ``id``, ``kind``, ``measures``, ``reference_value``, ``unit``,
        ``computed_value`` (NaN where it cannot be computed), ``diff_pct`` (computed minus
        published, in percent of published), ``source``, ``date``, ``explanation`` (known causes
        of a difference, or why nothing was computed).
    """
    refs = load_references(data_dir)
    if ids is not None:
        refs = refs.loc[[i for i in ids if i in refs.index]]
    rows = []
    for rid, ref in refs.iterrows():
        computed, why = _compute(ref, data_dir)
        causes = [CAUSES.get(ref["kind"], ""), *ref["causes"]]
        if why:
            causes = [why, *ref["causes"]]
        value = float(ref["value"])
        rows.append({
            "id": rid,
            "kind": ref["kind"],
            "measures": ref["measures"],
            "reference_value": value,
            "unit": ref["unit"],
            "computed_value": computed,
            "diff_pct": (computed - value) / value * 100.0 if computed is not None else None,
            "source": ref["source"],
            "date": ref["date"],
            "explanation": " ".join(c for c in causes if c),
        })
    columns = ["id", "kind", "measures", "reference_value", "unit", "computed_value", "diff_pct",
               "source", "date", "explanation"]
    return pd.DataFrame(rows, columns=columns)


def _compute(ref, data_dir) -> tuple[float | None, str]:
    """The computed counterpart of a reference, or None and the reason."""
    kind, subject = ref["kind"], ref["subject"]
    try:
        if kind == "border":
            return _border_km(str(subject["a"]), str(subject["b"]), data_dir), ""
        if kind == "route":
            return _part(route_metrics(subject["route"], data_dir), subject), ""
        if kind == "section":
            return _section_km(subject, data_dir), ""
    except (UnknownRouteError, UnknownPlaceError, NoPathError, KeyError, ValueError) as err:
        return None, f"Not computed: {err}."
    except FileNotFoundError as err:
        return None, f"Not computed: {err}."
    return None, ""


def _part(metrics: dict, subject: dict) -> float:
    country = subject.get("country")
    if not country:
        return float(metrics["length_km"])
    table = metrics["km_by_unit"] if country in metrics["km_by_unit"] else metrics["km_by_country"]
    return float(table.get(country, 0.0))


def _section_km(subject: dict, data_dir) -> float:
    if subject.get("segments"):
        segs = segment_metrics(data_dir)
        missing = [s for s in subject["segments"] if s not in segs.index]
        if missing:
            msg = f"unknown segment id(s) {', '.join(map(repr, missing))}"
            raise KeyError(msg)
        if not subject.get("country"):
            return float(segs.loc[subject["segments"], "length_km"].sum())
        col = "km_by_unit" if "-" in subject["country"] else "km_by_country"
        return float(sum(segs.at[s, col].get(subject["country"], 0.0) for s in subject["segments"]))
    a, b = subject["between"]
    best = compare(a, b, mode=subject.get("mode"), status=subject.get("status"), k=1,
                   data_dir=data_dir)[0]
    return _part(path_metrics(best["steps"], data_dir), subject)


def _border_km(a: str, b: str, data_dir) -> float:
    return _border_km_cached(file_stamp(data_path("borders.geojson", data_dir)), a, b)


@lru_cache(maxsize=64)
def _border_km_cached(stamp: tuple, a: str, b: str) -> float:
    folder = Path(stamp[0]).parent
    frame = load_territories(folder) if "-" in a + b else load_borders(folder)
    for code in (a, b):
        if code not in frame.index:
            msg = f"unit {code!r} is not in the borders file"
            raise KeyError(msg)
    return shared_border_km(frame.geometry.loc[a], frame.geometry.loc[b])


# ---------------------------------------------------------------------------------------------
# The route table: metrics of every named route beside its published length


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
    routes = load_routes(data_dir)
    rows = [route_metrics(rid, data_dir) for rid in routes.index]
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
