"""The name index and search (geo.search) and the text of the map's labels."""

from __future__ import annotations

import pytest
from helpers import shipped_ready, stand_in_claims, tiny_world, write_data

import geo
from geo.search import map_labels, name_index, place_label, route_label, search, search_key

SIDES_ROUTE_NAMES = [
    {"name": "Zangezur corridor", "lang": "en", "used_by": "Government of Azerbaijan"},
    {"name": "Zəngəzur dəhlizi", "lang": "az", "used_by": "Government of Azerbaijan"},
    {"name": "Зангезурский коридор", "lang": "ru", "used_by": "Russian-language media"},
    {"name": "Crossroads of Peace", "lang": "en",
     "used_by": "Government of Armenia ('Crossroads of Peace' project)"},
    {"name": "Trump Route for International Peace and Prosperity (TRIPP)", "lang": "en",
     "used_by": "US-brokered framework of 8 August 2025"},
]


@pytest.fixture
def named_world(tmp_path):
    """The tiny strip with names in several languages, a route with each side's names and a
    named section."""
    world = tiny_world()
    world["borders"][0]["iso3"] = "AZE"  # a side whose places' other names are labelled
    world["places"][0].update(name_az="Vest", name_hy="Արեւմուտք", alt_names="Arevmutk|Westen",
                              country="AZE")
    world["places"][1].update(name_fa="میانه", name_az="Mərkəz")
    world["routes"][0].update(names=SIDES_ROUTE_NAMES, sections=[
        {"id": "east-part", "name": "Eastern section (Bland–Cland)", "segments": ["m-e"]}])
    return write_data(tmp_path / "data", world)


@pytest.fixture(scope="module")
def shipped_index():
    return geo.search_index()


@pytest.fixture
def index(named_world):
    return name_index(places=geo.load_places(named_world), routes=geo.load_routes(named_world),
                      segments=geo.load_segments(named_world), claims=stand_in_claims(),
                      borders=geo.load_borders(named_world))


def found(query: str, index, n: int = 1) -> list[tuple[str, str]]:
    return [(r["kind"], r["id"]) for r in search(query, index, limit=n).to_dict("records")]


def test_the_index_holds_every_name_with_its_language(index):
    west = index[(index["kind"] == "place") & (index["id"] == "west")]
    assert {(r["name"], r["lang"]) for r in west.to_dict("records")} >= {
        ("West", "en"), ("Vest", "az"), ("Արեւմուտք", "hy"), ("Arevmutk", ""), ("west", "")}
    route = index[index["kind"] == "route"]
    ru = route[route["lang"] == "ru"].iloc[0]
    assert ru["name"] == "Зангезурский коридор" and ru["used_by"] == "Russian-language media"
    assert set(index["kind"]) == {"place", "route", "section", "segment", "claim", "country"}
    # every thing has an extent around it
    mid = index[(index["kind"] == "place") & (index["id"] == "mid")].iloc[0]
    west_b, south_b, east_b, north_b = mid["bounds"]
    assert west_b < 1.5 < east_b and south_b < 0.5 < north_b
    section = index[index["kind"] == "section"].iloc[0]
    assert section["bounds"][0] < 1.5 and section["bounds"][2] > 2.5  # the m-e segment


@pytest.mark.parametrize("query", ["Mərkəz", "merkez", "MERKƏZ", "میانه", "middle", "  Mid  "])
def test_search_finds_a_place_by_any_name_ignoring_case_and_accents(index, query):
    assert found(query, index) == [("place", "mid")]


@pytest.mark.parametrize("query", ["Zangezur", "zəngəzur dəhlizi", "ZANGAZUR", "зангезурский",
                                   "crossroads of peace", "tripp"])
def test_search_finds_a_route_by_each_sides_name(index, query):
    assert found(query, index) == [("route", "w-e")]


def test_search_ranks_exact_names_first_then_names_that_start_with_the_query(index):
    kinds_ids = found("West", index, n=5)
    assert kinds_ids[0] == ("place", "west")  # "West" itself
    assert ("route", "w-e") in kinds_ids[1:]  # "West to East" starts with it
    best = search("West", index).iloc[0]
    assert best["name"] == "West" and best["score"] == 0


def test_claims_are_found_by_id_and_by_words_of_their_summary(index):
    assert found("t-02", index) == [("claim", "t-02")]
    hit = search("has a station", index).iloc[0]
    assert (hit["kind"], hit["id"], hit["form"]) == ("claim", "t-01", "text")
    west_b, south_b, east_b, north_b = hit["bounds"]
    assert west_b < 0.5 < east_b and south_b < 0.5 < north_b  # around the claim's point
    claims = set(index.loc[index["kind"] == "claim", "id"])
    assert claims == {"t-01", "t-02"}  # t-03 has no point on the map: nothing to zoom to


