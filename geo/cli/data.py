"""``corridors places|segments|borders``: the shipped data as tables."""

from __future__ import annotations

from ..borders import shared_borders
from ..data import load_borders, load_places, load_territories
from ..dates import is_stale
from ..overlay import segment_metrics
from .output import add_format, emit


def register(subparsers) -> None:
    p = subparsers.add_parser("places", help="list places (stations, ports, border crossings ...)")
    add_format(p)
    p.set_defaults(func=_places)

    p = subparsers.add_parser(
        "segments", help="list network segments: length_km measured on the drawn line, best_km "
        "(published chainage, else traced OpenStreetMap track, else the drawn line) and basis")
    add_format(p)
    p.set_defaults(func=_segments)

    p = subparsers.add_parser("borders", help="shared border length of each neighbouring pair")
    add_format(p)
    p.add_argument(
        "--units",
        action="store_true",
        help="treat the Nakhchivan exclave (AZE-NX) as its own unit",
    )
    p.set_defaults(func=_borders)


def _places(args) -> int:
    places = load_places()
    cols = ["name_en", "name_az", "name_hy", "name_fa", "name_ru", "name_tr", "kind",
            "lon", "lat", "country", "region", "accuracy_m", "source", "as_of"]
    emit(places[cols].reset_index(), args.format)
    return 0


def _segments(args) -> int:
    segs = segment_metrics()
    segs["length_km"] = segs["length_km"].round(1)
    segs["best_km"] = segs["best_km"].round(1)
    segs["stale"] = [is_stale(d) for d in segs["as_of"]]
    cols = ["from", "to", "name", "mode", "status", "gauge", "length_km", "best_km", "basis",
            "accuracy_m", "source", "as_of", "stale"]
    emit(segs[cols].reset_index(), args.format)
    return 0


def _borders(args) -> int:
    frame = load_territories() if args.units else load_borders()
    emit(shared_borders(frame), args.format)
    return 0
