"""OpenStreetMap benchmark: `corridors osm import` beside osmium-tool, and routing on 1M edges.

Run: ``.venv/bin/python bench/bench_osm.py`` (or ``make bench``). Options:

``--nodes 4000000 16000000``  synthetic extracts to measure (``bench/make_osm_extract.py``);
                               ``--nodes`` alone measures none
``--real PATH``                a real extract, imported with ``--kind rail`` beside osmium-tool
                               keeping ``w/railway=...`` (default
                               ``../shared/osm/caucasus-rail.osm.pbf`` from the project root;
                               skipped, with the reason printed, when absent)
``--runs 2``                   best of N runs for every timing (the machine may be shared)
``--workdir DIR``              where extracts and caches go (default: a folder in $TMPDIR; the
                               extracts are kept there and reused by later runs)
``--code DIR``                 measure the ``geo`` package found in DIR instead of this one,
                               e.g. an older version: ``git archive COMMIT | tar -x -C DIR``
``--skip-routing``             only the import table

Every figure comes from a fresh process: wall time, and peak memory (maximum resident set
size from ``wait4``). The anchor is osmium-tool (Debian ``osmium-tool``; not a dependency of
the product) doing the same filter and a GeoJSON export of it:
``osmium tags-filter FILE w/railway=... w/highway=...`` then ``osmium export``. Targets
(issue 14): on the 16M-node file at most 4x osmium-tool's time plus interpreter start-up;
peak memory at most 600 MB and within 1.3x of the 4M-node peak; one shortest path on a
graph of 1M edges in 2 s or less, build included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RAIL = "railway=rail,construction,proposed,disused,abandoned"
ROAD = "highway=motorway,trunk,primary,secondary,tertiary,construction,proposed"
GRID_EDGES = 1_000_000
REAL = ROOT.parent / "shared" / "osm" / "caucasus-rail.osm.pbf"
CLI = [sys.executable, "-c", "import sys; from geo.cli import main; sys.exit(main())"]
ROUTES = (("baku", "tehran", ()), ("tbilisi", "tehran", ("ARM",)))

ROUTE_SCRIPT = """
import sys, time
c0 = time.process_time()
t0 = time.perf_counter()
from geo.osm.graph import osm_graph
from geo.osm import compare_osm
t1 = time.perf_counter()
cache, data, origin, dest, avoid = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
graph = osm_graph(cache)
t2 = time.perf_counter()
[r] = compare_osm(origin, dest, cache=cache, data_dir=data, avoid=[a for a in avoid.split(",") if a])
t3 = time.perf_counter()
cpu = time.process_time() - c0
print(cpu, graph.edges, len(graph.nodes), t2 - t1, t3 - t2, r["length_km"], len(r["segments"]),
      "; ".join(f"{k} {v:.0f}" for k, v in sorted(r["km_by_country"].items())), sep="|")
