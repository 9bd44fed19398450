"""The title of an exported HTML map: a heading above the map and the page's ``<title>``.

The heading is a bar of its own above the map, not a control on it, so it never covers what
the map was fitted to nor any control. Both show the text as text: it is escaped
(:func:`geo.escape.escape_html`) and right-to-left text is isolated (:func:`geo.escape.bidi`).
"""

from __future__ import annotations

import folium
from branca.element import Element

from geo.escape import bidi, escape_html

# The page becomes a column: the heading, then the map filling the rest of the window.
_CSS = """<style>
html, body { height: 100%; margin: 0; }
body.ce-titled { display: flex; flex-direction: column; }
.ce-page-title { flex: none; padding: 8px 14px 7px; background: #fff;
  border-bottom: 1px solid #d6d6d9; font-family: "Source Sans Pro", "Helvetica Neue", Arial,
  sans-serif; }
.ce-page-title h1 { margin: 0; font-size: 19px; line-height: 1.3; font-weight: 700;
  color: #1f1f1f; overflow-wrap: anywhere; }
body.ce-titled .folium-map { position: relative !important; flex: 1 1 auto;
  height: auto !important; min-height: 0; top: 0 !important; }
</style>"""
_MARK_BODY = "<script>document.body.classList.add('ce-titled');</script>"


def add_title(m: folium.Map, title: str) -> None:
    """Give the page of map ``m`` the heading and ``<title>`` ``title`` (escaped)."""
    root = m.get_root()
    root.title = escape_html(" ".join(str(title).split()))
    root.header.add_child(Element(_CSS), name="ce_title_css")
    heading = f'<header class="ce-page-title"><h1 dir="auto">{bidi(title)}</h1></header>'
    root.html.add_child(Element(heading + _MARK_BODY), name="ce_title", index=0)
