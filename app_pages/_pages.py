"""The app's pages in one list: ``app.py`` builds its navigation from it and ``serve.py``
knows from it which paths are pages (an unknown path is sent to the Map, see ``_paths``).

Each entry is (script, title, URL path, shown in the navigation). The first is the default
page, served at ``/``; ``/map`` opens the same page for links and bookmarks.
"""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    script: str
    title: str
    url_path: str
    visible: bool = True


MAP_SCRIPT = "app_pages/map_page.py"
PAGES: tuple[PageSpec, ...] = (
    PageSpec(MAP_SCRIPT, "Map", "home"),
    PageSpec("app_pages/compare.py", "Compare routes", "compare"),
    PageSpec("app_pages/through_time.py", "Through time", "through-time"),
    PageSpec("app_pages/claims.py", "Claims", "claims"),
    PageSpec("app_pages/who_says_what.py", "Who says what", "who-says-what"),
    PageSpec("app_pages/export.py", "Export", "export"),
    PageSpec(MAP_SCRIPT, "Map", "map", visible=False),
)
PAGE_PATHS = frozenset(p.url_path for p in PAGES)
