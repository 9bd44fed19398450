"""Time and cost on the Compare page: model estimates with their range, an assumption scenario
the user edits, the time/cost-against-distance chart with its band, and published
door-to-door figures beside the model.

The scenario is the main assumptions (``geo.main_assumptions``: border dwell, speeds,
gauge-break handling, the largest costs) set by the user; :func:`scenario` reads them from the
session and makes an ``Assumptions`` (``geo.with_overrides``) that ``geo.reestimate`` applies to
every alternative, and ``geo.assumptions_yaml`` writes as the file ``corridors ...
--assumptions FILE`` reads.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

import geo
from app_pages import _data
from app_pages._compare_table import corridor_of
from app_pages._text import plain
from geo.assumptions import Assumptions
from geo.calibration import compare_to_observations

#: Each main assumption as the editor names it.
LABELS = {
    "dwell_h.border_crossing.rail": "Border dwell, rail (h)",
    "dwell_h.border_crossing.road": "Border dwell, road (h)",
    "dwell_h.gauge_break": "Gauge break: dwell (h)",
    "cost_usd.gauge_break": "Gauge break: cost (USD per TEU)",
    "dwell_h.transshipment.port": "Port transshipment dwell (h)",
    "dwell_h.train_formation": "Waiting for a train (h)",
    "speed_kmh.rail.default": "Rail speed (km/h)",
    "speed_kmh.rail.IRN": "Rail speed in Iran (km/h)",
    "speed_kmh.road.default": "Road speed (km/h)",
    "speed_kmh.sea.default": "Sea speed (km/h)",
    "cost_usd_per_km.rail.IRN": "Rail haulage in Iran (USD per TEU-km)",
    "cost_usd_per_km.rail.AZE": "Rail haulage in Azerbaijan (USD per TEU-km)",
    "cost_usd_per_km.rail.RUS": "Rail haulage in Russia (USD per TEU-km)",
    "cost_usd_per_km.rail.default": "Rail haulage elsewhere (USD per TEU-km)",
    "cost_usd_per_km.sea.default": "Sea freight (USD per TEU-km)",
}
GAUGE_IDS = ("dwell_h.gauge_break", "cost_usd.gauge_break")
#: Gauge-break handling: which end of the published ranges the two gauge-break figures take.
HANDLING = {"as published (central)": "central",
            "fast bogie exchange (low end of the published range)": "low",
            "slow transshipment by crane (high end of the published range)": "high"}
HANDLING_KEY = "asm_gauge_handling"
WAITS = {"border": "border crossing", "gauge_break": "break of gauge",
         "transshipment": "transshipment", "port_call": "ship in port",
         "train_formation": "waiting for a train", "ferry_wait": "waiting for a ferry"}
MEASURES = {"hours": ("hours", "hours_low", "hours_high", "hours from the origin"),
            "cost": ("cost_usd", "cost_usd_low", "cost_usd_high", "USD from the origin")}


def widget_key(aid: str) -> str:
    return f"asm_{aid}"


def main_ids(base: Assumptions) -> list[str]:
    """The main assumptions the base file has, in the editor's order."""
    return list(geo.main_assumptions(base)["id"])


def overrides(base: Assumptions) -> dict[str, float]:
    """The values the user set (from the session) that differ from the base centrals."""
    out = {}
    for aid in main_ids(base):
        value = st.session_state.get(widget_key(aid))
        if value is not None and not math.isclose(float(value), base.entries[aid].central,
                                                  rel_tol=1e-9, abs_tol=1e-12):
            out[aid] = float(value)
    return out


def scenario_of(base: Assumptions, changed: dict[str, float]) -> Assumptions | None:
    """The assumptions with the user's values (None when nothing is changed).

    Raises ``geo.ScenarioError`` naming every value that cannot be used.
    """
    if not changed:
        return None
    scen = geo.with_overrides(base, changed, note="set in the Compare page's scenario editor")
    return dataclasses.replace(scen, path=f"your scenario (based on {Path(base.path).name})")


def scenario_yaml(base: Assumptions, changed: dict[str, float]) -> str:
    """The scenario as an assumptions file (the base file itself when nothing is changed)."""
    return geo.assumptions_yaml(scenario_of(base, changed) or base)


def reestimated(results: list[dict], assumptions: Assumptions | None) -> list[dict]:
    """The alternatives with time and cost under ``assumptions`` (as they are when None)."""
    if assumptions is None:
        return results
    return [geo.reestimate(m, assumptions) for m in results]


