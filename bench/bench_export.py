"""Export speed on the shipped data: A4 PNG at 300 DPI (target 3 s) and HTML (target 1 s).

Usage: ``.venv/bin/python bench/bench_export.py [--strict] [--runs N]``. Prints the first
(cold: data loaded and overlaid) and the median of N warm runs for each; ``--strict`` exits 1
when a warm median misses its target.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import geo
from geo.export import map_frames

TARGETS_S = {"a4_png_300dpi": 3.0, "html": 1.0}


def _routes() -> list[str]:
    return list(geo.load_routes().index[:3])


def _claims() -> str | None:
    files = sorted((geo.settings.data_dir / "claims").glob("*.yaml"))
    return files[0].stem if files else None


def png_a4_300() -> int:
    data = geo.render_map(routes=_routes(), claims=_claims(), size="a4", dpi=300, fmt="png")
    return len(data)


def html() -> int:
    from layers.map import build_map, to_html

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "map.html"
        frames = map_frames(routes=_routes(), claims=_claims())
        out.write_text(to_html(build_map(**frames)), encoding="utf-8")
        return out.stat().st_size


def measure(func, runs: int) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    size = func()
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        warm.append(time.perf_counter() - t0)
    return cold, statistics.median(warm), size


def main(argv: list[str]) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 5
    missed = []
    for name, func in (("a4_png_300dpi", png_a4_300), ("html", html)):
        cold, median, size = measure(func, runs)
        target = TARGETS_S[name]
        mark = "ok" if median <= target else "MISSED"
        print(f"{name:14s} cold {cold:6.2f} s   warm median of {runs} {median:6.2f} s   "
              f"target {target:.1f} s {mark}   ({size / 1e6:.2f} MB)", flush=True)
        if median > target:
            missed.append(name)
    return 1 if missed and "--strict" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
