"""Load check: N browser sessions open the app at the same time (headless Chromium).

Starts the app (``streamlit run serve.py``, as ``make run`` does) with every non-loopback
request blocked, opens one session to warm the server's caches, then N sessions at once (each
its own browser context, so its own Streamlit session) and reports:

* errors: sessions whose map never appeared, Streamlit exception boxes, JavaScript errors in
  the page, and tracebacks in the server's output;
* time to first map of the N concurrent sessions (median and p95), measured in the page
  from navigation until the first corridor is drawn in the Leaflet overlay;
* server memory (resident set of the server process): before, peak during, and after;
* server time: the app's own script-run times (``CORRIDORS_TIMING``) and the CPU seconds the
  server used, to tell server work from the browser's (both share the machine).

The check runs twice (unless ``--idle-only``): once on an idle server, then again while one more
session drafts claims from the longest article the app accepts (``geo.settings.
max_article_chars``: the shipped article of ``../shared/articles`` repeated to that length,
or sentences made from the shipped places where it is absent), and reports each figure of
the second run as a multiple of the first (target: each within 2x).

Usage: ``.venv/bin/python bench/bench_load.py [--sessions 25] [--hold 5] [--idle-only]
[--json out.json] [--strict]``; ``--strict`` exits 1 when any session had an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from bench_app import ARGS, CHROMIUM, DRAWN, FRAME, NOT_LOCAL, READY_PROBE, ROOT, Server

MAP_TIMEOUT_MS = 180_000


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far, from /proc; 0 when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def rss_mb(pid: int) -> float:
    """Resident memory of a process (MB), from /proc; 0 when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler:
    """Samples a process's resident memory every ``every_s`` seconds in a thread."""

    def __init__(self, pid: int, every_s: float = 0.1) -> None:
        self.pid, self.every_s = pid, every_s
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(rss_mb(self.pid))
            self._stop.wait(self.every_s)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


async def _block_internet(route) -> None:
    await route.abort()  # only requests that leave the machine reach it (NOT_LOCAL)


async def session(browser, url: str, hold_s: float) -> dict:
    """One session: open the app, wait for the map, stay ``hold_s`` seconds; what went wrong."""
    context = await browser.new_context(viewport={"width": 1400, "height": 950})
    await context.add_init_script(READY_PROBE % (json.dumps(DRAWN), json.dumps(FRAME)))
    page = await context.new_page()
    await page.route(NOT_LOCAL, _block_internet)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}")
            if msg.type == "error" and "net::ERR_FAILED" not in msg.text else None)
    result: dict = {"first_map_s": None}
    try:
        await page.goto(url, timeout=MAP_TIMEOUT_MS)
        await page.frame_locator(FRAME).first.locator(DRAWN).first.wait_for(timeout=MAP_TIMEOUT_MS)
        await page.wait_for_function("() => window.__ceReadyMs !== undefined", timeout=30_000)
        result["first_map_s"] = await page.evaluate("() => window.__ceReadyMs") / 1000.0
        await page.wait_for_timeout(hold_s * 1000)
        boxes = await page.locator('[data-testid="stException"]').count()
        if boxes:
            errors.append(f"{boxes} Streamlit exception box(es) on the page")
    except Exception as err:  # noqa: BLE001 - a session that fails is a figure, not a crash
        errors.append(f"{type(err).__name__}: {str(err).splitlines()[0]}")
    finally:
        await context.close()
    result["errors"] = errors
    return result


