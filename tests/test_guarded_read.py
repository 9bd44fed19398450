"""Hostile files (issue 25): every reader refuses them fast with a message naming the file.

Each kind of fault is tried once against its reader (:mod:`geo._read` through the loaders),
then once per family through the CLI on a copy of a valid data folder: exit 2, the file named,
no traceback. The faults that hang (a FIFO, a device) run in a thread with a deadline, so a
regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
import yaml
from faults import CLAIMS_FILE, base_folder

import geo
from geo import _read
from geo._errors import ClaimsFileError, DataValidationError
from geo._validate import (
    Problem,
    Problems,
    check_geometry,
    parse_yaml,
    read_json,
    read_yaml,
    shown_value,
)
from geo.cli import main


@pytest.fixture(scope="module")
def valid_folder(tmp_path_factory):
    return base_folder(tmp_path_factory.mktemp("guarded") / "data")


@pytest.fixture
def folder(valid_folder, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(valid_folder, copy)
    return copy


def within(seconds: float, call):
    """``call()``'s exception (or None), failing the test when it takes over ``seconds``."""
    box: dict = {}

    def run():
        try:
            call()
        except BaseException as err:  # noqa: BLE001 - handed back to the test
            box["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still reading after {seconds} s"
    return box.get("error")


def alias_bomb() -> str:
    """A ~14 kB "billion laughs" document: 1,000 ** 9 strings once expanded."""
    lines = ["routes:", "  - &a0 [" + ", ".join(["lol"] * 1000) + "]"]
    lines += [f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 200) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def set_as_of(folder: Path, value: str) -> None:
    """Give route w-e an unquoted ``as_of`` (so PyYAML would have read it as a date)."""
    path = folder / "routes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("as_of: '2026-01-01'", f"as_of: {value}", 1), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Each fault against its reader


def test_an_alias_bomb_is_refused_fast_naming_the_file(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    assert 10_000 < path.stat().st_size < 16_000
    start = time.perf_counter()
    with pytest.raises(DataValidationError, match=r"anchor \(&a0\).*not allowed") as err:
        read_yaml(Problems(path), path)
    assert time.perf_counter() - start < 5
    assert str(path) in str(err.value) and "line 2" in str(err.value)


def test_an_alias_is_refused_naming_line_and_column():
    with pytest.raises(yaml.YAMLError, match=r"uses an alias \(\*x\)") as err:
        _read.load_yaml("a: 1\nb: *x\n")
    assert (err.value.problem_mark.line, err.value.problem_mark.column) == (1, 3)


def test_a_fifo_is_refused_without_waiting(tmp_path):
    path = tmp_path / "references.yaml"
    os.mkfifo(path)
    err = within(5, lambda: read_yaml(Problems(path), path))
    assert isinstance(err, DataValidationError)
    assert f"{path}: is not a regular file (a FIFO" in str(err)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_symlink_to_a_device_is_refused_without_reading(tmp_path, device):
    path = tmp_path / "segments.geojson"
    path.symlink_to(device)
    err = within(5, lambda: read_json(Problems(path), path))
    assert isinstance(err, DataValidationError)
    assert f"{path}: is not a regular file (a character device" in str(err)


def test_a_folder_in_place_of_a_file_stays_an_os_error(tmp_path):
    path = tmp_path / "routes.yaml"
    path.mkdir()
    with pytest.raises(IsADirectoryError) as err:
        read_yaml(Problems(path), path)
    assert err.value.filename == str(path)


@pytest.mark.parametrize(("value", "what"), [("2025-02-30", "2025-02-30"),
                                             ("0000-01-01", "0000-01-01")])
def test_an_impossible_date_is_a_validation_message(folder, value, what):
    set_as_of(folder, value)
    with pytest.raises(DataValidationError) as err:
        geo.load_routes(folder)
    message = str(err.value)
    assert f"{folder / 'routes.yaml'}: record 'w-e', field 'as_of' = '{what}'" in message
    assert "is not a day of the calendar" in message


def test_dates_stay_text_and_real_dates_still_load(folder):
    set_as_of(folder, "2026-01-01")
    routes = geo.load_routes(folder)
    assert routes.loc["w-e", "as_of"] == "2026-01-01"
    assert _read.load_yaml("d: 2025-08-08\nt: !!timestamp 2025-02-30") == {
        "d": "2025-08-08", "t": "2025-02-30"}


def test_an_impossible_date_in_a_claims_file_is_a_claims_problem(folder):
    path = folder / CLAIMS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('as_of: "2026-01-03"', "as_of: 2025-02-30", 1), encoding="utf-8")
    with pytest.raises(ClaimsFileError) as err:
        geo.load_claims(data_dir=folder)
    assert "'as_of' = '2025-02-30': is not a day of the calendar" in str(err.value)
    assert str(path) in str(err.value)


def test_a_duplicate_key_is_refused_naming_key_and_line(tmp_path):
    path = tmp_path / "observations.yaml"
    path.write_text("observations:\n  - id: a\n    date: '2020'\n    id: b\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        read_yaml(Problems(path), path)
    assert re.search(rf"{re.escape(str(path))}: not valid YAML \(line 4, column 5\): key 'id' "
                     r"appears twice in one mapping \(first at line 2", str(err.value))


@pytest.mark.parametrize("text", ["x: " + "[" * 1000 + "]" * 1000,
                                  "".join(" " * i + "- \n" for i in range(1000)),
                                  "".join(" " * i + "k:\n" for i in range(1000))])
def test_deep_nesting_is_refused(tmp_path, text):
    path = tmp_path / "references.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match="not valid YAML") as err:
        read_yaml(Problems(path), path)
    assert str(path) in str(err.value)
    deep = tmp_path / "deep.geojson"
    deep.write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"not valid JSON: nested too deeply \(lists"):
        read_json(Problems(deep), deep)


def test_a_4401_digit_json_integer_is_refused_naming_line(tmp_path):
    path = tmp_path / "segments.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [], "n": ' + "9" * 4401 + "}",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        read_json(Problems(path), path)
    assert f"{path}: not valid JSON: has an integer of 4,401 digits" in str(err.value)
    assert "at line 2" in str(err.value)
    with pytest.raises(yaml.YAMLError, match="more than 100 digits"):
        _read.load_yaml("n: " + "9" * 4401)


