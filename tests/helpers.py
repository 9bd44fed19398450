"""Builders of tiny hand-made data folders and other helpers shared by the tests.

Fixtures live in ``conftest.py``; plain functions and constants live here, and test files
import them from here (never from ``conftest`` or from another test file).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import geopandas as gpd
import yaml
from pyproj import Geod
from shapely.geometry import Point

from geo import segment_metrics
from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DATA = ROOT / "data"
SHARED_OSM = ROOT.parent / "shared" / "osm"
"""Real OpenStreetMap railway ways beside the project (read there, never copied in): tests that
use them skip with a reason where the folder is absent."""
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
GAUGE_SOURCE = "hand-built test fixture"


# ---------------------------------------------------------------------------------------------
# The tiny strip of three countries


def square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


PLACE_HEADER = [
    "id", "name_en", "name_az", "name_hy", "name_fa", "name_ru", "name_tr", "name_ka",
    "alt_names", "kind", "lon", "lat", "country", "region", "accuracy_m", "source", "as_of", "notes",
]


def tiny_world() -> dict:
    """A 3 x 1 degree strip of countries AAA | BBB | CCC along the equator, with a rail line.

    Returns plain dicts (borders, places, segments, routes) that tests may alter before
    :func:`write_data` writes them.
    """
    meta = {"source": "hand-built test fixture", "as_of": "2026-01-01", "accuracy": "exact"}
    borders = [
        {"iso3": "AAA", "name": "Aland", "geometry": square(0, 0, 1, 1)},
        {"iso3": "BBB", "name": "Bland", "geometry": square(1, 0, 2, 1)},
        {"iso3": "CCC", "name": "Cland", "geometry": square(2, 0, 3, 1)},
    ]
    places = [
        {"id": "west", "name_en": "West", "kind": "station", "lon": 0.5, "lat": 0.5, "country": "AAA"},
        {"id": "mid", "name_en": "Mid", "name_ru": "Мид", "alt_names": "Midd|Middle",
         "kind": "junction", "lon": 1.5, "lat": 0.5, "country": "BBB"},
        {"id": "east", "name_en": "East", "kind": "station", "lon": 2.5, "lat": 0.5, "country": "CCC"},
    ]
    segments = [
        {"id": "w-m", "from": "west", "to": "mid", "name": "West-Mid", "mode": "rail",
         "status": "operational", "gauge": "1435", "gauge_source": GAUGE_SOURCE,
         "coords": [[0.5, 0.5], [1.5, 0.5]]},
        {"id": "m-e", "from": "mid", "to": "east", "name": "Mid-East", "mode": "rail",
         "status": "planned", "gauge": "1520", "gauge_source": GAUGE_SOURCE,
         "coords": [[1.5, 0.5], [2.5, 0.5]]},
    ]
    routes = [
        {"id": "w-e", "name": "West to East", "origin": "west", "destination": "east",
         "segments": ["w-m", "m-e"]},
    ]
    for rows in (borders, places, segments, routes):
        for row in rows:
            for key, value in meta.items():
                row.setdefault(key, value)
    return {"borders": borders, "places": places, "segments": segments, "routes": routes}


TINY_CLAIMS = ROOT / "tests" / "data" / "claims-tiny" / "tiny-article.yaml"


def tiny_claims_folder(folder: Path) -> Path:
    """The tiny world (:func:`tiny_world`) with the tiny claims file, written at ``folder``."""
    write_data(folder, tiny_world())
    (folder / "claims").mkdir()
    shutil.copy(TINY_CLAIMS, folder / "claims" / TINY_CLAIMS.name)
    return folder


def write_data(folder: Path, world: dict) -> Path:
    """Write a world dict from :func:`tiny_world` as a data folder the loaders read."""
    folder.mkdir(parents=True, exist_ok=True)
    feats = [
        {"type": "Feature", "geometry": b["geometry"],
         "properties": {k: v for k, v in b.items() if k != "geometry"}}
        for b in world["borders"]
    ]
    (folder / "borders.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    (folder / "water.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    with (folder / "places.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=PLACE_HEADER)
        writer.writeheader()
        for p in world["places"]:
            writer.writerow({k: p.get(k, "") for k in PLACE_HEADER})
    feats = [
        {"type": "Feature",
         "geometry": {"type": "LineString", "coordinates": s["coords"]} if s.get("coords") else None,
         "properties": {k: v for k, v in s.items() if k != "coords"}}
        for s in world["segments"]
    ]
    (folder / "segments.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    (folder / "routes.yaml").write_text(yaml.safe_dump({"routes": world["routes"]}, allow_unicode=True))
    return folder


# ---------------------------------------------------------------------------------------------
# Worlds for metrics and routing


GEOD = Geod(ellps="WGS84")
META = {"source": "hand-built test fixture", "as_of": "2026-01-01", "accuracy": "exact"}


def km(lon1, lat1, lon2, lat2) -> float:
    """Independent geodesic distance (km) for expected values."""
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def with_meta(world: dict) -> dict:
    for rows in world.values():
        for row in rows:
            for key, value in META.items():
                row.setdefault(key, value)
    return world


def place(pid, lon, lat, country, kind="station", **names) -> dict:
    return {"id": pid, "name_en": names.pop("name_en", pid.title()), "kind": kind,
            "lon": lon, "lat": lat, "country": country, **names}


def seg(sid, a, b, coords, mode="rail", status="operational", gauge="1520") -> dict:
    """A segment dict; ``gauge`` is text as in the data ("1520", "1435;1520", "" unknown)."""
    rail = mode == "rail" and gauge
    return {"id": sid, "from": a, "to": b, "name": sid, "mode": mode, "status": status,
            "gauge": str(gauge) if rail else "", "gauge_source": GAUGE_SOURCE if rail else "",
            "coords": coords}


def equator_world() -> dict:
    """AAA | BBB | CCC, each 1 degree wide astride the equator; a railway along the equator.

    Along the equator the geodesic is the equator itself, so the km inside each country are
    geodesic distances between known longitudes.
    """
    return with_meta({
        "borders": [
            {"iso3": "AAA", "name": "Aland", "geometry": square(0, -1, 1, 1)},
            {"iso3": "BBB", "name": "Bland", "geometry": square(1, -1, 2, 1)},
            {"iso3": "CCC", "name": "Cland", "geometry": square(2, -1, 3, 1)},
        ],
        "places": [place("west", 0.2, 0, "AAA"), place("mid", 1.5, 0, "BBB"),
                   place("east", 2.7, 0, "CCC")],
        "segments": [seg("w-m", "west", "mid", [[0.2, 0], [1.5, 0]], gauge="1435"),
                     seg("m-e", "mid", "east", [[1.5, 0], [2.7, 0]], gauge="1520")],
        "routes": [{"id": "w-e", "name": "West to East", "origin": "west",
                    "destination": "east", "segments": ["w-m", "m-e"]}],
    })


def exclave_world() -> dict:
    """AZE mainland (0..2) | ARM (2..3) | AZE exclave (3..4), IRN below all of them.

    Rail from the capital through ARM into the exclave; a road round through IRN (planned
    on its Iranian part); so the exclave is reached via ARM, or via IRN.
    """
    aze = {"type": "MultiPolygon", "coordinates": [square(0, 0, 2, 1)["coordinates"],
                                                   square(3, 0, 4, 1)["coordinates"]]}
    return with_meta({
        "borders": [
            {"iso3": "AZE", "name": "Azerbaijan", "geometry": aze},
            {"iso3": "ARM", "name": "Armenia", "geometry": square(2, 0, 3, 1)},
            {"iso3": "IRN", "name": "Iran", "geometry": square(0, -1, 4, 0)},
        ],
        "places": [
            place("capital", 1.0, 0.5, "AZE", name_en="Capital", name_ru="Столица"),
            place("exclave", 3.5, 0.5, "AZE", name_en="Exclave City", name_az="Naxçıvan",
                  alt_names="Nakhchivan|Nakhichevan"),
            place("south-a", 1.0, -0.5, "IRN"),
            place("south-b", 3.5, -0.5, "IRN", name_hy="Մեղրի"),
        ],
        "segments": [
            seg("rail-arm", "capital", "exclave", [[1.0, 0.5], [3.5, 0.5]]),
            seg("road-1", "capital", "south-a", [[1.0, 0.5], [1.0, -0.5]], mode="road"),
            seg("road-2", "south-a", "south-b", [[1.0, -0.5], [3.5, -0.5]], mode="road",
                status="planned"),
            seg("road-3", "south-b", "exclave", [[3.5, -0.5], [3.5, 0.5]], mode="road"),
        ],
        "routes": [{"id": "via-arm", "name": "Via Armenia", "origin": "capital",
                    "destination": "exclave", "segments": ["rail-arm"]}],
    })


def write_world(folder: Path, world: dict, *, caspian=None, assumptions=None) -> Path:
    write_data(folder, world)
    if caspian is not None:
        feat = {"type": "Feature", "geometry": caspian,
                "properties": {"id": "CASPIAN", "name": "Caspian Sea", **META}}
        (folder / "water.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [feat]}))
    if assumptions is not None:
        (folder / "assumptions.yaml").write_text(yaml.safe_dump(assumptions))
    return folder


def simple_assumptions(rail=50.0, road=25.0, border=10.0, gauge=5.0, trans=7.0, port_call=0.0) -> dict:
    """An assumptions document with point values (low = central = high) and one figure per event."""

    def entry(v, unit="x"):
        return {"low": v, "central": v, "high": v, "unit": unit, "basis": "unsourced",
                "source": "test assumption", "applies": "hand-built test world"}

    def per_mode(v):
        return {"default": entry(v)}

    return {
        "as_of": "2026-01-01",
        "cost_per": "TEU",
        "speed_kmh": {"rail": per_mode(rail), "road": per_mode(road), "sea": per_mode(20.0),
                      "ferry": per_mode(20.0)},
        "cost_usd_per_km": {m: per_mode(1.0) for m in ("rail", "road", "sea", "ferry")},
        "dwell_h": {"border_crossing": entry(border, "h"), "gauge_break": entry(gauge, "h"),
                    "transshipment": entry(trans, "h"), "port_call": entry(port_call, "h"),
                    "ferry_wait": entry(0.0, "h")},
        "cost_usd": {"border_crossing": entry(100, "USD"), "gauge_break": entry(50, "USD"),
                     "transshipment": entry(70, "USD")},
    }


def assumption_entry(low, central, high, unit="x", **more) -> dict:
    """One published assumption with a hand-made source."""
    return {"low": low, "central": central, "high": high, "unit": unit, "basis": "published",
            "source": "test source", "url": "https://example.org/test", "date": "2025",
            "measured": "a hand-made figure", "applies": "the test world", **more}


def ranged_assumptions() -> dict:
    """Rail 40/50/100 km/h (20/25/50 in BBB); rail border 5/10/20 h; gauge break 2/4/8 h."""
    e = assumption_entry
    return {
        "as_of": "2026-01-01", "cost_per": "TEU", "currency": "USD",
        "speed_kmh": {"rail": {"default": e(40, 50, 100), "countries": {"BBB": e(20, 25, 50)}},
                      "road": {"default": e(20, 30, 40)}, "sea": {"default": e(20, 20, 20)},
                      "ferry": {"default": e(10, 10, 10)}},
        "cost_usd_per_km": {"rail": {"default": e(1, 2, 3)}, "road": {"default": e(2, 2, 2)},
                            "sea": {"default": e(0.5, 0.5, 0.5)}, "ferry": {"default": e(1, 1, 1)}},
        "dwell_h": {"border_crossing": {"rail": e(5, 10, 20), "road": e(1, 1, 1)},
                    "gauge_break": e(2, 4, 8),
                    "transshipment": {"port": e(10, 10, 10), "terminal": e(99, 99, 99)},
                    "port_call": e(3, 3, 3), "ferry_wait": e(20, 20, 20)},
        "cost_usd": {"border_crossing": {"rail": e(100, 200, 300), "road": e(1, 1, 1)},
                     "gauge_break": e(10, 50, 60), "transshipment": e(70, 70, 70)},
    }


# ---------------------------------------------------------------------------------------------
# Worlds for exports


def with_section(world: dict, name: str = "East part") -> dict:
    """``world`` (from :func:`tiny_world`) whose route w-e names its last segment, m-e, as a
    section ``east`` called ``name``."""
    route = next(r for r in world["routes"] if r["id"] == "w-e")
    route["sections"] = [{"id": "east", "name": name, "segments": ["m-e"]}]
    return world


def export_world(folder, *, section: str | None = None):
    """tiny_world plus a lake, a world basemap and a second route (Mid to East); with
    ``section``, route w-e names its segment m-e a section so called (:func:`with_section`)."""
    world = tiny_world() if section is None else with_section(tiny_world(), section)
    world["routes"].append({"id": "m-e", "name": "Mid to East", "origin": "mid",
                            "destination": "east", "segments": ["m-e"], "source": "test",
                            "as_of": "2026-02-01"})
    folder = write_data(folder, world)
    lake = {"type": "Feature", "geometry": square(2.6, 0.1, 2.9, 0.3),
            "properties": {"id": "LAKE", "name": "Test Lake", "source": "test", "as_of": "2026-01-01"}}
    (folder / "water.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [lake]}))
    land = {"type": "Feature", "geometry": square(-20, -20, 20, 20),
            "properties": {"iso3": "ZZZ", "name": "Zland"}}
    (folder / "basemap.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [land]}))
    return folder


def section_figures(data_dir, segment_ids: list[str]) -> tuple[float, dict]:
    """A section's best-estimate km and km by country, summed from its segments' own figures
    (``geo.segment_metrics``): each segment's drawn km by country scaled to its best estimate."""
    segs = segment_metrics(data_dir)
    by_country: dict = {}
    for sid in segment_ids:
        share = segs.at[sid, "best_km"] / segs.at[sid, "length_km"]
        for country, length in segs.at[sid, "km_by_country"].items():
            by_country[country] = by_country.get(country, 0.0) + length * share
    return float(segs.loc[segment_ids, "best_km"].sum()), by_country


