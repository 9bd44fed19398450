"""``corridors routes|compare|references|assumptions|timecost|calibration``: route metrics as tables.

Time and cost are model estimates: central (low-high), with their basis printed under tables
and carried in the csv/json columns ``est_*_range`` and ``est_basis``.
"""

from __future__ import annotations

import sys
import textwrap

import pandas as pd

from ..alternatives import via_text
from ..assumptions import load_assumptions
from ..calibration import calibration_summary, calibration_table, fit_assumptions
from ..data import load_routes
from ..gauges import gauge_breaks_text
from ..metrics import km_split_text, length_text, route_metrics, section_metrics, section_text, stale_text
from ..references import basis_gaps, chainage_gaps, reference_comparison, routes_table
from ..routing import compare
from ..style import STATUS_LABELS
from ..timecost import components, estimate_text, time_cost_series
from ..vocab import MODES, STATUSES
from .osm import OSM_COLUMNS, add_network_options, compare_on_osm
from .output import add_assumptions, add_format, emit
from .time import add_when, when_of

# The routes table without --all-columns: a subset of geo.references.ROUTE_COLUMNS.
SHORT_COLUMNS = ["route_id", "name", "exists_today", "km_operational", "km_under_construction",
                 "km_planned", "length_km", "km_by_country", "border_crossings", "gauge_breaks",
                 "est_time_h", "status_as_of"]
# ... in csv/json, with the range of the estimate.
SHORT_DATA = [*SHORT_COLUMNS[:-1], "est_time_h_range", SHORT_COLUMNS[-1]]
# Table headers of the estimates: they are model estimates, central (low-high).
ESTIMATE_HEADERS = {"est_time_h": "model time h (low-high)",
                    "est_cost_usd": "model cost USD (low-high)"}
# One line each in a compare block, after its heading.
COMPARE_ROWS = ["notes", "via", "km_by_country", "km_by_status", "km_by_mode",
                "border_crossings", "gauge_breaks", "transshipments", "straight_km",
                "detour_index", "status_as_of", "sections", "variants", "segments"]
