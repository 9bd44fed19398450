"""Places on the OSM network: mode-aware snapping, coordinates, station names, outside the borders.

The networks are small OSM XML files written by each test (ways whose ends meet share a node),
drawn on the tiny test world (AAA | BBB | CCC, one degree each from lon 0, lat 0 to 1) or, for
routing outside the borders file, around Liechtenstein (9.5 E, 47.1 N). Expected lengths are
computed from the coordinates with geo.measure, never typed in. One test routes on the real
extract in ../shared/osm/ and checks the km against the published Alat-Astara length.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import SHIPPED_DATA, tiny_world, write_data
from shapely.geometry import LineString

import geo
from geo.cli import main
from geo.measure import distance_km, line_length_km
from geo.metrics import km_text
from geo.osm import compare_osm
from geo.osm.places import parse_latlon, resolve_osm_place
from geo.osm.route import OUTSIDE_BORDERS

SHARED_OSM = Path(__file__).resolve().parents[1].parent / "shared" / "osm"
# Road and two rail stubs between two towns of AAA: each stub is nearer its town than the road,
# and the stubs do not meet, so the nearest node of any mode gives no path.
TOWN_A, TOWN_B = (0.30, 0.30), (0.70, 0.30)
ROAD = [(0.30, 0.32), (0.50, 0.32), (0.70, 0.32)]
STUBS = [[(0.30, 0.305), (0.45, 0.305)], [(0.55, 0.305), (0.70, 0.305)]]
# A main line between two stations of AAA and a siding, not joined to it, right by the first.
MAIN_LINE = [(0.30, 0.62), (0.50, 0.62), (0.70, 0.62)]
SIDING = [(0.301, 0.601), (0.311, 0.601)]
STATION_A, STATION_B = (0.30, 0.60), (0.70, 0.62)
# Liechtenstein: a road along the Rhine valley, far outside the tiny world's borders file.
LANDSTRASSE = [(9.52, 47.14), (9.535, 47.15), (9.55, 47.16)]


def osm_xml(path: Path, ways: list[tuple[list, dict]]) -> Path:
    """Write ways ``(lon/lat coords, tags)`` as OSM XML; equal coordinates share one node."""
    ids: dict = {}
    nodes, body = [], []
    for number, (coords, tags) in enumerate(ways, start=1):
        refs = []
        for lon, lat in coords:
            if (lon, lat) not in ids:
                ids[(lon, lat)] = len(ids) + 1
                nodes.append(f'<node id="{ids[(lon, lat)]}" lat="{lat}" lon="{lon}"/>')
            refs.append(f'<nd ref="{ids[(lon, lat)]}"/>')
        tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        body.append(f'<way id="{number}">{"".join(refs)}{tag_xml}</way>')
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">{"".join(nodes)}'
                    f'{"".join(body)}</osm>', encoding="utf-8")
    return path


def world_with(tmp_path: Path, places: list[dict], ways: list[tuple[list, dict]]):
    """The tiny world with extra places, and these ways imported; (data folder, cache)."""
    world = tiny_world()
    for p in places:
        world["places"].append({**world["places"][0], **p})
    data = write_data(tmp_path / "data", world)
    done = geo.import_osm(osm_xml(tmp_path / "net.osm", ways), data_dir=data)
    return data, done.cache


@pytest.fixture
def towns(tmp_path):
    places = [{"id": "town-a", "name_en": "Town A", "kind": "city", "lon": TOWN_A[0],
               "lat": TOWN_A[1]},
              {"id": "town-b", "name_en": "Town B", "kind": "city", "lon": TOWN_B[0],
               "lat": TOWN_B[1]}]
    ways = [(ROAD, {"highway": "primary", "ref": "A7"})]
    ways += [(stub, {"railway": "rail"}) for stub in STUBS]
    return world_with(tmp_path, places, ways)


@pytest.fixture
def liechtenstein(tmp_path):
    return world_with(tmp_path, [], [(LANDSTRASSE, {"highway": "primary", "name": "Landstrasse"})])


def test_without_a_mode_disconnected_rail_stubs_do_not_hide_the_road(towns):
    data, cache = towns
    with pytest.raises(geo.NoPathError, match=r"does not connect their nearest nodes, even without"):
        compare_osm("town-a", "town-b", mode="rail", cache=cache, data_dir=data)
    [r] = compare_osm("town-a", "town-b", cache=cache, data_dir=data)
    gaps = distance_km(*TOWN_A, *ROAD[0]) + distance_km(*TOWN_B, *ROAD[-1])
    assert r["length_km"] == pytest.approx(line_length_km(LineString(ROAD)) + gaps)
    assert r["km_by_mode"] == pytest.approx({"road": r["length_km"]})
    assert [(s["node_lon"], s["node_lat"], s["mode"]) for s in r["snaps"]] == [
        (*ROAD[0], "road"), (*ROAD[-1], "road")]
    # the stubs are nearer, so rail was tried first and the note says why road was used
    assert r["snap_notes"][0].startswith("no --mode given: routed by road")
    assert "not by rail" in r["snap_notes"][0]
    assert r["corridor"] == "A7 (within AAA)"


def test_a_station_whose_nearest_rail_node_is_a_siding_joins_the_main_line(tmp_path):
    places = [{"id": "sta-a", "name_en": "Station A", "kind": "station", "lon": STATION_A[0],
               "lat": STATION_A[1]},
              {"id": "sta-b", "name_en": "Station B", "kind": "station", "lon": STATION_B[0],
               "lat": STATION_B[1]}]
    ways = [(MAIN_LINE, {"railway": "rail", "name": "Main line"}),
            (SIDING, {"railway": "rail"}),
            (ROAD, {"highway": "trunk"})]
    data, cache = world_with(tmp_path, places, ways)
    assert distance_km(*STATION_A, *SIDING[0]) < distance_km(*STATION_A, *MAIN_LINE[0])
    for mode in (None, "rail"):
        [r] = compare_osm("sta-a", "sta-b", mode=mode, cache=cache, data_dir=data)
        assert (r["snaps"][0]["node_lon"], r["snaps"][0]["node_lat"]) == MAIN_LINE[0]
        assert r["snaps"][0]["distance_m"] == pytest.approx(
            distance_km(*STATION_A, *MAIN_LINE[0]) * 1000)
        assert r["length_km"] == pytest.approx(
            line_length_km(LineString(MAIN_LINE)) + distance_km(*STATION_A, *MAIN_LINE[0]))
        assert any("not at its nearest rail node" in n and "does not reach Station B (sta-b)" in n
                   for n in r["snap_notes"])
    # a station prefers rail even where the road is the nearer mode
    assert r["km_by_mode"] == pytest.approx({"rail": r["length_km"]})


def test_coordinates_outside_the_borders_file_route_and_print_short_figures(liechtenstein,
                                                                             capsys):
    data, cache = liechtenstein
    base = ["--data-dir", str(data), "compare", "47.14,9.52", "47.16, 9.55", "--network", "osm",
            "--osm-cache", str(cache)]
    assert main([*base, "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    km = line_length_km(LineString(LANDSTRASSE))
    assert row["length_km"] == pytest.approx(km, abs=1e-3)
    assert row["km_by_country"] == pytest.approx({OUTSIDE_BORDERS: km}, abs=1e-3)
    assert row["corridor"] == f"Landstrasse ({OUTSIDE_BORDERS})"
    assert any(OUTSIDE_BORDERS in u for u in row["unknowns"])
    assert main(base) == 0
    out, err = capsys.readouterr()
    assert f"#1 via Landstrasse ({OUTSIDE_BORDERS}): {km_text(km)}" in out
    assert km_text(km) == f"{km:.1f} km"  # under 10 km: one decimal, never "0 km"
    assert f"km_by_country     {OUTSIDE_BORDERS} {km:.1f}" in out
    assert "via :" not in out and not re.search(r"\b0 h\b", out)
    lo, hi = row["est_time_h_range"]
    assert 0 < hi < 1  # minutes, so the estimate is printed in minutes
    assert (f"model estimate: {row['est_time_h'] * 60:.0f} min (range {lo * 60:.0f}-"
            f"{hi * 60:.0f} min)") in out
    assert "days" not in out.split("model estimate:")[1].split("\n")[0]
    assert "47.14,9.52 (coordinates): snapped to the OSM node at 47.14000, 9.52000" in err
    assert "no --mode given: routed by road" in err


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("91,9.52", r"coordinates '91,9.52': latitude 91 is out of range -90\.\.90"),
        ("47.14, 190", r"longitude 190 is out of range -180\.\.180"),
        ("147.14,47.1", r"latitude 147\.14 is out of range .*lat and lon look swapped"),
        ("47.1,9.5,3", r"'47\.1,9\.5,3' is not coordinates: give lat,lon in degrees"),
    ],
)
def test_bad_coordinates_are_a_clear_error(liechtenstein, capsys, place, message):
    data, cache = liechtenstein
    assert main(["--data-dir", str(data), "compare", place, "47.16,9.55", "--network", "osm",
                 "--osm-cache", str(cache)]) == 2
    err = capsys.readouterr().err
    assert re.search(rf"corridors compare: error: .*{message}", err)
    assert "Traceback" not in err


def test_coordinates_are_read_as_maps_write_them():
    assert parse_latlon("40.38,49.87") == (40.38, 49.87)
    assert parse_latlon(" 40.38 ,  49.87 ") == (40.38, 49.87)
    assert parse_latlon("40.38N, 49.87E") == (40.38, 49.87)
    assert parse_latlon("9.52 W, 47.14 S") == (-47.14, -9.52)
    assert parse_latlon("Baku") is None
    assert parse_latlon("3078730877") is None  # one number: an OSM id, not coordinates


STATIONS = [
    {"id": 101, "lat": 47.14, "lon": 9.52, "name": "Schaan-Vaduz",
     "nameLocal": "Bahnhof Schaan-Vaduz", "type": "station"},
    {"id": 102, "lat": 47.16, "lon": 9.55, "name": "Nendeln", "type": "halt"},
    {"id": 103, "lat": 47.15, "lon": 9.535, "name": "Qəbələ Stansiyası", "type": "station"},
    {"id": 104, "lat": 47.150, "lon": 9.53, "name": "Mühle", "type": "station"},
    {"id": 105, "lat": 47.300, "lon": 9.60, "name": "Muhle", "type": "station"},
    {"id": 106, "lat": 47.1500, "lon": 9.5350, "name": "Forst Hilti", "type": "station"},
    {"id": 107, "lat": 47.1501, "lon": 9.5351, "name": "Forst Hilti", "type": "station"},
    {"id": 108, "lat": 47.16, "lon": 9.55, "name": "West", "type": "station"},
]


def test_station_names_match_in_any_form_and_ambiguity_lists_the_candidates(liechtenstein,
                                                                            tmp_path):
    data, cache = liechtenstein
    stations = tmp_path / "stations.json"
    stations.write_text(json.dumps(STATIONS, ensure_ascii=False), encoding="utf-8")
    [r] = compare_osm("SCHAAN VADUZ", "nendeln", stations=stations, cache=cache, data_dir=data)
    assert (r["origin"], r["destination"]) == ("Schaan-Vaduz", "Nendeln")
    assert [s["found"] for s in r["snaps"]] == ["stations.json: OSM node 101",
                                                "stations.json: OSM node 102"]
    assert r["length_km"] == pytest.approx(line_length_km(LineString(LANDSTRASSE)))

    def found(text):
        return resolve_osm_place(text, stations=stations, data_dir=data)

    assert found("Qabala").name == "Qəbələ Stansiyası"  # accents and the word "station" dropped
    assert found("Bahnhof Schaan Vaduz").id == "Schaan-Vaduz"  # the local name
    assert found("forst hilti").source == "stations.json: OSM node 106"  # two nodes, 15 m apart
    assert found("102").name == "Nendeln"  # the OSM id
    assert found("West").source == "places.csv"  # a project place comes first
    assert found("47.16,9.55").source == "coordinates"
    with pytest.raises(geo.UnknownPlaceError,
                       match=r"station name 'MUHLE' matches 2 stations of stations\.json: "
                             r"'Mühle' \(OSM node 104.*'Muhle' \(OSM node 105"):
        found("MUHLE")
    with pytest.raises(geo.UnknownPlaceError,
                       match=r"unknown place 'Nendel'.* nor is it coordinates .*did you mean: "
                             r"'Nendeln'"):
        found("Nendel")
    with pytest.raises(geo.UnknownPlaceError, match=r"coordinates .*\(--stations FILE\)"):
        resolve_osm_place("Nendeln", data_dir=data)


def test_a_bad_stations_file_is_named_with_every_problem(liechtenstein, tmp_path, capsys):
    data, cache = liechtenstein
    stations = tmp_path / "bad-stations.json"
    stations.write_text(json.dumps([{"id": 1, "lat": 95, "lon": 9.5, "name": "A"},
                                    {"id": 2, "lat": 47.1, "lon": "x"}]), encoding="utf-8")
    assert main(["--data-dir", str(data), "compare", "Nendeln", "47.16,9.55", "--network", "osm",
                 "--osm-cache", str(cache), "--stations", str(stations)]) == 2
    err = capsys.readouterr().err
    assert "bad-stations.json: station '1', field 'lat' = 95: is out of range -90..90" in err
    assert "station '2', field 'lon' = 'x': must be a number" in err
    assert "station '2', field 'name' = None: is missing" in err
    assert "Traceback" not in err


def test_real_extract_between_two_stations_matches_the_published_alat_astara_length(tmp_path,
                                                                                   capsys):
    pbf, stations = SHARED_OSM / "caucasus-rail.osm.pbf", SHARED_OSM / "stations-azerbaijan.json"
    if not (pbf.exists() and stations.exists()):
        pytest.skip(f"real OSM extract not present in {SHARED_OSM}")
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data, ignore=shutil.ignore_patterns("osm", "claims"))
    assert main(["--data-dir", str(data), "osm", "import", str(pbf), "--kind", "rail"]) == 0
    capsys.readouterr()
    base = ["--data-dir", str(data), "compare", "--network", "osm", "--stations", str(stations),
            "--format", "json"]
    # "Astara" is three project places (town, Iranian town, border crossing): an error that
    # lists them, as project places come before station names
    assert main([*base[:3], "Baş Ələt", "Astara", *base[3:]]) == 2
    assert "matches several places: astara-aze" in capsys.readouterr().err
    # Baş Ələt typed without accents; Astara station (OSM node 3078730877) by its OSM id
    assert main([*base[:3], "Bas Alat", "3078730877", *base[3:]]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert [s["found"] for s in row["snaps"]] == [
        "stations-azerbaijan.json: OSM node 3079878190",
        "stations-azerbaijan.json: OSM node 3078730877"]
    assert row["km_by_mode"] == pytest.approx({"rail": row["length_km"]})
    # published Alat-Astara: 243 km (../shared/osm/README.md, section table)
    assert row["length_km"] == pytest.approx(243, rel=0.05)


def test_stations_kept_by_the_import_are_places_without_a_stations_file(tmp_path):
    xml = osm_xml(tmp_path / "line.osm", [(MAIN_LINE, {"railway": "rail", "name": "Main line"})])
    text = xml.read_text(encoding="utf-8").replace(
        "</osm>",
        f'<node id="901" lat="{MAIN_LINE[0][1]}" lon="{MAIN_LINE[0][0]}"><tag k="railway" '
        'v="station"/><tag k="name" v="Ələt Qovşağı"/></node>'
        f'<node id="902" lat="{MAIN_LINE[-1][1]}" lon="{MAIN_LINE[-1][0]}"><tag k="railway" '
        'v="halt"/><tag k="name" v="Far End"/></node>'
        '<node id="903" lat="0.9" lon="0.9"><tag k="railway" v="station"/></node></osm>')
    xml.write_text(text, encoding="utf-8")
    data = write_data(tmp_path / "data", tiny_world())
    done = geo.import_osm(xml, data_dir=data)
    kept = done.metadata["stations"]
    assert [(s["id"], s["name"], s["type"]) for s in kept] == [
        (901, "Ələt Qovşağı", "station"), (902, "Far End", "halt")]  # unnamed 903 left out
    [r] = compare_osm("Alat Qovsagi", "far end", data_dir=data)  # names folded, the only cache
    assert r["length_km"] == pytest.approx(line_length_km(LineString(MAIN_LINE)))
    assert r["snaps"][0]["found"].startswith(f"the stations of {done.cache.name}: OSM node 901")
    with pytest.raises(geo.UnknownPlaceError, match=r"did you mean: 'Far End'"):
        compare_osm("Far Ends Town", "far end", data_dir=data)
