"""Every kind of bad data file gets one error naming the file, the record, the field and the value."""

from __future__ import annotations

import json

import pytest
from helpers import square, tiny_world, write_data

import geo
from geo import DataValidationError


def _load_all(folder):
    geo.load_borders(folder)
    geo.load_places(folder)
    geo.load_segments(folder)
    return geo.load_routes(folder)


def test_tiny_world_is_valid(tiny_data):
    routes = _load_all(tiny_data)
    assert list(routes.index) == ["w-e"]
    places = geo.load_places(tiny_data)
    assert places.crs.to_epsg() == 4326
    assert places.loc["mid", "name_ru"] == "Мид"
    segs = geo.load_segments(tiny_data)
    assert segs.crs.to_epsg() == 4326
    assert segs["gauge"].tolist() == ["1435", "1520"]


def _broken(tmp_path, change):
    world = tiny_world()
    change(world)
    return write_data(tmp_path / "bad", world)


def test_duplicate_place_id(tmp_path):
    def change(w):
        w["places"].append(dict(w["places"][0]))

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"places\.csv: record 'west', field 'id' = 'west': duplicate id"):
        geo.load_places(folder)


def test_duplicate_segment_id(tmp_path):
    def change(w):
        w["segments"][1]["id"] = "w-m"

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"segments\.geojson: record 'w-m', field 'id' = 'w-m': duplicate id"):
        geo.load_segments(folder)


def test_unknown_place_in_segment(tmp_path):
    def change(w):
        w["segments"][1]["to"] = "atlantis"

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'm-e', field 'to' = 'atlantis': unknown place id"):
        geo.load_segments(folder)


def test_unknown_segment_in_route(tmp_path):
    def change(w):
        w["routes"][0]["segments"] = ["w-m", "nowhere"]

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"routes\.yaml: record 'w-e', field 'segments' = 'nowhere': unknown segment id"):
        geo.load_routes(folder)


def test_route_that_does_not_chain(tmp_path):
    def change(w):
        w["routes"][0]["segments"] = ["m-e", "w-m"]

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'w-e', field 'segments' = 'm-e': does not start or end at 'west'"):
        geo.load_routes(folder)


@pytest.mark.parametrize(
    ("field", "value", "pattern"),
    [
        ("mode", "hyperloop", r"field 'mode' = 'hyperloop': must be one of \['ferry', 'rail', 'road', 'sea'\]"),
        ("status", "rumoured", r"field 'status' = 'rumoured': must be one of"),
        ("gauge", "1000", r"field 'gauge' = '1000': each gauge must be one of \[1435, 1520\]"),
        ("gauge", "wide", r"field 'gauge' = 'wide': not a gauge list like '1520' or '1520;1435'"),
        ("gauge_source", "", r"field 'gauge_source' = '': is required when a gauge is given"),
        ("gauge_mm", 1520, r"field 'gauge_mm' = 1520: renamed to 'gauge'"),
        ("as_of", "last year", r"field 'as_of' = 'last year': must be a date"),
        ("source", "", r"field 'source' = '': is required and missing"),
    ],
)
def test_bad_segment_vocabulary(tmp_path, field, value, pattern):
    def change(w):
        w["segments"][0][field] = value

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=rf"segments\.geojson: record 'w-m', {pattern}"):
        geo.load_segments(folder)


def test_gauge_on_a_road(tmp_path):
    def change(w):
        w["segments"][0]["mode"] = "road"

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'w-m', field 'gauge' = '1435': only rail segments have a gauge"):
        geo.load_segments(folder)


def test_bad_place_kind(tmp_path):
    def change(w):
        w["places"][1]["kind"] = "castle"

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'mid', field 'kind' = 'castle': must be one of"):
        geo.load_places(folder)


def test_coordinates_out_of_range(tmp_path):
    def change(w):
        w["places"][0]["lat"] = 95.0

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'west', field 'lat' = 95\.0: out of range -90\.\.90"):
        geo.load_places(folder)


