"""Data exports (geo.export_data / export_bytes / export_frames): CSV, GeoJSON (RFC 7946), GPKG."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math

import geopandas as gpd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from helpers import export_world, section_figures, split_text_km, stand_in_claims
from shapely.geometry import Point

import geo
from geo import ExportError
from geo.export import _data


@pytest.fixture
def world(tmp_path):
    return export_world(tmp_path / "data")


# ---------------------------------------------------------------------------------------------
# An RFC 7946 checker of our own (the writer must not be its own judge)


def _ring_area(ring) -> float:
    """Signed area (shoelace): positive for counter-clockwise rings."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def _positions(coords, depth: int):
    if depth == 0:
        yield coords
    else:
        for item in coords:
            yield from _positions(item, depth - 1)


DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
         "MultiPolygon": 3}


def rfc7946_problems(doc: dict, *, max_decimals: int = 6) -> list[str]:
    """What keeps ``doc`` from being an RFC 7946 FeatureCollection in WGS84 lon/lat."""
    problems = []
    if doc.get("type") != "FeatureCollection":
        problems.append(f"type is {doc.get('type')!r}")
    if "crs" in doc:
        problems.append("has a crs member (RFC 7946 section 4: none)")
    for i, feat in enumerate(doc.get("features", [])):
        if feat.get("type") != "Feature" or "properties" not in feat or "geometry" not in feat:
            problems.append(f"feature {i}: not a Feature with properties and geometry")
            continue
        geom = feat["geometry"]
        if geom is None:
            continue
        kind = geom.get("type")
        if kind not in DEPTH:
            problems.append(f"feature {i}: geometry type {kind!r}")
            continue
        for pos in _positions(geom["coordinates"], DEPTH[kind]):
            if len(pos) not in (2, 3) or not all(isinstance(v, int | float) for v in pos):
                problems.append(f"feature {i}: position {pos!r}")
                continue
            lon, lat = pos[0], pos[1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                problems.append(f"feature {i}: position {pos!r} out of lon/lat range")
            for v in pos:
                text = repr(float(v))
                if "e" not in text and len(text.split(".")[1]) > max_decimals:
                    problems.append(f"feature {i}: {v!r} has more than {max_decimals} decimals")
        polygons = [geom["coordinates"]] if kind == "Polygon" else (
            geom["coordinates"] if kind == "MultiPolygon" else [])
        for poly in polygons:
            for j, ring in enumerate(poly):
                if len(ring) < 4 or ring[0] != ring[-1]:
                    problems.append(f"feature {i}: ring {j} not closed with 4+ positions")
                    continue
                area = _ring_area([p[:2] for p in ring])
                if j == 0 and area <= 0:
                    problems.append(f"feature {i}: exterior ring is clockwise (right-hand rule)")
                if j > 0 and area >= 0:
                    problems.append(f"feature {i}: hole {j} is counter-clockwise (right-hand rule)")
    return problems


def test_the_checker_catches_each_kind_of_problem():
    clockwise = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]
    bad = {"type": "FeatureCollection", "crs": {"type": "name"}, "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [clockwise]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [45.0, 95.0]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [45.1234567, 1.0]}},
    ]}
    found = "\n".join(rfc7946_problems(bad))
    assert "crs member" in found
    assert "exterior ring is clockwise" in found
    assert "out of lon/lat range" in found
    assert "more than 6 decimals" in found
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [clockwise[::-1]]}}]}
    assert rfc7946_problems(good) == []


# ---------------------------------------------------------------------------------------------
# GeoJSON


def test_to_geojson_orients_rounds_and_reprojects():
    hole_ccw = [(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)]
    poly = shapely.Polygon([(0, 0), (0, 1), (1.123456789, 1), (1, 0)], [hole_ccw])  # wrong both
    frame = gpd.GeoDataFrame({"name": ["p"], "n": [1]}, geometry=[poly], crs="EPSG:4326")
    doc = geo.to_geojson(frame)
    assert rfc7946_problems(doc) == []
    assert doc["features"][0]["properties"] == {"name": "p", "n": 1}
    assert [1.123457, 1.0] in doc["features"][0]["geometry"]["coordinates"][0]
    mercator = frame.to_crs("EPSG:3857")
    back = geo.to_geojson(mercator)["features"][0]["geometry"]["coordinates"][0]
    assert all(-0.001 <= x <= 1.2 and -0.001 <= y <= 1.001 for x, y in back)  # lon/lat again


@pytest.mark.parametrize("dataset", ["routes", "segments", "places", "claims", "borders"])
def test_geojson_passes_rfc7946_and_reads_back_identically(world, tmp_path, dataset):
    out = tmp_path / f"{dataset}.geojson"
    options = {"routes": ["w-e"], "claims": stand_in_claims(), "data_dir": world}
    geo.export_data(out, dataset=dataset, **options)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert rfc7946_problems(doc) == []
    expected = geo.export_frames(**options)[dataset]
    back = gpd.read_file(out, DATE_AS_STRING="YES")  # keep "2026-01-01" a string, as written
    assert_geodataframe_equal(back, expected, check_dtype=False, check_index_type=False)