def split_text_km(text: str) -> dict:
    """``{"CCC": 55.7, ...}`` from a "CCC 55.7; BBB 55.6" cell, to compare with figures."""
    return {key: float(km) for key, km in (part.rsplit(" ", 1) for part in text.split("; "))}


def stand_in_claims() -> gpd.GeoDataFrame:
    """Checked claims as geo.claims_gdf gives them: two on the map, one without a place."""
    return gpd.GeoDataFrame(
        {"claim_id": ["t-01", "t-02", "t-03"],
         "article_id": ["test-article"] * 3,
         "summary": ["West has a station.", "East is in Cland.", "An opinion <b>bold</b>."],
         "verdict": ["consistent", "inconsistent", "not_checkable"]},
        geometry=[Point(0.5, 0.5), Point(2.5, 0.5), None], crs="EPSG:4326")


# ---------------------------------------------------------------------------------------------
# The command line


def run_cli(*argv) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``corridors ARGV`` run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def lifecycle_event(date: str, event: str, status: str, kind: str = "happened",
                    source: str = "test source") -> dict:
    """One entry of a segment's ``lifecycle`` (see geo.lifecycle)."""
    return {"date": date, "event": event, "kind": kind, "status": status, "source": source}


def shipped_ready() -> bool:
    """Whether the shipped data folder has the files the app cannot start without."""
    return all((SHIPPED_DATA / n).exists() for n in ("places.csv", "segments.geojson", "routes.yaml"))


