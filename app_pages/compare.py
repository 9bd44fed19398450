"""Compare routes: alternatives between two places under constraints, with metrics and charts.

Every figure says its basis: lengths (published chainage, track traced on OpenStreetMap, or
the drawn line), time and cost (model estimates, central with their low-high range, under the
shipped assumptions or the user's scenario) and statuses (as recorded, or on the date of the
sidebar's date control).
The named sections each alternative runs through (such as the Syunik/Meghri section) follow
the table, each with its own figures. The tables are built by ``_compare_table``, time and
cost by ``_estimates``, the OpenStreetMap network by ``_compare_osm``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo
import layers
from app_pages import (
    _compare_osm,
    _compare_table,
    _data,
    _errors,
    _estimates,
    _when,
)
from app_pages import _map_widget as mw
from app_pages import _view_state as vs
from app_pages._text import plain

started = _data.start_timer()
data = _errors.need(_data.core, "Compare page")
_errors.layer_warnings(data)
places = data["places"]
routes = data["routes"]
segments = data["segments"]
view = vs.current()
folder = _data.folder_of(_data.data_key())
names = {str(p): str(n) for p, n in places["name_en"].items()}

st.title("Compare routes")
st.caption("Alternatives between two places on the full-resolution data. Lengths say what "
           "they rest on (published chainage, track traced on OpenStreetMap, or the drawn "
           "line); times and costs are model estimates, central with their low–high range.")

# ---- the date of the statuses (sidebar, shared by every page)

_when.date_control(st.sidebar, key_prefix="c")
try:
    as_of, scenario, when_label = _when.when()
except (geo.DataValidationError, geo.ScenarioError, geo.InputError, OSError) as err:
    _errors.show(err, "The chosen scenario cannot be used; statuses as recorded", warning=True)
    as_of, scenario, when_label = None, None, geo.when_text(None)

place_ids = sorted(places.index, key=lambda p: str(places.at[p, "name_en"]))
countries = sorted(set(data["borders"].index) | {"AZE-NX"})
statuses = sorted(segments["status"].unique())
modes = sorted(segments["mode"].unique())
RANKS = ["length", "time"]


def place_label(pid: str) -> str:
    return f"{places.at[pid, 'name_en']} ({places.at[pid, 'country']})"


# ---- the question

# Defaults: the view (a link or another page), else the first named route's ends.
first = routes.iloc[0] if len(routes) else None
default_o = view["from"] or (first["origin"] if first is not None else place_ids[0])
default_d = view["to"] or (first["destination"] if first is not None else place_ids[-1])
vs.seed("w_from", default_o if default_o in places.index else place_ids[0])
vs.seed("w_to", default_d if default_d in places.index else place_ids[-1])
vs.seed("w_avoid", [c for c in view["avoid"] if c in countries])
vs.seed("w_cstatus", vs.all_or_chosen(view["cstatus"], statuses))
vs.seed("w_cmode", vs.all_or_chosen(view["cmode"], modes))
vs.seed("w_k", min(max(int(view["k"]), 1), 6))
vs.seed("w_rank", view["rank"] if view["rank"] in RANKS else RANKS[0])
vs.seed("w_network", view["net"] if view["net"] in _compare_osm.NETWORKS else _compare_osm.CURATED)


def form_to_view() -> None:
    """Copy the form to the view; also the submit button's callback, which runs first thing in
    the run, so a run stopped half-way (a click on a page link) loses nothing."""
    s = st.session_state
    vs.update(**{"from": s["w_from"], "to": s["w_to"], "avoid": s["w_avoid"], "k": int(s["w_k"]),
                 "rank": s["w_rank"], "cstatus": vs.as_filter(s["w_cstatus"], statuses),
                 "cmode": vs.as_filter(s["w_cmode"], modes),
                 "net": None if s["w_network"] == _compare_osm.CURATED else s["w_network"]})


with st.form("compare_form"):
    c1, c2, c3, c4 = st.columns([3, 3, 2, 2.2])
    c1.selectbox("Origin", place_ids, key="w_from", format_func=place_label)
    c2.selectbox("Destination", place_ids, key="w_to", format_func=place_label)
    c3.slider("Alternatives", 1, 6, key="w_k")
    c4.radio("Rank by", RANKS, horizontal=True, key="w_rank")
    c5, c6, c7, c8 = st.columns([3, 3, 2, 2.2])
    c5.multiselect("Avoid countries", countries, key="w_avoid",
                   help="AZE-NX is the Nakhchivan exclave.")
    c6.multiselect("Allowed status", statuses, key="w_cstatus",
                   format_func=lambda s: geo.style.STATUS_LABELS.get(s, s),
                   help="Statuses on the date chosen in the sidebar.")
    c7.multiselect("Allowed modes", modes, key="w_cmode")
    c8.selectbox("Network", _compare_osm.NETWORKS, key="w_network",
                 format_func=lambda n: "OpenStreetMap import" if n == _compare_osm.OSM else n,
                 help="The curated segments, or the OpenStreetMap ways imported with "
                      "`corridors osm import FILE.osm.pbf` (one path, the shortest).")
    st.form_submit_button("Compare", type="primary", on_click=form_to_view)

state = st.session_state
origin, destination = state["w_from"], state["w_to"]
avoid, status, mode = state["w_avoid"], state["w_cstatus"], state["w_cmode"]
k, weight = int(state["w_k"]), state["w_rank"]
form_to_view()
vs.write_url()


# ---- the alternatives

@st.cache_data(show_spinner="Finding alternatives…", max_entries=128)
def run_compare(key, origin, destination, avoid, status, mode, k, weight, as_of, scenario):
    return geo.compare(origin, destination, avoid=list(avoid), status=list(status) or None,
                       mode=list(mode) or None, k=k, weight=weight, as_of=as_of,
                       scenario=scenario, data_dir=_data.folder_of(key))


osm_cache = None
if state["w_network"] == _compare_osm.OSM:
    osm_cache = _compare_osm.import_in_use(
        folder, choose=lambda files: st.selectbox(
            "OpenStreetMap import to route on", files, format_func=lambda p: p.name,
            key="w_osm_cache", help="Several imports are cached; `corridors osm list` describes "
                                    "each (region, kind, ways, date)."))
    if osm_cache is None:
        st.info(_compare_osm.HOW_TO_IMPORT, icon="ℹ️")

if osm_cache is not None:
    results = _errors.need(lambda: _compare_osm.run(osm_cache, origin, destination, avoid, status,
                                                    mode, weight),
                           "Compare on the OpenStreetMap network")
    network_label = (f"Network: {results[0]['geometry_source']} (© OpenStreetMap contributors, "
                     "ODbL). Statuses and gauges come from the OSM tags; the date in the "
                     "sidebar applies to the curated network only. One path, the shortest.")
else:
    results = _errors.need(lambda: run_compare(_data.data_key(), origin, destination, tuple(avoid),
                                               tuple(status), tuple(mode), k, weight, as_of,
                                               scenario),
                           "Compare")
    network_label = when_label + ("" if as_of or scenario else
                                  " (each status with its own as-of date; records older than "
                                  f"{geo.settings.stale_after_days} days are flagged below)")

base_assumptions = _errors.need(lambda: geo.load_assumptions(folder), "Time and cost assumptions")
changed = _estimates.overrides(base_assumptions)
try:
    assumptions = _estimates.scenario_of(base_assumptions, changed)
except geo.ScenarioError as err:
    _errors.show(err, "Your assumption scenario (the published figures are used)")
    changed, assumptions = {}, None
results = _estimates.reestimated(results, assumptions)

st.subheader(f"{len(results)} alternative(s): {place_label(origin)} → {place_label(destination)}")
st.markdown(f"**{plain(network_label)}**")
table = _compare_table.alternatives_table(results, names)
unit = _compare_table.cost_unit(results)
basis = results[0]["est_basis"] if results else ""
# a click on a row chooses that alternative for the chart and the map below (which zooms to it)
table_key = "alternatives:" + "|".join(table["corridor"]) + f":{origin}:{destination}"
picked = st.dataframe(
    table, hide_index=True, width="stretch", key=table_key, on_select="rerun",
    selection_mode="single-row",
    # km by country (the chart below) and the places passed (each alternative's notes) are
    # left out, so that the table fits a wide window without scrolling sideways
    column_order=[c for c in table.columns if c not in ("km_by_country", "via")],
    column_config={
        "rank": st.column_config.NumberColumn("Alt.", width=40, pinned=True),
        "corridor": st.column_config.TextColumn(
            "Corridor", width=145, pinned=True,
            help="The border crossings in order (AZE-NX: the Nakhchivan exclave; ~ a crossing "
                 "by sea)."),
        "length_km": st.column_config.NumberColumn(
            "Length (km)", format="localized", width=82,
            help="Best estimate: published chainage where a segment has one, else measured on "
                 "the drawn line (see the basis)."),
        "length_basis": st.column_config.TextColumn(
            "Length basis", width=190, help=_compare_table.BASIS_HELP),
        "est_time_h": st.column_config.NumberColumn(
            "Time (h)", format="localized", width=66, help=f"Model estimate, central. {basis}"),
        "est_time_range": st.column_config.TextColumn(
            "Range (h)", width=80, help="Model time, low–high: every assumption at its low "
                                        "or high end at once."),
        "est_cost": st.column_config.NumberColumn(
            f"Cost ({_compare_table.unit_short(unit)})", format="localized", width=108,
            help=f"Model estimate, central. {basis}"),
        "est_cost_range": st.column_config.TextColumn(
            f"Range ({_compare_table.unit_short(unit)})", width=118,
            help="Model cost, low–high: every assumption at its low or high end at once."),
        "exists": st.column_config.TextColumn(
            _compare_table.exists_label(as_of if osm_cache is None else None), width=85,
            help="Yes when every km is operational on that date."),
        "km_operational": st.column_config.NumberColumn("In use (km)", format="localized",
                                                        width=85, help="Operational."),
        "km_under_construction": st.column_config.NumberColumn(
            "Building (km)", format="localized", width=92, help="Under construction."),
        "km_planned": st.column_config.NumberColumn("Planned (km)", format="localized",
                                                    width=90, help="Planned or proposed."),
        "km_out_of_service": st.column_config.NumberColumn(
            "Closed (km)", format="localized", width=85, help="Disrupted or closed."),
        "border_crossings": st.column_config.NumberColumn("Borders", width=68,
                                                          help="Border crossings."),
        "gauge_breaks": st.column_config.TextColumn(
            "Gauge breaks", width=125,
            help="Uncertain: the gauge changes somewhere on a stretch whose gauge is not known "
                 "(see the notes)."),
        "transshipments": st.column_config.NumberColumn("Transship.", width=82,
                                                        help="Transshipments between modes."),
        "km_by_country": st.column_config.TextColumn("km by country"),
        "via": st.column_config.TextColumn("Via", width="large"),
    },
)
rows_picked = list(picked["selection"]["rows"]) if picked and "selection" in picked else []
if rows_picked and rows_picked[0] < len(table):
    rank_picked = int(table["rank"].iloc[rows_picked[0]])
    if state.get("compare_table_last") != (table_key, rank_picked):
        state["compare_table_last"] = (table_key, rank_picked)
        state["compare_choice"] = rank_picked
st.caption("Click a row to draw that alternative on the map below and zoom to it.")

sections = _compare_table.sections_table(results)
if len(sections):
    st.markdown("**Named sections on these alternatives**")
    st.table(sections.rename(columns=_compare_table.SECTION_HEADERS), hide_index=True)
    st.caption("Each named section of a route (such as the Syunik/Meghri section) that an "
               "alternative runs through from end to end, measured on its own: quote it without "
               "subtracting. km by status uses the statuses above.")

id_names = _compare_table.id_names(places, segments)
notes = [(m, _compare_table.reader_notes(m, id_names)) for m in results]
st.markdown("**Before you quote these figures**")
for (m, items), via in zip(notes, table["via"], strict=True):
    with st.expander(plain(_compare_table.notes_summary(m, items))):
        st.markdown(f"**Via:** {plain(via)}")
        st.markdown("\n".join(f"- {plain(n)}" for n in items))
variants = _compare_table.variants_frame(results, names)
if len(variants):
    with st.expander(f"{len(variants)} other path(s) folded into the corridors above"):
        st.caption("Paths that cross the same borders in the same order as an alternative, by "
                   "other lines within the same countries; each is measured like the "
                   "alternatives (best-estimate km).")
        st.dataframe(variants, hide_index=True, width="stretch", column_config={
            "rank": st.column_config.NumberColumn("Alt.", width=40),
            "corridor": st.column_config.TextColumn("Corridor", width=150),
            "length_km": st.column_config.NumberColumn("km (best estimate)", format="%d",
                                                       width=120),
            "via": st.column_config.TextColumn("Via (mode of each leg)", width="large")})
st.caption(plain(f"Time and cost are {basis} (cost in {unit}). They compare routes by the same "
                 "published figures; they do not predict a shipment."))

st.download_button("Download alternatives (CSV)",
                   _data.csv_bytes(_compare_table.csv_frame(results, id_names)),
                   file_name=f"alternatives-{origin}-{destination}.csv", mime="text/csv")

if osm_cache is not None:
    st.markdown("**Where each place joins the OpenStreetMap network**")
    st.dataframe(_compare_osm.snaps_frame(results[0], names), hide_index=True,
                 column_config={"distance_m": st.column_config.NumberColumn(
                     "distance (m)", help="Straight access line from the place to the node; "
                                          "counted in the length and named in the legs.")})

# ---- time and cost

chosen = st.radio("Alternative for the chart and the map", [m["rank"] for m in results],
                  horizontal=True, format_func=lambda r: f"Alternative {r}", key="compare_choice")
metrics = next(m for m in results if m["rank"] == chosen)

st.subheader("Time and cost: model estimates")
st.markdown(plain(f"Alternative {chosen}: {geo.estimate_text(metrics)}."))
col_a, col_b = st.columns([3, 2])
with col_a, _errors.guard("Time and cost chart"):
    measure = st.radio("Measure", list(_estimates.MEASURES), horizontal=True, key="tc_measure",
                       label_visibility="collapsed")
    st.altair_chart(_estimates.band_chart(geo.time_cost_series(metrics), measure),
                    width="stretch")
    st.caption("Cumulative time or cost against km from the origin: the line is the central "
               "estimate, the band runs from every assumption at its low end to every one at "
               "its high end; the steps are waits at borders, breaks of gauge and "
               "transshipments (points; hover for what).")
with col_b, st.expander("Your assumption scenario", expanded=bool(changed)), \
        _errors.guard("Assumption scenario"):
    _estimates.editor(base_assumptions, changed)

with _errors.guard("Published door-to-door figures"):
    st.markdown("**Published door-to-door figures beside the model**")
    observed = _estimates.observed(origin, destination, results, as_of, scenario, changed)
    if observed.empty:
        st.caption(plain(f"data/observations.yaml has no published door-to-door time or cost "
                         f"for {place_label(origin)} → {place_label(destination)}; `corridors "
                         "calibration` lists those it has."))
    else:
        st.dataframe(observed, hide_index=True, width="stretch", column_config={
            "route": st.column_config.TextColumn("Named route"),
            "alternative": st.column_config.TextColumn("Which alternative"),
            "observation": st.column_config.TextColumn("Observation (kind, year)"),
            "kind": None,
            "measure": st.column_config.TextColumn("Measure", width=70),
            "observed": st.column_config.TextColumn("Observed"),
            "model": st.column_config.TextColumn("Model: central (low–high)"),
            "result": st.column_config.TextColumn("Model against observed"),
            "explained_by": st.column_config.TextColumn("Gap explained by", width="large"),
            "what": st.column_config.TextColumn("What was measured", width="large"),
            "source": st.column_config.TextColumn("Source", width="large"),
            "url": st.column_config.LinkColumn("Link"),
        })
        st.caption("Observed figures as published (measured, estimated or claimed), each for a "
                   "named route; the model's range is for that route, under the assumptions "
                   "above.")

# ---- km per country and the map

with _errors.guard("Kilometres per country"):
    st.markdown("**Kilometres per country** (best-estimate length, split in the proportions "
                "of the drawn line)")
    by_country = pd.DataFrame(
        {f"Alt. {m['rank']}": pd.Series(m["km_by_country"], dtype=float) for m in results}
    ).fillna(0.0)
    by_country.index.name = "country"
    st.bar_chart(by_country, horizontal=True, stack=False, y_label="", x_label="km", height=220)


@st.cache_resource(show_spinner=False, max_entries=64)
def dated_corridors(key: str, as_of, scenario, status: tuple, mode: tuple) -> list:
    """The corridors layer with each segment's status on ``as_of`` (under ``scenario``)."""
    seg = geo.segments_at(_data.folder_of(key), as_of, scenario)
    seg = seg[seg["status"].isin(status) & seg["mode"].isin(mode)]
    return layers.overlay_groups(segments=seg, show={"corridors"})


