"""Every page of the Streamlit app runs (AppTest): no exception, the expected widgets and tables."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from helpers import (
    ROOT,
    section_figures,
    shipped_ready,
    split_text_km,
    tiny_world,
    with_section,
    write_data,
)
from streamlit.testing.v1 import AppTest

import geo
import layers
from geo import settings

APP = str(ROOT / "app.py")
PAGES = ("app_pages/map_page.py", "app_pages/compare.py", "app_pages/through_time.py",
         "app_pages/claims.py", "app_pages/export.py")


needs_shipped = pytest.mark.skipif(not shipped_ready(), reason="shipped data not present yet")


def run_app(data_dir, page: str | None = None, params: dict | None = None, *,
            map_shown: bool = True) -> AppTest:
    """Run the app (the Map page first, as a browser does), then ``page`` if given.

    ``map_shown`` stands in for the browser's first report of the map's extent, after which
    the Map page draws its filters and claim list.
    """
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if map_shown:
        at.session_state["map_widget"] = {"last_object_clicked_tooltip": None, "bounds": {
            "_southWest": {"lat": 24.5, "lng": 38.5}, "_northEast": {"lat": 44.0, "lng": 63.5}}}
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture
def tiny_dir(tiny_data, monkeypatch):
    monkeypatch.setattr(settings, "data_dir", tiny_data)
    return tiny_data


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ---------------------------------------------------------------------------------------------
# Map


def claim_list(at: AppTest) -> dict:
    """What the claim list beside the map draws: ``rows`` (one per claim) and ``chosen``."""
    [element] = [e for e in at.get("bidi_component")
                 if e.proto.component_name == "corridors.claim_list"]
    return json.loads(element.proto.json)


def claim_table(at: AppTest) -> pd.DataFrame:
    """The claim list's rows as a frame: ``claim`` (the id), ``verdict``, ``kind``, ``quote``,
    ``said`` (who, where, when) and ``detail``."""
    rows = claim_list(at)["rows"]
    return pd.DataFrame(rows, columns=["id", "verdict", "color", "kind", "quote", "said",
                                       "detail"]).rename(columns={"id": "claim"})


def pick_claim(at: AppTest, claim_id: str, n: int = 1) -> None:
    """What the claim list reports after a click on the row of ``claim_id``."""
    at.session_state["w_claim_list"] = {"pick": {"claim": claim_id, "n": n}}
    at.run()


def click_map(at: AppTest, tooltip: str) -> None:
    """What streamlit-folium reports after a click on a map object with this tooltip."""
    at.session_state["map_widget"] = {"last_object_clicked_tooltip": tooltip, "bounds": None}
    at.run()


@needs_shipped
def test_map_page_has_toggles_filters_claim_list_and_map(shipped_dir):
    at = run_app(shipped_dir)
    _no_exception(at)
    assert at.title[0].value == "Corridor map"
    labels = [c.label for c in at.sidebar.checkbox]
    for label in ("Corridors", "Places", "Border crossings", "Gauge breaks", "Claims",
                  "Highlight chosen routes"):
        assert label in labels
    assert [m.label for m in at.sidebar.multiselect] == ["Routes"]
    assert {p.label for p in at.sidebar.button_group} == {"Network as of", "Status", "Mode",
                                                          "Claim kind", "Claim verdict"}
    assert [s.label for s in at.sidebar.selectbox] == ["Year", "Month", "Scenario", "Article"]
    assert at.button_group(key="w_fixed").label == "Network as of"
    claims = geo.claims_gdf(data_dir=shipped_dir).set_index("claim_id")
    table = claim_table(at).set_index("claim")
    assert list(table.index) == list(claims.index)
    # each row: the id, the verdict in words and its colour, who said it and when, and the
    # claim's own words in full (not a summary cut off, not "The article states that…")
    for cid, row in table.iterrows():
        claim = claims.loc[cid]
        assert row["verdict"] == geo.style.VERDICT_LABELS[claim["verdict"]]
        assert row["color"] == geo.style.VERDICT_COLORS[claim["verdict"]]
        assert row["quote"] == claim["quote"]
        assert row["said"].startswith(claim["who"])
        assert claim["publication"] in row["said"]
        if claim["date"]:
            assert f"event {claim['date']}" in row["said"]
    assert not table["quote"].str.startswith("The article states").any()
    assert any(f"{len(claims)} of {len(claims)} claim(s) match" in c.value for c in at.caption)


@needs_shipped
def test_claim_search_covers_quote_summary_and_evidence(shipped_dir):
    claims = geo.claims_gdf(data_dir=shipped_dir)
    row = claims.iloc[4]
    for column in ("quote", "summary", "evidence"):
        words = " ".join(str(row[column]).split()[:6])
        at = run_app(shipped_dir)
        at.text_input(key="w_q").input(words).run()
        _no_exception(at)
        listed = claim_table(at)
        assert row["claim_id"] in set(listed["claim"]), column
        assert len(listed) < len(claims), column  # a search, not the whole list
    at.text_input(key="w_q").input("zzzz-in-no-claim").run()
    assert len(claim_table(at)) == 0


@needs_shipped
def test_clicking_a_claim_marker_shows_it_and_keeps_it_in_the_url(shipped_dir):
    at = run_app(shipped_dir)
    before = map_args(at)
    claims = geo.claims_gdf(data_dir=shipped_dir)
    cid = claims["claim_id"].iloc[0]
    click_map(at, f"{cid} · event · consistent with the geodata")
    _no_exception(at)
    assert at.query_params["claim"] == cid
    shown = claim_list(at)
    assert shown["chosen"] == cid  # the list opens the row (and scrolls to it)
    [row] = [r for r in shown["rows"] if r["id"] == cid]
    labels = [label for label, _ in row["detail"]]
    assert {"Said by", "Summary", "Evidence", "Article", "Article date"} <= set(labels)
    after = map_args(at)
    # the map opens the claim the address names; no layer is sent again
    assert after["feature_group"] == before["feature_group"]
    assert after["script"] == before["script"]
    assert "searchParams.get('claim')" in after["script"] and "openPopup()" in after["script"]


@needs_shipped
def test_clicking_a_country_badge_lists_that_countrys_claims(shipped_dir):
    at = run_app(shipped_dir)
    claims = geo.claims_gdf(data_dir=shipped_dir)
    country_only = claims[claims["located_by"] == "country"]
    click_map(at, "IRN · 15 claim(s) located only to Iran as a whole")
    _no_exception(at)
    assert at.query_params["country"] == "IRN"
    listed = set(claim_table(at)["claim"])
    assert listed and listed <= set(country_only["claim_id"])
    pills = next(p for p in at.button_group if p.label == "Claims about a whole country")
    assert pills.value == "IRN"


@needs_shipped
def test_clicking_a_row_of_the_claim_list_chooses_the_claim_for_the_map(shipped_dir):
    at = run_app(shipped_dir)
    before = map_args(at)
    claims = geo.claims_gdf(data_dir=shipped_dir)
    first, second = claims["claim_id"].iloc[3], claims["claim_id"].iloc[7]
    pick_claim(at, first)
    _no_exception(at)
    assert at.query_params["claim"] == first
    assert claim_list(at)["chosen"] == first
    click_map(at, f"{second} · opinion · not checkable")  # the map chooses another one
    assert claim_list(at)["chosen"] == second
    pick_claim(at, first, n=2)  # the same row clicked again counts
    assert at.query_params["claim"] == first
    assert map_args(at)["feature_group"] == before["feature_group"]  # no layer sent again


@needs_shipped
def test_claim_popup_names_the_article_date_and_the_event_date_apart(shipped_dir):
    claims = geo.claims_gdf(data_dir=shipped_dir)
    row = claims[claims["date"].notna()].iloc[0]
    html = layers.claims.claim_popup_html(row["claim_id"], row.to_dict())
    assert f"<dt>Event date</dt><dd>{row['date']}</dd>" in html
    published = row["article_date"] or "not given in the article"
    assert f"<dt>Article date</dt><dd>{published}</dd>" in html
    assert "<dt>Source</dt>" not in html


@needs_shipped
def test_routes_in_the_url_preselect_the_filter(shipped_dir):
    route_id = geo.load_routes(shipped_dir).index[0]
    at = run_app(shipped_dir, params={"routes": route_id, "layers": "claims,corridors,routes"})
    _no_exception(at)
    assert at.multiselect(key="w_routes").value == [route_id]
    assert at.checkbox(key="w_layer_places").value is False
    at.sidebar.checkbox[0].uncheck().run()  # corridors off: still fine
    _no_exception(at)
    assert at.query_params["routes"] == route_id
    assert at.query_params["layers"] == "claims,routes"


@needs_shipped
def test_the_view_follows_the_user_from_page_to_page(shipped_dir):
    route_id = geo.load_routes(shipped_dir).index[0]
    at = run_app(shipped_dir)
    at.multiselect(key="w_routes").set_value([route_id]).run()
    at.session_state["map_widget"] = {"last_object_clicked_tooltip": None, "bounds": {
        "_southWest": {"lat": 35.0, "lng": 40.0}, "_northEast": {"lat": 43.0, "lng": 52.0}}}
    at.run()
    at.switch_page("app_pages/export.py").run()
    _no_exception(at)
    assert at.multiselect(key="x_routes").value == [route_id]
    assert at.radio(key="x_extent").value == "view"
    assert at.query_params["routes"] == route_id
    assert at.query_params["extent"] == "40.00,35.00,52.00,43.00"
    at.switch_page("app_pages/compare.py").run()
    at.slider(key="w_k").set_value(2)
    at.radio(key="w_rank").set_value("time")
    at.button[0].click().run()
    _no_exception(at)
    at.switch_page("app_pages/map_page.py").run()
    for name, value in (("routes", route_id), ("k", "2"), ("rank", "time")):
        assert at.query_params[name] == value


@needs_shipped
def test_filters_that_hide_every_claim_leave_an_empty_list(shipped_dir):
    at = run_app(shipped_dir)
    verdict = next(p for p in at.sidebar.button_group if p.label == "Claim verdict")
    verdict.set_value([]).run()
    _no_exception(at)
    assert any(" of 0 claim(s) match" in c.value for c in at.caption)


def test_first_run_draws_the_map_before_the_filters_and_the_list(tiny_dir):
    at = run_app(tiny_dir, map_shown=False)
    _no_exception(at)
    assert len(at.get("component_instance")) == 1
    assert not at.sidebar.checkbox and not at.dataframe
    assert any("Loading the filters" in c.value for c in at.sidebar.caption)
    # the search field too: a box of its size stands in its place, so nothing moves later
    assert not at.text_input
    assert any("ce-search-placeholder" in m.value for m in at.markdown)
    # the map reports its extent once drawn: the next run has everything, for the session
    at.session_state["map_widget"] = {"last_object_clicked_tooltip": None, "bounds": {
        "_southWest": {"lat": 0.0, "lng": 0.0}, "_northEast": {"lat": 1.0, "lng": 3.0}}}
    at.run()
    assert [c.label for c in at.sidebar.checkbox][:2] == ["Corridors", "Places"]
    assert at.text_input(key="w_find_map_widget").placeholder.startswith("Search the map")
    assert not any("ce-search-placeholder" in m.value for m in at.markdown)
    assert at.query_params["extent"] == "0.00,0.00,3.00,1.00"
    at.session_state["map_widget"] = {"last_object_clicked_tooltip": None, "bounds": None}
    at.run()
    assert at.sidebar.checkbox


def test_map_page_without_claims_explains_and_still_draws(tiny_dir):
    at = run_app(tiny_dir)
    _no_exception(at)
    assert at.title[0].value == "Corridor map"
    assert any("Claims are not shown" in w.value for w in at.warning) or any(
        "0 claim(s)" in c.value for c in at.caption)


# ---------------------------------------------------------------------------------------------
# Compare


@needs_shipped
def test_compare_page_lists_alternatives_with_metrics(shipped_dir):
    at = run_app(shipped_dir, page="app_pages/compare.py")
    _no_exception(at)
    assert at.title[0].value == "Compare routes"
    table = at.dataframe[0].value
    assert len(table) >= 1
    for col in ("corridor", "exists", "length_km", "length_basis", "km_by_country",
                "border_crossings", "est_time_h", "est_time_range", "est_cost", "est_cost_range"):
        assert col in table.columns
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    # the length is a number (sortable), its basis a column of its own
    assert table["length_km"].dtype.kind in "iu"
    assert (table["length_km"] > 0).all() and table["length_km"].is_monotonic_increasing
    assert table["length_basis"].str.contains("chainage|drawn line").all()
    # what a reader compares first comes first: time and cost right after the length
    assert list(table.columns[:7]) == ["rank", "corridor", "length_km", "est_time_h",
                                       "est_time_range", "est_cost", "est_cost_range"]
    assert at.radio(key="compare_choice").options


@needs_shipped
def test_compare_notes_name_sections_and_fold_the_details(shipped_dir):
    segments = geo.load_segments(shipped_dir)
    at = run_app(shipped_dir, page="app_pages/compare.py",
                 params={"from": "baku", "to": "nakhchivan", "k": "3"})
    _no_exception(at)
    results = geo.compare("baku", "nakhchivan", k=3, data_dir=shipped_dir)
    stale = [m for m in results if m["stale_segments"]]
    assert stale, "the shipped statuses are old enough to be flagged"
    labels = [e.label.replace("\\", "") for e in at.expander]  # markdown-escaped text
    # one line per alternative says how current its statuses are; the details are folded
    for m in stale:
        [line] = [label for label in labels if label.startswith(f"Alt. {m['rank']},")]
        assert "may be out of date" in line
        assert f"{len(m['stale_segments'])} of {len(m['segments'])} section(s)" in line
    shown = " ".join(md.value for e in at.expander for md in e.markdown)
    assert "Horadiz–Jabrayil–Zangilan–Aghband highway" in shown.replace("\\", "")
    for sid in {s for m in results for s in m["segments"]}:  # names, never ids
        assert sid not in shown.replace("\\", ""), sid
    assert segments.index.isin([s for m in results for s in m["segments"]]).any()


@needs_shipped
def test_compare_csv_is_flat_rounded_and_says_its_units(shipped_dir, served_files):
    at = run_app(shipped_dir, page="app_pages/compare.py",
                 params={"from": "baku", "to": "nakhchivan", "k": "3"})
    _no_exception(at)
    [name] = [n for n in served_files if n.startswith("alternatives-")]
    frame = pd.read_csv(io.BytesIO(served_files[name]))
    results = geo.compare("baku", "nakhchivan", k=3, data_dir=shipped_dir)
    assert len(frame) == len(results)
    for column in frame.columns:  # one value per cell: no JSON lists or dicts
        cells = frame[column].dropna().astype(str)
        assert not cells.str.match(r"^\s*[\[{]").any(), column
    assert {"length_km", "time_h", "time_h_low", "time_h_high", "cost_usd_per_teu",
            "cost_usd_per_teu_low", "cost_usd_per_teu_high", "km_AZE"} <= set(frame.columns)
    for m, (_, row) in zip(results, frame.iterrows(), strict=True):
        assert row["length_km"] == round(m["length_km"], 1)
        assert row["time_h"] == round(m["est_time_h"], 1)
        assert row["cost_usd_per_teu"] == round(m["est_cost_usd"])
        assert row["km_AZE"] == round(m["km_by_country"].get("AZE", 0.0), 1)
    numbers = frame.select_dtypes("number")
    assert ((numbers * 1000).round() == numbers * 1000).all().all()  # no float noise
    assert "rail-" not in " ".join(frame["notes"].dropna())  # sections by name in the notes


def test_compare_page_on_tiny_data_finds_the_one_path(tiny_dir):
    at = run_app(tiny_dir, page="app_pages/compare.py", params={"from": "west", "to": "east"})
    _no_exception(at)
    table = at.dataframe[0].value
    assert len(table) == 1
    expected = geo.distance_km(0.5, 0.5, 1.5, 0.5) + geo.distance_km(1.5, 0.5, 2.5, 0.5)
    assert table["length_km"].iloc[0] == round(expected)
    assert table["length_basis"].iloc[0] == "drawn line"
    assert table["border_crossings"].iloc[0] == 2
    assert table["gauge_breaks"].iloc[0] == "1"


def sections_shown(at: AppTest):
    """The Compare page's table of named sections (its headers as on the page)."""
    return next(t for t in at.table if "Named section" in t.value.columns).value


