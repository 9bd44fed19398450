"""The app through time (AppTest): the date control on the Map and Export pages, the route
timeline, segment popups with their length basis and status age, and the article import's
review and confirmed save."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from helpers import ROOT, choose_date, date_shown, equator_world, lifecycle_event, write_world
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

import geo
from geo import settings

APP = str(ROOT / "app.py")
ev = lifecycle_event
EXTENT = {"_southWest": {"lat": -1.0, "lng": 0.0}, "_northEast": {"lat": 1.0, "lng": 3.0}}
HOSTILE_SOURCE = '=HYPERLINK("http://x") <img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(settings, "today", "2026-06-30")


@pytest.fixture
def dated_dir(tmp_path, monkeypatch):
    """w-m operational, recorded 2026-05-01; m-e built from 2020, opened 2024-05, expected to
    close in 2028, recorded 2025-06-01 (older than six months), one source a formula."""
    world = equator_world()
    world["segments"][0].update(as_of="2026-05-01")
    world["segments"][1].update(
        status="operational", as_of="2025-06-01",
        lifecycle=[ev("2020", "construction_start", "under_construction",
                      source=HOSTILE_SOURCE),
                   ev("2024-05", "opening", "operational"),
                   ev("2028", "closure", "closed", kind="expected")])
    folder = write_world(tmp_path / "data", world)
    monkeypatch.setattr(settings, "data_dir", folder)
    return folder


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """What each download button of a run would serve, by file name."""
    served: dict[str, bytes] = {}
    real = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes | str):
            data = path_or_data.encode() if isinstance(path_or_data, str) else path_or_data
            served[filename] = data
        return real(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return served


def run_app(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.session_state["map_widget"] = {"last_object_clicked_tooltip": None, "bounds": EXTENT}
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def shown_text(at: AppTest) -> str:
    """The page's markdown as read (the backslashes that keep text literal removed)."""
    return " ".join(m.value.replace("\\", "") for m in at.markdown)


def status_table(feature_group: str) -> dict:
    """The statuses of every date the corridor layer carries (its restyle script's data)."""
    start = feature_group.index("T = ") + 4
    return json.JSONDecoder().raw_decode(feature_group[start:])[0]


# ---------------------------------------------------------------------------------------------
# Map page


def test_the_date_control_labels_the_map_and_resends_no_layer(dated_dir):
    at = run_app()
    assert at.button_group(key="w_fixed").label == "Network as of"
    assert date_shown(at, "w") is None
    assert "Statuses as recorded" in shown_text(at)
    before = map_args(at)
    table = status_table(before["feature_group"])
    assert table["o"][0] == "" and "2022-06" in table["o"] and table["p"] == "asof"

    choose_date(at, "w", "2022-06")
    assert not at.exception
    assert at.query_params["asof"] == "2022-06"
    assert "Statuses as of 2022-06-30" in shown_text(at)
    after = map_args(at)
    # the map restyles itself from the address: the same map and layers, nothing re-sent
    assert after["feature_group"] == before["feature_group"]
    assert after["script"] == before["script"]

    choose_date(at, "w", "2029-01")
    assert "Statuses as of 2029-01-31, projected from expected dates" in shown_text(at)
    at.button_group(key="w_fixed").set_value("today").run()
    assert at.query_params["asof"] == "today"
    assert "Statuses as of 2026-06-30" in shown_text(at)
    assert map_args(at)["feature_group"] == before["feature_group"]


