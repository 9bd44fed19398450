"""The scenario editor: dated changes that replace a segment's expected dates, as a table.

Start from no change, from a shipped scenario file (``data/scenarios/*.yaml``) or from the
scenario in use in this session; edit the table (segment chosen by name, date ``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``, event, status, note). Every run validates the table with
``geo.scenario_from_dict`` and shows every problem at once, naming the table row. A valid
scenario can be downloaded as the YAML file ``geo.load_scenario`` reads, and "Use this
scenario" keeps that text in ``st.session_state[_when.SESSION_YAML]``, where every page can
choose it (``_when.SESSION``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

import geo
from app_pages import _errors, _when
from geo.vocab import LIFECYCLE_EVENTS, STATUSES

COLUMNS = ["segment", "date", "event", "status", "note"]
NO_CHANGE = "(no change)"
WHERE = "the scenario being edited"
# Session keys: the table being edited starts from (name, frame) and is redrawn under a new
# key (version) when the user starts from another scenario.
BASE, VERSION = "se_base", "se_version"
# Set by "Use this scenario": the next run of the editor reruns the whole page once, so every
# scenario control on it (not only a fragment's) offers the scenario just stored.
USED = "se_used"


def table_key() -> str:
    """The session key of the table being edited (its edit state, for tests)."""
    return f"se_table_{st.session_state.get(VERSION, 0)}"


def name_key() -> str:
    """The session key of the scenario name field being edited."""
    return f"se_name_{st.session_state.get(VERSION, 0)}"


def segment_labels(segments: pd.DataFrame) -> dict[str, str]:
    """How each segment is offered in the table, by id: its name, with the id where the name
    is blank or shared."""
    names = segments["name"].fillna("").astype(str).str.strip()
    shared = names.duplicated(keep=False) | (names == "")
    return {sid: f"{name} ({sid})" if dup else name
            for sid, name, dup in zip(segments.index, names, shared, strict=True)}


def scenario_frame(scenario: geo.Scenario | None) -> pd.DataFrame:
    """The table of a scenario's changes (empty for none)."""
    rows = [] if scenario is None else [dict(zip(COLUMNS, c, strict=True))
                                        for c in scenario.changes]
    return pd.DataFrame(rows, columns=COLUMNS).astype("string")


