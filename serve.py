"""The server ``make run`` starts: the Streamlit app of ``app.py`` behind one rule of its own.

``streamlit run serve.py`` finds the ``st.App`` below and serves ``app.py`` with it. The one
addition to Streamlit's server: an unknown path such as ``/compare/x`` is redirected to the Map
with its query kept, instead of a blank page (``app_pages/_paths.py``).
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from app_pages._pages import PAGE_PATHS
from app_pages._paths import UnknownPathsToMap


def _base_url() -> str:
    return st.get_option("server.baseUrlPath") or ""


app = st.App("app.py", middleware=[Middleware(UnknownPathsToMap, pages=PAGE_PATHS, base=_base_url)])
