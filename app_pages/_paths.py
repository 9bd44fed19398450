"""Unknown paths go to the Map, before Streamlit sees them.

Streamlit answers any unknown path with its ``index.html``, whose scripts are linked relative
to the page (``./static/js/...``). At ``/compare/x`` the browser asks for
``/compare/static/js/...``, gets the HTML page again instead of a script, and shows a blank
page. At ``/x`` it shows a "page not found" dialog over the default page.

:class:`UnknownPathsToMap` (ASGI middleware, wired in ``serve.py``) redirects such a request to
the Map and keeps the query, so a link's view state survives a mistyped path. Streamlit's own
routes (``_stcore``, ``static``, ``app``, ``component``, ``media``), files at the root
(``favicon.png``, ``manifest.json``) and the pages of ``_pages.PAGES`` pass untouched, and so
does any path with a ``_stcore`` segment: on a page such as ``/map`` Streamlit's page first
tries ``/map/_stcore/health`` and needs Streamlit's 404 there to find the server's root.

No Streamlit import: the rule is a pure function of the path (:func:`redirect_for`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]

# First path segments that Streamlit's server routes itself (Streamlit 1.67:
# web/server/starlette/starlette_routes.py, BASE_ROUTE_*). "app" is static serving (app/static).
SERVER_PREFIXES = frozenset({"_stcore", "static", "app", "component", "media"})


def _segments(path: str, base: str) -> list[str] | None:
    """The path's segments below the base URL, or None when the path is not under it."""
    parts = [s for s in path.split("/") if s]
    base_parts = [s for s in base.split("/") if s]
    if parts[:len(base_parts)] != base_parts:
        return None
    return parts[len(base_parts):]


def redirect_for(path: str, query: str, *, pages: Iterable[str], base: str = "") -> str | None:
    """Where a GET of ``path`` should go instead, or None to serve it as asked.

    >>> redirect_for("/compare/x", "routes=a", pages={"compare"})
    '/?routes=a'
    >>> redirect_for("/compare", "", pages={"compare"}) is None
    True
    """
    segments = _segments(path, base)
    if not segments:  # the root, or outside the base URL (Streamlit answers those itself)
        return None
    first = segments[0]
    if first in SERVER_PREFIXES or "_stcore" in segments:
        return None  # Streamlit's routes; its page probes "<page>/_stcore/health" for a 404
    if len(segments) == 1 and (first in set(pages) or "." in first):
        return None  # a page, or a file at the root (favicon.png, manifest.json)
    root = "/" + "/".join(s for s in base.split("/") if s)
    root = root if root.endswith("/") else root + "/"
    return root + (f"?{query}" if query else "")


class UnknownPathsToMap:
    """ASGI middleware: a GET or HEAD of an unknown path gets a 302 to the Map (the root)."""

    def __init__(self, app: ASGIApp, *, pages: Iterable[str],
                 base: Callable[[], str] = lambda: "") -> None:
        self.app = app
        self.pages = frozenset(pages)
        self.base = base  # read per request: Streamlit's config is loaded after import

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            query = scope.get("query_string", b"").decode("latin-1")
            target = redirect_for(scope.get("path", "/"), query, pages=self.pages,
                                  base=self.base())
            if target is not None:
                await send({"type": "http.response.start", "status": 302,
                            "headers": [(b"location", target.encode("latin-1")),
                                        (b"cache-control", b"no-cache"),
                                        (b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)
