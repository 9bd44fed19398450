"""The network through time: each segment's dated status changes, and its status on any date.

A segment's ``lifecycle`` is a list of events in date order, each with a ``date`` (``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``), an ``event``, a ``kind`` (``happened``: recorded; ``expected``:
a target date announced in advance), the ``status`` from then on and its ``source``. Its
``status`` and ``as_of`` are the latest happened entry's. The events:

* ``announced``, ``agreement``: a plan or a treaty (usually ``planned`` or ``proposed``);
* ``construction_start``: works begin on a line not in service; always ``under_construction``.
  It is recorded once: a second start needs an event between that ends or halts the works
  (completed, opening, reopening, disruption, suspension, closure);
* ``progress``: works reported under way (a share built, a structure begun), or a line
  reported in service (a traveller's or a photo report). It changes no status and carries the
  one in force: ``under_construction`` on a new line, ``operational`` on a line in service,
  also while it is rebuilt or widened (works on a line in service are never a construction
  start: the line stays in service);
* ``completed``: works finished. It changes no status either: a structure built but not yet
  open stays ``under_construction`` until its ``opening`` (routing on operational segments does
  not use it), and a line in service whose works are done stays ``operational``;
* ``opening``, ``reopening``: the line enters service (again), usually ``operational``;
* ``disruption``, ``suspension``, ``closure``: service interrupted or ended, usually
  ``disrupted`` or ``closed`` (one that leaves the line in service keeps ``operational``).

The status on a date:

* on or before today: the status of the latest *happened* event dated on or before it (a date
  of year or month precision takes effect at the end of its year or month); before the first
  event of a project (announced, agreement, construction start, opening, or a works report on
  a line not in service) the segment was ``not_yet_announced``; a segment with no lifecycle
  keeps its one status. The basis names the event that set the status, and the latest works
  report since ("construction_start 2021-02-14 (happened); latest report: progress 2026-02-27
  (happened)");
* after today: the status today, then the *expected* events up to that date. The answer is a
  projection and is always labelled so.

A **scenario** (:func:`load_scenario`) replaces the expected events of the segments it names by
its own dated changes ("Rasht–Astara opens 2028-06", "Julfa–Jolfa reopens 2027"); they apply at
their dates, past or future, and results computed with one are labelled with its name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from ._errors import InputError
from ._validate import Problems, check_date, is_blank, nested_records, read_yaml
from .dates import latest_day, settings_today
from .files import file_stamp
from .vocab import EVENT_KINDS, LIFECYCLE_EVENTS, NOT_YET, STATUSES, WORKS_ENDS, WORKS_REPORTS

PROJECT_START = frozenset({"announced", "agreement", "construction_start", "opening"})
#: How timelines explain the works reports (CLI help, app captions).
WORKS_NOTE = ("Works reports (progress: under way; completed: finished) keep the status in "
              "force; a line enters service with an opening or reopening")
ENTRY_FIELDS = ("date", "event", "kind", "status", "source")
OPTIONAL_FIELDS = ("url", "text")

__all__ = ["Scenario", "check_lifecycle", "load_scenario", "parse_when", "scenario_from_dict",
           "scenario_yaml", "status_on", "timeline"]


@dataclass(frozen=True)
class Scenario:
    """Dated changes that replace the expected events of the segments they name."""

    name: str
    changes: tuple[tuple[str, str, str, str, str], ...]  # (segment, date, event, status, note)
    path: str = ""

    def for_segment(self, sid: str) -> list[dict]:
        return [{"date": d, "event": e, "kind": "scenario", "status": s, "source": f"scenario "
                 f"{self.name!r}" + (f": {n}" if n else "")}
                for seg, d, e, s, n in self.changes if seg == sid]

    def names(self) -> frozenset[str]:
        return frozenset(c[0] for c in self.changes)


# ---------------------------------------------------------------------------------------------
# Validation (called by the segment loader)


def check_lifecycle(problems: Problems, rid: str, props: dict) -> None:
    """Record every problem of a segment's ``lifecycle``: fields, vocabularies, date order,
    sources, happened events not after the record's as-of date, that the segment's status is
    the latest happened event's, and the meaning of the events: a construction start is
    ``under_construction`` and is not repeated while its works go on, and a works report
    (progress, completed) keeps the status in force."""
    previous = ""
    latest_happened = None
    latest_any = None  # the entry above, of either kind (an expected entry follows it)
    started = None  # (field, date) of the happened construction start whose works go on
    for field, entry in nested_records(problems, rid, "lifecycle", props.get("lifecycle"),
                                       ENTRY_FIELDS, "event"):
        unknown = sorted(set(entry) - set(ENTRY_FIELDS) - set(OPTIONAL_FIELDS))
        if unknown:
            problems.add(rid, field, unknown, "unknown field(s)")
        date = str(entry["date"])
        check_date(problems, rid, f"{field}.date", date)
        for key, allowed in (("event", LIFECYCLE_EVENTS), ("kind", EVENT_KINDS),
                             ("status", STATUSES)):
            if entry[key] not in allowed:
                problems.add(rid, f"{field}.{key}", entry[key], f"must be one of {list(allowed)}")
        if date < previous:
            problems.add(rid, f"{field}.date", date, f"comes before the entry above it ({previous}): "
                         "list the entries in date order")
        previous = max(previous, date)
        before = latest_happened if entry["kind"] == "happened" else latest_any
        _check_meaning(problems, rid, field, entry, before, started)
        latest_any = entry
        if entry["kind"] == "happened":
            if not is_blank(props.get("as_of")) and date > str(props["as_of"]):
                problems.add(rid, f"{field}.date", date, f"a happened event after the record's "
                             f"as_of date {props['as_of']}: mark it expected or update as_of")
            latest_happened = entry
            if entry["event"] == "construction_start" and started is None:
                started = (field, date)
            elif entry["event"] in WORKS_ENDS:
                started = None
    if latest_happened is not None and props.get("status") != latest_happened["status"]:
        problems.add(rid, "status", props.get("status"),
                     f"differs from the lifecycle: {latest_happened['status']} since "
                     f"{latest_happened['date']} ({latest_happened['event']})")


def _check_meaning(problems: Problems, rid: str, field: str, entry: dict, before: dict | None,
                   started: tuple[str, str] | None) -> None:
    """Record what contradicts the meaning of one entry's event: a construction start that is
    not ``under_construction`` or that repeats one whose works go on (``started``), a works
    report that changes the status in force (``before``: the entry above it that counts)."""
    event, status = entry["event"], entry["status"]
    if event == "construction_start":
        if status != "under_construction":
            hint = (": works on a line in service are 'progress' (and 'completed' when done) and "
                    "keep it operational" if status == "operational" else "")
            problems.add(rid, f"{field}.status", status,
                         f"a construction_start must have status under_construction{hint}")
        if started is not None:
            ends = ", ".join(e for e in LIFECYCLE_EVENTS if e in WORKS_ENDS)
            problems.add(rid, f"{field}.event", event,
                         f"a second construction start: works began at {started[0]} "
                         f"({started[1]}) and no event between ends or halts them ({ends}); "
                         "record a report of works under way as 'progress'")
    elif event in WORKS_REPORTS and before is not None and status != before["status"]:
        problems.add(rid, f"{field}.status", status,
                     f"a {event} event changes no status: it must be {before['status']}, the "
                     f"status since {before['date']} ({before['event']}); a line enters service "
                     "with an opening or reopening")


# ---------------------------------------------------------------------------------------------
# Status on a date


def parse_when(value: str | dt.date | None) -> dt.date:
    """A date from ``"today"``, None (today), ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if value is None or value == "today":
        return settings_today()
    if isinstance(value, dt.date):
        return value
    try:
        return latest_day(str(value))
    except (ValueError, IndexError) as err:
        msg = f"not a date: {value!r} (use YYYY, YYYY-MM, YYYY-MM-DD or 'today')"
        raise InputError(msg) from err