with _errors.guard("Map"):
    if osm_cache is not None:
        line, snapped = _compare_osm.route_frames(metrics, names)
        st.caption(plain(f"The map draws the route on its OpenStreetMap geometry "
                         f"({metrics['geometry_source']}); the white points are the network "
                         "nodes the places joined."))
        highlight = line
        extra = layers.overlay_groups(places=snapped, show={"places"})
    else:
        highlight = layers.highlight_frame(segments, metrics["segments"],
                                           name=f"Alternative {chosen}")
        extra = []
        st.caption(plain(f"Corridors styled by their status: {when_label.lower()}."))
    groups = layers.overlay_groups(highlight=highlight, show={"routes"})
    shown_status, shown_mode = status or statuses, mode or modes
    if as_of or scenario:
        groups += dated_corridors(_data.data_key(), as_of, scenario, tuple(sorted(shown_status)),
                                  tuple(sorted(shown_mode)))
        groups += mw.map_groups(show={"crossings", "gauge_breaks"}, status=shown_status,
                                mode=shown_mode)
    else:
        groups += mw.map_groups(show={"corridors", "crossings", "gauge_breaks"},
                                status=shown_status, mode=shown_mode)
    groups += extra
    bounds = highlight.total_bounds
    mw.show_map(key="compare_map", groups=groups, height=480, returned=(),
                bounds=((bounds[1], bounds[0]), (bounds[3], bounds[2])))

_data.log_run("compare", started)
