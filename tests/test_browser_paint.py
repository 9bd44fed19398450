"""The Map page is fully painted on first load, at common window sizes (headless Chromium).

A screenshot 5 s after load is compared with one taken after a forced repaint (the window
resized by one pixel and back). Before the fix, 15-44 % of the map's pixels differed: the map
was made at zoom 1 and Leaflet animated the zoom to the region, Chromium rasterised the scaled
vector layers at up to 16 times their size and never finished (see ``layers.map._view``).
"""

from __future__ import annotations

import pytest
from _appbrowser import DRAWN, FRAME, launch, map_pixels_changed, running_app
from helpers import shipped_ready

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (1440, 900), (1920, 1080)]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not shipped_ready():
        pytest.skip("shipped data not present")
    with running_app(tmp_path_factory.mktemp("paint"), hostile=False) as url:
        yield url


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_map_is_fully_painted_five_seconds_after_load(app_url, chromium_path, tmp_path, width,
                                                      height):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = launch(pw, tmp_path / "profile", chromium_path, width=width, height=height)
        try:
            page = browser.page
            page.goto(app_url)
            browser.frame.locator(DRAWN).first.wait_for(timeout=90_000)
            page.wait_for_timeout(5000)
            box = page.locator(FRAME).first.bounding_box()
            first = page.screenshot()
            page.set_viewport_size({"width": width + 1, "height": height})
            page.wait_for_timeout(400)
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(1500)
            repainted = page.screenshot()
            changed = map_pixels_changed(first, repainted, box)
            assert changed < 1.0, f"{changed:.1f}% of the map was not painted at {width}x{height}"
            browser.assert_clean()
        finally:
            browser.context.close()