"""


def run(cmd: list[str], runs: int, env: dict | None = None) -> tuple[float, float, str, float]:
    """Best time of ``runs`` runs, with the peak memory of that run."""
    results = [measure(cmd, env) for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def measure(cmd: list[str], env: dict | None = None) -> tuple[float, float, str, float]:
    """Wall seconds, peak resident MB, CPU seconds (the child's own ``wait4`` rusage), output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return seconds, usage.ru_maxrss / 1024.0, out, usage.ru_utime + usage.ru_stime


def extract(workdir: Path, nodes: int | None = None, grid: int | None = None) -> Path:
    name = f"synthetic-{nodes / 1e6:g}M.osm.pbf" if nodes else f"grid-{grid / 1e6:g}M-edges.osm.pbf"
    path = workdir / name
    if not path.exists():
        what = ["--nodes", str(nodes)] if nodes else ["--grid-edges", str(grid)]
        print(f"generating {path} (once) ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "make_osm_extract.py"), str(path), *what],
                       check=True)
    return path


def newest_cache(data: Path, source: Path) -> Path:
    """The cache the last import of ``source`` wrote: ``import-<name>-<kind>-<key>.parquet``
    (``import-<name>.parquet`` when ``--code`` is a version from before caches had keys)."""
    folder, stem = data / "osm", source.name.split(".")[0]
    found = [*folder.glob(f"import-{stem}.parquet"), *folder.glob(f"import-{stem}-*.parquet")]
    return max(found, key=lambda p: p.stat().st_mtime)


def anchor(osmium: str | None, pbf: Path, workdir: Path, filters: list[str],
           runs: int) -> tuple[float, float, float]:
    """osmium-tool's wall seconds, peak MB and CPU seconds: ``tags-filter`` then ``export``."""
    if not osmium:
        return float("nan"), float("nan"), float("nan")
    filtered, geojson = workdir / "filtered.osm.pbf", workdir / "filtered.geojson"
    t1, m1, _, c1 = run([osmium, "tags-filter", str(pbf), *filters, "-O", "-o", str(filtered)],
                        runs)
    t2, m2, _, c2 = run([osmium, "export", str(filtered), "-O", "-o", str(geojson)], runs)
    return t1 + t2, max(m1, m2), c1 + c2


def real_extract(path: Path | None, data: Path, args, env: dict, osmium: str | None,
                 startup: float) -> None:
    """``corridors osm import PATH --kind rail`` beside osmium-tool keeping the same railways."""
    if path is None or not path.is_file():
        print(f"\nreal extract: {path} is absent, skipped (it is reference data beside the "
              "project: ../shared/osm/)", flush=True)
        return
    cmd = [*CLI, "--data-dir", str(data), "osm", "import", str(path), "--kind", "rail"]
    ours, peak, _, cpu = run(cmd, args.runs, env)
    ways = pq.read_metadata(newest_cache(data, path)).num_rows
    theirs, their_peak, their_cpu = anchor(osmium, path, args.workdir, [f"w/{RAIL}"], args.runs)
    ratio = (ours - startup) / theirs if theirs == theirs else float("nan")
    print(f"\nreal extract {path.name}: {path.stat().st_size / 1e6:.2f} MB, {ways} railway ways "
          "kept")
    print("| `corridors osm import --kind rail` (CPU) | peak memory | osmium-tool tags-filter "
          "w/railway=... and export (CPU), peak | time ratio (minus start-up) |")
    print("|---|---|---|---|")
    print(f"| {ours:.2f} s ({cpu:.2f} s) | {peak:.0f} MB | {theirs:.2f} s ({their_cpu:.2f} s), "
          f"{their_peak:.0f} MB | {ratio:.1f}x |")
    cache = newest_cache(data, path)
    snap = [*CLI, "--data-dir", str(data), "osm", "snap", cache.name, "--format", "csv"]
    snap_s, snap_peak, _, snap_cpu = run(snap, args.runs, env)
    print(f"\n`corridors osm snap` of every segment on it: {snap_s:.2f} s ({snap_cpu:.2f} s CPU, "
          f"{snap_s - startup:.2f} s after start-up), peak {snap_peak:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="*", default=[4_000_000, 16_000_000])
    parser.add_argument("--real", type=Path, default=REAL, metavar="PATH",
                        help="a real .osm.pbf to import with --kind rail (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "corridors-bench-osm")
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--skip-routing", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    data = args.workdir / "data"
    if not data.exists():
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("osm"))
    env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
    osmium = shutil.which("osmium")
    if not osmium:
        print("osmium-tool is not installed (Debian: apt-get install osmium-tool): the anchor "
              "columns stay empty", flush=True)
    startup, _, _, _ = run([sys.executable, "-c", "import geo.cli"], args.runs, env)
    print(f"code: {args.code}; interpreter start-up with `import geo.cli`: {startup:.2f} s; "
          f"best of {args.runs} run(s)\n", flush=True)
    rows, missed = [], []
    for nodes in args.nodes:
        pbf = extract(args.workdir, nodes=nodes)
        cmd = [*CLI, "--data-dir", str(data), "osm", "import", str(pbf)]
        ours, peak, _, cpu = run(cmd, args.runs, env)
        theirs, their_peak, their_cpu = anchor(osmium, pbf, args.workdir,
                                               [f"w/{RAIL}", f"w/{ROAD}"], args.runs)
        rows.append((pbf.name, pbf.stat().st_size / 1e6, ours, peak, theirs, their_peak, cpu,
                     their_cpu))
    if rows:
        print("| file | size | `corridors osm import` (CPU) | peak memory | osmium-tool, same "
              "filter and GeoJSON export (CPU) | time ratio (minus start-up) |")
        print("|---|---|---|---|---|---|")
    for name, mb, ours, peak, theirs, their_peak, cpu, their_cpu in rows:
        ratio = (ours - startup) / theirs if theirs == theirs else float("nan")
        print(f"| {name} | {mb:.0f} MB | {ours:.1f} s ({cpu:.1f} s) | {peak:.0f} MB | "
              f"{theirs:.1f} s ({their_cpu:.1f} s), {their_peak:.0f} MB | {ratio:.1f}x |")
    if len(rows) >= 2:
        big, small = rows[-1], rows[0]
        growth = big[3] / small[3]
        ratio = (big[2] - startup) / big[4] if big[4] == big[4] else float("nan")
        print(f"\npeak memory {big[0]} / {small[0]}: {growth:.2f}x (target <= 1.3x); "
              f"largest peak {big[3]:.0f} MB (target <= 600 MB); time on {big[0]}: "
              f"{ratio:.1f}x osmium-tool plus start-up (target <= 4x)")
        missed += ["memory growth"] * (growth > 1.3) + ["peak memory"] * (big[3] > 600)
        missed += ["import time"] * (ratio > 4)
    real_extract(args.real, data, args, env, osmium, startup)
    if not args.skip_routing:
        grid = extract(args.workdir, grid=GRID_EDGES)
        cmd = [*CLI, "--data-dir", str(data), "osm", "import", str(grid)]
        seconds, peak, _, _ = run(cmd, 1, env)
        cache = newest_cache(data, grid)
        print(f"\nrouting network {grid.name}: imported in {seconds:.1f} s, peak {peak:.0f} MB")
        print("| route | edges | graph build | snap, path and metrics | total (target <= 2 s) | "
              "CPU, imports included | length | km by country |")
        print("|---|---|---|---|---|---|---|---|")
        for origin, dest, avoid in ROUTES:
            _, _, out, _ = run([sys.executable, "-c", ROUTE_SCRIPT, str(cache), str(data), origin,
                             dest, ",".join(avoid)], args.runs, env)
            cpu, edges, _nodes, build, route, km, _legs, countries = out.strip().split("|")
            total = float(build) + float(route)
            label = f"{origin} -> {dest}" + (f" avoiding {', '.join(avoid)}" if avoid else "")
            print(f"| {label} | {int(edges):,} | {float(build):.2f} s | {float(route):.2f} s | "
                  f"{total:.2f} s | {float(cpu):.2f} s | {float(km):.0f} km | {countries.strip()} |")
            missed += ["routing time"] * (total > 2.0)
    if missed:
        print(f"\nmissed: {', '.join(dict.fromkeys(missed))}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
