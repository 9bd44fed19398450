"""Every data-reading command against every fault of the corpus (``tests/faults.py``).

A command that reads the broken file exits 2 with a message that names the file and matches
the fault's pattern; a command that does not read it works as usual. No traceback either way.
"""

from __future__ import annotations

import re
import shutil

import pytest
from faults import FAULTS, READS, base_folder

from geo.cli import main

COMMANDS = {
    "places": ["places"],
    "segments": ["segments"],
    "routes": ["routes"],
    "compare": ["compare", "west", "east"],
    "claims": ["claims"],
    "snapshot": ["snapshot", "--out", "{out}/map.png", "--size", "60x50", "--dpi", "150",
                 "--routes", "w-e", "--claims", "tiny-article"],
    "export": ["export", "--out", "{out}/all.gpkg", "--routes", "w-e", "--claims", "tiny-article"],
    "timeline": ["timeline", "w-e"],
    "change": ["change", "--route", "w-e", "--to", "2030-01-01"],
}


@pytest.fixture(scope="session")
def valid_folder(tmp_path_factory):
    return base_folder(tmp_path_factory.mktemp("valid") / "data")


def run(capsys, folder, out, command):
    argv = [a.format(out=out) for a in COMMANDS[command]]
    code = main(["--data-dir", str(folder), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_works_on_the_valid_folder(capsys, valid_folder, tmp_path, command):
    code, out, err = run(capsys, valid_folder, tmp_path, command)
    assert code == 0, err
    assert "error" not in err and "Traceback" not in err


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(capsys, valid_folder, tmp_path, fault, command):
    folder = tmp_path / "data"
    shutil.copytree(valid_folder, folder)
    fault.make(folder)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(capsys, folder, out, command)
    assert "Traceback" not in err
    if fault.file not in READS[command]:
        assert code == 0, err
        return
    assert code == 2, err
    assert str(folder / fault.file) in err
    assert re.search(fault.expect, err), f"{fault.expect!r} not in:\n{err}"
    assert not any(out.iterdir()), "a failed command left a file"


def test_the_corpus_covers_every_file_and_many_kinds():
    assert len(FAULTS) >= 60
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    every_file = {name for files in READS.values() for name in files}
    assert every_file <= {f.file for f in FAULTS}
