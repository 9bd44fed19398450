"""The legend that hides nothing, the on-map controls and the map that fills the window, in the
real app in headless Chromium with every non-loopback request blocked.

The app's tile source is a file the app itself serves, so choosing "Map tiles" in the layer
control loads tiles without leaving the machine. Screenshots are kept (``save_screenshot``).
"""

from __future__ import annotations

import re

import pytest
from _appbrowser import DRAWN, FRAME, launch, running_app, save_screenshot
from helpers import shipped_ready
from pyproj import Geod

import geo

pytestmark = pytest.mark.browser

# relative to the map's frame (/component/streamlit_folium.st_folium/index.html): the app
LOCAL_TILES = "../../app/static/leaflet/images/layers.png?{z}-{x}-{y}"

# The open legend's share of the map (the legend measured open, whatever its state).
LEGEND_SHARE = """() => { const root = document.querySelector('.ce-main-legend');
  const box = root.querySelector('details'), was = box.open; box.open = true;
  const r = root.getBoundingClientRect(), c = window.map_div.getContainer().getBoundingClientRect();
  box.open = was; return {open: was, share: r.width * r.height / (c.width * c.height)}; }"""
# Features of a legend category: how many are drawn and how many of those are shown.
CATEGORY = """(cat) => { let shown = 0, drawn = 0, grouped = 0;
  window.map_div.eachLayer(l => { const c = (l.feature && l.feature.properties.c) || [];
    if (!c.includes(cat) || !l.getElement || !l.getElement()) { return; } drawn += 1;
    if (getComputedStyle(l.getElement()).display !== 'none') { shown += 1; } });
  const g = window.__ceClaimsGroup;
  if (g) { g.getLayers().forEach(m => { if ((m.feature.properties.c || []).includes(cat)) {
    grouped += 1; } }); }
  return {drawn, shown, grouped}; }"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not shipped_ready():
        pytest.skip("shipped data not present")
    env = {"CORRIDORS_TILES_URL": LOCAL_TILES, "CORRIDORS_TILES_ATTRIBUTION": "test tiles"}
    with running_app(tmp_path_factory.mktemp("app"), extra_env=env) as url:
        yield url


def open_at(pw, chromium_path, tmp_path, size, url):
    browser = launch(pw, tmp_path / f"profile-{size[0]}", chromium_path, width=size[0],
                     height=size[1])
    browser.page.goto(url)
    browser.frame.locator(DRAWN).first.wait_for(timeout=90_000)
    browser.wait_idle()
    browser.page.wait_for_timeout(1_500)  # the legend and the fit settle after the overlays
    return browser


def run(browser, js: str, arg=None):
    """Evaluate ``js`` (a function of ``arg``) in the map's frame."""
    frame = browser.page.locator(FRAME).first.element_handle().content_frame()
    return frame.evaluate(js, arg)


def frame_box(browser) -> dict:
    return browser.page.locator(FRAME).first.bounding_box()


def inside(point, box) -> bool:
    x, y = point
    return box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_map_follows_the_window_with_its_scale_bar_above_the_fold(app_url, pw, chromium_path,
                                                                      tmp_path, size):
    width, height = size
    browser = open_at(pw, chromium_path, tmp_path, size, app_url)
    try:
        box = frame_box(browser)
        # the map ends just above the fold, whatever the window's height
        assert height - 40 <= box["y"] + box["height"] <= height
        assert box["height"] >= height - box["y"] - 40
        frame_top = box["y"]
        for control in (".leaflet-control-scale", ".leaflet-control-attribution"):
            r = browser.frame.locator(control).first.bounding_box()
            assert r["y"] + r["height"] <= height, control
            assert r["y"] >= frame_top
        # the attribution no longer covers the scale bar
        scale = browser.frame.locator(".leaflet-control-scale").first.bounding_box()
        credit = browser.frame.locator(".leaflet-control-attribution").first.bounding_box()
        assert scale["x"] + scale["width"] <= credit["x"]
        claims = browser.page.get_by_role("heading", name="Claims", exact=True).bounding_box()
        if width >= 1900:  # wide: the claim list beside the map, the map over 1000 px wide
            assert box["width"] >= 1000 and claims["x"] >= box["x"] + box["width"]
        else:  # the list below the map, which takes the whole width
            assert claims["y"] >= box["y"] + box["height"]
            assert box["width"] >= 0.7 * (width - 300)
        legend = run(browser, LEGEND_SHARE)
        # folded where it would cover more than a fifth of the map, open elsewhere
        assert legend["open"] == (legend["share"] <= 0.2), legend
        if width == 1280:
            assert not legend["open"]
        save_screenshot(browser.page, f"legend-map-{width}x{height}")
        browser.assert_clean()
    finally:
        browser.context.close()