def test_the_layer_carries_each_dates_status_including_not_yet_announced(dated_dir):
    at = run_app()
    table = status_table(map_args(at)["feature_group"])
    feats = json.loads(map_args(at)["feature_group"].split(".addData(", 1)[1].split(");", 1)[0])
    runs = next(f["properties"]["d"] for f in feats["features"]
                if f["properties"]["i"] == "m-e")

    def status_on(month: str) -> str:
        i = table["o"].index(month)
        return table["st"][[s for start, s in runs if start <= i][-1]]["k"]

    assert status_on("") == "operational"
    assert status_on("2019-06") == "not_yet_announced"
    assert status_on("2022-06") == "under_construction"
    assert status_on("2029-01") == "closed"
    assert table["l"][table["o"].index("2019-06")] == "Statuses as of 2019-06-30"
    # the status filter offers every status a date gives
    pills = at.button_group(key="w_status")
    assert {"not yet announced", "under construction", "closed"} <= set(pills.options)


def test_a_date_in_the_link_opens_the_map_on_that_date(dated_dir):
    at = run_app(params={"asof": "2022-06"})
    assert date_shown(at, "w") == "2022-06"
    assert "Statuses as of 2022-06-30" in shown_text(at)


def test_segment_popups_give_the_length_basis_and_flag_old_records(dated_dir):
    group = map_args(run_app())["feature_group"]
    km = geo.distance_km(1.5, 0, 2.7, 0)
    assert f"{km:,.0f} km (measured on the drawn line)" in group
    assert "may be out of date (status as of 2025-06-01)" in group
    assert "may be out of date" in map_args(run_app())["script"]  # the legend explains it


def test_a_chosen_route_has_its_timeline_with_sources(dated_dir):
    at = run_app(params={"routes": "w-e"})
    (expander,) = [e for e in at.expander if e.label == "Timeline of West to East"]
    table = expander.dataframe[0].value
    assert list(table.columns) == ["date", "section", "event", "kind", "status", "source",
                                   "link"]
    assert table[["date", "event", "kind", "status"]].values.tolist() == [
        ["2020", "construction start", "happened", "under construction"],
        ["2024-05", "opening", "happened", "operational"],
        ["2028", "closure", "expected", "closed"]]
    assert table["source"].iloc[0] == HOSTILE_SOURCE  # shown as text in the data grid
    assert any("Download the timeline of West to East" in b.proto.label
               for b in expander.get("download_button"))


def test_the_timeline_csv_is_neutral_text(dated_dir, downloads):
    run_app(params={"routes": "w-e"})
    rows = list(csv.DictReader(io.StringIO(downloads["timeline-w-e.csv"].decode())))
    assert [r["event"] for r in rows] == ["construction_start", "opening", "closure"]
    assert rows[0]["source"] == "'" + HOSTILE_SOURCE  # a formula starts with '
    assert rows[2]["kind"] == "expected"


def test_a_scenario_replaces_expected_dates_in_the_timeline(dated_dir):
    scenarios = dated_dir / "scenarios"
    scenarios.mkdir()
    (scenarios / "keep-open.yaml").write_text(yaml.safe_dump({
        "name": "m-e stays open", "changes": [
            {"segment": "m-e", "date": "2030", "event": "closure", "status": "closed"}]}))
    at = run_app(params={"routes": "w-e", "scenario": "keep-open", "asof": "2029-01"})
    assert "projected under scenario 'm-e stays open'" in shown_text(at)
    (expander,) = [e for e in at.expander if e.label == "Timeline of West to East"]
    table = expander.dataframe[0].value
    assert table[["date", "kind"]].values.tolist()[-1] == ["2030", "scenario"]
    assert "expected" not in set(table["kind"])


# ---------------------------------------------------------------------------------------------
# Export page


