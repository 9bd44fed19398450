"""Atomic writes for exports, with OS errors turned into :class:`~geo.ExportError`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .._errors import ExportError
from .._io import atomic_write


def write_atomic(
    path: str | Path,
    writer: Callable[[Path], None],
    *,
    leftovers: Callable[[Path], Iterable[Path]] | None = None,
) -> Path:
    """Write ``path`` through :func:`geo._io.atomic_write`; a failure leaves no partial file.

    ``writer(tmp)`` writes a sibling temporary file which then replaces ``path`` in one step,
    so a good existing file is never replaced by a half-written one. ``leftovers(tmp)`` names
    side files the writer may leave (removed on success, failure and interruption alike).
    """
    try:
        return atomic_write(path, writer, leftovers=leftovers)
    except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError) as err:
        reason = err.strerror or str(err)
        msg = reason if reason.startswith(str(path)) else f"{path}: cannot write the file: {reason}"
        raise ExportError(msg) from err
    except OSError as err:
        msg = f"{path}: writing failed: {err.strerror or err}"
        raise ExportError(msg) from err