def longest_article() -> str:
    """The longest article text the app drafts (``settings.max_article_chars``), made of real
    sentences: the shipped article repeated, or sentences naming the shipped places."""
    from geo import settings

    limit = settings.max_article_chars
    source = ROOT.parent / "shared" / "articles" / "jpost-azerbaijan-iran.txt"
    if source.is_file():
        unit = source.read_text(encoding="utf-8") + "\n\n"
    else:
        import csv

        with (ROOT / "data" / "places.csv").open(encoding="utf-8") as handle:
            names = [row["name"] for row in csv.DictReader(handle)]
        unit = " ".join(f"The line from {a} to {b} is 125 km long and opened in 2021."
                        for a, b in zip(names, names[1:], strict=False)) + "\n"
    return (unit * (limit // len(unit) + 1))[:limit]


async def drafting_session(browser, url: str, text: str) -> dict:
    """One session that drafts claims from ``text`` on the Claims page: seconds until the
    page shows the draft (or its message), and what went wrong."""
    context = await browser.new_context(viewport={"width": 1400, "height": 950})
    page = await context.new_page()
    await page.route(NOT_LOCAL, _block_internet)
    result: dict = {"draft_s": None, "errors": []}
    try:
        await page.goto(f"{url}/claims", timeout=MAP_TIMEOUT_MS)
        await page.get_by_role("tab", name="Add an article").click(timeout=MAP_TIMEOUT_MS)
        await page.locator('input[aria-label="Article id"]').fill("bench-longest-article")
        area = page.locator('textarea[aria-label="Article text"]')
        await area.wait_for(timeout=MAP_TIMEOUT_MS)
        await area.fill(text)
        started = time.perf_counter()
        await page.get_by_role("button", name="Draft claims").click()
        # the draft's review table or its message, in the open tab (the other tab's table is
        # on the page too, hidden)
        done = page.locator('[data-testid="stDataFrame"]:visible, '
                            '[data-testid="stDataEditor"]:visible, [data-testid="stAlert"]:visible')
        await done.first.wait_for(timeout=MAP_TIMEOUT_MS)
        result["draft_s"] = time.perf_counter() - started
    except Exception as err:  # noqa: BLE001 - a session that fails is a figure, not a crash
        result["errors"].append(f"drafting: {type(err).__name__}: {str(err).splitlines()[0]}")
    finally:
        await context.close()
    return result


async def run(url: str, sessions: int, hold_s: float,
              draft_text: str | None = None) -> tuple[dict, list[dict], dict | None]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        warm = await session(browser, url, 0.5)
        loads = [session(browser, url, hold_s) for _ in range(sessions)]
        if draft_text is None:
            drafted = None
            loads = await asyncio.gather(*loads)
        else:
            drafted, *loads = await asyncio.gather(drafting_session(browser, url, draft_text),
                                                   *loads)
        await browser.close()
    return warm, list(loads), drafted


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank (with 10 values: the largest but none)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(sessions: int, hold_s: float, draft_text: str | None = None) -> dict:
    """Start the app, open ``sessions`` sessions at once (with one more drafting
    ``draft_text`` when given), stop it, and return the figures."""
    server = Server(ROOT / "serve.py", env={"CORRIDORS_TIMING": "1"})
    try:
        before = rss_mb(server.proc.pid)
        cpu_before = cpu_s(server.proc.pid)
        started = time.perf_counter()
        with MemorySampler(server.proc.pid) as memory:
            warm, loads, drafted = asyncio.run(run(server.url, sessions, hold_s, draft_text))
        wall = time.perf_counter() - started
        time.sleep(2.0)
        after = rss_mb(server.proc.pid)
        server_cpu = cpu_s(server.proc.pid) - cpu_before
        runs_ms = server.timings()
        server_tracebacks = [line for line in server.lines if "Traceback" in line]
    finally:
        server.stop()

    times = [s["first_map_s"] for s in loads if s["first_map_s"] is not None]
    failed = [s for s in loads if s["errors"] or s["first_map_s"] is None]
    extra = [drafted] if drafted is not None else []
    return {
        "sessions": sessions,
        "sessions_with_errors": len(failed) + sum(bool(d["errors"]) for d in extra),
        "errors": [e for s in [warm, *loads, *extra] for e in s["errors"]],
        "server_tracebacks": len(server_tracebacks),
        "warm_up_first_map_s": warm["first_map_s"],
        "first_map_median_s": statistics.median(times) if times else None,
        "first_map_p95_s": p95(times) if times else None,
        "first_map_all_s": [round(t, 2) for t in sorted(times)],
        "draft_s": None if drafted is None or drafted["draft_s"] is None
        else round(drafted["draft_s"], 2),
        "server_rss_mb": {"before": round(before), "peak": round(max(memory.samples, default=0)),
                          "after": round(after)},
        "wall_s": round(wall, 1),
        "server_cpu_s": round(server_cpu, 1),
        "server_script_runs": len(runs_ms),
        "server_script_ms_median": round(statistics.median(runs_ms)) if runs_ms else None,
        "machine_cpus": os.cpu_count(),
    }


def report(results: dict, hold_s: float) -> None:
    """Print the figures of :func:`measure`."""
    print(f"{results['sessions']} concurrent sessions on the app ({results['wall_s']:.0f} s in "
          f"all, each held {hold_s:g} s after its map)")
    print(f"  errors: {results['sessions_with_errors']} session(s) with errors, "
          f"{results['server_tracebacks']} server traceback(s)")
    for line in results["errors"][:10]:
        print(f"    {line}")
    if results["first_map_all_s"]:
        print(f"  time to first map: median {results['first_map_median_s']:.2f} s, "
              f"p95 {results['first_map_p95_s']:.2f} s (all: {results['first_map_all_s']}); "
              f"one session alone (warm-up): {results['warm_up_first_map_s'] or float('nan'):.2f} s")
    if results["draft_s"] is not None:
        print(f"  the draft took {results['draft_s']:.1f} s (from the click to the result)")
    if results["server_script_runs"]:
        print(f"  server: {results['server_script_runs']} script runs, median "
              f"{results['server_script_ms_median']} ms; {results['server_cpu_s']:.0f} CPU s of "
              f"the {results['wall_s']:.0f} s (machine: {results['machine_cpus']} CPUs, shared "
              "with the browser)")
    mem = results["server_rss_mb"]
    print(f"  server memory (RSS): {mem['before']} MB before, {mem['peak']} MB peak, "
          f"{mem['after']} MB after")


def ratio(busy: float | None, idle: float | None) -> float | None:
    """``busy / idle``, None when either is missing (no session drew its map)."""
    return busy / idle if busy and idle else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=25, help="concurrent sessions (25)")
    parser.add_argument("--hold", type=float, default=5.0,
                        help="seconds each session stays open after its map appears (5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a session had errors")
    parser.add_argument("--idle-only", action="store_true",
                        help="skip the second run, in which another session drafts the longest "
                             "article")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    draft_text = None if args.idle_only else longest_article()
    results = measure(args.sessions, args.hold)
    report(results, args.hold)
    failed_any = results["sessions_with_errors"] or results["server_tracebacks"]
    if draft_text is not None:
        busy = measure(args.sessions, args.hold, draft_text)
        print(f"\nthe same while another session drafts {len(draft_text):,} characters:")
        report(busy, args.hold)
        ratios = {
            "first_map_median": ratio(busy["first_map_median_s"], results["first_map_median_s"]),
            "first_map_p95": ratio(busy["first_map_p95_s"], results["first_map_p95_s"]),
            "server_rss_peak": ratio(busy["server_rss_mb"]["peak"], results["server_rss_mb"]["peak"]),
        }
        print("  drafting / idle: " + ", ".join(
            f"{k} {'n/a' if v is None else f'{v:.2f}x'}" for k, v in ratios.items())
            + " (target: each <= 2x)")
        results = {"idle": results, "drafting": busy, "ratios": ratios}
        failed_any = failed_any or busy["sessions_with_errors"] or busy["server_tracebacks"]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if args.strict and failed_any else 0


if __name__ == "__main__":
    sys.exit(main())
