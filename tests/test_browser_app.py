"""The real app in Debian's Chromium with every non-loopback request blocked.

Each test fails on any blocked or failed request and on any console error. The app runs as
``streamlit run app.py`` on a free port, on a copy of the shipped data plus one claims file
whose quote is hostile HTML.
"""

from __future__ import annotations

import io

import pytest
from _appbrowser import (
    DRAWN,
    FRAME,
    HOSTILE_ID,
    launch,
)

import geo

pytestmark = pytest.mark.browser

ZOOM = "() => window.map_div.getZoom()"


@pytest.fixture
def browser(pw, chromium_path, tmp_path):
    b = launch(pw, tmp_path / "profile", chromium_path)
    try:
        yield b
    finally:
        b.context.close()


def summary_of(claim_id: str) -> str:
    frame = geo.claims_gdf()
    return str(frame.loc[frame["claim_id"] == claim_id, "summary"].iloc[0])


def test_map_renders_offline_without_failed_requests(app_url, browser):
    browser.open_map(app_url)
    assert browser.count(".leaflet-overlay-pane path") > 50  # borders, corridors, places
    assert browser.count(".ce-legend") == 1
    assert browser.count(".ce-claim, .marker-cluster") > 0
    loaded = browser.page.evaluate(
        "() => Array.from(document.querySelectorAll('iframe')).flatMap(f => {"
        " try { return f.contentWindow.performance.getEntriesByType('resource')"
        ".map(e => e.name); } catch (err) { return []; } })")
    # Leaflet and its plugins come in one local script (geo.webassets.BUNDLE), nothing else
    scripts = [u for u in loaded if u.endswith(".js") and "/static/js/" not in u]
    assert [u.rsplit("/", 1)[-1] for u in scripts] == ["leaflet-bundle.js"], loaded
    assert "/app/static/leaflet/" in scripts[0]
    plugins = browser.page.frame_locator(FRAME).first.locator("body").evaluate(
        "() => [typeof L.markerClusterGroup, typeof L.Control.FullScreen,"
        " typeof L.Control.MiniMap]")
    assert plugins == ["function", "function", "function"]
    # the basemap (land, water) is painted on one canvas; the overlays stay clickable paths
    pane = ".leaflet-ce-basemap-pane"
    assert browser.count(f"{pane} canvas") == 1 and browser.count(f"{pane} path") == 0
    painted = browser.frame.locator(f"{pane} canvas").evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }"
        " return n / (c.width * c.height); }")
    assert painted > 0.3, painted  # most of the region is land or sea
    browser.assert_clean()


def test_map_path_opens_the_map_page(app_url, browser):
    browser.open_map(f"{app_url}/map")
    assert browser.page.get_by_text("Page not found").count() == 0
    assert browser.page.get_by_role("heading", name="Corridor map").count() == 1
    assert browser.count(DRAWN) > 50
    browser.assert_clean()


@pytest.mark.parametrize("path", ["compare/x", "no-such-page"])
def test_an_unknown_path_opens_the_map_with_the_link_state_kept(app_url, browser, path):
    browser.open_map(f"{app_url}/{path}?asof=2018-01")
    assert browser.page.get_by_role("heading", name="Corridor map").count() == 1
    assert browser.page.get_by_text("Page not found").count() == 0
    assert "asof=2018-01" in browser.page.url
    assert browser.count(DRAWN) > 50
    browser.assert_clean()


@pytest.mark.parametrize("path", ["compare", "through-time", "claims", "export"])
def test_every_page_path_opens_its_page(app_url, browser, path):
    browser.page.goto(f"{app_url}/{path}")
    title = {"compare": "Compare routes", "through-time": "Through time", "claims": "Claims",
             "export": "Export"}[path]
    browser.page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=90_000)
    assert browser.page.get_by_text("Page not found").count() == 0
    browser.assert_clean()