def test_place_outside_declared_country(tmp_path):
    def change(w):
        w["places"][0]["country"] = "CCC"

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'west', field 'lon/lat' = \(0\.5, 0\.5\): is \d+\.\d km outside declared country CCC \(it lies in AAA\)"):
        geo.load_places(folder)


def test_swapped_lat_lon_is_named(tmp_path):
    def change(w):
        w["borders"].append({"iso3": "DDD", "name": "Dland", "geometry": square(10, 40, 11, 41),
                             "source": "fixture", "as_of": "2026-01-01"})
        w["places"].append({"id": "swap", "name_en": "Swap", "kind": "city", "lon": 40.5,
                            "lat": 10.5, "country": "DDD", "source": "fixture", "as_of": "2026-01-01"})

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'swap'.*outside declared country DDD.*lon and lat look swapped"):
        geo.load_places(folder)


def test_unknown_country(tmp_path):
    def change(w):
        w["places"][0]["country"] = "XYZ"

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'west', field 'country' = 'XYZ': is not a country of the borders file"):
        geo.load_places(folder)


def test_segment_end_not_at_place(tmp_path):
    def change(w):
        w["segments"][0]["coords"] = [[0.5, 0.5], [1.6, 0.5]]

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"record 'w-m', field 'to' = 'mid': segment ends 11\.\d\d km from place 'mid'"):
        geo.load_segments(folder)


def test_empty_and_invalid_geometry(tmp_path):
    def change(w):
        w["segments"][0]["coords"] = None
        w["borders"][2]["geometry"] = {"type": "Polygon", "coordinates": [[[2, 0], [3, 1], [3, 0], [2, 1], [2, 0]]]}

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError, match=r"borders\.geojson: record 'CCC', field 'geometry' = 'Polygon': is invalid: Self-intersection"):
        geo.load_borders(folder)
    (folder / "borders.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": b["geometry"], "properties": {k: v for k, v in b.items() if k != "geometry"}}
        for b in tiny_world()["borders"]]}))
    with pytest.raises(DataValidationError, match=r"record 'w-m', field 'geometry' = None: is missing"):
        geo.load_segments(folder)


def test_all_problems_reported_at_once(tmp_path):
    def change(w):
        w["places"][0]["kind"] = "castle"
        w["places"][1]["lat"] = -100
        w["places"][2]["source"] = ""

    folder = _broken(tmp_path, change)
    with pytest.raises(DataValidationError) as info:
        geo.load_places(folder)
    assert len(info.value.problems) == 3
    assert str(info.value).startswith("3 problem(s) in the data:")
    assert {p.record for p in info.value.problems} == {"west", "mid", "east"}


def test_not_json(tmp_path):
    folder = write_data(tmp_path / "d", tiny_world())
    (folder / "segments.geojson").write_text("{not json")
    with pytest.raises(DataValidationError, match=r"segments\.geojson: not valid JSON"):
        geo.load_segments(folder)


def test_edited_file_is_read_again(tmp_path):
    world = tiny_world()
    folder = write_data(tmp_path / "d", world)
    assert geo.load_places(folder).loc["west", "name_en"] == "West"
    world["places"][0]["name_en"] = "Westend"
    write_data(folder, world)
    assert geo.load_places(folder).loc["west", "name_en"] == "Westend"


def test_loaders_return_copies(tiny_data):
    first = geo.load_places(tiny_data)
    first.loc["west", "name_en"] = "changed"
    assert geo.load_places(tiny_data).loc["west", "name_en"] == "West"


def test_empty_water_file_gives_an_empty_frame(tiny_data):
    water = geo.load_water(tiny_data)
    assert len(water) == 0 and water.index.name == "id"


def test_nakhchivan_needs_azerbaijan(tiny_data):
    with pytest.raises(DataValidationError, match=r"borders\.geojson: no record 'AZE' \(Azerbaijan\); cannot derive Nakhchivan"):
        geo.load_nakhchivan(tiny_data)


def test_routes_file_that_is_not_yaml(tiny_data):
    (tiny_data / "routes.yaml").write_text("routes: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"routes\.yaml: not valid YAML \(line 2, column 1\): while parsing a flow sequence; expected ',' or '\]'"):
        geo.load_routes(tiny_data)