def test_a_file_over_its_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "places.csv"
    with path.open("wb") as f:  # sparse: no disk space used
        f.truncate(_read.LIMITS["csv"] + 1)
    start = time.perf_counter()
    with pytest.raises(DataValidationError, match=r"is 20,000,001 bytes, more than a csv file"):
        read_json(Problems(path), path)
    assert time.perf_counter() - start < 1


def test_the_limits_leave_room_for_the_shipped_files():
    data = Path(__file__).resolve().parents[1] / "data"
    for path in [*data.glob("*.*"), *data.glob("*/*.yaml")]:
        assert path.stat().st_size * 10 < _read.LIMITS[_read.kind_of(path)], path


def test_geometry_given_as_text_is_a_problem():
    problems = Problems("segments.geojson")
    assert check_geometry(problems, "s1", "LINESTRING (0 0, 1 1)", ("LineString",)) is None
    assert "must be a GeoJSON geometry object" in str(problems.items[0])


def test_a_huge_value_is_shown_cut_without_its_whole_repr():
    huge = [list(range(1000))] * 100_000
    start = time.perf_counter()
    shown = str(Problem("f.yaml", "r1", "field", huge, "is wrong"))
    assert time.perf_counter() - start < 0.5
    assert len(shown) < 200 and shown.endswith(": is wrong")
    assert shown_value(10 ** 4400) == "<an integer of about 4,401 digits>"
    assert shown_value(["a" * 10**7]) == "['" + "a" * 75 + "..."
    assert shown_value({"a": [1, (2,)]}) == repr({"a": [1, (2,)]})


def test_a_scenario_typed_in_the_app_is_guarded():
    with pytest.raises(DataValidationError, match="the scenario: not valid YAML.*anchor"):
        parse_yaml(Problems("the scenario"), "name: &n x\nchanges: [*n]\n", kind="scenario")
    with pytest.raises(DataValidationError, match="more than a scenario may have"):
        parse_yaml(Problems("the scenario"), "#" * (_read.LIMITS["scenario"] + 1), kind="scenario")


# ---------------------------------------------------------------------------------------------
# Through the CLI: exit 2, the file named, no traceback