# Data columns of compare in csv/json.
COMPARE_DATA = ["rank", "corridor", "exists_today", "km_operational", "km_under_construction",
                "km_planned", "km_out_of_service", "length_km", "measured_km", "length_basis",
                "km_by_country", "km_by_status", "km_by_mode", "border_crossings", "gauge_breaks",
                "transshipments", "straight_km", "detour_index", "est_time_h",
                "est_time_h_range", "est_cost_usd", "est_cost_usd_range", "est_cost_unit",
                "est_basis", "status_as_of", "stale_segments", "unknowns", "sections", "variants", "segments",
                "origin", "destination", "nodes", "steps", "legs", "weight"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "routes", help="metrics of every named route: length, km by country, crossings, time")
    p.add_argument("--all-columns", action="store_true",
                   help="also cost, straight-line distance, detour index and published lengths")
    add_when(p)
    add_format(p)
    add_assumptions(p)
    p.set_defaults(func=_routes)

    p = subparsers.add_parser(
        "sections", help="the named sections of routes (e.g. the Syunik/Meghri link): length, "
                         "km by country and status, on their own",
        description="Each named section of a route (routes.yaml 'sections') measured on its own, "
                    "so it can be quoted without subtracting. Example: corridors sections "
                    "zangezur-rail")
    p.add_argument("routes", nargs="*", metavar="ROUTE", help="route ids (default: every route)")
    add_when(p)
    add_format(p)
    p.set_defaults(func=_sections)

    p = subparsers.add_parser(
        "compare", help="up to k alternative paths between two places, with every metric",
        description="Alternatives between ORIGIN and DEST (place ids or names in any language). "
                    "Example: corridors compare Baku Nakhchivan --avoid ARM")
    p.add_argument("origin", help="place id or name (any language form)")
    p.add_argument("destination", metavar="DEST", help="place id or name (any language form)")
    p.add_argument("--avoid", nargs="+", default=[], metavar="ISO3",
                   help="countries to avoid (ISO3, or AZE-NX, SEA, CASPIAN); commas also work")
    p.add_argument("--status", nargs="+", choices=sorted(STATUSES), default=None,
                   help="use only segments with these statuses")
    p.add_argument("--mode", nargs="+", choices=sorted(MODES), default=None,
                   help="use only segments of these modes")
    p.add_argument("--k", type=int, default=3, help="how many alternatives at most (default 3)")
    p.add_argument("--weight", choices=["length", "time"], default="length",
                   help="rank by length (default) or by estimated time")
    add_when(p)
    p.add_argument("--variants", action="store_true",
                   help="also list paths through the same places by the same main mode")
    add_network_options(p)
    add_format(p)
    add_assumptions(p)
    p.set_defaults(func=_compare)

    p = subparsers.add_parser(
        "references", help="published lengths beside the computed ones, with the difference")
    add_format(p)
    p.set_defaults(func=_references)

    p = subparsers.add_parser(
        "assumptions", help="the speeds, dwell times and costs behind time and cost estimates, "
                            "low, central and high, with their sources")
    add_format(p)
    add_assumptions(p)
    p.set_defaults(func=_assumptions)

    p = subparsers.add_parser(
        "timecost", help="cumulative km, hours and cost along a named route (time/cost-distance), "
                         "with the low-high band")
    p.add_argument("route", help="route id (`corridors routes` lists them)")
    p.add_argument("--components", action="store_true",
                   help="instead: what the estimate adds up, one row per assumption (haulage "
                        "per mode and country, each kind of wait and fee), summing to the total")
    add_when(p)
    add_format(p)
    add_assumptions(p)
    p.set_defaults(func=_timecost)

    p = subparsers.add_parser(
        "calibration", help="the model's time and cost beside published door-to-door figures",
        description="Each observation of data/observations.yaml beside the model's low, central "
                    "and high estimate, with the difference and the assumptions that explain a "
                    "gap; then one line per route and measure over all its observations.")
    p.add_argument("--route", nargs="+", default=None, metavar="ID", help="only these routes")
    p.add_argument("--summary", action="store_true",
                   help="csv/json: the per-route summary instead of one row per observation")
    p.add_argument("--fit", action="store_true",
                   help="the values the fitted assumptions (basis 'fitted') take when solved "
                        "against their observations now, beside those in the file")
    add_format(p)
    add_assumptions(p)
    p.set_defaults(func=_calibration)


# ---------------------------------------------------------------------------------------------
# Readable cells


def _crossings_text(crossings: list) -> str:
    parts = []
    for c in crossings:
        where = c.get("place_id") or f"{c['lat']:.3f},{c['lon']:.3f}"
        sea = " by sea" if c.get("via") == "sea" else ""
        parts.append(f"{c['from_unit']}>{c['to_unit']} at {where}{sea}")
    return "; ".join(parts) or "none"


def _status_age_text(record: dict) -> str:
    oldest, newest = record["status_as_of"]
    if oldest is None:
        return "no dates"
    span = oldest if oldest == newest else f"{oldest} to {newest}"
    stale = record.get("stale_segments") or []
    return span + (f"; {len(stale)} segment(s) may be out of date" if stale else "")


def _exists_text(record: dict) -> str:
    if record["exists_today"]:
        return "yes: all operational"
    parts = [f"{record[k]:,.0f} km {label}" for k, label in (
        ("km_operational", "operational"), ("km_under_construction", "under construction"),
        ("km_planned", "planned"), ("km_out_of_service", "out of service"))
        if record.get(k, 0) >= 0.5]
    return "no: " + ", ".join(parts)


def _state_text(record: dict) -> str:
    """Which statuses the figures use: as recorded, or on a date (projected), or a scenario."""
    if record.get("as_of") in (None, "as recorded"):
        return "as recorded (each with its own as-of date)"
    text = f"as of {record['as_of']}" + (" (projected)" if record.get("projected") else "")
    return text + (f", scenario {record['scenario']!r}" if record.get("scenario") else "")


