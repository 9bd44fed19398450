"""Map page: layer toggles and filters in the sidebar, the map, and a claim list synced with it.

The map is drawn before the sidebar widgets (their values are read from the session state,
with the same defaults), so the browser starts loading the map first.
"""

from __future__ import annotations

import streamlit as st

import geo
from app_pages import _shared as sh
from app_pages._text import plain

started = sh.start_timer()
data = sh.core()
checked, claims_error = sh.claims()
routes = data["routes"]
segments = data["segments"]
state = st.session_state

LAYER_LABELS = {"corridors": "Corridors", "places": "Places", "crossings": "Border crossings",
                "gauge_breaks": "Gauge breaks", "claims": "Claims",
                "routes": "Highlight chosen routes"}
BASEMAPS = ["Offline (vector)", "Map tiles (needs internet)"]
ALL_ARTICLES = "All articles"
statuses = sorted(segments["status"].unique())
modes = sorted(segments["mode"].unique())
kinds = [] if checked is None else sorted(checked["kind"].dropna().unique())
verdicts = [] if checked is None else sorted(checked["verdict"].dropna().unique())
articles = [] if checked is None else sorted(checked["article_id"].dropna().unique())

# ---- state from the URL (first run of this page in the session only)
if "map_routes" not in state:
    state["map_routes"] = [r for r in sh.param_list("routes") if r in routes.index]
if "map_claim" not in state:
    wanted = st.query_params.get("claim")
    state["map_claim"] = wanted if checked is not None and wanted in checked.index else None
    state["map_claim_token"] = f"url:{wanted}"
if "map_bounds" not in state:
    state["map_bounds"] = sh.parse_extent(st.query_params.get("extent"))

# ---- a click on a claim marker selects it in the list (before the list widget is drawn)
clicked = state.get("map_widget")
if isinstance(clicked, dict) and checked is not None:
    cid = (clicked.get("last_object_clicked_tooltip") or "").split(" · ", 1)[0].strip()
    if cid in checked.index and cid != state.get("map_clicked_last"):
        state["map_claim"] = cid
        state["map_claim_token"] = f"click:{cid}"
    state["map_clicked_last"] = cid

# ---- current choices (widgets below use the same keys and defaults)
show = {k for k in LAYER_LABELS if state.get(f"layer_{k}", True)}
chosen_routes = [r for r in state["map_routes"] if r in routes.index]
only_routes = bool(state.get("map_only_routes", False)) and bool(chosen_routes)
pick_status = state.get("map_status", statuses)
pick_mode = state.get("map_mode", modes)
pick_kind = state.get("map_kinds", kinds)
pick_verdict = state.get("map_verdicts", verdicts)
pick_article = state.get("map_article", ALL_ARTICLES)
tiles = state.get("map_basemap", BASEMAPS[0]) == BASEMAPS[1]

claims_view = None
if checked is not None:
    claims_view = checked[checked["kind"].isin(pick_kind) & checked["verdict"].isin(pick_verdict)]
    if pick_article != ALL_ARTICLES:
        claims_view = claims_view[claims_view["article_id"] == pick_article]
    if state["map_claim"] not in claims_view.index:
        state["map_claim"] = None
sh.set_param("routes", chosen_routes)
sh.set_param("claim", state["map_claim"])

# ---- page: the map first
st.title("Corridor map")
st.caption(f"Data as of {sh.as_of()}. Click a line, place or claim for details; the legend "
           "explains every style. Lengths elsewhere are measured on the full-resolution data.")
if claims_error:
    st.warning(f"Claims are not shown: {claims_error}")

# First run of the session: the map only; the filters and the claim list follow as soon as
# the map reports that it is drawn (a rerun a moment later), so the browser does not fetch
# and run their code while it draws the map.
loaded = sh.map_loaded("map_widget")
col_map, col_list = st.columns([3, 1], gap="medium")
with col_map:
    keep = {s for r in chosen_routes for s in routes.at[r, "segments"]} if only_routes else None
    groups = sh.map_groups(
        show=show, status=pick_status, mode=pick_mode, keep_segments=keep, kinds=pick_kind,
        verdicts=pick_verdict, article=None if pick_article == ALL_ARTICLES else pick_article,
        routes=chosen_routes, open_claim=state["map_claim"], open_token=state.get("map_claim_token"),
    )
    sh.show_map(key="map_widget", groups=groups, tiles=tiles, bounds=state["map_bounds"])

if not loaded:
    st.sidebar.caption("Loading the filters…")
    col_list.caption("Loading the claims…")
    sh.log_run("map", started)
    st.stop()

# ---- sidebar: layers and filters
with st.sidebar:
    st.subheader("Layers")
    for key, label in LAYER_LABELS.items():
        st.checkbox(label, value=True, key=f"layer_{key}")
    st.radio("Basemap", BASEMAPS, index=0, key="map_basemap",
             help="Tiles come from OpenStreetMap (or CORRIDORS_TILES_URL); if they cannot load, "
                  "the offline basemap stays.")
    filters = st.expander("Filters", expanded=False)
    filters.multiselect("Routes", list(routes.index), key="map_routes",
                   format_func=lambda r: f"{routes.at[r, 'name']} ({r})")
    filters.checkbox("Only corridors of the chosen routes", value=False, key="map_only_routes",
                disabled=not chosen_routes)
    filters.pills("Status", statuses, default=statuses, key="map_status", selection_mode="multi",
                  format_func=lambda s: geo.style.STATUS_LABELS.get(s, s))
    filters.pills("Mode", modes, default=modes, key="map_mode", selection_mode="multi")
    if checked is not None:
        filters.pills("Claim kind", kinds, default=kinds, key="map_kinds", selection_mode="multi")
        filters.pills("Claim verdict", verdicts, default=verdicts, key="map_verdicts",
                      selection_mode="multi",
                      format_func=lambda v: geo.style.VERDICT_LABELS.get(v, v))
        filters.selectbox("Article", [ALL_ARTICLES, *articles], key="map_article")

# ---- the claim list, synced with the map
with col_list:
    st.subheader("Claims")
    if claims_view is None:
        st.info("No claims to list.")
    else:
        def label(cid):
            if cid is None:
                return "— choose a claim —"
            row = claims_view.loc[cid]
            located = row.geometry is not None and not row.geometry.is_empty
            verdict = geo.style.VERDICT_LABELS.get(row["verdict"], row["verdict"])
            return f"{cid} · {row['kind']} · {verdict}" + ("" if located else " (no map location)")

        def chosen():
            state["map_claim_token"] = f"list:{state['map_claim']}:{sh.start_timer()}"

        st.selectbox("Claim", [None, *claims_view.index], key="map_claim", format_func=label,
                     on_change=chosen,
                     help="Choosing a claim centres the map on it and opens its popup.")
        st.caption(f"{len(claims_view)} claim(s) match the filters.")
        cid = state["map_claim"]
        if cid is not None:
            row = claims_view.loc[cid]
            st.markdown(f"> {plain(row['quote'])}")
            st.markdown(f"**Said by:** {plain(row['who'])} ({plain(row['role'])})")
            verdict = geo.style.VERDICT_LABELS.get(row["verdict"], row["verdict"])
            st.markdown(f"**Verdict:** {plain(verdict)}")
            st.markdown(f"**Evidence:** {plain(row['evidence'])}")
            st.markdown(f"**Source:** {plain(row['publication'])} · {plain(row['article_id'])}")

sh.log_run("map", started)