def test_claims_about_a_whole_country_are_a_badge_not_points(app_url, browser):
    browser.open_map(app_url)
    claims = geo.claims_gdf()
    country_only = set(claims.loc[claims["located_by"] == "country", "claim_id"])
    assert country_only
    drawn = set(browser.frame.locator("body").evaluate("() => Object.keys(window.__ceClaims)"))
    assert drawn and not drawn & country_only
    badges = browser.frame.locator(".leaflet-marker-pane .ce-country div")
    assert badges.count() >= 1
    counts = {t.rsplit("·", 1)[0].strip(): int(t.rsplit("·", 1)[1])
              for t in badges.all_inner_texts()}
    assert sum(counts.values()) == len(country_only)  # every one of them, in a badge
    badges.filter(has_text="Iran").first.click()  # the badge filters the list to Iran
    browser.page.wait_for_url("**country=IRN**", timeout=30_000)
    browser.page.get_by_text(f"{counts['Iran']} of ").first.wait_for(timeout=30_000)
    browser.assert_clean()


# In the map frame: record every call of window[name] (the functions the page calls at once).
RECORD = """(_, name) => { const f = window[name]; window.__calls = window.__calls || {};
  window.__calls[name] = []; window[name] = function(...a) { window.__calls[name].push(a);
  return f.apply(this, a); }; }"""


def test_a_layer_or_a_date_step_reaches_the_map_before_the_page_runs_again(app_url, browser):
    """The sidebar tells the map at once (app_pages._instant); the page's run follows."""
    from app_pages import _when

    browser.open_map(f"{app_url}/?asof=2016-01")
    body = browser.frame.locator("body")
    statuses_shown(body, "2016-01")
    for name in ("__ceShowLayer", "__ceShowDate"):
        body.evaluate(RECORD, name)
    page = browser.page
    page.get_by_text("Border crossings", exact=True).click()
    page.wait_for_url("**layers=**", timeout=30_000)
    assert "crossings" not in page.url.split("layers=")[1].split("&")[0]
    assert body.evaluate("() => window.__calls.__ceShowLayer") == [["crossings", False]]
    assert browser.count(".leaflet-marker-pane .ce-crossing") == 0
    page.locator(".st-key-w_next button:visible").click()
    nxt = _when.shift("2016-01", 1)
    page.wait_for_url(f"**asof={nxt}**", timeout=30_000)
    assert body.evaluate("() => window.__calls.__ceShowDate") == [[nxt]]
    statuses_shown(body, nxt)
    page.get_by_text("Border crossings", exact=True).click()
    browser.frame.locator(".leaflet-marker-pane .ce-crossing").first.wait_for(timeout=30_000)
    assert body.evaluate("() => window.__calls.__ceShowLayer")[-1] == ["crossings", True]
    browser.assert_clean()


def test_toggling_a_layer_changes_what_is_drawn(app_url, browser):
    browser.open_map(app_url)
    before = browser.count(".leaflet-marker-pane .ce-crossing")
    assert before > 0
    browser.page.get_by_text("Border crossings", exact=True).click()
    browser.frame.locator(".leaflet-marker-pane .ce-crossing").first.wait_for(state="detached",
                                                                              timeout=30_000)
    assert browser.count(".leaflet-marker-pane .ce-crossing") == 0
    assert browser.count(".leaflet-overlay-pane path") > 0  # the rest is still drawn
    browser.page.get_by_text("Border crossings", exact=True).click()
    browser.frame.locator(".leaflet-marker-pane .ce-crossing").first.wait_for(timeout=30_000)
    assert browser.count(".leaflet-marker-pane .ce-crossing") == before
    browser.assert_clean()