def _notes(record: dict) -> list[str]:
    """What a reader must know before quoting the figures: unknowns and out-of-date statuses."""
    out = list(record.get("unknowns") or [])
    if stale := stale_text(record.get("stale_segments") or []):
        out.append(stale)
    return out


def _transship_text(items: list) -> str:
    return "; ".join(f"{t['from_mode']}>{t['to_mode']} at {t['place_id']}" for t in items) or "none"


def _rounded(value, ndigits: int = 3):
    if isinstance(value, float):
        return round(value, ndigits)
    if isinstance(value, dict):
        return {k: _rounded(v, ndigits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v, ndigits) for v in value]
    return value


def _readable(record: dict) -> dict:
    out = dict(record)
    if "length_basis" in out:
        out["length_km"] = length_text(out["length_km"], out["measured_km"], out["length_basis"])
    if "exists_today" in out:
        out["exists_today"] = _exists_text(record)
    if "status_as_of" in out:
        out["status_as_of"] = _status_age_text(record)
    if "variants" in out:
        out["variants"] = "; ".join(f"{v['length_km']:,.0f} km {v['via']}"
                                    for v in out["variants"]) or "none"
    out["notes"] = " | ".join(_notes(record)) or "none"
    for key, labels in (("km_by_country", None), ("km_by_status", STATUS_LABELS),
                        ("km_by_mode", None)):
        if key in out:
            out[key] = km_split_text(out[key], labels=labels)
    if "sections" in out:
        out["sections"] = " | ".join(section_text(s) for s in out["sections"]) or "none"
    if "border_crossings" in out:
        out["border_crossings"] = _crossings_text(out["border_crossings"])
    if "gauge_breaks" in out:
        out["gauge_breaks"] = gauge_breaks_text(record)
    if "transshipments" in out:
        out["transshipments"] = _transship_text(out["transshipments"])
    if "unknowns" in out:
        out["unknowns"] = " | ".join(out["unknowns"]) or "none"
    if "segments" in out:
        out["segments"] = " > ".join(out["segments"])
    for key in ("km_operational", "km_under_construction", "km_planned", "straight_km"):
        if isinstance(out.get(key), float):
            out[key] = f"{out[key]:,.1f}"
    for key in ("est_time_h", "est_cost_usd"):
        if isinstance(out.get(key), float):
            low, high = out.get(f"{key}_range") or (out[key], out[key])
            out[key] = f"{out[key]:,.0f} ({low:,.0f}-{high:,.0f})"
    if isinstance(out.get("detour_index"), float):
        out["detour_index"] = f"{out['detour_index']:.2f}"
    return out


# ---------------------------------------------------------------------------------------------
# Commands


def _routes(args) -> int:
    when, scenario = when_of(args)
    table = routes_table(as_of=when, scenario=scenario)
    records = table.to_dict("records")
    columns = list(table.columns) if args.all_columns else SHORT_COLUMNS
    if args.format != "table":
        columns = columns if args.all_columns else SHORT_DATA
        frame = pd.DataFrame([_rounded(r) for r in records], columns=table.columns)
        emit(frame[columns], args.format)
        return 0
    readable = [_readable(r) for r in records]
    if records:
        print(f"Statuses: {_state_text(records[0])}")
    emit(pd.DataFrame(readable, columns=table.columns)[columns].rename(columns=ESTIMATE_HEADERS),
         "table")
    if records:
        print(f"\n{_estimate_note(records[0])}")
    notes = [(r["route_id"], n) for r in records for n in _notes(r)]
    if notes:
        print("\nNotes (unknowns and possibly out-of-date statuses):")
        for rid, note in notes:
            print(f"  {rid}: {note}")
    return 0


SECTION_COLUMNS = ["route_id", "section_id", "name", "length_km", "measured_km", "length_basis",
                   "km_operational", "km_by_country", "km_by_status", "border_crossings",
                   "gauge_breaks"]


