"""OpenStreetMap import, refresh and snapping (geo.osm), offline on hand-made OSM XML fixtures.

The fixtures in tests/data/osm/ are drawn on the tiny test world of conftest.py (AAA | BBB |
CCC along lat 0.5, stations west 0.5, mid 1.5, east 2.5) plus one near a shipped segment.
Expected geometries are the fixture's own node coordinates; expected lengths are computed from
them with geo.measure, never typed in.
"""

from __future__ import annotations

import contextlib
import json
import threading
import warnings
from pathlib import Path

import pytest
from helpers import square, tiny_world, write_data
from shapely.geometry import LineString, Point

import geo
from geo import osm, settings
from geo.cli import main
from geo.measure import densify_geodesic, line_length_km

FIXTURES = Path(__file__).parent / "data" / "osm"
GAUGE_CHANGE = FIXTURES / "rail_gauge_change.osm"
CONSTRUCTION = FIXTURES / "rail_construction.osm"
PARTIAL = FIXTURES / "rail_partial.osm"
ROAD = FIXTURES / "road_border.osm"
NEAR_SHIPPED = FIXTURES / "akhalkalaki_kartsakhi.osm"


def osm_nodes(path: Path, way_ids: list[int]) -> list[tuple[float, float]]:
    """The (lon, lat) of the nodes of the given ways, in order, shared nodes once."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    nodes = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in root.iter("node")}
    out: list = []
    for way in root.iter("way"):
        if int(way.get("id")) in way_ids:
            pts = [nodes[nd.get("ref")] for nd in way.iter("nd")]
            out += pts if not out or out[-1] != pts[0] else pts[1:]
    return out


def write_osm(path: Path, tags: dict[str, str], coords=((0.5, 0.5), (1.5, 0.5))) -> Path:
    nodes = "".join(f'<node id="{i}" lat="{y}" lon="{x}"/>' for i, (x, y) in enumerate(coords, 1))
    nds = "".join(f'<nd ref="{i}"/>' for i in range(1, len(coords) + 1))
    tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
    path.write_text(f'<osm version="0.6">{nodes}<way id="9">{nds}{tag_xml}</way></osm>')
    return path


def imported(path: Path, data_dir: Path):
    """Import ``path`` into ``data_dir``'s cache and read the cached ways back."""
    return geo.load_osm_cache(geo.import_osm(path, data_dir=data_dir).cache)


def assert_same_line(geom, coords, tol_deg=5e-6):
    """``geom`` runs along the geodesics through ``coords`` (within ~0.5 m), end to end."""
    expected = densify_geodesic(LineString(coords), 1.0)
    assert geom.coords[0] == pytest.approx(coords[0])
    assert geom.coords[-1] == pytest.approx(coords[-1])
    assert geom.hausdorff_distance(expected) < tol_deg


# ---------------------------------------------------------------------------------------------
# Reading


def test_read_keeps_corridor_ways_and_their_tags():
    ways = osm.read_osm(GAUGE_CHANGE)
    assert list(ways.index) == [101, 102, 103]  # the tram (105) is not a corridor railway
    assert ways.loc[101, "gauge_mm"] == 1520
    assert ways.loc[102, "gauge_mm"] == 1435
    assert ways.loc[101, "electrified"] == "contact_line"
    assert ways.loc[101, "usage"] == "main"
    assert ways.loc[101, "name"] == "West & Mid line <b>"
    assert set(ways["status"]) == {"operational"}
    expected = line_length_km(LineString(osm_nodes(GAUGE_CHANGE, [101])))
    assert ways.loc[101, "length_km"] == pytest.approx(expected)


def test_read_construction_section_and_skips_a_metro():
    ways = osm.read_osm(CONSTRUCTION)
    assert list(ways.index) == [201, 202]
    assert ways.loc[201, "status"] == "operational"
    assert ways.loc[202, "status"] == "under_construction"
    assert ways.loc[202, "construction"] == "rail"


@pytest.mark.parametrize(
    ("tags", "status"),
    [
        ({"railway": "rail"}, "operational"),
        ({"railway": "construction", "construction": "rail"}, "under_construction"),
        ({"railway": "proposed", "proposed": "rail"}, "proposed"),
        ({"railway": "disused"}, "disrupted"),
        ({"railway": "abandoned"}, "closed"),
        ({"highway": "trunk"}, "operational"),
        ({"highway": "construction", "construction": "primary"}, "under_construction"),
        ({"highway": "proposed", "proposed": "motorway"}, "proposed"),
    ],
)
def test_lifecycle_tags_map_to_statuses(tmp_path, tags, status):
    ways = osm.read_osm(write_osm(tmp_path / "one.osm", tags))
    assert ways["status"].tolist() == [status]


