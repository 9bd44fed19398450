"""Through time: two states of the network side by side, for a tab of the Compare page.

State A is the network on a date (default today); state B on a date and/or under a scenario
(shipped, or edited here with :mod:`app_pages._scenario_editor`). For an origin and
destination (with the Compare page's kinds of constraints) or a named route, the section shows:

* each state's path and figures (km with their basis, km operational, model time and cost
  with their range, border crossings, gauge breaks) and the change B − A, in words first;
* the segments whose status differs, with the dated change and source behind each;
* a map of what changed (``layers.change_groups``);
* the timeline of the sections compared, with sources, as a table and a CSV file.

Figures come from ``geo.compare_states``; every one carries its basis, and a state after today
or under a scenario is labelled projected.
"""

from __future__ import annotations

import os
import time

import geopandas as gpd
import pandas as pd
import streamlit as st

import geo
import layers
from app_pages import _data, _errors, _scenario_editor, _when
from app_pages import _map_widget as mw
from app_pages import _view_state as vs
from app_pages._text import plain
from geo.alternatives import corridor_text
from geo.dates import settings_today
from geo.gauges import gauge_breaks_text
from geo.lifecycle import WORKS_NOTE, parse_when
from geo.textsafe import csv_frame
from geo.vocab import MODES, NAKHCHIVAN, STATUSES

PLACES, ROUTE = "places", "route"
TODAY = "today"
#: State B's default date when the page has none: the end of the year this many years ahead.
B_YEARS_AHEAD = 2
MINUS = "\u2212"
LINK_SCHEMES = ("http://", "https://")


# ---------------------------------------------------------------------------------------------
# Text of figures (pure functions of the results)


def signed(value: float, unit: str = "", *, digits: int = 0, prefix: str = "") -> str:
    """``+913 km``, ``−913 km``, ``±0 km`` (a real minus sign); ``prefix`` goes after the
    sign (``+USD 300``)."""
    rounded = round(value, digits)
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else "±"
    number = f"{abs(rounded):,.{digits}f}"
    return f"{sign}{prefix}{number}{(' ' + unit) if unit else ''}"


def state_when(state: geo.State) -> str:
    """"as of 2025-02-28", "as of 2028-12-31 (projected, scenario 'X')"."""
    day = parse_when(state.when)
    text = f"as of {day.isoformat()}"
    notes = []
    if day > settings_today() or state.scenario is not None:
        notes.append("projected")
    if state.scenario is not None:
        notes.append(f"scenario {state.scenario.name!r}")
    return text + (f" ({', '.join(notes)})" if notes else "")


def unit_names(borders: pd.DataFrame) -> dict[str, str]:
    """Country names by territory unit (ISO3, and Nakhchivan's own unit)."""
    names = {str(k): str(v) for k, v in borders["name"].items()} if "name" in borders else {}
    return {**names, NAKHCHIVAN: "Nakhchivan"}


def via_text(metrics: dict, names: dict[str, str]) -> str:
    """The countries a path passes between its ends: "via Iran", "via Georgia and Turkey"
    ("" when it crosses none on the way)."""
    crossings = metrics["border_crossings"]
    if not crossings:
        return ""
    units = [c["to_unit"] for c in crossings[:-1]]
    shown = [names.get(u, u) for u in dict.fromkeys(units)]
    if not shown:
        return ""
    return "via " + (shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1])


def constraints_text(*, avoid=(), status=(), mode=()) -> str:
    """The routing constraints in words: "operational only, rail, avoiding ARM" ('' none)."""
    parts = []
    if status and set(status) < set(STATUSES):
        shown = [geo.style.STATUS_LABELS.get(s, s) for s in status]
        parts.append(f"{shown[0]} only" if len(shown) == 1 else " or ".join(shown) + " only")
    if mode:
        parts.append(" or ".join(mode))
    if avoid:
        parts.append("avoiding " + ", ".join(avoid))
    return ", ".join(parts)


def side_text(metrics: dict | None, names: dict[str, str]) -> str:
    if metrics is None:
        return "no path"
    via = via_text(metrics, names)
    return f"{metrics['length_km']:,.0f} km" + (f" {via}" if via else "")


