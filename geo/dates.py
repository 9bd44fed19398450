"""Dates as the data write them (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and their age.

A year or month stands for its last day when asking "is this older than N days?", so a status
dated "2025" is not called out of date before 2025 is over plus the grace period.
"""

from __future__ import annotations

import calendar
import datetime as dt

from . import settings


def settings_today() -> dt.date:
    """``settings.today`` when set (tests, reproducible exports), else the system date."""
    return dt.date.fromisoformat(settings.today) if settings.today else dt.date.today()


def latest_day(text: str) -> dt.date:
    """The last day a date of year, month or day precision can mean: "2025-02" -> 2025-02-28.

    Raises ValueError for anything else, a year of 23 digits included (Python itself would
    raise OverflowError there, which no caller expects from a date).
    """
    parts = [int(p) for p in str(text).split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    try:
        day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)
    except OverflowError as err:
        msg = f"year out of range: {text!r}"
        raise ValueError(msg) from err


def age_days(text: str, today: dt.date | None = None) -> int:
    """Days from the (latest reading of the) date ``text`` to ``today``."""
    return ((today or settings_today()) - latest_day(text)).days


def is_stale(text: str, today: dt.date | None = None) -> bool:
    """Whether a record dated ``text`` is older than ``settings.stale_after_days``."""
    return age_days(text, today) > settings.stale_after_days
