"""Ctrl-C (SIGINT) and SIGTERM during a write, on a real ``corridors`` process: exit 130 / 143,
no traceback, no temporary file left, an existing file unchanged."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest
from faults import base_folder
from helpers import ROOT

#: Runs the CLI with the named writer slowed down: it writes, says WRITING, then waits, so
#: the signal arrives while the temporary files exist.
DRIVER = textwrap.dedent("""
    import sys, time
    import geopandas, pathlib
    from geo.cli import main

    def slow(real):
        def write(*args, **kwargs):
            result = real(*args, **kwargs)
            print("WRITING", flush=True)
            time.sleep(60)
            return result
        return write

    if sys.argv[1] == "gpkg":
        geopandas.GeoDataFrame.to_file = slow(geopandas.GeoDataFrame.to_file)
    else:
        pathlib.Path.write_bytes = slow(pathlib.Path.write_bytes)
    sys.exit(main(sys.argv[2:]))
""")

CASES = {
    "gpkg": ["export", "--out", "{out}/all.gpkg", "--routes", "w-e"],
    "png": ["snapshot", "--out", "{out}/map.png", "--size", "80x60", "--dpi", "150"],
}


def _restore_sigint():
    """Python turns SIGINT into KeyboardInterrupt only if its parent did not ignore it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(("signum", "code", "said"), [
    (signal.SIGINT, 130, "interrupted (Ctrl-C)"),
    (signal.SIGTERM, 143, "stopped (SIGTERM)"),
], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_signal_during_a_write_leaves_nothing_behind(tmp_path, case, signum, code, said):
    folder = base_folder(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    target = out / CASES[case][2].split("/")[-1]
    target.write_bytes(b"an earlier export")
    argv = [a.format(out=out) for a in CASES[case]]
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, case, "--data-dir", str(folder), *argv],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_restore_sigint)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "WRITING", proc.stderr.read()
        leftovers = sorted(p.name for p in out.iterdir() if p != target)
        assert leftovers, "the write should be under way, with a temporary file"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, err
    assert f"corridors {argv[0]}: {said}; no file was left half-written" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == [target.name], f"left behind: {leftovers}"
    assert target.read_bytes() == b"an earlier export"
