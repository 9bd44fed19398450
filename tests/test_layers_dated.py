"""Segment popups and tooltips (length basis, old status records) and a corridor layer that
follows a date control: built from hand-made data and read back, and run in Chromium."""

from __future__ import annotations

import json

import pytest
from helpers import dated_equator_world, write_world

import geo
import layers
from geo import settings, style
from layers.corridors import STATUS_CLOSE, STATUS_OPEN

HOSTILE = '</script><img src=x onerror="window.__pwned=1">`${x}`{{7*7}}'
ALL_STATUSES = list(style.STATUS_DASH)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(settings, "today", "2026-06-30")


@pytest.fixture
def dated_world(tmp_path):
    """w-m: operational, recorded 2026-05-01 (fresh). m-e: built from 2020, opened 2024-05,
    expected to close in 2028; its record is dated 2025-06-01 (older than 183 days)."""
    world = dated_equator_world("2025-06-01")
    world["segments"][0].update(as_of="2026-05-01")
    return write_world(tmp_path / "d", world)


def with_lengths(folder):
    """The segments with the columns of geo.segment_metrics the popups use."""
    segments = geo.load_segments(folder)
    return segments.join(geo.segment_metrics(folder)[["length_km", "best_km", "basis"]])


def features(layer) -> dict[str, dict]:
    return {f["properties"]["i"]: f for f in json.loads(layer.data_js)["features"]}


def dated_statuses(folder, options=("", "2022-06", "2029-01"), **kw) -> layers.DatedStatuses:
    frames = tuple(geo.segments_at(folder, o or None)[["status", "status_projected",
                                                       "status_basis"]] for o in options)
    labels = tuple(geo.when_text(o or None) for o in options)
    return layers.DatedStatuses(options=tuple(options), labels=labels, frames=frames, **kw)


def restyle_data(layer) -> dict:
    """The status table the restyle script carries (decoded from its code)."""
    (script,) = [c for c in layer._children.values() if isinstance(c, layers._features.Script)]
    start = script.raw.index("T = ") + 4
    return json.JSONDecoder().raw_decode(script.raw[start:])[0]


# ---------------------------------------------------------------------------------------------
# Popups and tooltips


def test_popup_gives_each_length_with_its_basis(dated_world):
    segments = with_lengths(dated_world)
    segments.loc["m-e", ["best_km", "basis"]] = [164.0, "chainage"]
    feats = features(layers.corridor_layer(segments))
    measured = geo.distance_km(1.5, 0, 2.7, 0)
    assert (f"<dt>Length</dt><dd>164 km (published chainage; {measured:,.0f} km measured on "
            "the drawn line)</dd>") in feats["m-e"]["properties"]["p"]
    drawn = geo.distance_km(0.2, 0, 1.5, 0)
    assert (f"<dt>Length</dt><dd>{drawn:,.0f} km (measured on the drawn line)</dd>"
            in feats["w-m"]["properties"]["p"])
    # without the measures (a frame straight from the loader) there is no length row
    plain = features(layers.corridor_layer(geo.load_segments(dated_world)))
    assert "<dt>Length</dt>" not in plain["m-e"]["properties"]["p"]


def test_an_old_status_record_is_flagged_in_popup_tooltip_and_legend(dated_world):
    segments = with_lengths(dated_world)
    feats = features(layers.corridor_layer(segments))
    old, fresh = feats["m-e"]["properties"], feats["w-m"]["properties"]
    assert "may be out of date (status as of 2025-06-01)" in old["p"]
    assert "may be out of date" in old["t"]
    assert "may be out of date" not in fresh["p"] + fresh["t"]
    legend = layers.legend_for(segments=segments)
    assert f"older than {settings.stale_after_days} days" in legend
    assert "out of date" not in layers.legend_for(segments=segments.loc[["w-m"]])


def test_the_flag_follows_the_threshold_setting(dated_world, monkeypatch):
    monkeypatch.setattr(settings, "stale_after_days", 400)
    feats = features(layers.corridor_layer(with_lengths(dated_world)))
    assert "may be out of date" not in feats["m-e"]["properties"]["p"]


