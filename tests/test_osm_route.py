"""Routing on an imported OSM network (geo.osm.graph, geo.osm.route), offline.

The network is ``tests/data/osm/network_tiny.osm`` on the tiny test world (AAA | BBB | CCC):
a railway west (0.5, 0.5) -> east (2.5, 0.5) whose gauge is 1435 mm to lon 1.5, dual
(1435;1520) to lon 2.0 and 1520 mm beyond; a main road 0.02 degrees north with a detour
through lat 0.7 that is partly under construction. Expected lengths are computed from the
fixture's coordinates with geo.measure, never typed in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tiny_world, write_data
from shapely.geometry import LineString

import geo
from geo.cli import main
from geo.measure import distance_km, line_length_km
from geo.osm import compare_osm
from geo.osm.graph import osm_graph
from geo.osm.route import carried_gauges

NETWORK = Path(__file__).parent / "data" / "osm" / "network_tiny.osm"
RAILWAY = [(0.5, 0.5), (1.0, 0.5), (1.5, 0.5), (2.0, 0.5), (2.5, 0.5)]
ROAD = [(0.5, 0.52), (0.8, 0.52), (1.0, 0.52), (1.5, 0.52), (2.0, 0.52), (2.5, 0.52)]


@pytest.fixture
def osm_data(tmp_path) -> Path:
    """The tiny world with a place 'far' 50 km north of the railway, and the network imported."""
    world = tiny_world()
    world["places"].append({**world["places"][0], "id": "far", "name_en": "Far", "lat": 0.95})
    data = write_data(tmp_path / "data", world)
    geo.import_osm(NETWORK, data_dir=data)
    return data


def test_the_graph_splits_ways_at_shared_nodes(osm_data):
    graph = osm_graph(next((osm_data / "osm").glob("import-network_tiny-*.parquet")))
    # rail: 1->3 (node 2 is not shared), 3->4, 4->5; road: 10->11, 11->12, 12->13, 13->14,
    # 11->20 (construction), 20->13 (node 21 is not shared); the footway is not imported
    assert graph.edges == 9
    assert len(graph.nodes) == 10
    rail = graph.mode == "rail"
    assert sorted(graph.gauge[rail]) == ["1435", "1435;1520", "1520"]
    assert graph.km[rail].sum() == pytest.approx(line_length_km(LineString(RAILWAY)))


def test_rail_route_has_the_expected_length_countries_and_one_gauge_break(osm_data):
    [r] = compare_osm("west", "east", mode="rail", data_dir=osm_data)
    assert r["length_km"] == pytest.approx(line_length_km(LineString(RAILWAY)))
    assert r["km_by_country"] == pytest.approx({
        "AAA": line_length_km(LineString(RAILWAY[:2])),
        "BBB": line_length_km(LineString(RAILWAY[1:4])),
        "CCC": line_length_km(LineString(RAILWAY[3:]))})
    assert [(c["from_country"], c["to_country"]) for c in r["border_crossings"]] == [
        ("AAA", "BBB"), ("BBB", "CCC")]
    # 1435 mm track, then dual track on which the train keeps 1435 mm: the break is where
    # dual track ends (lon 2.0), not where it begins (lon 1.5)
    [brk] = r["gauge_breaks"]
    assert (brk["from_gauge"], brk["to_gauge"], brk["certain"]) == ("1435", "1520", True)
    assert (brk["lon"], brk["lat"]) == pytest.approx(RAILWAY[3])
    assert brk["km_from_start"] == pytest.approx(line_length_km(LineString(RAILWAY[:4])))
    assert [leg["name"] for leg in r["legs"]] == ["West line", "OSM way 1002", "E1"]
    assert r["osm_way_ids"] == [1001, 1002, 1003]
    assert r["network"] == "osm" and "network_tiny" in r["geometry_source"]
    assert [s["distance_m"] for s in r["snaps"]] == [0.0, 0.0]
    assert r["est_time_h"] > 0 and r["unknowns"] == []


def test_road_route_reports_the_snapped_nodes_and_adds_the_access_lines(osm_data):
    [r] = compare_osm("west", "east", mode="road", data_dir=osm_data)
    gap_km = distance_km(0.5, 0.5, 0.5, 0.52)
    assert [(s["node_lon"], s["node_lat"], s["osm_way_id"]) for s in r["snaps"]] == [
        (0.5, 0.52, 2001), (2.5, 0.52, 2002)]
    assert r["snaps"][0]["distance_m"] == pytest.approx(gap_km * 1000)
    assert r["length_km"] == pytest.approx(line_length_km(LineString(ROAD)) + 2 * gap_km)
    assert r["km_by_mode"] == pytest.approx({"road": r["length_km"]})
    assert r["legs"][0]["name"] == "access to the OSM network (straight line)"
    assert r["legs"][1]["name"] == "M1"
    assert r["gauge_breaks"] == []


def test_constraints_apply_and_the_error_names_the_one_that_cuts(osm_data):
    with pytest.raises(geo.NoPathError, match=r"avoiding BBB removes the last connection"):
        compare_osm("west", "east", avoid=["BBB"], data_dir=osm_data)
    with pytest.raises(geo.NoPathError,
                       match=r"keeping only status under_construction removes the last connection"):
        compare_osm("west", "east", mode="road", status=["under_construction"],
                    data_dir=osm_data)
    with pytest.raises(geo.NoPathError, match=r"'west' lies in AAA, which is to be avoided"):
        compare_osm("west", "east", avoid="AAA", data_dir=osm_data)
    with pytest.raises(ValueError, match=r"unknown country code\(s\) to avoid: ZZZ"):
        compare_osm("west", "east", avoid=["ZZZ"], data_dir=osm_data)


def test_a_place_far_from_the_network_is_a_clear_error(osm_data):
    cache = next((osm_data / "osm").glob("import-network_tiny-*.parquet"))
    with pytest.raises(geo.OSMError,
                       match=r"Far \(far\) is \d+\.\d km from the nearest node of the OSM rail "
                             r"in import-network_tiny-both-[0-9a-f]{8}\.parquet .* "
                             r"the limit is 5 km"):
        compare_osm("far", "east", mode="rail", cache=cache, data_dir=osm_data)
    with pytest.raises(geo.OSMError, match=r"no OpenStreetMap rail cache .* covers the places "
                                           r"within 5 km of far"):
        compare_osm("far", "east", mode="rail", data_dir=osm_data)
    [r] = compare_osm("far", "east", mode="rail", snap_km=60, data_dir=osm_data)
    assert r["snaps"][0]["distance_m"] == pytest.approx(distance_km(0.5, 0.95, 0.5, 0.5) * 1000)


def test_time_weight_and_no_import(osm_data, tmp_path):
    [r] = compare_osm("west", "east", mode="rail", weight="time", data_dir=osm_data)
    assert r["weight"] == "time" and r["osm_way_ids"] == [1001, 1002, 1003]
    plain = write_data(tmp_path / "plain", tiny_world())
    with pytest.raises(geo.OSMError, match=r"no imported OpenStreetMap network in .*osm import"):
        compare_osm("west", "east", data_dir=plain)


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        ([{1520}, {1435, 1520}, {1520}], [1520, 1520, 1520]),
        ([{1435}, {1435, 1520}, {1520}], [1435, 1435, 1520]),
        ([{1435, 1520}, {1520}], [1520, 1520]),
        ([{1435}, set(), {1520}], [1435, None, 1520]),
    ],
)
def test_trains_keep_their_gauge_across_dual_gauge_track(sets, expected):
    assert carried_gauges([frozenset(s) for s in sets]) == expected


def test_cli_compare_on_the_osm_network(osm_data, capsys):
    base = ["--data-dir", str(osm_data), "compare", "West", "East", "--network", "osm"]
    assert main([*base, "--mode", "rail"]) == 0
    out, err = capsys.readouterr()
    assert "gauge_breaks      1435>1520 at osm@0.5000000,2.0000000" in out
    assert "west: snapped to the OSM node at 0.50000, 0.50000 (way 1001), 0 m away" in err
    assert "OpenStreetMap contributors" in err
    assert main([*base, "--format", "json", "--mode", "road"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["network"] == "osm" and row["osm_way_ids"] == [2001, 2002]
    assert main([*base, "--avoid", "BBB"]) == 2
    assert "avoiding BBB removes the last connection" in capsys.readouterr().err