def status_on(lifecycle: list[dict], status: str, when: dt.date, *,
              scenario_events: list[dict] | None = None) -> tuple[str, bool, str]:
    """The status of one segment on ``when``: ``(status, projected, basis)``.

    ``basis`` says what the answer rests on, e.g. "opening 2019-03-06 (happened)", "expected
    opening 2028 (projected)" or "no recorded history: its one status". A works report
    (progress, completed) that keeps the status leaves the basis on the event that set it and
    is added as the latest report: "construction_start 2023-10-06 (happened); latest report:
    completed 2026-02-23 (happened)".
    """
    today = settings_today()
    happened = [e for e in lifecycle if e["kind"] == "happened"]
    expected = [e for e in lifecycle if e["kind"] == "expected"]
    if scenario_events is not None:
        expected = scenario_events
    current, basis = _before_first(lifecycle, status)
    report = ""
    for e in happened:
        if latest_day(e["date"]) <= when:
            current, basis, report = _apply(e, f"{e['event']} {e['date']} ({e['kind']})",
                                            current, basis, report)
    projected = False
    for e in expected:
        effective = latest_day(e["date"])
        if effective <= when and (e["kind"] == "scenario" or effective > today):
            current, basis, report = _apply(e, f"{e['kind']} {e['event']} {e['date']}",
                                            current, basis, report)
            projected = True
    if report:
        basis = f"{basis}; latest report: {report}"
    return current, projected or when > today, basis


