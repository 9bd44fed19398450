"""Take the README's screenshots of the app on the shipped data (``docs/screenshots/``).

Starts the app (as ``bench/bench_app.py`` does), opens the Map and Compare pages in headless
Chromium with every non-loopback request refused, waits until the map is drawn and the page
has settled, and saves each page as a 256-colour PNG (small enough for the repository).

Usage: ``.venv/bin/python scripts/readme_screenshots.py`` (needs Debian's ``chromium``).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SHOTS = (  # file, page, window size, what shows the page is drawn
    ("map-1440x900.png", "/", (1440, 900), ".ce-cl-row"),
    ("compare-1280x800.png", "/compare", (1280, 800), "text=alternative(s):"),
)


def main() -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_app
    from PIL import Image
    from playwright.sync_api import sync_playwright

    if bench_app.CHROMIUM is None:
        print("no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    server = bench_app.Server(ROOT / "app.py")
    try:
        with sync_playwright() as pw:
            for name, path, (width, height), ready in SHOTS:
                with bench_app.fresh_page(pw, "") as page:
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(server.url + path)
                    page.frame_locator(bench_app.FRAME).first.locator(
                        bench_app.DRAWN).first.wait_for(timeout=120_000)
                    page.locator(ready).first.wait_for(timeout=120_000)
                    page.wait_for_timeout(3000)  # labels, legend and minimap settle
                    png = page.screenshot()
                image = Image.open(io.BytesIO(png)).convert("RGB")
                image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
                    OUT / name, optimize=True)
                print(f"{OUT / name}: {(OUT / name).stat().st_size / 1e3:.0f} kB")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