# ---------------------------------------------------------------------------------------------
# The editor


def _reset(base: Assumptions) -> None:
    for aid in main_ids(base):
        st.session_state[widget_key(aid)] = float(base.entries[aid].central)
    st.session_state[HANDLING_KEY] = next(iter(HANDLING))


def _handling(base: Assumptions) -> None:
    end = HANDLING[st.session_state[HANDLING_KEY]]
    for aid in GAUGE_IDS:
        if aid in base.entries:
            st.session_state[widget_key(aid)] = float(getattr(base.entries[aid], end))


def editor(base: Assumptions, changed: dict[str, float]) -> None:
    """Number inputs for the main assumptions, gauge-break handling, reset and download."""
    st.caption("Change a figure and the table, the chart and the comparison with published "
               "times follow. Each value starts at its central (published, or fitted to "
               "published door-to-door figures where its help says so); its low and high are "
               "in its help. A value outside them widens the range to include "
               "it.")
    st.selectbox("Gauge-break handling", list(HANDLING), key=HANDLING_KEY,
                 on_change=_handling, args=(base,),
                 help="Sets the two gauge-break figures below to one end of their published "
                      "ranges: bogie exchange or transshipment of every container.")
    table = geo.main_assumptions(base)
    cols = st.columns(2)
    for i, row in enumerate(table.itertuples(index=False)):
        key = widget_key(row.id)
        if key not in st.session_state:
            st.session_state[key] = float(row.central)
        small = row.central < 1
        cols[i % 2].number_input(
            LABELS.get(row.id, row.id), key=key, min_value=0.01 if row.id.startswith("speed")
            else 0.0, step=0.005 if small else 0.5, format="%.3f" if small else "%.1f",
            help=plain(f"{row.id}: {'fitted' if row.basis == 'fitted' else 'published'} "
                       f"{row.low:g} / {row.central:g} / {row.high:g} "
                       f"{row.unit} (low / central / high; {row.basis}: {row.source})"))
    c1, c2 = st.columns(2)
    c1.button("Back to the published figures", on_click=_reset, args=(base,),
              disabled=not changed)
    c2.download_button(
        "Download this scenario (YAML)", scenario_yaml(base, changed),
        file_name="assumptions-scenario.yaml", mime="application/x-yaml",
        help="The whole assumptions file with your values; use it with "
             "`corridors compare ... --assumptions assumptions-scenario.yaml`.")
    if changed:
        st.caption("Changed: " + "; ".join(
            f"{LABELS.get(a, a)} {base.entries[a].central:g} → {v:g}" for a, v in changed.items()))


# ---------------------------------------------------------------------------------------------
# The chart


def band_chart(series: pd.DataFrame, measure: str) -> alt.LayerChart:
    """Central line with the low-high band; a point at each border, gauge or mode change."""
    central, low, high, title = MEASURES[measure]
    data = series.reset_index(names="order")
    # the two rows of a wait share their km: a millionth of a km apart, every mark draws
    # them in travel order (an area sorts its points by x)
    data["x"] = data["km"] + data["order"] * 1e-6
    data["wait"] = data["event"].map(WAITS)
    base = alt.Chart(data).encode(x=alt.X("x:Q", title="km from the origin"))
    band = base.mark_area(opacity=0.22).encode(
        y=alt.Y(f"{low}:Q", title=title, stack=None), y2=alt.Y2(f"{high}:Q"))
    line = base.mark_line().encode(y=alt.Y(f"{central}:Q"))
    marks = base.transform_filter(alt.FieldOneOfPredicate("event", list(WAITS))).mark_point(
        filled=True, size=45).encode(
        y=alt.Y(f"{central}:Q"), shape=alt.Shape("wait:N", title="wait"),
        tooltip=[alt.Tooltip("label:N", title="what"), alt.Tooltip("km:Q", format=",.0f"),
                 alt.Tooltip(f"{central}:Q", title="central", format=",.1f"),
                 alt.Tooltip(f"{low}:Q", title="low", format=",.1f"),
                 alt.Tooltip(f"{high}:Q", title="high", format=",.1f")])
    return (band + line + marks).properties(height=300)


# ---------------------------------------------------------------------------------------------
# Published figures beside the model


OBSERVED_COLUMNS = ["route", "alternative", "observation", "kind", "test", "measure", "observed",
                    "model", "result", "explained_by", "largest_parts", "what", "source", "url"]


