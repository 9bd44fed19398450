"""``corridors osm import|refresh|snap|list|status|reset``: OpenStreetMap alignments (geo.osm)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import settings
from ..data import load_segments, route_path
from ..osm import (
    KINDS,
    ROAD_CLASSES,
    compare_osm,
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
from ..osm.cache import cache_path, osm_caches
from ..snapped import ATTRIBUTION, osm_dir
from .output import add_format, emit


def register(subparsers) -> None:
    osm = subparsers.add_parser(
        "osm",
        help="OpenStreetMap: import a file, refresh a route online, snap segments to OSM ways",
        description=f"OpenStreetMap alignments and tags for the corridors. Data: {ATTRIBUTION}.",
    )
    sub = osm.add_subparsers(dest="osm_command", required=True, metavar="ACTION")

    p = sub.add_parser(
        "import", help="stream an OSM file (.osm.pbf or XML, any size) offline into data/osm/",
        description="Stream the railways and main roads of an OSM file into "
                    "data/osm/import-NAME-KIND-KEY.parquet (KEY: 8 hex digits of the file's "
                    "content, the kind and the filters; the same import again replaces its "
                    "own cache), with a progress bar on a terminal. "
                    f"Data: {ATTRIBUTION}.")
    p.add_argument("file", type=Path, help="OSM XML file (.osm, .osm.bz2, .osm.gz) or .osm.pbf")
    p.add_argument("--kind", choices=KINDS, default=None, help="only railways or only roads")
    p.add_argument("--road-classes", default=None, metavar="CLASSES",
                   help=f"highway=* values kept as roads (default {','.join(ROAD_CLASSES)})")
    p.add_argument("--bbox", default=None, metavar="W,S,E,N",
                   help="keep only ways touching this box (degrees)")
    p.add_argument("--buffer-km", type=float, default=None,
                   help="with --route: keep only ways within this many km of the route")
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
                   help="cache file name or path, e.g. import-meghri-rail-1a2b3c4d.parquet "
                        "(see `osm list`)")
    p.add_argument("--route", default=None, help="only the segments of this route")
    add_format(p)
    p.set_defaults(func=_snap, snap=True)

    p = sub.add_parser(
        "list", help="list the OSM way caches: kind, region, ways, km, source and dates",
        description="One row per way cache under data/osm/: its kind, region (W,S,E,N of its "
                    "ways, rounded outwards to 0.01 degree), ways, km, the OSM file or route "
                    "it came from, when it was imported and, if known, when the OSM data was "
                    "current. Name one with `corridors compare --network osm --osm-cache FILE`.")
    add_format(p)
    p.set_defaults(func=_list)

    p = sub.add_parser("status", help="list cached OSM data and snapped segments")
    add_format(p)
    p.set_defaults(func=_status)

    p = sub.add_parser("reset", help="drop snapped geometry: every segment back to curated")
    p.set_defaults(func=_reset)


OSM_COLUMNS = ["network", "geometry_source", "snaps", "osm_way_ids"]


def add_network_options(p) -> None:
    """``--network curated|osm`` and the OSM network's options, for ``corridors compare``."""
    p.add_argument("--network", choices=["curated", "osm"], default="curated",
                   help="route on the curated segments (default) or on the imported "
                        "OpenStreetMap ways (`corridors osm import`)")
    p.add_argument("--osm-cache", default=None, metavar="FILE",
                   help="with --network osm: the import to route on (default: the only "
                        "import of the mode that covers both places; `corridors osm list`)")
    p.add_argument("--snap-km", type=float, default=None,
                   help="with --network osm: how far a place may be from the network "
                        "(default 5 km)")
    p.add_argument("--stations", type=Path, default=None, metavar="FILE",
                   help="with --network osm: a JSON list of OSM stations [{id, lat, lon, name, "
                        "type}] whose names ORIGIN and DEST may be (any language form)")


