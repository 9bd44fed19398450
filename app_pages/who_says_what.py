"""Who says what: every claim on one topic, outlet by outlet and date by date.

For the chosen topic (``geo.vocab.TOPICS``): each claim with its outlet, the country the outlet
is based in, its language, the article's date, the quote, the figure stated, the geodata's
figure on the date the claim is checked, and the verdict then and today
(``geo.claims_on_topic``). A chart sets the figures stated over time beside the geodata's.
Filters by outlet, outlet country, language and years; all of it is in the view state and the
address. No outlet is ranked or scored: a verdict is about one claim against the geodata.
"""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

import geo
from app_pages import _data, _errors
from app_pages import _map_widget as mw
from app_pages import _view_state as vs
from app_pages._text import plain
from geo import textsafe
from geo.vocab import TOPICS

started = _data.start_timer()
state = st.session_state
st.title("Who says what")
st.caption("The claims of many articles on one topic, side by side, each checked against the "
           "geodata as of its article's date (and today). A verdict is about one claim "
           "against the data, never about an outlet; quotes are the articles' own words.")

view = vs.current()
CHART_COLUMNS = ["article_date", "publication", "stated_km", "geodata_km", "claim_id"]


@st.cache_data(show_spinner="Checking the claims on this topic…", max_entries=32)
def topic_rows(key: str, topic: str) -> pd.DataFrame:
    return geo.claims_on_topic(topic, data_dir=_data.folder_of(key))


@st.cache_data(show_spinner=False, max_entries=8)
def topic_counts(key: str) -> dict[str, int]:
    claims = geo.load_claims(data_dir=_data.folder_of(key))
    return {t: int(claims["topics"].map(lambda ts, t=t: t in ts).sum()) for t in TOPICS}


counts = _errors.need(lambda: topic_counts(_data.data_key()), "The claims")
topics = sorted(TOPICS, key=lambda t: (-counts[t], TOPICS[t]))
vs.seed("w_topic", view["topic"] if view["topic"] in TOPICS else topics[0])
topic = st.selectbox("Topic", topics, key="w_topic",
                     format_func=lambda t: f"{TOPICS[t]} ({counts[t]} claims)",
                     on_change=lambda: vs.update(topic=state["w_topic"]))
vs.update(topic=topic)
rows = _errors.need(lambda: topic_rows(_data.data_key(), topic), "The claims on this topic")

outlets = sorted(rows["publication"].dropna().unique())
countries = sorted(rows["outlet_country"].dropna().unique())
languages = sorted(rows["language"].dropna().unique())
years = sorted({d[:4] for d in rows["article_date"] if d[:4].isdigit()})
vs.seed("w_wout", vs.all_or_chosen(view["wout"], outlets))
vs.seed("w_wctry", vs.all_or_chosen(view["wctry"], countries))
vs.seed("w_wlang", vs.all_or_chosen(view["wlang"], languages))
cols = st.columns([3, 2, 1, 2])
with cols[0]:
    pick_out = st.multiselect("Outlets", outlets, key="w_wout")
with cols[1]:
    pick_ctry = st.pills("Outlet based in", countries, key="w_wctry", selection_mode="multi")
with cols[2]:
    pick_lang = st.pills("Language", languages, key="w_wlang", selection_mode="multi")
with cols[3]:
    span = (years[0], years[-1]) if years else ("", "")
    vs.seed("w_wfrom", view["wfrom"] if view["wfrom"] in years else span[0])
    vs.seed("w_wto", view["wto"] if view["wto"] in years else span[1])
    first, last = span
    if len(years) > 1:
        left, right = st.columns(2)
        first = left.selectbox("Published from", years, key="w_wfrom")
        last = right.selectbox("to", years, key="w_wto")
pick_out, pick_ctry, pick_lang = pick_out or [], pick_ctry or [], pick_lang or []
vs.update(wout=vs.as_filter(pick_out, outlets), wctry=vs.as_filter(pick_ctry, countries),
          wlang=vs.as_filter(pick_lang, languages),
          wfrom=None if first == span[0] else first, wto=None if last == span[1] else last)
vs.write_url()

year = rows["article_date"].str[:4]
undated = rows["article_date"] == "undated"  # kept: an undated article is in every span
shown = rows[rows["publication"].isin(pick_out)
             & (rows["outlet_country"].isin(pick_ctry) | rows["outlet_country"].isna())
             & rows["language"].isin(pick_lang)
             & (undated | ((year >= (first or "0000")) & (year <= (last or "9999"))))]
st.markdown(f"**{plain(TOPICS[topic])}**: {len(shown)} of {len(rows)} claim(s) from "
            f"{shown['publication'].nunique()} outlet(s) match the filters.")

table = shown.assign(verdict=[geo.style.VERDICT_LABELS.get(v, v) for v in shown["verdict"]],
                     verdict_today=[geo.style.VERDICT_LABELS.get(v, v)
                                    for v in shown["verdict_today"]])
