"""Run every benchmark script in bench/ (``bench/bench_*.py``), one after the other.

Usage: ``.venv/bin/python bench/run.py [NAME ...] [--strict]`` (``make bench``). NAME filters
scripts by a part of their file name; ``--strict`` is passed on, so a script can fail when a
figure misses its target. Each script prints its own figures; the exit code is non-zero when
any script fails.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    flags = [a for a in argv if a.startswith("--")]
    names = [a for a in argv if not a.startswith("--")]
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not names or any(n in p.name for n in names))
    if not scripts:
        print("no benchmark scripts found", file=sys.stderr)
        return 1
    failed = []
    for script in scripts:
        print(f"=== {script.name} ===", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *flags], cwd=HERE.parent)
        print(f"=== {script.name}: exit {code}, {time.perf_counter() - t0:.1f} s ===\n", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