def headline(result: dict, a: geo.State, b: geo.State, names: dict[str, str], *,
             constraints: str = "") -> str:
    """The change in one line: "−913 km, operational only: 2,358 km via Georgia and Turkey as
    of 2025-02-28 → 1,445 km via Iran as of 2028-12-31 (projected, scenario 'X')"."""
    ma, mb = result["a"]["metrics"], result["b"]["metrics"]
    lead = []
    if ma is not None and mb is not None:
        operational = mb["km_operational"] - ma["km_operational"]
        lead.append(signed(mb["length_km"] - ma["length_km"], "km") + (
            f" ({signed(operational, 'km')} operational)" if round(operational) else ""))
    elif ma is None and mb is not None:
        lead.append("a path appears")
    elif ma is not None:
        lead.append("the path disappears")
    else:
        lead.append("no path in either state")
    if constraints:
        lead.append(constraints)
    return (f"{', '.join(lead)}: {side_text(ma, names)} {state_when(a)} → "
            f"{side_text(mb, names)} {state_when(b)}")


def _range(values, unit: str = "", prefix: str = "") -> str:
    lo, hi = values
    return f"range {prefix}{lo:,.0f}–{prefix}{hi:,.0f}{(' ' + unit) if unit else ''}"


def _crossings_text(metrics: dict) -> str:
    crossings = metrics["border_crossings"]
    if not crossings:
        return "0"
    return f"{len(crossings)}: " + ", ".join(
        f"{c['from_unit']} → {c['to_unit']}" + (" by sea" if c["via"] == "sea" else "")
        for c in crossings)


def _gauge_text(metrics: dict, places: pd.DataFrame) -> str:
    return gauge_breaks_text(metrics, names=places["name_en"].astype(str).to_dict())


MEASURES = ["Path", "Length (best estimate)", "Length basis", "Operational",
            "In service end to end",
            "Time (model estimate)", "Cost (model estimate)", "Border crossings", "Gauge breaks"]


def length_basis_text(metrics: dict) -> str:
    """What the best-estimate length rests on: "published chainage", "16% published chainage,
    84% measured on the drawn line (481 km all on the drawn line)"."""
    basis = metrics["length_basis"]
    if basis["share_chainage"] <= 0.005:
        return basis["text"]
    return f"{basis['text']} ({metrics['measured_km']:,.0f} km all on the drawn line)"


def side_column(metrics: dict | None, places: pd.DataFrame) -> list[str]:
    """One state's column of the side-by-side table, in the order of :data:`MEASURES`."""
    if metrics is None:
        return ["no path", *[""] * (len(MEASURES) - 1)]
    m = metrics
    share = m["km_operational"] / m["length_km"] if m["length_km"] > 0 else 0.0
    unit = m.get("est_cost_unit", "USD")
    currency, _, per = unit.partition(" per ")
    return [
        f"found: {corridor_text(m)}",
        f"{m['length_km']:,.0f} km",
        length_basis_text(m),
        f"{m['km_operational']:,.0f} km ({share:.0%})",
        "yes" if m["exists_today"] else "no",
        f"{m['est_time_h']:,.0f} h = {m['est_time_h'] / 24:,.1f} days "
        f"({_range(m['est_time_h_range'], 'h')})",
        f"{currency} {m['est_cost_usd']:,.0f}{' per ' + per if per else ''} "
        f"({_range(m['est_cost_usd_range'])})",
        _crossings_text(m),
        _gauge_text(m, places),
    ]


def change_column(result: dict) -> list[str]:
    """The B − A column of the side-by-side table."""
    ma, mb = result["a"]["metrics"], result["b"]["metrics"]
    if ma is None or mb is None:
        path = ("appears in B" if mb is not None else "gone in B" if ma is not None
                else "none in either")
        return [path, *[""] * (len(MEASURES) - 1)]
    c = result["change"]
    unit = mb.get("est_cost_unit", "USD").partition(" per ")[0]
    same = ma["segments"] == mb["segments"]
    return [
        "same path" if same else "another path",
        signed(c["km"], "km"),
        "",
        signed(mb["km_operational"] - ma["km_operational"], "km"),
        "" if ma["exists_today"] == mb["exists_today"] else
        ("now yes" if mb["exists_today"] else "now no"),
        signed(c["hours"], "h"),
        signed(c["cost_usd"], prefix=f"{unit} "),
        signed(c["crossings"]),
        signed(c["gauge_breaks"]),
    ]


def side_by_side(result: dict, places: pd.DataFrame) -> pd.DataFrame:
    """The two states and the change, one row per measure (all text, each with its unit)."""
    b_label = "State B" + (" (projected)" if result["b"]["projected"] else "")
    a_label = "State A" + (" (projected)" if result["a"]["projected"] else "")
    return pd.DataFrame({
        "measure": MEASURES,
        a_label: side_column(result["a"]["metrics"], places),
        b_label: side_column(result["b"]["metrics"], places),
        "Change B − A": change_column(result),
    })


