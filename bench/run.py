"""Run every benchmark script in bench/ (``bench/bench_*.py``), one after the other.

Usage: ``.venv/bin/python bench/run.py [NAME ...] [--strict]`` (``make bench``). NAME filters
scripts by a part of their file name; ``--strict`` is passed on, so a script can fail when a
figure misses its target. Each script prints its own figures; the exit code is non-zero when
any script fails. A script still running after ``BENCH_TIMEOUT`` seconds (default
:data:`TIMEOUT_S`) is stopped with everything it started, and counts as failed, so the run
always ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMEOUT_S = 2400


def run_script(script: Path, flags: list[str], timeout_s: float) -> int:
    """Run one script in a process group of its own; stop the group after ``timeout_s``."""
    proc = subprocess.Popen([sys.executable, str(script), *flags], cwd=HERE.parent,
                            start_new_session=True)
    try:
        return proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        print(f"{script.name}: still running after {timeout_s:.0f} s; stopped", flush=True)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return 124


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
        code = run_script(script, flags, float(os.environ.get("BENCH_TIMEOUT", TIMEOUT_S)))
        print(f"=== {script.name}: exit {code}, {time.perf_counter() - t0:.1f} s ===\n", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
