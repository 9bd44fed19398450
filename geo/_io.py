"""File helpers: atomic writes so a failed or interrupted write never leaves a half-written file.

Every file Corridor Explorer writes (exports, snapshots, claims files, OSM caches) goes through
:func:`atomic_write`: the content is written to a hidden temporary file beside the target,
checked, and renamed over the target in one step. On any failure, and on Ctrl-C or SIGTERM
(the CLI turns SIGTERM into :class:`~geo._errors.Terminated`, a ``KeyboardInterrupt``), the
temporary file and any side files a writer made (``leftovers``) are removed and an existing
target is untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def atomic_write(
    path: str | os.PathLike,
    writer: Callable[[Path], None],
    *,
    verify: Callable[[Path], None] | None = None,
    leftovers: Callable[[Path], Iterable[Path]] | None = None,
) -> Path:
    """Write ``path`` by calling ``writer(tmp_path)`` on a sibling temporary file, then rename.

    The temporary file lives in the destination folder so the final ``os.replace`` is atomic.
    ``verify(tmp_path)``, when given, reads the written file back and raises if it is not
    what was meant; the target is then never replaced. ``leftovers(tmp_path)`` lists side
    files the writer may make (journals, work copies); they are removed in every case. If
    anything raises (including ``KeyboardInterrupt``), the temporary file is removed and an
    existing ``path`` is untouched.

    Raises
    ------
    OSError
        The folder cannot hold the file (missing, not writable, full); ``filename`` is ``path``
        (not the temporary name), so messages name the file the user asked for.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        msg = f"{path}: folder {folder} does not exist"
        raise FileNotFoundError(msg)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise type(err)(err.errno, err.strerror, str(path)) from err
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        writer(tmp_path)
        if verify is not None:
            verify(tmp_path)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, path)
    except OSError as err:
        tmp_path.unlink(missing_ok=True)
        if err.filename is not None and str(err.filename) == str(tmp_path):
            raise type(err)(err.errno, err.strerror, str(path)) from err
        raise
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    finally:
        for extra in leftovers(tmp_path) if leftovers else ():
            extra.unlink(missing_ok=True)
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(
    path: str | os.PathLike, text: str, *, verify: Callable[[Path], None] | None = None
) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (``verify`` as in :func:`atomic_write`)."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), verify=verify)
