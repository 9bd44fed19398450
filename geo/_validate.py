"""Collect every problem in a data file, then raise once (so a user fixes a file in one pass)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._errors import DataValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record of one file."""

    file: str
    record: str
    field: str
    value: object
    message: str

    def __str__(self) -> str:
        return f"{self.file}: record {self.record!r}, field {self.field!r} = {self.value!r}: {self.message}"


class Problems:
    """Accumulates :class:`Problem` items; :meth:`raise_if_any` raises them all at once."""

    def __init__(self, file: str) -> None:
        self.file = str(file)
        self.items: list[Problem] = []

    def add(self, record: object, field: str, value: object, message: str) -> None:
        self.items.append(Problem(self.file, str(record), field, value, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataValidationError(self.items)


def read_yaml(problems: Problems, path) -> object:
    """The parsed YAML document at ``path`` (``{}`` when empty); a syntax error is recorded in
    ``problems`` and raised at once, since nothing else in the file can then be checked."""
    from pathlib import Path

    import yaml

    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        problems.add("-", "(file)", None, f"not valid YAML: {err}")
        problems.raise_if_any()
        raise  # unreachable: raise_if_any raised


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
    import re

    text = str(value) if value is not None else ""
    if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", text):
        problems.add(record, field, value, "must be a date YYYY, YYYY-MM or YYYY-MM-DD")
