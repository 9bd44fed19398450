"""Benchmark the real app in headless Chromium against baseline Streamlit pages, same run.

Measures, with every non-loopback request blocked (as on an offline network):

* time to first map: from navigation until the map is drawn (the app: vector paths in the
  Leaflet overlay pane; the folium baseline: the Leaflet map pane), each load in a new browser
  context (empty cache) against a warmed-up server; median of ``--runs`` loads;
* per interaction (toggle a layer, choose a claim in the list, move the date one month on
  with the date control's "next month" button): the time in the browser from the click until
  the map shows the change (both measured in the page, on one clock), and the server's
  script-run time (``CORRIDORS_TIMING=1`` makes the app print one line per run). For the
  date, "shows the change" means the map restyled its lines for the new month (the restyle
  script of ``layers.corridors`` says which month it shows);
* how many script runs a pan and a zoom cause (the map reports its extent for the view state);
* the map payload of the default view: WebSocket bytes received plus the Leaflet files;
* the map search of the Map page: the time in the browser from the Enter key in the search
  field until the map shows the place found, and the server's time for the search's rerun;
* the date control on the Compare page: the time in the browser from a click on "next
  month" (a month not shown before, so the server computes the alternatives) until the page
  labels its figures with that month, and the server's script-run time; then back with
  "previous month" over the same months (cached).

Every wait has a deadline, and the whole run stops after ``--deadline`` seconds (servers
stopped, exit code 3), so ``make bench`` always ends.

The folium baseline lists CDN files; they are answered locally (Leaflet from xstatic-leaflet,
the others as empty files, which favours the baseline) and its tiles are refused.

Usage: ``.venv/bin/python bench/bench_app.py [--runs 5] [--json out.json] [--date-only]
[--search-only] [--interactions-only] [--loads-only] [--deadline 1500]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINES = Path(__file__).resolve().parent / "baselines"
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser")
                 if Path(p).exists()), None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
DRAWN = '.leaflet-overlay-pane path:not([d="M0 0"])'
# Only requests that leave the machine are intercepted (matched in the browser driver): a
# request sent through a route handler waits for a round trip to this process, one at a
# time, a cost no user's browser has. With "**/*" every page's first map was slower (7 runs
# each: the app 1.75 -> 1.68 s, the naive borders page 1.62 -> 1.49 s, the trivial folium
# page 1.31 -> 1.27 s).
NOT_LOCAL = re.compile(r"^(?!(?:http://127\.0\.0\.1|http://localhost)[:/]|data:|blob:|about:)")
#: The month the date steps start from (recorded history: each step is a new month).
START_MONTH = "2016-01"
#: Every server started, to stop them all when the run's deadline passes.
SERVERS: list[Server] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``streamlit run <script>`` on a free port; collects its output lines."""

    def __init__(self, script: Path, *, env: dict | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        streamlit = Path(sys.executable).with_name("streamlit")
        cmd = [str(streamlit), "run", str(script), "--server.headless", "true",
               "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})},
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        SERVERS.append(self)
        threading.Thread(target=self._read, daemon=True).start()
        self._wait()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def _wait(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        msg = f"{self.url} not healthy; output: {self.lines[-20:]}"
        raise RuntimeError(msg)

    def timings(self, page: str = "map") -> list[float]:
        """Server ms of each run of ``page`` (``CE_TIMING page=NAME``: a page, or a fragment
        such as the claim list, ``claim_list``)."""
        pattern = re.compile(rf"CE_TIMING page={re.escape(page)} ms=([\d.]+)")
        return [float(m.group(1)) for line in self.lines if (m := pattern.search(line))]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def wait_timing(self, after: int, page: str = "map", timeout_s: float = 60) -> float:
        """The server ms of the first run of ``page`` after its ``after``-th (NaN if none
        came within ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while len(self.timings(page)) <= after and time.monotonic() < deadline:
            time.sleep(0.02)
        done = self.timings(page)
        return done[after] if len(done) > after else float("nan")


def watchdog(seconds: float) -> None:
    """End the process after ``seconds`` whatever it waits for: servers stopped, exit code 3
    (Playwright's driver ends with it, and the browsers with the driver)."""
    def fire() -> None:
        print(f"bench_app: not done after {seconds:.0f} s (--deadline); stopping",
              file=sys.stderr, flush=True)
        for server in SERVERS:
            with contextlib.suppress(Exception):
                server.proc.kill()
        os._exit(3)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()


def _cdn_handler(route) -> None:
    """Refuse the internet; answer the folium baseline's CDN files locally (only requests
    that leave the machine reach it: :data:`NOT_LOCAL`)."""
    url = route.request.url
    from geo import webassets

    if re.search(r"leaflet@[\d.]+/dist/leaflet\.js$", url):
        route.fulfill(body=webassets.leaflet_js_text(), content_type="application/javascript")
    elif re.search(r"leaflet@[\d.]+/dist/leaflet\.css$", url):
        route.fulfill(body=webassets.leaflet_css_text(), content_type="text/css")
    elif url.endswith(".js"):
        route.fulfill(body="", content_type="application/javascript")
    elif url.endswith(".css"):
        route.fulfill(body="", content_type="text/css")
    else:
        route.abort()


# Runs in the top page from its first moment: once per animation frame it looks for the
# page's "ready" selector (inside the map frame where needed) and records when it first
# matched with a non-empty box (ms since navigation started). Measured in the page itself,
# so the figure does not depend on how quickly the test driver notices.
READY_PROBE = """
(() => {
  if (window !== window.top) return;
  const selector = %s, frameSelector = %s;
  const found = () => {
    let doc = document;
    if (frameSelector) { const f = document.querySelector(frameSelector);
      doc = f && f.contentDocument; if (!doc) return false; }
    const el = doc.querySelector(selector);
    if (!el) return false;
    const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const poll = () => { if (window.__ceReadyMs !== undefined) return;
    if (found()) { window.__ceReadyMs = performance.now(); return; } requestAnimationFrame(poll); };
  requestAnimationFrame(poll);
})();
"""


@contextlib.contextmanager
def fresh_page(pw, init_script: str):
    """A page in a new browser profile (empty cache), 1400x950, CDN requests answered locally."""
    with tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                        headless=True, args=ARGS)
        try:
            context.add_init_script(init_script)
            page = context.new_page()
            page.set_viewport_size({"width": 1400, "height": 950})
            page.route(NOT_LOCAL, _cdn_handler)
            yield page
        finally:
            context.close()


def load_once(pw, url: str, ready: str, *, in_frame: bool) -> dict:
    """One page load in a fresh context: seconds until ``ready`` is drawn and bytes received."""
    probe = READY_PROBE % (json.dumps(ready), json.dumps(FRAME if in_frame else None))
    with fresh_page(pw, probe) as page:
        ws_bytes = [0]
        http_bytes = {}
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: ws_bytes.__setitem__(0, ws_bytes[0] + len(payload))))

        def on_response(resp):
            if "/app/static/" in resp.url:
                with contextlib.suppress(Exception):  # a body may be gone already
                    http_bytes[resp.url] = len(resp.body())

        page.on("response", on_response)
        start = time.perf_counter()
        page.goto(url)
        target = page.frame_locator(FRAME).first.locator(ready) if in_frame else page.locator(ready)
        target.first.wait_for(timeout=120_000)
        wall = time.perf_counter() - start
        page.wait_for_function("() => window.__ceReadyMs !== undefined", timeout=30_000)
        seconds = page.evaluate("() => window.__ceReadyMs") / 1000.0
        page.wait_for_timeout(300)
    return {"s": seconds, "wall_s": wall, "ws_bytes": ws_bytes[0],
            "static_bytes": sum(http_bytes.values())}


# In the page: the moment of the last pointer press or key press (the user's action), on one
# clock with the map frame (timeOrigin + now), so an interaction is timed from the action to
# its effect on the map, as the user sees it, whatever the test driver's own delays.
CLICK_PROBE = """
(() => { if (window !== window.top) return;
  const mark = () => { window.__ceClickAt = performance.timeOrigin + performance.now(); };
  document.addEventListener('pointerdown', mark, true);
  document.addEventListener('keydown', mark, true); })();
"""
# In the map frame or the page: watch ``cond`` from now on, once per animation frame, and keep
# the time (the clock of __ceClickAt) of the first frame in which it holds in window.__ceShownAt
# (null after ``limit`` ms). Armed before the action, so the time does not depend on when the
# test driver gets back (a click waits for the address change of the run it causes).
ARM = """
(...args) => { const [cond, limit] = args[args.length - 1];  // (element,) [cond, limit]
  const test = new Function('return (' + cond + ')');
  let ok = false; try { ok = test(); } catch (err) { ok = false; }
  if (ok) { throw new Error('shown before the action: ' + cond); }
  window.__ceShownAt = undefined; const start = performance.now();
  const poll = () => { let ok = false; try { ok = test(); } catch (err) { ok = false; }
    if (ok) { window.__ceShownAt = performance.timeOrigin + performance.now(); }
    else if (performance.now() - start > limit) { window.__ceShownAt = null; }
    else { requestAnimationFrame(poll); } };
  requestAnimationFrame(poll); }
"""
# ... then wait for it (fails when the watch ran out of time).
SHOWN = """
() => new Promise((done, fail) => { const wait = () => {
  if (window.__ceShownAt === null) { fail(new Error('not shown in time')); }
  else if (window.__ceShownAt !== undefined) { done(window.__ceShownAt); }
  else { setTimeout(wait, 10); } }; wait(); })
"""


def watched(where, action, cond: str, page, limit_ms: int = 30_000) -> float:
    """In-browser ms from the user's action (``__ceClickAt`` of ``page``) until ``cond``
    holds in ``where`` (the page or a locator in the map frame), watched from before it."""
    where.evaluate(ARM, [cond, limit_ms])
    action()
    shown = where.evaluate(SHOWN)
    return shown - page.evaluate("() => window.__ceClickAt")


def interactions(pw, server: Server, runs: int) -> dict:
    """Layer toggles, claim choices and date steps: in-browser ms (click to map updated) and
    server ms."""
    import geo
    from app_pages import _when

    with fresh_page(pw, CLICK_PROBE) as page:
        page.goto(f"{server.url}/?asof={START_MONTH}")
        frame = page.frame_locator(FRAME).first
        frame.locator(DRAWN).first.wait_for(timeout=120_000)
        page.wait_for_timeout(1500)
        body = frame.locator("body")

        def timed(action, cond: str, run: str = "map") -> tuple[float, float]:
            """(in-browser ms from the click until ``cond`` holds in the map, server ms of
            the run it causes: of the page, or of the fragment ``run``)."""
            n = len(server.timings(run))
            browser_ms = watched(body, action, cond, page)
            server_ms = server.wait_timing(n, run, 30)
            page.wait_for_timeout(300)
            return browser_ms, server_ms

        out: dict[str, list] = {"toggle_layer": [], "choose_claim": []}
        crossings = "document.querySelectorAll('.leaflet-marker-pane .ce-crossing').length"
        for i in range(runs):
            shown = i % 2 == 1  # off, on, off, ...
            out["toggle_layer"].append(timed(
                lambda: page.get_by_text("Border crossings", exact=True).click(),
                f"{crossings} {'>' if shown else '=='} 0"))
        claims = geo.claims_gdf()
        drawn = claims[claims["located_by"] != "country"]
        search = page.get_by_label("Search claims")
        first_row = page.locator(".ce-cl-row").first  # the claim list (app_pages/_claim_list)
        for _, row in drawn.head(runs).iterrows():
            search.fill(str(row["summary"]))
            search.press("Enter")
            page.get_by_text("1 of ").first.wait_for(timeout=30_000)
            page.wait_for_timeout(500)
            cid = str(row["claim_id"])
            out["choose_claim"].append(timed(
                lambda: first_row.click(),
                "[...document.querySelectorAll('.leaflet-popup-content')]"
                f".some(e => e.innerText.includes('Claim {cid}'))", run="claim_list"))

        # The date control: one month on at a time with its "next month" button.
        step = page.locator(".st-key-w_next button:visible")
        out["date_step"] = []
        month = START_MONTH
        for _ in range(runs):
            month = _when.shift(month, 1)
            out["date_step"].append(timed(step.click,
                                          f"window.__ceStatusesShown === {json.dumps(month)}"))

        # Pan and zoom: how many script runs follow (each reports the new extent).
        n = len(server.timings())
        box_map = page.locator(FRAME).first.bounding_box()
        cx, cy = box_map["x"] + box_map["width"] / 3, box_map["y"] + box_map["height"] / 2
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + 150, cy + 80, steps=10)
        page.mouse.up()
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(2500)
        reruns_on_pan = len(server.timings()) - n
    summary = {k: {"browser_ms_median": statistics.median(b for b, _ in v),
                   "browser_ms_max": max(b for b, _ in v),
                   "server_ms_median": statistics.median(s for _, s in v)}
               for k, v in out.items()}
    summary["reruns_on_pan_zoom"] = reruns_on_pan
    return summary


