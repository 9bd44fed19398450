"""The map widget: a cached base map plus overlay groups, drawn with ``st_folium``.

The base map (basemap, borders, Nakhchivan, legend) and the overlay groups are built once per
input and cached for every session. ``st_folium`` changes the map it is given (element ids,
added groups), so each run draws copies: a copy is cheap (the layers hold their GeoJSON as
text), and the same cached map always gives the same map script, so the component keeps the
map on screen and only swaps the overlays when a layer or filter changes.

The map uses the window: its frame is as tall as the window allows (``layers.fill_window_script``),
the page round it is wide, and on the Map page the claim list sits beside the map where both
fit, else below it (:func:`map_columns`). The map has Leaflet's layer control with the two
basemaps, and the controls of ``layers.controls``.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import threading

import folium
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

import geo
import layers
from app_pages import _data, _search

OSM_TILES = ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", geo.style.ATTRIBUTION_OSM)
MAP_HEIGHT = 620
# The map frame follows the window (layers.fill_window_script); it is never lower than this.
MIN_HEIGHT = 360
# A wide page for the pages with a map: less padding round the page, and the claim list beside
# the map where both fit (map at least MAP_MIN_WIDTH px, list LIST_MIN_WIDTH to LIST_WIDTH px),
# else below it at full width.
MAP_MIN_WIDTH = 640
LIST_MIN_WIDTH = 330
LIST_WIDTH = 420
_ROW = '.st-key-ce_map_row [data-testid="stHorizontalBlock"]'
PAGE_CSS = f"""<style>
[data-testid="stMainBlockContainer"] {{ padding: 2.5rem 1.5rem 2rem; max-width: none; }}
.st-key-ce_map_row {{ container-type: inline-size; }}
{_ROW} {{ flex-wrap: wrap; }}
{_ROW} > [data-testid="stColumn"] {{ flex: 1 1 100% !important; width: 100% !important;
  min-width: 0 !important; }}
