"""``corridors places|segments|borders`` on a tiny data folder, in every output format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from geo.cli import main
from geo.measure import distance_km


def run(capsys, *argv):
    code = main([*argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_segments_lists_geodesic_length(capsys, tiny_data, fmt):
    code, out, _ = run(capsys, "--data-dir", str(tiny_data), "segments", "--format", fmt)
    assert code == 0
    expected = round(distance_km(0.5, 0.5, 1.5, 0.5), 1)
    if fmt == "json":
        rows = json.loads(out)
        assert [r["id"] for r in rows] == ["w-m", "m-e"]
        assert rows[0]["length_km"] == pytest.approx(expected)
        assert rows[0]["gauge"] == "1435"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert float(rows[1]["length_km"]) == pytest.approx(expected)
    else:
        assert "w-m" in out and f"{expected:.1f}" in out


def test_places_json_keeps_local_names(capsys, tiny_data):
    code, out, _ = run(capsys, "--data-dir", str(tiny_data), "places", "--format", "json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["mid"]["name_ru"] == "Мид"
    assert rows["mid"]["kind"] == "junction"


def test_borders_csv(capsys, tiny_data):
    code, out, _ = run(capsys, "--data-dir", str(tiny_data), "borders", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["a"], r["b"]) for r in rows] == [("AAA", "BBB"), ("BBB", "CCC")]
    assert float(rows[0]["length_km"]) == pytest.approx(distance_km(1, 0, 1, 1), abs=0.05)


def test_bad_data_gives_a_clear_error_and_exit_code(capsys, tiny_data):
    text = (tiny_data / "places.csv").read_text(encoding="utf-8").replace("junction", "castle")
    (tiny_data / "places.csv").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tiny_data), "places")
    assert code == 2
    assert "places.csv: record 'mid', field 'kind' = 'castle'" in err


def test_missing_data_folder(capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "nowhere"), "segments")
    assert code == 2
    assert "nowhere: data folder not found" in err


def test_data_dir_option_does_not_leak(capsys, tiny_data):
    from geo import settings

    before = settings.data_dir
    run(capsys, "--data-dir", str(tiny_data), "places")
    assert settings.data_dir == before
