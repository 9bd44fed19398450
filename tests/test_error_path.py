"""The CLI's one error path: exit 2 with a message naming the file, warnings and notes on
stderr, exit 1 without a traceback for a bug, tracebacks only with --debug."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

import pytest
from faults import base_folder
from helpers import SHIPPED_DATA

import geo
import geo._read
from geo import ClaimsFileError, DataValidationError, ExportError
from geo.cli import main
from geo.messages import (
    error_notice,
    is_user_error,
    log_unexpected,
    unexpected_notice,
    user_message,
)

DATA_COMMANDS = [["places"], ["segments"], ["borders"], ["routes"], ["compare", "west", "east"],
                 ["references"], ["timecost", "w-e"], ["claims"],
                 ["snapshot", "--out", "x.png"], ["export", "--out", "x.csv"]]


@pytest.fixture
def folder(tmp_path) -> Path:
    return base_folder(tmp_path / "data")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("argv", DATA_COMMANDS, ids=lambda a: a[0])
def test_a_data_folder_that_does_not_exist_is_named(capsys, tmp_path, argv):
    code, out, err = run(capsys, "--data-dir", tmp_path / "nowhere", *argv)
    assert code == 2
    assert err == (f"corridors {argv[0]}: error: {tmp_path / 'nowhere'}: data folder not found "
                   "(choose one with --data-dir DIR)\n")
    assert out == ""


def test_a_file_given_as_data_folder(capsys, tmp_path):
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "--data-dir", tmp_path / "file", "claims")
    assert code == 2
    assert f"{tmp_path / 'file'}: is a file, not a data folder" in err


def test_claims_without_a_claims_folder_says_so(capsys, folder):
    import shutil

    shutil.rmtree(folder / "claims")
    code, out, err = run(capsys, "--data-dir", folder, "claims")
    assert code == 0
    assert f"note: no {folder / 'claims'}: there are no article claims to list or check" in err
    assert out == "(no rows)\n"


def test_a_missing_water_file_is_said_with_what_it_changes(capsys, folder):
    (folder / "water.geojson").unlink()
    code, _, err = run(capsys, "--data-dir", folder, "routes")
    assert code == 0
    assert (f"corridors routes: note: no {folder / 'water.geojson'}: Caspian Sea km are counted "
            "as open sea (SEA), not as CASPIAN") in err
    _, _, err = run(capsys, "--data-dir", folder, "places")
    assert "water.geojson" not in err  # places do not use it


def test_a_missing_basemap_is_said_by_snapshot(capsys, folder, tmp_path):
    (folder / "basemap.geojson").unlink()
    code, _, err = run(capsys, "--data-dir", folder, "snapshot", "--out", tmp_path / "m.svg",
                       "--size", "80x60")
    assert code == 0
    assert f"note: no {folder / 'basemap.geojson'}: maps show only the countries" in err
    assert (tmp_path / "m.svg").exists()


def test_unknown_columns_and_extra_cells_are_warned_about(capsys, folder):
    path = folder / "places.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",population"
    lines[1] += ",1000"
    lines[2] += ",2000,surplus"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", folder, "places", "--format", "json")
    assert code == 0
    assert (f"corridors places: warning: {path}: column(s) 'population' are not fields of this "
            "file and are not used") in err
    assert (f"corridors places: warning: {path}: line 3 has 20 cells but the header names 19; "
            "the extra cell(s) ['surplus'] are not used") in err
    assert '"id": "mid"' in out


def test_unknown_segment_fields_are_warned_about(folder):
    import json

    path = folder / "segments.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["speed_limit"] = 120
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.warns(geo._errors.DataWarning, match=r"segments\.geojson: field\(s\) 'speed_limit' "
                      r"are not fields of this file and are not used"):
        geo.load_segments(folder)


def test_the_shipped_data_has_no_unknown_fields(recwarn):
    for loader in (geo.load_borders, geo.load_water, geo.load_basemap, geo.load_places,
                   geo.load_segments, geo.load_routes):
        loader(SHIPPED_DATA)
    assert not [w for w in recwarn if issubclass(w.category, geo._errors.DataWarning)]


def test_a_utf8_byte_order_mark_is_read_as_excel_writes_it(capsys, folder):
    path = folder / "places.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, _ = run(capsys, "--data-dir", folder, "places", "--format", "csv")
    assert code == 0
    assert out.startswith("id,")


def test_a_file_that_cannot_be_read_is_named(capsys, folder, monkeypatch):
    """PermissionError (as for a file of another user; the tests may run as root), raised
    where the guarded reader opens the file (``geo._read``)."""
    real = os.open
    target = folder / "segments.geojson"

    def refuse(path, *args, **kwargs):
        if Path(path) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(geo._read.os, "open", refuse)
    code, _, err = run(capsys, "--data-dir", folder, "segments")
    assert code == 2
    assert err.splitlines()[-1] == (f"corridors segments: error: {target}: permission denied "
                                    "(this user may not read or write it)")


def test_a_bug_gives_one_line_and_exit_1(capsys, folder, monkeypatch):
    def broken(*args, **kwargs):
        return {}["no such key"]

    monkeypatch.setattr(geo.cli.data, "load_places", broken)
    code, out, err = run(capsys, "--data-dir", folder, "places")
    assert code == 1
    assert err.startswith("corridors places: internal error: KeyError: 'no such key'. This looks "
                          "like a bug")
    assert "--debug" in err and "Traceback" not in err and err.count("\n") == 1


def test_debug_shows_the_traceback(folder, monkeypatch):
    (folder / "places.csv").write_bytes(b"")
    with pytest.raises(DataValidationError, match="is empty"):
        main(["--debug", "--data-dir", str(folder), "places"])


def test_non_utf8_bytes_in_an_argument(capsys, folder):
    code, _, err = run(capsys, "--data-dir", folder, "claims", "draft", folder / "x.txt",
                       "--publication", "Reuters \udcff")
    assert code == 2
    assert "argument --publication 'Reuters \ufffd' holds bytes that are not UTF-8 text" in err


# ---------------------------------------------------------------------------------------------
# claims draft: its input file


def test_draft_from_a_folder(capsys, folder, tmp_path):
    code, _, err = run(capsys, "--data-dir", folder, "claims", "draft", tmp_path)
    assert code == 2
    assert err == f"corridors claims: error: {tmp_path}: is a folder, not a file\n"


def test_draft_from_latin1_text_names_the_byte(capsys, folder, tmp_path):
    article = tmp_path / "article.txt"
    article.write_bytes("Trains run from Mid to East.\nCaf\u00e9 news.".encode("latin-1"))
    code, _, err = run(capsys, "--data-dir", folder, "claims", "draft", article)
    assert code == 2
    assert (f"{article}: is not UTF-8 text: byte 0xE9 at byte offset 32 (line 2, byte 4 of the "
            "line)") in err


def test_draft_out_into_a_path_that_is_not_a_folder(capsys, folder, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Trains run from Mid to East.", encoding="utf-8")
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "draft.yaml"
    code, _, err = run(capsys, "--data-dir", folder, "claims", "draft", article, "--out", out)
    assert code == 2
    assert f"{out}: folder {tmp_path / 'file'} does not exist" in err


# ---------------------------------------------------------------------------------------------
# geo.messages, for the app


def test_user_message_of_a_problem_list_has_rows_for_a_table(folder):
    (folder / "places.csv").write_text(
        (folder / "places.csv").read_text(encoding="utf-8").replace("junction", "castle")
        .replace("0.5,AAA", "95,AAA"), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        geo.load_places(folder)
    message = user_message(info.value)
    path = str(folder / "places.csv")
    assert message.kind == "data"
    assert message.summary == f"2 problems in {path}:"
    assert message.files == (path,)
    assert [(r["record"], r["field"], r["problem"]) for r in message.problems] == [
        ("west", "lat", "out of range -90..90"),
        ("mid", "kind", "must be one of ['border_crossing', 'city', 'junction', 'port', 'station']"),
    ]
    assert str(message).splitlines()[1] == f"  - {path}: record 'west', field 'lat' = 95.0: out of range -90..90"


@pytest.mark.parametrize(("err", "summary", "kind"), [
    (IsADirectoryError(errno.EISDIR, "Is a directory", "d/places.csv"),
     "d/places.csv: is a folder, not a file", "file"),
    (FileNotFoundError(errno.ENOENT, "No such file", "d/x.yaml"), "d/x.yaml: not found", "not_found"),
    (OSError(errno.ENOSPC, "No space left on device", "out.gpkg"), "out.gpkg: the disk is full",
     "file"),
    (FileNotFoundError("d/segments.geojson: data file not found"),
     "d/segments.geojson: data file not found", "file"),
    (ExportError(["unknown route 'x'", "dpi 9 is out of range"]), "2 problems with the request:",
     "request"),
    (ClaimsFileError("d/claims/a.yaml: file exists"), "d/claims/a.yaml: file exists", "claims"),
    (geo.UnknownPlaceError("no place matches 'Atlantis'"), "no place matches 'Atlantis'", "not_found"),
])
def test_user_message_of_os_and_library_errors(err, summary, kind):
    message = user_message(err)
    assert (message.summary, message.kind) == (summary, kind)
    assert is_user_error(err)


def test_a_bug_has_no_user_message_and_is_logged_with_an_id(caplog):
    try:
        {}["x"]
    except KeyError as err:
        bug = err
    assert user_message(bug) is None and not is_user_error(bug)
    with caplog.at_level(logging.ERROR, logger="corridor_explorer"):
        error_id = log_unexpected(bug, where="Map page")
    assert len(error_id) == 8
    record = caplog.records[-1]
    assert f"unexpected error {error_id} in Map page: KeyError" in record.getMessage()
    assert record.exc_info[0] is KeyError
    assert error_id in unexpected_notice(error_id)
    assert "Traceback" not in unexpected_notice(error_id)


def test_error_notice_gives_every_error_something_to_show(caplog, folder):
    (folder / "places.csv").write_bytes(b"")
    with pytest.raises(DataValidationError) as info:
        geo.load_places(folder)
    shown = error_notice(info.value, where="Map page")
    assert shown.kind == "data" and shown.summary == f"{folder / 'places.csv'}: is empty"
    assert not caplog.records  # a user error is not logged as a bug
    with caplog.at_level(logging.ERROR, logger="corridor_explorer"):
        shown = error_notice(ZeroDivisionError("division by zero"), where="Compare page")
    assert shown.kind == "unexpected"
    assert shown.summary == unexpected_notice(shown.error_id)
    assert shown.error_id in caplog.records[-1].getMessage()


def test_draft_save_into_a_folder_that_cannot_be_written(capsys, folder, tmp_path, monkeypatch):
    """As in a read-only data folder (simulated: the tests may run as root)."""
    import tempfile

    def refuse(*args, dir=None, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", f"{dir}/.x.yaml.abc.tmp")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    article = tmp_path / "article.txt"
    article.write_text("Trains run from Mid to East.", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", folder, "claims", "draft", article, "--article-id",
                       "new", "--save", "--yes", "--publication", "P", "--title", "T", "--author", "A",
                       "--date", "2026-01-01")
    assert code == 2
    assert err.splitlines()[-1] == (f"corridors claims: error: {folder / 'claims' / 'new.yaml'}: "
                                    "permission denied (this user may not read or write it)")
