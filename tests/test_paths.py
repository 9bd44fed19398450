"""Unknown paths go to the Map (``app_pages/_paths.py``): the rule, and the middleware's answer."""

from __future__ import annotations

import asyncio

import pytest

from app_pages._pages import PAGE_PATHS
from app_pages._paths import UnknownPathsToMap, redirect_for


@pytest.mark.parametrize("path", [
    "/", "/compare", "/compare/", "/map", "/through-time", "/favicon.png", "/manifest.json",
    "/_stcore/health", "/_stcore/stream", "/map/_stcore/health", "/compare/_stcore/host-config", "/static/js/index.js",
    "/app/static/leaflet/leaflet-bundle.js", "/component/streamlit_folium.st_folium/index.html",
    "/media/abc.png"])
def test_pages_and_streamlit_routes_are_served_as_asked(path):
    assert redirect_for(path, "k=3", pages=PAGE_PATHS) is None


@pytest.mark.parametrize(("path", "query", "target"), [
    ("/compare/x", "", "/"),
    ("/compare/x/y", "asof=2018-01&routes=a", "/?asof=2018-01&routes=a"),
    ("/no-such-page", "k=2", "/?k=2"),
    ("//compare//x", "", "/"),
])
def test_an_unknown_path_goes_to_the_map_with_its_query(path, query, target):
    assert redirect_for(path, query, pages=PAGE_PATHS) == target


def test_under_a_base_url_the_map_is_the_base():
    assert redirect_for("/corr/compare/x", "k=1", pages=PAGE_PATHS, base="corr") == "/corr/?k=1"
    assert redirect_for("/corr/compare", "", pages=PAGE_PATHS, base="/corr/") is None
    assert redirect_for("/corr/_stcore/health", "", pages=PAGE_PATHS, base="corr") is None


def _call(middleware, scope):
    sent = []

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    return sent


def test_the_middleware_answers_302_and_passes_everything_else_through():
    passed = []

    async def inner(scope, receive, send):
        passed.append(scope["path"])

    guard = UnknownPathsToMap(inner, pages=PAGE_PATHS)
    sent = _call(guard, {"type": "http", "method": "GET", "path": "/compare/x",
                         "query_string": b"asof=2018-01"})
    assert sent[0]["status"] == 302
    assert dict(sent[0]["headers"])[b"location"] == b"/?asof=2018-01"
    assert passed == []
    for scope in ({"type": "http", "method": "GET", "path": "/compare", "query_string": b""},
                  {"type": "http", "method": "POST", "path": "/compare/x", "query_string": b""},
                  {"type": "websocket", "path": "/_stcore/stream"}):
        assert _call(guard, scope) == []
    assert passed == ["/compare", "/compare/x", "/_stcore/stream"]