def safe_url(value: object) -> str:
    """A link only when it is http(s) (never ``javascript:`` or ``data:``)."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text if text.lower().startswith(LINK_SCHEMES) else ""


# ---------------------------------------------------------------------------------------------
# Computation, cached per data version and choice


def _scenario_key(scenario: geo.Scenario | None) -> tuple | None:
    return None if scenario is None else (scenario.name, scenario.changes)


def _scenario_of(key: tuple | None) -> geo.Scenario | None:
    return None if key is None else geo.Scenario(key[0], key[1])


def _states(choice: dict) -> tuple[geo.State, geo.State]:
    return (geo.State(choice["a"]), geo.State(choice["b"], _scenario_of(choice["b_scenario"])))


@st.cache_resource(show_spinner="Comparing the two states…", max_entries=64)
def _compare(key: str, choice_items: tuple) -> dict:
    choice = dict(choice_items)
    a, b = _states(choice)
    folder = _data.folder_of(key)
    if choice["what"] == ROUTE:
        result = geo.compare_states(a, b, route=choice["route"], data_dir=folder)
    else:
        result = geo.compare_states(a, b, origin=choice["origin"],
                                    destination=choice["destination"], data_dir=folder,
                                    avoid=list(choice["avoid"]),
                                    status=list(choice["status"]) or None,
                                    mode=list(choice["mode"]) or None)
    for side, state in (("a", a), ("b", b)):
        result[side]["when"] = state_when(state)
        result[side]["statuses"] = geo.when_text(state.when or TODAY, state.scenario)
        result[side]["projected"] = (parse_when(state.when) > settings_today()
                                     or state.scenario is not None)
    result["sources"] = change_sources(result["status_changes"], a, b, folder)
    return result


def change_sources(changes: pd.DataFrame, a: geo.State, b: geo.State, folder) -> pd.DataFrame:
    """For each changed segment, the dated change behind the difference: the last change up
    to the later state's date (``date``, ``event``, ``kind``, ``source``, ``url``)."""
    columns = ["segment", "date", "event", "kind", "source", "url"]
    if len(changes) == 0:
        return pd.DataFrame(columns=columns)
    day_a, day_b = (parse_when(s.when) for s in (a, b))
    later = a if day_a > day_b else b
    dates = geo.key_dates(list(changes["segment"]), later.when or TODAY, folder,
                          scenario=later.scenario)
    last = dates[dates["relation"] == "last"].drop_duplicates("segment", keep="last")
    return last[columns].reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_groups(key: str, choice_items: tuple) -> tuple[list, tuple | None]:
    """The change map's overlay group and the bounds to fit ((s, w), (n, e)), or None."""
    choice = dict(choice_items)
    result = _compare(key, choice_items)
    segments = _data.core()["segments"]
    routes = []
    for side in ("a", "b"):
        m = result[side]["metrics"]
        if m is not None:
            frame = layers.highlight_frame(segments, m["segments"], name=side.upper())
            routes.append(frame.assign(state=side.upper(), label=result[side]["when"]))
    routes_frame = (gpd.GeoDataFrame(pd.concat(routes, ignore_index=True), crs=segments.crs)
                    if routes else None)
    changes = status_change_frame(result, segments)
    a, b = _states(choice)
    context = geo.segments_at(_data.folder_of(key), b.when or TODAY, b.scenario)
    context = context[~context.index.isin(changes.index)]
    groups = layers.change_groups(changes=changes, routes=routes_frame, context=context,
                                  labels={"A": result["a"]["when"], "B": result["b"]["when"]})
    focus = routes_frame if routes_frame is not None else changes
    bounds = None
    if focus is not None and len(focus) > 0:
        w, s, e, n = focus.total_bounds
        dx, dy = e - w + 0.4, n - s + 0.4
        # more room west and south: the change legend sits in the bottom-left corner
        bounds = ((round(s - 0.45 * dy, 1), round(w - 0.4 * dx, 1)),
                  (round(n + 0.1 * dy, 1), round(e + 0.1 * dx, 1)))
    return groups, bounds