def date_control(pw, server: Server, runs: int) -> dict:
    """The Compare page's date control: ms from a click on "next month" (or "previous
    month") until the page labels its figures with the new month."""
    import geo
    from app_pages import _when

    with fresh_page(pw, CLICK_PROBE) as page:
        page.goto(f"{server.url}/compare?asof={START_MONTH}")
        page.get_by_text(geo.when_text(START_MONTH)).first.wait_for(timeout=120_000)
        page.frame_locator(FRAME).first.locator(DRAWN).first.wait_for(state="attached",
                                                                      timeout=120_000)
        page.wait_for_timeout(1500)

        def step(button: str, month: str) -> tuple[float, float, str]:
            label = json.dumps(geo.when_text(month))
            n = len(server.timings("compare"))
            browser_ms = watched(
                page, lambda: page.locator(f".st-key-c_{button} button:visible").click(
                    timeout=30_000),
                "[...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] strong')]"
                f".some(e => e.textContent.startsWith({label}))", page, 120_000)
            server_ms = server.wait_timing(n, "compare", 60)
            page.frame_locator(FRAME).first.locator(DRAWN).first.wait_for(state="attached",
                                                                          timeout=60_000)
            page.wait_for_timeout(800)  # the map settles before the next click
            return browser_ms, server_ms, month

        months = [_when.shift(START_MONTH, i) for i in range(1, runs + 1)]
        fresh = [step("next", m) for m in months]
        again = [step("prev", m) for m in [*months[-2::-1], START_MONTH]]

    def summary(items):
        return {"browser_ms_median": statistics.median(b for b, _, _ in items),
                "browser_ms_max": max(b for b, _, _ in items),
                "server_ms_median": statistics.median(s for _, s, _ in items),
                "months": [m for _, _, m in items]}

    return {"new_month": summary(fresh), "month_seen_before": summary(again)}