def test_compare_page_shows_the_named_section_an_alternative_runs_through(tmp_path, monkeypatch):
    data = write_data(tmp_path / "data", with_section(tiny_world(), "East part"))
    monkeypatch.setattr(settings, "data_dir", data)
    km_best, by_country = section_figures(data, ["m-e"])
    at = run_app(data, page="app_pages/compare.py", params={"from": "west", "to": "east"})
    _no_exception(at)
    table = sections_shown(at)
    assert list(table.columns) == ["Alt.", "Named section", "Length: best estimate (basis)",
                                   "km by country", "km by status"]
    [row] = table.to_dict("records")
    assert (row["Alt."], row["Named section"]) == (1, "East part")
    assert row["Length: best estimate (basis)"].startswith(
        f"{km_best:,.0f} km (measured on the drawn line")
    assert split_text_km(row["km by country"]) == pytest.approx(by_country, abs=0.051)
    assert row["km by status"] == f"planned {km_best:.1f}"
    # a path that does not run through the whole section shows no table
    at = run_app(data, page="app_pages/compare.py", params={"from": "west", "to": "mid"})
    _no_exception(at)
    assert not any("Named section" in t.value.columns for t in at.table)


@needs_shipped
def test_compare_page_quotes_the_syunik_meghri_section_on_its_own(shipped_dir):
    route = geo.load_routes(shipped_dir).loc["zangezur-rail"]
    [section] = [s for s in route["sections"] if s["id"] == "syunik-meghri"]
    km_best, by_country = section_figures(shipped_dir, section["segments"])
    at = run_app(shipped_dir, page="app_pages/compare.py",
                 params={"from": route["origin"], "to": route["destination"]})
    _no_exception(at)
    table = sections_shown(at)
    row = next(r for r in table.to_dict("records") if r["Named section"] == section["name"])
    assert row["Length: best estimate (basis)"].startswith(f"{km_best:,.0f} km (")
    assert split_text_km(row["km by country"]) == pytest.approx(by_country, abs=0.051)
    assert set(split_text_km(row["km by country"])) == {"ARM"}


