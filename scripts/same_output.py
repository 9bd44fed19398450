"""Check that two versions of the code give the same CLI output on the same data.

Usage: ``.venv/bin/python scripts/same_output.py REV [--data-dir DIR]``

Checks out ``REV`` (a commit, tag or branch) into a temporary git worktree, runs the CLI
commands below with that code and with the working tree's code, both on the same data folder
(default: this checkout's ``data/``), and reports which outputs differ. For refactors that
must not change behaviour. Exit status 0 when every output is the same, 1 otherwise.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [
    ["routes", "--format", "json"],
    ["routes", "--all-columns", "--format", "csv"],
    ["claims", "--format", "json"],
    ["compare", "Baku", "Nakhchivan", "--k", "3", "--format", "json"],
    ["compare", "Baku", "Nakhchivan", "--avoid", "ARM", "--k", "3", "--format", "json"],
    ["compare", "Mumbai", "Moscow", "--weight", "time", "--format", "json"],
    ["references", "--format", "csv"],
    ["segments", "--format", "csv"],
    ["timecost", "instc-west", "--format", "csv"],
]
RUNNER = "import sys; sys.path.insert(0, sys.argv[1]); from geo.cli import main; sys.exit(main(sys.argv[2:]))"


def run(code_root: Path, data_dir: Path, args: list[str]) -> str:
    cmd = [sys.executable, "-c", RUNNER, str(code_root), "--data-dir", str(data_dir), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=code_root, check=False)
    return f"exit {done.returncode}\n{done.stdout}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the other version: a commit, tag or branch")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        other = Path(tmp) / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(other),
                        args.rev], check=True)
        try:
            differ = 0
            for command in COMMANDS:
                same = run(ROOT, args.data_dir, command) == run(other, args.data_dir, command)
                differ += not same
                print(f"{'same  ' if same else 'DIFFER'}  corridors {' '.join(command)}")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)],
                           check=True)
    print(f"{len(COMMANDS) - differ} of {len(COMMANDS)} outputs the same")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
