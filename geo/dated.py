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

from .dates import settings_today
from .lifecycle import Scenario, parse_when, status_on
from .overlay import Network, network

__all__ = ["network_at"]


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