def _cell(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def scenario_doc(name: str, table: pd.DataFrame) -> tuple[dict, list[int]]:
    """The scenario document of the edited table (as a scenario file holds it) and, for each
    change, its row in the table (counted from 1). Rows left wholly blank are skipped."""
    changes, rows = [], []
    for number, (_, row) in enumerate(table.iterrows(), start=1):
        cells = {c: _cell(row.get(c)) for c in COLUMNS}
        if not any(cells.values()):
            continue
        item = {k: v for k, v in cells.items() if v or k != "note"}
        changes.append(item)
        rows.append(number)
    return {"name": name.strip(), "changes": changes}, rows


def validate(doc: dict, rows: list[int], segments: pd.DataFrame) -> geo.Scenario:
    """``geo.scenario_from_dict`` of ``doc``; its problems name the table row, not the list
    index (``geo.DataValidationError``)."""
    try:
        return geo.scenario_from_dict(doc, segments, where=WHERE)
    except geo.DataValidationError as err:
        raise geo.DataValidationError([_by_row(p, rows) for p in err.problems]) from None


def _by_row(problem, rows: list[int]):
    found = re.fullmatch(r"changes\[(\d+)\]", str(getattr(problem, "record", "")))
    if not found:
        return problem
    return dataclasses.replace(problem, record=str(rows[int(found.group(1))]), noun="table row")


def _sources() -> list[str]:
    names = [NO_CHANGE, *_when.scenario_files()]
    if st.session_state.get(_when.SESSION_YAML):
        names.append(_when.SESSION)
    return names


def scenario_named(source: str | None, segments: pd.DataFrame) -> geo.Scenario | None:
    """The scenario a control names: None (``_when.NO_SCENARIO``, or none), the one edited
    in this session (``_when.SESSION``) or a shipped file's stem, loaded and validated."""
    if not source or source in (_when.NO_SCENARIO, NO_CHANGE):
        return None
    if source == _when.SESSION:
        if not st.session_state.get(_when.SESSION_YAML):
            return None
        return _when.session_scenario(st.session_state[_when.SESSION_YAML], segments)
    path = _when.scenario_files().get(source)
    return geo.load_scenario(path, segments) if path else None


def _start(source: str, segments: pd.DataFrame) -> None:
    scenario = scenario_named(source, segments)
    st.session_state[BASE] = ("" if scenario is None else scenario.name, scenario_frame(scenario))
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def _use(text: str, on_use: Callable[[], None] | None) -> None:
    st.session_state[_when.SESSION_YAML] = text
    st.session_state[USED] = True
    if on_use is not None:
        on_use()


def file_name(scenario: geo.Scenario) -> str:
    """A file name for the download, from the scenario's name."""
    slug = re.sub(r"[^a-z0-9]+", "-", scenario.name.lower()).strip("-")[:60]
    return f"{slug or 'scenario'}.yaml"


def render(data: dict, *, on_use: Callable[[], None] | None = None) -> geo.Scenario | None:
    """Draw the editor; returns the valid scenario being edited, or None.

    ``on_use`` runs (as a callback, before the next run draws anything) when the user clicks
    "Use this scenario", e.g. to choose it in a page's own scenario control.
    """
    if st.session_state.pop(USED, False):
        st.rerun()
    segments = data["segments"]
    labels = segment_labels(segments)
    st.caption("Dated changes that replace the expected dates of the segments they name; the "
               "statuses they set apply from their dates, and every figure computed with them "
               "is labelled projected, with the scenario's name.")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    source = c1.selectbox("Start from", _sources(), key="se_source",
                          format_func=lambda n: "the scenario in use in this session"
                          if n == _when.SESSION else n)
    if c2.button("Start from this", key="se_start"):
        with _errors.guard(f"Scenario {source!r}"):
            _start(source, segments)
    name0, frame0 = st.session_state.get(BASE, ("", scenario_frame(None)))
    name = st.text_input("Scenario name", value=name0, key=name_key(),
                         placeholder="e.g. Rasht–Astara opens 2028-06")
    table = st.data_editor(
        frame0, key=table_key(), num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "segment": st.column_config.SelectboxColumn(
                "Segment", options=sorted(labels, key=labels.get), required=True,
                format_func=lambda sid: labels.get(sid, sid), width="medium"),
            "date": st.column_config.TextColumn(
                "Date", help="YYYY, YYYY-MM or YYYY-MM-DD (a year or month takes effect at its "
                             "end)"),
            "event": st.column_config.SelectboxColumn("Event", options=list(LIFECYCLE_EVENTS)),
            "status": st.column_config.SelectboxColumn(
                "Status from then on", options=list(STATUSES),
                format_func=lambda s: geo.style.STATUS_LABELS.get(s, s)),
            "note": st.column_config.TextColumn("Note", width="medium"),
        })
    doc, rows = scenario_doc(name, table)
    if not doc["name"] and not doc["changes"]:
        st.caption("Name the scenario and add a row per change (the + under the table).")
        return None
    try:
        scenario = validate(doc, rows, segments)
    except geo.DataValidationError as err:
        _errors.show(err, "The scenario cannot be used yet")
        return None
    text = geo.scenario_yaml(scenario)
    in_use = st.session_state.get(_when.SESSION_YAML) == text
    st.caption(f"{len(scenario.changes)} change(s), valid"
               + (": in use in this session (“edited in this session” on every page)."
                  if in_use else "."))
    b1, b2 = st.columns(2)
    b1.button("Use this scenario", key="se_use", type="primary", on_click=_use,
              args=(text, on_use), disabled=in_use or not scenario.changes,
              help="Every page can then choose it as its scenario.")
    b2.download_button("Download scenario (YAML)", text, file_name=file_name(scenario),
                       mime="application/x-yaml", key="se_download",
                       help="A scenario file: `corridors change --scenario FILE` reads it.")
    return scenario