def test_kind_selects_railways_or_roads():
    assert osm.read_osm(ROAD, kind="road").index.tolist() == [401]  # not the residential street
    assert osm.read_osm(ROAD, kind="rail").empty
    assert set(osm.read_osm(GAUGE_CHANGE, kind=None)["kind"]) == {"rail"}
    with pytest.raises(geo.OSMError, match="unknown kind 'tram'"):
        osm.read_osm(ROAD, kind="tram")


def test_import_caches_ways_with_date_and_attribution(tiny_data):
    done = geo.import_osm(GAUGE_CHANGE, data_dir=tiny_data)
    assert done.cache.parent == tiny_data / "osm"
    assert done.cache.name.startswith("import-rail_gauge_change-both-")
    ways = osm.read_osm(GAUGE_CHANGE)
    assert done.ways == 3 and done.length_km == pytest.approx(ways["length_km"].sum())
    again = geo.load_osm_cache(done.cache)
    meta = again.attrs["osm_metadata"]
    assert meta["source"] == "import"
    assert meta["file"] == "rail_gauge_change.osm"
    assert "OpenStreetMap contributors" in meta["attribution"] and "ODbL" in meta["attribution"]
    assert meta["date"][:4].isdigit()
    assert again.index.tolist() == ways.index.tolist()
    assert again["gauge_mm"].tolist() == ways["gauge_mm"].tolist()
    assert again.geometry.geom_equals(ways.geometry).all()


def test_import_errors_name_the_file_and_leave_the_cache(tiny_data, tmp_path):
    cache = geo.import_osm(ROAD, kind="road", data_dir=tiny_data).cache
    before = cache.read_bytes()
    with pytest.raises(geo.OSMError, match="no OSM ways tagged railway=.*nothing was cached"):
        geo.import_osm(ROAD, kind="rail", data_dir=tiny_data)
    broken = tmp_path / "road_border.osm"
    broken.write_text("<osm><node id='1' lat='0' lon='0'>")
    with pytest.raises(geo.OSMError, match=r"road_border\.osm: not a readable OSM XML file"):
        geo.import_osm(broken, data_dir=tiny_data)
    with pytest.raises(geo.OSMError, match=r"missing\.osm: OSM file not found"):
        geo.import_osm(tmp_path / "missing.osm", data_dir=tiny_data)
    assert cache.read_bytes() == before


