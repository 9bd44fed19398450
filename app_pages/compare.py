"""Compare routes: alternatives between two places under constraints, with metrics and charts."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import geo
import layers
from app_pages import _shared as sh

started = sh.start_timer()
data = sh.core()
places = data["places"]
routes = data["routes"]
segments = data["segments"]

compare = sh.optional("geo", "compare")
time_cost_series = sh.optional("geo", "time_cost_series")

st.title("Compare routes")
st.caption("Alternatives between two places, measured geodesically on the full-resolution data. "
           "Times and costs follow the stated assumptions (data/assumptions.yaml).")

if compare is None:
    st.warning("Route comparison (geo.routing.compare) is not available yet.")
    sh.log_run("compare", started)
    st.stop()

place_ids = sorted(places.index, key=lambda p: str(places.at[p, "name_en"]))


def place_label(pid: str) -> str:
    return f"{places.at[pid, 'name_en']} ({places.at[pid, 'country']})"


# Defaults: the URL, else the first named route's ends.
first = routes.iloc[0] if len(routes) else None
default_o = st.query_params.get("from") or (first["origin"] if first is not None else place_ids[0])
default_d = st.query_params.get("to") or (first["destination"] if first is not None else place_ids[-1])
if default_o not in places.index:
    default_o = place_ids[0]
if default_d not in places.index:
    default_d = place_ids[-1]

with st.form("compare_form"):
    c1, c2 = st.columns(2)
    origin = c1.selectbox("Origin", place_ids, index=place_ids.index(default_o), format_func=place_label)
    destination = c2.selectbox("Destination", place_ids, index=place_ids.index(default_d),
                               format_func=place_label)
    c3, c4, c5 = st.columns(3)
    countries = sorted(set(data["borders"].index) | {"AZE-NX"})
    avoid = c3.multiselect("Avoid countries", countries,
                           default=[c for c in sh.param_list("avoid") if c in countries],
                           help="AZE-NX is the Nakhchivan exclave.")
    statuses = sorted(segments["status"].unique())
    status = c4.multiselect("Allowed status", statuses, default=statuses,
                            format_func=lambda s: geo.style.STATUS_LABELS.get(s, s))
    modes = sorted(segments["mode"].unique())
    mode = c5.multiselect("Allowed modes", modes, default=modes)
    c6, c7 = st.columns(2)
    k = c6.slider("Alternatives", 1, 6, 3)
    weight = c7.radio("Rank by", ["length", "time"], horizontal=True)
    st.form_submit_button("Compare", type="primary")

sh.set_param("from", origin)
sh.set_param("to", destination)
sh.set_param("avoid", avoid)


@st.cache_data(show_spinner="Finding alternatives…", max_entries=64)
def run_compare(key, origin, destination, avoid, status, mode, k, weight):
    return compare(origin, destination, avoid=list(avoid), status=list(status) or None,
                   mode=list(mode) or None, k=k, weight=weight,
                   data_dir=key.split("|", 1)[0])


try:
    results = run_compare(sh.data_key(), origin, destination, tuple(avoid), tuple(status),
                          tuple(mode), k, weight)
except (geo.NoPathError, geo.UnknownPlaceError, ValueError) as err:
    st.error(str(err))
    sh.log_run("compare", started)
    st.stop()


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
        "via": " > ".join(str(places.at[n, "name_en"]) if n in places.index else n for n in m["nodes"]),
        "unknowns": "; ".join(m["unknowns"]),
    })
table = pd.DataFrame(rows)

st.subheader(f"{len(results)} alternative(s): {place_label(origin)} → {place_label(destination)}")
st.dataframe(
    table, hide_index=True, use_container_width=True, key="alternatives",
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
    st.markdown("**Time and cost against distance** (steps are border, gauge and transshipment waits)")
    if time_cost_series is None:
        st.info("The time/cost-distance series (geo.metrics.time_cost_series) is not available yet.")
    else:
        series = time_cost_series(metrics)
        measure = st.radio("Measure", ["hours", "cost_usd"], horizontal=True, key="tc_measure",
                           label_visibility="collapsed")
        st.line_chart(series, x="km", y=measure, x_label="km from origin", y_label=measure)

highlight = layers.highlight_frame(segments, metrics["segments"], name=f"Alternative {chosen}")
groups = layers.overlay_groups(highlight=highlight, show={"routes"}) + sh.map_groups(
    show={"corridors", "crossings", "gauge_breaks"}, status=statuses, mode=modes)
bounds = highlight.total_bounds
sh.show_map(key="compare_map", groups=groups, height=480,
            bounds=((bounds[1], bounds[0]), (bounds[3], bounds[2])))

sh.log_run("compare", started)