@container (min-width: {MAP_MIN_WIDTH + LIST_MIN_WIDTH + 20}px) {{
 {_ROW} {{ flex-wrap: nowrap; }}
 {_ROW} > [data-testid="stColumn"]:first-child {{ flex: 1 1 auto !important;
   width: auto !important; }}
 {_ROW} > [data-testid="stColumn"]:last-child {{ flex: 0 1 {LIST_WIDTH}px !important;
   width: auto !important; min-width: {LIST_MIN_WIDTH}px !important; }}
}}
</style>"""
# In the search field's place while it loads (same box, same height: nothing below moves).
SEARCH_PLACEHOLDER = (
    '<div class="ce-search-placeholder" aria-hidden="true" style="box-sizing:border-box;'
    'height:40px;margin-bottom:1rem;border:1px solid rgba(49,51,63,0.2);border-radius:0.5rem;'
    'background:#f0f2f6;"></div>')
# What comes back from the browser: the tooltip of the last click (a claim or a country badge)
# and the map's extent after each pan or zoom (kept in the view state, for links and Export).
RETURNED = ["last_object_clicked_tooltip", "bounds"]


def tiles_spec() -> tuple[str, str]:
    """Tile URL and attribution: ``CORRIDORS_TILES_URL``/``_ATTRIBUTION`` or OpenStreetMap."""
    url = os.environ.get("CORRIDORS_TILES_URL")
    if url:
        return url, os.environ.get("CORRIDORS_TILES_ATTRIBUTION", "map tiles")
    return OSM_TILES


@st.cache_resource(show_spinner=False, max_entries=8)
def _base(key: str, tiles: bool, bounds, padded: bool = True,
          follow_layers: bool = False) -> folium.Map:
    data = _data.core()
    # the tiles are always offered in the map's layer control; ``tiles``: shown at first
    m = layers.base_map(
        borders=data["borders"], nakhchivan=data["nakhchivan"], water=data["water"],
        basemap=data["basemap"], bounds=bounds, tiles=tiles_spec(), show_tiles=tiles,
        assets=_data.served_assets(), legend=_data.legend(), claim_from_url=True,
        labels=_search.labels(), fit_clear=padded,
    )
    layers.extent_from_url_script().add_to(m)  # the map search beside the map moves it
    if follow_layers:  # the layers shown: the address says which (the Map page's choice)
        layers.layers_from_url_script().add_to(m)
    # first of the map's scripts: the frame takes its height before anything is drawn, so
    # the first drawing is at the final size (a later resize re-clips every path)
    m.add_child(layers.fill_window_script(min_height=MIN_HEIGHT), index=0)
    _data.keep_out_of_gc()
    return m


@st.cache_resource(show_spinner=False, max_entries=64)
def _corridors(key: str, status: tuple | None, mode: tuple, keep: tuple | None,
               dated_token: str, _dated: layers.DatedStatuses | None) -> list:
    seg = _data.segments_with_lengths()
    seg = seg[seg["mode"].isin(mode)]
    if keep is not None:
        seg = seg[seg.index.isin(keep)]
    if _dated is None:
        if status is not None:
            seg = seg[seg["status"].isin(status)]
        return layers.overlay_groups(segments=seg, show={"corridors"})
    # the statuses of every date go with the layer; the filter applies to the date's statuses
    dated = dataclasses.replace(_dated, allowed=status)
    return layers.overlay_groups(segments=seg, show={"corridors"}, dated=dated)


@st.cache_resource(show_spinner=False, max_entries=8)
def _points(key: str, layer: str) -> list:
    data = _data.core()
    return layers.overlay_groups(places=data["places"], gauge_breaks=data["gauge_breaks"],
                                 show={layer})


@st.cache_resource(show_spinner=False, max_entries=64)
def _claim_markers(key: str, kinds: tuple, verdicts: tuple, article: str | None) -> list:
    checked, _ = _data.claims()
    if checked is None:
        return []
    view = checked[checked["kind"].isin(kinds) & checked["verdict"].isin(verdicts)]
    if article:
        view = view[view["article_id"] == article]
    return layers.overlay_groups(claims=view, borders=_data.core()["borders"], show={"claims"})


@st.cache_resource(show_spinner=False, max_entries=64)
def _route_lines(key: str, route_ids: tuple) -> list:
    frame = _data.routes_gdf().loc[list(route_ids), ["name", "geometry"]]
    return layers.overlay_groups(highlight=frame, show={"routes"})


def map_groups(*, show: set, status, mode, keep_segments=None, kinds=(), verdicts=(),
               article: str | None = None, routes=(), dated=None, dated_token: str = "") -> list:
    """The overlay groups for these choices, in drawing order (see ``layers.LAYER_KEYS``).

    The chosen claim is not one of them: the map opens the claim named in the page address
    (``layers.claim_from_url_script``), so choosing a claim redraws no layer. Nor is the
    date: with ``dated`` (``_data.dated_statuses``, named by ``dated_token``) the corridors
    carry the statuses of every date and restyle themselves for the date the address names;
    ``status`` (None: every status) then filters by the status on that date.
    """
    key = _data.data_key()
    out: list = []
    for layer in layers.LAYER_KEYS:
        if layer not in show:
            continue
        if layer == "routes" and routes:
            out += _route_lines(key, tuple(routes))
        elif layer == "corridors":
            keep = None if keep_segments is None else tuple(sorted(keep_segments))
            chosen = None if status is None else tuple(sorted(status))
            out += _corridors(key, chosen, tuple(sorted(mode)), keep, dated_token, dated)
        elif layer in ("places", "crossings", "gauge_breaks"):
            out += _points(key, layer)
        elif layer == "claims":
            out += _claim_markers(key, tuple(sorted(kinds)), tuple(sorted(verdicts)), article)
    return out


def show_map(*, key: str, groups: list, tiles: bool = False, bounds=None,
             height: int = MAP_HEIGHT, padded: bool = True, follow_layers: bool = False,
             returned: tuple[str, ...] | list[str] = tuple(RETURNED),
             search: bool = True) -> dict | None:
    """Draw the search field (``_search.search_box``) and the base map with ``groups`` as
    overlays; returns what the user last clicked.

    The map's frame follows the window's height (``height`` is its first height, before the
    browser sizes it); the map has Leaflet's layer control (overlays and basemaps) and the
    controls of ``layers.controls``. ``padded``: ``bounds`` are what the map should show,
    kept clear of the legend and controls; ``False`` for an extent the user saw before (a
    link), fitted as it is. ``returned``: what the map sends back (:data:`RETURNED`); a map
    whose page reads none of it passes ``()`` and never reruns the page (each rerun it
    caused could also undo a click on a page link made meanwhile). ``follow_layers``: the
    map shows the overlay layers the address names (``layers.layers_from_url_script``), so
    ``groups`` should hold every layer, and turning one on or off sends nothing to the map.
    ``search``: ``False`` puts a placeholder of the search field's size in its place (a
    session's first run of the Map page: the field's scripts would load and draw while the
    map is on its way, about 0.1 s of its first picture); the next run shows the field.
    """
    st.html(PAGE_CSS)
    if search:
        _search.search_box(key)
    else:
        st.markdown(SEARCH_PLACEHOLDER, unsafe_allow_html=True)
    base_key = (_data.data_key(), tiles, bounds, padded, follow_layers)
    args = _component_args(key, base_key, tuple(id(g) for g in groups), height,
                           tuple(returned), _base(*base_key), groups)
    return _draw(args)


# ``st_folium`` renders the whole map to text (folium's templates) on every run: about 140 ms
# for the Map page. The map and its overlays are cached, so the text is too: rendered once per
# map, overlays and options by ``st_folium`` itself (its component call caught, with a lock, in
# :func:`_capture`), and then handed to the same component on every run (:func:`_draw`). The
# overlays are named by identity: the cached entry holds them, so no other object can take
# their ids while it lives. ``tests/test_layout.py`` checks that what is drawn is exactly
# what ``st_folium`` sends.
_CAPTURE_LOCK = threading.Lock()


def _capture(fig: folium.Map, **options) -> dict:
    """The arguments ``st_folium(fig, **options)`` gives its component (nothing is drawn)."""
    caught: dict = {}

    def catch(**args):
        caught.update(args)

    with _CAPTURE_LOCK:
        saved = streamlit_folium._component_func
        streamlit_folium._component_func = catch
        try:
            st_folium(fig, **options)
        finally:
            streamlit_folium._component_func = saved
    return caught


@st.cache_resource(show_spinner=False, max_entries=64)
def _component_args(key: str, base_key: tuple, group_ids: tuple, height: int,
                    returned: tuple, _base_map: folium.Map, _groups: list) -> dict:
    base = copy.deepcopy(_base_map)
    overlays = copy.deepcopy(_groups) or [folium.FeatureGroup(name="empty", control=False)]
    args = _capture(base, key=key, height=height, use_container_width=True,
                    feature_group_to_add=overlays, returned_objects=list(returned),
                    render=False, layer_control=layers.layer_control())
    return {"args": args, "keep": (_base_map, list(_groups))}


def _draw(cached: dict) -> dict | None:
    """Draw the map of :func:`_component_args` (what ``st_folium`` would return)."""
    return streamlit_folium._component_func(**cached["args"])


def map_columns() -> tuple:
    """The map's column and the one beside it (the claim list): side by side where both
    fit, the second below the map where they do not (see :data:`PAGE_CSS`)."""
    st.html(PAGE_CSS)
    with st.container(key="ce_map_row"):
        return tuple(st.columns([3, 1], gap="medium"))


def clicked_tooltip(key: str) -> str:
    """The tooltip text of what was last clicked on map ``key`` ('' if nothing)."""
    value = st.session_state.get(key)
    if isinstance(value, dict):
        return str(value.get("last_object_clicked_tooltip") or "")
    return ""


def extent(key: str) -> str | None:
    """The extent ``"w,s,e,n"`` (two decimals) map ``key`` last reported, or None."""
    value = st.session_state.get(key)
    bounds = value.get("bounds") if isinstance(value, dict) else None
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        w, s, e, n = (max(-180.0, float(sw["lng"])), max(-90.0, float(sw["lat"])),
                      min(180.0, float(ne["lng"])), min(90.0, float(ne["lat"])))
    except (KeyError, TypeError, ValueError):
        return None
    return f"{w:.2f},{s:.2f},{e:.2f},{n:.2f}" if w < e and s < n else None
