"""The view state's address form (app_pages/_view_state.py): parse and to_params round trips,
hostile addresses, and the extent a reopened link fits."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlencode

import pytest

from app_pages import _view_state as vs

FULL = {
    "routes": ("baku-kars", "mumbai-moscow"), "extent": "40.00,35.00,52.00,43.00",
    "layers": ("claims", "corridors"), "basemap": "tiles", "status": ("operational",),
    "mode": ("rail",), "kinds": ("event",), "verdicts": ("supported", "contradicted"),
    "article": "jpost", "claim": "jpost-13", "country": "IRN", "q": "Zangezur, Meghri & Aras",
    "from": "baku", "to": "nakhchivan", "avoid": ("ARM", "AZE-NX"), "k": 2, "rank": "time",
    "cstatus": ("operational",), "cmode": ("rail", "road"), "net": "osm", "asof": "2018-01",
    "scenario": "keep-open", "tt": "route", "troute": "baku-kars", "ta": "today",
    "tb": "2028-12", "tbs": "session",
    "topic": "rasht-astara-length", "wout": ("Mehr News Agency", "TASS"), "wctry": ("IRN",),
    "wlang": ("en",), "wfrom": "2023", "wto": "2026",
}


def from_address(query: str) -> dict:
    """The view of an address's query string, read as Streamlit gives it (the last value)."""
    return vs.parse({k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()})


def test_every_part_of_the_view_goes_through_the_address_and_back():
    assert set(FULL) == set(vs.FIELDS)
    params = vs.to_params(FULL)
    assert from_address(urlencode(params)) == FULL
    assert vs.to_params(from_address(urlencode(params))) == params


def test_defaults_stay_out_of_the_address():
    empty = vs.parse({})
    assert vs.to_params(empty) == {}
    assert empty["k"] == 3 and empty["routes"] == () and empty["asof"] is None


@pytest.mark.parametrize("query", [
    "k=²", "k=٣", "k=-1", "k=3.5", "k=99999999999", "k=", "k=%00",
    "asof=2018-13", "asof=tomorrow", "asof=2018%0A-01", "asof=<script>",
    "extent=1,2,3", "extent=a,b,c,d", "extent=1e308,0,1,1",
    "routes=%3Cimg%20src%3Dx%3E", "claim=jpost-13%22onmouseover%3D", "q=%1b%5B31m",
])
def test_a_value_that_does_not_fit_falls_back_to_the_default(query):
    name = query.split("=", 1)[0]
    view = from_address(query)
    assert view[name] == vs.FIELDS[name].default
    assert name not in vs.to_params(view)


def test_list_items_are_deduplicated_and_bad_items_dropped():
    view = from_address("routes=a,b,a,,b,%3Cx%3E,c&avoid=ARM,ARM")
    assert view["routes"] == ("a", "b", "c")
    assert view["avoid"] == ("ARM",)
    assert vs.to_params(view)["routes"] == "a,b,c"


def test_overlong_values_are_refused_without_failing():
    long_id = "r" * (vs.MAX_CHARS + 1)
    assert from_address(f"claim={long_id}")["claim"] is None
    assert from_address("q=" + "x" * 10_000)["q"] is None
    many = ",".join(f"r{i}" for i in range(vs.MAX_ITEMS + 1))
    assert from_address(f"routes={many}")["routes"] == ()
    assert from_address("routes=" + "a," * 100_000)["routes"] == ()


def test_a_repeated_parameter_counts_once_with_its_last_value():
    assert vs.parse({"asof": ["2018-01", "2019-02"]})["asof"] == "2019-02"
    assert vs.parse({"asof": []})["asof"] is None


def test_free_text_keeps_its_commas_and_accents():
    view = from_address(urlencode({"q": "Nakhchivan, Naxçıvan — Նախիջևան"}))
    assert view["q"] == "Nakhchivan, Naxçıvan — Նախիջևան"


def test_extent_parsing():
    assert vs.parse_extent("40,35,52,43") == ((35.0, 40.0), (43.0, 52.0))
    for bad in (None, "", "40,35,52", "52,35,40,43", "40,35,52,95", "x,1,2,3"):
        assert vs.parse_extent(bad) is None


def visible_box(box, width_px: int, height_px: int, zoom_snap: float = 0.5):
    """What a Web Mercator map of that size shows after fitting ``box`` (Leaflet's
    ``fitBounds``: the largest zoom on the snap grid at which the box fits, centred on it)."""
    (s, w), (n, e) = box

    def y(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    def lat(yy):
        return math.degrees(2 * math.atan(math.exp(yy)) - math.pi / 2)

    zoom_x = math.log2(width_px * 360 / (256 * (e - w)))
    zoom_y = math.log2(height_px * 2 * math.pi / (256 * (y(n) - y(s))))
    zoom = math.floor(min(zoom_x, zoom_y) / zoom_snap) * zoom_snap
    half_w = width_px * 360 / (256 * 2 ** zoom) / 2
    half_h = height_px * 2 * math.pi / (256 * 2 ** zoom) / 2
    cx, cy = (w + e) / 2, (y(s) + y(n)) / 2
    return zoom, (cx - half_w, lat(cy - half_h), cx + half_w, lat(cy + half_h))


@pytest.mark.parametrize("zoom", [4.0, 5.5, 6.0, 9.0])
def test_reopening_an_extent_shows_the_same_box_at_the_same_zoom(zoom):
    # what a 900 x 620 px map at ``zoom`` shows, rounded as the address carries it
    width, height = 900, 620
    half_w = width * 360 / (256 * 2 ** zoom) / 2
    box = vs.parse_extent(",".join(f"{v:.2f}" for v in (47 - half_w, 38.0, 47 + half_w, 41.0)))
    _, shown = visible_box(box, width, height)
    text = ",".join(f"{v:.2f}" for v in shown)  # the extent the map reports: the link
    for _ in range(3):  # reopened again and again, it stays put
        got_zoom, again = visible_box(vs.fit_extent(text), width, height)
        assert got_zoom == visible_box(box, width, height)[0]
        assert all(abs(a - b) < 0.02 for a, b in zip(again, shown, strict=True))
        text = ",".join(f"{v:.2f}" for v in again)


def test_fit_extent_of_nothing_is_nothing():
    assert vs.fit_extent(None) is None
    assert vs.fit_extent("garbage") is None


def test_the_app_opens_a_hostile_link_without_failing():
    from helpers import ROOT, shipped_ready
    from streamlit.testing.v1 import AppTest

    if not shipped_ready():
        pytest.skip("shipped data not present")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    hostile = {"k": "²", "routes": "zangezur-rail,zangezur-rail,<b>x</b>," * 40,
               "asof": "9999-99", "extent": "nan,nan,nan,nan", "claim": "c" * 5000,
               "ta": "2018-01\n", "q": "\x00drop", "layers": "claims,claims", "tb": "٢٠١٨-٠١"}
    for key, value in hostile.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    written = {k: at.query_params[k] for k in at.query_params}  # the address after the run
    for name in ("k", "asof", "extent", "claim", "q", "tb"):
        assert name not in written, written
    assert written["routes"] == "zangezur-rail"
    assert written["layers"] == "claims"
    assert written["ta"] == "2018-01"  # the line break around it left out