def test_without_pyosmium_the_error_says_what_to_install(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_osmium(name, *args, **kwargs):
        if name == "osmium":
            raise ImportError("No module named 'osmium'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_osmium)
    pbf = tmp_path / "extract.osm.pbf"
    pbf.write_bytes(b"\x00")
    with pytest.raises(geo.OSMError, match=r"extract\.osm\.pbf: .*needs the pyosmium package \(pip install osmium\)"):
        geo.read_osm(pbf)


# ---------------------------------------------------------------------------------------------
# Snapping


def test_snap_follows_a_line_with_a_gauge_change(tiny_data):
    ways = imported(GAUGE_CHANGE, tiny_data)
    snapped = geo.snap_segments(ways, data_dir=tiny_data)
    row = snapped.loc["w-m"]
    assert row["matched"]
    assert row["osm_way_ids"] == [101, 102]  # not the crossing railway 103
    assert row["coverage"] == pytest.approx(1.0)
    expected = osm_nodes(GAUGE_CHANGE, [101, 102])
    assert_same_line(row.geometry, expected)
    assert row["osm_km"] == pytest.approx(line_length_km(LineString(expected)))
    assert row["curated_km"] == pytest.approx(line_length_km(LineString([(0.5, 0.5), (1.5, 0.5)])))
    # way 101 (1520 mm) is the longer part: the segment takes its gauge, the split is kept
    share = ways.loc[101, "length_km"] / ways.loc[[101, 102], "length_km"].sum()
    assert row["gauge_curated"] == 1435 and row["gauge_mm"] == 1520
    assert row["gauges"] == f"1520 mm {share:.0%}, 1435 mm {1 - share:.0%}"
    assert not snapped.loc["m-e", "matched"]


def test_unconnected_tracks_of_a_break_of_gauge_both_count_once(tiny_data):
    ways = imported(FIXTURES / "rail_break_of_gauge.osm", tiny_data)
    row = geo.snap_segments(ways, data_dir=tiny_data).loc["w-m"]
    # 111 (west to lon 1.15) is the longer run; 112 (lon 1.05 to mid) overlaps it and is
    # trimmed to its part east of lon 1.15: the line follows 111 to its end, then 112
    assert row["osm_way_ids"] == [111, 112]
    assert row["coverage"] == pytest.approx(1.0)
    nodes = osm_nodes(FIXTURES / "rail_break_of_gauge.osm", [111]) + [
        (1.15, 0.498), (1.3, 0.49), (1.5, 0.5)]
    assert_same_line(row.geometry, nodes)
    assert row["osm_km"] == pytest.approx(line_length_km(LineString(nodes)))


def test_snap_takes_status_from_a_section_under_construction(tiny_data):
    ways = imported(CONSTRUCTION, tiny_data)
    snapped = geo.snap_segments(ways, data_dir=tiny_data)
    row = snapped.loc["m-e"]
    assert row["osm_way_ids"] == [201, 202]
    assert (row["status_curated"], row["status"]) == ("planned", "under_construction")
    assert row["gauge_mm"] == 1520  # only 201 has a gauge tag, on under half the length
    geo.save_snapped(snapped, data_dir=tiny_data)
    segs = geo.load_segments(tiny_data)
    assert segs.loc["m-e", "status"] == "under_construction"
    assert segs.loc["m-e", "curated_status"] == "planned"
    assert_same_line(segs.geometry.loc["m-e"], osm_nodes(CONSTRUCTION, [201, 202]))


def test_partial_cover_splices_osm_into_the_curated_line(tiny_data):
    ways = imported(PARTIAL, tiny_data)
    snapped = geo.snap_segments(ways, route="w-e", data_dir=tiny_data)
    row = snapped.loc["w-m"]
    osm_part = osm_nodes(PARTIAL, [301])
    expected = [(0.5, 0.5), *osm_part, (1.5, 0.5)]
    # outside the OSM way the line keeps the curated geodesic 0.5 -> 1.5, which bows ~1.5 m
    # north of the geodesics 0.5 -> 0.7 and 1.2 -> 1.5 of ``expected``
    assert_same_line(row.geometry, expected, tol_deg=2e-5)
    assert row["coverage"] == pytest.approx((1.2 - 0.7) / (1.5 - 0.5), abs=0.01)
    assert row["status"] == "operational" and row["gauge_mm"] == 1435  # no tags: curated kept


def test_snapped_geometry_changes_the_route_and_its_figures(tiny_data):
    before_route = geo.route_geometry("w-e", tiny_data)
    before = geo.length_km(geo.load_routes_gdf(tiny_data)).loc["w-e"]
    ways = imported(PARTIAL, tiny_data)
    geo.save_snapped(geo.snap_segments(ways, data_dir=tiny_data), data_dir=tiny_data)

    segs = geo.load_segments(tiny_data)
    assert segs.loc["w-m", "geometry_source"] == "osm"
    assert segs.loc["w-m", "osm_way_ids"] == "301"
    assert "rail_partial" in segs.loc["w-m", "osm_source"]
    assert segs.loc["m-e", "geometry_source"] == "curated"
    after_route = geo.route_geometry("w-e", tiny_data)
    assert not after_route.equals(before_route)
    assert after_route.distance(Point(0.85, 0.525)) < 1e-9  # passes the OSM bend

    gained = line_length_km(LineString([(0.5, 0.5), *osm_nodes(PARTIAL, [301]), (1.5, 0.5)])) - (
        line_length_km(LineString([(0.5, 0.5), (1.5, 0.5)]))
    )
    after = geo.length_km(geo.load_routes_gdf(tiny_data)).loc["w-e"]
    assert after - before == pytest.approx(gained, rel=1e-6)
    change = geo.route_length_change(tiny_data)
    assert change.loc["w-e", "curated_km"] == pytest.approx(before)
    assert change.loc["w-e", "osm_km"] == pytest.approx(after)
    assert change.loc["w-e", "snapped"] == 1
    assert change.loc["w-e", "osm_way_ids"] == [301]
    assert "1 of 2 segments follow OpenStreetMap" in geo.geometry_note(segs)


def test_road_crossing_a_border_snaps_to_roads_only(tmp_path):
    world = tiny_world()
    world["segments"].append(
        {"id": "w-m-road", "from": "west", "to": "mid", "name": "West-Mid road", "mode": "road",
         "status": "operational", "coords": [[0.5, 0.5], [1.5, 0.5]], "source": "fixture",
         "as_of": "2026-01-01", "accuracy": "exact"}
    )
    data = write_data(tmp_path / "data", world)
    ways = imported(ROAD, data)
    snapped = geo.snap_segments(ways, data_dir=data)
    assert snapped.loc["w-m-road", "osm_way_ids"] == [401]
    assert snapped.index.tolist() == ["w-m-road"]  # a road is never tried on a railway
    line = snapped.geometry.loc["w-m-road"]
    borders = geo.load_borders(data)
    assert line.intersects(borders.geometry.loc["AAA"])
    assert line.intersects(borders.geometry.loc["BBB"])
    crossing = line.intersection(LineString([(1.0, 0.0), (1.0, 1.0)]))
    assert crossing.y == pytest.approx(dict(osm_nodes(ROAD, [401]))[1.0])  # at the OSM node


def test_segment_accuracy_sets_the_snap_tolerance(tiny_data, tmp_path):
    assert osm.snap.snap_tolerance_m(None) == settings.osm_snap_tolerance_m
    assert osm.snap.snap_tolerance_m(4000) == 4000
    assert osm.snap.snap_tolerance_m(50) == osm.snap.TOLERANCE_RANGE_M[0]
    assert osm.snap.snap_tolerance_m(50000) == osm.snap.TOLERANCE_RANGE_M[1]
    # the bend of rail_partial.osm lies 0.025 deg (~2.8 km) off the line: within the default
    # 3 km, outside 1 km (accuracy_m 1000), where only the straight end (lon 1.0-1.2) follows
    world = tiny_world()
    world["segments"][0]["accuracy_m"] = 1000
    data = write_data(tmp_path / "tight", world)
    ways = imported(PARTIAL, data)
    tight = geo.snap_segments(ways, data_dir=data).loc["w-m"]
    assert tight["tolerance_m"] == 1000
    assert tight["coverage"] == pytest.approx(0.2, abs=0.01)
    assert tight.geometry.distance(Point(0.85, 0.525)) > 0.02
    wide = geo.snap_segments(ways, data_dir=tiny_data).loc["w-m"]
    assert wide["coverage"] == pytest.approx(0.5, abs=0.01)
    assert wide.geometry.distance(Point(0.85, 0.525)) < 1e-9


def test_disused_track_does_not_override_a_planned_rebuild(tmp_path, tiny_data):
    ways = geo.read_osm(write_osm(tmp_path / "old.osm", {"railway": "abandoned"},
                                  coords=((1.5, 0.5), (2.0, 0.51), (2.5, 0.5))))
    row = geo.snap_segments(ways, data_dir=tiny_data).loc["m-e"]
    assert row["matched"] and row["status"] == "planned"
    ways = geo.read_osm(write_osm(tmp_path / "gone.osm", {"railway": "abandoned"},
                                  coords=((0.5, 0.5), (1.0, 0.51), (1.5, 0.5))))
    assert geo.snap_segments(ways, data_dir=tiny_data).loc["w-m", "status"] == "closed"


# ---------------------------------------------------------------------------------------------
# Snapped file: switch, staleness, bad content, reset


@pytest.fixture
def snapped_data(tiny_data):
    ways = imported(GAUGE_CHANGE, tiny_data)
    geo.save_snapped(geo.snap_segments(ways, data_dir=tiny_data), data_dir=tiny_data)
    return tiny_data


def test_setting_switches_back_to_curated(snapped_data, monkeypatch):
    curated = LineString([(0.5, 0.5), (1.5, 0.5)])
    assert geo.load_segments(snapped_data).loc["w-m", "geometry_source"] == "osm"
    monkeypatch.setattr(settings, "use_osm_geometry", False)
    segs = geo.load_segments(snapped_data)
    assert (segs["geometry_source"] == "curated").all()
    assert segs.loc["w-m", "gauge"] == "1435"
    assert segs.geometry.loc["w-m"].hausdorff_distance(densify_geodesic(curated, 1.0)) < 1e-6
    assert geo.load_segments(snapped_data, osm=True).loc["w-m", "gauge"] == "1520"


def test_snaps_add_up_and_reset_restores_curated(snapped_data):
    ways = imported(CONSTRUCTION, snapped_data)
    geo.save_snapped(geo.snap_segments(ways, data_dir=snapped_data), data_dir=snapped_data)
    segs = geo.load_segments(snapped_data)
    assert (segs["geometry_source"] == "osm").all()
    status = geo.osm_status(snapped_data).set_index("file")
    assert status.loc["snapped.geojson", "what"] == "m-e, w-m"
    assert status.loc[Path(ways.attrs["osm_cache"]).name, "items"] == 2
    assert geo.reset_snapped(data_dir=snapped_data)
    assert (geo.load_segments(snapped_data)["geometry_source"] == "curated").all()
    assert not geo.reset_snapped(data_dir=snapped_data)


def test_stale_snap_is_ignored_with_a_warning(snapped_data):
    path = snapped_data / "segments.geojson"
    doc = json.loads(path.read_text())
    doc["features"][0]["geometry"]["coordinates"] = [[0.5, 0.5], [1.0, 0.502], [1.5, 0.5]]
    path.write_text(json.dumps(doc))
    stale = r"snapped\.geojson: ignoring 1 stale .*w-m \(curated segment changed"
    with pytest.warns(UserWarning, match=stale):
        segs = geo.load_segments(snapped_data)
    assert segs.loc["w-m", "geometry_source"] == "curated"


def test_broken_snapped_file_names_file_record_and_fix(snapped_data):
    path = snapped_data / "osm" / "snapped.geojson"
    doc = json.loads(path.read_text())
    doc["features"][0]["geometry"]["coordinates"][-1] = [1.4, 0.5]  # no longer ends at mid
    doc["features"][0]["properties"]["status"] = "open"
    path.write_text(json.dumps(doc))
    expected = (r"(?s)snapped\.geojson: record 'w-m', field 'to'.*"
                r"field 'status' = 'open'.*corridors osm reset")
    with pytest.raises(geo.DataValidationError, match=expected):
        geo.load_segments(snapped_data)


@pytest.mark.parametrize("damage", ["latin-1", "not json"])
def test_unreadable_snapped_file_is_named_with_the_fix(snapped_data, damage):
    path = snapped_data / "osm" / "snapped.geojson"
    if damage == "latin-1":
        path.write_bytes(path.read_text().replace("w-m", "w-m\u00e9", 1).encode("latin-1"))
    else:
        path.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(geo.DataValidationError,
                       match=r"(?s)snapped\.geojson.*corridors osm reset") as caught:
        geo.load_segments(snapped_data)
    assert all("snapped.geojson" in p.file for p in caught.value.problems)


def test_shipped_segment_snaps_to_an_osm_file_covering_part_of_a_route(shipped_copy):
    segments = geo.load_segments(shipped_copy, osm=False)
    sid, rid = "rail-akhalkalaki-kartsakhi", "kars-nakhchivan-rail"
    assert sid in segments.index and sid in geo.load_routes(shipped_copy).at[rid, "segments"]
    (shipped_copy / "osm" / "snapped.geojson").unlink(missing_ok=True)
    before = geo.route_length_change(shipped_copy).loc[rid]
    ways = imported(NEAR_SHIPPED, shipped_copy)
    snapped = geo.snap_segments(ways, route=rid, data_dir=shipped_copy)
    assert snapped["matched"].tolist() == [s == sid for s in snapped.index]
    geo.save_snapped(snapped, data_dir=shipped_copy)
    after = geo.route_length_change(shipped_copy).loc[rid]
    seg_after = line_length_km(LineString(osm_nodes(NEAR_SHIPPED, [701, 702])))
    assert after["osm_km"] - before["osm_km"] == pytest.approx(
        seg_after - line_length_km(segments.geometry.loc[sid]), rel=1e-6
    )
    assert after["curated_km"] == pytest.approx(before["curated_km"])
    assert after["osm_way_ids"] == [701, 702]


# ---------------------------------------------------------------------------------------------
# Refresh (online) and its offline failure


def test_refresh_offline_fails_cleanly_and_keeps_the_cache(tiny_data):
    cache = tiny_data / "osm" / "route-w-e.parquet"
    cache.parent.mkdir()
    cache.write_bytes(b"an earlier download")
    before = cache.read_bytes()
    messages: list[str] = []
    expected = r"route 'w-e' needs the internet: .*route-w-e\.parquet is unchanged"
    with pytest.raises(geo.OSMError, match=expected):
        geo.refresh_route("w-e", data_dir=tiny_data, progress=messages.append)
    assert cache.read_bytes() == before
    assert sorted(p.name for p in cache.parent.iterdir()) == ["route-w-e.parquet"]  # no temp left


def fake_overpass(monkeypatch, fail_at: int | None = None):
    """Serve Overpass queries from the fixtures (osmnx XML reader), optionally failing one."""
    import geopandas as gpd
    import osmnx as ox
    import pandas as pd
    from osmnx._errors import InsufficientResponseError

    calls: list = []

    def download(polygon, tags):
        calls.append((polygon, tags))
        if len(calls) == fail_at:
            raise ConnectionError("connection reset by peer")
        frames = []
        for path in (GAUGE_CHANGE, CONSTRUCTION):
            with contextlib.suppress(InsufficientResponseError):  # osmnx: an empty area
                frames.append(ox.features.features_from_xml(path, polygon=polygon, tags=tags))
        return pd.concat(frames) if frames else gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")

    monkeypatch.setattr(osm.download, "_check_online", lambda url: None)
    monkeypatch.setattr(osm.download, "_download", download)
    return calls


def test_refresh_downloads_by_parts_and_caches_with_metadata(tiny_data, monkeypatch):
    calls = fake_overpass(monkeypatch)
    messages: list[str] = []
    ways = geo.refresh_route("w-e", buffer_km=4, data_dir=tiny_data, progress=messages.append)
    parts = sum(int(-(-line_length_km(g) // osm.download.MAX_QUERY_PART_KM))
                for g in geo.load_segments(tiny_data).geometry)
    assert len(calls) == parts
    assert sum("part " in m for m in messages) == parts
    assert ways.index.tolist() == [101, 102, 103, 201, 202]  # each way once
    for polygon, tags in calls:
        assert polygon.is_valid and tags == {"railway": list(osm.read.RAIL_VALUES)}
    meta = geo.load_osm_cache(tiny_data / "osm" / "route-w-e.parquet").attrs["osm_metadata"]
    assert (meta["source"], meta["route"], meta["buffer_km"]) == ("refresh", "w-e", 4.0)
    assert "ODbL" in meta["attribution"]
    snapped = geo.snap_segments(ways, route="w-e", data_dir=tiny_data)
    assert snapped["matched"].all()


def test_refresh_failing_midway_keeps_the_previous_cache(tiny_data, monkeypatch):
    fake_overpass(monkeypatch)
    geo.refresh_route("w-e", data_dir=tiny_data)
    cache = tiny_data / "osm" / "route-w-e.parquet"
    before = cache.read_bytes()
    fake_overpass(monkeypatch, fail_at=2)
    with pytest.raises(geo.OSMError, match=r"failed at part 2/\d+ .*ConnectionError.*is unchanged"):
        geo.refresh_route("w-e", data_dir=tiny_data)
    assert cache.read_bytes() == before


def test_refresh_past_its_deadline_stops_and_keeps_the_cache(tiny_data, monkeypatch):
    fake_overpass(monkeypatch)
    geo.refresh_route("w-e", data_dir=tiny_data)
    cache = tiny_data / "osm" / "route-w-e.parquet"
    before = cache.read_bytes()
    release = threading.Event()
    monkeypatch.setattr(osm.download, "_download", lambda polygon, tags: release.wait(5))
    monkeypatch.setattr(settings, "network_deadline_s", 0.3)
    messages: list[str] = []
    try:
        with pytest.raises(geo.NetworkError, match=r"refresh of route 'w-e': gave up at part 1/"
                                                   r".*time limit of 0.3 s.*is unchanged"):
            geo.refresh_route("w-e", data_dir=tiny_data, progress=messages.append)
    finally:
        release.set()
    assert cache.read_bytes() == before


@pytest.mark.parametrize("buffer_km", [0, -1, float("inf"), float("nan")])
def test_refresh_rejects_a_buffer_that_is_not_a_positive_finite_number(tiny_data, buffer_km):
    with pytest.raises(geo.OSMError, match="positive, finite number of km"):
        geo.refresh_route("w-e", buffer_km=buffer_km, data_dir=tiny_data)


@pytest.mark.online
def test_refresh_online_downloads_a_real_railway(tmp_path):
    """Akhalkalaki-Kartsakhi (Baku-Tbilisi-Kars railway) from the live Overpass API."""
    akh, kar = (43.485, 41.405), (43.2096, 41.1951)
    world = tiny_world()
    box = square(43, 41, 44, 41.6)
    world["borders"] = [{**world["borders"][0], "iso3": "GEO", "geometry": box}]
    world["places"] = [
        {**world["places"][0], "id": "akh", "lon": akh[0], "lat": akh[1], "country": "GEO"},
        {**world["places"][2], "id": "kar", "lon": kar[0], "lat": kar[1], "country": "GEO"},
    ]
    world["segments"] = [{**world["segments"][0], "id": "akh-kar", "from": "akh", "to": "kar",
                          "accuracy_m": 5000, "coords": [akh, (43.4, 41.32), (43.28, 41.24), kar]}]
    world["routes"] = [{**world["routes"][0], "id": "btk", "origin": "akh", "destination": "kar",
                        "segments": ["akh-kar"]}]
    data = write_data(tmp_path / "data", world)
    ways = geo.refresh_route("btk", buffer_km=3, data_dir=data, progress=print)
    assert len(ways) > 0 and (ways["kind"] == "rail").all()
    assert geo.snap_segments(ways, data_dir=data).loc["akh-kar", "matched"]


# ---------------------------------------------------------------------------------------------
# Command line


def test_cli_import_snap_status_reset(tiny_data, capsys):
    assert main(["--data-dir", str(tiny_data), "osm", "import", str(PARTIAL), "--snap"]) == 0
    out, err = capsys.readouterr()
    assert "imported 1 ways" in err and "import-rail_partial-both-" in err
    assert "railway=rail" in out and "w-e" in out
    assert geo.load_segments(tiny_data).loc["w-m", "geometry_source"] == "osm"

    assert main(["--data-dir", str(tiny_data), "osm", "status", "--format", "json"]) == 0
    files = {r["file"]: r for r in json.loads(capsys.readouterr().out)}
    assert files["snapped.geojson"]["what"] == "w-m"

    assert main(["--data-dir", str(tiny_data), "osm", "reset"]) == 0
    assert "curated geometry again" in capsys.readouterr().out
    cache = next((tiny_data / "osm").glob("import-rail_partial-*.parquet"))
    assert main(["--data-dir", str(tiny_data), "osm", "snap", cache.name,
                 "--route", "w-e", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("id,segments,snapped,curated_km,osm_km")


def test_cli_json_reports_route_lengths(tiny_data, capsys):
    assert main(["--data-dir", str(tiny_data), "osm", "import", str(CONSTRUCTION), "--snap",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    change = geo.route_length_change(tiny_data)
    assert rows == [{**{k: round(v, 2) if isinstance(v, float) else v
                        for k, v in change.loc["w-e"].to_dict().items()}, "id": "w-e"}]


def test_cli_refresh_offline_is_a_clear_error(tiny_data, capsys):
    assert main(["--data-dir", str(tiny_data), "osm", "refresh", "--route", "w-e"]) == 2
    err = capsys.readouterr().err
    assert "corridors osm: error: refresh of route 'w-e' needs the internet" in err
    assert main(["--data-dir", str(tiny_data), "osm", "refresh", "--route", "nowhere"]) == 2
    assert "unknown route 'nowhere'" in capsys.readouterr().err


def test_cli_nothing_snapped_exits_1(tiny_data, capsys, tmp_path):
    far = write_osm(tmp_path / "far.osm", {"railway": "rail"}, coords=((0.5, 0.9), (1.5, 0.9)))
    assert main(["--data-dir", str(tiny_data), "osm", "import", str(far), "--snap"]) == 1
    assert "nothing snapped" in capsys.readouterr().err
    assert not (tiny_data / "osm" / "snapped.geojson").exists()


def test_geo_does_not_import_osmnx_osmium_folium_or_streamlit():
    import subprocess
    import sys

    heavy = "{'osmnx', 'osmium', 'folium', 'streamlit'}"
    code = f"import sys, geo, geo.osm; print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_warnings_on_a_clean_snap(snapped_data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        geo.load_segments(snapped_data)


def test_pbf_reads_like_xml(tmp_path):
    import osmium
    pbf = tmp_path / "gauge.osm.pbf"
    writer = osmium.SimpleWriter(str(pbf))
    for obj in osmium.FileProcessor(str(GAUGE_CHANGE)):
        writer.add(obj)
    writer.close()
    from_pbf, from_xml = geo.read_osm(pbf), geo.read_osm(GAUGE_CHANGE)
    assert from_pbf.index.tolist() == from_xml.index.tolist()
    assert from_pbf[["status", "gauge_mm", "name"]].equals(from_xml[["status", "gauge_mm", "name"]])
    assert from_pbf.geometry.geom_equals(from_xml.geometry).all()


def test_wide_refresh_buffers_are_cut_into_smaller_parts(tiny_data, monkeypatch):
    import osmnx as ox

    from geo.osm.match import local_transformer, reproject

    calls = fake_overpass(monkeypatch)
    geo.refresh_route("w-e", buffer_km=20, data_dir=tiny_data)
    limit_km2 = ox.settings.max_query_area_size / 1e6
    proj = local_transformer(geo.route_geometry("w-e", tiny_data))
    areas = [reproject(poly, proj).area / 1e6 for poly, _ in calls]
    assert len(calls) > 2 and max(areas) < limit_km2


# ---------------------------------------------------------------------------------------------
# What snapping refuses: track in another country, a match much longer than the line, and a
# record of an earlier snap that would not load


def border_world(tmp_path) -> Path:
    """The tiny world with a fourth country DDD north of AAA and BBB (lat 1 to 2), and the
    West–Mid line drawn 2 km south of that border, with a 10 km tolerance."""
    world = tiny_world()
    world["borders"].append({**world["borders"][0], "iso3": "DDD", "name": "Dland",
                             "geometry": square(0, 1, 2, 2)})
    for p in world["places"][:2]:
        p["lat"] = 0.982
    world["segments"][0].update(coords=[[0.5, 0.982], [1.5, 0.982]], accuracy_m=10000)
    world["segments"][1]["coords"] = [[1.5, 0.982], [2.5, 0.5]]
    return write_data(tmp_path / "data", world)


def test_track_across_the_border_is_not_matched(tmp_path):
    data = border_world(tmp_path)
    # 8.9 km north of the line, 6.7 km inside DDD (more than BORDER_SLACK_M): a foreign railway
    foreign = write_osm(tmp_path / "foreign.osm", {"railway": "rail"},
                        coords=[(0.5 + i / 10, 1.062) for i in range(11)])
    row = geo.snap_segments(geo.read_osm(foreign), data_dir=data).loc["w-m"]
    assert not row["matched"] and row.geometry is None
    assert "in its own countries" in row["reason"]
    # the same track inside AAA/BBB, as far from the line but south of it, is matched
    own = write_osm(tmp_path / "own.osm", {"railway": "rail"},
                    coords=[(0.5, 0.982), *[(0.5 + i / 10, 0.902) for i in range(1, 10)],
                            (1.5, 0.982)])
    assert geo.snap_segments(geo.read_osm(own), data_dir=data).loc["w-m", "matched"]


def test_a_match_much_longer_than_the_drawn_line_is_refused_with_its_figures(tmp_path, tiny_data):
    # a zigzag within 3 km of the line, 1.6 times its length
    zig = [(0.5 + i / 40, 0.5 + (0.0265 if i % 2 else -0.0265)) for i in range(1, 40)]
    ways = geo.read_osm(write_osm(tmp_path / "zig.osm", {"railway": "rail"},
                                  coords=[(0.5, 0.5), *zig, (1.5, 0.5)]))
    row = geo.snap_segments(ways, data_dir=tiny_data).loc["w-m"]
    drawn = line_length_km(LineString([(0.5, 0.5), (1.5, 0.5)]))
    track = line_length_km(LineString([(0.5, 0.5), *zig, (1.5, 0.5)]))
    assert track > 1.35 * drawn
    assert not row["matched"]
    assert f"{track:.1f} km" in row["reason"] and "longer than the drawn" in row["reason"]
    geo.save_snapped(geo.snap_segments(ways, data_dir=tiny_data), data_dir=tiny_data)
    assert (geo.load_segments(tiny_data)["geometry_source"] == "curated").all()


def test_saving_drops_an_earlier_record_that_would_not_load(snapped_data):
    path = snapped_data / "osm" / "snapped.geojson"
    doc = json.loads(path.read_text())
    doc["features"][0]["geometry"]["coordinates"] = [  # a bow tie: crosses itself
        [0.5, 0.5], [1.0, 0.6], [1.0, 0.4], [0.8, 0.55], [1.5, 0.5]]
    path.write_text(json.dumps(doc))
    with pytest.raises(geo.DataValidationError, match="crosses itself"):
        geo.load_segments(snapped_data)
    ways = imported(CONSTRUCTION, snapped_data)
    with pytest.warns(UserWarning, match=r"dropped snapped record\(s\) that would not load: w-m"):
        geo.save_snapped(geo.snap_segments(ways, data_dir=snapped_data), data_dir=snapped_data)
    segs = geo.load_segments(snapped_data)
    assert segs.loc["w-m", "geometry_source"] == "curated"
    assert segs.loc["m-e", "geometry_source"] == "osm"