def test_compare_with_the_same_origin_and_destination_says_so(tiny_dir):
    at = run_app(tiny_dir, page="app_pages/compare.py", params={"from": "west", "to": "west"})
    _no_exception(at)
    errors = " ".join(e.value for e in at.error)
    assert "origin and destination are the same place" in errors
    assert "Something went wrong" not in errors  # a message about the input, not a bug notice


# ---------------------------------------------------------------------------------------------
# Claims and export


@needs_shipped
def test_claims_page_table_filters_and_draft_form(shipped_dir):
    at = run_app(shipped_dir, page="app_pages/claims.py")
    _no_exception(at)
    claims = geo.load_claims(data_dir=shipped_dir)
    table = at.dataframe[0].value
    assert len(table) == len(claims)
    assert {"claim", "verdict", "quote", "evidence"} <= set(table.columns)
    at.text_input[0].input("zzzz-not-in-any-claim").run()
    assert len(at.dataframe[0].value) == 0
    assert any(t.label == "Article text" for t in at.text_area)


@needs_shipped
def test_claims_page_drafts_claims_from_pasted_text(shipped_dir):
    at = run_app(shipped_dir, page="app_pages/claims.py")
    boxes = {t.label: t for t in at.text_input}
    boxes["Article id"].input("test-article")
    boxes["Publication"].input("Test Daily")
    text = "Trains run from Baku to Tbilisi. The minister said the road to Yerevan is closed."
    next(t for t in at.text_area if t.label == "Article text").input(text)
    next(b for b in at.button if b.label == "Draft claims").click().run()
    _no_exception(at)
    assert not at.error, [e.value for e in at.error]
    assert any("proposed claim(s) for test-article" in h.value for h in at.subheader)
    draft = at.session_state["draft_doc"]
    assert all(c["quote"] in text for c in draft["claims"])
    assert not (shipped_dir / "claims" / "test-article.yaml").exists()  # nothing saved yet


