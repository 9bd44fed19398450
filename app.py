"""Corridor Explorer: the Streamlit entry. Page setup and navigation only.

The pages (``app_pages/``) wire ``geo`` and ``layers``.

Run with ``make run``. Works offline: Leaflet and its plugins are served from ``static/``
(Leaflet copied from the xstatic-leaflet package at start-up, and bundled with the vendored
plugins into one script), never from a CDN.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _data, _downloads, _errors, _view_state

st.set_page_config(page_title="Corridor Explorer", layout="wide")
_downloads.guard()  # a download button never hands out a file of older options

_data.skip_source_watching()
problem = _data.install_leaflet()
if problem:
    st.error(f"The map cannot be drawn: {problem}")

MAP = "app_pages/map_page.py"
pages = [
    st.Page(MAP, title="Map", url_path="home", default=True),
    st.Page("app_pages/compare.py", title="Compare routes", url_path="compare"),
    st.Page("app_pages/through_time.py", title="Through time", url_path="through-time"),
    st.Page("app_pages/claims.py", title="Claims", url_path="claims"),
    st.Page("app_pages/export.py", title="Export", url_path="export"),
    # The default page is served at "/"; "/map" opens the same page (links and bookmarks).
    st.Page(MAP, title="Map", url_path="map", visibility="hidden"),
]
with _errors.guard("This page"):  # the last line of defence: no traceback reaches a browser
    page = st.navigation(pages)
    _view_state.note_page(page.url_path)  # which page runs: a page knows when it is entered
    page.run()
