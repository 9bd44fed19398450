"""Corridor Explorer: the Streamlit entry. Page setup and navigation only; the pages wire geo and layers.

Run with ``make run`` (``streamlit run app.py``). Works offline: Leaflet is served from
``static/leaflet`` (copied from the xstatic-leaflet package at start-up), never from a CDN.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared

st.set_page_config(page_title="Corridor Explorer", layout="wide")

_shared.skip_source_watching()
problem = _shared.install_leaflet()
if problem:
    st.error(f"The map cannot be drawn: {problem}")

pages = [
    st.Page("app_pages/map_page.py", title="Map", url_path="map", default=True),
    st.Page("app_pages/compare.py", title="Compare routes", url_path="compare"),
    st.Page("app_pages/claims.py", title="Claims", url_path="claims"),
    st.Page("app_pages/export.py", title="Export", url_path="export"),
]
st.navigation(pages).run()
