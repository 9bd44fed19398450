"""File helpers: atomic writes so a failed or interrupted write never leaves a half-written file.

Every file Corridor Explorer writes (exports, snapshots, claims files, OSM caches) goes through
:func:`atomic_write`: the content is written to a hidden temporary file beside the target,
checked, and renamed over the target in one step. On any failure, and on Ctrl-C or SIGTERM
(the CLI turns SIGTERM into :class:`~geo._errors.Terminated`, a ``KeyboardInterrupt``), the
temporary file and any side files a writer made (``leftovers``) are removed and an existing
target is untouched.

A save that must not replace an existing file (``exclusive=True``) publishes the finished
temporary file with a hard link, which the OS refuses if the target exists: of two sessions
(threads or processes) racing to create one file, exactly one succeeds. A write killed with
SIGKILL cannot clean up after itself; :func:`remove_stale_temp_files`, called when the CLI and
the app start, removes what such a write left.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path


def atomic_write(
    path: str | os.PathLike,
    writer: Callable[[Path], None],
    *,
    verify: Callable[[Path], None] | None = None,
    leftovers: Callable[[Path], Iterable[Path]] | None = None,
    exclusive: bool = False,
) -> Path:
    """Write ``path`` by calling ``writer(tmp_path)`` on a sibling temporary file, then rename.

    The temporary file lives in the destination folder so the final ``os.replace`` is atomic.
    ``verify(tmp_path)``, when given, reads the written file back and raises if it is not
    what was meant; the target is then never replaced. ``leftovers(tmp_path)`` lists side
    files the writer may make (journals, work copies); they are removed in every case. If
    anything raises (including ``KeyboardInterrupt``), the temporary file is removed and an
    existing ``path`` is untouched.

    With ``exclusive=True`` the file is only created, never replaced: checking that ``path``
    does not exist and then renaming leaves a gap in which another session can create it,
    and one of the two saves is silently lost. The finished file is instead published with
    ``os.link``, which fails if ``path`` exists, so exactly one of any number of racing
    writers succeeds and the others get :class:`FileExistsError`.

    Raises
    ------
    FileExistsError
        ``exclusive`` is true and ``path`` exists (perhaps created meanwhile by another
        session); it is unchanged.
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
        if exclusive:
            _publish_new(tmp_path, path)
        else:
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


def _publish_new(tmp_path: Path, path: Path) -> None:
    """Give the finished ``tmp_path`` the name ``path`` only if no file has that name.

    A hard link is atomic and exclusive; where the file system has no hard links, the content
    is copied into a file created with ``O_CREAT | O_EXCL`` (still exclusive; a reader may
    then see it being filled, which is why the link comes first)."""
    try:
        os.link(tmp_path, path)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
    except OSError as err:
        if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        _copy_new(tmp_path, path)
    tmp_path.unlink(missing_ok=True)


def _copy_new(tmp_path: Path, path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, tmp_path.stat().st_mode & 0o777)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
    try:
        with os.fdopen(fd, "wb") as dst, tmp_path.open("rb") as src:
            shutil.copyfileobj(src, dst)
    except BaseException:
        path.unlink(missing_ok=True)  # ours: O_EXCL created it
        raise


#: The name :func:`atomic_write` gives its temporary files: ``.{target name}.{8 random}.tmp``
#: (``tempfile.mkstemp``); a writer's side files add a suffix (``.tmp.gpkg-journal``).
TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp(\.gpkg(-journal|-wal|-shm)?)?")

#: How old (seconds since last modified) a temporary file must be before it is taken for the
#: leftover of a killed write. A live write touches its file as it goes; ten minutes without a
#: change is far beyond any write Corridor Explorer makes.
STALE_TEMP_AGE_S = 600.0


def remove_stale_temp_files(
    folder: str | os.PathLike, *, older_than_s: float = STALE_TEMP_AGE_S
) -> list[Path]:
    """Remove the temporary files of writes that were killed (SIGKILL, power loss) in ``folder``.

    Such a write cannot remove its own ``.{name}.XXXXXXXX.tmp`` file, and hidden files pile up
    beside the data. Only regular files whose whole name matches :data:`TEMP_NAME` and that
    were last modified more than ``older_than_s`` seconds ago are removed, so a write still
    running in another session is never disturbed; nothing else in the folder is touched, and
    a folder that is missing or cannot be read is skipped (this is housekeeping, not a check).

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    folder = Path(folder)
    removed: list[Path] = []
    cutoff = time.time() - older_than_s
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not TEMP_NAME.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not entry.is_file(follow_symlinks=False) or st.st_mtime > cutoff:
                continue
            os.unlink(entry.path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove
        removed.append(Path(entry.path))
    return removed


def remove_data_temp_files(data_dir: str | os.PathLike) -> list[Path]:
    """:func:`remove_stale_temp_files` in a data folder and the folders written inside it
    (``claims/``, ``osm/``); called when the CLI and the app start."""
    data_dir = Path(data_dir)
    return [p for where in (data_dir, data_dir / "claims", data_dir / "osm")
            for p in remove_stale_temp_files(where)]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(
    path: str | os.PathLike,
    text: str,
    *,
    verify: Callable[[Path], None] | None = None,
    exclusive: bool = False,
) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (``verify`` and ``exclusive`` as in
    :func:`atomic_write`)."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), verify=verify,
                        exclusive=exclusive)
