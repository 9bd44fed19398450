"""The map search of the Map, Compare and Through time pages, and the map's labels.

:func:`search_box` is a text field over every name of the data (``geo.search``: places, routes,
sections, segments, claims and countries, in every language the data holds, ignoring case and
accents). Pressing Enter chooses the best match and lists the others to choose from. A choice
writes its extent to the view state and the page address; the map follows the address
(``layers.extent_from_url_script``) and zooms there without being drawn again. A claim also
becomes the chosen claim.
"""

from __future__ import annotations

import math
import os
import time

import geopandas as gpd
import pandas as pd
import streamlit as st

import geo
from app_pages import _data, _errors
from app_pages import _view_state as vs
from app_pages._text import plain
from geo.names import short_name
from geo.search import search

MAX_RESULTS = 5
KIND_LABELS = {"place": "place", "route": "route", "section": "section of a route",
               "segment": "segment", "claim": "claim", "country": "country"}


@st.cache_resource(show_spinner=False, max_entries=4)
def _index(key: str) -> pd.DataFrame:
    data = _data.core()
    checked, _ = _data.claims()
    return geo.name_index(places=data["places"], routes=data["routes"],
                          segments=data["segments"], claims=checked, borders=data["borders"],
                          nakhchivan=data["nakhchivan"])


def index() -> pd.DataFrame:
    """Every name of the data (``geo.name_index``), claims included when they could be read."""
    return _index(_data.data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _labels(key: str) -> gpd.GeoDataFrame:
    data = _data.core()
    return geo.map_labels(places=data["places"], routes=data["routes"],
                          segments=data["segments"])


def labels() -> gpd.GeoDataFrame:
    """The map's labels of places, routes and sections (``geo.map_labels``)."""
    return _labels(_data.data_key())


def extent_text(bounds) -> str:
    """``(west, south, east, north)`` as the view's ``extent`` (two decimals, rounded outwards)."""
    west, south, east, north = bounds
    return (f"{math.floor(west * 100) / 100:.2f},{math.floor(south * 100) / 100:.2f},"
            f"{math.ceil(east * 100) / 100:.2f},{math.ceil(north * 100) / 100:.2f}")


def _shorter(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def result_label(row: dict) -> str:
    """How a result reads: ``"Meghri · place"``, ``"Mehri (Meghri) · place"``,
    ``"Meghri railway · route"``, ``"Claim jpost-13 · The article states that …"`` (plain
    text: escape it for markdown, ``_text.plain``)."""
    kind = KIND_LABELS.get(row["kind"], row["kind"])
    if row["kind"] == "claim":
        return f"{row['title']} · {_shorter(str(row['name']))}" if row["form"] == "text" \
            else f"{row['title']} · claim"
    if row["form"] == "id":
        return f"{_shorter(str(row['title']))} · {kind}"
    if row["kind"] in ("place", "country") and row["name"] != row["title"]:
        return f"{row['name']} ({short_name(row['title'])}) · {kind}"
    return f"{_shorter(str(row['name']))} · {kind}"


@st.fragment
def _box(key: str) -> None:
    started = time.perf_counter()
    with _errors.guard("The map search"):
        _search(key)
    if os.environ.get("CORRIDORS_TIMING"):  # bench/bench_app.py reads it
        ms = (time.perf_counter() - started) * 1000
        print(f"CE_TIMING section=search ms={ms:.1f}", flush=True)


def _search(key: str) -> None:
    state = st.session_state
    query = st.text_input(
        "Search the map", key=f"w_find_{key}", label_visibility="collapsed",
        placeholder="Search the map: a place, corridor, section or claim, in any language",
        help="Any name the data holds, in any of its languages; case and accents do not "
             "matter. Press Enter to zoom to the best match.")
    query = query.strip()
    if not query:
        return
    found = search(query, index(), limit=MAX_RESULTS)
    if found.empty:
        st.caption(f"No name matches “{plain(query)}”.")
        return
    rows = found.to_dict("records")
    picked = st.pills("Matches", list(range(len(rows))), default=0,
                      format_func=lambda i: plain(result_label(rows[i])),
                      label_visibility="collapsed",
                      key=f"w_found_{key}_{query}")
    row = rows[picked if picked is not None else 0]
    chosen = (query, row["kind"], row["id"])
    if state.get(f"w_found_last_{key}") == chosen:
        return
    state[f"w_found_last_{key}"] = chosen
    vs.update(extent=extent_text(row["bounds"]))
    if row["kind"] == "claim":
        vs.update(claim=row["id"])
    vs.write_url()


def search_box(key: str) -> None:
    """The search field (a fragment: searching reruns only it); ``key`` names the page."""
    _box(key)
