"""Report screenshots of the Map page at three window sizes, headless and headed (under Xvfb),
each checked for what a first-time reader needs: labels on the map, the search box, a legend
that is folded or leaves the map clear, and the claim list with verdicts.

The PNGs are kept as artefacts (``_appbrowser.save_screenshot``: ``$SCREENSHOT_DIR``, by default
``tests/artifacts/screenshots/``); the README's app section shows copies of them.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from _appbrowser import free_port, launch, save_screenshot

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (1440, 900), (1920, 1080)]
# Boxes of the visible labels inside the map frame (a label hidden by the collision pass has
# display:none and no box).
LABEL_BOXES = """() => [...document.querySelectorAll('.ce-label')].map(e => e.getBoundingClientRect())
  .filter(r => r.width > 0 && r.height > 0).map(r => [r.left, r.top, r.right, r.bottom])"""
LEGEND_STATE = """() => { const d = document.querySelector('.ce-legend details');
  const m = document.querySelector('.leaflet-container').getBoundingClientRect();
  if (!d) { return null; }
  const r = d.getBoundingClientRect();
  return {open: d.open, share: (r.width * r.height) / (m.width * m.height)}; }"""


@pytest.fixture(scope="module")
def xvfb():
    """An X display for headed Chromium, or a skip where Xvfb is not installed."""
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.skip("Xvfb is not installed (Debian: apt-get install xvfb; .ci/run does)")
    display = f":{free_port() % 400 + 100}"
    proc = subprocess.Popen([binary, display, "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield display
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes[i + 1:], i + 1)
            if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]


@pytest.mark.parametrize("mode", ["headless", "headed"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_map_page_screenshot_shows_labels_search_legend_and_verdicts(
        app_url, pw, chromium_path, tmp_path, request, mode, width, height):
    display = request.getfixturevalue("xvfb") if mode == "headed" else None
    browser = launch(pw, tmp_path / "profile", chromium_path, width=width, height=height,
                     display=display)
    try:
        browser.open_map(app_url)
        browser.wait_idle()
        page, frame = browser.page, browser.frame
        boxes = frame.locator("body").evaluate(LABEL_BOXES)
        assert len(boxes) >= 5, "the map shows country and place labels"
        assert overlapping(boxes) == []
        assert page.get_by_placeholder("Search the map", exact=False).first.is_visible()
        legend = frame.locator("body").evaluate(LEGEND_STATE)
        assert legend is not None, "the map has a legend"
        assert not legend["open"] or legend["share"] <= 0.2, legend
        verdicts = page.locator(".ce-cl-verdict")
        verdicts.first.wait_for(timeout=30_000)
        assert verdicts.count() >= 3
        save_screenshot(page, f"map-{mode}-{width}x{height}")
        browser.assert_clean()
    finally:
        browser.context.close()
