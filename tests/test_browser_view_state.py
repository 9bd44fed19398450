"""One view state everywhere, the date control and downloads that match the screen, in the
real app in Chromium (every non-loopback request blocked; see ``_appbrowser``).

* A link with a date, extent, routes, layers, a claim, the Compare form and Through time's
  two states keeps all of it from page to page, and back on the map the same extent.
* A link reopened shows the same extent at the same zoom (it used to open one step wider).
* Through time keeps its two states in the address; the Compare form survives a page switch
  made while its run is going on.
* The date control: a year then a month, the step buttons, "Today", play and pause.
* A download clicked right after an option change is the file of the new options.
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from _appbrowser import DRAWN, launch, save_screenshot

import geo
from app_pages import _when

pytestmark = pytest.mark.browser

MATCH = "The files below match the options above."
VIEW = "() => { const m = window.map_div, b = m.getBounds();" \
       " return [m.getZoom(), b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def wait_query(page, wanted: dict[str, str], timeout_s: float = 60) -> dict[str, str]:
    """Wait until the address holds every ``wanted`` parameter with its value."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = query(page)
        if all(now.get(k) == v for k, v in wanted.items()):
            return now
        page.wait_for_timeout(100)
    missing = {k: (v, query(page).get(k)) for k, v in wanted.items() if query(page).get(k) != v}
    msg = f"{page.url}: (wanted, found) {missing}"
    raise AssertionError(msg)


def near(a, b, pixels: float = 6) -> bool:
    """Whether two extents (``[w, s, e, n]`` or their text) are the same up to a few pixels of
    the map (the extent in the address is rounded, and a map is placed on whole pixels)."""
    a, b = ([float(v) for v in (x.split(",") if isinstance(x, str) else x)] for x in (a, b))
    tolerance = (a[2] - a[0]) / 900 * pixels  # the map is about 900 px wide
    assert all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=True)), (a, b)
    return True


def settled_view(browser, timeout_s: float = 60) -> tuple[list[float], str]:
    """The map's zoom and bounds once they stay put for a second (the page around the map
    has its final layout, the map its size) and the address holds them; and that extent."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        browser.wait_idle()
        view = browser.frame.locator("body").evaluate(VIEW)
        extent = query(browser.page).get("extent", "")
        shown = ",".join(f"{v:.2f}" for v in view[1:])
        if view == last and extent == shown:
            return view, extent
        last = view
        browser.page.wait_for_timeout(1000)
    msg = f"the map did not settle: {last} shown, {query(browser.page).get('extent')} in the link"
    raise AssertionError(msg)


def shown(page, prefix: str) -> str:
    """What the date control ``prefix`` shows: its chosen button, or "YEAR Mon"."""
    chosen = page.locator(f".st-key-{prefix}_fixed [role='radio'][aria-checked='true']")
    if chosen.count():
        return chosen.first.inner_text().strip()
    year = page.locator(f".st-key-{prefix}_year input").input_value()
    month = page.locator(f".st-key-{prefix}_month input").input_value()
    return f"{year} {month}"


def expect_shown(page, prefix: str, wanted: str, timeout_s: float = 30) -> None:
    """Wait until the date control ``prefix`` shows ``wanted`` (see :func:`shown`)."""
    page.locator(f".st-key-{prefix}_year input").wait_for(timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    while shown(page, prefix) != wanted and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert shown(page, prefix) == wanted


def pick(page, prefix: str, box: str, option: str) -> None:
    """Choose ``option`` in the date control's year or month box (``box``)."""
    page.locator(f".st-key-{prefix}_{box} [data-testid='stSelectbox']").click()
    page.get_by_role("option", name=option, exact=True).click()


def statuses_shown(browser, month: str, timeout_ms: int = 30_000) -> None:
    """Wait until the map shows the statuses of ``month`` ('' = as recorded)."""
    got = browser.frame.locator("body").evaluate(
        "(_, [m, limit]) => new Promise(r => { const start = performance.now(); const t = () =>"
        " (window.__ceStatusesShown === m || performance.now() - start > limit)"
        " ? r(window.__ceStatusesShown) : requestAnimationFrame(t); t(); })", [month, timeout_ms])
    assert got == month, f"the map shows the statuses of {got!r}, not {month!r}"


