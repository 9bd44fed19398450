"""The claim list beside the map and the Compare table, in the real app in headless Chromium.

The claim list shows each claim as it is in the data (id, verdict word and colour, who said it
and when) and stays in step with the map both ways; the Compare table keeps time and cost in
view at 1280 px and a click on a row zooms the map to that alternative. Screenshots at 1280x800
and 1920x1080 are kept as artefacts (``_appbrowser.save_screenshot``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from _appbrowser import (
    DRAWN,
    FRAME,
    HOSTILE_ID,
    HOSTILE_QUOTE,
    ROW_PX,
    launch,
    save_screenshot,
)

import geo

pytestmark = pytest.mark.browser

# A claim marker in view and not under a control or a popup, preferring the one furthest
# down the claim list (so that choosing it must scroll the list): its claim id.
MARKER_IN_VIEW = """(_, order) => { const ids = [...document.querySelectorAll('.ce-claim [data-claim]')]
  .filter(e => { const r = e.getBoundingClientRect(); const x = r.left + r.width / 2,
    y = r.top + r.height / 2; return x > 0 && y > 0 && x < innerWidth && y < innerHeight
    && e.contains(document.elementFromPoint(x, y)); }).map(e => e.dataset.claim);
  ids.sort((a, b) => order.indexOf(b) - order.indexOf(a)); return ids[0] || null; }"""
CAUCASUS = "44.0,37.5,50.5,41.5"
BOUNDS = ("() => { const b = window.map_div.getBounds();"
          " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")


@pytest.fixture
def small(pw, chromium_path, tmp_path):
    """A 1280x800 window, the smallest the app is laid out for."""
    b = launch(pw, tmp_path / "profile", chromium_path, width=1280, height=800)
    try:
        yield b
    finally:
        b.context.close()


def claims_in_list_order() -> list[str]:
    return list(geo.claims_gdf()["claim_id"])


def in_view(locator) -> bool:
    """Whether the element's box lies inside the window (no page scrolling needed)."""
    return locator.evaluate("e => { const r = e.getBoundingClientRect();"
                            " return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight"
                            " && r.right <= innerWidth; }")


def shown_in_list(page, claim_id: str) -> bool:
    """Whether the row of ``claim_id`` is scrolled into the claim list's visible part."""
    return page.locator(f'.ce-cl-row[data-claim="{claim_id}"]').evaluate(
        "row => { const list = row.closest('.ce-cl'); const top = row.offsetTop - list.scrollTop;"
        " return top >= 0 && top < list.clientHeight - 20; }")


def test_claim_rows_show_id_verdict_who_and_when(app_url, small):
    small.open_map(app_url)
    page = small.page
    rows = page.locator(".ce-cl-row")
    rows.first.wait_for(timeout=30_000)
    claims = geo.claims_gdf().set_index("claim_id")
    assert rows.count() == len(claims) + 1  # and the hostile one
    for cid in (claims.index[0], "jpost-13", claims.index[-1]):
        row = page.locator(f'.ce-cl-row[data-claim="{cid}"]')
        claim = claims.loc[cid]
        assert row.locator(".ce-cl-id").inner_text() == cid
        chip = row.locator(".ce-cl-verdict")
        assert chip.inner_text() == geo.style.VERDICT_LABELS[claim["verdict"]]
        color = geo.style.VERDICT_COLORS[claim["verdict"]]
        rgb = "rgb({}, {}, {})".format(*(int(color[i:i + 2], 16) for i in (1, 3, 5)))
        assert chip.evaluate("e => getComputedStyle(e).backgroundColor") == rgb
        meta = row.locator(".ce-cl-meta").inner_text()
        assert meta.startswith(claim["who"]) and claim["publication"] in meta
        # the article's date (or "undated"), and the event's date where the claim gives one
        assert (claim["article_date"] in meta) if claim["article_date"] else ("undated" in meta)
        assert (f"event {claim['date']}" in meta) == bool(claim["date"])
        quote = row.locator(".ce-cl-quote")  # the claim's own words, wrapped, never cut
        assert claim["quote"] in quote.inner_text()
        assert quote.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    hostile = page.locator(f'.ce-cl-row[data-claim="{HOSTILE_ID}"]')
    assert HOSTILE_QUOTE in hostile.inner_text()  # article text as text, never markup
    assert hostile.locator("img").count() == 0
    assert hostile.locator(".ce-cl-quote").evaluate("e => e.children.length") == 0  # text only
    small.assert_clean()