def run(capsys, folder: Path, *argv: str) -> tuple[int, str]:
    code = main(["--data-dir", str(folder), *argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_cli_yaml_structure(capsys, folder):
    (folder / "routes.yaml").write_text(alias_bomb(), encoding="utf-8")
    start = time.perf_counter()
    code, err = run(capsys, folder, "routes")
    assert time.perf_counter() - start < 5
    assert code == 2 and f"{folder / 'routes.yaml'}: not valid YAML (line 2" in err


def test_cli_duplicate_key_in_claims(capsys, folder):
    path = folder / CLAIMS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  publication: Test Gazette\n", "  publication: Test Gazette\n  publication: Other\n", 1),
        encoding="utf-8")
    code, err = run(capsys, folder, "claims")
    assert code == 2 and str(path) in err and "key 'publication' appears twice" in err


@pytest.mark.parametrize("make", ["fifo", "zero"])
def test_cli_not_a_regular_file(capsys, folder, make):
    path = folder / "places.csv"
    path.unlink()
    if make == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    box: dict = {}
    assert within(10, lambda: box.update(result=run(capsys, folder, "places"))) is None
    code, err = box["result"]
    assert code == 2 and f"{path}: is not a regular file" in err


def test_cli_impossible_date(capsys, folder):
    set_as_of(folder, "2025-02-30")
    code, err = run(capsys, folder, "routes")
    assert code == 2
    assert f"{folder / 'routes.yaml'}: record 'w-e', field 'as_of' = '2025-02-30'" in err


def test_cli_huge_json_integer(capsys, folder):
    path = folder / "segments.geojson"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"gauge": "1435"', '"gauge": ' + "1" * 4401, 1), encoding="utf-8")
    code, err = run(capsys, folder, "segments")
    assert code == 2 and f"{path}: not valid JSON: has an integer of 4,401 digits" in err


def test_cli_file_over_the_size_limit(capsys, folder):
    path = folder / "segments.geojson"
    with path.open("r+b") as f:
        f.truncate(_read.LIMITS["geojson"] + 1)
    code, err = run(capsys, folder, "segments")
    assert code == 2 and f"{path}: is 200,000,001 bytes, more than a geojson file" in err


def test_a_file_that_grows_while_read_is_refused_at_the_limit(tmp_path, monkeypatch):
    """Never more than limit + 1 bytes are read, even when fstat said the file was small."""
    path = tmp_path / "routes.yaml"
    path.write_bytes(b"#" * 100)
    monkeypatch.setitem(_read.LIMITS, "yaml", 10)
    real = os.fstat
    monkeypatch.setattr(_read.os, "fstat",
                        lambda fd: os.stat_result((*real(fd)[:6], 0, *real(fd)[7:10])))
    with pytest.raises(_read.UnreadableFile, match="grew past 10 bytes"):
        _read.read_bytes(path)


def test_an_article_without_a_word_is_refused_at_once(tmp_path):
    """200,000 full stops (the longest article allowed) hold no sentence to draft from."""
    from geo.claims.files import read_article

    path = tmp_path / "dots.txt"
    path.write_text("." * 200_000, encoding="utf-8")
    with pytest.raises(ClaimsFileError, match=r"dots\.txt: holds no word \(200,000 characters"):
        read_article(path)
    path.write_text("Baku." + "." * 1000, encoding="utf-8")
    assert read_article(path).startswith("Baku.")


def test_a_23_digit_year_is_not_a_date(capsys):
    """Python raises OverflowError for such a year; the date checks and --as-of say why."""
    from geo._validate import real_date

    year = "1" * 23
    assert not real_date(year) and not real_date(f"{year}-01-01")
    assert main(["routes", "--as-of", year]) == 2
    assert f"not a date: '{year}'" in capsys.readouterr().err


def test_json_depth_is_capped_exactly_and_scalars_still_load():
    from geo._read import MAX_DEPTH, JSONRefused, load_json

    assert load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(JSONRefused, match="nested too deeply"):
        load_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    with pytest.raises(JSONRefused, match="nested too deeply"):
        load_json('{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1))
    assert [load_json(t) for t in ("5", '"x"', "null")] == [5, "x", None]
