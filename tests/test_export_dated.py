"""Exports of the network on a date: snapshot styling, subtitle, key dates, data and the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from helpers import dated_equator_world, equator_world, write_world

import geo
from geo import settings
from geo.cli import main
from geo.dated import key_dates, segments_at, when_text

SRC = "test source"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(settings, "today", "2026-06-30")


@pytest.fixture
def dated_world(tmp_path):
    """m-e: built from 2020, opened 2024-05, expected to close in 2028."""
    return write_world(tmp_path / "d", dated_equator_world("2026-01-01"))


def svg_text(folder, **kw) -> str:
    return geo.render_map(routes=["w-e"], fmt="svg", data_dir=folder, dpi=150, **kw).decode()


def test_segments_on_a_date_carry_status_and_basis(dated_world):
    assert segments_at(dated_world).at["m-e", "status"] == "operational"
    early = segments_at(dated_world, "2022")
    assert early.at["m-e", "status"] == "under_construction"
    assert not early.at["m-e", "status_projected"]
    assert early.at["m-e", "status_basis"] == "construction_start 2020 (happened)"
    late = segments_at(dated_world, "2029")
    assert (late.at["m-e", "status"], late.at["m-e", "status_projected"]) == ("closed", True)
    assert late.geometry.equals(early.geometry)


def test_the_label_says_when_a_view_is_a_projection():
    assert when_text(None) == "Statuses as recorded"
    assert when_text("2025-02") == "Statuses as of 2025-02-28"
    assert when_text("2030") == "Statuses as of 2030-12-31, projected from expected dates"


def test_snapshot_subtitle_and_legend_follow_the_date(dated_world):
    past = svg_text(dated_world, as_of="2022")
    assert "Statuses as of 2022-12-31" in past and "projected" not in past
    assert "under construction" in past
    today = svg_text(dated_world)
    assert "Statuses as of" not in today and "under construction" not in today
    future = svg_text(dated_world, as_of="2029-01")
    assert "Statuses as of 2029-01-31, projected from expected dates" in future
    assert ">closed<" in future or "closed" in future.split("Legend", 1)[1]


def test_snapshot_lists_the_key_dates_of_the_route(dated_world):
    text = svg_text(dated_world, as_of="2025")
    assert "Key dates" in text
    assert "2024-05 opening: m-e" in text  # the last change up to 2025
    assert "2028 closure (exp.): m-e" in text  # the next one
    assert "Key dates" not in svg_text(dated_world, as_of="2025", timeline=False)


def test_key_dates_keep_the_last_and_the_next_change(dated_world):
    rows = key_dates(["w-m", "m-e"], "2025", dated_world)
    assert rows[["date", "event", "relation"]].values.tolist() == [
        ["2024-05", "opening", "last"], ["2028", "closure", "next"]]
    projected = key_dates(["m-e"], "2029", dated_world)  # the expected closure has come
    assert projected[["date", "kind", "relation"]].values.tolist() == [["2028", "expected", "last"]]


def test_route_metrics_in_exports_follow_the_date(dated_world, monkeypatch):
    before = geo.export_frames(routes=["w-e"], datasets=["routes", "segments"], as_of="2022",
                               data_dir=dated_world)
    after = geo.export_frames(routes=["w-e"], datasets=["routes", "segments"], data_dir=dated_world)
    assert before["routes"].at[0, "exists_today"] is False or not before["routes"].at[0, "exists_today"]
    assert after["routes"].at[0, "exists_today"]
    seg = before["segments"].set_index("segment_id")
    assert seg.at["m-e", "status"] == "under_construction"
    assert seg.at["m-e", "status_date"] == "2022-12-31"
    assert seg.at["w-m", "length_basis"] == "measured on the drawn line"
    assert seg.at["w-m", "length_km"] == pytest.approx(seg.at["w-m", "measured_km"])
    assert after["segments"].set_index("segment_id").at["m-e", "status_date"] == "as recorded"
    # m-e's record is dated 2026-01-01, 180 days before "today" (2026-06-30): not yet stale
    assert not seg.at["m-e", "may_be_out_of_date"]
    monkeypatch.setattr(settings, "stale_after_days", 90)
    again = geo.export_frames(routes=["w-e"], datasets=["segments"], data_dir=dated_world)
    assert again["segments"].set_index("segment_id").at["m-e", "may_be_out_of_date"]


def test_timeline_dataset_lists_every_change_with_its_source(dated_world):
    data = geo.export_bytes("csv", routes=["w-e"], dataset="timeline", data_dir=dated_world)
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [(r["date"], r["event"], r["kind"]) for r in rows] == [
        ("2020", "construction_start", "happened"), ("2024-05", "opening", "happened"),
        ("2028", "closure", "expected")]
    assert {r["source"] for r in rows} == {SRC}
    doc = json.loads(geo.export_bytes("geojson", routes=["w-e"], dataset="timeline",
                                      data_dir=dated_world))
    assert {f["geometry"]["type"] for f in doc["features"]} == {"LineString"}


def test_a_timeline_without_dated_changes_is_nothing_to_export_not_a_broken_request(tmp_path):
    folder = write_world(tmp_path / "plain", equator_world())  # no segment has a lifecycle
    with pytest.raises(geo.NothingToExport, match="'timeline' has no rows"):
        geo.export_bytes("csv", routes=["w-e"], dataset="timeline", data_dir=folder)
    with pytest.raises(geo.ExportError) as bad:  # a wrong request is still an ExportError only
        geo.export_bytes("csv", routes=["nowhere"], dataset="timeline", data_dir=folder)
    assert not isinstance(bad.value, geo.NothingToExport)


def test_a_scenario_replaces_expected_dates_in_the_timeline_and_the_map(dated_world, tmp_path):
    path = tmp_path / "keep-open.yaml"
    path.write_text(yaml.safe_dump({"name": "kept open", "changes": [
        {"segment": "m-e", "date": "2028", "event": "reopening", "status": "operational"}]}))
    data = geo.export_bytes("csv", routes=["w-e"], dataset="timeline", scenario=path,
                            data_dir=dated_world)
    kinds = [(r["date"], r["kind"]) for r in csv.DictReader(io.StringIO(data.decode()))]
    assert ("2028", "expected") not in kinds and ("2028", "scenario") in kinds
    text = svg_text(dated_world, as_of="2029", scenario=path)
    assert "projected under scenario 'kept open'" in text
    assert segments_at(dated_world, "2029", geo.load_scenario(
        path, geo.load_segments(dated_world))).at["m-e", "status"] == "operational"


def test_cli_snapshot_and_export_take_a_date(dated_world, tmp_path, capsys):
    out = tmp_path / "map.svg"
    assert main(["--data-dir", str(dated_world), "snapshot", "--routes", "w-e", "--as-of", "2022",
                 "--out", str(out)]) == 0
    assert "Statuses as of 2022-12-31" in out.read_text()
    html = tmp_path / "map.html"
    assert main(["--data-dir", str(dated_world), "snapshot", "--routes", "w-e", "--as-of", "2030",
                 "--out", str(html)]) == 0
    # titled by the route, as the static map, with the date it shows
    assert "<title>West to East (Statuses as of 2030-12-31, projected" in html.read_text()
    table = tmp_path / "segments.csv"
    assert main(["--data-dir", str(dated_world), "export", "--routes", "w-e", "--dataset",
                 "segments", "--as-of", "2022", "--out", str(table)]) == 0
    rows = {r["segment_id"]: r for r in csv.DictReader(table.open(encoding="utf-8"))}
    assert rows["m-e"]["status"] == "under_construction"
    capsys.readouterr()
    assert main(["--data-dir", str(dated_world), "snapshot", "--routes", "w-e", "--as-of",
                 "next year", "--out", str(tmp_path / "bad.png")]) == 2
    assert "not a date: 'next year'" in capsys.readouterr().err
    assert not (tmp_path / "bad.png").exists()
