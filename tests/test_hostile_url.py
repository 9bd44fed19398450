"""Hostile addresses (issue 25): the view state parses any URL without failing or stalling.

``?k=²`` broke every page (``"²".isdigit()`` is true, ``int("²")`` fails), 2,000 duplicate
route ids made the Map page take two minutes, and ``/compare/x`` showed a blank page.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest

from app_pages import _view_state as vs
from geo.vocab import parse_gauge


def from_address(query: str) -> dict:
    return vs.parse({k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()})


@pytest.mark.parametrize("k", ["²", "³", "٣", "１", "2²", "-1", "1e3", "0x10", " ", "9" * 7])
def test_k_takes_ascii_digits_only(k):
    assert from_address(f"k={k}")["k"] == vs.FIELDS["k"].default


def test_k_in_range_is_kept():
    assert from_address("k=5")["k"] == 5


@pytest.mark.parametrize("query", ["asof=²٠٢٤-01", "asof=٢٠٢٤-01", "ta=２０２４-01",
                                   "extent=٣,1,2,3"])
def test_dates_and_extents_take_ascii_digits_only(query):
    name = query.split("=")[0]
    assert from_address(query)[name] == vs.FIELDS[name].default


def test_duplicate_routes_count_once_in_order():
    view = from_address("routes=" + ",".join(["X"] * 1000 + ["Y", "X"]))
    assert view["routes"] == ("X", "Y")


def test_two_thousand_duplicates_are_parsed_at_once():
    started = time.monotonic()
    view = from_address("routes=" + ",".join(["X"] * 2000))
    assert time.monotonic() - started < 0.5
    assert view["routes"] in {("X",), ()}  # one route, or refused as too long: never 2,000


def test_too_many_distinct_routes_fall_back_to_none():
    many = ",".join(f"r{i}" for i in range(vs.MAX_ROUTES + 1))
    assert from_address(f"routes={many}")["routes"] == ()
    enough = ",".join(f"r{i}" for i in range(vs.MAX_ROUTES))
    assert len(from_address(f"routes={enough}")["routes"]) == vs.MAX_ROUTES


def test_too_many_countries_to_avoid_fall_back_to_none():
    many = ",".join(f"C{i}" for i in range(vs.MAX_AVOID + 1))
    assert from_address(f"avoid={many}")["avoid"] == ()


def test_overlong_and_control_values_are_refused():
    assert from_address("claim=" + "c" * (vs.MAX_CHARS + 1))["claim"] is None
    assert from_address("routes=" + "a" * 100_000)["routes"] == ()
    assert from_address("article=a%00b")["article"] is None


@pytest.mark.parametrize("params", [
    {"k": "²", "routes": ",".join(["X"] * 2000)},
    {"k": ["1", "²"], "layers": "²" * 5000, "extent": "nan,nan,nan,nan"},
    {"asof": "9999-99", "scenario": "\x00", "q": "$\\alpha{$"},
])
def test_parse_never_fails(params):
    view = vs.parse(params)
    assert set(view) == set(vs.FIELDS)
    assert isinstance(view["k"], int)


def test_gauges_take_ascii_digits_only():
    with pytest.raises(ValueError, match="not a gauge list"):
        parse_gauge("1520;²")
    assert parse_gauge("1520;1435") == frozenset({1520, 1435})


# ---------------------------------------------------------------------------------------------
# The app itself (AppTest): a hostile address shows the pages, fast, with no exception


@pytest.fixture
def tiny_dir(tiny_data, monkeypatch):
    from geo import settings

    monkeypatch.setattr(settings, "data_dir", tiny_data)
    return tiny_data


@pytest.mark.parametrize("repeat", [2000, 300])
def test_app_opens_with_a_superscript_k_and_duplicate_routes(tiny_dir, repeat):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    import geo

    route = geo.load_routes(tiny_dir).index[0]
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"),
                           default_timeout=120)
    at.query_params["k"] = "²"
    at.query_params["routes"] = ",".join([route] * repeat)
    started = time.monotonic()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("app_pages/compare.py")
    at.run()
    assert time.monotonic() - started < 60
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if "unexpected" in str(e.value).lower()]
    assert at.session_state["view"]["k"] == vs.FIELDS["k"].default
    assert at.session_state["view"]["routes"] in {(route,), ()}
