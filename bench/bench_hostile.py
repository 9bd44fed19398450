"""Hostile inputs (issue 25): time, peak memory and exit code of the CLI on each of them.

Each case copies the shipped data folder, breaks one file (or passes one hostile file
argument), runs one ``corridors`` command in a process of its own and reads that process's
wall time and peak resident memory (``os.wait4``). The target for every case: under 5 s,
under 600 MB, exit code 2 and a message that names the file. A case that runs past
``--timeout`` seconds is stopped and reported as a failure.

Cases: a 14 kB alias bomb ("billion laughs") and an impossible date in each YAML kind
(routes, references, observations, traced sections, a claims file, assumptions given with
``--assumptions``, a scenario given with ``--scenario``); a FIFO and a link to ``/dev/zero``
in place of each data file and of each file argument; ``export --out`` onto a data file; and
200,000 characters of full stops drafted as an article.

Usage: ``.venv/bin/python bench/bench_hostile.py [--timeout 60] [--json out.json]
[--strict]``; ``--strict`` exits 1 when a case misses its target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CLI = [sys.executable, "-c", "import sys; from geo.cli import main; sys.exit(main())"]
LIMIT_S, LIMIT_MB = 5.0, 600.0


def alias_bomb() -> str:
    """About 14 kB of YAML that expands to 9**12 strings when aliases are followed."""
    lines = ['a0: &a0 ["' + "lol" * 40 + '"' + ', "lol"' * 8 + "]"]
    for i in range(1, 13):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    return text + "#" * max(0, 14_000 - len(text)) + "\nroutes: *a12\n"


def _replace(name: str, text: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")
    return make


def _impossible_date(name: str) -> Callable[[Path], None]:
    """The first ``as_of:`` or ``date:`` value of ``name`` made 30 February, unquoted."""
    def make(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        broken, count = re.subn(r"(?m)^(\s*-?\s*(?:as_of|date): ).*$", r"\g<1>2025-02-30", text,
                                count=1)
        if not count:
            raise SystemExit(f"{path}: no date to break")
        path.write_text(broken, encoding="utf-8")
    return make


def _special(name: str, kind: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / name
        path.unlink(missing_ok=True)
        if kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")
    return make


def _nothing(folder: Path) -> None:
    pass


# (name, file the message must name (relative to the folder), break, argv with {data})
YAML_KINDS = [
    ("routes.yaml", ["routes"]),
    ("references.yaml", ["routes"]),
    ("observations.yaml", ["calibration"]),
    ("traced.yaml", ["routes"]),
    ("claims/jpost-azerbaijan-iran.yaml", ["claims"]),
]
DATA_FILES = [
    ("borders.geojson", ["places"]),
    ("places.csv", ["places"]),
    ("segments.geojson", ["segments"]),
    ("routes.yaml", ["routes"]),
    ("references.yaml", ["routes"]),
    ("traced.yaml", ["routes"]),
    ("water.geojson", ["routes"]),
    ("observations.yaml", ["calibration"]),
    ("assumptions.yaml", ["compare", "baku", "nakhchivan"]),
    ("claims/jpost-azerbaijan-iran.yaml", ["claims"]),
]


def cases() -> list[tuple[str, str, Callable[[Path], None], list[str]]]:
    out = []
    bomb = alias_bomb()
    for name, argv in YAML_KINDS:
        out.append((f"alias bomb: {name}", name, _replace(name, bomb), argv))
        out.append((f"impossible date: {name}", name, _impossible_date(name), argv))
    for kind in ("fifo", "/dev/zero"):
        for name, argv in DATA_FILES:
            out.append((f"{kind}: {name}", name, _special(name, kind), argv))
    # file arguments, kept outside the data folder (in its parent: the case's own temp folder)
    arg_files = [
        ("--assumptions", ["compare", "baku", "nakhchivan", "--assumptions", "{arg}"]),
        ("--scenario", ["routes", "--scenario", "{arg}"]),
        ("claims draft FILE", ["claims", "draft", "{arg}"]),
    ]
    for label, argv in arg_files:
        if label != "claims draft FILE":  # an article is text, not YAML
            out.append((f"alias bomb: {label}", "../arg.yaml", _replace("../arg.yaml", bomb),
                        [a.replace("{arg}", "{data}/../arg.yaml") for a in argv]))
        for kind in ("fifo", "/dev/zero"):
            out.append((f"{kind}: {label}", "../arg.yaml", _special("../arg.yaml", kind),
                        [a.replace("{arg}", "{data}/../arg.yaml") for a in argv]))
    out.append(("impossible date: --scenario", "../arg.yaml",
                _replace("../arg.yaml", "name: broken\nchanges:\n- segment: rail-rasht-astara\n"
                                        "  date: 2025-02-30\n  event: opening\n"
                                        "  status: operational\n"),
                ["routes", "--scenario", "{data}/../arg.yaml"]))
    for name in ("places.csv", "segments.geojson", "borders.geojson"):
        dataset = name.split(".")[0]
        out.append((f"export --out onto {name}", name, _nothing,
                    ["export", "--out", "{data}/" + name, "--dataset", dataset]))
    out.append(("200,000 full stops drafted", "../arg.txt", _replace("../arg.txt", "." * 200_000),
                ["claims", "draft", "{data}/../arg.txt"]))
    # not a fault: the longest article allowed, with a sentence boundary every 3 characters,
    # drafts (exit 0) within the same time and memory
    out.append(("200,000 characters 'a. a. ...' drafted (exit 0)", "",
                _replace("../arg.txt", ("a. " * 70_000)[:200_000]),
                ["claims", "draft", "{data}/../arg.txt"]))
    return out


def run_case(argv: list[str], timeout_s: float) -> dict:
    """Run ``argv`` in a process group; wall seconds, peak RSS (MB), exit code, stderr."""
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    err_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    reader.start()
    started = time.perf_counter()
    timer = threading.Timer(timeout_s, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(5)
    return {"s": wall, "mb": usage.ru_maxrss / 1024, "code": proc.returncode,
            "err": b"".join(err_chunks).decode("utf-8", "replace")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per case (60)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a case misses")
    args = parser.parse_args(argv)
    rows = []
    print(f"{'case':52} {'s':>6} {'MB':>6} {'exit':>4}  names the file")
    for name, file, make, command in cases():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "data"
            shutil.copytree(DATA, folder, symlinks=True)
            make(folder)
            full = [*CLI, "--data-dir", str(folder), *(a.format(data=folder) for a in command)]
            got = run_case(full, args.timeout)
        expect = 2 if file else 0  # a case without a file to name is not a fault
        named = Path(file).name in got["err"] if file else True
        ok = got["s"] < LIMIT_S and got["mb"] < LIMIT_MB and got["code"] == expect and named
        rows.append({"case": name, "s": round(got["s"], 2), "mb": round(got["mb"]),
                     "exit": got["code"], "names_file": named, "ok": ok,
                     "message": got["err"].strip().splitlines()[-1][:300] if got["err"].strip()
                     else ""})
        print(f"{name:52} {got['s']:>6.2f} {got['mb']:>6.0f} {got['code']:>4}  "
              f"{'yes' if named else 'NO'}{'' if ok else '   <- misses the target'}", flush=True)
    missed = [r for r in rows if not r["ok"]]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} cases within {LIMIT_S:g} s and "
          f"{LIMIT_MB:g} MB, exit 2, the file named")
    for r in missed:
        print(f"  {r['case']}: {r['message']}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
