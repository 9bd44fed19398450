"""Map page: the date, layers and filters in the sidebar, the map, and a claim list synced with it.

The segments are drawn with their statuses on the date of the date control (``_when``): the
corridor layer carries the statuses of every date it offers and restyles itself in the browser
when the page address names another date, so moving the control sends no layer again.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

import geo
from app_pages import _claim_list as _claim_list_rows
from app_pages import _data, _errors, _instant, _when
from app_pages import _map_widget as mw
from app_pages import _view_state as vs
from app_pages._text import plain
from geo import textsafe
from geo.lifecycle import WORKS_NOTE

started = _data.start_timer()
data = _errors.need(_data.core, "Map page")
checked, claims_error = _data.claims()
routes = data["routes"]
segments = data["segments"]
state = st.session_state
view = vs.current()

LAYER_LABELS = {"corridors": "Corridors", "places": "Places", "crossings": "Border crossings",
                "gauge_breaks": "Gauge breaks", "claims": "Claims",
                "routes": "Highlight chosen routes"}
BASEMAPS = {"vector": "Offline (vector)", "tiles": "Map tiles (needs internet)"}
ALL_ARTICLES = "All articles"
MAP_KEY = "map_widget"
modes = sorted(segments["mode"].unique())
kinds = [] if checked is None else sorted(checked["kind"].dropna().unique())
verdicts = [] if checked is None else sorted(checked["verdict"].dropna().unique())
articles = [] if checked is None else sorted(checked["article_id"].dropna().unique())
countries = {} if checked is None else checked["country"].dropna().value_counts().to_dict()


def country_name(iso3: str) -> str:
    borders = data["borders"]
    return str(borders.at[iso3, "name"]) if iso3 in borders.index else iso3


# ---- a click on the map: a claim marker selects the claim, a country badge filters the list
tooltip = mw.clicked_tooltip(MAP_KEY)
if tooltip and tooltip != state.get("map_clicked_last") and checked is not None:
    first = tooltip.split(" · ", 1)[0].strip()
    if first in checked.index:
        vs.update(claim=first)
    elif first in countries:
        vs.update(country=first, claim=None)
        state.pop("w_country", None)
state["map_clicked_last"] = tooltip
if mw.extent(MAP_KEY):
    vs.update(extent=mw.extent(MAP_KEY))

# The session's first run draws the map alone; the filters and the claim list follow as soon
# as the map reports its extent (a rerun right after it is drawn), so the browser fetches and
# draws the map before the widgets' code (the claim list's data grid is large).
map_shown = state.get("map_shown", False) or mw.extent(MAP_KEY) is not None
state["map_shown"] = map_shown

# ---- the date of the statuses: first, so that the map restyles as soon as the address
# names the new date (the map reads it there), before the rest of the page runs
if map_shown:
    _when.date_control(st.sidebar)
    vs.write_url()
as_of, scenario, when_label = None, None, geo.when_text(None)
with _errors.guard("The chosen date or scenario cannot be used; statuses as recorded"):
    as_of, scenario, when_label = _when.when()
dated = None
with _errors.guard("Statuses through time cannot be drawn; statuses as recorded"):
    dated = _data.dated_statuses(scenario, options=_when.months(), recorded=_when.RECORDED)
statuses = dated.statuses() if dated is not None else sorted(segments["status"].unique())

# ---- sidebar: layers and filters (seeded from the view, copied back to it)
vs.seed("w_routes", [r for r in view["routes"] if r in routes.index])
for layer in LAYER_LABELS:
    vs.seed(f"w_layer_{layer}", view["layers"] is None or layer in view["layers"])
vs.seed("w_basemap", view["basemap"] if view["basemap"] in BASEMAPS else "vector")
vs.seed("w_status", vs.all_or_chosen(view["status"], statuses))
vs.seed("w_mode", vs.all_or_chosen(view["mode"], modes))
vs.seed("w_kinds", vs.all_or_chosen(view["kinds"], kinds))
vs.seed("w_verdicts", vs.all_or_chosen(view["verdicts"], verdicts))
vs.seed("w_article", view["article"] if view["article"] in articles else ALL_ARTICLES)

if map_shown:
    with st.sidebar:
        st.subheader("Layers")
        for layer, label in LAYER_LABELS.items():
            st.checkbox(label, key=f"w_layer_{layer}")
        st.radio("Basemap", list(BASEMAPS), format_func=BASEMAPS.get, key="w_basemap",
                 help="Tiles come from OpenStreetMap (or CORRIDORS_TILES_URL); if they "
                      "cannot load, the offline basemap stays.")
        with st.expander("Filters", expanded=False):
            st.multiselect("Routes", list(routes.index), key="w_routes",
                           format_func=lambda r: f"{routes.at[r, 'name']} ({r})")
            st.checkbox("Only corridors of the chosen routes", key="w_only_routes",
                        disabled=not state["w_routes"])
            st.pills("Status", statuses, key="w_status", selection_mode="multi",
                     format_func=lambda s: geo.style.STATUS_LABELS.get(s, s),
                     help="Statuses on the date chosen above.")
            st.pills("Mode", modes, key="w_mode", selection_mode="multi")
            if checked is not None:
                st.pills("Claim kind", kinds, key="w_kinds", selection_mode="multi")
                st.pills("Claim verdict", verdicts, key="w_verdicts", selection_mode="multi",
                         format_func=lambda v: geo.style.VERDICT_LABELS.get(v, v))
                st.selectbox("Article", [ALL_ARTICLES, *articles], key="w_article")
else:
    st.sidebar.caption("Loading the filters…")

show = {layer for layer in LAYER_LABELS if state[f"w_layer_{layer}"]}
chosen_routes = list(state["w_routes"])
pick_status, pick_mode = state["w_status"] or [], state["w_mode"] or []
pick_kind, pick_verdict = state["w_kinds"] or [], state["w_verdicts"] or []
pick_article = state["w_article"]
vs.update(routes=chosen_routes, layers=sorted(show) if len(show) < len(LAYER_LABELS) else None,
          basemap=state["w_basemap"], status=vs.as_filter(pick_status, statuses),
          mode=vs.as_filter(pick_mode, modes), kinds=vs.as_filter(pick_kind, kinds),
          verdicts=vs.as_filter(pick_verdict, verdicts),
          article=None if pick_article == ALL_ARTICLES else pick_article)
if map_shown:
    vs.write_url()  # the layers shown: the map follows the address at once

claims_view = None
if checked is not None:
    claims_view = checked[checked["kind"].isin(pick_kind) & checked["verdict"].isin(pick_verdict)]
    if pick_article != ALL_ARTICLES:
        claims_view = claims_view[claims_view["article_id"] == pick_article]
    if view["claim"] not in claims_view.index:
        vs.update(claim=None)


def matches(frame: pd.DataFrame, text: str) -> pd.Series:
    """Rows whose quote, summary or evidence contain every word of ``text`` (any case)."""
    hay = (frame["quote"].fillna("") + " " + frame["summary"].fillna("") + " "
           + frame["evidence"].fillna("")).str.casefold()
    keep = pd.Series(True, index=frame.index)
    for word in re.findall(r"\w+", text.casefold()):
        keep &= hay.str.contains(word, regex=False)
    return keep


TIMELINE_COLUMNS = {"date": "date", "name": "section", "event": "event", "kind": "kind",
                    "status": "status", "source": "source", "url": "link"}


def route_timeline(rid: str) -> None:
    """An expander with every dated change of the route's sections, with sources, and a CSV."""
    name = str(routes.at[rid, "name"])
    with st.expander(f"Timeline of {name}"):
        events = _data.route_timeline(rid, scenario)
        if events is None or not len(events):
            st.caption("No dated changes are recorded for the sections of this route.")
            return
        table = events[list(TIMELINE_COLUMNS)].rename(columns=TIMELINE_COLUMNS)
        table["event"] = table["event"].str.replace("_", " ")
        table["status"] = [geo.style.STATUS_LABELS.get(v, v) for v in table["status"]]
        st.caption(f"When each section of {plain(name)} changed or is expected to, with "
                   "sources. *happened*: recorded; *expected*: a target date announced in "
                   "advance, so a status from it is a projection"
                   + ("; *scenario*: a change of the chosen scenario (projected)."
                      if scenario is not None else ".") + f" {plain(WORKS_NOTE)}.")
        st.dataframe(textsafe.table_frame(table), hide_index=True, width="stretch",
                     key=f"w_timeline_{rid}",
                     column_config={"link": st.column_config.LinkColumn(display_text="source"),
                                    "source": st.column_config.TextColumn(width="large")})
        st.download_button(
            f"Download the timeline of {name} (CSV)", _data.csv_bytes(events),
            file_name=f"timeline-{rid}.csv", mime="text/csv", key=f"dl_timeline_{rid}")


