"""``corridors routes|compare|references|assumptions|timecost``: route metrics as tables."""

from __future__ import annotations

import sys
import textwrap

import pandas as pd

from ..assumptions import load_assumptions
from ..metrics import route_metrics
from ..references import reference_comparison, routes_table
from ..routing import compare
from ..timecost import time_cost_series
from ..vocab import MODES, STATUSES
from .osm import OSM_COLUMNS, add_network_options, compare_on_osm
from .output import add_format, emit

ROUTE_COLUMNS = ["route_id", "name", "origin", "destination", "length_km", "km_by_country",
                 "km_by_status", "km_by_mode", "border_crossings", "gauge_breaks", "est_time_h"]
COMPARE_ROWS = ["rank", "via", "length_km", "km_by_country", "km_by_status", "km_by_mode",
                "border_crossings", "gauge_breaks", "transshipments", "straight_km",
                "detour_index", "est_time_h", "est_cost_usd", "segments", "unknowns"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "routes", help="metrics of every named route: length, km by country, crossings, time")
    p.add_argument("--all-columns", action="store_true",
                   help="also cost, straight-line distance, detour index and published lengths")
    add_format(p)
    p.set_defaults(func=_routes)

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
    p.add_argument("--variants", action="store_true",
                   help="also list paths through the same places by the same main mode")
    add_network_options(p)
    add_format(p)
    p.set_defaults(func=_compare)

    p = subparsers.add_parser(
        "references", help="published lengths beside the computed ones, with the difference")
    add_format(p)
    p.set_defaults(func=_references)

    p = subparsers.add_parser(
        "assumptions", help="the speeds, dwell times and costs behind time and cost estimates")
    add_format(p)
    p.set_defaults(func=_assumptions)

    p = subparsers.add_parser(
        "timecost", help="cumulative km, hours and cost along a named route (time/cost-distance)")
    p.add_argument("route", help="route id (`corridors routes` lists them)")
    add_format(p)
    p.set_defaults(func=_timecost)


# ---------------------------------------------------------------------------------------------
# Readable cells


def _km_text(table: dict) -> str:
    items = sorted(table.items(), key=lambda kv: -kv[1])
    return "; ".join(f"{k} {v:.1f}" for k, v in items)


def _crossings_text(crossings: list) -> str:
    parts = []
    for c in crossings:
        where = c.get("place_id") or f"{c['lat']:.3f},{c['lon']:.3f}"
        sea = " by sea" if c.get("via") == "sea" else ""
        parts.append(f"{c['from_unit']}>{c['to_unit']} at {where}{sea}")
    return "; ".join(parts) or "none"


def _gauges_text(breaks: list) -> str:
    return "; ".join(f"{g['from_gauge_mm']}>{g['to_gauge_mm']} at {g['place_id']}" for g in breaks) or "none"


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
    for key in ("km_by_country", "km_by_status", "km_by_mode"):
        if key in out:
            out[key] = _km_text(out[key])
    if "border_crossings" in out:
        out["border_crossings"] = _crossings_text(out["border_crossings"])
    if "gauge_breaks" in out:
        out["gauge_breaks"] = _gauges_text(out["gauge_breaks"])
    if "transshipments" in out:
        out["transshipments"] = _transship_text(out["transshipments"])
    if "unknowns" in out:
        out["unknowns"] = " | ".join(out["unknowns"]) or "none"
    if "segments" in out:
        out["segments"] = " > ".join(out["segments"])
    for key in ("length_km", "straight_km", "est_time_h", "est_cost_usd"):
        if isinstance(out.get(key), float):
            out[key] = f"{out[key]:,.1f}" if key != "est_cost_usd" else f"{out[key]:,.0f}"
    if isinstance(out.get("detour_index"), float):
        out["detour_index"] = f"{out['detour_index']:.2f}"
    return out


# ---------------------------------------------------------------------------------------------
# Commands


def _routes(args) -> int:
    frame = routes_table()
    if not args.all_columns:
        frame = frame[ROUTE_COLUMNS]
    if args.format == "table":
        frame = pd.DataFrame([_readable(r) for r in frame.to_dict("records")], columns=frame.columns)
    else:
        frame = pd.DataFrame([_rounded(r) for r in frame.to_dict("records")], columns=frame.columns)
    emit(frame, args.format)
    return 0


def _compare(args) -> int:
    avoid = [code for item in args.avoid for code in item.split(",") if code.strip()]
    try:
        if args.network == "osm":
            results = compare_on_osm(args, avoid)
        else:
            results = compare(args.origin, args.destination, avoid=avoid, status=args.status,
                              mode=args.mode, k=args.k, weight=args.weight,
                              variants=args.variants)
    except ValueError as err:
        if type(err) is not ValueError:  # the library's own errors: main() reports them
            raise
        print(f"corridors compare: error: {err}", file=sys.stderr)
        return 2
    for r in results:
        r["via"] = _via(r)
    if args.format == "table":
        print(_blocks(results, args))
        return 0
    keep = [*COMPARE_ROWS, "origin", "destination", "nodes", "steps", "legs", "weight"]
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
             f"alternative(s), ranked by {args.weight}" + (f" ({said})" if said else "")]
    width = max(len(k) for k in COMPARE_ROWS) + 2
    for r in results:
        row = _readable(r)
        lines.append("")
        lines.append(f"#{r['rank']}: {row['length_km']} km, {row['est_time_h']} h, "
                     f"USD {row['est_cost_usd']} (estimates: `corridors assumptions`)")
        pad = " " * (width + 2)
        for key in COMPARE_ROWS[1:]:
            text = textwrap.fill(str(row.get(key, "")), width=110, initial_indent=pad,
                                 subsequent_indent=pad, break_on_hyphens=False)
            lines.append(f"  {key:<{width}}{text[len(pad):]}")
    return "\n".join(lines)


def _via(metrics: dict) -> str:
    """Places in order with the mode of each leg: ``baku -rail- alat -rail- ...``."""
    parts = [metrics["nodes"][0]]
    for leg in metrics["legs"]:
        parts.append(f"-{leg['mode']}- {leg['to']}")
    return " ".join(parts)


def _references(args) -> int:
    frame = reference_comparison()
    if args.format == "table":
        frame = frame.assign(
            computed_value=frame["computed_value"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}"),
            diff_pct=frame["diff_pct"].map(lambda v: "" if pd.isna(v) else f"{v:+.1f}%"),
        )[["id", "kind", "reference_value", "unit", "computed_value", "diff_pct", "source"]]
    emit(frame, args.format)
    return 0


def _timecost(args) -> int:
    series = time_cost_series(route_metrics(args.route))
    if args.format == "table":
        series = series.round({"km": 1, "hours": 1, "cost_usd": 0})
    emit(series, args.format)
    return 0


def _assumptions(args) -> int:
    emit(load_assumptions().table(), args.format)
    return 0