def test_compare_legend_names_the_route_and_leaves_it_clear(app_url, pw, chromium_path,
                                                            tmp_path):
    browser = open_at(pw, chromium_path, tmp_path, (1920, 1080), f"{app_url}/compare")
    try:
        browser.page.locator(FRAME).first.scroll_into_view_if_needed()
        browser.page.wait_for_timeout(1_000)
        frame = browser.frame
        legend = run(browser, LEGEND_SHARE)
        assert legend["open"] and legend["share"] <= 0.2, legend
        text = frame.locator(".ce-main-legend").inner_text()
        assert re.search(r"Alternative \d", text) and "chosen route" not in text
        ends = run(browser,
            "() => { const m = window.map_div, out = [];"
            " m.eachLayer(l => { const c = (l.feature && l.feature.properties.c) || [];"
            "  if (!c.some(k => k.startsWith('route:')) || !l.getLatLngs) { return; }"
            "  l.getLatLngs().flat(Infinity).forEach(p => {"
            "   const q = m.latLngToContainerPoint(p); out.push([q.x, q.y]); }); });"
            " return out; }")
        assert len(ends) >= 2
        size = run(browser, "() => window.map_div.getSize()")
        mapbox = {"x": 0, "y": 0, "width": size["x"], "height": size["y"]}
        rect = frame.locator(".ce-main-legend").evaluate(
            "el => { const r = el.getBoundingClientRect();"
            " return {x: r.x, y: r.y, width: r.width, height: r.height}; }")
        # every point of the fitted route, its two ends included, is in view and clear of it
        assert all(inside(p, mapbox) for p in ends)
        assert not any(inside(p, rect) for p in ends)
        save_screenshot(browser.page, "legend-compare-1920x1080")
        browser.assert_clean()
    finally:
        browser.context.close()


def test_clicking_a_legend_entry_hides_and_shows_its_category(app_url, pw, chromium_path,
                                                              tmp_path):
    browser = open_at(pw, chromium_path, tmp_path, (1280, 800), app_url)
    try:
        frame = browser.frame
        frame.locator(".ce-main-legend summary").click()  # folded at this size: open it
        rail = run(browser, CATEGORY, "mode:rail")
        sea = run(browser, CATEGORY, "mode:sea")
        assert rail["drawn"] > 5 and rail["shown"] == rail["drawn"]
        row = frame.locator('.ce-main-legend [data-ce-cat="mode:rail"]')
        row.click()
        hidden = run(browser, CATEGORY, "mode:rail")
        assert hidden["drawn"] == rail["drawn"] and hidden["shown"] == 0
        assert row.get_attribute("aria-pressed") == "false"
        assert run(browser, CATEGORY, "mode:sea") == sea  # the rest stays
        # claim markers leave their group, so its counts stay true
        verdict = run(browser, CATEGORY, "verdict:context_only")
        assert verdict["grouped"] > 0
        frame.locator('.ce-main-legend [data-ce-cat="verdict:context_only"]').click()
        assert run(browser, CATEGORY, "verdict:context_only")["grouped"] == 0
        row.click()
        frame.locator('.ce-main-legend [data-ce-cat="verdict:context_only"]').click()
        assert run(browser, CATEGORY, "mode:rail") == rail
        assert run(browser, CATEGORY, "verdict:context_only") == verdict
        # only what is drawn is explained: no highlighted route is chosen, so no route row
        assert frame.locator(".ce-main-legend [data-ce-cat^='route:']").count() == 0
        assert not frame.locator(".ce-main-legend").get_by_text("Highlighted routes").is_visible()
        assert frame.locator(".ce-main-legend").get_by_text("Mode (colour)").is_visible()
        browser.assert_clean()
    finally:
        browser.context.close()


