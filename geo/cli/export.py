"""``corridors snapshot`` (PNG, SVG, PDF, HTML map) and ``corridors export`` (CSV, GeoJSON, GPKG).

The HTML branch of ``snapshot`` imports ``layers`` (and so folium) inside the function that
needs it, never at import time: ``geo`` itself never imports folium, and building the CLI
parser stays light.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import style
from ..export import (
    DATASETS,
    DPI_RANGE,
    MAP_LAYERS,
    PAGE_SIZES,
    check_out,
    export_data,
    fail,
    map_frames,
    save_map,
    write_atomic,
)
from .output import add_assumptions
from .time import add_when, when_of


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "snapshot",
        help="a report-ready map: PNG, SVG, PDF, or an offline interactive HTML file",
        description="Draw a map of the chosen routes and claims with title, legend, scale bar, "
        "north arrow and attribution. The format follows the --out suffix.",
    )
    p.add_argument("--out", required=True, type=Path, help="FILE.png, .svg, .pdf or .html")
    _selection(p)
    p.add_argument("--title", help="page title (default: the route names)")
    p.add_argument("--subtitle", help="subtitle (default: the data's as-of date)")
    p.add_argument("--dpi", type=int, default=300,
                   help=f"PNG resolution, {DPI_RANGE[0]} to {DPI_RANGE[1]} (default 300)")
    p.add_argument("--size", default="a4-landscape",
                   help=f"{', '.join(PAGE_SIZES)} or WxH in mm (or with mm, cm, in, px), "
                   "e.g. 180x120 (default a4-landscape)")
    p.add_argument("--layers", nargs="+", metavar="LAYER",
                   help=f"overlays to draw: {' '.join(MAP_LAYERS)} (default: all)")
    p.add_argument("--modes", nargs="+", metavar="MODE",
                   help=f"only segments of these modes: {' '.join(style.MODE_COLORS)}")
    p.add_argument("--statuses", nargs="+", metavar="STATUS",
                   help=f"only segments of these statuses: {' '.join(style.STATUS_DASH)}")
    p.add_argument("--no-inset", action="store_true", help="leave out the locator inset")
    p.add_argument("--no-metrics", action="store_true", help="leave out the route metrics table")
    p.add_argument("--no-timeline", action="store_true",
                   help="leave out the table of the routes' key dates")
    add_when(p)
    p.set_defaults(func=_snapshot)

    p = subparsers.add_parser(
        "export",
        help="the chosen routes and claims as CSV, GeoJSON (RFC 7946) or GeoPackage",
        description="Write data files for the chosen routes and claims. CSV and GeoJSON hold "
        "one dataset (--dataset); a GeoPackage holds each dataset as a layer.",
    )
    p.add_argument("--out", required=True, type=Path, help="FILE.csv, .geojson or .gpkg")
    _selection(p)
    p.add_argument("--dataset", choices=DATASETS,
                   help="CSV/GeoJSON: which dataset (default routes; CSV routes = metrics table)")
    add_when(p)
    add_assumptions(p)
    p.set_defaults(func=_export)


def _selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--routes", nargs="+", metavar="ID", help="route ids (see: corridors routes)")
    p.add_argument("--claims", metavar="ARTICLE", help="article id of a claims file")
    p.add_argument("--bbox", metavar="W,S,E,N", help="map box in degrees, e.g. 43.5,37.5,50.5,42.5")


def _snapshot(args) -> int:
    if args.out.suffix.lower() in (".html", ".htm"):
        return _snapshot_html(args)
    when, scenario = when_of(args)
    path = save_map(
        args.out,
        routes=args.routes,
        claims=args.claims,
        bbox=args.bbox,
        title=args.title,
        subtitle=args.subtitle,
        dpi=args.dpi,
        size=args.size,
        layers=args.layers,
        modes=args.modes,
        statuses=args.statuses,
        inset=not args.no_inset,
        metrics=not args.no_metrics,
        timeline=not args.no_timeline,
        as_of=when,
        scenario=scenario,
    )
    print(path, file=sys.stderr)
    return 0


def _snapshot_html(args) -> int:
    """The app's map (``layers.build_map``) as one self-contained HTML file (Leaflet inlined)."""
    problems: list[str] = []
    check_out(args.out, ("html",), problems)
    fail(problems)
    when, scenario = when_of(args)
    frames = map_frames(routes=args.routes, claims=args.claims, bbox=args.bbox, layers=args.layers,
                        modes=args.modes, statuses=args.statuses, as_of=when, scenario=scenario,
                        title=args.title)
    from layers.assets import inline_assets
    from layers.map import build_map, to_html

    from ..webassets import all_plugin_texts

    assets = inline_assets(plugins=all_plugin_texts())  # clusters and controls as in the app
    html = to_html(build_map(**frames), assets=assets)  # titled on the page and in <title>
    path = write_atomic(args.out, lambda tmp: tmp.write_text(html, encoding="utf-8"))
    print(path, file=sys.stderr)
    return 0


def _export(args) -> int:
    when, scenario = when_of(args)
    path = export_data(args.out, routes=args.routes, claims=args.claims, bbox=args.bbox,
                       dataset=args.dataset, as_of=when, scenario=scenario)
    print(path, file=sys.stderr)
    return 0