def _observed_text(r) -> str:
    lo, hi, unit = r["observed_min"], r["observed_max"], r["unit"]
    fmt = (lambda v: f"{v:,.1f}") if unit == "days" else (lambda v: f"{v:,.0f}")
    span = fmt(lo) if lo == hi else f"{fmt(lo)}–{fmt(hi)}"
    return f"{span} days" if unit == "days" else f"{span} {unit}"


def _result_text(r) -> str:
    if r["result"] == "within":
        return "within the observed range"
    if r["result"] == "not compared":
        return "not compared (another cargo unit)"
    gap = abs(float(r["difference"]))
    by = f"{gap:,.1f} days" if r["unit"] == "days" else f"USD {gap:,.0f}"
    return f"{r['result']} by {by}"


def matching(route: dict, results: list[dict]) -> str:
    """Which alternative a named route is: the same path, a variant, the same corridor."""
    mine = set(route["segments"])
    for m in results:
        if set(m["segments"]) == mine:
            return f"Alt. {m['rank']}"
    for m in results:
        if any(set(v["segments"]) == mine for v in m.get("variants") or []):
            return f"a variant of Alt. {m['rank']}"
    for m in results:
        if corridor_of(m) == corridor_of(route):
            return f"same corridor as Alt. {m['rank']} (another path)"
    return "not among the alternatives"


def observed_beside_model(observations: pd.DataFrame, routes: dict[str, dict],
                          results: list[dict], assumptions: Assumptions) -> pd.DataFrame:
    """Each published figure beside the model's range for its named route (``routes``: route
    id -> its metrics under ``assumptions``), and which alternative that route is."""
    rows = []
    for rid, obs in observations.groupby("route", sort=False):
        route = routes[rid]
        table = compare_to_observations(route, obs, assumptions)
        for _, r in table.iterrows():
            o = obs.loc[r["observation"]]
            c, lo, hi = r["model_central"], r["model_low"], r["model_high"]
            model = (f"{c:,.1f} days ({lo:,.1f}–{hi:,.1f})" if r["measure"] == "time" else
                     f"{c:,.0f} ({lo:,.0f}–{hi:,.0f}) {assumptions.currency} per "
                     f"{assumptions.cost_per}")
            rows.append({
                "route": f"{route['name']} ({rid})",
                "alternative": matching(route, results),
                "observation": f"{r['observation']} ({r['kind']}, {r['year']})",
                "kind": r["kind"],
                "test": ("held out: tests the model" if r["set"] == "held out" else
                         "fitted to: the model was fitted to it"),
                "measure": r["measure"],
                "observed": _observed_text(r),
                "model": model,
                "result": _result_text(r),
                "explained_by": r["explained_by"] or "",
                "largest_parts": r["components"] or "",
                "what": o["what"],
                "source": o["source"],
                "url": " ".join(o["url"]),
            })
    return pd.DataFrame(rows, columns=OBSERVED_COLUMNS)


def _signature(results: list[dict]) -> tuple:
    """What :func:`matching` reads of the alternatives (a cache key)."""
    return tuple((m["rank"], corridor_of(m), tuple(m["segments"]),
                  tuple(tuple(v["segments"]) for v in m.get("variants") or []))
                 for m in results)


@st.cache_data(show_spinner=False, max_entries=64)
def _observed(key: str, origin: str, destination: str, signature: tuple, as_of, scenario,
              changed: tuple) -> pd.DataFrame:
    folder = _data.folder_of(key)
    observations = geo.observations_between(origin, destination, folder)
    if observations.empty:
        return pd.DataFrame(columns=OBSERVED_COLUMNS)
    base = geo.load_assumptions(folder)
    assumptions = scenario_of(base, dict(changed)) or base
    routes = {rid: geo.reestimate(geo.route_metrics(rid, folder, as_of=as_of, scenario=scenario),
                                  assumptions)
              for rid in observations["route"].unique()}
    results = [{"rank": rank, "corridor": corridor, "segments": list(segs),
                "variants": [{"segments": list(v)} for v in variants]}
               for rank, corridor, segs, variants in signature]
    return observed_beside_model(observations, routes, results, assumptions)


def observed(origin: str, destination: str, results: list[dict], as_of, scenario,
             changed: dict[str, float]) -> pd.DataFrame:
    """Published figures for the named routes joining ``origin`` and ``destination`` beside the
    model's range for each route on the page's date, scenario and assumptions (cached)."""
    return _observed(_data.data_key(), origin, destination, _signature(results), as_of,
                     scenario, tuple(sorted(changed.items())))
