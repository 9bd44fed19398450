"""Helpers for the tests that drive the real app in Chromium (imported by those test files).

The app runs as ``streamlit run serve.py`` (as ``make run`` starts it) on a free port; every non-loopback request is blocked
and recorded, as are console errors and failed requests.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml
from helpers import ROOT, SHIPPED_DATA

HOSTILE_QUOTE = '<img src=x onerror="window.__pwned=1">Baku & <b>Tbilisi</b>'
HOSTILE_ID = "hostile-01"
ROW_PX = 35  # row height of Streamlit's data grid
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
DRAWN = '.leaflet-overlay-pane path:not([d="M0 0"])'  # a vector path inside the view
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            msg = f"streamlit exited with {proc.returncode}: {out[-2000:]}"
            raise RuntimeError(msg)
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    msg = f"streamlit at {url} not healthy after {timeout:.0f} s"
    raise RuntimeError(msg)


def start_app(data_dir: Path, port: int, *, extra_env: dict | None = None) -> subprocess.Popen:
    """``streamlit run serve.py`` (the app of ``app.py``, as ``make run`` starts it) on ``port`` with ``data_dir``; caller stops it."""
    env = {**os.environ, "CORRIDORS_DATA_DIR": str(data_dir), **(extra_env or {})}
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit), "run", "serve.py", "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def add_hostile_claim(data_dir: Path) -> None:
    """Copy the first article's first claim drawn at a place under a new article with a
    hostile quote (The Jerusalem Post's first, jpost-01 at Tehran, where it is shipped; the
    other files in name order, so that it is the same claim on every machine)."""
    files = sorted((data_dir / "claims").glob("*.yaml"),
                   key=lambda p: (p.name != "jpost-azerbaijan-iran.yaml", p.name))
    doc, claim = next((d, dict(c)) for d in (
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in files)
        for c in d["claims"] if (c.get("features") or {}).get("places"))
    claim.update(id=HOSTILE_ID, quote=HOSTILE_QUOTE,
                 summary="A test claim with hostile text <script>.")
    article = dict(doc["article"], id="hostile", publication="<i>Evil</i> Gazette")
    out = {"article": article, "claims": [claim]}
    (data_dir / "claims" / "hostile.yaml").write_text(yaml.safe_dump(out, allow_unicode=True),
                                                     encoding="utf-8")


@contextlib.contextmanager
def running_app(folder: Path, *, hostile: bool = True, extra_env: dict | None = None):
    """The app on a copy of the shipped data (plus a hostile claim) in ``folder``: its URL."""
    data_dir = folder / "data"
    shutil.copytree(SHIPPED_DATA, data_dir)
    if hostile:
        add_hostile_claim(data_dir)
    port = free_port()
    proc = start_app(data_dir, port, extra_env=extra_env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)


class Browser:
    """One Chromium page with non-loopback requests blocked and every problem recorded."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", self._failed)
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def _failed(self, request):
        # Leaving a page unmounts its map components; their files still loading (the
        # component's own and the Leaflet plugins served from /app/static/) are aborted by the
        # browser. That is not a failure the user sees; any other failed request is.
        if request.failure == "net::ERR_ABORTED" and ("/component/" in request.url
                                                      or "/app/static/" in request.url):
            return
        self.problems.append(f"failed: {request.url} {request.failure}")

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:",
                           "blob:", "about:")):
            route.continue_()
        else:
            self.problems.append(f"blocked: {url}")
            route.abort()

    def _response(self, response):
        # Opened at a page path (/map, /export), Streamlit's client first probes
        # <path>/_stcore/health and host-config and falls back to the root: expected 404s.
        probe = re.search(r"/[\w-]+/_stcore/(health|host-config)$", response.url)
        if response.status >= 400 and not probe:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _console(self, msg):
        # A failed load is recorded with its address by _response; the console repeats it
        # without one.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {msg.text}")

    @property
    def frame(self):
        return self.page.frame_locator(FRAME).first

    def open_map(self, url: str):
        self.page.goto(url)
        self.frame.locator(DRAWN).first.wait_for(timeout=90_000)
        self.page.wait_for_timeout(500)

    def wait_idle(self, timeout_ms: int = 60_000, quiet_ms: int = 1_000) -> None:
        """Wait until the app has no script run in progress for ``quiet_ms`` (Streamlit's
        running indicator is gone): a page link clicked during a rerun can be lost."""
        running = self.page.locator('[data-testid="stStatusWidgetRunningIcon"], '
                                    '[data-testid="stStatusWidgetRunningManIcon"]')
        deadline = time.monotonic() + timeout_ms / 1000
        quiet_since = None
        while time.monotonic() < deadline:
            if running.count():
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
                return
            self.page.wait_for_timeout(100)
        msg = f"the app was still running after {timeout_ms / 1000:.0f} s"
        raise AssertionError(msg)

    def count(self, selector: str) -> int:
        return self.frame.locator(selector).count()

    def search_claims(self, text: str) -> None:
        field = self.page.get_by_label("Search claims")
        field.fill(text)
        field.press("Enter")

    def choose_first_claim(self, claim_id: str) -> None:
        """Click the first row of the claim list, which must be ``claim_id``; narrow the list
        with :meth:`search_claims` first."""
        self.page.get_by_text("claim(s) match").first.wait_for(timeout=30_000)
        row = self.page.locator(".ce-cl-row").first
        # the list may still show the rows of before the search for a moment: wait for them
        from playwright.sync_api import expect  # imported here: browser tests skip without it

        expect(row).to_have_attribute("data-claim", claim_id, timeout=30_000)
        row.click()
        self.page.wait_for_url(f"**claim={claim_id}**", timeout=30_000)

    def assert_clean(self):
        assert self.problems == [], "\n".join(self.problems)




def save_screenshot(page, name: str) -> Path:
    """A PNG of ``page`` kept as a test artefact: in ``$SCREENSHOT_DIR``, by default
    ``tests/artifacts/screenshots/`` (git-ignored)."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "tests" / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def launch(pw, profile: Path, chromium_path: str, *, width: int = 1400,
           height: int = 950, display: str | None = None) -> Browser:
    """A fresh browser context (its own profile: no cookies, no cache) with one page;
    headed on the X ``display`` (e.g. an Xvfb's ``":99"``) when one is given."""
    headed = {"headless": False, "env": {**os.environ, "DISPLAY": display},
              "args": [a for a in CHROMIUM_ARGS if a != "--headless"]} if display else {
        "headless": True, "args": CHROMIUM_ARGS}
    context = pw.chromium.launch_persistent_context(
        str(profile), executable_path=chromium_path, viewport={"width": width, "height": height},
        **headed)
    return Browser(context)


def map_pixels_changed(before: bytes, after: bytes, box: dict) -> float:
    """Percent of the pixels inside ``box`` that differ between two PNG screenshots."""
    import numpy as np
    from PIL import Image

    clip = (int(box["x"]), int(box["y"]), int(box["x"] + box["width"]),
            int(box["y"] + box["height"]))
    a = np.asarray(Image.open(io.BytesIO(before)).convert("RGB").crop(clip)).astype(int)
    b = np.asarray(Image.open(io.BytesIO(after)).convert("RGB").crop(clip)).astype(int)
    return float((np.abs(a - b).sum(axis=2) > 30).mean() * 100)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