# The map's first view: the extent of the view (a link, or the last one shown), else the
# region; set anew each time the page is entered (a new session, or back from another page),
# fitted so that reopening a link shows the same box (vs.fit_extent).
if "map_bounds" not in state or vs.entered():
    state["map_bounds"] = vs.fit_extent(view["extent"])

# ---- page
st.title("Corridor map")
st.caption(f"Data as of {_data.as_of()}. Click a line, place or claim for details; the legend "
           "explains every style. Lengths elsewhere are measured on the full-resolution data.")
st.markdown(f"**{plain(when_label)}**")
if claims_error:
    _errors.show(claims_error, "Claims are not shown")
_errors.layer_warnings(data)

_instant.install()  # a layer or date step shows on the map before the page has run again
col_map, col_list = mw.map_columns()  # side by side where both fit, else the list below
with col_map:
    only = bool(state.get("w_only_routes")) and bool(chosen_routes)
    keep = {s for r in chosen_routes for s in routes.at[r, "segments"]} if only else None
    # every layer goes to the map, which shows those the address names (layers turned on or
    # off in the sidebar): a layer toggled sends nothing to the map again
    groups = mw.map_groups(
        show=set(LAYER_LABELS), status=None if set(pick_status) >= set(statuses) else pick_status,
        mode=pick_mode, keep_segments=keep, kinds=pick_kind, verdicts=pick_verdict,
        article=view["article"], routes=chosen_routes, dated=dated, dated_token=repr(scenario),
    )
    with _errors.guard("The map"):
        mw.show_map(key=MAP_KEY, groups=groups, tiles=view["basemap"] == "tiles",
                    bounds=state["map_bounds"], padded=state["map_bounds"] is None,
                    follow_layers=True, search=map_shown)
    if map_shown:
        for rid in chosen_routes:
            with _errors.guard(f"The timeline of {rid}"):
                route_timeline(rid)