def test_a_misspelt_query_finds_the_names_spelt_most_like_it(index):
    hits = search("Crosroads of Pease", index)
    assert hits.iloc[0]["id"] == "w-e" and hits.iloc[0]["score"] == 5


def test_a_blank_query_finds_nothing(index):
    assert search("", index).empty and search(" -- ", index).empty


def test_search_keys_are_words_of_letters_and_digits():
    assert search_key("Bandar-e  Anzali") == "bandar e anzali"
    assert search_key("<b>Mid</b> & co") == "b mid b co"
    assert search_key("Naxçıvan") == search_key("NAXCIVAN") == "naxcivan"


def test_a_place_label_gives_each_sides_other_name_not_its_spellings():
    row = {"name_en": "Zangilan", "name_az": "Zəngilan", "name_hy": "Կովսական",
           "alt_names": "Zangelan|Kovsakan", "country": "AZE"}
    assert place_label(row) == "Zangilan\nKovsakan (hy)"
    spelt = {"name_en": "Meghri", "name_az": "Mehri", "name_hy": "Մեղրի", "country": "ARM"}
    assert place_label(spelt) == "Meghri"
    elsewhere = {"name_en": "Tbilisi", "name_az": "Tiflis", "country": "GEO"}
    assert place_label(elsewhere) == "Tbilisi"  # only Armenia's and Azerbaijan's sides
    assert place_label({"name_en": "Jolfa (Iran)", "country": "IRN"}) == "Jolfa"


def test_a_route_label_names_each_governments_name_for_it():
    label = route_label({"name": "Baku–Meghri–Nakhchivan rail", "names": SIDES_ROUTE_NAMES})
    assert label.split("\n") == ["Zangezur corridor (Azerbaijan)",
                                 "Crossroads of Peace (Armenia)", "TRIPP"]
    shared = [{"name": "INSTC", "lang": "en", "used_by": "Governments of Russia and Iran"},
              {"name": "North-South", "lang": "en", "used_by": "Government of Iran"}]
    assert route_label({"name": "x", "names": shared}) == "INSTC\nNorth-South"  # no sides
    assert route_label({"name": "West to East (by rail)", "names": []}) == "West to East"


def test_map_labels_put_routes_and_sections_along_their_lines(named_world):
    labels = map_labels(places=geo.load_places(named_world), routes=geo.load_routes(named_world),
                        segments=geo.load_segments(named_world)).set_index("id")
    assert labels.at["w-e", "kind"] == "route"
    spots = [p.x for p in labels.at["w-e", "geometry"].geoms]
    assert spots == pytest.approx([1.5, 1.2, 1.8, 0.9, 2.1])  # halfway first, from 0.5 to 2.5
    assert labels.at["east-part", "text"] == "Eastern section"
    assert labels.at["east-part", "geometry"].geoms[0].x == pytest.approx(2.0)
    assert labels.at["west", "text"] == "West\nArevmutk (hy)"
    assert labels.loc[["west", "mid", "east"], "rank"].tolist() == [0, 1, 0]  # ends of the route


@pytest.mark.skipif(not shipped_ready(), reason="shipped data not present")
@pytest.mark.parametrize(("query", "expected"), [
    ("Meghri", ("place", "meghri")),
    ("Մեղրի", ("place", "meghri")),
    ("Мегри", ("place", "meghri")),
    ("مغری", ("place", "meghri")),
    ("Naxçıvan", ("place", "nakhchivan")),
    ("Зангезурский коридор", ("route", "zangezur-rail")),
    ("Syunik", ("section", "syunik-meghri")),
    ("کریدور ارس", ("route", "aras-road")),
])
def test_the_shipped_names_are_found_in_each_language(shipped_index, query, expected):
    assert found(query, shipped_index) == [expected]


@pytest.mark.skipif(not shipped_ready(), reason="shipped data not present")
def test_the_shipped_labels_give_the_sides_names_of_the_zangezur_route():
    labels = map_labels(places=geo.load_places(), routes=geo.load_routes(),
                        segments=geo.load_segments()).set_index("id")
    route = labels.at["zangezur-rail", "text"].split("\n")
    assert route[:2] == ["Zangezur corridor (Azerbaijan)", "Crossroads of Peace (Armenia)"]
    assert labels.at["syunik-meghri", "text"] == "Syunik/Meghri section in Armenia"
    assert labels.at["nrnadzor", "text"] == "Nrnadzor\nNüvədi (az)"
    assert labels.at["meghri", "text"] == "Meghri"
