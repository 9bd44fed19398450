"""A total deadline, with progress, for network operations (the OpenStreetMap refresh).

A library's own timeouts are per request and per read: osmnx waits up to 180 s for a read and
then retries, so a connection that accepts but never answers can hold a refresh for many
minutes with nothing on screen. :class:`Deadline` counts the whole operation against
``settings.network_deadline_s``; :func:`call_with_deadline` runs one blocking call (a
download) in a worker thread, says every ``settings.network_progress_s`` seconds that it is
still waiting, and gives up with :class:`~geo.NetworkError` when the deadline passes. A call
given up on is left to end by itself in the background; its result is never used, so nothing
half-downloaded is written.

Other work that must not hold the app's server for long uses the same clock with its own
limit, message and error: drafting claims from an article (:func:`geo.draft_claims`) checks a
:class:`Deadline` made with ``error=ClaimsFileError`` between sentences.

Usage::

    deadline = Deadline(what=f"refresh of route {route_id!r}")
    for i, part in enumerate(parts, start=1):
        raw = call_with_deadline(download, part, deadline=deadline,
                                 doing=f"part {i}/{len(parts)}", progress=say)
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from . import settings
from ._errors import NetworkError


class Deadline:
    """The time left of a network operation that may take ``seconds`` in all.

    Parameters
    ----------
    seconds
        Total time allowed (default ``settings.network_deadline_s``); a positive, finite number.
    what
        What the operation is, for messages ("refresh of route 'zangezur-rail'").
    """

    def __init__(
        self,
        seconds: float | None = None,
        *,
        what: str = "the download",
        setting: str = "settings.network_deadline_s",
        advice: str = ("the network answers too slowly or not at all. Nothing was changed; try "
                       "again later or raise the limit."),
        error: type[Exception] = NetworkError,
    ) -> None:
        # ``setting``, ``advice`` and ``error`` let work other than a download (drafting claims
        # from a long text) share the clock: its message names its own limit and remedy, and
        # its error is the one its callers already show as a message.
        limit = settings.network_deadline_s if seconds is None else seconds
        try:
            limit = float(limit)
        except (TypeError, ValueError):
            limit = math.nan
        if not (0 < limit < math.inf):
            msg = (f"{what}: the time limit must be a positive number of seconds, got "
                   f"{seconds if seconds is not None else settings.network_deadline_s!r} "
                   f"({setting})")
            raise error(msg)
        self.limit = limit
        self.what = what
        self.setting = setting
        self.advice = advice
        self.error = error
        self.started = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        """Seconds left (0 when the deadline has passed)."""
        return max(0.0, self.limit - self.elapsed())

    def check(self, doing: str = "") -> None:
        """Raise ``error`` (:class:`~geo.NetworkError` by default) when the deadline has passed."""
        if self.remaining() <= 0:
            raise self.error(self.message(doing))

    def message(self, doing: str = "") -> str:
        at = f" at {doing}" if doing else ""
        return (f"{self.what}: gave up{at} after {self.elapsed():.0f} s, the time limit of "
                f"{self.limit:g} s ({self.setting}); {self.advice}")


def call_with_deadline(
    func: Callable,
    *args,
    deadline: Deadline,
    doing: str = "",
    progress: Callable[[str], None] | None = None,
    every_s: float | None = None,
    **kwargs,
):
    """``func(*args, **kwargs)``, waited for at most ``deadline.remaining()`` seconds.

    While it runs, ``progress`` (if given) is called every ``every_s`` seconds (default
    ``settings.network_progress_s``) with a line such as "part 2/5: still waiting (30 s of
    300 s)". An exception of ``func`` is raised here as it is.

    Raises
    ------
    NetworkError
        The deadline passed before ``func`` returned (or had passed before it started).
    """
    deadline.check(doing)
    every = settings.network_progress_s if every_s is None else every_s
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = func(*args, **kwargs)
        except BaseException as err:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = err

    worker = threading.Thread(target=work, name=f"network: {doing or deadline.what}", daemon=True)
    worker.start()
    while True:
        worker.join(timeout=max(0.01, min(every, deadline.remaining())))
        if not worker.is_alive():
            break
        if deadline.remaining() <= 0:
            raise deadline.error(deadline.message(doing))
        if progress is not None:
            label = f"{doing}: " if doing else ""
            progress(f"  {label}still waiting ({deadline.elapsed():.0f} s of "
                     f"{deadline.limit:g} s allowed)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