def popup_in_view(browser, text: str) -> bool:
    """Whether the map's open popup shows ``text`` inside the window (the map's frame placed
    in the page)."""
    frame = browser.page.locator(FRAME).first.bounding_box()
    box = browser.frame.locator(".leaflet-popup-content dd", has_text=text[:40]).first.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {x: r.left, y: r.top, w: r.width, h: r.height}; }")
    left, top = frame["x"] + box["x"], frame["y"] + box["y"]
    return left >= 0 and top >= 0 and left + box["w"] <= 1280 and top + box["h"] <= 800


def test_clicking_a_marker_selects_and_scrolls_to_its_row(app_url, small):
    small.open_map(f"{app_url}/?extent={CAUCASUS}")  # claim markers spread, not clustered
    page = small.page
    page.locator(".ce-cl-row").first.wait_for(timeout=30_000)
    claim_id = small.frame.locator("body").evaluate(MARKER_IN_VIEW, claims_in_list_order())
    assert claim_id, "no claim marker in view"
    assert not shown_in_list(page, claim_id)  # far down the list: it has to scroll
    small.frame.locator(f'.ce-claim [data-claim="{claim_id}"]').click()
    page.wait_for_url(f"**claim={claim_id}**", timeout=30_000)
    row = page.locator(f'.ce-cl-row.ce-cl-chosen[data-claim="{claim_id}"]')
    row.wait_for(timeout=30_000)
    page.wait_for_timeout(300)
    assert page.locator(".ce-cl-chosen").count() == 1
    assert shown_in_list(page, claim_id)
    evidence = row.locator(".ce-cl-detail p").first  # the detail opens in place
    text = str(geo.claims_gdf().set_index("claim_id").at[claim_id, "evidence"])
    assert evidence.inner_text() == f"Evidence: {text}"
    # and is in the window at 1280x800 without scrolling: in the list where it sits beside
    # the map, else (the list below the map) in the marker's popup, with the same labels
    assert in_view(evidence) or popup_in_view(small, text)
    save_screenshot(page, "claims-marker-clicked-1280x800")
    small.assert_clean()


def test_clicking_a_row_opens_its_marker_on_the_map(app_url, small):
    small.open_map(app_url)
    page = small.page
    zoom = small.frame.locator("body").evaluate("() => window.map_div.getZoom()")
    row = page.locator('.ce-cl-row[data-claim="jpost-13"]')
    row.wait_for(timeout=30_000)
    row.evaluate("e => e.click()")  # as a user would, without scrolling the page first
    page.wait_for_url("**claim=jpost-13**", timeout=30_000)
    popup = small.frame.locator(".leaflet-popup-content")
    popup.first.wait_for(timeout=30_000)
    assert "Claim jpost-13" in popup.first.inner_text()
    assert small.frame.locator(".ce-open").count() == 1  # its marker (or cluster) outlined
    assert small.frame.locator("body").evaluate("() => window.map_div.getZoom()") == zoom
    page.locator('.ce-cl-row.ce-cl-chosen[data-claim="jpost-13"]').wait_for(
        state="attached", timeout=30_000)
    small.assert_clean()