def test_a_link_keeps_the_whole_view_on_every_page(app_url, browser):
    routes = list(geo.load_routes().index[:2])
    claim = "jpost-13"
    link = {"asof": "2018-01", "extent": "40.00,35.00,52.00,43.00", "routes": ",".join(routes),
            "layers": "claims,corridors,routes", "claim": claim, "from": "baku",
            "to": "nakhchivan", "k": "2", "rank": "time", "avoid": "ARM", "ta": "2020-03",
            "tb": "2027-06"}
    page = browser.page
    browser.open_map(f"{app_url}/?{urlencode(link)}")
    kept = {k: v for k, v in link.items() if k != "extent"}  # the map reports what it shows
    first = wait_query(page, kept)
    assert first["extent"]
    expect_shown(page, "w", "2018 Jan")
    statuses_shown(browser, "2018-01")
    browser.frame.get_by_text(f"Claim {claim}").first.wait_for(timeout=30_000)
    before, extent = settled_view(browser)

    page.get_by_role("link", name="Compare routes").click()
    page.get_by_text("alternative(s): Baku").first.wait_for(timeout=90_000)
    wait_query(page, kept)
    assert near(query(page)["extent"], extent)
    expect_shown(page, "c", "2018 Jan")
    page.get_by_text("Statuses as of 2018-01-31").first.wait_for(timeout=30_000)
    assert page.get_by_role("radio", name="time").is_checked()
    assert "ARM" in page.locator('[data-testid="stForm"]').inner_text()

    page.get_by_role("link", name="Through time").click()
    page.locator(".st-key-tt_b_year").wait_for(timeout=90_000)
    wait_query(page, kept)
    assert near(query(page)["extent"], extent)
    expect_shown(page, "tt_a", "2020 Mar")
    expect_shown(page, "tt_b", "2027 Jun")

    page.get_by_role("link", name="Claims").click()
    page.get_by_role("heading", name="Claims", exact=True).first.wait_for(timeout=90_000)
    wait_query(page, kept)
    assert near(query(page)["extent"], extent)

    page.get_by_role("link", name="Export").click()
    page.get_by_text(MATCH).wait_for(timeout=120_000)
    wait_query(page, kept)
    assert near(query(page)["extent"], extent)
    expect_shown(page, "x", "2018 Jan")
    assert all(r in page.locator('[data-testid="stMultiSelect"]').first.inner_text()
               for r in routes)

    page.get_by_role("link", name="Map").first.click()
    browser.frame.locator(DRAWN).first.wait_for(timeout=90_000)
    wait_query(page, kept)
    after, _ = settled_view(browser)  # (the map takes its height from the window first)
    assert after[0] == before[0], f"zoom {before[0]} before the pages, {after[0]} after"
    assert near(after[1:], before[1:], pixels=15)  # the claim's popup may nudge it
    assert page.get_by_role("checkbox", name="Places").is_checked() is False
    expect_shown(page, "w", "2018 Jan")
    statuses_shown(browser, "2018-01")
    browser.assert_clean()


def test_a_reopened_link_shows_the_same_extent(app_url, pw, chromium_path, tmp_path):
    url = f"{app_url}/?extent=40.00,35.00,52.00,43.00"
    views = []
    for n in range(3):  # the link, then the link it gave, twice
        browser = launch(pw, tmp_path / f"fresh{n}", chromium_path, width=1280, height=800)
        try:
            browser.open_map(url)
            view, extent = settled_view(browser)
            views.append(view)
            url = f"{app_url}/?extent={extent}"
            browser.assert_clean()
        finally:
            browser.context.close()
    (z1, *box1), (z2, *box2) = views[1:]
    assert z2 == z1, f"reopened at zoom {z2}, first shown at {z1}"
    assert near(box1, box2)


def test_through_time_keeps_its_two_states_in_the_link(app_url, browser, pw, chromium_path,
                                                       tmp_path):
    page = browser.page
    page.goto(f"{app_url}/through-time?from=baku&to=nakhchivan")
    page.locator(".st-key-tt_a_year").wait_for(timeout=90_000)
    pick(page, "tt_a", "year", "2020")
    wait_query(page, {"ta": "2020-01"})
    pick(page, "tt_a", "month", "Mar")
    wait_query(page, {"ta": "2020-03"})
    page.locator(".st-key-tt_b_fixed").get_by_role("radio", name="Today").click()
    link = wait_query(page, {"ta": "2020-03", "tb": "today", "from": "baku"})
    page.get_by_text("as of 2020-03-31").first.wait_for(timeout=60_000)
    browser.assert_clean()

    fresh = launch(pw, tmp_path / "fresh", chromium_path, width=1280, height=800)
    try:
        fresh.page.goto(f"{app_url}/through-time?{urlencode(link)}")
        fresh.page.locator(".st-key-tt_a_year").wait_for(timeout=90_000)
        fresh.page.get_by_text("as of 2020-03-31").first.wait_for(timeout=60_000)
        expect_shown(fresh.page, "tt_a", "2020 Mar")
        expect_shown(fresh.page, "tt_b", "Today")
        fresh.assert_clean()
    finally:
        fresh.context.close()