st.dataframe(textsafe.table_frame(table.drop(columns=["language", "routes"])), hide_index=True,
             width="stretch", key="w_wsw_table",
             column_config={
                 "article_date": st.column_config.TextColumn("article date"),
                 "outlet_country": st.column_config.TextColumn("outlet based in"),
                 "quote": st.column_config.TextColumn(width="large"),
                 "stated_km": st.column_config.NumberColumn("stated (km)", format="%.1f"),
                 "geodata_km": st.column_config.NumberColumn(
                     "geodata (km)", format="%.1f",
                     help="The network's best-estimate length on the date checked; its basis "
                          "(published chainage, traced track, drawn line) is in the evidence "
                          "on the Claims page."),
                 "checked_as_of": st.column_config.TextColumn("checked as of"),
                 "verdict_today": st.column_config.TextColumn("verdict today"),
             })
st.download_button("Download these claims (CSV)", _data.csv_bytes(shown.drop(columns=["routes"])),
                   file_name=f"who-says-what-{topic}.csv", mime="text/csv", key="dl_wsw_csv",
                   on_click="ignore")

# ---- figures stated over time, beside the geodata's
figures = shown.dropna(subset=["stated_km"])
figures = figures[figures["article_date"] != "undated"]
st.subheader("Figures stated over time")
if figures.empty:
    st.caption("No claim on this topic (with these filters) states a length the geodata can "
               "set beside it.")
else:
    import altair as alt

    chart = pd.DataFrame({
        "date": pd.to_datetime(figures["article_date"], errors="coerce"),
        "outlet": figures["publication"],
        "stated_km": figures["stated_km"].astype(float),
        "geodata_km": figures["geodata_km"].astype(float),
    }).dropna(subset=["date"]).sort_values("date")
    top = float(max(chart["stated_km"].max(), chart["geodata_km"].max())) * 1.15
    x = alt.X("date:T", title="article date", scale=alt.Scale(padding=30))
    y_scale = alt.Scale(domain=[0, top])
    tip = [alt.Tooltip("outlet:N"), alt.Tooltip("date:T", title="published"),
           alt.Tooltip("stated_km:Q", title="stated (km)"),
           alt.Tooltip("geodata_km:Q", title="geodata that day (km)")]
    geodata_line = alt.Chart(chart).mark_line(color="black", strokeDash=[5, 3], point=True).encode(
        x=x, y=alt.Y("geodata_km:Q", title="km", scale=y_scale), tooltip=tip)
    stated_dots = alt.Chart(chart).mark_circle(size=110, opacity=0.9).encode(
        x=x, y=alt.Y("stated_km:Q", scale=y_scale),
        color=alt.Color("outlet:N", title="stated by"), tooltip=tip)
    st.altair_chart((geodata_line + stated_dots).properties(height=300), width="stretch")
    st.caption("Each dot is one claim: the figure its article states, by publication date "
               "and outlet; the dashed black line is the network's figure on those dates.")

    @st.cache_data(show_spinner=False, max_entries=16)
    def report_png(frame_csv: str, title: str) -> bytes:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        data = pd.read_csv(io.StringIO(frame_csv), parse_dates=["article_date"])
        with matplotlib.rc_context({"text.parse_math": False}):  # outlet names as written
            return _draw_png(plt, data, title)

    def _draw_png(plt, data: pd.DataFrame, title: str) -> bytes:
        fig, ax = plt.subplots(figsize=(8, 4), dpi=150)
        for outlet, part in data.groupby("publication"):
            ax.plot(part["article_date"], part["stated_km"], "o", label=f"{outlet} (stated)")
        ax.plot(data["article_date"], data["geodata_km"], "k--", label="geodata on that date")
        ax.set_ylabel("km")
        ax.set_title(title, fontsize=11, loc="left")
        ax.legend(fontsize=7, loc="best")
        fig.text(0.01, 0.01, "Corridor Explorer: stated figures as published; geodata figures "
                 "computed from the data files.", fontsize=6)
        out = io.BytesIO()
        fig.savefig(out, format="png", bbox_inches="tight")
        plt.close(fig)
        return out.getvalue()

    st.download_button(
        "Download the chart (PNG, report figure)",
        report_png(figures[CHART_COLUMNS].to_csv(index=False),
                   f"{TOPICS[topic]}: stated figures and the geodata"),
        file_name=f"who-says-what-{topic}.png", mime="image/png", key="dl_wsw_png",
        on_click="ignore")

# ---- the map: the routes the topic's claims name or are checked on, highlighted
core = _errors.need(_data.core, "The geodata")
named = sorted({r for rs in shown["routes"] for r in rs} & set(core["routes"].index))
st.subheader("On the map")
if not named:
    st.caption("The claims shown name no route of the data.")
else:
    names = ", ".join(str(core["routes"].at[r, "name"]) for r in named)
    st.caption(plain(f"The routes these claims name or are checked on: {names}."))
    with _errors.guard("The map"):
        on_routes = sorted({seg for r in named for seg in core["routes"].at[r, "segments"]}
                           & set(core["segments"].index))
        w, s_, e, n = core["segments"].loc[on_routes].total_bounds
        groups = mw.map_groups(show={"corridors", "routes"}, status=None,
                               mode=sorted(core["segments"]["mode"].unique()), routes=named)
        mw.show_map(key="wsw_map", groups=groups, height=420, returned=(),
                    bounds=((s_, w), (n, e)))

_data.log_run("who_says_what", started)