@needs_shipped
def test_export_page_runs(shipped_dir):
    at = run_app(shipped_dir, page="app_pages/export.py")
    _no_exception(at)
    assert at.title[0].value == "Export"


def test_export_page_html_takes_the_title(tiny_dir, served_files):
    at = run_app(tiny_dir, page="app_pages/export.py")
    at.text_input(key="x_title").input("Rail <b>&</b> road").run()
    _no_exception(at)
    html = served_files["corridor-map.html"].decode("utf-8")
    assert "<title>Rail &lt;b&gt;&amp;&lt;/b&gt; road</title>" in html
    assert "<bdi>Rail &lt;b&gt;&amp;&lt;/b&gt; road</bdi></h1>" in html


def test_export_page_offers_the_named_sections_when_routes_name_some(tmp_path, monkeypatch):
    def labels(at: AppTest) -> list[str]:
        return [b.proto.label for b in at.get("download_button")]

    plain = write_data(tmp_path / "plain", tiny_world())
    monkeypatch.setattr(settings, "data_dir", plain)
    at = run_app(plain, page="app_pages/export.py")
    _no_exception(at)
    assert "Download named sections (CSV)" not in labels(at)
    assert any("name no sections" in c.value for c in at.caption)
    named = write_data(tmp_path / "named", with_section(tiny_world()))
    monkeypatch.setattr(settings, "data_dir", named)
    at = run_app(named, page="app_pages/export.py")
    _no_exception(at)
    assert "Download named sections (CSV)" in labels(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_tiny_data(tiny_dir, page):
    at = run_app(tiny_dir, page=None if page == PAGES[0] else page)
    _no_exception(at)


# ---------------------------------------------------------------------------------------------
# What the map component receives


def map_args(at: AppTest) -> dict:
    import json

    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def test_map_component_is_offline_and_quiet_on_pan(tiny_dir):
    at = run_app(tiny_dir)
    args = map_args(at)
    static = "../../app/static"
    # one local script (Leaflet and its plugins) and the style inline: one request in all
    assert args["js_links"] == [f"{static}/leaflet/leaflet-bundle.js"]
    assert args["css_links"] == []
    for rule in (".leaflet-pane", ".marker-cluster", ".leaflet-fullscreen-icon",
                 ".leaflet-control-minimap"):
        assert rule in args["header"], rule
    assert args["returned_objects"] == ["last_object_clicked_tooltip", "bounds"]
    # nothing in the style is fetched from elsewhere (an SVG's xmlns names, it loads nothing)
    assert not re.search(r"""(src|href)=["']?(https?:)?//|url\(["']?(https?:)?//""",
                         args["header"])
    assert "fitBounds" in args["script"] and "{animate: false}" in args["script"]


def test_toggling_a_layer_sends_nothing_to_the_map_but_the_address(tiny_dir):
    at = run_app(tiny_dir)
    before = map_args(at)
    assert '"i":"w-m"' in before["feature_group"]
    at.checkbox(key="w_layer_corridors").uncheck().run()
    after = map_args(at)
    _no_exception(at)
    # the same map with the same overlays: the map hides the layer the address leaves out
    # (layers.layers_from_url_script; tests/test_browser_app.py sees it in a browser)
    assert after == before
    shown = at.query_params["layers"]
    shown = shown[-1] if isinstance(shown, list) else shown
    assert "corridors" not in shown.split(",") and "places" in shown.split(",")
    assert "window.__ceShowLayer = function" in before["script"]


def test_status_filter_goes_to_the_map_with_the_statuses_of_every_date(tiny_dir):
    at = run_app(tiny_dir)
    at.button_group(key="w_status").set_value(["planned"]).run()
    _no_exception(at)
    drawn = map_args(at)["feature_group"]
    # every segment is sent; the map hides those whose status on the chosen date is not
    # allowed (tests/test_layers_dated.py runs that in a browser)
    for sid in geo.load_segments(tiny_dir).index:
        assert f'"i":"{sid}"' in drawn
    assert '"a":["planned"]' in drawn


def test_the_cached_map_is_what_st_folium_sends_and_the_component_stays_whole():
    """app_pages._map_widget renders a map once with st_folium and reuses what it sends."""
    import folium
    import streamlit_folium

    from app_pages import _map_widget as mw

    real = streamlit_folium._component_func
    args = mw._capture(folium.Map(tiles=None, location=[40, 45], zoom_start=5), key="k",
                       height=300, returned_objects=[])
    assert streamlit_folium._component_func is real
    assert "L.map" in args["script"] and args["height"] == 300 and "on_change" in args
    with pytest.raises(TypeError):  # st_folium refuses the call: the component is put back
        mw._capture(folium.Map(tiles=None), no_such_option=1)
    assert streamlit_folium._component_func is real