# ---- the claim list, synced with the map

@st.fragment
def claim_list(claims_view: pd.DataFrame) -> None:
    """Search, country buttons, the list and the chosen claim.

    A fragment: searching or choosing a claim reruns only this part, not the map. The chosen
    claim goes to the view state and the address, and the map opens it from there
    (``layers.claim_from_url_script``), so no layer is sent to the map again.
    """
    started = _data.start_timer()
    try:
        _claim_list(claims_view)
    finally:
        _data.log_run("claim_list", started)


def _claim_list(claims_view: pd.DataFrame) -> None:
    view = vs.current()
    vs.seed("w_q", view["q"] or "")
    options = [c for c in countries if c in set(claims_view["country"].dropna())]
    vs.seed("w_country", view["country"] if view["country"] in options else None)
    vs.update(q=state["w_q"].strip() or None, country=state.get("w_country"))
    listed = claims_view[matches(claims_view, state["w_q"])]
    if view["country"]:
        listed = listed[listed["country"] == view["country"]]
    st.text_input("Search claims", key="w_q", label_visibility="collapsed",
                  placeholder="Search claims: quote, summary, evidence")
    if options:
        st.pills("Claims about a whole country", options, key="w_country",
                 label_visibility="collapsed",
                 format_func=lambda c: f"{country_name(c)} ({countries[c]})")
    st.caption(f"{len(listed)} of {len(claims_view)} claim(s) match",
               help="Click a claim to open it here and on the map; click a claim on the map "
                    "to open it here. Claims that name only a country are not drawn at a "
                    "point: choose the country above (or its badge on the map) to list them.")
    # the chosen claim opens in place, and the map opens the claim the address names
    picked = _claim_list_rows.clicked(listed)
    if picked:
        vs.update(claim=picked)
    vs.write_url()  # first: the map opens the chosen claim while the list is drawn
    _claim_list_rows.show(listed, vs.current()["claim"], country_name=country_name,
                          empty="No claim matches the search and filters.")


with col_list:
    st.subheader("Claims")
    if not map_shown:
        st.caption("Loading the claims…")
    elif claims_view is None:
        st.info("No claims to list.")
    else:
        claim_list(claims_view)

vs.write_url()
_data.log_run("map", started)
