"""Interactive HTML snapshot: one self-contained file that draws the map from disk, offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from helpers import ROOT, export_world, section_figures, split_text_km

import geo
import layers

pytestmark = pytest.mark.browser

EXTERNAL_TAG = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)


@pytest.fixture
def world(tmp_path):
    return export_world(tmp_path / "data")


def snapshot_html(data_dir, out, *extra) -> int:
    from geo.cli import main

    return main(["--data-dir", str(data_dir), "snapshot", "--out", str(out), *extra])


@pytest.fixture
def offline_page(chromium_path):
    """A Chromium page that may load file:// and data: URLs only; other requests are recorded."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        blocked: list[str] = []
        errors: list[str] = []

        def guard(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "about:", "blob:")):
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        page.route("**/*", guard)
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, blocked, errors
        browser.close()


def test_html_file_is_self_contained(world, tmp_path, monkeypatch):
    monkeypatch.setattr(geo.settings, "data_dir", geo.settings.data_dir)  # --data-dir sets it
    out = tmp_path / "map.html"
    assert snapshot_html(world, out, "--routes", "w-e", "--title", "Rail <b>&</b> road") == 0
    html = out.read_text(encoding="utf-8")
    assert EXTERNAL_TAG.search(html) is None
    assert "<title>Rail &lt;b&gt;&amp;&lt;/b&gt; road</title>" in html
    assert "L.map(" in html and "West to East" in html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "map.html"]


