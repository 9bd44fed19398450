"""Consistency of the shipped data: provenance, places in their countries, the Meghri section in
Armenia, sea legs on water, the required routes and their order of places."""

from __future__ import annotations

import math

import pytest
import shapely
from shapely.geometry import Polygon

import geo
from geo.measure import geod, line_length_km


@pytest.fixture(scope="module")
def places():
    return geo.load_places()


@pytest.fixture(scope="module")
def segments():
    return geo.load_segments()


@pytest.fixture(scope="module")
def routes():
    return geo.load_routes()


@pytest.fixture(scope="module")
def borders():
    return geo.load_borders()


def _route_places(route_id, routes, segments):
    seq = [routes.at[route_id, "origin"]]
    for sid, rev in geo.route_path(route_id):
        seq.append(segments.at[sid, "from"] if rev else segments.at[sid, "to"])
    return seq


def _circle(lon, lat, km, n=72):
    """A geodesic circle of radius ``km`` as a lon/lat polygon."""
    lons, lats, _ = geod().fwd([lon] * n, [lat] * n, [i * 360 / n for i in range(n)], [km * 1000] * n)
    return Polygon(zip(lons, lats, strict=True))


def test_every_record_has_source_and_as_of(places, segments, routes):
    for frame in (places, segments, routes):
        assert frame["source"].astype(str).str.strip().str.len().gt(3).all()
        assert frame["as_of"].astype(str).str.match(r"^\d{4}(-\d\d(-\d\d)?)?$").all()
    assert segments["accuracy"].astype(str).str.len().gt(5).all()
    assert places["accuracy_m"].notna().all()


def test_enough_places_with_local_name_forms(places):
    assert len(places) >= 40
    assert places.loc["nakhchivan", "name_az"] == "Naxçıvan"
    assert places.loc["meghri", "name_hy"] == "Մեղրի"
    assert places.loc["tehran", "name_fa"] == "تهران"
    assert places.loc["moscow", "name_ru"] == "Москва"
    assert places.loc["kars", "name_tr"] == "Kars"
    kinds = set(places["kind"])
    assert {"station", "port", "border_crossing", "city"} <= kinds


def test_places_lie_in_their_declared_countries(places, borders):
    # The loader already enforces this within the tolerance; check inland places strictly.
    inland = places[~places["kind"].isin(["port", "border_crossing"])]
    for pid, row in inland.iterrows():
        poly = borders.geometry.loc[row["country"]]
        assert poly.buffer(0.01).contains(row.geometry), pid


def test_nakhchivan_places_lie_in_the_exclave(places):
    exclave = geo.load_nakhchivan().geometry.iloc[0]
    for pid in ("nakhchivan", "ordubad", "julfa-aze", "sadarak"):
        assert exclave.buffer(0.03).contains(places.geometry.loc[pid]), pid


REQUIRED = {
    "zangezur-rail": ["baku", "horadiz", "aghband", "meghri", "ordubad", "julfa-aze", "nakhchivan"],
    "aras-road": ["baku", "horadiz", "aghband", "nakhchivan"],
    "kars-nakhchivan-rail": ["baku", "tbilisi", "akhalkalaki", "kars", "igdir", "dilucu", "sadarak", "nakhchivan"],
    "instc-west": ["mumbai-jnpt", "bandar-abbas", "tehran", "astara-irn", "astara-aze", "baku", "moscow"],
    "instc-caspian": ["mumbai-jnpt", "bandar-abbas", "tehran", "moscow"],
    "instc-east": ["mumbai-jnpt", "bandar-abbas", "bafq", "mashhad", "sarakhs", "serakhs", "tejen",
                   "ashgabat", "bereket", "moscow"],
    "suez-sea": ["mumbai-jnpt", "suez", "port-said", "st-petersburg", "moscow"],
}


@pytest.mark.parametrize("route_id", sorted(REQUIRED))
def test_required_routes_pass_their_places_in_order(route_id, routes, segments):
    seq = _route_places(route_id, routes, segments)
    positions = [seq.index(pid) for pid in REQUIRED[route_id]]
    assert positions == sorted(positions), seq
    assert seq[0] == REQUIRED[route_id][0] and seq[-1] == REQUIRED[route_id][-1]


def test_route_modes(routes, segments):
    def modes(rid):
        return {segments.at[sid, "mode"] for sid in routes.at[rid, "segments"]}

    assert modes("zangezur-rail") == {"rail"}
    assert modes("kars-nakhchivan-rail") == {"rail"}
    assert modes("aras-road") == {"road"}
    assert "sea" in modes("suez-sea") and "rail" in modes("suez-sea")
    caspian = geo.load_water().geometry.loc["CASPIAN"]
    crossing = [sid for sid in routes.at["instc-caspian", "segments"]
                if segments.at[sid, "mode"] in ("sea", "ferry")
                and line_length_km(segments.geometry.loc[sid].intersection(caspian)) > 100]
    assert crossing, "instc-caspian has no leg across the Caspian"