def test_compare_table_fits_1280_and_a_row_zooms_the_map(app_url, small):
    page = small.page
    page.goto(f"{app_url}/compare?from=baku&to=nakhchivan&k=3")
    page.get_by_text("alternative(s):").first.wait_for(timeout=90_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    # the grid renders the headers of the columns in view: time and cost are among them,
    # and so is the column after them, so they are wholly in view without scrolling sideways
    headers = grid.locator('[role="columnheader"]')
    headers.first.wait_for(state="attached", timeout=30_000)
    shown = headers.all_inner_texts()
    for label in ("Length (km)", "Time (h)", "Range (h)", "Cost (USD/TEU)",
                  "Range (USD/TEU)", "Length basis"):
        assert label in shown, shown
    assert "Transship." not in shown  # the grid shows what is in view only: the test can fail
    box = grid.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    save_screenshot(page, "compare-table-1280x800")
    # a click on the third row draws that alternative on the map and zooms to it
    results = geo.compare("baku", "nakhchivan", k=3)
    segments = geo.load_segments()
    west, south, east, north = segments.loc[results[2]["segments"]].total_bounds
    body = small.frame.locator("body")
    small.frame.locator(DRAWN).first.wait_for(state="attached", timeout=60_000)
    before = body.evaluate(BOUNDS)
    page.mouse.click(box["x"] + 16, box["y"] + ROW_PX * 3.5)
    choice = page.get_by_role("radio", name="Alternative 3")
    page.wait_for_function("e => e.checked", arg=choice.element_handle(), timeout=30_000)
    bounds = before
    for _ in range(150):  # the map is drawn again, fitted to the alternative
        page.wait_for_timeout(200)
        try:
            bounds = body.evaluate(BOUNDS)
        except Exception:  # noqa: BLE001 - the map frame is being replaced
            continue
        if bounds != before:
            break
    w, s, e, n = bounds
    assert w <= west and s <= south and e >= east and n >= north, (bounds, (west, south, east,
                                                                           north))
    assert (e - w) < 3 * (east - west) + 1  # zoomed to it, not the whole region
    small.assert_clean()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1920, 1080)])
def test_screenshots_of_the_claim_list_with_verdicts(app_url, pw, chromium_path, tmp_path,
                                                     width, height):
    browser = launch(pw, tmp_path / "shots", chromium_path, width=width, height=height)
    try:
        browser.open_map(f"{app_url}/?claim=jpost-14")
        page = browser.page
        chosen = page.locator('.ce-cl-row.ce-cl-chosen[data-claim="jpost-14"]')
        chosen.wait_for(timeout=30_000)
        page.wait_for_timeout(800)
        save_screenshot(page, f"map-claims-{width}x{height}")
        if not in_view(chosen.locator(".ce-cl-verdict")):  # the list is below the map
            page.locator(".ce-cl").scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            save_screenshot(page, f"map-claims-list-{width}x{height}")
        assert in_view(chosen.locator(".ce-cl-verdict")) and in_view(chosen.locator(".ce-cl-id"))
        page.goto(f"{app_url}/compare?from=baku&to=nakhchivan&k=3")
        page.get_by_text("alternative(s):").first.wait_for(timeout=90_000)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=30_000)
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        save_screenshot(page, f"compare-{width}x{height}")
        browser.assert_clean()
    finally:
        browser.context.close()


def test_who_says_what_shows_a_topic_its_chart_filters_and_keeps_them_in_the_link(
        app_url, browser, pw, chromium_path, tmp_path):
    page = browser.page
    page.goto(f"{app_url}/who-says-what?topic=rasht-astara-length")
    page.get_by_role("heading", name="Who says what").wait_for(timeout=90_000)
    rows = geo.claims_on_topic("rasht-astara-length")
    every, left = len(rows), len(rows[rows["outlet_country"] != "RUS"])
    others = sorted(set(rows["outlet_country"].dropna()) - {"RUS"})
    assert 0 < left < every and others
    page.get_by_text(f"{every} of {every} claim(s)").wait_for(timeout=60_000)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for(timeout=60_000)
    marks = chart.locator("canvas, svg")
    marks.first.wait_for(timeout=30_000)
    assert marks.first.bounding_box()["height"] > 150  # the chart is drawn, not an empty box
    page.frame_locator(FRAME).first.locator(DRAWN).first.wait_for(timeout=90_000)  # the map
    # one outlet country off: fewer claims, and the address says which remain
    group = page.locator('[data-testid="stButtonGroup"]').filter(has_text="RUS").first
    group.get_by_text("RUS", exact=True).click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("wctry")
                      == [",".join(others)], timeout=60_000)
    page.get_by_text(f"{left} of {every} claim(s)").wait_for(timeout=60_000)
    save_screenshot(page, "who-says-what-1280x800")
    browser.assert_clean()
    fresh = launch(pw, tmp_path / "again", chromium_path, width=1280, height=800)
    try:  # the link, in a new browser: the same topic and filter
        fresh.page.goto(page.url)
        fresh.page.get_by_text(f"{left} of {every} claim(s)").wait_for(timeout=90_000)
        fresh.assert_clean()
    finally:
        fresh.context.close()