def test_borders_are_clipped_to_the_box_and_oriented(world):
    frames = geo.export_frames(routes=["w-e"], bbox=(0.5, 0.25, 1.5, 0.75), data_dir=world)
    borders = frames["borders"].set_index("unit")
    assert list(borders.index) == ["AAA", "BBB"]
    assert borders.geometry.loc["AAA"].equals(shapely.box(0.5, 0.25, 1.0, 0.75))
    assert all(ring.is_ccw for ring in (g.exterior for g in borders.geometry))


def test_routes_carry_their_metrics(world):
    routes = geo.export_frames(routes=["w-e", "m-e"], data_dir=world)["routes"]
    for _, row in routes.iterrows():
        metrics = geo.route_metrics(row["route_id"], data_dir=world)
        assert row["length_km"] == pytest.approx(metrics["length_km"])
        for iso, km in metrics["km_by_country"].items():
            assert row[f"km_{iso}"] == pytest.approx(km)
        assert row["segments"] == "; ".join(geo.load_routes(world).at[row["route_id"], "segments"])


def test_sections_dataset_gives_each_named_section_its_own_figures(tmp_path):
    world = export_world(tmp_path / "data", section="East part")
    km_best, by_country = section_figures(world, ["m-e"])
    out = geo.export_data(tmp_path / "sections.csv", routes=["w-e", "m-e"], dataset="sections",
                          data_dir=world)
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert (row["section_id"], row["route_id"], row["name"]) == ("east", "w-e", "East part")
    assert float(row["length_km"]) == pytest.approx(km_best, abs=5e-4)
    assert row["length_text"].startswith(f"{km_best:,.0f} km (measured on the drawn line")
    countries = {k[3:]: float(v) for k, v in row.items()
                 if k.startswith("km_") and not k.startswith("km_status_")}
    assert countries == pytest.approx({**dict.fromkeys(countries, 0.0), **by_country}, abs=5e-4)
    assert split_text_km(row["country_text"]) == pytest.approx(by_country, abs=0.051)
    assert float(row["km_status_planned"]) == pytest.approx(km_best, abs=5e-4)
    assert row["status_text"] == f"planned {km_best:.1f}"
    assert row["segments"] == "m-e"
    # the GeoPackage holds it as a layer, on the section's own line
    gpkg = geo.export_data(tmp_path / "all.gpkg", routes=["w-e"], data_dir=world)
    assert "sections" in [name for name, _ in pyogrio.list_layers(gpkg)]
    layer = gpd.read_file(gpkg, layer="sections")
    line = geo.load_segments(world).geometry.loc["m-e"]
    assert layer.geometry.iloc[0].equals_exact(line, tolerance=1e-6)
    assert float(layer["length_km"].iloc[0]) == pytest.approx(km_best)


def test_routes_without_named_sections_export_no_sections(world):
    assert "sections" not in geo.export_frames(routes=["w-e"], data_dir=world)
    with pytest.raises(geo.NothingToExport, match="'sections' has no rows"):
        geo.export_bytes("csv", routes=["w-e"], dataset="sections", data_dir=world)


# ---------------------------------------------------------------------------------------------
# CSV


def test_csv_of_route_metrics_flattens_km_by_country(world, tmp_path):
    out = geo.export_data(tmp_path / "metrics.csv", routes=["w-e", "m-e"], data_dir=world)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["route_id"] for r in rows] == ["w-e", "m-e"]
    for row in rows:
        metrics = geo.route_metrics(row["route_id"], data_dir=world)
        assert float(row["length_km"]) == pytest.approx(metrics["length_km"], abs=5e-4)
        countries = {k[3:]: float(v) for k, v in row.items()
                     if k.startswith("km_") and not k.startswith(("km_status_", "km_mode_"))}
        assert set(countries) == {"AAA", "BBB", "CCC"}
        assert countries == pytest.approx({**dict.fromkeys(countries, 0.0), **metrics["km_by_country"]},
                                          abs=5e-4)
        assert sum(countries.values()) == pytest.approx(float(row["length_km"]), abs=2e-3)
    assert float(rows[1]["km_AAA"]) == 0.0  # Mid to East never enters Aland


def test_csv_of_claims(world):
    data = geo.export_bytes("csv", claims=stand_in_claims(), data_dir=world).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert [r["claim_id"] for r in rows] == ["t-01", "t-02", "t-03"]
    assert rows[2]["summary"] == "An opinion <b>bold</b>."


# ---------------------------------------------------------------------------------------------
# GeoPackage


