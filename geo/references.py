"""Published figures set beside the figures computed from the data, and the route table.

The figures are read by :mod:`geo.published`. :func:`reference_comparison` computes the
counterpart of each (a border length, a route's or a section's length) and the difference;
:func:`routes_table` gives every named route's metrics beside its published length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._errors import NoPathError, UnknownPlaceError, UnknownRouteError
from .borders import shared_border_km
from .data import load_borders, load_routes, load_territories
from .dated import network_at
from .files import data_path, file_stamp
from .lifecycle import Scenario
from .metrics import measure_route, route_metrics
from .overlay import segment_metrics
from .published import CAUSES, load_references
from .routing import compare
from .traced import traced_by_segment


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
        One row per reference: ``id``, ``kind``, ``measures``, ``chainage`` (whether the figure
        is the published length that route metrics use as their best estimate),
        ``reference_value``, ``unit``, ``computed_value`` (measured on the drawn line or the
        borders file, never the published figure itself; NaN where it cannot be computed),
        ``diff_pct`` (computed minus published, in percent of published), ``source``, ``date``,
        ``explanation`` (known causes of a difference, or why nothing was computed).
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
            "chainage": bool(ref["chainage"]),
            "reference_value": value,
            "unit": ref["unit"],
            "computed_value": computed,
            "diff_pct": (computed - value) / value * 100.0 if computed is not None else None,
            "source": ref["source"],
            "date": ref["date"],
            "explanation": " ".join(c for c in causes if c),
        })
    columns = ["id", "kind", "measures", "chainage", "reference_value", "unit", "computed_value",
               "diff_pct", "source", "date", "explanation"]
    return pd.DataFrame(rows, columns=columns)


def _compute(ref, data_dir) -> tuple[float | None, str]:
    """The computed counterpart of a reference, or None and the reason."""
    kind, subject = ref["kind"], ref["subject"]
    try:
        if kind == "border":
            return _border_km(str(subject["a"]), str(subject["b"]), data_dir), ""
        if kind == "route":
            return _measured(route_metrics(subject["route"], data_dir), subject, data_dir), ""
        if kind == "section":
            return _section_km(subject, data_dir), ""
    except (UnknownRouteError, UnknownPlaceError, NoPathError, KeyError, ValueError) as err:
        return None, f"Not computed: {err}."
    except FileNotFoundError as err:
        return None, f"Not computed: {err}."
    return None, ""


def _measured(metrics: dict, subject: dict, data_dir) -> float:
    """The path's length measured on the drawn line, or its part inside ``subject["country"]``."""
    return _segments_km(metrics["segments"], subject.get("country"), data_dir)


def _segments_km(ids: list[str], country: str | None, data_dir) -> float:
    """Drawn length of the segments, all of it or inside one country (or unit such as AZE-NX)."""
    segs = segment_metrics(data_dir)
    missing = [s for s in ids if s not in segs.index]
    if missing:
        msg = f"unknown segment id(s) {', '.join(map(repr, missing))}"
        raise KeyError(msg)
    if not country:
        return float(segs.loc[ids, "length_km"].sum())
    col = "km_by_unit" if "-" in country else "km_by_country"
    return float(sum(segs.at[s, col].get(country, 0.0) for s in ids))


def _section_km(subject: dict, data_dir) -> float:
    if subject.get("segments"):
        return _segments_km(list(subject["segments"]), subject.get("country"), data_dir)
    a, b = subject["between"]
    best = compare(a, b, mode=subject.get("mode"), status=subject.get("status"), k=1,
                   data_dir=data_dir)[0]
    return _measured(best, subject, data_dir)


def chainage_gaps(data_dir: Path | str | None = None) -> dict:
    """How far the drawn lines are from the published lengths used as chainage.

    Returns ``n`` (chainage entries), ``median_gap_pct`` (median of ``|measured - published|``
    in percent of published), ``median_diff_pct`` (signed) and ``worst`` (the entry id with the
    largest gap); None figures when there is no chainage entry.
    """
    table = reference_comparison(data_dir)
    rows = table[table["chainage"] & table["diff_pct"].notna()]
    if rows.empty:
        return {"n": 0, "median_gap_pct": None, "median_diff_pct": None, "worst": None}
    gaps = rows["diff_pct"].abs()
    return {"n": len(rows), "median_gap_pct": float(gaps.median()),
            "median_diff_pct": float(rows["diff_pct"].median()),
            "worst": str(rows.loc[gaps.idxmax(), "id"])}


def basis_gaps(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Each published segment length (chainage) beside the drawn line and the traced track.

    One row per chainage entry whose segments all have a traced figure (:mod:`geo.traced`),
    indexed by the reference ``id``: ``published_km``, ``drawn_km`` (measured on the drawn
    lines), ``traced_km`` (OSM track between the end stations), and ``drawn_gap_pct`` and
    ``traced_gap_pct`` (signed, in percent of published). Empty without traced figures.
    """
    columns = ["published_km", "drawn_km", "traced_km", "drawn_gap_pct", "traced_gap_pct"]
    traced = traced_by_segment(data_dir)
    refs = load_references(data_dir)
    rows = {}
    if traced and len(refs):
        drawn = segment_metrics(data_dir)["length_km"]
        for rid, ref in refs[refs["chainage"]].iterrows():
            ids = list(ref["subject"]["segments"])
            if not all(s in traced for s in ids):
                continue
            published = float(ref["value"])
            d = float(drawn.loc[ids].sum())
            t = sum(float(traced[s]["km"]) for s in ids)
            rows[rid] = [published, d, t, 100 * (d - published) / published,
                         100 * (t - published) / published]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis("id")


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
    "route_id", "name", "origin", "destination", "exists_today", "km_operational",
    "km_under_construction", "km_planned", "km_out_of_service", "length_km", "measured_km",
    "length_basis", "km_by_country", "km_by_status", "km_by_mode", "border_crossings",
    "gauge_breaks", "gauge_unknown_km", "est_time_h", "est_time_h_range", "est_cost_usd",
    "est_cost_usd_range", "est_cost_unit", "est_basis", "straight_km", "detour_index",
    "transshipments", "unknowns", "status_as_of", "stale_segments",
]
REFERENCE_COLUMNS = ["ref_length_km", "ref_diff_pct", "ref_id", "ref_source"]


def routes_table(
    data_dir: Path | str | None = None,
    *,
    as_of: str | dt.date | None = None,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """One row per named route with its metrics and, where published, the reference length.

    Columns: :data:`ROUTE_COLUMNS` (see :func:`geo.path_metrics`), then ``ref_length_km``,
    ``ref_diff_pct``, ``ref_id`` and ``ref_source`` (empty where ``references.yaml`` has no
    whole-route length). ``as_of`` and ``scenario`` as for :func:`geo.route_metrics`.
    """
    routes = load_routes(data_dir)
    net = network_at(data_dir, as_of, scenario)
    rows = [measure_route(routes, rid, data_dir, net) for rid in routes.index]
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