def dated_equator_world(m_e_as_of: str) -> dict:
    """:func:`equator_world` whose segment m-e was built from 2020, opened 2024-05 and is
    expected to close in 2028, its status recorded on ``m_e_as_of``."""
    world = equator_world()
    world["segments"][1].update(
        status="operational", as_of=m_e_as_of,
        lifecycle=[lifecycle_event("2020", "construction_start", "under_construction"),
                   lifecycle_event("2024-05", "opening", "operational"),
                   lifecycle_event("2028", "closure", "closed", kind="expected")])
    return world


# ---------------------------------------------------------------------------------------------
# The app's date control (app_pages/_when.py) in AppTest


def date_shown(at, prefix: str) -> str | None:
    """The date the control ``prefix`` shows: None (as recorded), "today" or "YYYY-MM"."""
    fixed = at.button_group(key=f"{prefix}_fixed").value
    if fixed:
        fixed = fixed[0] if isinstance(fixed, list) else fixed
        return None if fixed == "as recorded" else fixed
    year, month = at.selectbox(key=f"{prefix}_year").value, at.selectbox(key=f"{prefix}_month").value
    return f"{year}-{month:02d}"


def choose_date(at, prefix: str, value: str | None):
    """Set the control ``prefix`` as a user does: "As recorded" or "Today", or a year and
    then a month (two runs); returns ``at``."""
    if value is None or value == "today":
        at.button_group(key=f"{prefix}_fixed").set_value(value or "as recorded").run()
        return at
    year, month = value.split("-")
    at.selectbox(key=f"{prefix}_year").set_value(int(year)).run()
    at.selectbox(key=f"{prefix}_month").set_value(int(month)).run()
    return at