def status_change_frame(result: dict, segments: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The changed segments with the dated change and source behind each, indexed by id."""
    changes = result["status_changes"].copy()
    sources = result["sources"].set_index("segment")
    for column in ("date", "event", "kind", "source", "url"):
        changes[column] = changes["segment"].map(sources[column]).fillna("")
    on = {side: set((result[side]["metrics"] or {}).get("segments", [])) for side in ("a", "b")}
    changes["on_route"] = [
        "A and B" if s in on["a"] and s in on["b"] else "A" if s in on["a"]
        else "B" if s in on["b"] else "" for s in changes["segment"]]
    return gpd.GeoDataFrame(changes, geometry="geometry", crs=segments.crs).set_index(
        "segment", drop=False)


def route_timeline(result: dict, choice: dict, segments: pd.DataFrame,
                   scenario: geo.Scenario | None) -> pd.DataFrame:
    """Every dated change of the sections compared (the named route, or the paths of A and B
    in order), with the scenario's changes where it replaces the expected ones."""
    if choice["what"] == ROUTE:
        ids = list(_data.core()["routes"].at[choice["route"], "segments"])
    else:
        ids = [s for side in ("a", "b") for s in (result[side]["metrics"] or {}).get("segments", [])]
    ids = list(dict.fromkeys(ids))
    frame = geo.timeline(segments, ids)
    if scenario is not None:
        named = scenario.names()
        replaced = frame["segment"].isin(named) & (frame["kind"] == "expected")
        frame.loc[replaced, "kind"] = "expected (replaced by the scenario)"
        extra = [{"date": e["date"], "segment": sid, "name": segments.at[sid, "name"],
                  "event": e["event"], "kind": "scenario", "status": e["status"],
                  "source": e["source"], "url": "", "text": ""}
                 for sid in ids if sid in named for e in scenario.for_segment(sid)]
        frame = pd.concat([frame, pd.DataFrame(extra, columns=frame.columns)], ignore_index=True)
        frame = frame.sort_values(["date", "segment"], kind="stable").reset_index(drop=True)
    frame["kind"] = frame["kind"].map(lambda k: {"expected": "expected (projected)",
                                                 "scenario": "scenario (projected)"}.get(k, k))
    frame["url"] = frame["url"].map(safe_url)
    return frame


# ---------------------------------------------------------------------------------------------
# The section


def _choose_session_for_b() -> None:
    st.session_state["tt_b_scenario"] = _when.SESSION


def _place_labels(places: pd.DataFrame) -> dict[str, str]:
    return {pid: f"{name} ({country})" for pid, name, country
            in zip(places.index, places["name_en"], places["country"], strict=True)}


def _seed(key: str, value, options) -> None:
    """Seed widget ``key`` from the view, and reset it to ``value`` when what it holds is no
    longer an option (another data folder, a scenario file removed)."""
    vs.seed(key, value)
    held = st.session_state[key]
    allowed = set(options)
    if isinstance(held, list):
        st.session_state[key] = [v for v in held if v in allowed]
    elif held not in allowed:
        st.session_state[key] = value


def _controls(data: dict) -> dict:
    """Draw the choices; returns them (dates as "today" or "YYYY-MM")."""
    places, routes, segments = data["places"], data["routes"], data["segments"]
    view = vs.current()
    place_ids = sorted(places.index, key=places["name_en"].astype(str).to_dict().get)
    countries = sorted(set(data["borders"].index) | {NAKHCHIVAN})
    modes = [m for m in MODES if m in set(segments["mode"])]
    first = routes.iloc[0] if len(routes) else None
    origin = view.get("from") or (first["origin"] if first is not None else place_ids[0])
    dest = view.get("to") or (first["destination"] if first is not None else place_ids[-1])
    _seed("tt_from", origin if origin in places.index else place_ids[0], place_ids)
    _seed("tt_to", dest if dest in places.index else place_ids[-1], place_ids)
    _seed("tt_avoid", [c for c in view.get("avoid") or () if c in countries], countries)
    _seed("tt_status", vs.all_or_chosen(view.get("cstatus"), list(STATUSES)), STATUSES)
    _seed("tt_mode", vs.all_or_chosen(view.get("cmode"), modes), modes)
    later = f"{settings_today().year + B_YEARS_AHEAD}-12"
    b_default = view.get("asof") if view.get("asof") in _when.months()[1:] else later
    scenarios = _when.scenario_names()
    b_scenario = view.get("tbs") or view.get("scenario")
    _seed("tt_b_scenario", b_scenario if b_scenario in scenarios else _when.NO_SCENARIO,
          scenarios)
    whats = [PLACES, ROUTE] if len(routes) else [PLACES]
    _seed("tt_what", view.get("tt") if view.get("tt") in whats else PLACES, whats)
    if len(routes):
        _seed("tt_route", view.get("troute") if view.get("troute") in routes.index
              else routes.index[0], list(routes.index))
    what = st.radio("Compare", whats, key="tt_what", horizontal=True,
                    format_func=lambda w: {PLACES: "Between two places",
                                           ROUTE: "A named route"}[w])
    if what == ROUTE:
        st.selectbox("Named route", list(routes.index), key="tt_route",
                     format_func=lambda r: str(routes.at[r, "name"]))
        st.caption("A named route is measured as drawn in both states; the constraints apply "
                   "to routing between two places.")
    else:
        c1, c2 = st.columns(2)
        labels = _place_labels(places)
        c1.selectbox("Origin", place_ids, key="tt_from", format_func=labels.get)
        c2.selectbox("Destination", place_ids, key="tt_to", format_func=labels.get)
        c3, c4, c5 = st.columns(3)
        c3.multiselect("Avoid countries", countries, key="tt_avoid",
                       help="AZE-NX is the Nakhchivan exclave.")
        c4.multiselect("Allowed status (on each state's date)", list(STATUSES), key="tt_status",
                       format_func=lambda s: geo.style.STATUS_LABELS.get(s, s))
        c5.multiselect("Allowed modes", modes, key="tt_mode")
    ca, cb = st.columns(2)
    with ca:
        st.markdown("**State A**")
        day_a = _when.state_control(
            "ta", key_prefix="tt_a", default=TODAY,
            help="Statuses on that month's last day (today: as of today), from the recorded "
                 "history; a future month is a projection.")
    with cb:
        st.markdown("**State B**")
        day_b = _when.state_control(
            "tb", key_prefix="tt_b", default=b_default,
            help="A future month uses the expected dates (or the scenario's): a projection, "
                 "labelled so.")
        st.selectbox("Scenario", scenarios, key="tt_b_scenario",
                     format_func=lambda n: "edited in this session" if n == _when.SESSION else n,
                     help="Dated changes that replace the expected dates (data/scenarios/, or "
                          "edited above).")
    state = st.session_state
    status = [s for s in STATUSES if s in set(state["tt_status"])]
    _keep_in_view(state, what, status, modes)
    return {
        "what": what,
        "route": state.get("tt_route") if what == ROUTE else None,
        "origin": state["tt_from"], "destination": state["tt_to"],
        "avoid": tuple(state["tt_avoid"]) if what == PLACES else (),
        "status": tuple(status) if what == PLACES and set(status) < set(STATUSES) else (),
        "mode": tuple(m for m in modes if m in set(state["tt_mode"]))
        if what == PLACES and set(state["tt_mode"]) < set(modes) else (),
        "a": None if day_a == TODAY else day_a,
        "b": None if day_b == TODAY else day_b,
        "b_scenario_name": state["tt_b_scenario"],
    }


def _keep_in_view(state, what: str, status: list[str], modes: list[str]) -> None:
    """Copy the choices to the view state and the address (the dates are there already)."""
    vs.update(**{"from": state["tt_from"], "to": state["tt_to"], "avoid": state["tt_avoid"],
                 "cstatus": vs.as_filter(status, list(STATUSES)),
                 "cmode": vs.as_filter(list(state["tt_mode"]), modes),
                 "tt": None if what == PLACES else what,
                 "troute": state.get("tt_route") if what == ROUTE else None,
                 "tbs": None if state["tt_b_scenario"] == _when.NO_SCENARIO
                 else state["tt_b_scenario"]})
    vs.write_url()


def _show_sides(result: dict, choice: dict, data: dict) -> None:
    names = unit_names(data["borders"])
    a, b = _states(choice)
    constraints = constraints_text(avoid=choice["avoid"], status=choice["status"],
                                   mode=choice["mode"])
    st.markdown(f"**{plain(headline(result, a, b, names, constraints=constraints))}**")
    ca, cb = st.columns(2)
    for col, side in ((ca, "a"), (cb, "b")):
        col.caption(f"State {side.upper()}: {plain(result[side]['statuses'])}")
    st.table(side_by_side(result, data["places"]).set_index("measure").rename_axis(None))
    for side in ("a", "b"):
        if result[side]["metrics"] is None and result[side]["why"]:
            st.caption(f"No path in state {side.upper()}: {plain(result[side]['why'])}")
    basis = next((result[s]["metrics"]["est_basis"] for s in ("a", "b")
                  if result[s]["metrics"] is not None), "")
    if basis:
        st.caption("Length: the best estimate (published chainage where a segment has one, "
                   "the drawn line elsewhere). Time and cost are "
                   f"{plain(basis)}. They compare routes; they do not predict a shipment.")


def _show_changes(result: dict, data: dict) -> gpd.GeoDataFrame:
    changes = status_change_frame(result, data["segments"])
    st.markdown(f"**{len(changes)} segment(s) whose status differs between A and B**")
    if len(changes) == 0:
        st.caption("Every segment has the same status in both states.")
        return changes
    label = geo.style.STATUS_LABELS
    table = pd.DataFrame({
        "segment": changes["name"].astype(str),
        "status": [f"{label.get(x, x)} → {label.get(y, y)}: {why}" for x, y, why in
                   zip(changes["status_a"], changes["status_b"], changes["basis_b"],
                       strict=True)],
        "on_route": changes["on_route"],
        "source": changes["source"],
        "link": changes["url"].map(safe_url),
    }).sort_values("on_route", ascending=False, kind="stable")
    st.dataframe(table, hide_index=True, width="stretch", key="tt_changes", column_config={
        "segment": st.column_config.TextColumn("Segment", width="medium"),
        "status": st.column_config.TextColumn(
            "Status A → B: what B rests on", width="large",
            help="The dated change behind state B's status: happened, expected (projected) "
                 "or the scenario's (projected)."),
        "on_route": st.column_config.TextColumn("On the path of", width="small"),
        "source": st.column_config.TextColumn("Source of the change", width="medium"),
        "link": st.column_config.LinkColumn("Link", display_text="open", width="small"),
    })
    return changes


def _show_map(choice_items: tuple) -> None:
    key = _data.data_key()
    groups, bounds = _map_groups(key, choice_items)
    mw.show_map(key="tt_map", groups=groups, height=460, bounds=bounds, returned=())
    st.caption("Changed segments are coloured and dashed by their status in B; the path of A "
               "is dashed over the path of B; grey lines kept their status.")


def _show_timeline(result: dict, choice: dict, data: dict, scenario) -> None:
    frame = route_timeline(result, choice, data["segments"], scenario)
    st.markdown("**Timeline of the sections compared**")
    if len(frame) == 0:
        st.caption("No dated change is recorded for these sections.")
        return
    st.dataframe(frame.drop(columns=["segment", "text"]), hide_index=True, width="stretch",
                 key="tt_timeline", column_config={
                     "date": st.column_config.TextColumn("Date", width="small"),
                     "name": st.column_config.TextColumn("Section", width="medium"),
                     "event": st.column_config.TextColumn("Event", width="small"),
                     "kind": st.column_config.TextColumn("Kind", width="small"),
                     "status": st.column_config.TextColumn("Status from then on", width="small"),
                     "source": st.column_config.TextColumn("Source", width="medium"),
                     "url": st.column_config.LinkColumn("Link", display_text="open",
                                                        width="small"),
                 })
    st.caption("Happened: recorded events. Expected: target dates announced in advance "
               "(projected). Scenario: the what-if dates of the chosen scenario (projected). "
               f"{plain(WORKS_NOTE)}.")
    what = choice["route"] if choice["what"] == ROUTE else f"{choice['origin']}-{choice['destination']}"
    st.download_button("Download timeline (CSV)", csv_frame(frame).to_csv(index=False),
                       file_name=f"timeline-{what}.csv", mime="text/csv", key="tt_timeline_csv")


@st.fragment
def render(data: dict) -> None:
    """Draw the "Through time" section (``data``: ``_data.core()``).

    A fragment: its own controls (and panning its map) rerun only this section, not the page
    around it.
    """
    started = time.perf_counter()
    with st.expander("Edit a scenario"), _errors.guard("The scenario editor"):
        _scenario_editor.render(data, on_use=_choose_session_for_b)
    choice = _controls(data)
    with _errors.guard("Through time"):
        scenario = _scenario_editor.scenario_named(choice.pop("b_scenario_name"),
                                                   data["segments"])
        choice["b_scenario"] = _scenario_key(scenario)
        items = tuple(sorted(choice.items()))
        result = _compare(_data.data_key(), items)
        _show_sides(result, choice, data)
        _show_changes(result, data)
        _show_map(items)
        _show_timeline(result, choice, data, scenario)
    if os.environ.get("CORRIDORS_TIMING"):
        ms = (time.perf_counter() - started) * 1000
        print(f"CE_TIMING section=through_time ms={ms:.1f}", flush=True)