def _sections(args) -> int:
    when, scenario = when_of(args)
    ids = args.routes or list(load_routes().index)
    records = [s for rid in ids for s in section_metrics(rid, as_of=when, scenario=scenario)]
    if not records:
        print("no sections named for these routes (routes.yaml 'sections')", file=sys.stderr)
    if args.format != "table":
        rows = [_rounded({**{k: r[k] for k in SECTION_COLUMNS},
                          "length_basis": r["length_basis"]["text"]}) for r in records]
        emit(pd.DataFrame(rows, columns=SECTION_COLUMNS), args.format)
        return 0
    if records:
        print(f"Statuses: {_state_text(records[0])}")
    readable = [_readable(r) for r in records]
    shown = [c for c in SECTION_COLUMNS if c not in ("measured_km", "length_basis")]
    emit(pd.DataFrame(readable, columns=SECTION_COLUMNS)[shown], "table")
    return 0


def _compare(args) -> int:
    avoid = [code for item in args.avoid for code in item.split(",") if code.strip()]
    if args.network != "osm" and args.stations is not None:
        print("corridors compare: note: --stations applies to --network osm only; ignored",
              file=sys.stderr)
    try:
        if args.network == "osm":
            results = compare_on_osm(args, avoid)
        else:
            when, scenario = when_of(args)
            results = compare(args.origin, args.destination, avoid=avoid, status=args.status,
                              mode=args.mode, k=args.k, weight=args.weight,
                              variants=args.variants, as_of=when, scenario=scenario)
    except ValueError as err:
        if type(err) is not ValueError:  # the library's own errors: main() reports them
            raise
        print(f"corridors compare: error: {err}", file=sys.stderr)
        return 2
    for r in results:
        r["via"] = via_text(r)
    if args.format == "table":
        print(_blocks(results, args))
        return 0
    keep = ["via", *COMPARE_DATA]
    keep += OSM_COLUMNS if args.network == "osm" else []
    frame = pd.DataFrame([_rounded({k: r.get(k) for k in keep}) for r in results], columns=keep)
    emit(frame, args.format)
    return 0


def _blocks(results: list[dict], args) -> str:
    """One block per alternative, one ``metric  value`` line each, long values wrapped."""
    constraints = [f"avoiding {', '.join(args.avoid)}" if args.avoid else "",
                   f"status {', '.join(args.status)}" if args.status else "",
                   f"mode {', '.join(args.mode)}" if args.mode else ""]
    said = "; ".join(c for c in constraints if c)
    lines = [f"{results[0]['origin']} -> {results[0]['destination']}: {len(results)} "
             f"alternative(s), ranked by {args.weight}" + (f" ({said})" if said else ""),
             f"statuses: {_state_text(results[0])}"]
    width = max(len(k) for k in COMPARE_ROWS) + 2
    for r in results:
        row = _readable(r)
        lines.append("")
        lines.append(f"#{r['rank']} via {r.get('corridor') or r['via']}: {row['length_km']}")
        when = "today" if r.get("as_of") in (None, "as recorded") else f"on {r['as_of']}"
        lines.append(f"   exists {when}: {row['exists_today']}")
        lines.append(f"   model estimate: {estimate_text(r)}")
        pad = " " * (width + 2)
        for key in COMPARE_ROWS:
            text = textwrap.fill(str(row.get(key, "")), width=110, initial_indent=pad,
                                 subsequent_indent=pad, break_on_hyphens=False)
            lines.append(f"  {key:<{width}}{text[len(pad):]}")
    lines += ["", _estimate_note(results[0])]
    return "\n".join(lines)


def _estimate_note(record: dict) -> str:
    """What the time and cost figures are, under every table that shows them."""
    return textwrap.fill(
        f"Time and cost are {record['est_basis']} (cost in {record['est_cost_unit']}). They "
        "compare routes by the same published figures; they do not predict a shipment. "
        "`corridors assumptions` lists the figures and sources; `corridors calibration` sets "
        "the estimates beside published door-to-door times and costs.", width=110)