def test_the_compare_form_survives_a_page_switch_during_its_run(app_url, browser):
    page = browser.page
    page.goto(f"{app_url}/compare?from=baku&to=nakhchivan")
    page.get_by_text("alternative(s):").first.wait_for(timeout=90_000)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_text("time", exact=True).click()
    form.locator('[data-testid="stMultiSelect"]').filter(has_text="Avoid countries").click()
    page.keyboard.type("GEO")
    page.get_by_role("option", name="GEO", exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Compare").click()
    page.get_by_role("link", name="Claims").click()  # at once: the Compare run is going on
    page.get_by_role("heading", name="Claims", exact=True).first.wait_for(timeout=90_000)
    wait_query(page, {"rank": "time", "avoid": "GEO"})
    page.get_by_role("link", name="Compare routes").click()
    page.get_by_text("alternative(s):").first.wait_for(timeout=90_000)
    wait_query(page, {"rank": "time", "avoid": "GEO"})
    assert page.get_by_role("radio", name="time").is_checked()
    assert "GEO" in form.inner_text()
    browser.assert_clean()


def test_the_date_control_picks_a_month_steps_and_plays(app_url, browser):
    page = browser.page
    browser.open_map(app_url)
    expect_shown(page, "w", "As recorded")
    statuses_shown(browser, "")
    pick(page, "w", "year", "2018")  # a year, then a month
    wait_query(page, {"asof": "2018-01"})
    pick(page, "w", "month", "Mar")
    wait_query(page, {"asof": "2018-03"})
    statuses_shown(browser, "2018-03")
    page.locator(".st-key-w_next button:visible").click()
    wait_query(page, {"asof": "2018-04"})
    page.locator(".st-key-w_prev button:visible").click()
    wait_query(page, {"asof": "2018-03"})
    page.locator(".st-key-w_prev button:visible").click()
    wait_query(page, {"asof": "2018-02"})
    expect_shown(page, "w", "2018 Feb")
    statuses_shown(browser, "2018-02")
    page.locator(".st-key-w_fixed").get_by_role("radio", name="Today").click()
    wait_query(page, {"asof": "today"})
    statuses_shown(browser, "today")
    for width, height in ((1280, 800), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        browser.wait_idle()
        save_screenshot(page, f"date-control-{width}x{height}")

    page.get_by_role("button", name="Play").click()  # from the start of the timeline
    first = _when.timeline()[0]
    wait_query(page, {"asof": first})
    deadline = time.monotonic() + 60
    while query(page).get("asof", "") <= _when.shift(first, 2) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    reached = query(page).get("asof", "")
    assert reached > _when.shift(first, 2), f"play reached only {reached}"
    assert re.fullmatch(r"\d{4}-\d{2}", reached)
    page.get_by_role("button", name="Pause").click()
    browser.wait_idle()
    stopped = query(page)["asof"]
    page.wait_for_timeout(int(_when.PLAY_SECONDS * 3000))
    assert query(page)["asof"] == stopped  # paused: the date stays
    statuses_shown(browser, stopped)
    expect_shown(page, "w", f"{stopped[:4]} {_when.MONTH_NAMES[int(stopped[5:])]}")
    browser.assert_clean()


def page_size_pt(svg: str) -> tuple[int, int]:
    """The page size of an SVG file, in points (rounded)."""
    found = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert found, svg[:300]
    return round(float(found[1])), round(float(found[2]))


def test_a_download_right_after_an_option_change_is_the_new_file(app_url, browser):
    page = browser.page
    page.goto(f"{app_url}/export")
    page.get_by_text(MATCH).wait_for(timeout=120_000)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Map format").click()
    page.get_by_role("option", name="svg", exact=True).click()
    button = page.get_by_role("button", name="Download map (corridor-map.svg)")
    button.wait_for(timeout=120_000)

    def download_now() -> str:
        """Click the map's download button at once (Playwright clicks as soon as the button
        takes clicks) and read the file."""
        with page.expect_download(timeout=120_000) as info:
            button.click(timeout=120_000)
        return info.value.path().read_text(encoding="utf-8")

    title = page.get_by_label("Title (optional)")
    title.fill("First title")
    title.press("Enter")
    svg = download_now()
    assert "First title" in svg
    title.fill("Second title")
    title.press("Enter")
    svg = download_now()
    assert "Second title" in svg and "First title" not in svg
    assert page_size_pt(svg) == (842, 595)  # A4 landscape, the default
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Page size").click()
    page.get_by_role("option", name="slide", exact=True).click()
    assert page_size_pt(download_now()) == (960, 540)  # 13.33 x 7.5 in
    page.get_by_text(MATCH).wait_for(timeout=120_000)
    save_screenshot(page, "export-1280x800")
    browser.assert_clean()