@pytest.mark.parametrize("claim_id", ["jpost-13", HOSTILE_ID])
def test_a_chosen_claim_opens_its_popup_inside_the_map_at_the_same_zoom(app_url, browser,
                                                                       claim_id):
    browser.open_map(app_url)
    zoom = browser.frame.locator("body").evaluate(ZOOM)
    # words only the test claim has together (the corpus has "hostile" and "context")
    text = "hostile text script" if claim_id == HOSTILE_ID else summary_of(claim_id)
    browser.search_claims(text)
    browser.page.get_by_text("1 of ").first.wait_for(timeout=30_000)
    browser.choose_first_claim(claim_id)
    popup = browser.frame.locator(".leaflet-popup")
    popup.first.wait_for(timeout=30_000)
    browser.page.wait_for_timeout(800)  # the popup's auto-pan
    assert f"Claim {claim_id}" in popup.first.inner_text()
    inside = browser.frame.locator("body").evaluate(
        "() => { const m = document.querySelector('.leaflet-container').getBoundingClientRect();"
        " const p = document.querySelector('.leaflet-popup').getBoundingClientRect();"
        " return [p.top - m.top, m.bottom - p.bottom, p.left - m.left, m.right - p.right]; }")
    assert min(inside) >= 0, f"popup outside the map by {inside} px (top, bottom, left, right)"
    assert browser.frame.locator("body").evaluate(ZOOM) == zoom
    if claim_id == HOSTILE_ID:  # article text is shown as text, never as markup
        shown = popup.first.inner_text()
        assert '<img src=x onerror="window.__pwned=1">' in shown
        assert "<i>Evil</i> Gazette" in shown
        assert popup.first.locator("img, b").count() == 0
        assert browser.frame.locator("body").evaluate("() => window.__pwned === undefined")
        main = browser.page.locator('[data-testid="stMainBlockContainer"]').inner_text()
        assert "<b>Tbilisi</b>" in main  # the list beside the map shows it literally too
    browser.assert_clean()


def test_clicking_a_claim_marker_selects_it_without_zooming(app_url, browser):
    browser.open_map(f"{app_url}/?extent=44.0,37.5,50.5,41.5")  # markers spread, not clustered
    zoom = browser.frame.locator("body").evaluate(ZOOM)
    # a claim marker in view and not covered by a control (the attribution, the legend)
    claim_id = browser.frame.locator("body").evaluate(
        "() => { const el = [...document.querySelectorAll('.ce-claim [data-claim]')].find(e => {"
        " const r = e.getBoundingClientRect(); const x = r.left + r.width / 2,"
        " y = r.top + r.height / 2; return x > 0 && y > 0 && x < innerWidth && y < innerHeight"
        " && e.contains(document.elementFromPoint(x, y)); }); return el && el.dataset.claim; }")
    assert claim_id, "no claim marker in view"
    browser.frame.locator(f'.ce-claim [data-claim="{claim_id}"]').click()
    browser.frame.locator(".leaflet-popup-content").first.wait_for(timeout=30_000)
    browser.page.wait_for_url(f"**claim={claim_id}**", timeout=30_000)
    chosen = browser.page.locator(f'.ce-cl-row.ce-cl-chosen[data-claim="{claim_id}"]')
    chosen.get_by_text("Evidence:").wait_for(timeout=30_000)  # the list opens its row
    browser.page.wait_for_timeout(500)
    assert browser.frame.locator("body").evaluate(ZOOM) == zoom
    assert f"Claim {claim_id}" in browser.frame.locator(".leaflet-popup-content").first.inner_text()
    browser.assert_clean()


def test_overlapping_claims_cluster_and_spread_on_click(app_url, browser):
    browser.open_map(app_url)
    cluster = browser.frame.locator(".marker-cluster").first
    cluster.wait_for(timeout=30_000)
    members = int(cluster.inner_text())
    zoom = browser.frame.locator("body").evaluate(ZOOM)
    cluster.click()
    legs = browser.frame.locator(".ce-spider-leg")
    legs.first.wait_for(timeout=10_000)
    assert legs.count() == members  # one leader line per spread marker
    assert browser.frame.locator("body").evaluate(ZOOM) == zoom
    browser.assert_clean()