def print_date_control(result: dict) -> None:
    print(f"\n{'date control (Compare)':24} {'in browser ms (median)':>23} {'(max)':>7} "
          f"{'server ms (median)':>19}")
    for key in ("new_month", "month_seen_before"):
        r = result[key]
        print(f"{key:24} {r['browser_ms_median']:>23.0f} {r['browser_ms_max']:>7.0f} "
              f"{r['server_ms_median']:>19.0f}")
    print(f"(months: {', '.join(result['new_month']['months'])}; in browser: from the click on "
          "next (previous) month to the figures labelled with that month; target <= 300 ms)")


# The map search: names in several languages and scripts, each of another place, so every
# search moves the map.
SEARCHES = (("Meghri", "meghri"), ("Нахчыван", "nakhchivan"), ("تبریز", "tabriz"),
            ("Kars", "kars"), ("Bakı", "baku"))


def section_timings(server: Server, section: str) -> list[float]:
    """Server ms of each run of one section (a fragment: ``CE_TIMING section=NAME``)."""
    pattern = re.compile(rf"CE_TIMING section={re.escape(section)} ms=([\d.]+)")
    return [float(m.group(1)) for line in server.lines if (m := pattern.search(line))]


def map_search(pw, server: Server, runs: int) -> dict:
    """The Map page's search: in-browser ms from the Enter key until the map shows the place
    found (zoomed in, the place in view), and the server ms of the search's own rerun."""
    import geo

    places = geo.load_places()
    with fresh_page(pw, CLICK_PROBE) as page:
        page.goto(server.url)
        frame = page.frame_locator(FRAME).first
        frame.locator(DRAWN).first.wait_for(timeout=120_000)
        page.wait_for_timeout(1500)
        body = frame.locator("body")
        field = page.get_by_role("textbox", name="Search the map")
        out = []
        for i in range(runs):
            text, pid = SEARCHES[i % len(SEARCHES)]
            lat, lon = places.at[pid, "lat"], places.at[pid, "lon"]
            field.fill(text)
            n = len(section_timings(server, "search"))
            browser_ms = watched(body, lambda: field.press("Enter"),
                                 f"window.map_div.getZoom() >= 9 && "
                                 f"window.map_div.getBounds().contains([{lat}, {lon}])", page)
            deadline = time.monotonic() + 30
            while len(section_timings(server, "search")) <= n and time.monotonic() < deadline:
                page.wait_for_timeout(20)
            done = section_timings(server, "search")
            page.wait_for_timeout(1000)  # the map reports its new extent (a rerun, not timed)
            out.append((browser_ms, done[n] if len(done) > n else float("nan")))
    return {"browser_ms_median": statistics.median(b for b, _ in out),
            "browser_ms_max": max(b for b, _ in out),
            "server_ms_median": statistics.median(s for _, s in out),
            "queries": [SEARCHES[i % len(SEARCHES)][0] for i in range(runs)]}


