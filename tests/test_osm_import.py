"""Streaming OSM import (geo.osm.stream, geo.osm.store) on small hand-made OSM files.

``tests/data/osm/network_tiny.osm`` is drawn on the tiny test world (AAA | BBB | CCC along
lat 0.5): three railways west -> east (1435 mm, dual gauge, 1520 mm), two main roads beside
them, a detour road, a footway and a building (see the file's comment).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest
from shapely.geometry import LineString

import geo
from geo.cli import main
from geo.measure import line_length_km
from geo.osm import read, stream

FIXTURES = Path(__file__).parent / "data" / "osm"
NETWORK = FIXTURES / "network_tiny.osm"
RAIL = [1001, 1002, 1003]
ROADS = [2001, 2002, 2003, 2004]


def cached_ids(done) -> list[int]:
    return sorted(pq.read_table(done.cache, columns=["osm_id"]).column("osm_id").to_pylist())


def test_batches_smaller_than_the_file_give_the_same_cache(tiny_data, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    small = geo.import_osm(NETWORK, data_dir=tiny_data, batch_size=2)
    whole = geo.import_osm(NETWORK, data_dir=other, batch_size=10_000)
    assert pq.ParquetFile(small.cache).num_row_groups == 4  # 7 ways, 2 per batch
    assert pq.ParquetFile(whole.cache).num_row_groups == 1
    assert pq.read_table(small.cache).equals(pq.read_table(whole.cache))
    assert small.summary.equals(whole.summary)
    assert (small.ways, small.length_km) == (whole.ways, pytest.approx(whole.length_km))


def test_the_cache_is_geoparquet_with_lengths_on_the_ellipsoid(tiny_data):
    done = geo.import_osm(NETWORK, data_dir=tiny_data)
    frame = gpd.read_parquet(done.cache, bbox=(0.4, 0.4, 0.9, 0.6))  # any GeoParquet reader
    assert sorted(frame["osm_id"]) == [1001, 2001]
    ways = geo.load_osm_cache(done.cache)
    assert ways.loc[1001].geometry.equals(LineString([(0.5, 0.5), (1.0, 0.5), (1.5, 0.5)]))
    assert ways.loc[1001, "length_km"] == pytest.approx(line_length_km(ways.loc[1001].geometry))
    assert done.length_km == pytest.approx(sum(line_length_km(g) for g in ways.geometry))


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, RAIL + ROADS),
        ({"kind": "rail"}, RAIL),
        ({"kind": "road"}, ROADS),
        ({"kind": "road", "road_classes": "trunk"}, [2002]),  # 2003 is a primary in construction
        ({"road_classes": ["primary", "trunk"]}, [*RAIL, 2001, 2002, 2003]),
        ({"bbox": "0.4,0.4,0.9,0.6"}, [1001, 2001]),
        ({"bbox": [1.9, 0.6, 2.1, 0.8]}, [2004]),
        ({"route": "w-e", "buffer_km": 1}, RAIL),
        ({"route": "w-e", "buffer_km": 5}, RAIL + ROADS),  # the detour touches the buffer
    ],
)
def test_filters_by_kind_road_class_bbox_and_route_buffer(tiny_data, options, expected):
    assert cached_ids(geo.import_osm(NETWORK, data_dir=tiny_data, **options)) == sorted(expected)


def test_filter_mistakes_are_clear_errors(tiny_data):
    with pytest.raises(geo.OSMError, match=r"bbox must be W,S,E,N"):
        geo.import_osm(NETWORK, data_dir=tiny_data, bbox="1,2,3")
    with pytest.raises(geo.OSMError, match=r"bbox '3,0,1,1' is not W,S,E,N"):
        geo.import_osm(NETWORK, data_dir=tiny_data, bbox="3,0,1,1")
    with pytest.raises(geo.OSMError, match=r"buffer_km needs a route"):
        geo.import_osm(NETWORK, data_dir=tiny_data, buffer_km=3)
    with pytest.raises(geo.OSMError, match=r"road classes must be highway=\* values"):
        geo.import_osm(NETWORK, data_dir=tiny_data, road_classes="construction")
    with pytest.raises(geo.OSMError, match=r"no OSM ways tagged .* touching 10,10,11,11"):
        geo.import_osm(NETWORK, data_dir=tiny_data, bbox="10,10,11,11")


def test_dual_gauge_is_a_set_and_no_single_gauge():
    ways = geo.read_osm(NETWORK, kind="rail")
    assert ways.loc[1002, "gauge"] == "1520;1435"  # the tag as mapped
    assert ways["gauge_mm"].astype(object).where(ways["gauge_mm"].notna(), None).tolist() == [
        1435, None, 1520]
    summary = geo.summarise_ways(ways).set_index("gauge")
    assert summary.loc["1435;1520", "length_km"] == pytest.approx(ways.loc[1002, "length_km"])
    assert sorted(summary.index) == ["1435", "1435;1520", "1520"]
    text, single = read.gauge_columns(["1520;1435", "1435", "", "standard", "1520 ; 1435"])
    assert text.tolist() == ["1435;1520", "1435", "", "", "1435;1520"]
    assert [None if v is pd.NA else v for v in single] == [None, 1435, None, None, None]


def test_missing_nodes_keep_the_rest_of_the_way(tmp_path):
    path = tmp_path / "edge.osm"
    path.write_text(
        '<osm version="0.6"><node id="1" lat="0.5" lon="0.5"/><node id="2" lat="0.5" lon="0.6"/>'
        '<node id="3" lat="0.5" lon="0.7"/>'
        '<way id="7"><nd ref="1"/><nd ref="2"/><nd ref="99"/><nd ref="3"/>'
        '<tag k="railway" v="rail"/></way>'
        '<way id="8"><nd ref="3"/><nd ref="98"/><tag k="railway" v="rail"/></way></osm>')
    ways = geo.read_osm(path)
    assert ways.index.tolist() == [7]  # way 8 keeps one node only
    assert ways.loc[7].geometry.equals(LineString([(0.5, 0.5), (0.6, 0.5), (0.7, 0.5)]))


def test_node_index_on_disk_gives_the_same_ways_and_leaves_no_file(tiny_data, tmp_path, monkeypatch):
    in_memory = pq.read_table(geo.import_osm(NETWORK, data_dir=tiny_data).cache)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(stream, "MEMORY_INDEX_MAX_NODES", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    on_disk = pq.read_table(geo.import_osm(NETWORK, data_dir=tiny_data).cache)
    assert on_disk.equals(in_memory)
    assert list(scratch.iterdir()) == []


class Injected(Exception):
    """Raised by a test in the middle of an import."""


@pytest.mark.parametrize("error", [Injected, KeyboardInterrupt])
def test_an_interrupted_import_leaves_the_earlier_import_intact(tiny_data, monkeypatch, error):
    first = geo.import_osm(NETWORK, data_dir=tiny_data)
    before = first.cache.read_bytes()
    listing = sorted(p.name for p in first.cache.parent.iterdir())
    real_add = stream._Batch.add
    seen = []

    def failing_add(self, way):
        seen.append(way.id)
        if len(seen) == 5:  # two batches of two ways are already written by then
            raise error("injected")
        real_add(self, way)

    monkeypatch.setattr(stream._Batch, "add", failing_add)
    with pytest.raises(error, match="injected"):
        geo.import_osm(NETWORK, data_dir=tiny_data, batch_size=2)
    assert first.cache.read_bytes() == before
    assert sorted(p.name for p in first.cache.parent.iterdir()) == listing  # no temp file


def test_an_unreadable_file_is_named_and_leaves_the_cache(tiny_data, tmp_path):
    done = geo.import_osm(NETWORK, data_dir=tiny_data)
    before = done.cache.read_bytes()
    broken = tmp_path / "network_tiny.osm.pbf"
    broken.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    with pytest.raises(geo.OSMError, match=r"network_tiny\.osm\.pbf: not a readable OSM PBF file"):
        geo.import_osm(broken, data_dir=tiny_data)
    assert done.cache.read_bytes() == before


def test_cli_import_is_quiet_when_piped_and_reports_what_it_kept(tiny_data, capsys):
    args = ["--data-dir", str(tiny_data), "osm", "import", str(NETWORK), "--kind", "road",
            "--road-classes", "primary,trunk,secondary", "--bbox", "0,0,3,1"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    km = geo.read_osm(NETWORK, kind="road")["length_km"].sum()
    [cache] = (tiny_data / "osm").glob("import-network_tiny-road-*.parquet")
    assert err.splitlines() == [f"imported 4 ways ({km:.1f} km) from {NETWORK} into {cache}"]
    assert "highway=construction" in out and "railway" not in out
    assert main([*args[:5], "--buffer-km", "3"]) == 2
    assert "--buffer-km needs --route" in capsys.readouterr().err