def _apply(event: dict, text: str, current: str, basis: str, report: str) -> tuple[str, str, str]:
    """``(status, basis, latest report)`` after one event: a works report that keeps the status
    is a report; any other event (or a report with another status, as a scenario may give)
    sets the status and the basis."""
    if event["event"] in WORKS_REPORTS and event["status"] == current:
        return current, basis, text
    return event["status"], text, ""


def _before_first(lifecycle: list[dict], status: str) -> tuple[str, str]:
    """The status before a segment's first recorded event."""
    if not lifecycle:
        return status, "no recorded history: its one status"
    first = lifecycle[0]
    if first["event"] in PROJECT_START or (first["event"] in WORKS_REPORTS
                                           and first["status"] != "operational"):
        return NOT_YET, f"before its first recorded event ({first['event']} {first['date']})"
    return "operational", f"in service before its first recorded event ({first['event']} {first['date']})"


# ---------------------------------------------------------------------------------------------
# Timeline of a route


def timeline(segments: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Every lifecycle event of the given segments, in date order (a year or month before the
    days in it): when each section was announced, begun, reported under way or finished,
    opened, or is expected to, with sources. Works reports (progress, completed) are rows like
    any other; their ``status`` is the one in force.

    Columns: ``date``, ``segment``, ``name``, ``event``, ``kind``, ``status``, ``source``,
    ``url``, ``text``.
    """
    rows = []
    for sid in ids:
        for e in segments.at[sid, "lifecycle"] or []:
            rows.append({"date": str(e["date"]), "segment": sid, "name": segments.at[sid, "name"],
                         "event": e["event"], "kind": e["kind"], "status": e["status"],
                         "source": e["source"], "url": e.get("url", ""), "text": e.get("text", "")})
    columns = ["date", "segment", "name", "event", "kind", "status", "source", "url", "text"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["date", "segment"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Scenario files


def load_scenario(path: Path | str, segments: pd.DataFrame) -> Scenario:
    """Read and validate a scenario file (YAML).

    The file holds ``name`` and ``changes``: a list of ``{segment, date, event, status}``
    with an optional ``note``, e.g. ``{segment: rail-rasht-astara, date: 2028-06, event:
    opening, status: operational}``. Every problem is reported at once, naming the file.
    """
    return _load_scenario(file_stamp(path), tuple(segments.index))


@lru_cache(maxsize=16)
def _load_scenario(stamp: tuple, known: tuple[str, ...]) -> Scenario:
    path = stamp[0]
    problems = Problems(path)
    doc = read_yaml(problems, path)
    return _scenario(doc, known, problems, str(path))


def scenario_from_dict(doc: object, segments: pd.DataFrame, *, where: str = "scenario") -> Scenario:
    """A scenario from its parsed form (``{"name": ..., "changes": [...]}``, as in a scenario
    file), validated as :func:`load_scenario` does; problems name ``where``."""
    return _scenario(doc, tuple(segments.index), Problems(where), "")


def _scenario(doc: object, known: tuple[str, ...], problems: Problems, path: str) -> Scenario:
    if not isinstance(doc, dict) or not isinstance(doc.get("changes"), list):
        problems.add("-", "changes", None, "a scenario needs 'name' and a list of 'changes'")
        problems.raise_if_any()
    if is_blank(doc.get("name")):
        problems.add("-", "name", doc.get("name"), "is required")
    changes = []
    for i, item in enumerate(doc["changes"]):
        record = f"changes[{i}]"
        if not isinstance(item, dict):
            problems.add(record, "(change)", item, "must be a mapping {segment, date, event, status}")
            continue
        for key in ("segment", "date", "event", "status"):
            if is_blank(item.get(key)):
                problems.add(record, key, item.get(key), "is required")
        if item.get("segment") and item["segment"] not in known:
            problems.add(record, "segment", item["segment"], "unknown segment id")
        if not is_blank(item.get("date")):
            check_date(problems, record, "date", str(item["date"]))
        if item.get("event") and item["event"] not in LIFECYCLE_EVENTS:
            problems.add(record, "event", item["event"], f"must be one of {list(LIFECYCLE_EVENTS)}")
        if item.get("status") and item["status"] not in STATUSES:
            problems.add(record, "status", item["status"], f"must be one of {list(STATUSES)}")
        changes.append((str(item.get("segment")), str(item.get("date")), str(item.get("event")),
                        str(item.get("status")), str(item.get("note") or "")))
    problems.raise_if_any()
    changes.sort(key=lambda c: (c[0], c[1]))
    return Scenario(str(doc["name"]), tuple(changes), path)


def scenario_yaml(scenario: Scenario) -> str:
    """A scenario as the YAML text :func:`load_scenario` reads (for downloads)."""
    doc = {"name": scenario.name,
           "changes": [{"segment": s, "date": d, "event": e, "status": st, **({"note": n} if n else {})}
                       for s, d, e, st, n in scenario.changes]}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