def free_points(browser, count: int) -> list[tuple[float, float]]:
    """Points of the map, in frame pixels, with nothing on them (no marker, control, path)."""
    return run(browser,
        "(count) => { const c = window.map_div.getContainer().getBoundingClientRect(), out = [];"
        " for (let fy = 0.25; fy <= 0.85 && out.length < count; fy += 0.05) {"
        "  for (let fx = 0.15; fx <= 0.75 && out.length < count; fx += 0.05) {"
        "   const x = c.left + fx * c.width, y = c.top + fy * c.height;"
        "   const el = document.elementFromPoint(x, y);"
        "   if (el && (el.classList.contains('leaflet-container') ||"
        "       el.closest('.leaflet-tile-pane') || el.tagName === 'svg') &&"
        "       !out.some(p => Math.hypot(p[0] - x, p[1] - y) < 90)) { out.push([x, y]); } } }"
        " return out; }", count)


def test_every_control_is_there_and_works_offline(app_url, pw, chromium_path, tmp_path):
    browser = open_at(pw, chromium_path, tmp_path, (1440, 900), app_url)
    try:
        frame, page = browser.frame, browser.page
        origin = frame_box(browser)
        # full screen
        frame.locator("a.leaflet-control-zoom-fullscreen").click()
        run(browser, "() => new Promise(r => setTimeout(r, 300))")
        assert run(browser, "() => document.fullscreenElement === window.map_div.getContainer()")
        page.wait_for_timeout(300)
        full = run(browser, "() => [window.map_div.getSize().y, screen.height]")
        assert full[0] >= 0.95 * full[1], full  # the map takes the whole screen
        frame.locator("a.leaflet-control-zoom-fullscreen").click()
        page.wait_for_timeout(300)
        assert run(browser, "() => document.fullscreenElement === null")
        page.wait_for_timeout(1_000)  # back in its frame: the map settles
        # pointer position
        x, y = free_points(browser, 1)[0]
        page.mouse.move(origin["x"] + x - 5, origin["y"] + y)
        page.mouse.move(origin["x"] + x, origin["y"] + y)
        shown = frame.locator(".ce-pointer").inner_text()
        lat, lon, dlat, dlon = run(
            browser,
            "([x, y]) => { const c = window.map_div.getContainer().getBoundingClientRect();"
            " const m = window.map_div, p = m.containerPointToLatLng([x - c.left, y - c.top]);"
            " const q = m.containerPointToLatLng([x - c.left + 1.5, y - c.top + 1.5]);"
            " return [p.lat, p.lng, Math.abs(q.lat - p.lat), Math.abs(q.lng - p.lng)]; }",
            [x, y])
        numbers = [float(v) for v in re.findall(r"\d+\.\d+", shown)]
        # what it says is where the pointer is, within a pixel and a half
        assert abs(numbers[0] - lat) <= dlat and abs(numbers[1] - lon) <= dlon, shown
        # measure: three clicks, then its distance and area against the ellipsoid's
        frame.locator(".ce-measure a").click()
        points = free_points(browser, 3)
        assert len(points) == 3
        for px, py in points:
            page.mouse.click(origin["x"] + px, origin["y"] + py)
        measured = run(browser, "() => { const m = window.map_div._ceMeasure;"
                                 " return {pts: m.points().map(p => [p.lng, p.lat]),"
                                 " length: m.length(), area: m.area()}; }")
        assert len(measured["pts"]) == 3
        lons, lats = zip(*measured["pts"], strict=True)
        geod = Geod(ellps="WGS84")
        length = geod.line_length(lons, lats)
        area = abs(geod.polygon_area_perimeter(lons, lats)[0])
        assert abs(measured["length"] - length) / length < 0.01
        assert abs(measured["area"] - area) / area < 0.01
        text = frame.locator(".ce-measure-panel").inner_text()
        assert "Distance:" in text and "Area inside:" in text
        frame.locator(".ce-measure-panel .ce-m-clear").click()
        # the overview map draws the offline land (a canvas) and opens on request
        mini = frame.locator(".leaflet-control-minimap")
        assert mini.locator("canvas").count() >= 1
        before = mini.bounding_box()["width"]
        mini.locator("a.leaflet-control-minimap-toggle-display").click()
        assert mini.bounding_box()["width"] != before
        # the layer control: overlays by name, and the two basemaps
        control = frame.locator(".leaflet-control-layers")
        control.hover()
        labels = control.inner_text()
        for name in ("Corridors", "Claims", "Offline basemap", "Map tiles (needs internet)"):
            assert name in labels
        control.get_by_text("Map tiles (needs internet)").click()
        frame.locator("img.leaflet-tile-loaded").first.wait_for(timeout=30_000)
        browser.page.locator(FRAME).first.element_handle().content_frame().wait_for_function(
            "() => !document.querySelector('img.leaflet-tile:not(.leaflet-tile-loaded)')",
            timeout=30_000)  # all loaded (switching away would abort those still loading)
        control.get_by_text("Offline basemap").click()
        frame.locator("img.leaflet-tile").first.wait_for(state="detached", timeout=30_000)
        corridors = run(browser, CATEGORY, "mode:rail")["drawn"]
        assert corridors > 0
        control.get_by_text("Corridors", exact=True).click()
        assert run(browser, CATEGORY, "mode:rail")["drawn"] == 0
        # the attribution leaves the scale bar alone at this width too
        scale = frame.locator(".leaflet-control-scale").first.bounding_box()
        credit = frame.locator(".leaflet-control-attribution").first.bounding_box()
        assert scale["x"] + scale["width"] <= credit["x"]
        # a popup opened in the top-left corner is panned clear of the buttons there
        boxes = run(browser, (
            "() => { const m = window.map_div; let place = null;"
            " m.eachLayer(l => { const c = (l.feature && l.feature.properties.c) || [];"
            "  if (!place && c.includes('place:city') && l.getPopup && l.getPopup()) { place = l; } });"
            " place.openPopup(m.containerPointToLatLng([30, 60]));"
            " return new Promise(done => setTimeout(() => {"
            "  const box = e => { const r = e.getBoundingClientRect();"
            "   return {x: r.x, y: r.y, width: r.width, height: r.height}; };"
            "  done([box(document.querySelector('.leaflet-popup-content-wrapper')),"
            "   box(document.querySelector('.leaflet-control-zoom')),"
            "   box(document.querySelector('.ce-measure'))]); }, 600)); }"))
        popup, *buttons = boxes
        for button in buttons:
            assert (popup["x"] >= button["x"] + button["width"]
                    or popup["y"] >= button["y"] + button["height"]), (popup, button)
        run(browser, "() => window.map_div.closePopup()")
        save_screenshot(page, "legend-controls-1440x900")
        browser.assert_clean()  # nothing left the machine, no error
    finally:
        browser.context.close()


