"""The network on a date (and under a scenario): the same geometry, the statuses of that day.

:func:`network_at` gives what metrics and routing need (:class:`geo.overlay.Network`) with each
segment's status on the date (:func:`geo.lifecycle.status_on`). The overlay is computed once
per data version; a dated view only swaps statuses, so metrics for every named route at a new
date stay fast.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .data import load_segments
from .dates import latest_day, settings_today
from .lifecycle import Scenario, load_scenario, parse_when, status_on, timeline
from .overlay import Network, network
from .vocab import WORKS_REPORTS

__all__ = ["key_dates", "network_at", "scenario_of", "segments_at", "when_text"]


def network_at(
    data_dir: Path | str | None = None,
    when: str | dt.date | None = None,
    scenario: Scenario | None = None,
) -> Network:
    """The network of the data folder with every segment's status on ``when`` (None: as
    recorded today), under ``scenario`` if given. Geometry and overlay are shared with
    :func:`geo.overlay.network`; only statuses differ. Cached."""
    base = network(data_dir)
    if when is None and scenario is None:
        return base
    return _dated(base, parse_when(when), scenario)


@lru_cache(maxsize=32)
def _dated(base: Network, when: dt.date, scenario: Scenario | None) -> Network:
    frame = base.segments.copy()
    statuses, projected, basis = [], [], []
    for sid, row in frame.iterrows():
        events = scenario.for_segment(sid) if scenario and sid in scenario.names() else None
        st, proj, why = status_on(row.get("lifecycle") or [], row["status"], when,
                                  scenario_events=events)
        statuses.append(st)
        projected.append(proj)
        basis.append(why)
    frame["status"] = statuses
    frame["status_projected"] = projected
    frame["status_basis"] = basis
    seg = {sid: {**d, "status": st} for (sid, d), st in zip(base.seg.items(), statuses, strict=True)}
    return Network(base.folder, frame, base.runs, base.places, base.place_unit, base.unit_iso3,
                   seg, base.place, when=when.isoformat(),
                   projected=when > settings_today() or scenario is not None,
                   scenario=scenario.name if scenario else "")




def scenario_of(scenario: Scenario | Path | str | None,
                data_dir: Path | str | None = None) -> Scenario | None:
    """A :class:`~geo.lifecycle.Scenario` as given, or loaded (and validated) from a file path."""
    if scenario is None or isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario, load_segments(data_dir))


def segments_at(
    data_dir: Path | str | None = None,
    when: str | dt.date | None = None,
    scenario: Scenario | None = None,
) -> gpd.GeoDataFrame:
    """The segments as :func:`geo.load_segments` gives them, with ``status`` on ``when`` (under
    ``scenario``) and two more columns: ``status_projected`` (a future date or a scenario) and
    ``status_basis`` (what the status rests on). None and no scenario: as recorded."""
    segments = load_segments(data_dir)
    if when is None and scenario is None:
        out = segments.copy()
        out["status_projected"] = False
        out["status_basis"] = "as recorded"
        return out
    dated = network_at(data_dir, when, scenario).segments
    out = segments.copy()
    for column in ("status", "status_projected", "status_basis"):
        out[column] = dated[column].reindex(out.index)
    return out


def when_text(when: str | dt.date | None, scenario: Scenario | None = None) -> str:
    """How a dated view is labelled: "Statuses as recorded", "Statuses as of 2025-02-28",
    "Statuses as of 2028-12-31, projected from expected dates", "... under scenario 'X'"."""
    if when is None and scenario is None:
        return "Statuses as recorded"
    day = parse_when(when)
    text = f"Statuses as of {day.isoformat()}"
    if scenario is not None:
        return f"{text}, projected under scenario {scenario.name!r}"
    if day > settings_today():
        return f"{text}, projected from expected dates"
    return text


def key_dates(segment_ids: list[str], when: str | dt.date | None = None,
              data_dir: Path | str | None = None, scenario: Scenario | None = None) -> pd.DataFrame:
    """For each segment, the last change on or before ``when`` and the next dated change after
    it: the few dates a report needs, in date order. On a future date (or under a scenario) the
    last change may be an expected one (``kind`` says so), as in the status it gives. Works
    reports (progress, completed) change no status and are left out (``timeline`` has them).

    Columns as :func:`geo.lifecycle.timeline`, plus ``relation`` (``"last"`` or ``"next"``).
    """
    day = parse_when(when)
    segments = load_segments(data_dir)
    full = timeline(segments, list(dict.fromkeys(segment_ids)))
    if scenario is not None:
        names = scenario.names()
        full = full[~(full["segment"].isin(names) & (full["kind"] == "expected"))]
        extra = [{"date": e["date"], "segment": sid, "name": segments.at[sid, "name"],
                  "event": e["event"], "kind": e["kind"], "status": e["status"],
                  "source": e["source"], "url": "", "text": ""}
                 for sid in dict.fromkeys(segment_ids) if sid in names
                 for e in scenario.for_segment(sid)]
        full = pd.concat([full, pd.DataFrame(extra, columns=full.columns)], ignore_index=True)
    # a works report of the data changes no status (a scenario's changes all count)
    full = full[~(full["event"].isin(WORKS_REPORTS) & (full["kind"] != "scenario"))]
    ends = full["date"].map(latest_day)
    today = settings_today()
    # what counts by ``when``, as in geo.lifecycle.status_on: events that happened, and on a
    # later date the expected ones due after today, and a scenario's changes at their dates
    counts = (full["kind"] == "happened") | (full["kind"] == "scenario") | (
        (full["kind"] == "expected") & (ends > today))
    done = full[counts & (ends <= day)]
    ahead = full[(ends > day) & (full["kind"] != "happened")]
    last = done.assign(_end=ends[done.index]).sort_values("_end", kind="stable")
    last = last.groupby("segment", sort=False).tail(1).drop(columns="_end").assign(relation="last")
    nxt = ahead.sort_values("date", kind="stable").groupby("segment", sort=False).head(1)
    rows = pd.concat([last, nxt.assign(relation="next")], ignore_index=True)
    rows["_end"] = rows["date"].map(latest_day)  # "2026" (by its end) after "2026-02-05"
    rows = rows.sort_values(["_end", "segment"], kind="stable").drop(columns="_end")
    return rows.reset_index(drop=True)
