"""Time and cost assumptions (``data/assumptions.yaml``), each with its value, unit and source.

The file has five groups:

``speed_kmh``
    Average commercial speed by mode (``rail``, ``road``, ``sea``, ``ferry``): a ``default``
    entry and, optionally, one entry per segment status (``planned``, ``disrupted`` ...).
``cost_usd_per_km``
    Haulage cost per km by mode, same shape as ``speed_kmh``.
``dwell_h``
    Hours lost per event: ``border_crossing``, ``gauge_break``, ``transshipment``.
``cost_usd``
    Cost per event, same keys as ``dwell_h``.

Every entry is a mapping ``{value, unit, source}`` plus optional ``notes``. Where no published
figure exists the source says so plainly. A data folder without ``assumptions.yaml`` uses the
file shipped with the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._validate import Problems, check_date, is_blank, read_yaml
from .files import data_path, file_stamp
from .vocab import EVENTS, MODES, STATUSES

PER_MODE = ("speed_kmh", "cost_usd_per_km")
PER_EVENT = ("dwell_h", "cost_usd")
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "assumptions.yaml"


@dataclass(frozen=True)
class Assumption:
    """One assumed figure: value, unit, source and optional notes."""

    group: str
    key: str
    status: str | None
    value: float
    unit: str
    source: str
    notes: str = ""


@dataclass(frozen=True, eq=False)
class Assumptions:
    """The assumptions of one file; look figures up with the methods, list them with ``table``."""

    path: str
    as_of: str
    cargo_unit: str
    currency: str
    entries: dict = field(default_factory=dict)

    def per_mode(self, group: str, mode: str, status: str | None = None) -> Assumption | None:
        """Entry of ``group`` {"speed_kmh", "cost_usd_per_km"} for ``mode`` and ``status``.

        The status-specific entry when the file has one, else the mode's ``default``; None
        when the mode has no entry at all.
        """
        return self.entries.get((group, mode, status)) or self.entries.get((group, mode, None))

    def per_event(self, group: str, event: str) -> Assumption | None:
        """Entry of ``group`` {"dwell_h", "cost_usd"} for ``event`` (``border_crossing`` ...)."""
        return self.entries.get((group, event, None))

    def table(self) -> pd.DataFrame:
        """Every assumption as a row: group, key, status, value, unit, source, notes."""
        rows = [
            {"group": a.group, "key": a.key, "status": a.status or "default", "value": a.value,
             "unit": a.unit, "source": a.source, "notes": a.notes}
            for a in self.entries.values()
        ]
        return pd.DataFrame(rows, columns=["group", "key", "status", "value", "unit", "source", "notes"])


def assumptions_path(data_dir: Path | str | None = None) -> Path:
    """``assumptions.yaml`` of the data folder, or the shipped file when the folder has none."""
    path = data_path("assumptions.yaml", data_dir)
    return path if path.exists() else SHIPPED


def load_assumptions(data_dir: Path | str | None = None) -> Assumptions:
    """Read and validate the time/cost assumptions of the data folder.

    Every problem (missing value, unit or source, a value that is not a positive number, or a
    mode, status or event outside the vocabularies) is reported in one
    :class:`~geo.DataValidationError` naming the file and the entry.
    """
    path = assumptions_path(data_dir)
    return _load(file_stamp(path))


@lru_cache(maxsize=8)
def _load(stamp: tuple) -> Assumptions:
    path = stamp[0]
    problems = Problems(path)
    doc = read_yaml(problems, path)
    if not isinstance(doc, dict):
        problems.add("-", "(file)", type(doc).__name__, "must be a mapping of groups")
        problems.raise_if_any()
    if not is_blank(doc.get("as_of")):
        check_date(problems, "-", "as_of", str(doc.get("as_of")))
    entries: dict = {}
    for group in PER_MODE:
        for mode, by_status in _mapping(problems, doc, group).items():
            if mode not in MODES:
                problems.add(group, "mode", mode, f"must be one of {list(MODES)}")
                continue
            if not isinstance(by_status, dict):
                problems.add(f"{group}.{mode}", "(entry)", by_status, "must map default/status to entries")
                continue
            if "default" not in by_status:
                problems.add(f"{group}.{mode}", "default", None, "is required and missing")
            for status, raw in by_status.items():
                if status != "default" and status not in STATUSES:
                    problems.add(f"{group}.{mode}", "status", status,
                                 f"must be 'default' or one of {list(STATUSES)}")
                    continue
                key = None if status == "default" else status
                entry = _entry(problems, group, mode, key, raw)
                if entry:
                    entries[(group, mode, key)] = entry
    for group in PER_EVENT:
        for event, raw in _mapping(problems, doc, group).items():
            if event not in EVENTS:
                problems.add(group, "event", event, f"must be one of {list(EVENTS)}")
                continue
            entry = _entry(problems, group, event, None, raw, allow_zero=True)
            if entry:
                entries[(group, event, None)] = entry
    problems.raise_if_any()
    return Assumptions(
        path=path,
        as_of=str(doc.get("as_of") or ""),
        cargo_unit=str(doc.get("cargo_unit") or ""),
        currency=str(doc.get("currency") or "USD"),
        entries=entries,
    )


def _mapping(problems: Problems, doc: dict, group: str) -> dict:
    value = doc.get(group)
    if not isinstance(value, dict):
        problems.add(group, "(group)", value, "is required and must be a mapping")
        return {}
    return value


def _entry(problems, group, key, status, raw, *, allow_zero: bool = False) -> Assumption | None:
    record = f"{group}.{key}" + (f".{status}" if status else "")
    if not isinstance(raw, dict):
        problems.add(record, "(entry)", raw, "must be a mapping with value, unit and source")
        return None
    ok = True
    for name in ("value", "unit", "source"):
        if is_blank(raw.get(name)):
            problems.add(record, name, raw.get(name), "is required and missing")
            ok = False
    value = raw.get("value")
    if not is_blank(value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.add(record, "value", value, "must be a number")
            ok = False
        elif value < 0 or (value == 0 and not allow_zero):
            rule = "must not be negative" if allow_zero else "must be positive"
            problems.add(record, "value", value, rule)
            ok = False
    if not ok:
        return None
    return Assumption(group, key, status, float(value), str(raw["unit"]), str(raw["source"]),
                      str(raw.get("notes") or ""))
