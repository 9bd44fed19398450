"""The "Through time" section (app_pages/_through_time.py) and the scenario editor, run with
AppTest on a hand-made network whose statuses change with the date."""

from __future__ import annotations

import re

import pytest
import yaml
from _appbrowser import FRAME, launch, running_app
from helpers import (
    ROOT,
    choose_date,
    equator_world,
    lifecycle_event,
    place,
    seg,
    shipped_ready,
    square,
    write_world,
)
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

import geo
from app_pages import _through_time
from app_pages._text import plain
from geo import settings
from layers.changes import CHANGE_COLORS, STATE_STYLES

APP = str(ROOT / "app.py")
PAGE = "app_pages/through_time.py"
COMPARE = "app_pages/compare.py"
SRC = "test source"
ev = lifecycle_event
FORMULA = "=HYPERLINK(\"http://example.org\")"  # a source a spreadsheet would run
META = {"source": SRC, "as_of": "2026-01-01", "accuracy": "exact"}
BYPASS = {"name": "bypass opens 2027, Mid-East closes", "changes": [
    {"segment": "m-e", "date": "2027-01", "event": "closure", "status": "closed",
     "note": "a what-if closure"},
    {"segment": "n-e", "date": "2027-06", "event": "opening", "status": "operational"},
    {"segment": "w-n", "date": "2027-06", "event": "opening", "status": "operational"}]}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(settings, "today", "2026-06-30")


@pytest.fixture
def world_dir(tmp_path, monkeypatch):
    """West to East along the equator through Mid (Mid-East built from 2019, open since
    2023-10), or by a planned bypass north through DDD and EEE; a shipped scenario opens the
    bypass in 2027 and closes Mid-East."""
    world = equator_world()
    world["borders"] += [
        {"iso3": "DDD", "name": "Dland", "geometry": square(0, 1, 2, 2), **META},
        {"iso3": "EEE", "name": "Eland", "geometry": square(2, 1, 3, 2), **META}]
    world["places"].append(place("north", 1.5, 1.5, "DDD", **META))
    world["segments"][1].update(status="operational", lifecycle=[
        ev("2019", "construction_start", "under_construction", source=FORMULA),
        ev("2023-10", "opening", "operational")])
    world["segments"] += [
        {**seg("w-n", "west", "north", [[0.2, 0], [0.2, 1.5], [1.5, 1.5]], status="planned"),
         **META, "lifecycle": [ev("2025", "announced", "planned")]},
        {**seg("n-e", "north", "east", [[1.5, 1.5], [2.7, 1.5], [2.7, 0]], status="planned"),
         **META, "lifecycle": [ev("2025", "announced", "planned"),
                               ev("2030", "opening", "operational", kind="expected")]}]
    folder = write_world(tmp_path / "data", world)
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "bypass.yaml").write_text(yaml.safe_dump(BYPASS, allow_unicode=True))
    monkeypatch.setattr(settings, "data_dir", folder)
    return folder