def compare_on_osm(args, avoid: list[str]) -> list[dict]:
    """``corridors compare --network osm``: the shortest OSM path, with where each place snapped.

    ORIGIN and DEST may also be coordinates (``40.38,49.87``, lat first) or station names of
    ``--stations FILE`` (see :func:`geo.osm.places.resolve_osm_place`). One path (``--k`` and
    ``--variants`` apply to the curated network only; said on stderr), with where each place
    was found, where it joins the network and why, on stderr.
    """
    if args.k != 3 or args.variants:
        _err("note: on the OpenStreetMap network compare gives the shortest path only "
             "(--k and --variants apply to the curated network)")
    results = compare_osm(args.origin, args.destination, cache=args.osm_cache,
                          stations=args.stations, avoid=avoid, status=args.status,
                          mode=args.mode, weight=args.weight, snap_km=args.snap_km)
    for r in results:
        _err(f"network: {r['geometry_source']}; {len(r['osm_way_ids'])} OSM ways; {ATTRIBUTION}")
        for s in r["snaps"]:
            found = "" if s["found"] == "places.csv" else f" ({s['found']})"
            _err(f"  {s['place_id']}{found}: snapped to the OSM node at "
                 f"{s['node_lat']:.5f}, {s['node_lon']:.5f} (way {s['osm_way_id']}), "
                 f"{s['distance_m']:.0f} m away")
        for note in r["snap_notes"]:
            _err(f"  {note}")
    return results


def _add_snap_options(p) -> None:
    p.add_argument("--snap", action="store_true",
                   help="snap curated segments to the imported ways; report lengths before/after")
    p.add_argument("--route", default=None,
                   help="with --snap: only the segments of this route; "
                        "with --buffer-km: only the ways near it")


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _import(args) -> int:
    if args.buffer_km is not None and args.route is None:
        _err("corridors osm import: error: --buffer-km needs --route ID")
        return 2
    near = args.route if args.buffer_km is not None else None
    done = import_osm(args.file, kind=args.kind, road_classes=args.road_classes, bbox=args.bbox,
                      route=near, buffer_km=args.buffer_km, progress=True)
    _err(f"imported {done.ways} ways ({done.length_km:.1f} km) from {args.file} "
         f"into {done.cache}")
    summary = done.summary.assign(length_km=done.summary["length_km"].round(1))
    if not args.snap:
        emit(summary, args.format)
        return 0
    if args.format == "table":
        emit(summary, "table")
    return _snap_and_report(_ways_for_snap(done.cache, args.route), args.route, args.format)


def _ways_for_snap(cache: Path, route: str | None):
    """The cached ways around the segments to snap (all of them, or one route's), read by bbox."""
    segments = load_segments(osm=False)
    if route is not None:
        segments = segments.loc[[sid for sid, _ in route_path(route)]]
    w, s, e, n = segments.total_bounds
    margin = 0.2  # degrees: more than the largest snapping tolerance (10 km)
    return load_osm_cache(cache, bbox=(w - margin, s - margin, e + margin, n + margin))


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
    path = cache_path(args.cache)
    return _snap_and_report(_ways_for_snap(path, args.route), args.route, args.format)


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
        cols = ["mode", "method", "coverage", "ways", "curated_km", "osm_km", "change_km",
                "status_curated", "status", "gauge_curated", "gauge_mm", "gauges"]
        seg = matched[cols].assign(coverage=(matched["coverage"] * 100).round(0),
                                   curated_km=matched["curated_km"].round(1),
                                   osm_km=matched["osm_km"].round(1),
                                   change_km=matched["change_km"].round(1))
        emit(seg.rename(columns={"coverage": "matched_pct", "curated_km": "drawn_km"})
             .reset_index(), "table")
        kept = snapped[~snapped["matched"]]
        near = kept[~kept["reason"].str.startswith("no OSM")]
        if len(near):
            _err("")
            _err(f"{len(near)} segment(s) keep their drawn line although OSM track lies near:")
            for sid, why in near["reason"].items():
                _err(f"  {sid}: {why}")
        far = len(kept) - len(near)
        if far:
            _err(f"{far} other segment(s) have no OSM track along them in this file "
                 "and keep their drawn line")
        _err("")
        _err("route lengths before and after snapping (geodesic km):")
    if fmt == "table":  # the way ids are for the data formats; a count reads better here
        routes = routes.assign(osm_way_ids=routes["osm_way_ids"].map(len)).rename(
            columns={"osm_way_ids": "osm_ways"})
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


def _list(args) -> int:
    table = osm_caches()
    if not len(table):
        _err(f"no OSM way cache in {osm_dir()}; run `corridors osm import FILE` or `osm refresh`")
    emit(table, args.format)
    return 0


def _reset(args) -> int:
    if reset_snapped():
        print("snapped geometry removed; every segment uses its curated geometry again")
    else:
        print("nothing to reset: no snapped geometry")
    return 0