def print_map_search(result: dict) -> None:
    print(f"\n{'map search (Map page)':24} {'in browser ms (median)':>23} {'(max)':>7} "
          f"{'server ms (median)':>19}")
    print(f"{'search':24} {result['browser_ms_median']:>23.0f} {result['browser_ms_max']:>7.0f} "
          f"{result['server_ms_median']:>19.0f}")
    print(f"(queries: {', '.join(result['queries'])}; in browser: from the Enter key to the map "
          "zoomed to the place found; target <= 250 ms)")


def print_interactions(inter: dict) -> None:
    print(f"\n{'interaction':14} {'in browser ms (median)':>23} {'(max)':>7} "
          f"{'server ms (median)':>19}")
    for key in ("toggle_layer", "choose_claim", "date_step"):
        r = inter[key]
        print(f"{key:14} {r['browser_ms_median']:>23.0f} {r['browser_ms_max']:>7.0f} "
              f"{r['server_ms_median']:>19.0f}")
    print("(in browser: from the click to the map showing the change; target <= 250 ms)")
    print(f"script runs after one pan and one zoom: {inter['reruns_on_pan_zoom']} "
          "(each sends the new extent to the view state)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--date-only", action="store_true",
                        help="only the Compare page's date control")
    parser.add_argument("--search-only", action="store_true", help="only the map search")
    parser.add_argument("--loads-only", action="store_true",
                        help="only the first map of each page (no interactions)")
    parser.add_argument("--interactions-only", action="store_true",
                        help="only the Map page's interactions (layer, claim, date step)")
    parser.add_argument("--deadline", type=float, default=1500,
                        help="stop the whole run after this many seconds (exit code 3)")
    args = parser.parse_args(argv)
    watchdog(args.deadline)
    if CHROMIUM is None:
        print("no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    # one part alone: (flag, key in the JSON, what measures it, what prints it)
    parts = [(args.search_only, "map_search", map_search, print_map_search),
             (args.interactions_only, "interactions", interactions, print_interactions),
             (args.date_only, "date_control", date_control, print_date_control)]
    for chosen, name, measure, show in parts:
        if not chosen:
            continue
        server = Server(ROOT / "serve.py", env={"CORRIDORS_TIMING": "1"})
        try:
            with sync_playwright() as pw:
                result = measure(pw, server, args.runs)
        finally:
            server.stop()
        show(result)
        if args.json:
            args.json.write_text(json.dumps({name: result}, indent=2))
        return 0
    results: dict = {}
    pages = [
        ("bare text page", BASELINES / "text_page.py", '[data-testid="stMarkdown"]', False),
        ("trivial folium page", BASELINES / "folium_page.py", ".leaflet-control-zoom-in", True),
        ("naive 10m borders page", BASELINES / "naive_page.py", DRAWN, True),
        ("Corridor Explorer map", ROOT / "serve.py", DRAWN, True),
    ]
    servers = {}
    try:
        for name, script, _, _ in pages:
            env = {"CORRIDORS_TIMING": "1"} if script.name == "serve.py" else {}
            servers[name] = Server(script, env=env)
        with sync_playwright() as pw:
            loads: dict[str, list] = {name: [] for name, *_ in pages}
            for name, _, ready, in_frame in pages:  # warm every server's caches once
                load_once(pw, servers[name].url, ready, in_frame=in_frame)
            for _ in range(args.runs):  # interleaved, so machine load hits every page alike
                for name, _, ready, in_frame in pages:
                    loads[name].append(load_once(pw, servers[name].url, ready, in_frame=in_frame))
            for name, *_ in pages:
                got = loads[name]
                results[name] = {"median_s": statistics.median(x["s"] for x in got),
                                 "all_s": [round(x["s"], 3) for x in got],
                                 "wall_median_s": statistics.median(x["wall_s"] for x in got),
                                 "ws_bytes": got[-1]["ws_bytes"],
                                 "static_bytes": got[-1]["static_bytes"]}
            app_server = servers["Corridor Explorer map"]
            results["first_run_server_ms"] = app_server.timings()[1:]
            if not args.loads_only:
                results["interactions"] = interactions(pw, app_server, args.runs)
                results["date_control"] = date_control(pw, app_server, args.runs)
                results["map_search"] = map_search(pw, app_server, args.runs)
    finally:
        for server in servers.values():
            server.stop()

    base = results["trivial folium page"]["median_s"]
    app = results["Corridor Explorer map"]
    print(f"{'page':28} {'first map (median s)':>21} {'loads (s)':>32}")
    for name, _, _, _ in pages:
        r = results[name]
        print(f"{name:28} {r['median_s']:>21.2f} {r['all_s']!s:>32}")
    ratio = app["median_s"] / base
    payload = app["ws_bytes"] + app["static_bytes"]
    print(f"\napp / trivial folium page: {ratio:.2f} (target <= 1.20)")
    print(f"map payload, default view: {payload / 1e6:.2f} MB "
          f"(WebSocket {app['ws_bytes'] / 1e6:.2f} MB + Leaflet files "
          f"{app['static_bytes'] / 1e6:.2f} MB;"
          " target <= 1.5 MB)")
    if not args.loads_only:
        print_interactions(results["interactions"])
        print_date_control(results["date_control"])
        print_map_search(results["map_search"])
    runs = results["first_run_server_ms"]
    print(f"server time of a new session's first map run: median {statistics.median(runs):.0f} ms")
    results["ratio"] = ratio
    results["payload_bytes"] = payload
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
