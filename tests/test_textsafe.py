"""Text in tables and CSV files: no control characters, no bidi reordering, no formulas."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from helpers import tiny_world, write_data

import geo
from geo.cli import main
from geo.cli.output import emit
from geo.textsafe import FSI, PDF, PDI, csv_cell, is_formula, isolate_bidi, table_cell

RLO = "\u202e"
HOSTILE = {
    "formula": "=HYPERLINK(\"http://x.invalid\",\"click\")",
    "plus": "+7 495 000",
    "minus": "-2+3",
    "at": "@SUM(A1:A2)",
    "tab": "\t=1+1",
    "number_text": "-12.5",
    "override": f"Meghri{RLO}gnp.",
    "nul": "Mid\x00dle",
    "escape": "\x1b[31mred\x1b[0m",
    "persian": "مغری",
    "newline": "two\nlines",
}


def frame() -> pd.DataFrame:
    return pd.DataFrame({"id": list(HOSTILE), "text": list(HOSTILE.values()),
                         "km": [1.5] * len(HOSTILE)})


def read_csv(text: str) -> dict:
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_csv_output_is_neutralised():
    out = io.StringIO()
    emit(frame(), "csv", out)
    rows = read_csv(out.getvalue())
    assert rows["formula"]["text"] == "'" + HOSTILE["formula"]
    assert rows["plus"]["text"] == "'+7 495 000"
    assert rows["minus"]["text"] == "'-2+3"
    assert rows["at"]["text"] == "'@SUM(A1:A2)"
    assert rows["tab"]["text"] == "'\t=1+1"
    assert rows["number_text"]["text"] == "-12.5"  # a number, not a formula
    assert rows["override"]["text"] == f"{FSI}Meghri{RLO}gnp.{PDF}{PDI}"
    assert rows["nul"]["text"] == "Mid\\x00dle"
    assert rows["escape"]["text"] == "\\x1b[31mred\\x1b[0m"
    assert rows["persian"]["text"] == "مغری"
    assert rows["newline"]["text"] == "two\nlines"  # quoted by the CSV writer, kept
    assert rows["formula"]["km"] == "1.5"
    assert "\x00" not in out.getvalue() and "\x1b" not in out.getvalue()


def test_table_output_shows_hidden_characters():
    out = io.StringIO()
    emit(frame(), "table", out)
    text = out.getvalue()
    assert "Meghri\\u202egnp." in text and RLO not in text
    assert "Mid\\x00dle" in text and "\x00" not in text
    assert "\\x1b[31mred" in text and "\x1b" not in text
    assert "two\\nlines" in text
    assert "مغری" in text
    assert len(text.splitlines()) == 1 + len(HOSTILE)  # one line per row: the table holds


def test_json_output_keeps_the_values():
    out = io.StringIO()
    emit(frame(), "json", out)
    assert '"Meghri\u202egnp."' in out.getvalue()
    assert '"Mid\\u0000dle"' in out.getvalue()


@pytest.mark.parametrize(("text", "isolated"), [
    ("plain", "plain"),
    ("مغری", "مغری"),
    (f"a{RLO}b", f"{FSI}a{RLO}b{PDF}{PDI}"),
    (f"a{RLO}b{PDF}c", f"{FSI}a{RLO}b{PDF}c{PDI}"),
    (f"a{PDF}{PDI}b", f"{FSI}ab{PDI}"),  # closers with nothing to close cannot close ours
    ("x\u2067y\u202bz", f"{FSI}x\u2067y\u202bz{PDF}{PDI}{PDI}"),
    ("x\u2067y\u202bz\u2069w", f"{FSI}x\u2067y\u202bz\u2069w{PDI}"),  # PDI closes the RLE too
])
def test_bidi_controls_are_balanced_and_isolated(text, isolated):
    assert isolate_bidi(text) == isolated


@pytest.mark.parametrize(("text", "formula"), [
    ("=1", True), ("+1 (555)", True), ("-x", True), ("@x", True), ("\rx", True),
    ("-1.5", False), ("+3", False), ("1e5", False), ("a=b", False), ("", False), ("-", True),
])
def test_what_a_spreadsheet_would_run(text, formula):
    assert is_formula(text) is formula


def test_cells_other_than_text_are_unchanged():
    assert csv_cell(-1.5) == -1.5 and csv_cell(None) is None
    assert table_cell("a\u2028b") == "a\\u2028b"


def test_cli_csv_of_places_from_a_hostile_data_file(tmp_path, capsys):
    world = tiny_world()
    world["places"][0]["name_en"] = "=cmd|' /C calc'!A0"
    world["places"][1]["name_en"] = f"Mid{RLO}gnp."
    folder = write_data(tmp_path / "data", world)
    assert main(["--data-dir", str(folder), "places", "--format", "csv"]) == 0
    rows = read_csv(capsys.readouterr().out)
    assert rows["west"]["name_en"] == "'=cmd|' /C calc'!A0"
    assert rows["mid"]["name_en"] == f"{FSI}Mid{RLO}gnp.{PDF}{PDI}"


def test_exported_csv_is_neutralised(tmp_path):
    world = tiny_world()
    world["places"][0]["name_en"] = "@SUM(1+1)"
    world["places"][2]["region"] = "bell\x07"
    folder = write_data(tmp_path / "data", world)
    text = geo.export_bytes("csv", routes=["w-e"], dataset="places", data_dir=folder).decode()
    rows = {r["place_id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["west"]["name_en"] == "'@SUM(1+1)"
    assert rows["east"]["region"] == "bell\\x07" and "\x07" not in text
