"""Hostile article text through every HTML path, checked in headless Chromium.

Claims whose quote, summary, speaker, context, place name and route name are hostile strings
(markup, event handlers, backticks and ``${}``, backslash-digit, quotes, right-to-left text)
are loaded, checked and rendered: as claim cards, as Leaflet popups and tooltips fed through
JavaScript string literals, and, where the ``layers`` package provides it, as the app's own
map page. Each must show the text as text, run no injected script, and make no request.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers import tiny_world, write_data

import geo
import layers
from layers import claim_popup_html

pytestmark = pytest.mark.browser

HOSTILE = [
    "<script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=2;alert(2)">',
    "`${window.__pwned=3}` and `+alert(3)+`",
    "back\\slash \\1 \\x41 \\u0041 \\",
    "\"double\" and 'single' quotes </div></blockquote></bdi>",
    "</script><script>window.__pwned=4</script>",
    "مرز ایران و آذربایجان — Մեղրի (RTL)",
    "{{ 7*7 }} ${7*7} javascript:alert(5)",
]


# Opens every popup and tooltip of every Leaflet map of the page; returns their texts.
OPEN_ALL = """(function(){ var out = [];
  Object.keys(window).filter(function(k){ return k.indexOf('map_') === 0; }).forEach(function(k){
    var v = window[k]; if (!(v instanceof L.Map)) { return; }
    v.eachLayer(function(l){
      if (l.getPopup && l.getPopup()) { l.openPopup(); var el = l.getPopup().getElement();
        if (el) { out.push(el.textContent); } l.closePopup(); }
      if (l.getTooltip && l.getTooltip()) { l.openTooltip(); var tip = l.getTooltip().getElement();
        if (tip) { out.push(tip.textContent); } l.closeTooltip(); }
    });
  });
  return out; })()"""


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def hostile_data(tmp_path) -> Path:
    world = tiny_world()
    world["places"][1]["name_en"] = HOSTILE[1]  # "mid"
    world["routes"][0]["name"] = HOSTILE[2]  # "w-e"
    folder = write_data(tmp_path / "data", world)
    claims = []
    for i, text in enumerate(HOSTILE, start=1):
        claims.append(
            {
                "id": f"h-{i:02d}",
                "quote": text,
                "summary": HOSTILE[-i],
                "attribution": {"who": HOSTILE[(i + 2) % len(HOSTILE)], "role": "reported"},
                "kind": "infrastructure",
                "features": {
                    "places": ["mid"],
                    "routes": ["w-e"],
                    "points": [
                        {"lon": 0.2 + 0.3 * i, "lat": 0.5, "precision_km": 1, "label": text}
                    ],
                },
                "context": [{"text": text, "source": HOSTILE[0]}],
                "check": {
                    "predicate": "route_km_in_country",
                    "args": {"route": "w-e", "country": "BBB", "expect": "all"},
                    "reason": None,
                },
            }
        )
    doc = {
        "article": {
            "id": "hostile",
            "publication": HOSTILE[4],
            "title": HOSTILE[6],
            "author": None,
            "author_note": HOSTILE[0],
            "date": "2026-01-01",
            "url": None,
            "kind": "news",
            "language": "en",
            "as_of": "2026-01-01",
        },
        "claims": claims,
    }
    (folder / "claims").mkdir()
    (folder / "claims" / "hostile.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )
    return folder


@pytest.fixture
def hostile_claims(hostile_data):
    return geo.claims_gdf(data_dir=hostile_data)


@pytest.fixture
def browser_page(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        context = browser.new_context()
        blocked: list[str] = []

        def guard(route):
            url = route.request.url
            if url.startswith(("data:", "about:", "blob:")) or re.match(
                r"https?://(127\.0\.0\.1|localhost)[:/]", url
            ):
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        dialogs: list[str] = []
        errors: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, blocked, dialogs, errors
        browser.close()


def assert_nothing_ran(page, blocked, dialogs, errors) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert errors == []
    assert blocked == []
    assert page.evaluate("document.querySelectorAll('script[src], img').length") == 0


def test_evidence_carries_the_hostile_names(hostile_claims):
    evidence = " ".join(hostile_claims["evidence"])
    assert HOSTILE[2] in evidence  # the route name reaches the evidence text


def test_claim_cards_and_leaflet_popups_show_text_as_text(hostile_claims, browser_page):
    from geo import webassets

    page, blocked, dialogs, errors = browser_page
    rows = hostile_claims.to_dict("records")
    cards = "".join(claim_popup_html(r["claim_id"], r) for r in rows)
    markers = "".join(
        f"L.circleMarker([{r['geometry'].y}, {r['geometry'].x}]).addTo(map)"
        f'.bindPopup("{geo.escape_js_string(claim_popup_html(r["claim_id"], r))}")'
        f'.bindTooltip("{geo.escape_js_string(geo.escape_html(r["quote"]))}");\n'
        for r in rows
    )
    js = webassets.leaflet_js_text().replace("</script", "<\\/script")
    page.set_content(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<script>{js}</script></head><body>"
        f"<h1 id='title'>{geo.bidi(HOSTILE[6])}</h1>"
        f"<input id='field' value=\"{geo.escape_html(HOSTILE[4])}\">"
        f"<div id='cards'>{cards}</div><div id='map' style='height:300px'></div>"
        f"<script>var map = L.map('map').setView([0.5, 1.5], 7); var layers = [];\n{markers}"
        "map.eachLayer(function(l){ if (l.getPopup && l.getPopup()) { layers.push(l); } });"
        "</script>"
        "</body></html>"
    )
    quotes = page.eval_on_selector_all("#cards blockquote", "els => els.map(e => e.textContent)")
    assert [norm(q) for q in quotes] == [norm(t) for t in HOSTILE]
    cards_text = page.eval_on_selector_all("#cards .ce-claim-popup",
                                           "els => els.map(e => e.textContent)")
    assert all(norm(r["who"]) in norm(c) for r, c in zip(rows, cards_text, strict=True))
    assert all(norm(HOSTILE[2]) in norm(c) for c in cards_text)  # the route name in evidence
    assert norm(page.text_content("#title")) == norm(HOSTILE[6])
    assert page.input_value("#field") == HOSTILE[4]
    assert page.evaluate("document.querySelector('#title bdi') !== null")
    popups = page.evaluate(
        "layers.map(function(l){ l.openPopup(); var t = l.getPopup().getElement()"
        ".querySelector('.leaflet-popup-content blockquote').textContent;"
        " l.closePopup(); return t; })"
    )
    assert [norm(p) for p in popups] == [norm(t) for t in HOSTILE]
    tips = page.evaluate(
        "layers.map(function(l){ l.openTooltip(); var t = l.getTooltip().getElement().textContent;"
        " l.closeTooltip(); return t; })"
    )
    assert [norm(t) for t in tips] == [norm(t) for t in HOSTILE]
    assert_nothing_ran(page, blocked, dialogs, errors)


def test_app_map_page_shows_hostile_claims_as_text(hostile_data, hostile_claims, browser_page):
    page, blocked, dialogs, errors = browser_page
    m = layers.build_map(
        borders=geo.load_borders(hostile_data),
        claims=hostile_claims,
        places=geo.load_places(hostile_data),
        segments=geo.load_segments(hostile_data),
        show=("claims", "places", "corridors"),
        legend=True,
    )
    page.set_content(layers.to_html(m))
    texts = page.evaluate(OPEN_ALL)
    shown = norm(" ".join(texts))
    for text in HOSTILE:
        assert norm(text) in shown, text
    assert_nothing_ran(page, blocked, dialogs, errors)


def test_exported_html_shows_hostile_claims_as_text(hostile_data, browser_page, tmp_path):
    page, blocked, dialogs, errors = browser_page
    frames = geo.map_frames(routes=["w-e"], claims="hostile", data_dir=hostile_data)
    out = tmp_path / "export.html"
    out.write_text(layers.to_html(layers.build_map(**frames)), encoding="utf-8")
    page.set_content(out.read_text(encoding="utf-8"))
    shown = norm(" ".join(page.evaluate(OPEN_ALL)))
    for text in HOSTILE:
        assert norm(text) in shown, text
    assert_nothing_ran(page, blocked, dialogs, errors)
