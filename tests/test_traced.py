"""Traced lengths (data/traced.yaml): the second length basis, and its file's validation."""

from __future__ import annotations

import pytest
import yaml
from helpers import tiny_world, write_data

import geo
from geo.traced import traced_by_segment, write_traced
from geo.vocab import LENGTH_BASES


def _write(data, records) -> None:
    (data / "traced.yaml").write_text(yaml.safe_dump({"traced": records}), encoding="utf-8")


def _record(segment="w-m", km=123.4, **more) -> dict:
    return {"segment": segment, "km": km, "source": "traced on OpenStreetMap track, fixture",
            "as_of": "2026-02-26", **more}


@pytest.fixture
def data(tmp_path):
    return write_data(tmp_path / "data", tiny_world())


def test_a_traced_figure_is_the_best_estimate_where_no_chainage_exists(data):
    drawn = geo.segment_metrics(data).loc["w-m", "length_km"]
    _write(data, [_record(km=round(float(drawn) * 1.1, 1))])
    segs = geo.segment_metrics(data)
    assert segs.loc["w-m", "basis"] == "traced"
    assert segs.loc["w-m", "best_km"] == pytest.approx(round(drawn * 1.1, 1))
    assert segs.loc["m-e", "basis"] == "measured"
    metrics = geo.route_metrics("w-e", data)
    share = segs.loc["w-m", "best_km"] / (segs.loc["w-m", "best_km"] + segs.loc["m-e", "best_km"])
    assert metrics["length_basis"]["share_traced"] == pytest.approx(share)
    assert f"{share:.0%} {LENGTH_BASES['traced']}" in metrics["length_basis"]["text"]


@pytest.mark.parametrize(("record", "field", "problem"), [
    (_record(segment="nowhere"), "segment", "is not a segment of segments.geojson"),
    (_record(km=-3), "km", "must be a positive number of km"),
    (_record(km="long"), "km", "must be a positive number of km"),
    ({"segment": "w-m", "km": 5}, "source", "is required and missing"),
    (_record(as_of="last spring"), "as_of", "must be a date"),
])
def test_a_bad_record_is_named_with_file_record_and_problem(data, record, field, problem):
    _write(data, [record])
    with pytest.raises(geo.DataValidationError) as caught:
        traced_by_segment(data)
    text = str(caught.value)
    assert "traced.yaml" in text and field in text and problem in text


def test_writing_merges_and_replaces_by_segment(data):
    import pandas as pd

    _write(data, [_record(segment="m-e", km=99.0)])
    write_traced(pd.DataFrame([_record(km=10.04)]), data_dir=data)
    write_traced(pd.DataFrame([_record(km=12.0)]), data_dir=data)
    got = traced_by_segment(data)
    assert {s: r["km"] for s, r in got.items()} == {"m-e": 99.0, "w-m": 12.0}
    assert (data / "traced.yaml").read_text(encoding="utf-8").startswith("# Traced lengths")


@pytest.mark.parametrize(("text", "problem"), [
    ("traced: [segment: w-m", "not valid YAML (line 1"),
    ("- a list\n", "must be a list of traced"),
])
def test_an_unreadable_traced_file_stops_the_cli_with_its_name(data, text, problem):
    from helpers import run_cli

    (data / "traced.yaml").write_text(text, encoding="utf-8")
    code, out, err = run_cli("--data-dir", str(data), "segments")
    assert code == 2 and "traced.yaml" in err and problem in err
    assert "Traceback" not in out + err


def test_without_a_traced_file_the_cli_says_what_that_changes(data):
    from helpers import run_cli

    code, _, err = run_cli("--data-dir", str(data), "segments")
    assert code == 0 and "traced.yaml: no track length traced on OpenStreetMap" in err