def test_export_files_follow_the_chosen_date(dated_dir, downloads):
    at = run_app(params={"routes": "w-e", "asof": "2022-06"}, page="app_pages/export.py")
    assert date_shown(at, "x") == "2022-06"
    assert "Statuses as of 2022-06-30" in shown_text(at)
    at.selectbox(key="x_format").set_value("svg").run()
    assert not at.exception
    svg = downloads["corridor-map.svg"].decode()
    assert "Statuses as of 2022-06-30" in svg and "Key dates" in svg
    html = downloads["corridor-map.html"].decode()
    assert "Statuses as of 2022-06-30" in html
    assert "construction start 2020 (happened)" in html  # the segment's status on that date
    assert "measured on the drawn line" in html  # lengths with their basis
    timeline = list(csv.DictReader(io.StringIO(downloads["corridor-timeline.csv"].decode())))
    assert [r["date"] for r in timeline] == ["2020", "2024-05", "2028"]
    at.selectbox(key="x_data_format").set_value("csv").run()
    routes = list(csv.DictReader(io.StringIO(downloads["corridor-data.csv"].decode())))
    recorded = geo.export_frames(routes=["w-e"], datasets=["routes"], data_dir=dated_dir)
    dated = geo.export_frames(routes=["w-e"], datasets=["routes"], as_of="2022-06",
                              data_dir=dated_dir)
    column = next(c for c in dated["routes"].columns
                  if dated["routes"].at[0, c] != recorded["routes"].at[0, c]
                  and c != "geometry")
    assert routes[0][column] == str(dated["routes"].at[0, column])


def test_the_date_follows_the_user_between_map_and_export(dated_dir):
    at = run_app()
    choose_date(at, "w", "2029-01")
    at.switch_page("app_pages/export.py").run()
    assert not at.exception
    assert date_shown(at, "x") == "2029-01"
    assert "projected from expected dates" in shown_text(at)
    choose_date(at, "x", "2022-06")
    at.switch_page("app_pages/compare.py").run()
    assert date_shown(at, "c") == "2022-06"
    at.button(key="c_prev").click().run()
    assert date_shown(at, "c") == "2022-05"
    at.switch_page("app_pages/map_page.py").run()
    assert date_shown(at, "w") == "2022-05"
    assert "Statuses as of 2022-05-31" in shown_text(at)


# ---------------------------------------------------------------------------------------------
# Claims: add an article

ARTICLE = ("Trains run from Baku to Tbilisi. The minister said the road to Yerevan is closed. "
           "The 224 km Kars–Iğdır–Dilucu railway will link Turkey with Nakhchivan.")


def drafted(article_id: str = "test-article") -> AppTest:
    at = run_app(page="app_pages/claims.py")
    boxes = {t.label: t for t in at.text_input}
    boxes["Article id"].input(article_id)
    boxes["Publication"].input("Test Daily")
    next(t for t in at.text_area if t.label == "Article text").input(ARTICLE)
    next(b for b in at.button if b.label == "Draft claims").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def review_of(at: AppTest):
    return next(d.value for d in at.dataframe if "would show" in d.value.columns)


def test_a_draft_shows_each_claims_places_routes_check_and_verdict(shipped_dir):
    at = drafted()
    review = review_of(at)
    draft = at.session_state["draft_doc"]
    expected = geo.claims.preview(draft, data_dir=shipped_dir)
    assert list(review.columns) == ["claim", "kind", "places", "routes", "check", "would show",
                                    "evidence"]
    assert list(review["claim"]) == list(expected["claim_id"])
    assert list(review["check"]) == list(expected["check"])
    assert list(review["would show"]) == [geo.style.VERDICT_LABELS.get(v, v)
                                          for v in expected["verdict"]]
    length = review[review["check"].str.startswith("stated_length")]
    assert len(length) == 1 and "kars" in length["places"].iloc[0]
    # leaving a claim out takes it out of the review
    at.session_state["draft_editor"] = {"edited_rows": {0: {"keep": False}}, "added_rows": [],
                                        "deleted_rows": []}
    at.run()
    assert list(review_of(at)["claim"]) == list(expected["claim_id"])[1:]