def test_the_wheel_zooms_the_map_and_scrolls_the_page_elsewhere(app_url, pw, chromium_path,
                                                               tmp_path):
    browser = open_at(pw, chromium_path, tmp_path, (1280, 800), app_url)
    try:
        page = browser.page
        zoom = "() => window.map_div.getZoom()"
        scroller = ("() => { let el = document.querySelector('" + FRAME + "');"
                    " while (el && !(el.scrollHeight > el.clientHeight + 1 &&"
                    " /(auto|scroll)/.test(getComputedStyle(el).overflowY))) {"
                    " el = el.parentElement; } return el; }")
        before = run(browser, zoom)
        # over the page (the title): the page scrolls, the map keeps its zoom
        title = page.get_by_role("heading", name="Corridor map").bounding_box()
        page.mouse.move(title["x"] + 10, title["y"] + title["height"] / 2)
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(800)
        scrolled = page.evaluate(f"() => ({scroller})().scrollTop")
        assert scrolled > 0
        assert run(browser, zoom) == before
        page.evaluate(f"() => ({scroller})().scrollTo(0, 0)")
        page.wait_for_timeout(1_500)  # a new wheel turn, not the page's one going on
        # over the map: the map zooms, the page stays where it is
        box = frame_box(browser)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(800)
        assert run(browser, zoom) > before
        assert page.evaluate(f"() => ({scroller})().scrollTop") == 0
        browser.assert_clean()
    finally:
        browser.context.close()


