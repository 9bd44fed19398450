"""Compare routes: alternatives between two places under constraints, with metrics and charts."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import geo
import layers
from app_pages import _data, _errors, _through_time
from app_pages import _map_widget as mw
from app_pages import _view_state as vs

started = _data.start_timer()
data = _errors.need(_data.core, "Compare page")
_errors.layer_warnings(data)
places = data["places"]
routes = data["routes"]
segments = data["segments"]
view = vs.current()

st.title("Compare routes")
st.caption("Alternatives between two places, measured geodesically on the full-resolution data. "
           "Times and costs follow the stated assumptions (data/assumptions.yaml).")

place_ids = sorted(places.index, key=lambda p: str(places.at[p, "name_en"]))
countries = sorted(set(data["borders"].index) | {"AZE-NX"})
statuses = sorted(segments["status"].unique())
modes = sorted(segments["mode"].unique())
RANKS = ["length", "time"]


def place_label(pid: str) -> str:
    return f"{places.at[pid, 'name_en']} ({places.at[pid, 'country']})"


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

with st.form("compare_form"):
    c1, c2 = st.columns(2)
    c1.selectbox("Origin", place_ids, key="w_from", format_func=place_label)
    c2.selectbox("Destination", place_ids, key="w_to", format_func=place_label)
    c3, c4, c5 = st.columns(3)
    c3.multiselect("Avoid countries", countries, key="w_avoid",
                   help="AZE-NX is the Nakhchivan exclave.")
    c4.multiselect("Allowed status", statuses, key="w_cstatus",
                   format_func=lambda s: geo.style.STATUS_LABELS.get(s, s))
    c5.multiselect("Allowed modes", modes, key="w_cmode")
    c6, c7 = st.columns(2)
    c6.slider("Alternatives", 1, 6, key="w_k")
    c7.radio("Rank by", RANKS, horizontal=True, key="w_rank")
    st.form_submit_button("Compare", type="primary")

state = st.session_state
origin, destination = state["w_from"], state["w_to"]
avoid, status, mode = state["w_avoid"], state["w_cstatus"], state["w_cmode"]
k, weight = int(state["w_k"]), state["w_rank"]
vs.update(**{"from": origin, "to": destination, "avoid": avoid, "k": k, "rank": weight,
             "cstatus": vs.as_filter(status, statuses), "cmode": vs.as_filter(mode, modes)})
vs.write_url()


@st.cache_data(show_spinner="Finding alternatives…", max_entries=64)
def run_compare(key, origin, destination, avoid, status, mode, k, weight):
    return geo.compare(origin, destination, avoid=list(avoid), status=list(status) or None,
                       mode=list(mode) or None, k=k, weight=weight, data_dir=_data.folder_of(key))


results = _errors.need(lambda: run_compare(_data.data_key(), origin, destination, tuple(avoid),
                                           tuple(status), tuple(mode), k, weight),
                       "Compare")


def fmt_dict(d: dict) -> str:
    return ", ".join(f"{k} {v:,.0f}" for k, v in sorted(d.items(), key=lambda kv: -kv[1]))


rows = []
for m in results:
    rows.append({
        "rank": m["rank"],
        "length_km": round(m["length_km"], 1),
        "km_by_country": fmt_dict(m["km_by_country"]),
        "border_crossings": len(m["border_crossings"]),
        "gauge_breaks": len(m["gauge_breaks"]),
        "transshipments": len(m["transshipments"]),
        "est_time_h": round(m["est_time_h"], 1),
        "est_cost_usd": round(m["est_cost_usd"], 0),
        "detour_index": None if m["detour_index"] is None else round(m["detour_index"], 2),
        "via": " > ".join(str(places.at[n, "name_en"]) if n in places.index else n
                          for n in m["nodes"]),
        "unknowns": "; ".join(m["unknowns"]),
    })
table = pd.DataFrame(rows)

st.subheader(f"{len(results)} alternative(s): {place_label(origin)} → {place_label(destination)}")
st.dataframe(
    table, hide_index=True, width="stretch", key="alternatives",
    column_config={
        "rank": st.column_config.NumberColumn("Alt.", width="small"),
        "length_km": st.column_config.NumberColumn("Length (km)", format="%.1f"),
        "km_by_country": st.column_config.TextColumn("km by country"),
        "border_crossings": st.column_config.NumberColumn("Border crossings"),
        "gauge_breaks": st.column_config.NumberColumn("Gauge breaks"),
        "transshipments": st.column_config.NumberColumn("Transshipments"),
        "est_time_h": st.column_config.NumberColumn("Est. time (h)", format="%.1f"),
        "est_cost_usd": st.column_config.NumberColumn("Est. cost (USD)", format="%.0f"),
        "detour_index": st.column_config.NumberColumn("Detour index", format="%.2f",
                                                      help="Length / straight-line distance"),
        "via": st.column_config.TextColumn("Via", width="large"),
        "unknowns": st.column_config.TextColumn("Not known"),
    },
)

csv_rows = []
for m in results:
    csv_rows.append({key: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
                     for key, v in m.items() if key not in ("legs", "steps")})
st.download_button("Download alternatives (CSV)", pd.DataFrame(csv_rows).to_csv(index=False),
                   file_name=f"alternatives-{origin}-{destination}.csv", mime="text/csv")

chosen = st.radio("Show on the map", [m["rank"] for m in results], horizontal=True,
                  format_func=lambda r: f"Alternative {r}", key="compare_choice")
metrics = next(m for m in results if m["rank"] == chosen)

col_a, col_b = st.columns(2)
with col_a:
    st.markdown("**Kilometres per country**")
    by_country = pd.DataFrame(
        {f"Alt. {m['rank']}": pd.Series(m["km_by_country"], dtype=float) for m in results}
    ).fillna(0.0)
    by_country.index.name = "country"
    st.bar_chart(by_country, horizontal=True, stack=False, y_label="", x_label="km")
with col_b:
    st.markdown("**Time and cost against distance** "
                "(steps are border, gauge and transshipment waits)")
    series = geo.time_cost_series(metrics)
    measure = st.radio("Measure", ["hours", "cost_usd"], horizontal=True, key="tc_measure",
                       label_visibility="collapsed")
    st.line_chart(series, x="km", y=measure, x_label="km from origin", y_label=measure)

highlight = layers.highlight_frame(segments, metrics["segments"], name=f"Alternative {chosen}")
groups = layers.overlay_groups(highlight=highlight, show={"routes"}) + mw.map_groups(
    show={"corridors", "crossings", "gauge_breaks"}, status=status or statuses,
    mode=mode or modes)
bounds = highlight.total_bounds
mw.show_map(key="compare_map", groups=groups, height=480,
            bounds=((bounds[1], bounds[0]), (bounds[3], bounds[2])))

# ---- Through time (temporary: the lead wires the final tab; see app_pages/_through_time.py)
with st.expander("Through time"):
    _through_time.render(data)

_data.log_run("compare", started)