def test_meghri_section_runs_inside_armenia(routes, segments, borders):
    armenia = borders.geometry.loc["ARM"]
    line = geo.route_geometry("zangezur-rail")
    in_arm = line_length_km(line.intersection(armenia))
    assert 30 < in_arm < 60  # published: about 43 km of line in Armenia
    # The segments that start or end at Meghri lie in Armenia, up to the border crossings.
    meghri = [sid for sid in routes.at["zangezur-rail", "segments"]
              if "meghri" in (segments.at[sid, "from"], segments.at[sid, "to"])]
    assert len(meghri) == 2
    for sid in meghri:
        geom = segments.geometry.loc[sid]
        outside = geom.difference(armenia.buffer(0.005))  # about 500 m at this latitude
        assert line_length_km(outside) < 0.5, sid
    # Not a chord: the line follows the Aras valley, so it is longer than the straight line.
    ends = [segments.geometry.loc[s] for s in meghri]
    assert sum(line_length_km(g) for g in ends) > 1.05 * geo.distance_km(
        *ends[0].coords[0], *ends[1].coords[-1]
    )


def test_sea_legs_stay_on_water(segments, places, borders):
    land = shapely.union_all(borders.geometry.values)
    sea = segments[segments["mode"].isin(["sea", "ferry"]) & (segments["waterway"] != "canal")]
    assert len(sea) >= 4
    for sid, row in sea.iterrows():
        ports = [places.loc[row["from"]], places.loc[row["to"]]]
        near_ports = shapely.union_all([_circle(p["lon"], p["lat"], 5) for p in ports])
        open_water = row.geometry.difference(near_ports)
        on_land = open_water.intersection(land)
        assert line_length_km(on_land) < 0.05, (sid, on_land.bounds)


def test_caspian_legs_stay_in_the_caspian(segments, places):
    caspian = geo.load_water().geometry.loc["CASPIAN"]
    for sid, row in segments[segments["mode"].isin(["sea", "ferry"])].iterrows():
        if not row.geometry.intersects(caspian):
            continue
        ports = [places.loc[row["from"]], places.loc[row["to"]]]
        near_ports = shapely.union_all([_circle(p["lon"], p["lat"], 5) for p in ports])
        outside = row.geometry.difference(near_ports).difference(caspian)
        assert line_length_km(outside) < 0.05, sid


def test_suez_canal_is_the_only_sea_segment_on_land(segments, borders):
    canal = segments[segments["waterway"] == "canal"]
    assert len(canal) == 1
    assert line_length_km(canal.geometry.iloc[0].intersection(borders.geometry.loc["EGY"])) > 100


def test_gauges_where_known(segments):
    rail = segments[segments["mode"] == "rail"]
    known = rail[rail["gauge"] != ""]
    assert known["gauge"].isin(["1435", "1520", "1435;1520"]).all()
    assert known["gauge_source"].str.len().gt(0).all()
    unknown = rail[rail["gauge"] == ""]
    assert unknown["gauge_note"].str.len().gt(0).all(), "an unknown gauge must say why in gauge_note"
    assert rail.loc[rail["from"].eq("akhalkalaki") | rail["to"].eq("akhalkalaki"), "gauge"].nunique() == 2


def test_segment_countries_are_not_declared(segments):
    assert not {"country", "countries", "iso3"} & set(segments.columns)


def test_routes_name_each_sides_form(routes):
    names = routes.at["zangezur-rail", "names"]
    texts = " ".join(n["name"] for n in names)
    assert "Zangezur" in texts and "TRIPP" in texts
    assert all(n.get("used_by") for n in names)


def test_accuracy_statements_are_numbers_where_given(segments):
    acc = segments["accuracy_m"].dropna()
    assert (acc > 0).all() and all(math.isfinite(v) for v in acc)


def test_every_route_is_named_by_its_two_ends(routes, places):
    """A report quoting a route's name quotes what it measures: "Baku–...–Nakhchivan", not a
    section of it (the Syunik/Meghri link is a section, named as such)."""
    from geo.names import place_name_forms

    for rid, row in routes.iterrows():
        for end in (row["origin"], row["destination"]):
            english = str(places.at[end, "name_en"]).split(" (")[0]  # "Mumbai (JNPT ...)"
            forms = [english, *place_name_forms(places, end)]
            assert any(f and f in row["name"] for f in forms), (rid, end, row["name"])