@pytest.fixture(scope="module")
def export_file(tmp_path_factory):
    """The HTML export of the two INSTC routes (long names, Mumbai to Moscow), as the Export
    page writes it: every plugin inlined."""
    if not shipped_ready():
        pytest.skip("shipped data not present")
    import layers
    from geo import webassets

    frames = geo.map_frames(routes=["instc-west", "instc-east"])
    page = layers.to_html(layers.build_map(**frames),
                          assets=layers.inline_assets(plugins=webassets.all_plugin_texts()))
    out = tmp_path_factory.mktemp("export") / "map.html"
    out.write_text(page, encoding="utf-8")
    return out


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_html_export_keeps_its_routes_clear_and_fetches_nothing(export_file, pw,
                                                                    chromium_path, size):
    browser = pw.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
    try:
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        outside: list[str] = []
        errors: list[str] = []

        def guard(route):
            if route.request.url.startswith(("file:", "data:", "about:", "blob:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(export_file.as_uri())
        page.wait_for_selector(".ce-main-legend", timeout=10_000)
        page.wait_for_timeout(800)
        mapname = "Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)"
        result = page.evaluate(
            "() => { const m = window[" + mapname + "], out = [];"
            " m.eachLayer(l => { const c = (l.feature && l.feature.properties.c) || [];"
            "  if (!c.some(k => k.startsWith('route:')) || !l.getLatLngs) { return; }"
            "  l.getLatLngs().flat(Infinity).forEach(p => {"
            "   const q = m.latLngToContainerPoint(p); out.push([q.x, q.y]); }); });"
            " const root = document.querySelector('.ce-main-legend'), r = root.getBoundingClientRect();"
            " const s = m.getSize();"
            " return {ends: out, legend: {x: r.x, y: r.y, width: r.width, height: r.height},"
            "  size: s, open: root.querySelector('details').open}; }")
        mapbox = {"x": 0, "y": 0, "width": result["size"]["x"], "height": result["size"]["y"]}
        assert len(result["ends"]) > 10
        assert all(inside(p, mapbox) for p in result["ends"])
        assert not any(inside(p, result["legend"]) for p in result["ends"])
        text = page.locator(".ce-main-legend").text_content()
        assert "INSTC western branch" in text and "INSTC eastern branch" in text
        for control in ("a.leaflet-control-zoom-fullscreen", ".ce-measure a",
                        ".leaflet-control-minimap", ".leaflet-control-layers"):
            assert page.locator(control).count() == 1, control
        save_screenshot(page, f"legend-export-{size[0]}x{size[1]}")
        assert outside == [] and errors == []
    finally:
        browser.close()
