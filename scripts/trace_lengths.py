"""Regenerate the traced lengths of ``data/traced.yaml`` from an OpenStreetMap extract.

    .venv/bin/python scripts/trace_lengths.py EXTRACT.osm.pbf --ways-date 2026-02-26 \
        [--stations stations-*.json ...] [--data-dir data] [--kind rail] [--dry-run]

The extract is imported with the project's own streaming import into a temporary folder (the
data folder's OSM cache is not touched), every segment the ways cover end to end is traced
between its end stations (:func:`geo.osm.trace_segments`), and the figures are merged into
``traced.yaml`` (a segment traced again is replaced; others are kept). Any extract works: the
shared Azerbaijan/Georgia file, or a Geofabrik country file for Iran or Turkey.

``--ways-date`` is the date of the OSM data (the extract's, not today's); it goes into each
record's ``source`` and ``as_of``. Prints one line per segment tried, with the reason where a
segment is not traced, and exits 2 with a message (no traceback) on a bad input.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import DataValidationError, OSMError, import_osm, load_osm_cache  # noqa: E402
from geo.osm.stations import load_stations  # noqa: E402
from geo.osm.trace import trace_segments  # noqa: E402
from geo.traced import write_traced  # noqa: E402

ACCURACY = (
    "Track length along the OSM ways between the two end nodes, geodesic on WGS84; as good as "
    "the OSM mapping (coordinates to about 1 m) and the choice of end nodes given in from_end and "
    "to_end; sidings and yards are not counted."
)


def sha256_prefix(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("extract", type=Path, help="OSM file (.osm.pbf or XML)")
    parser.add_argument("--ways-date", required=True, metavar="YYYY-MM-DD",
                        help="date of the OSM ways in the extract")
    parser.add_argument("--stations", type=Path, nargs="*", default=[],
                        help="OSM stations JSON files ([{id, lat, lon, name, type}])")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument("--kind", choices=["rail", "road"], default="rail")
    parser.add_argument("--ways-note", default="",
                        help="more about the ways' origin, added to each record's source")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args(argv)
    try:
        stations = tuple(s for p in args.stations for s in load_stations(p))
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "data"
            shutil.copytree(args.data_dir, work, ignore=shutil.ignore_patterns("osm", "claims"))
            done = import_osm(args.extract, kind=args.kind, data_dir=work)
            ways = load_osm_cache(done.cache)
            traced = trace_segments(ways, stations=stations, data_dir=work)
    except (OSError, OSMError, DataValidationError) as err:
        print(f"trace_lengths: error: {err}", file=sys.stderr)
        return 2
    for sid, row in traced.iterrows():
        figure = f"{row['km']:7.1f} km" if pd.notna(row["km"]) else "      -   "
        print(f"{sid:30} {figure}  drawn {row['drawn_km']:7.1f} km  "
              f"{'traced' if row['traced'] else 'not traced: ' + row['reason']}")
    ok = traced[traced["traced"]].reset_index()
    if not len(ok):
        print("trace_lengths: no segment is covered end to end by this extract", file=sys.stderr)
        return 1
    ok["osm_file"] = f"{args.extract.name} (sha256 {sha256_prefix(args.extract)})"
    ok["source"] = ("traced on OpenStreetMap track, © OpenStreetMap contributors, ODbL, "
                    f"ways of {args.ways_date}" + (f" ({args.ways_note})" if args.ways_note else ""))
    ok["as_of"] = args.ways_date
    ok["accuracy"] = ACCURACY
    if args.dry_run:
        print(f"{len(ok)} segment(s) traced; --dry-run: nothing written")
        return 0
    path = write_traced(ok, data_dir=args.data_dir)
    print(f"{len(ok)} segment(s) traced; written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
