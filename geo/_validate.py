"""Collect every problem in a data file, then raise once (so a user fixes a file in one pass).

:class:`Problems` is the one collector: loaders of data files, of claims files and of
references and assumptions add to it and call :meth:`Problems.raise_if_any`. The readers
and geometry checks here are shared by every loader of GeoJSON and YAML.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import shapely
import yaml
from shapely.geometry import shape

from ._errors import DataValidationError, ProblemListError
from .measure import distance_km

SHOWN_VALUE_CHARS = 80
_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record of one file.

    ``record`` is the record's id; ``"(file)"`` and ``"(article)"`` name the whole file and
    a claims file's article block. ``noun`` says what a record is ("record", "claim").
    """

    file: str
    record: str
    field: str
    value: object
    message: str
    noun: str = "record"

    def __str__(self) -> str:
        where = {"(file)": "file", "(article)": "article"}.get(
            self.record, f"{self.noun} {self.record!r}")
        shown = repr(self.value)
        if len(shown) > SHOWN_VALUE_CHARS:
            shown = shown[: SHOWN_VALUE_CHARS - 3] + "..."
        return f"{self.file}: {where}, field {self.field!r} = {shown}: {self.message}"


class Problems:
    """Accumulates :class:`Problem` items of one file; :meth:`raise_if_any` raises them at once.

    Parameters
    ----------
    file
        The file named in every message.
    error
        The exception class raised (:class:`~geo.DataValidationError` by default).
    noun
        What a record of this file is called in messages.
    """

    def __init__(
        self, file: object, *, error: type[ProblemListError] = DataValidationError,
        noun: str = "record",
    ) -> None:
        self.file = str(file)
        self.error = error
        self.noun = noun
        self.items: list[Problem] = []

    def add(self, record: object, field: str, value: object, message: str) -> None:
        self.items.append(Problem(self.file, str(record), field, value, message, self.noun))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise self.error(self.items)


# ---------------------------------------------------------------------------------------------
# Readers


def read_yaml(problems: Problems, path: Path | str) -> object:
    """The parsed YAML document at ``path`` (``{}`` when empty); a syntax error is recorded in
    ``problems`` and raised at once, since nothing else in the file can then be checked."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        problems.add("-", "(file)", None, f"not valid YAML: {err}")
        problems.raise_if_any()
        raise  # unreachable: raise_if_any raised


def read_geojson_features(path: Path, problems: Problems) -> list[dict]:
    """The features of a GeoJSON FeatureCollection; anything else is recorded and raised."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        problems.add("-", "(file)", None, f"not valid JSON: {err}")
        problems.raise_if_any()
    if doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.add("-", "type", doc.get("type"), "must be a GeoJSON FeatureCollection")
        problems.raise_if_any()
    return doc["features"]


# ---------------------------------------------------------------------------------------------
# Field checks


def is_blank(value: object) -> bool:
    """True for None, NaN and empty or whitespace-only strings."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def check_required(problems: Problems, record: object, row: dict, fields: list[str]) -> None:
    for field in fields:
        if is_blank(row.get(field)):
            problems.add(record, field, row.get(field), "is required and missing")


def check_vocab(problems: Problems, record: object, field: str, value: object, allowed) -> None:
    if value not in allowed:
        problems.add(record, field, value, f"must be one of {sorted(allowed)}")


def check_unique(problems: Problems, ids: list) -> None:
    seen: set = set()
    for value in ids:
        if value in seen:
            problems.add(value, "id", value, "duplicate id")
        seen.add(value)


def check_date(problems: Problems, record: object, field: str, value: object) -> None:
    """Dates are ISO strings of a year, a month or a day: 2025, 2025-08 or 2025-08-08."""
    text = str(value) if value is not None else ""
    if not _DATE.fullmatch(text):
        problems.add(record, field, value, "must be a date YYYY, YYYY-MM or YYYY-MM-DD")


def check_geometry(problems: Problems, record: object, raw: dict | None, kinds: tuple[str, ...]):
    """The shapely geometry of a GeoJSON ``geometry`` member, or None after recording why not.

    Checks that it is present, readable, of one of ``kinds``, not empty, within lon -180..180
    and lat -90..90, and valid.
    """
    if not raw:
        problems.add(record, "geometry", raw, "is missing")
        return None
    try:
        geom = shape(raw)
    except Exception as err:  # noqa: BLE001 - shapely raises several types for bad input
        problems.add(record, "geometry", raw.get("type"), f"cannot be read: {err}")
        return None
    if geom.geom_type not in kinds:
        problems.add(record, "geometry", geom.geom_type, f"must be one of {list(kinds)}")
        return None
    if geom.is_empty:
        problems.add(record, "geometry", geom.geom_type, "is empty")
        return None
    bounds = geom.bounds
    if not (-180 <= bounds[0] <= bounds[2] <= 180 and -90 <= bounds[1] <= bounds[3] <= 90):
        problems.add(record, "geometry", bounds,
                     "coordinates out of range (lon -180..180, lat -90..90)")
        return None
    if not geom.is_valid:
        problems.add(record, "geometry", geom.geom_type,
                     f"is invalid: {shapely.is_valid_reason(geom)}")
        return None
    return geom


def check_line_ends(
    problems: Problems, record: object, props: dict, line, places, tolerance_m: float
) -> None:
    """A segment line must start at its ``from`` place and end at its ``to`` place."""
    ends = {"from": line.coords[0], "to": line.coords[-1]}
    for field, (x, y) in ends.items():
        pid = props.get(field)
        if pid not in places.index:
            continue
        place = places.loc[pid]
        off = distance_km(x, y, place["lon"], place["lat"]) * 1000
        if off > tolerance_m:
            problems.add(
                record,
                field,
                pid,
                f"segment {'starts' if field == 'from' else 'ends'} {off / 1000:.2f} km from "
                f"place {pid!r} (allowed {tolerance_m:.0f} m)",
            )
