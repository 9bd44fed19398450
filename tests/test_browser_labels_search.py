"""Labels and search on the interactive maps, in Chromium: the app's pages and the HTML export.

Labels are measured in the page: every label shown has a box of its own (no two overlap, none
under a marker or a map control). A search moves the map to the thing found. Screenshots are
kept as artefacts (``_appbrowser.save_screenshot``).
"""

from __future__ import annotations

import shutil

import pytest
from _appbrowser import DRAWN, HOSTILE_ID, save_screenshot
from helpers import SHIPPED_DATA, shipped_ready

import geo
import layers

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1">Bakı & <b>co</b>'
# In a map frame: the labels shown, with their boxes in the frame, and the boxes they must
# keep clear of (markers, map controls) and the map's own box.
LABEL_BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return [r.left, r.top, r.right, r.bottom]; };
  const shown = [...document.querySelectorAll('.ce-label')]
    .filter(e => e.style.display === 'block' && e.getBoundingClientRect().width > 0);
  const blockers = [...document.querySelectorAll(
    '.leaflet-marker-pane .leaflet-marker-icon, .leaflet-control')].map(box)
    .filter(b => b[2] > b[0] && b[3] > b[1]);
  return {labels: shown.map(e => ({text: e.textContent, cls: e.className, box: box(e)})),
          blockers: blockers, map: box(document.querySelector('.leaflet-container'))};
}"""
MAP_OF_PAGE = ("Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])"
               ".find(v => window.L && v instanceof L.Map)")


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_labels_clear(found: dict, least: int) -> list[str]:
    """At least ``least`` labels, all inside the map, none over another, a marker or a control;
    returns their texts."""
    boxes = [lab["box"] for lab in found["labels"]]
    assert len(boxes) >= least, found["labels"]
    west, north, east, south = found["map"]
    for lab in found["labels"]:
        x0, y0, x1, y1 = lab["box"]
        assert west - 1 <= x0 and x1 <= east + 1 and north - 1 <= y0 and y1 <= south + 1, lab
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlap(a, b), (a, b)
        for b in found["blockers"]:
            assert not overlap(a, b), (a, b)
    return [lab["text"] for lab in found["labels"]]


def in_view_js(map_expr: str, lat: float, lon: float, zoom: float) -> str:
    return (f"() => {{ const m = {map_expr}; return !!m && m.getZoom() >= {zoom}"
            f" && m.getBounds().contains([{lat}, {lon}]); }}")


@pytest.fixture(scope="module")
def places():
    return geo.load_places(SHIPPED_DATA)


def search_app(browser, text: str) -> None:
    field = browser.page.get_by_role("textbox", name="Search the map")
    field.fill(text)
    field.press("Enter")


def test_app_labels_show_never_overlap_and_thin_out_with_zoom(app_url, browser):
    browser.open_map(f"{app_url}/?extent=43.5,37.6,50.5,42.0")  # the South Caucasus
    body = browser.frame.locator("body")
    body.evaluate("() => new Promise(r => setTimeout(r, 300))")
    texts = assert_labels_clear(body.evaluate(LABEL_BOXES), least=5)
    assert any(t.startswith("Nakhchivan") for t in texts), texts
    save_screenshot(browser.page, "labels-map-1280x800")

    def classes_at(lat, lon, zoom) -> set[str]:
        body.evaluate(f"() => window.map_div.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
        body.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))")
        found = body.evaluate(LABEL_BOXES)
        assert_labels_clear(found, least=1)
        return {c for lab in found["labels"] for c in lab["cls"].split() if c.startswith("ce-label-")}

    far = classes_at(38.5, 50.0, 4)
    assert "ce-label-country" in far
    assert not far & {"ce-label-place1", "ce-label-place2", "ce-label-border_crossing"}
    near = classes_at(39.0, 46.0, 9)
    assert near & {"ce-label-place1", "ce-label-place2"} and "ce-label-country" not in near
    browser.assert_clean()


def test_app_search_zooms_the_map_to_a_name_in_any_language(app_url, browser, places):
    browser.open_map(app_url)
    frame_map = "window.map_div"
    for text, pid in (("Meghri", "meghri"), ("Нахчыван", "nakhchivan")):
        search_app(browser, text)
        lat, lon = places.at[pid, "lat"], places.at[pid, "lon"]
        browser.frame.locator("body").evaluate(
            f"() => new Promise((done, fail) => {{ const ok = {in_view_js(frame_map, lat, lon, 9)};"
            " const t0 = Date.now(); (function poll() { if (ok()) { done(); }"
            " else if (Date.now() - t0 > 30000) { fail(new Error('map did not move')); }"
            " else { requestAnimationFrame(poll); } })(); })")
        browser.page.wait_for_url("**extent=**", timeout=30_000)
    # the labels are laid out in the animation frame after the map moved (layers.labels)
    browser.frame.locator("body").evaluate(
        "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
    save_screenshot(browser.page, "search-map-1280x800")
    texts = assert_labels_clear(browser.frame.locator("body").evaluate(LABEL_BOXES), least=3)
    assert "Nakhchivan" in texts, texts
    search_app(browser, "hostile text")  # a claim, by words of its summary, shown as text
    browser.page.get_by_text(f"Claim {HOSTILE_ID} · A test claim with hostile text <script>.",
                             exact=True).wait_for(timeout=30_000)
    browser.page.wait_for_url(f"**claim={HOSTILE_ID}**", timeout=30_000)
    assert browser.frame.locator("body").evaluate("() => window.__pwned") is None
    browser.assert_clean()


def test_compare_page_search_zooms_its_map(app_url, browser, places):
    browser.page.goto(f"{app_url}/compare")
    browser.frame.locator(DRAWN).first.wait_for(timeout=90_000)
    browser.wait_idle()
    search_app(browser, "تبریز")  # Tabriz in Persian
    lat, lon = places.at["tabriz", "lat"], places.at["tabriz", "lon"]
    browser.frame.locator("body").evaluate(
        f"() => new Promise((done, fail) => {{ const ok = {in_view_js('window.map_div', lat, lon, 9)};"
        " const t0 = Date.now(); (function poll() { if (ok()) { done(); }"
        " else if (Date.now() - t0 > 30000) { fail(new Error('map did not move')); }"
        " else { requestAnimationFrame(poll); } })(); })")
    browser.assert_clean()


def test_html_export_has_working_labels_and_search(browser, tmp_path, places):
    if not shipped_ready():
        pytest.skip("shipped data not present")
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data)
    csv = (data / "places.csv").read_text(encoding="utf-8")
    (data / "places.csv").write_text(csv.replace("\nbaku,Baku,", f'\nbaku,"{HOSTILE.replace(chr(34), chr(34) * 2)}",', 1),
                                     encoding="utf-8")
    frames = geo.map_frames(routes=["zangezur-rail"], data_dir=data)
    bounds = frames.pop("bounds")
    page = browser.page
    page.set_content(layers.to_html(layers.build_map(**frames, bounds=bounds)))
    page.wait_for_function(f"() => !!({MAP_OF_PAGE})")
    page.evaluate("() => new Promise(r => setTimeout(r, 300))")
    texts = assert_labels_clear(page.evaluate(LABEL_BOXES), least=5)
    assert any(t.startswith("Zangezur corridor") for t in texts), texts
    save_screenshot(page, "labels-export-1280x800")

    field = page.locator(".ce-search input")
    field.fill("Мегри")  # Meghri in Russian
    assert page.locator(".ce-search li").first.inner_text().startswith("Мегри")
    field.press("Enter")
    meghri = places.at["meghri", "lat"], places.at["meghri", "lon"]
    page.wait_for_function(in_view_js(MAP_OF_PAGE, *meghri, 9), timeout=10_000)
    assert page.evaluate(f"() => ({MAP_OF_PAGE}).getZoom()") <= 12
    assert_labels_clear(page.evaluate(LABEL_BOXES), least=3)

    field.fill("onerror")  # the hostile name is found and shown as text
    item = page.locator(".ce-search li").first
    assert HOSTILE in item.inner_text()
    item.click()
    baku = places.at["baku", "lat"], places.at["baku", "lon"]
    page.wait_for_function(in_view_js(MAP_OF_PAGE, *baku, 9), timeout=10_000)
    page.get_by_text(HOSTILE).first.wait_for(timeout=10_000)  # its label, as text
    assert page.evaluate("() => window.__pwned") is None
    save_screenshot(page, "search-export-1280x800")
    browser.assert_clean()
