"""The date and the lifecycle scenario the pages compute with (one choice for every page).

The view state holds ``asof`` (None: the statuses as recorded; :data:`TODAY`; or a month of
the timeline, ``YYYY-MM``) and ``scenario`` (the stem of a file in ``data/scenarios/``, or
:data:`SESSION` for the one edited in this session, kept as YAML text in
``st.session_state[SESSION_YAML]``). :func:`date_control` draws the control; :func:`when`
gives what ``geo`` takes (``as_of``, ``scenario``) and the label every figure computed with
them must carry (``geo.when_text``). :func:`state_control` draws the same kind of control for
another date of the view (the two states of Through time).

The control: "As recorded" and "Today" are buttons of their own; the timeline is a year and
a month to pick, previous and next month buttons, and a play button that steps through the
months (:data:`PLAY_SECONDS` a step) until the end of the timeline or a pause. The widgets
mirror the view (:func:`_view_state.push`) and their callbacks change the view, so every page
shows the same date and a run stopped half-way loses nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from pathlib import Path

import streamlit as st

import geo
from app_pages import _data
from app_pages import _view_state as vs
from geo._validate import Problems, parse_yaml
from geo.dates import settings_today

#: The scenario edited in this session (not a file); its YAML text is in the session state.
SESSION = "session"
SESSION_YAML = "scenario_yaml"
RECORDED = "as recorded"
TODAY = "today"
NO_SCENARIO = "(none)"
#: The timeline's range, in years from today: the history the data record, and the target
#: dates they announce.
YEARS_BACK, YEARS_AHEAD = 12, 10
#: Seconds between two steps of the play button (each step reruns the page).
PLAY_SECONDS = 0.6
FIXED_LABELS = {RECORDED: "As recorded", TODAY: "Today"}
MONTH_NAMES = {m: calendar.month_abbr[m] for m in range(1, 13)}


def timeline(today: dt.date | None = None) -> list[str]:
    """Every month of the timeline, as ``YYYY-MM``."""
    today = today or settings_today()
    return [f"{year}-{m:02d}" for year in range(today.year - YEARS_BACK,
                                                today.year + YEARS_AHEAD + 1)
            for m in range(1, 13)]


def months(today: dt.date | None = None) -> list[str]:
    """Every value the date can take: ``RECORDED``, ``TODAY`` and the months of the timeline."""
    return [RECORDED, TODAY, *timeline(today)]


def shift(month: str, steps: int, today: dt.date | None = None) -> str:
    """The month ``steps`` months after ``month`` (before, when negative), kept within the
    timeline."""
    year, m = (int(p) for p in month.split("-"))
    index = year * 12 + m - 1 + steps
    line = timeline(today)
    return min(max(f"{index // 12}-{index % 12 + 1:02d}", line[0]), line[-1])


def scenario_files(folder: str | Path | None = None) -> dict[str, Path]:
    """The shipped scenario files by stem (``data/scenarios/*.yaml``)."""
    base = Path(folder or _data.folder_of(_data.data_key())) / "scenarios"
    return {p.stem: p for p in sorted(base.glob("*.yaml"))}


def scenario_names() -> list[str]:
    """The scenario choices: none, the shipped files, and the one edited in this session."""
    names = [NO_SCENARIO, *scenario_files()]
    if st.session_state.get(SESSION_YAML):
        names.append(SESSION)
    return names


def session_scenario(text: str, segments):
    """The scenario edited in this session, from its YAML ``text``: parsed by the guarded
    loader (size limit, no aliases, dates as text) so a hostile text is a message, not a bug
    notice or a hang."""
    where = "the scenario edited in this session"
    doc = parse_yaml(Problems(where), text, kind="scenario")
    return geo.scenario_from_dict(doc, segments, where=where)


def _scenario(name: str | None, segments):
    if not name or name == NO_SCENARIO:
        return None
    if name == SESSION:
        text = st.session_state.get(SESSION_YAML)
        if not text:
            return None
        return session_scenario(text, segments)
    path = scenario_files().get(name)
    return geo.load_scenario(path, segments) if path else None


def when() -> tuple[str | None, object | None, str]:
    """``(as_of, scenario, label)`` of the view: what to pass to ``geo`` and how to label it.

    ``as_of`` is None for the statuses as recorded. A scenario file or edit that is not valid
    raises ``geo.DataValidationError`` naming the problem (the page shows it).
    """
    view = vs.current()
    as_of = view.get("asof") if view.get("asof") in months() else None
    scenario = _scenario(view.get("scenario"), _data.core()["segments"])
    return as_of, scenario, geo.when_text(as_of, scenario)


# ---- the control


def _value(field: str, default: str | None) -> str | None:
    """The view's date ``field``: a month of the timeline, TODAY, or None (as recorded);
    ``default`` when it holds none or one that is not a choice."""
    value = vs.current().get(field)
    return value if value in months() and value != RECORDED else default


def _is_month(value: str | None) -> bool:
    return value is not None and value != TODAY


def _set(field: str, value: str | None, prefix: str, *, keep_playing: bool = False) -> None:
    vs.update(**{field: value})
    if not keep_playing:
        st.session_state[f"{prefix}_playing"] = False


def _picked_fixed(prefix: str, field: str) -> None:
    chosen = st.session_state.get(f"{prefix}_fixed")
    if chosen is not None:  # a click on the chosen button unselects it: the date stays
        _set(field, None if chosen == RECORDED else TODAY, prefix)


def _picked_month(prefix: str, field: str, default: str | None) -> None:
    state = st.session_state
    shown = _value(field, default)
    year, month = state.get(f"{prefix}_year"), state.get(f"{prefix}_month")
    if year is None and month is None:
        return
    anchor = shown if _is_month(shown) else f"{settings_today():%Y-%m}"
    year = year if year is not None else int(anchor[:4])
    month = month if month is not None else 1
    _set(field, shift(f"{year}-{month:02d}", 0), prefix)


def _stepped(prefix: str, field: str, default: str | None, steps: int) -> None:
    shown = _value(field, default)
    anchor = shown if _is_month(shown) else f"{settings_today():%Y-%m}"
    _set(field, shift(anchor, steps), prefix)


def _played(prefix: str, field: str, default: str | None) -> None:
    state = st.session_state
    key = f"{prefix}_playing"
    if state.get(key):
        state[key] = False
        return
    shown = _value(field, default)
    line = timeline()
    if not _is_month(shown) or shown == line[-1]:
        _set(field, line[0], prefix)  # from the start of the timeline
    state[key] = True
    state[f"{prefix}_played_at"] = time.monotonic()


def _ticker(prefix: str, field: str) -> None:
    """While playing: a fragment without elements, run every :data:`PLAY_SECONDS`, that
    moves the date one month on and reruns the page (stopping at the end of the timeline)."""
    state = st.session_state

    def tick() -> None:
        if not state.get(f"{prefix}_playing"):
            return
        now = time.monotonic()
        if now - state.get(f"{prefix}_played_at", 0.0) < PLAY_SECONDS * 0.75:
            return  # this run is the page's own, right after a step
        shown = _value(field, None)
        line = timeline()
        if not _is_month(shown) or shown >= line[-1]:
            state[f"{prefix}_playing"] = False
        else:
            _set(field, shift(shown, 1), prefix, keep_playing=True)
            state[f"{prefix}_played_at"] = now
        st.rerun()

    st.fragment(tick, run_every=PLAY_SECONDS)()


def _picker(prefix: str, field: str, *, fixed: list[str], default: str | None, play: bool,
            label: str, help: str, narrow: bool = True) -> None:
    """The widgets of one date control (see the module docstring), in the current container:
    for a ``narrow`` one (the sidebar) the buttons, the year and month, then the steps and
    play on rows of their own; else the steps beside the year and month."""
    state = st.session_state
    value = _value(field, default)
    line = timeline()
    years = list(range(int(line[0][:4]), int(line[-1][:4]) + 1))
    on_month = _is_month(value)
    vs.push(f"{prefix}_fixed", None if on_month else (value or RECORDED))
    vs.push(f"{prefix}_year", int(value[:4]) if on_month else None)
    vs.push(f"{prefix}_month", int(value[5:7]) if on_month else None)
    st.segmented_control(label, fixed, key=f"{prefix}_fixed", format_func=FIXED_LABELS.get,
                         on_change=_picked_fixed, args=(prefix, field), help=help,
                         width="stretch" if narrow else "content")
    playing = bool(state.get(f"{prefix}_playing")) and play
    if narrow:
        c_year, c_month = st.columns([1.15, 1], gap="small")
        steps = st.columns([1, 1.9, 1] if play else 2, gap="small")
    else:
        c_year, c_month, *steps = st.columns([1.3, 1.1, *([0.9] if play else []), 0.5, 0.5],
                                             gap="small", vertical_alignment="bottom")
    month_args = (prefix, field, default)
    c_year.selectbox("Year", years, key=f"{prefix}_year", placeholder="Year",
                     on_change=_picked_month, args=month_args, label_visibility="collapsed")
    c_month.selectbox("Month", list(MONTH_NAMES), key=f"{prefix}_month", placeholder="Month",
                      format_func=MONTH_NAMES.get, on_change=_picked_month, args=month_args,
                      label_visibility="collapsed")
    steps[0].button(":material/chevron_left:", key=f"{prefix}_prev", help="Previous month",
                    width="stretch", on_click=_stepped, args=(*month_args, -1),
                    disabled=on_month and value <= line[0])
    if play:
        steps[1].button("Pause" if playing else "Play", key=f"{prefix}_play",
                        icon=":material/pause:" if playing else ":material/play_arrow:",
                        help=f"Step through the timeline, a month every {PLAY_SECONDS:g} s",
                        width="stretch", on_click=_played, args=month_args,
                        type="primary" if playing else "secondary")
    steps[-1].button(":material/chevron_right:", key=f"{prefix}_next", help="Next month",
                     width="stretch", on_click=_stepped, args=(*month_args, 1),
                     disabled=on_month and value >= line[-1])
    if playing:
        _ticker(prefix, field)


def date_control(container=None, *, key_prefix: str = "w", play: bool = True) -> None:
    """The "Network as of" control and the scenario choice, in ``container`` (default:
    sidebar), with a play button unless ``play`` is False.

    It shows the view's date and scenario and its callbacks change them, so every page shows
    the same choice. Each page gives its own ``key_prefix`` (Streamlit keeps a page's widgets
    apart from another page's of the same key).
    """
    where = container or st.sidebar
    view = vs.current()
    if view.get("asof") not in months():
        vs.update(asof=None)
    names = scenario_names()
    if view.get("scenario") not in names:
        vs.update(scenario=None)
    scen_key = f"{key_prefix}_scenario"
    vs.push(scen_key, view.get("scenario") or NO_SCENARIO)
    if vs.entered():  # back from another page: a play left running there stays stopped
        st.session_state[f"{key_prefix}_playing"] = False
    with where:
        _picker(key_prefix, "asof", fixed=[RECORDED, TODAY], default=None, play=play,
                label="Network as of",
                help="The statuses as recorded in the data, today's, or those of a month of the "
                     "timeline: from the recorded history (a past month) or the announced "
                     "target dates (a future month: a projection, labelled so). Pick a year, "
                     "then a month; or step, or play.")
        st.selectbox(
            "Scenario", names, key=scen_key,
            format_func=lambda n: "edited in this session" if n == SESSION else n,
            on_change=_picked_scenario, args=(scen_key,),
            help="Dated changes that replace the announced target dates (data/scenarios/).")


def _picked_scenario(key: str) -> None:
    chosen = st.session_state.get(key)
    vs.update(scenario=None if chosen in (None, NO_SCENARIO) else chosen)


def state_control(field: str, *, key_prefix: str, default: str, help: str) -> str:
    """A date control for the view's date ``field`` (today or a month of the timeline, no
    "as recorded", no play), in the current container; returns the date it shows."""
    _picker(key_prefix, field, fixed=[TODAY], default=default, play=False,
            label="Network as of", help=help, narrow=False)
    return _value(field, default)