def test_hostile_segment_text_stays_escaped_in_popups_and_tooltips(dated_world):
    segments = with_lengths(dated_world)
    for column in ("name", "source", "notes", "accuracy", "mode", "status", "status_basis"):
        segments[column] = HOSTILE
    segments["as_of"] = HOSTILE  # not a date: no flag, and no error
    for layer in (layers.corridor_layer(segments),
                  layers.corridor_layer(segments, dated=dated_statuses(dated_world))):
        for feat in features(layer).values():
            for key in ("p", "t"):
                html = feat["properties"][key]
                assert "<img" not in html and "<script" not in html.lower()
                assert "`" not in html and "${" not in html and "{{" not in html
                assert "&lt;img src=x" in html
        assert "<img" not in layer.data_js and "</script" not in layer.data_js


# ---------------------------------------------------------------------------------------------
# A layer that follows a date control


def test_a_dated_layer_holds_each_dates_status(dated_world):
    layer = layers.corridor_layer(with_lengths(dated_world), dated=dated_statuses(dated_world))
    data = restyle_data(layer)
    assert data["o"] == ["", "2022-06", "2029-01"] and data["p"] == "asof"
    assert data["l"] == ["Statuses as recorded", "Statuses as of 2022-06-30",
                         "Statuses as of 2029-01-31, projected from expected dates"]
    runs = features(layer)["m-e"]["properties"]["d"]

    def state(i):
        return data["st"][[s for start, s in runs if start <= i][-1]]

    assert [state(i)["k"] for i in range(3)] == ["operational", "under_construction", "closed"]
    _, styles = json.loads(layer.data_js), json.loads(layer.styles_js)
    assert styles[state(1)["s"]]["dashArray"] == style.STATUS_DASH["under_construction"]
    assert "construction start 2020 (happened)" in state(1)["h"]
    assert state(2)["h"].startswith("closed, projected")
    # 2022 lies before the record's date (2025-06-01): no flag; as recorded and in 2029: flag
    assert "out of date" not in state(1)["h"]
    assert "out of date" in state(0)["h"] and "out of date" in state(2)["t"]
    # before the script runs, the popup shows the first option's status
    popup = features(layer)["m-e"]["properties"]["p"]
    assert f"{STATUS_OPEN}operational" in popup and STATUS_CLOSE in popup


def test_a_dated_layer_lists_every_status_any_date_gives(dated_world):
    dated = dated_statuses(dated_world, options=("", "2019-06", "2022-06", "2029-01"))
    assert dated.statuses() == ["operational", "under_construction", "closed",
                                "not_yet_announced"]
    with pytest.raises(ValueError, match="one of each per option"):
        layers.DatedStatuses(options=("",), labels=(), frames=())


def test_legend_rows_carry_their_status_and_the_date_line(dated_world):
    html = layers.legend_for(segments=geo.load_segments(dated_world),
                             when="Statuses as of 2029-01-31, projected from expected dates",
                             statuses=ALL_STATUSES)
    assert ('<p class="ce-when" data-ce-when>Statuses as of 2029-01-31, projected from expected '
            'dates</p>') in html
    for status in ALL_STATUSES:
        assert f'data-ce-status="{status}"' in html
    assert "data-ce-when" not in layers.legend_for(segments=geo.load_segments(dated_world))


def test_html_map_of_a_date_says_it_in_the_legend(dated_world):
    frames = geo.map_frames(routes=["w-e"], as_of="2022-06", data_dir=dated_world)
    page = layers.to_html(layers.build_map(**frames, when=geo.when_text("2022-06")))
    assert "Statuses as of 2022-06-30" in page
    assert "construction start 2020 (happened)" in page  # the status's basis in the popup
    assert "__ceRestyleGen" not in page  # a file shows its one date: nothing restyles it


# ---------------------------------------------------------------------------------------------
# In the browser

COUNT_DASHES = """() => { const c = {};
  document.querySelectorAll('.leaflet-overlay-pane path[stroke-dasharray]').forEach(p => {
    const k = p.getAttribute('stroke-dasharray'); c[k] = (c[k] || 0) + 1; });
  return c; }"""


