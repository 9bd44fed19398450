"""The date and the lifecycle scenario the pages compute with (one choice for every page).

The view state holds ``asof`` (``YYYY-MM``; None: the statuses as recorded) and ``scenario``
(the stem of a file in ``data/scenarios/``, or :data:`SESSION` for the one edited in this
session, kept as YAML text in ``st.session_state[SESSION_YAML]``). :func:`date_control` draws
the control; :func:`when` gives what ``geo`` takes (``as_of``, ``scenario``) and the label
every figure computed with them must carry (``geo.when_text``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st
import yaml

import geo
from app_pages import _data
from app_pages import _view_state as vs
from geo.dates import settings_today

#: The scenario edited in this session (not a file); its YAML text is in the session state.
SESSION = "session"
SESSION_YAML = "scenario_yaml"
RECORDED = "as recorded"
NO_SCENARIO = "(none)"
#: The date control's range, in years from today: the history the data record, and the
#: target dates they announce.
YEARS_BACK, YEARS_AHEAD = 12, 10


def months(today: dt.date | None = None) -> list[str]:
    """The date control's options: ``RECORDED`` and every month in the range, as ``YYYY-MM``."""
    today = today or settings_today()
    out = [RECORDED]
    for year in range(today.year - YEARS_BACK, today.year + YEARS_AHEAD + 1):
        out += [f"{year}-{m:02d}" for m in range(1, 13)]
    return out


def scenario_files(folder: str | Path | None = None) -> dict[str, Path]:
    """The shipped scenario files by stem (``data/scenarios/*.yaml``)."""
    base = Path(folder or _data.folder_of(_data.data_key())) / "scenarios"
    return {p.stem: p for p in sorted(base.glob("*.yaml"))}


def _scenario(name: str | None, segments):
    if not name or name == NO_SCENARIO:
        return None
    if name == SESSION:
        text = st.session_state.get(SESSION_YAML)
        if not text:
            return None
        return geo.scenario_from_dict(yaml.safe_load(text), segments,
                                      where="the scenario edited in this session")
    path = scenario_files().get(name)
    return geo.load_scenario(path, segments) if path else None


def when() -> tuple[str | None, object | None, str]:
    """``(as_of, scenario, label)`` of the view: what to pass to ``geo`` and how to label it.

    ``as_of`` is None for the statuses as recorded. A scenario file or edit that is not valid
    raises ``geo.DataValidationError`` naming the problem (the page shows it).
    """
    view = vs.current()
    as_of = view.get("asof")
    scenario = _scenario(view.get("scenario"), _data.core()["segments"])
    return as_of, scenario, geo.when_text(as_of, scenario)


def date_control(container=None, *, key_prefix: str = "w") -> None:
    """The "Network as of" slider and the scenario choice, in ``container`` (default: sidebar).

    Seeded from the view and written back to it, so every page shows the same choice.
    """
    where = container or st.sidebar
    view = vs.current()
    options = months()
    date_key, scen_key = f"{key_prefix}_asof", f"{key_prefix}_scenario"
    vs.seed(date_key, view.get("asof") if view.get("asof") in options else RECORDED)
    names = [NO_SCENARIO, *scenario_files()]
    if st.session_state.get(SESSION_YAML):
        names.append(SESSION)
    vs.seed(scen_key, view.get("scenario") if view.get("scenario") in names else NO_SCENARIO)
    where.select_slider(
        "Network as of", options, key=date_key,
        help="Statuses on the chosen month, from the recorded history (a past month) or the "
             "announced target dates (a future month: a projection, labelled so).")
    where.selectbox(
        "Scenario", names, key=scen_key,
        format_func=lambda n: "edited in this session" if n == SESSION else n,
        help="Dated changes that replace the announced target dates (data/scenarios/).")
    chosen = st.session_state[date_key]
    vs.update(asof=None if chosen == RECORDED else chosen,
              scenario=None if st.session_state[scen_key] == NO_SCENARIO
              else st.session_state[scen_key])
