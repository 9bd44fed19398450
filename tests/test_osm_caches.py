"""OSM caches named by file, kind and content; `corridors osm list`; choosing the cache to route on.

The imports use ``tests/data/osm/network_tiny.osm`` (railway and roads along lat 0.5 of the
tiny test world) and small OSM files written here. Expected counts, regions and digests are
computed from the files themselves (``geo.read_osm``, ``hashlib``), never typed in.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import geo
from geo.cli import main
from geo.osm.cache import choose_cache, osm_caches, region_text
from geo.osm.route import compare_osm
from geo.osm.store import META_KEY

NETWORK = Path(__file__).parent / "data" / "osm" / "network_tiny.osm"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "osm" / "caucasus-rail.osm.pbf"


def railway_file(path: Path, coords: list[tuple[float, float]], gauge: str = "1520") -> Path:
    """An OSM XML file with one railway way through ``coords`` (lon, lat)."""
    nodes = "".join(f'<node id="{i}" lat="{y}" lon="{x}"/>' for i, (x, y) in enumerate(coords, 1))
    nds = "".join(f'<nd ref="{i}"/>' for i in range(1, len(coords) + 1))
    path.write_text(f'<osm version="0.6">{nodes}<way id="77">{nds}<tag k="railway" v="rail"/>'
                    f'<tag k="gauge" v="{gauge}"/></way></osm>')
    return path


def cache_names(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "osm").glob("*.parquet"))


def expected_region(path: Path, kind: str | None = None) -> str:
    return region_text(geo.read_osm(path, kind=kind).total_bounds)


# ---------------------------------------------------------------------------------------------
# Names


def test_rail_and_road_imports_of_one_file_are_two_caches(tiny_data):
    rail = geo.import_osm(NETWORK, kind="rail", data_dir=tiny_data)
    road = geo.import_osm(NETWORK, kind="road", data_dir=tiny_data)
    both = geo.import_osm(NETWORK, data_dir=tiny_data)
    assert cache_names(tiny_data) == sorted(d.cache.name for d in (rail, road, both))
    assert rail.cache.name.startswith("import-network_tiny-rail-")
    assert road.cache.name.startswith("import-network_tiny-road-")
    assert both.cache.name.startswith("import-network_tiny-both-")
    assert set(geo.load_osm_cache(rail.cache)["kind"]) == {"rail"}  # the road import left it
    assert set(geo.load_osm_cache(road.cache)["kind"]) == {"road"}
    digest = hashlib.sha256(NETWORK.read_bytes()).hexdigest()
    for done in (rail, road, both):
        meta = geo.load_osm_cache(done.cache).attrs["osm_metadata"]
        assert meta["file_sha256"] == digest
        assert done.cache.stem.endswith(meta["cache_key"][:8])


def test_the_same_import_again_replaces_its_own_cache(tiny_data):
    first = geo.import_osm(NETWORK, kind="road", road_classes="trunk,primary", data_dir=tiny_data)
    inode = first.cache.stat().st_ino
    again = geo.import_osm(NETWORK, kind="road", road_classes=["primary", "trunk"],
                           data_dir=tiny_data)
    assert again.cache == first.cache  # the order of the road classes does not matter
    assert cache_names(tiny_data) == [first.cache.name]
    assert again.cache.stat().st_ino != inode  # a new file renamed over the old one
    copy = tiny_data.parent / "elsewhere" / NETWORK.name  # same content, another place and date
    copy.parent.mkdir()
    shutil.copy(NETWORK, copy)
    os.utime(copy, (0, 0))
    assert geo.import_osm(copy, kind="road", road_classes="trunk,primary",
                          data_dir=tiny_data).cache == first.cache


def test_other_filters_or_content_give_another_cache(tiny_data, tmp_path):
    plain = geo.import_osm(NETWORK, kind="rail", data_dir=tiny_data)
    boxed = geo.import_osm(NETWORK, kind="rail", bbox="0.4,0.4,0.9,0.6", data_dir=tiny_data)
    near = geo.import_osm(NETWORK, kind="rail", route="w-e", buffer_km=1, data_dir=tiny_data)
    edited = tmp_path / NETWORK.name
    edited.write_text(NETWORK.read_text().replace('v="1520;1435"', 'v="1520"'))
    changed = geo.import_osm(edited, kind="rail", data_dir=tiny_data)
    names = [d.cache.name for d in (plain, boxed, near, changed)]
    assert len(set(names)) == 4
    assert cache_names(tiny_data) == sorted(names)
    assert all(n.startswith("import-network_tiny-rail-") for n in names)
    assert geo.load_osm_cache(plain.cache).loc[1002, "gauge"] == "1520;1435"  # not replaced
    assert geo.load_osm_cache(changed.cache).loc[1002, "gauge"] == "1520"


def test_a_failed_import_names_the_file(tiny_data, tmp_path):
    with pytest.raises(geo.OSMError, match=r"missing\.osm\.pbf: OSM file not found"):
        geo.import_osm(tmp_path / "missing.osm.pbf", data_dir=tiny_data)
    with pytest.raises(geo.OSMError, match=r"no OSM ways tagged .*nothing was cached"):
        geo.import_osm(railway_file(tmp_path / "far.osm", [(10, 10), (11, 10)]),
                       bbox="0,0,1,1", data_dir=tiny_data)
    assert cache_names(tiny_data) == []


# ---------------------------------------------------------------------------------------------
# osm list


def test_osm_list_shows_kind_ways_km_and_region(tiny_data, capsys):
    for kind in ("rail", "road"):
        assert main(["--data-dir", str(tiny_data), "osm", "import", str(NETWORK),
                     "--kind", kind]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(tiny_data), "osm", "list", "--format", "json"]) == 0
    rows = {r["kind"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"rail", "road"}
    for kind, row in rows.items():
        ways = geo.read_osm(NETWORK, kind=kind)
        assert row["ways"] == len(ways)
        assert row["km"] == pytest.approx(ways["length_km"].sum(), abs=0.051)
        assert row["region"] == expected_region(NETWORK, kind)
        assert row["source"] == NETWORK.name
        assert row["file"].startswith(f"import-network_tiny-{kind}-")
        assert row["imported"][:4].isdigit()
    assert rows["rail"]["region"] != rows["road"]["region"]  # the roads reach lat 0.7
    assert main(["--data-dir", str(tiny_data), "osm", "list"]) == 0
    table = capsys.readouterr().out
    assert all(r["file"] in table and r["region"] in table for r in rows.values())
    assert main(["--data-dir", str(tiny_data), "osm", "status", "--format", "json"]) == 0
    assert {r["file"] for r in json.loads(capsys.readouterr().out)} == {
        r["file"] for r in rows.values()}


def test_osm_list_of_an_empty_folder_says_how_to_fill_it(tiny_data, capsys):
    assert main(["--data-dir", str(tiny_data), "osm", "list"]) == 0
    assert "corridors osm import FILE" in capsys.readouterr().err


def test_caches_with_the_old_name_and_no_region_are_listed(tiny_data):
    done = geo.import_osm(NETWORK, kind="rail", data_dir=tiny_data)
    table = pq.read_table(done.cache)
    old_meta = {k: v for k, v in done.metadata.items()
                if k not in ("region", "file_sha256", "cache_key", "osm_data_date")}
    old = tiny_data / "osm" / "import-network_tiny.parquet"
    pq.write_table(table.replace_schema_metadata({**table.schema.metadata,
                                                  META_KEY: json.dumps(old_meta).encode()}), old)
    done.cache.unlink()
    [row] = osm_caches(tiny_data).to_dict("records")
    assert (row["file"], row["kind"], row["ways"]) == (old.name, "rail", 3)
    assert row["region"] == expected_region(NETWORK, "rail")  # from the bbox column
    assert choose_cache(data_dir=tiny_data, mode="rail") == old


def test_region_is_rounded_outwards():
    bounds = [40.0137, 38.3849, 50.3312, 43.3901]
    w, s, e, n = (float(v) for v in region_text(bounds).split(","))
    assert w <= bounds[0] < w + 0.01 and s <= bounds[1] < s + 0.01
    assert n - 0.01 < bounds[3] <= n and e - 0.01 < bounds[2] <= e
    exact = [40.01, 38.38, 50.33, 43.39]
    assert [float(v) for v in region_text(exact).split(",")] == exact


# ---------------------------------------------------------------------------------------------
# Choosing the cache to route on


@pytest.fixture
def two_regions(tiny_data, tmp_path) -> dict:
    """Rail and road imports of the tiny network, and a rail import 1000 km away."""
    far = railway_file(tmp_path / "far_line.osm", [(10.0, 10.0), (11.0, 10.0)])
    return {
        "rail": geo.import_osm(NETWORK, kind="rail", data_dir=tiny_data).cache,
        "road": geo.import_osm(NETWORK, kind="road", data_dir=tiny_data).cache,
        "far": geo.import_osm(far, kind="rail", data_dir=tiny_data).cache,
        "far_file": far,
        "data": tiny_data,
    }


WEST_EAST = {"west": (0.5, 0.5), "east": (2.5, 0.5)}


def test_one_cache_fits_and_is_chosen(two_regions):
    data = two_regions["data"]
    assert choose_cache(data_dir=data, mode="rail", covering=WEST_EAST) == two_regions["rail"]
    assert choose_cache(data_dir=data, mode=["road"], covering=WEST_EAST) == two_regions["road"]
    assert choose_cache(data_dir=data, covering=[(10.5, 10.0)]) == two_regions["far"]
    [r] = compare_osm("west", "east", mode="rail", data_dir=data)
    assert two_regions["rail"].name in r["geometry_source"]


def test_two_caches_that_fit_are_an_error_naming_both(two_regions):
    data = two_regions["data"]
    with pytest.raises(geo.OSMError, match=r"2 OpenStreetMap caches .* cover the places") as err:
        choose_cache(data_dir=data, covering=WEST_EAST)
    message = str(err.value)
    assert two_regions["rail"].name in message and two_regions["road"].name in message
    assert two_regions["far"].name not in message
    assert "--osm-cache FILE" in message
    assert main(["--data-dir", str(data), "compare", "west", "east", "--network", "osm"]) == 2
    assert main(["--data-dir", str(data), "compare", "west", "east", "--network", "osm",
                 "--osm-cache", two_regions["road"].name]) == 0


def test_no_cache_covering_the_places_is_an_error_listing_the_regions(two_regions):
    data = two_regions["data"]
    with pytest.raises(geo.OSMError, match=r"no OpenStreetMap rail cache .* covers the places "
                                           r"within 5 km of west .*; far-off") as err:
        choose_cache(data_dir=data, mode="rail", covering={"west": (0.5, 0.5),
                                                           "far-off": (0.5, 0.95)})
    for key, region in (("rail", expected_region(NETWORK, "rail")),
                        ("far", expected_region(two_regions["far_file"]))):
        assert f"{two_regions[key].name}: rail, region {region}" in str(err.value)
    # 50 km north of the railway: covered once places may snap that far
    assert choose_cache(data_dir=data, mode="rail", covering=[(0.5, 0.95)],
                        margin_km=60) == two_regions["rail"]
    two_regions["road"].unlink()
    two_regions["rail"].unlink()
    with pytest.raises(geo.OSMError, match=r"(?s)no OpenStreetMap road cache in .*--kind road"):
        choose_cache(data_dir=data, mode="road")


def test_no_cache_at_all(tiny_data):
    with pytest.raises(geo.OSMError, match=r"no imported OpenStreetMap network in .*osm import"):
        choose_cache(data_dir=tiny_data)


def test_snap_takes_a_cache_by_file_name(tiny_data, capsys):
    done = geo.import_osm(NETWORK, kind="rail", data_dir=tiny_data)
    assert main(["--data-dir", str(tiny_data), "osm", "snap", done.cache.name, "--route", "w-e",
                 "--format", "json"]) == 0
    assert geo.load_segments(tiny_data).loc["w-m", "geometry_source"] == "osm"


# ---------------------------------------------------------------------------------------------
# The real extract


@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent (reference data beside the "
                                                "project)")
def test_real_extract_is_listed_with_its_region(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "osm").mkdir(parents=True)
    done = geo.import_osm(REAL, kind="rail", data_dir=data)
    ways = geo.read_osm(REAL, kind="rail")
    assert done.metadata["file_sha256"] == hashlib.sha256(REAL.read_bytes()).hexdigest()
    [row] = osm_caches(data).to_dict("records")
    assert row["ways"] == len(ways) and row["kind"] == "rail"
    assert row["region"] == region_text(ways.total_bounds)
    baku, tbilisi = (49.87, 40.41), (44.80, 41.72)
    assert choose_cache(data_dir=data, mode="rail", covering=[baku, tbilisi]) == done.cache
    assert main(["--data-dir", str(data), "osm", "list", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "file,kind,region,ways,km,source,imported,osm_date"
    assert done.cache.name in out and REAL.name in out