def open_section(folder) -> AppTest:
    """The Compare page (West to East) with its "Through time" section drawn."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["from"] = "west"
    at.query_params["to"] = "east"
    at.session_state["map_widget"] = {"last_object_clicked_tooltip": None, "bounds": {
        "_southWest": {"lat": -2, "lng": -1}, "_northEast": {"lat": 3, "lng": 4}}}
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def choose(at: AppTest, **values) -> AppTest:
    """Set the section's controls (keys without their ``tt_`` prefix) and run; the dates of
    states ``a`` and ``b`` as a user picks them ("today", or a year then a month)."""
    dates = {k: values.pop(k) for k in ("a", "b") if k in values}
    for key, value in values.items():
        widget = next(w for kind in ("selectbox", "multiselect", "radio")
                      for w in getattr(at, kind) if w.key == f"tt_{key}")
        widget.set_value(value)
    at.run()
    for side, value in dates.items():
        choose_date(at, f"tt_{side}", value)
    assert not at.exception, [e.value for e in at.exception]
    return at


#: A column that only each of the section's tables has.
TABLES = {"tt_changes": "on_route", "tt_timeline": "kind"}


def table(at: AppTest, key: str):
    return next(d.value for d in at.dataframe if TABLES[key] in d.value.columns)


def sides(at: AppTest):
    [frame] = [t.value for t in at.table]
    return frame


def headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if " → " in m.value and "km" in m.value
                ).replace("\\", "")


def test_operational_only_finds_a_path_now_and_none_before_the_opening(world_dir):
    at = choose(open_section(world_dir), status=["operational"], a="2022-06", b="today")
    assert not at.error, [e.value for e in at.error]
    assert headline(at) == ("**a path appears, operational only: no path as of 2022-06-30 → "
                            "278 km via Bland as of 2026-06-30**")
    frame = sides(at)
    assert frame.loc["Path", "State A"] == "no path"
    assert frame.loc["Path", "State B"] == "found: AAA > BBB > CCC"
    assert frame.loc["Path", "Change B − A"] == "appears in B"
    now = geo.compare("west", "east", k=1, status=["operational"], as_of="today")[0]
    assert frame.loc["Length (best estimate)", "State B"] == f"{now['length_km']:,.0f} km"
    assert frame.loc["Length basis", "State B"] == "measured on the drawn line"
    assert frame.loc["Border crossings", "State B"] == "2: AAA → BBB, BBB → CCC"
    why = " ".join(c.value for c in at.caption if c.value.startswith("No path in state A"))
    assert "keeping only status operational" in why.replace("\\", "")
    changed = table(at, "tt_changes").set_index("segment")
    assert changed.loc["m-e", "status"] == (
        "under construction → operational: opening 2023-10 (happened)")
    assert changed.loc["m-e", "source"] == SRC and changed.loc["m-e", "on_route"] == "B"
    # the other way round: the path disappears
    at = choose(at, a="today", b="2022-06")
    assert sides(at).loc["Path", "Change B − A"] == "gone in B"


def test_a_scenario_changes_length_and_crossings_and_is_labelled_projected(world_dir):
    at = choose(open_section(world_dir), status=["operational"], a="today", b="2028-12",
                b_scenario="bypass")
    assert not at.error, [e.value for e in at.error]
    scenario = geo.load_scenario(world_dir / "scenarios" / "bypass.yaml",
                                 geo.load_segments(world_dir))
    expected = geo.compare_states(geo.State("today"), geo.State("2028-12", scenario),
                                  origin="west", destination="east", status=["operational"])
    a, b = expected["a"]["metrics"], expected["b"]["metrics"]
    assert b["segments"] == ["w-n", "n-e"] and len(b["border_crossings"]) == 3
    frame = sides(at)
    assert list(frame.columns) == ["State A", "State B (projected)", "Change B − A"]
    change = frame["Change B − A"]
    assert change["Length (best estimate)"] == _through_time.signed(
        b["length_km"] - a["length_km"], "km")
    assert change["Length (best estimate)"].startswith("+")
    assert change["Border crossings"] == "+1" and change["Path"] == "another path"
    assert frame.loc["Border crossings", "State B (projected)"] == (
        "3: AAA → DDD, DDD → EEE, EEE → CCC")
    text = headline(at)
    assert "via Bland as of 2026-06-30 → " in text
    assert ("via Dland and Eland as of 2028-12-31 (projected, scenario 'bypass opens 2027, "
            "Mid-East closes')") in text
    labels = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "State B: Statuses as of 2028-12-31, projected under scenario" in labels
    changed = table(at, "tt_changes").set_index("segment")
    assert changed.loc["m-e", "status"] == "operational → closed: scenario closure 2027-01"
    assert changed.loc["m-e", "source"] == ("scenario 'bypass opens 2027, Mid-East closes': "
                                            "a what-if closure")
    assert changed.loc["w-n", "on_route"] == "B" and changed.loc["m-e", "on_route"] == "A"
    timeline = table(at, "tt_timeline")
    kinds = dict(zip(timeline["date"] + " " + timeline["name"], timeline["kind"], strict=True))
    assert kinds["2030 n-e"] == "expected (replaced by the scenario)"
    assert kinds["2027-06 n-e"] == "scenario (projected)"
    assert kinds["2023-10 m-e"] == "happened"


def test_hostile_names_reach_the_page_as_text(world_dir):
    hostile = '<img src=x onerror="alert(1)"> **bold** [link](javascript:alert(2)) $x$'
    (world_dir / "scenarios" / "hostile.yaml").write_text(yaml.safe_dump(
        {**BYPASS, "name": hostile}, allow_unicode=True))
    at = choose(open_section(world_dir), status=["operational"], a="today", b="2028-12",
                b_scenario="hostile")
    assert not at.error, [e.value for e in at.error]
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    carrying = [t for t in shown if "alert" in t]
    assert len(carrying) >= 2  # the headline and state B's label
    for text in carrying:
        assert plain(hostile) in text  # every markdown character escaped
        assert not re.search(r"(?<!\\)[<>]", text)  # no bare angle bracket: no markup
        assert "](" not in text and "**bold" not in text


def _edit(at: AppTest, name: str, rows: list[dict]) -> AppTest:
    at.session_state["se_name_0"] = name
    at.session_state["se_table_0"] = {"edited_rows": {}, "added_rows": rows,
                                      "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_editor_names_the_table_row_of_each_problem(world_dir):
    at = _edit(open_section(world_dir), "broken", [
        {"segment": "w-n", "date": "2027-06", "event": "opening", "status": "operational"},
        {"segment": "n-e", "date": "2027-13", "event": "opening", "status": "operational"},
        {"segment": "m-e", "date": "2028", "event": "closure"}])
    [error] = [e.value for e in at.error]
    assert error.startswith("The scenario cannot be used yet: ")
    problems = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    found = {(r.record, r.field) for r in problems.itertuples()}
    assert found == {("2", "date"), ("3", "status")}
    assert "must be a date" in " ".join(problems["problem"])
    assert not [b for b in at.download_button if b.key == "se_download"]  # nothing to download


def test_the_downloaded_yaml_loads_as_the_edited_scenario_and_can_be_used(world_dir, tmp_path,
                                                                        monkeypatch):
    served: list[tuple[bytes, str]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, data, mimetype, kind, filename=None):
        served.append((data, filename))
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    rows = [{"segment": "w-n", "date": "2027-06", "event": "opening", "status": "operational",
             "note": "what-if: <b>soon</b> ${x}"},
            {"segment": "m-e", "date": "2027", "event": "closure", "status": "closed"}]
    at = _edit(open_section(world_dir), "Bypass «2027»", rows)
    assert not at.error, [e.value for e in at.error]
    # the Compare page also offers its time/cost assumptions as YAML; this is the other file
    [(data, filename)] = [(d, f) for d, f in served if str(f).endswith(".yaml")
                          and f != "assumptions-scenario.yaml"][-1:]
    assert filename == "bypass-2027.yaml"
    path = tmp_path / filename
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    loaded = geo.load_scenario(path, geo.load_segments(world_dir))
    edited = geo.scenario_from_dict({"name": "Bypass «2027»", "changes": rows},
                                    geo.load_segments(world_dir))
    assert (loaded.name, loaded.changes) == (edited.name, edited.changes)
    # "Use this scenario": every page can choose it; this section's state B takes it
    at.button(key="se_use").click().run()
    assert not at.exception
    assert at.session_state["scenario_yaml"] == geo.scenario_yaml(edited)
    assert at.selectbox(key="tt_b_scenario").value == "session"
    assert "edited in this session" in at.selectbox(key="tt_b_scenario").options
    labels = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "projected under scenario 'Bypass «2027»'" in labels


def test_a_named_route_and_its_timeline_as_csv(world_dir, monkeypatch):
    served = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, data, mimetype, kind, filename=None):
        served.append((data, filename))
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    at = choose(open_section(world_dir), what="route", a="2022-06", b="today")
    assert not at.error, [e.value for e in at.error]
    frame = sides(at)
    m = geo.route_metrics("w-e", as_of="2022-06")
    assert frame.loc["Operational", "State A"] == (
        f"{m['km_operational']:,.0f} km ({m['km_operational'] / m['length_km']:.0%})")
    assert frame.loc["In service end to end", "State A"] == "no"
    assert frame.loc["In service end to end", "State B"] == "yes"
    timeline = table(at, "tt_timeline")
    assert list(timeline["event"]) == ["construction_start", "opening"]
    assert list(timeline["source"]) == [FORMULA, SRC]
    [csv_text] = [d for d, f in served if f == "timeline-w-e.csv"][-1:]
    csv_text = csv_text.decode("utf-8") if isinstance(csv_text, bytes) else csv_text
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text


# ---------------------------------------------------------------------------------------------
# Shipped data, and the real app in Chromium


def test_baku_to_nakhchivan_by_rail_operational_only_under_the_shipped_scenario(shipped_dir,
                                                                               monkeypatch):
    monkeypatch.setattr(settings, "today", None)  # the real date: the README's example
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["from"] = "baku"
    at.query_params["to"] = "nakhchivan"
    at.run()
    at.switch_page(PAGE)
    at.run()
    at = choose(at, status=["operational"], mode=["rail"], a="2025-02", b="2028-12",
                b_scenario="rasht-astara-2028-julfa-2027")
    assert not at.error, [e.value for e in at.error]
    text = headline(at)
    assert text.startswith("**a path appears, operational only, rail: no path as of 2025-02-28 → ")
    assert text.endswith(" km via Iran as of 2028-12-31 (projected, scenario 'Rasht–Astara opens "
                         "2028-06, Julfa–Jolfa reopens 2027')**")
    changed = table(at, "tt_changes").set_index("segment")
    rasht = changed.loc["Rasht–Astara railway (INSTC missing link)"]
    assert rasht["status"] == "planned → operational: scenario opening 2028-06"
    assert rasht["on_route"] == "B"


PATHS = ".leaflet-overlay-pane path"


@pytest.mark.browser
def test_the_change_map_draws_and_redraws_with_one_legend(tmp_path, chromium_path):
    if not shipped_ready():
        pytest.skip("shipped data not present")
    sync_api = pytest.importorskip("playwright.sync_api")
    with running_app(tmp_path, hostile=False) as url, sync_api.sync_playwright() as pw:
        browser = launch(pw, tmp_path / "profile", chromium_path, width=1280, height=800)
        try:
            page = browser.page
            page.goto(f"{url}/compare?from=baku&to=nakhchivan")
            page.get_by_text("alternative(s):").first.wait_for(timeout=90_000)
            page.get_by_role("link", name="Through time").click()
            frame = page.frame_locator(FRAME).first  # the page's one map: what changed
            legend = frame.locator(".ce-change-legend")
            legend.wait_for(timeout=90_000)
            assert "A: as of" in legend.text_content()
            assert "B: as of" in legend.text_content() and "(projected)" in legend.text_content()
            # changed segments in their B colour, the path of A dashed over the path of B
            operational = frame.locator(f'{PATHS}[stroke="{CHANGE_COLORS["operational"]}"]')
            assert operational.count() > 0
            dashed_a = frame.locator(f'{PATHS}[stroke-dasharray="{STATE_STYLES["A"]["dashArray"]}"]')
            assert dashed_a.count() >= 1
            # the general legend is folded while this one explains the map
            assert frame.locator(".ce-legend:not(.ce-change-legend) details[open]").count() == 0
            # state B back to today: nothing changed, the map redraws with one legend
            page.locator(".st-key-tt_b_fixed").get_by_role("radio", name="Today").click()
            page.get_by_text("0 segment(s) whose status differs").wait_for(timeout=60_000)
            operational.first.wait_for(state="detached", timeout=30_000)
            assert frame.locator(".ce-change-legend").count() == 1
            assert frame.locator(f"{PATHS}").count() > 20  # the rest of the network, in grey
            browser.assert_clean()
        finally:
            browser.context.close()


def test_compare_does_not_compute_through_time_and_the_page_does(world_dir):
    def keys(at: AppTest) -> set[str]:
        return {w.key for kind in ("selectbox", "select_slider", "multiselect", "radio")
                for w in getattr(at, kind) if w.key}

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(COMPARE)
    at.run()
    assert "w_from" in keys(at) and not any(k.startswith("tt_") for k in keys(at))
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "w_from" not in keys(at) and any(k.startswith("tt_") for k in keys(at))