def test_html_file_draws_the_map_from_disk_with_the_network_blocked(world, tmp_path, offline_page,
                                                                   monkeypatch):
    monkeypatch.setattr(geo.settings, "data_dir", geo.settings.data_dir)
    out = tmp_path / "map.html"
    assert snapshot_html(world, out, "--routes", "w-e", "--bbox", "0,0,3,1") == 0
    page, blocked, errors = offline_page
    page.goto(out.as_uri())
    page.wait_for_selector(".leaflet-container", timeout=10_000)
    page.wait_for_selector("path.leaflet-interactive", state="attached", timeout=10_000)
    assert page.locator("path.leaflet-interactive").count() >= 3  # route, two segments, ...
    assert "West to East" in page.locator(".ce-legend").inner_text()
    bounds = page.evaluate(
        "() => { const m = Object.keys(window).find(k => k.startsWith('map_'));"
        " const b = window[m].getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
    west, south, east, north = bounds
    assert west <= 0.5 and east >= 2.5 and south <= 0.5 <= north  # the route is in view
    assert errors == []
    assert blocked == []


def test_shipped_html_with_claims_opens_offline_with_popups(shipped_copy, tmp_path, offline_page,
                                                            monkeypatch):
    monkeypatch.setattr(geo.settings, "data_dir", geo.settings.data_dir)
    route = geo.load_routes(shipped_copy).index[0]
    article = min(p.stem for p in (shipped_copy / "claims").glob("*.yaml"))
    out = tmp_path / "claims.html"
    assert snapshot_html(shipped_copy, out, "--routes", route, "--claims", article) == 0
    assert EXTERNAL_TAG.search(out.read_text(encoding="utf-8")) is None
    page, blocked, errors = offline_page
    page.goto(out.as_uri())
    page.wait_for_selector(".ce-claim", timeout=10_000)
    # overlapping claims are grouped as in the app: the cluster plugin is inlined too
    assert page.evaluate("() => typeof L.markerClusterGroup") == "function"
    assert page.locator(".marker-cluster").count() > 0
    # the first claim marker that is in view and not covered by another marker or the legend
    index = page.evaluate(
        "() => [...document.querySelectorAll('.ce-claim')].findIndex(el => {"
        " const r = el.getBoundingClientRect();"
        " const x = r.left + r.width / 2, y = r.top + r.height / 2;"
        " return x > 0 && y > 0 && x < innerWidth && y < innerHeight"
        " && el.contains(document.elementFromPoint(x, y)); })")
    assert index >= 0, "no claim marker in view"
    page.locator(".ce-claim").nth(index).click()
    page.wait_for_selector(".leaflet-popup-content", timeout=5_000)
    assert page.locator(".leaflet-popup-content").inner_text().strip() != ""
    assert errors == []
    assert blocked == []


def test_route_popup_gives_the_named_sections_with_their_text_escaped(tmp_path, monkeypatch):
    monkeypatch.setattr(geo.settings, "data_dir", geo.settings.data_dir)
    name = 'East <b>part</b> & "co" <script>window.__pwned=1</script>'
    world = export_world(tmp_path / "data", section=name)
    km_best, by_country = section_figures(world, ["m-e"])
    out = tmp_path / "map.html"
    assert snapshot_html(world, out, "--routes", "w-e") == 0
    html = out.read_text(encoding="utf-8")
    assert "<b>part" not in html and "<script>window.__pwned" not in html
    features = [f for data in re.findall(r"\.addData\((\{.*?\})\);\n", html)
                for f in json.loads(data)["features"]]
    [route] = [f for f in features if f["properties"].get("i") == "w-e"]
    popup = route["properties"]["p"]
    assert "<dt>Named sections</dt>" in popup
    escaped = geo.escape_html(name)
    assert f"<li>{escaped}: {km_best:,.0f} km (measured on the drawn line)" in popup
    shown = re.search(r"km by country: ([^<]*?); km by status: ([^<]*)</li>", popup)
    assert split_text_km(shown[1]) == pytest.approx(by_country, abs=0.051)
    assert shown[2] == f"planned {km_best:.1f}"


def test_building_the_cli_does_not_import_folium():
    code = ("import sys, geo.cli, geo.cli.export\n"
            "geo.cli.build_parser()\n"
            "heavy = {'folium', 'layers', 'matplotlib'}\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == ""


def test_snapshot_layer_choices_are_the_apps():
    from layers.map import LAYER_KEYS

    assert geo.export.MAP_LAYERS == LAYER_KEYS
    assert layers is not None


def test_map_frames_follow_the_filters(world):
    frames = geo.map_frames(routes=["w-e"], modes=["rail"], statuses=["planned"], data_dir=world)
    assert list(frames["segments"].index) == ["m-e"]
    assert list(frames["highlight"]["name"]) == ["West to East"]
    assert frames["bounds"][0][0] < 0.5 < frames["bounds"][1][0]  # south < route < north
    assert list(frames["gauge_breaks"].index) == []  # one gauge left after the filters
    every = geo.map_frames(data_dir=world)
    assert list(every["gauge_breaks"].index) == ["mid"]  # 1435 meets 1520 at Mid
    assert every["gauge_breaks"].at["mid", "gauges"] == ["1435", "1520"]
    with pytest.raises(geo.ExportError, match=r"unknown status 'lost'"):
        geo.map_frames(statuses=["lost"], data_dir=world)


def test_html_export_takes_the_title_on_the_page_and_as_its_title(world, tmp_path):
    out = tmp_path / "map.html"
    title = 'Rail <b>&</b> road "to" Nakhchivan — مرز'
    assert snapshot_html(world, out, "--routes", "w-e", "--title", title) == 0
    html = out.read_text(encoding="utf-8")
    escaped = geo.escape_html(title)
    assert html.count("<title>") == 1
    assert f"<title>{escaped}</title>" in html
    assert f'<h1 dir="auto"><bdi>{escaped}</bdi></h1>' in html  # shown above the map, as text
    assert "<b>&</b>" not in html


def test_html_export_title_defaults_to_the_routes_and_says_the_date(world):
    frames = geo.map_frames(routes=["w-e"], data_dir=world)
    assert frames["title"] == geo.load_routes(world).at["w-e", "name"]
    assert geo.map_frames(data_dir=world)["title"] == "Transport corridors"
    dated = geo.map_frames(routes=["w-e"], as_of="2030", data_dir=world)["title"]
    assert dated.startswith(frames["title"] + " (") and "2030" in dated
    html = layers.to_html(layers.build_map(**frames))
    assert f"<title>{geo.escape_html(frames['title'])}</title>" in html