def test_saving_names_the_file_and_writes_only_once_confirmed(shipped_dir):
    at = drafted()
    target = shipped_dir / "claims" / "test-article.yaml"
    assert str(target) in [c.value for c in at.code]
    next(b for b in at.button if b.label == "Save claims file…").click().run()
    assert not target.exists()  # asked, not written
    assert any(str(target) in w.value.replace("\\", "") for w in at.warning)
    next(b for b in at.button if b.label == "Cancel").click().run()
    assert not target.exists() and not any(b.label.startswith("Yes,") for b in at.button)
    next(b for b in at.button if b.label == "Save claims file…").click().run()
    next(b for b in at.button if b.label == "Yes, write test-article.yaml").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert target.exists()
    written = geo.load_claims("test-article", data_dir=shipped_dir)
    (done,) = at.success
    assert str(target) in done.value.replace("\\", "")
    assert f"read back from the file, {len(written)} claim(s)" in done.value


def test_an_existing_file_is_replaced_only_when_chosen(shipped_dir):
    existing = next((shipped_dir / "claims").glob("*.yaml"))
    before = existing.read_bytes()
    at = drafted(existing.stem)
    save = next(b for b in at.button if b.label == "Save claims file…")
    assert save.disabled
    at.checkbox(key="draft_overwrite").check().run()
    next(b for b in at.button if b.label == "Save claims file…").click().run()
    assert any(w.value.startswith("Replace") for w in at.warning)
    assert existing.read_bytes() == before
    next(b for b in at.button if b.label == f"Yes, replace {existing.name}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert existing.read_bytes() != before


def test_a_claims_check_is_chosen_from_lists_and_its_verdict_shown_before_saving(shipped_dir):
    at = drafted()
    draft = at.session_state["draft_doc"]
    kars = next(c["id"] for c in draft["claims"] if "Kars" in c["quote"])
    at.selectbox(key="draft_check_claim").set_value(kars).run()
    key = f"draft_chk_{kars}"
    at.selectbox(key=f"{key}_pred").set_value("route_connects").run()
    # the arguments are lists of what the data holds (routes and places, by name)
    route_box = at.selectbox(key=f"{key}_route")
    assert any(o.endswith("(kars-nakhchivan-rail)") for o in route_box.options)
    route_box.set_value("kars-nakhchivan-rail")
    at.selectbox(key=f"{key}_a").set_value("kars")
    at.selectbox(key=f"{key}_b").set_value("nakhchivan")
    at.selectbox(key=f"{key}_tense").set_value("future")  # "will link"
    at.text_input(key=f"{key}_why").input("the sentence says the railway will link the two")
    next(b for b in at.button if b.label == "Use this check").click().run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    row = review_of(at).set_index("claim").loc[kars]
    assert row["check"].startswith("route_connects(route=kars-nakhchivan-rail, a=kars, "
                                   "b=nakhchivan, tense=future")
    chosen = at.session_state["draft_checks"][kars]
    claim = {**next(c for c in draft["claims"] if c["id"] == kars), "check": chosen}
    expected = geo.claims.preview({"article": draft["article"], "claims": [claim]},
                                  data_dir=shipped_dir)
    assert row["would show"] == geo.style.VERDICT_LABELS.get(expected["verdict"].iloc[0])
    # an incomplete check is said, and the review waits for it
    at.selectbox(key=f"{key}_pred").set_value("stated_length").run()
    at.text_input(key=f"{key}_km").input("")
    next(b for b in at.button if b.label == "Use this check").click().run()
    said = [w.value.replace("\\", "") for w in at.warning]
    assert any("check.args.km is required by stated_length" in w for w in said), said


def test_an_address_that_cannot_be_fetched_says_how_to_go_on_and_keeps_the_form():
    at = run_app(page="app_pages/claims.py")
    at.text_input(key="draft_page_url").input("http://127.0.0.1:9/article")
    next(b for b in at.button if b.label == "Fetch the article").click().run()
    assert not at.exception
    said = " ".join(e.value for e in at.error).replace("\\", "")
    assert "could not be fetched" in said and "save the page" in said
    assert next(t for t in at.text_area if t.label == "Article text").value == ""
