"""Corridor Explorer: the Streamlit entry. Page setup and navigation only.

The pages (``app_pages/``) wire ``geo`` and ``layers``.

Run with ``make run``. Works offline: Leaflet and its plugins are served from ``static/``
(Leaflet copied from the xstatic-leaflet package at start-up, and bundled with the vendored
plugins into one script), never from a CDN.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _data, _downloads, _errors, _view_state
from app_pages._pages import PAGES

st.set_page_config(page_title="Corridor Explorer", layout="wide")
_downloads.guard()  # a download button never hands out a file of older options

_data.skip_source_watching()
problem = _data.install_leaflet()
if problem:
    st.error(f"The map cannot be drawn: {problem}")

pages = [st.Page(spec.script, title=spec.title, url_path=spec.url_path, default=i == 0,
                 visibility="visible" if spec.visible else "hidden")
         for i, spec in enumerate(PAGES)]
with _errors.guard("This page"):  # the last line of defence: no traceback reaches a browser
    page = st.navigation(pages)
    _view_state.note_page(page.url_path)  # which page runs: a page knows when it is entered
    page.run()
