"""Atomic writes for exports, with OS errors turned into :class:`~geo.ExportError`."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from .._errors import ExportError
from .._io import atomic_write

#: The longest reason quoted from a library's error: GDAL puts whole SQL statements (several kB
#: for a layer of long lines) into the text of a failed GeoPackage write.
MAX_REASON_CHARS = 200


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
        msg = f"{path}: writing failed: {short_reason(err.strerror or err)}"
        raise ExportError(msg) from err
    except RuntimeError as err:
        if not type(err).__module__.startswith("pyogrio"):
            raise
        # GDAL says "Failed to commit transaction" or quotes the SQL it ran, never "disk
        # full": give the free space, the likeliest cause, beside a short reason.
        msg = (f"{path}: writing the GeoPackage failed ({short_reason(err)}); nothing was "
               f"written{_free_space(path)}")
        raise ExportError(msg) from err


def short_reason(err: object) -> str:
    """The text of an error as one line of at most :data:`MAX_REASON_CHARS` characters."""
    text = " ".join(str(err).split())
    return text if len(text) <= MAX_REASON_CHARS else text[:MAX_REASON_CHARS - 4] + " ..."


def _free_space(path: Path) -> str:
    folder = Path(path).parent if str(Path(path).parent) else Path(".")
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    return f"; {free / 1e6:,.1f} MB free on that disk: is it full?"