def _references(args) -> int:
    frame = reference_comparison()
    if args.format == "table":
        frame = frame.assign(
            computed_value=frame["computed_value"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}"),
            diff_pct=frame["diff_pct"].map(lambda v: "" if pd.isna(v) else f"{v:+.1f}%"),
            chainage=frame["chainage"].map(lambda v: "yes" if v else ""),
        )[["id", "kind", "chainage", "reference_value", "unit", "computed_value", "diff_pct",
           "source"]]
    emit(frame, args.format)
    if args.format == "table":
        gaps = chainage_gaps()
        if gaps["n"]:
            print(f"\nChainage: {gaps['n']} published lengths are used as segments' best-estimate "
                  f"lengths; the drawn lines differ from them by {gaps['median_gap_pct']:.1f}% at "
                  f"the median (signed median {gaps['median_diff_pct']:+.1f}%; largest gap: "
                  f"{gaps['worst']}). computed_value is measured on the drawn line.")
        traced = basis_gaps()
        if len(traced):
            print(f"Traced track: {len(traced)} of these sections are also traced on "
                  "OpenStreetMap track between their end stations; the traced track differs "
                  f"from the published length by {traced['traced_gap_pct'].abs().median():.1f}% "
                  "at the median, the drawn lines of the same sections by "
                  f"{traced['drawn_gap_pct'].abs().median():.1f}% (ends of each trace: "
                  "data/traced.yaml):\n")
            emit(traced.round(1).reset_index(), "table")
    return 0


def _timecost(args) -> int:
    when, scenario = when_of(args)
    metrics = route_metrics(args.route, as_of=when, scenario=scenario)
    if args.components:
        table = components(metrics, load_assumptions())
        if args.format != "table":
            emit(table, args.format)
            return 0
        table = table.assign(km=table["km"].round(0), time_h=table["time_h"].round(1),
                             cost_usd=table["cost_usd"].round(0))
        emit(table, "table")
        print(f"\nTotal: {estimate_text(metrics)}. Each row is one assumption, counted once; an "
              "assumption whose figure covers other components names them under 'includes'.")
        print(_estimate_note(metrics))
        return 0
    series = time_cost_series(metrics)
    if args.format != "table":
        emit(series, args.format)
        return 0
    series = series.round({c: 1 if c.startswith(("km", "hours")) else 0
                           for c in series.columns if c not in ("event", "label")})
    emit(series, "table")
    print(f"\nModel estimate: {estimate_text(metrics)}.")
    print(_estimate_note(metrics))
    return 0


def _assumptions(args) -> int:
    assumptions = load_assumptions()
    if args.format != "table":
        emit(assumptions.table(), args.format)
        return 0
    for a in assumptions.entries.values():
        print(f"{a.id}: {a.low:g} / {a.central:g} / {a.high:g} {a.unit} (low / central / high; "
              f"{a.basis})")
        for name in ("source", "fitted_to", "url", "date", "measured", "applies", "includes",
                     "notes"):
            value = getattr(a, name)
            value = " ".join(value) if isinstance(value, tuple) else value
            if value:
                print(textwrap.fill(f"{name}: {value}", width=110, initial_indent="    ",
                                    subsequent_indent="      ", break_long_words=False,
                                    break_on_hyphens=False))
    bases = assumptions.bases()
    print(f"\n{assumptions.basis_text()}; unsourced: {bases['unsourced'] / len(assumptions.entries):.0%}."
          f" Cost per {assumptions.cost_per}: {assumptions.cargo_unit}.")
    return 0


# ---------------------------------------------------------------------------------------------
# Calibration


