"""``corridors timeline ROUTE`` and ``corridors change``: the network through time.

``timeline`` lists every dated event of a route's sections in date order, with sources: when
each was announced, begun, reported under way or finished, opened, or is expected to.
``change`` sets two states side by side (one date against another, or a date against a
scenario) for an origin and destination or a named route.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from ..data import load_routes, load_segments
from ..lifecycle import WORKS_NOTE, Scenario, load_scenario, parse_when, timeline
from ..scenarios import State, compare_states
from ..vocab import LIFECYCLE_EVENTS, MODES, STATUSES
from .output import add_format, emit


def add_when(parser: argparse.ArgumentParser) -> None:
    """Add ``--as-of DATE`` and ``--scenario FILE`` (the statuses of a date, or a scenario)."""
    parser.add_argument("--as-of", metavar="DATE",
                        help="statuses on this date (YYYY, YYYY-MM, YYYY-MM-DD or 'today'); "
                             "a future date gives a projection from expected dates")
    parser.add_argument("--scenario", metavar="FILE",
                        help="a scenario file (YAML) whose dated changes replace expected dates")


def when_of(args: argparse.Namespace) -> tuple[str | None, Scenario | None]:
    """The ``as_of`` and loaded scenario of parsed ``--as-of``/``--scenario`` options."""
    when = getattr(args, "as_of", None)
    if when is not None:
        parse_when(when)  # a bad date fails here with a clear message
    path = getattr(args, "scenario", None)
    scenario = load_scenario(path, load_segments()) if path else None
    return when, scenario


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "timeline", help="when each section of a route opened or is expected to, with sources",
        description=f"Every dated event of the route's sections in date order "
                    f"({', '.join(LIFECYCLE_EVENTS)}), each with its source. {WORKS_NOTE}.")
    p.add_argument("route", help="route id (`corridors routes` lists them)")
    add_format(p)
    p.set_defaults(func=_timeline)

    p = subparsers.add_parser(
        "change", help="two states side by side: one date against another, or against a scenario",
        description="Route ORIGIN to DEST (or measure --route) in state A (--from, default "
                    "today) and state B (--to, default today; --scenario applies to B) and show "
                    "the change in km, time, cost, crossings and gauge breaks, and the segments "
                    "whose status differs.")
    p.add_argument("origin", nargs="?", help="place id or name")
    p.add_argument("destination", nargs="?", metavar="DEST", help="place id or name")
    p.add_argument("--route", help="a named route instead of ORIGIN DEST")
    p.add_argument("--from", dest="from_date", metavar="DATE", help="state A's date (default today)")
    p.add_argument("--to", dest="to_date", metavar="DATE", help="state B's date (default today)")
    p.add_argument("--scenario", metavar="FILE", help="scenario file applied to state B")
    p.add_argument("--avoid", nargs="+", default=[], metavar="ISO3", help="countries to avoid")
    p.add_argument("--status", nargs="+", choices=sorted(STATUSES), default=None,
                   help="use only segments with these statuses (on each state's date)")
    p.add_argument("--mode", nargs="+", choices=sorted(MODES), default=None,
                   help="use only segments of these modes")
    add_format(p)
    p.set_defaults(func=_change)


def _timeline(args) -> int:
    routes = load_routes()
    if args.route not in routes.index:
        known = ", ".join(routes.index)
        print(f"corridors timeline: error: unknown route {args.route!r}; known routes: {known}",
              file=sys.stderr)
        return 2
    frame = timeline(load_segments(), list(routes.at[args.route, "segments"]))
    if args.format == "table":
        frame = frame.drop(columns=["url", "text"])
    emit(frame, args.format)
    return 0


def _change(args) -> int:
    if not args.route and not (args.origin and args.destination):
        print("corridors change: error: give ORIGIN DEST or --route ROUTE", file=sys.stderr)
        return 2
    scenario = load_scenario(args.scenario, load_segments()) if args.scenario else None
    for date in (args.from_date, args.to_date):
        if date is not None:
            parse_when(date)
    a, b = State(args.from_date), State(args.to_date, scenario)
    avoid = [c for item in args.avoid for c in item.split(",") if c.strip()]
    result = compare_states(a, b, origin=args.origin, destination=args.destination,
                            route=args.route, avoid=avoid, status=args.status, mode=args.mode)
    rows = []
    for key in ("a", "b"):
        side = result[key]
        m = side["metrics"]
        rows.append({"state": key.upper(), "label": side["label"],
                     "corridor": (m or {}).get("corridor", ""),
                     "length_km": None if m is None else round(m["length_km"], 1),
                     "est_time_h": None if m is None else round(m["est_time_h"], 1),
                     "est_cost_usd": None if m is None else round(m["est_cost_usd"]),
                     "crossings": None if m is None else len(m["border_crossings"]),
                     "gauge_breaks": None if m is None else len(m["gauge_breaks"]),
                     "km_operational": None if m is None else round(m["km_operational"], 1),
                     "segments": " > ".join((m or {}).get("segments", [])) or side["why"]})
    change = result["change"]
    if change is not None:
        rows.append({"state": "B-A", "label": "change", "corridor": "",
                     "length_km": round(change["km"], 1), "est_time_h": round(change["hours"], 1),
                     "est_cost_usd": round(change["cost_usd"]), "crossings": change["crossings"],
                     "gauge_breaks": change["gauge_breaks"], "km_operational": None,
                     "segments": ""})
    emit(pd.DataFrame(rows), args.format)
    if args.format == "table":
        changed = result["status_changes"].drop(columns=["geometry"])
        print(f"\nSegments whose status differs ({len(changed)}):")
        emit(changed, "table")
    return 0
