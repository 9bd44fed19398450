"""``corridors osm import|refresh|snap|status|reset``: OpenStreetMap alignments (see geo.osm)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import settings
from ..osm import (
    KINDS,
    import_osm,
    load_osm_cache,
    osm_status,
    refresh_route,
    reset_snapped,
    route_length_change,
    save_snapped,
    snap_segments,
    summarise_ways,
)
from ..snapped import ATTRIBUTION, osm_dir
from .output import add_format, emit


def register(subparsers) -> None:
    osm = subparsers.add_parser(
        "osm",
        help="OpenStreetMap: import a file, refresh a route online, snap segments to OSM ways",
        description=f"OpenStreetMap alignments and tags for the corridors. Data: {ATTRIBUTION}.",
    )
    sub = osm.add_subparsers(dest="osm_command", required=True, metavar="ACTION")

    p = sub.add_parser("import", help="read an .osm file offline (.osm.pbf with pyosmium)")
    p.add_argument("file", type=Path, help="OSM XML file (.osm, .osm.bz2, .osm.gz) or .osm.pbf")
    p.add_argument("--kind", choices=KINDS, default=None, help="only railways or only roads")
    _add_snap_options(p)
    add_format(p)
    p.set_defaults(func=_import)

    p = sub.add_parser("refresh", help="download the OSM ways around a route (needs the internet)")
    p.add_argument("--route", required=True, help="route id (see `corridors routes`)")
    p.add_argument("--buffer-km", type=float, default=None,
                   help="half-width (km) of the corridor to download "
                        "(default: settings.osm_refresh_buffer_km)")
    p.add_argument("--kind", choices=KINDS, default=None, help="only railways or only roads")
    p.add_argument("--snap", action="store_true",
                   help="snap the route's segments to the downloaded ways")
    add_format(p)
    p.set_defaults(func=_refresh)

    p = sub.add_parser("snap", help="snap segments to ways already cached under data/osm/")
    p.add_argument("cache",
                   help="cache file name or path, e.g. import-meghri.geojson (see `osm status`)")
    p.add_argument("--route", default=None, help="only the segments of this route")
    add_format(p)
    p.set_defaults(func=_snap, snap=True)

    p = sub.add_parser("status", help="list cached OSM data and snapped segments")
    add_format(p)
    p.set_defaults(func=_status)

    p = sub.add_parser("reset", help="drop snapped geometry: every segment back to curated")
    p.set_defaults(func=_reset)


def _add_snap_options(p) -> None:
    p.add_argument("--snap", action="store_true",
                   help="snap curated segments to the imported ways; report lengths before/after")
    p.add_argument("--route", default=None, help="with --snap: only the segments of this route")


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _import(args) -> int:
    ways = import_osm(args.file, kind=args.kind)
    total = ways["length_km"].sum()
    _err(f"imported {len(ways)} ways ({total:.1f} km) from {args.file} "
         f"into {ways.attrs['osm_cache']}")
    if not args.snap:
        emit(summarise_ways(ways), args.format)
        return 0
    if args.format == "table":
        emit(summarise_ways(ways), "table")
    return _snap_and_report(ways, args.route, args.format)


def _refresh(args) -> int:
    route = args.route
    ways = refresh_route(route, buffer_km=args.buffer_km, kind=args.kind, progress=_err)
    if not args.snap:
        emit(summarise_ways(ways), args.format)
        return 0
    if args.format == "table":
        emit(summarise_ways(ways), "table")
    return _snap_and_report(ways, route, args.format)


def _snap(args) -> int:
    path = Path(args.cache)
    if not path.exists() and not path.is_absolute():
        path = osm_dir() / path
    return _snap_and_report(load_osm_cache(path), args.route, args.format)


def _snap_and_report(ways, route: str | None, fmt: str) -> int:
    snapped = snap_segments(ways, route=route)
    matched = snapped[snapped["matched"]] if len(snapped) else snapped
    if not len(matched):
        _err(f"no segment{' of route ' + route if route else ''} is followed by these OSM ways; "
             "nothing snapped, the geometry is unchanged")
        return 1
    path = save_snapped(snapped)
    _err(f"snapped {len(matched)} of {len(snapped)} {_ways_kind(ways)} segment(s) tried; "
         f"geometry saved in {path}")
    routes = route_length_change(routes=[route] if route else None)
    if fmt == "table":
        cols = ["mode", "coverage", "ways", "curated_km", "osm_km", "change_km",
                "status_curated", "status", "gauge_curated", "gauge_mm", "gauges"]
        seg = matched[cols].assign(coverage=(matched["coverage"] * 100).round(0))
        emit(seg.rename(columns={"coverage": "coverage_pct"}).reset_index(), "table")
        _err("")
        _err("route lengths before and after snapping (geodesic km):")
    emit(_round(routes).reset_index(), fmt)
    _err(f"maps, metrics and exports now use the OSM geometry of these segments ({ATTRIBUTION}); "
         "`corridors osm reset` goes back to the curated geometry")
    return 0


def _ways_kind(ways) -> str:
    return "/".join(sorted(set(ways["kind"]))) if len(ways) else ""


def _round(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("curated_km", "osm_km", "change_km", "change_pct"):
        out[col] = out[col].round(2)
    return out


def _status(args) -> int:
    table = osm_status()
    if not len(table):
        _err(f"nothing cached in {osm_dir()}; run `corridors osm import FILE` or `osm refresh`")
    emit(table, args.format)
    if not settings.use_osm_geometry:
        _err("note: settings.use_osm_geometry is False, so the snapped geometry is not used")
    return 0


def _reset(args) -> int:
    if reset_snapped():
        print("snapped geometry removed; every segment uses its curated geometry again")
    else:
        print("nothing to reset: no snapped geometry")
    return 0