def test_wheel_over_the_legend_scrolls_it_and_keeps_the_zoom(app_url, browser):
    browser.open_map(app_url)
    legend = browser.frame.locator(".ce-legend")
    if not legend.locator("details").evaluate("d => d.open"):
        legend.locator("summary").click()  # folded where it would cover much of the map
    body = legend.locator(".ce-legend-body")  # what scrolls, below the title
    sizes = body.evaluate("el => [el.scrollHeight, el.clientHeight]")
    assert sizes[0] > sizes[1], "the legend should be taller than its box (it scrolls)"
    assert legend.locator(".ce-more").is_visible()  # and says so
    zoom = browser.frame.locator("body").evaluate(ZOOM)
    box = body.bounding_box()
    browser.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    browser.page.mouse.wheel(0, 240)
    browser.page.wait_for_timeout(800)
    assert body.evaluate("el => el.scrollTop") > 0
    assert browser.frame.locator("body").evaluate(ZOOM) == zoom
    assert legend.get_by_text("Highlighted routes").count() == 1
    legend.locator("summary").click()  # the legend folds away
    assert legend.locator("details").evaluate("d => d.open") is False
    browser.assert_clean()


def test_a_link_restores_the_whole_view_in_a_fresh_browser(app_url, pw, chromium_path, tmp_path):
    routes = list(geo.load_routes().index[:2])
    params = (f"routes={','.join(routes)}&extent=40.00,35.00,52.00,43.00"
              "&layers=claims,corridors,routes&from=baku&to=nakhchivan&avoid=ARM&k=2&rank=time"
              "&cstatus=operational&cmode=rail,road")
    browser = launch(pw, tmp_path / "fresh", chromium_path)
    try:
        browser.open_map(f"{app_url}/?{params}")
        page = browser.page
        assert page.get_by_role("checkbox", name="Places").is_checked() is False
        assert page.get_by_role("checkbox", name="Corridors").is_checked() is True
        bounds = browser.frame.locator("body").evaluate(
            "() => { const b = window.map_div.getBounds();"
            " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
        assert bounds[0] <= 40.5 and bounds[2] >= 51.5 and bounds[1] <= 35.5 and bounds[3] >= 42.5
        assert bounds[2] - bounds[0] < 20  # the link's box, not the whole region
        # the map draws only the layers the link names (they all came, the address decides)
        assert browser.count(".leaflet-marker-pane .ce-crossing") == 0
        assert browser.frame.locator("body").evaluate(
            "() => Object.entries(window.__ceGroups).filter(([k, g]) => map_div.hasLayer(g))"
            ".map(([k]) => k).sort()") == ["claims", "corridors", "routes"]
        page.get_by_role("link", name="Compare routes").click()
        page.get_by_text("alternative(s):").first.wait_for(timeout=90_000)
        for part in ("from=baku", "to=nakhchivan", "avoid=ARM", "k=2", "rank=time",
                     "cstatus=operational", "cmode=rail", f"routes={routes[0]}", "extent=",
                     "layers=claims"):
            assert part in page.url.replace("%2C", ","), f"{part} lost from {page.url}"
        assert page.get_by_role("radio", name="time").is_checked()
        thumb = page.locator('[data-testid="stSlider"]').filter(has_text="Alternatives").locator(
            '[data-testid="stSliderThumbValue"]')
        assert thumb.inner_text(timeout=30_000) == "2"
        page.get_by_text("alternative(s): Baku").first.wait_for(timeout=30_000)
        assert "ARM" in page.locator('[data-testid="stForm"]').inner_text()
        page.get_by_role("link", name="Export").click()
        page.get_by_text("The files below match the options above.").wait_for(timeout=120_000)
        exported = page.locator('[data-testid="stMultiSelect"]').first.inner_text()
        assert all(r in exported for r in routes)
        assert page.get_by_role("radio", name="Current view (as on the Map page)").is_checked()
        browser.assert_clean()
    finally:
        browser.context.close()


def test_export_downloads_a_png_with_the_chosen_dpi_and_size(app_url, browser):
    from PIL import Image

    page = browser.page
    page.goto(f"{app_url}/export")
    page.get_by_text("The files below match the options above.").wait_for(timeout=120_000)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Page size").click()
    page.get_by_role("option", name="slide", exact=True).click()
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="DPI")
    slider.get_by_role("slider").focus()
    for _ in range(3):  # 300 -> 150 in steps of 50
        page.keyboard.press("ArrowLeft")
    page.get_by_text("corridor-map.png: slide, 150 DPI").wait_for(timeout=120_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download map (corridor-map.png)").click()
    image = Image.open(io.BytesIO(info.value.path().read_bytes()))
    assert image.size == (2000, 1125)  # 13.333 x 7.5 in at 150 DPI
    assert round(image.info["dpi"][0]) == 150
    browser.assert_clean()


def test_compare_page_shows_alternatives(app_url, browser):
    browser.open_map(app_url)
    browser.page.get_by_role("link", name="Compare routes").click()
    browser.page.get_by_text("alternative(s):").first.wait_for(timeout=90_000)
    browser.page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    browser.frame.locator(DRAWN).first.wait_for(timeout=60_000)
    assert browser.count(DRAWN) > 10
    download = browser.page.get_by_text("Download alternatives (CSV)")
    download.first.wait_for(timeout=30_000)  # the table's buttons may follow the map
    assert download.count() == 1
    browser.assert_clean()


DASH_COUNTS = """() => { const c = {};
  document.querySelectorAll('.leaflet-overlay-pane path[stroke-dasharray]').forEach(p => {
    const k = p.getAttribute('stroke-dasharray'); c[k] = (c[k] || 0) + 1; });
  return c; }"""


def dashes_on(when: str | None) -> dict[str, int]:
    """Segment lines per dash pattern with the statuses of ``when`` (None: as recorded)."""
    counts: dict[str, int] = {}
    for status in geo.segments_at(None, when)["status"]:
        dash = geo.style.STATUS_DASH.get(status)
        if dash:
            counts[dash] = counts.get(dash, 0) + 1
    return counts


def statuses_shown(body, month: str, timeout_ms: int = 30_000) -> None:
    """Wait until the map says it shows the statuses of ``month`` ('' = as recorded)."""
    shown = body.evaluate(
        "(_, [m, limit]) => new Promise(r => { const start = performance.now(); const t = () =>"
        " (window.__ceStatusesShown === m || performance.now() - start > limit)"
        " ? r(window.__ceStatusesShown) : requestAnimationFrame(t); t(); })", [month, timeout_ms])
    assert shown == month, f"the map shows the statuses of {shown!r}, not {month!r}"


def test_moving_the_date_control_restyles_the_map_and_its_legend(app_url, browser):
    from app_pages import _when

    browser.open_map(app_url)
    body = browser.frame.locator("body")
    statuses_shown(body, "")
    assert body.evaluate(DASH_COUNTS) == dashes_on(None)
    last = _when.months()[-1]
    page = browser.page
    page.locator(".st-key-w_year [data-testid='stSelectbox']").click()  # the last year...
    page.get_by_role("option", name=last[:4], exact=True).click()
    page.wait_for_url(f"**asof={last[:4]}-01**", timeout=30_000)
    page.locator(".st-key-w_month [data-testid='stSelectbox']").click()  # ... and month
    page.get_by_role("option", name="Dec", exact=True).click()
    browser.page.wait_for_url(f"**asof={last}**", timeout=30_000)
    statuses_shown(body, last)
    assert body.evaluate(DASH_COUNTS) == dashes_on(last) != dashes_on(None)
    label = geo.when_text(last)
    assert "projected" in label
    # (text_content: the legend may be folded at this size)
    assert browser.frame.locator(".ce-legend [data-ce-when]").text_content() == label
    browser.page.get_by_text(label).first.wait_for(timeout=30_000)  # above the map too
    # the legend lists only the statuses drawn on that date
    shown = set(browser.frame.locator(".ce-legend [data-ce-status]").evaluate_all(
        "rows => rows.filter(r => r.style.display !== 'none').map(r => r.dataset.ceStatus)"))
    assert shown == set(geo.segments_at(None, last)["status"])
    page.locator(".st-key-w_fixed").get_by_role("radio", name="As recorded").click()
    statuses_shown(body, "")
    assert body.evaluate(DASH_COUNTS) == dashes_on(None)
    browser.assert_clean()