def _calibration(args) -> int:
    if args.fit:
        table = fit_assumptions()
        if args.format != "table":
            emit(table, args.format)
        elif table.empty:
            print("(no fitted assumptions)")
        else:
            for _, r in table.iterrows():
                print(f"{r['assumption']} (fitted to {r['fitted_to']}): the fit gives "
                      f"{r['low']:.4g} / {r['central']:.4g} / {r['high']:.4g} {r['unit']}; the file has "
                      f"{r['in_file_low']:.4g} / {r['in_file_central']:.4g} / {r['in_file_high']:.4g}")
        return 0
    summary = calibration_summary(routes=args.route)
    if args.format != "table":
        emit(summary if args.summary else calibration_table(routes=args.route), args.format)
        return 0
    table = calibration_table(routes=args.route)
    if table.empty:
        print("(no observations)")
        return 0
    for route, rows in table.groupby("route", sort=False):
        print(f"{route}")
        mine = summary[summary["route"] == route]
        for _, s in mine.iterrows():
            print(f"  {s['measure']}, all {s['observation']} figure(s) together: observed "
                  f"{_span(s)}; model {_model(s)}: {_result(s)}")
            _explained(s)
        for measure in sorted(set(rows["measure"]) - set(mine["measure"])):
            units = sorted(set(rows.loc[rows["measure"] == measure, "unit"]))
            print(f"  {measure}: no figure in the model's unit to compare with (only "
                  f"{', '.join(units)}: not compared)")
        if len(mine) and mine.iloc[0]["estimate_assumes"]:
            print(_wrapped(f"the estimate assumes {mine.iloc[0]['estimate_assumes']}"))
        print(_wrapped(_sets_text(rows)))
        for _, r in rows.iterrows():
            year = "" if pd.isna(r["year"]) else f" {int(r['year'])}"
            print(f"  - [{r['set']}] {r['observation']} ({r['kind']}{year}), {r['measure']}: "
                  f"observed {_span(r)}; model {_model(r)}: {_result(r)}")
            _explained(r)
            if r["notes"]:
                print(_wrapped(f"note: {r['notes']}"))
        print()
    print(_estimate_note(route_metrics(table["route"].iloc[0])))
    return 0


def _sets_text(rows: pd.DataFrame) -> str:
    """E.g. "held out (the test): 5 figures, 4 within, 1 model below; fitted to: 1 figure"."""
    parts = []
    for which in ("held out", "fitted to"):
        part = rows[(rows["set"] == which) & (rows["result"] != "not compared")]
        if part.empty:
            continue
        counts = part["result"].value_counts()
        n = len(part)
        detail = ", ".join(f"{counts[r]} {r}" for r in ("within", "model below", "model above")
                           if r in counts)
        label = "held out (the model's test)" if which == "held out" else "fitted to"
        parts.append(f"{label}: {n} figure{'s' if n != 1 else ''}, {detail}")
    return "; ".join(parts) or "no figure to compare"


def _number(value: float, unit: str) -> str:
    return f"{value:,.1f}" if unit == "days" else f"{value:,.0f}"


def _span(r) -> str:
    lo, hi, unit = r["observed_min"], r["observed_max"], r["unit"]
    text = _number(lo, unit) if lo == hi else f"{_number(lo, unit)}-{_number(hi, unit)}"
    return f"{text} days" if unit == "days" else f"{text} {unit}"


def _model(r) -> str:
    unit = r["unit"]
    return (f"{_number(r['model_central'], unit)} ({_number(r['model_low'], unit)}-"
            f"{_number(r['model_high'], unit)})")


def _result(r) -> str:
    if r["result"] in ("within", "not compared"):
        return r["result"] + (" the observed range" if r["result"] == "within" else "")
    gap = abs(r["difference"])
    by = f"{gap:,.1f} days" if r["unit"] == "days" else f"USD {gap:,.0f}"
    return f"{r['result']} by {by}"


def _explained(r) -> None:
    if r["explained_by"]:
        print(_wrapped(f"sensitivity: {r['explained_by']}"))
    if r.get("components"):
        print(_wrapped(f"largest parts of the estimate: {r['components']}"))


def _wrapped(text: str) -> str:
    return textwrap.fill(text, width=110, initial_indent="      ", subsequent_indent="        ",
                         break_long_words=False, break_on_hyphens=False)