def test_geopackage_has_one_layer_per_dataset_that_reads_back(world, tmp_path):
    out = tmp_path / "export.gpkg"
    options = {"routes": ["w-e"], "claims": stand_in_claims(), "data_dir": world}
    geo.export_data(out, **options)
    layers = [name for name, _ in pyogrio.list_layers(out)]
    assert layers == ["routes", "segments", "places", "claims", "borders"]  # no lifecycle: no timeline
    frames = geo.export_frames(**options)
    for name in layers:
        back = gpd.read_file(out, layer=name)
        assert_geodataframe_equal(back, frames[name], check_dtype=False, check_index_type=False,
                                  check_less_precise=True)
    assert [p.name for p in tmp_path.iterdir()] == ["export.gpkg", "data"] or sorted(
        p.name for p in tmp_path.iterdir()) == ["data", "export.gpkg"]


def test_geopackage_bytes_for_download_buttons(world, tmp_path):
    data = geo.export_bytes("gpkg", routes=["w-e"], data_dir=world)
    assert data[:16] == b"SQLite format 3\x00"
    (tmp_path / "x.gpkg").write_bytes(data)
    assert "routes" in [name for name, _ in pyogrio.list_layers(tmp_path / "x.gpkg")]


# ---------------------------------------------------------------------------------------------
# Atomic writes and bad requests


@pytest.mark.parametrize("suffix", ["csv", "geojson", "gpkg"])
def test_failed_export_leaves_the_good_file_and_no_debris(world, tmp_path, monkeypatch, suffix):
    out = tmp_path / f"good.{suffix}"
    geo.export_data(out, routes=["w-e"], data_dir=world)
    good = out.read_bytes()

    def half_written(frames, tmp):
        tmp.write_bytes(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_data, "_write_gpkg", half_written)
    monkeypatch.setattr(_data, "_geojson_text", lambda frame: half_written(None, out.with_name("x")))
    monkeypatch.setattr(_data, "_csv_text", lambda *a: half_written(None, out.with_name("x")))
    with pytest.raises((ExportError, OSError), match="No space left on device"):
        geo.export_data(out, routes=["w-e"], data_dir=world)
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "x") == ["data", out.name]


def test_every_problem_of_an_export_is_reported_at_once(world, tmp_path):
    with pytest.raises(ExportError) as err:
        geo.export_data(tmp_path / "out.xls", routes=["w-e", "nope"], bbox="1,2,3", data_dir=world)
    text = str(err.value)
    assert "out.xls: cannot tell the format from '.xls'; use one of .csv, .geojson, .gpkg" in text
    assert "unknown route 'nope'" in text
    assert "bbox '1,2,3' must be four numbers" in text
    assert not (tmp_path / "out.xls").exists()


def test_unwritable_path_is_named(world, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(ExportError, match=r"file-not-folder/out.csv: folder .*file-not-folder does not exist"):
        geo.export_data(blocker / "out.csv", data_dir=world)


def test_geojson_holds_one_dataset(world):
    with pytest.raises(ExportError, match=r"GEOJSON holds one dataset"):
        geo.export_bytes("geojson", dataset=["routes", "places"], data_dir=world)
    with pytest.raises(ExportError, match=r"unknown dataset 'rivers'"):
        geo.export_bytes("geojson", dataset="rivers", data_dir=world)


def test_cli_export(world, tmp_path, capsys, monkeypatch):
    from geo.cli import main

    monkeypatch.setattr(geo.settings, "data_dir", geo.settings.data_dir)  # --data-dir sets it
    out = tmp_path / "routes.geojson"
    assert main(["--data-dir", str(world), "export", "--out", str(out), "--routes", "w-e"]) == 0
    assert rfc7946_problems(json.loads(out.read_text(encoding="utf-8"))) == []
    code = main(["--data-dir", str(world), "export", "--out", str(tmp_path / "x.csv"),
                 "--routes", "w-e", "--bbox", "0,95,1,96"])
    assert code == 2
    assert "latitude out of range" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Shipped data


def test_shipped_routes_export_is_rfc7946_and_adds_up():
    frames = geo.export_frames(datasets=["routes", "borders"])
    doc = geo.to_geojson(frames["routes"])
    assert rfc7946_problems(doc) == []
    assert rfc7946_problems(geo.to_geojson(frames["borders"])) == []
    routes = frames["routes"]
    km_cols = [c for c in routes.columns if c.startswith("km_")
               and not c.startswith(("km_status_", "km_mode_"))]
    for _, row in routes.iterrows():
        assert math.isclose(sum(row[c] for c in km_cols), row["length_km"], rel_tol=1e-6)
        assert row["measured_km"] == pytest.approx(geo.length_km(gpd.GeoSeries([row.geometry])).iloc[0],
                                                   rel=1e-3)
        assert row["length_basis"] and 0 <= row["chainage_share"] <= 1
    assert Point(0, 0)  # keep shapely import for the checker's types