@pytest.fixture
def page(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    from _appbrowser import CHROMIUM_ARGS

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True,
                                     args=CHROMIUM_ARGS)
        tab = browser.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield tab, errors
        browser.close()


@pytest.mark.browser
def test_the_map_restyles_when_the_address_names_another_date(dated_world, page, tmp_path):
    tab, errors = page
    segments = with_lengths(dated_world)
    dated = dated_statuses(dated_world)
    legend = layers.legend_for(segments=segments, when=dated.labels[0], statuses=ALL_STATUSES)
    m = layers.base_map(borders=geo.load_borders(dated_world), legend=legend,
                        bounds=((-1, 0), (1, 3)))
    for group in layers.overlay_groups(segments=segments, show={"corridors"}, dated=dated):
        group.add_to(m)
    out = tmp_path / "map.html"
    out.write_text(layers.to_html(m), encoding="utf-8")

    tab.goto(f"{out.as_uri()}?asof=2022-06")
    tab.wait_for_function("() => window.__ceStatusesShown === '2022-06'")
    assert tab.evaluate(COUNT_DASHES) == {style.STATUS_DASH["under_construction"]: 1}
    when = tab.locator(".ce-legend [data-ce-when]")
    assert when.text_content() == "Statuses as of 2022-06-30"
    visible = tab.eval_on_selector_all(
        ".ce-legend [data-ce-status]",
        "rows => rows.filter(r => r.style.display !== 'none').map(r => r.dataset.ceStatus)")
    assert visible == ["operational", "under_construction"]

    # the page's address changes (as the app's does when the date control moves)
    tab.evaluate("() => history.replaceState(null, '', '?asof=2029-01')")
    tab.wait_for_function("() => window.__ceStatusesShown === '2029-01'")
    assert tab.evaluate(COUNT_DASHES) == {style.STATUS_DASH["closed"]: 1}
    assert when.text_content() == "Statuses as of 2029-01-31, projected from expected dates"
    tab.evaluate("() => { const l = Object.values(window).find(v => v && v.getLayers &&"
                 " v.feature === undefined && v.getLayers().some(x => x.feature &&"
                 " x.feature.properties.i === 'm-e'));"
                 " l.getLayers().find(x => x.feature.properties.i === 'm-e').openPopup(); }")
    popup = tab.locator(".leaflet-popup-content").inner_text()
    assert "closed, projected" in popup and "expected closure 2028" in popup
    assert "may be out of date (status as of 2025-06-01)" in popup

    tab.evaluate("() => history.replaceState(null, '', '?')")  # as recorded
    tab.wait_for_function("() => window.__ceStatusesShown === ''")
    assert tab.evaluate(COUNT_DASHES) == {}  # both operational: solid lines
    assert when.text_content() == "Statuses as recorded"
    assert errors == []


@pytest.mark.browser
def test_the_status_filter_hides_segments_by_their_status_on_the_date(dated_world, page,
                                                                      tmp_path):
    tab, errors = page
    dated = dated_statuses(dated_world, allowed=("under_construction",))
    m = layers.base_map(borders=geo.load_borders(dated_world), bounds=((-1, 0), (1, 3)))
    for group in layers.overlay_groups(segments=with_lengths(dated_world), show={"corridors"},
                                       dated=dated):
        group.add_to(m)
    out = tmp_path / "map.html"
    out.write_text(layers.to_html(m), encoding="utf-8")
    lines = "() => document.querySelectorAll('.leaflet-overlay-pane path').length"
    tab.goto(f"{out.as_uri()}?asof=2022-06")
    tab.wait_for_function("() => window.__ceStatusesShown === '2022-06'")
    assert tab.evaluate(lines) == 1  # m-e, under construction in 2022; w-m is hidden
    tab.evaluate("() => history.replaceState(null, '', '?asof=2029-01')")
    tab.wait_for_function("() => window.__ceStatusesShown === '2029-01'")
    assert tab.evaluate(lines) == 0
    assert errors == []
