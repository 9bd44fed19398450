"""Where the data files are, and a version stamp for each, so caches follow edits.

Every loader finds its file with :func:`data_path` and keys its cache on :func:`file_stamp`
(path, modification time and size): an edited file is read again, an unchanged one is not.
"""

from __future__ import annotations

from pathlib import Path

from . import settings

Stamp = tuple[str, int, int]


def data_path(name: str, data_dir: Path | str | None = None) -> Path:
    """``name`` inside the data folder (``settings.data_dir`` by default)."""
    return Path(data_dir or settings.data_dir) / name


def file_stamp(path: Path | str) -> Stamp:
    """``(path, mtime in ns, size)`` of a data file; the path has its folder resolved.

    Only the folder is resolved, never the file itself: loaders find a file's siblings
    (``places.csv`` beside ``segments.geojson``) in the stamp's folder, and a data file that
    is a symbolic link to a file elsewhere must still be read with the other files of the
    data folder it was given in, not with whatever lies beside the link's target. The time
    and size are the target's, so an edit through the link is still seen.

    Raises
    ------
    FileNotFoundError
        The file does not exist; the message names it.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError as err:
        msg = f"{path}: data file not found"
        raise FileNotFoundError(msg) from err
    return (str(path.absolute().parent.resolve() / path.name), st.st_mtime_ns, st.st_size)


def stamp_if_present(path: Path | str) -> Stamp | None:
    """:func:`file_stamp` of ``path``, or None when there is no such file."""
    return file_stamp(path) if Path(path).exists() else None


#: Files (and the claims folder) a data folder may lack, and what their absence changes.
OPTIONAL_FILES = {
    "water.geojson": "Caspian Sea km are counted as open sea (SEA), not as CASPIAN",
    "basemap.geojson": "maps show only the countries of borders.geojson, with no world "
                       "outline around them",
    "references.yaml": "no published chainage is used: every length is measured on the drawn "
                       "line, which runs short of the track on winding lines",
    "traced.yaml": "no track length traced on OpenStreetMap: segments without published "
                   "chainage are measured on the drawn line",
    "assumptions.yaml": "time and cost estimates use the assumptions shipped with Corridor "
                        "Explorer",
    "claims": "there are no article claims to list or check",
}


def per_segment_stamps(path: Path | str, data_dir: Path | str | None = None) -> tuple | None:
    """``(stamp of path, stamp of segments.geojson, data folder)`` for a cached loader of an
    optional file of per-segment figures (chainage, traced lengths); None without the file."""
    stamp = stamp_if_present(path)
    if stamp is None:
        return None
    return stamp, file_stamp(data_path("segments.geojson", data_dir)), str(data_path("", data_dir))


def missing_optional(
    names: tuple[str, ...] | list[str] | None = None, data_dir: Path | str | None = None
) -> list[str]:
    """One line per optional file of ``names`` (default: all of :data:`OPTIONAL_FILES`) that
    the data folder lacks, saying what that changes, e.g. "no data/water.geojson: Caspian
    Sea km are counted as open sea (SEA), not as CASPIAN"."""
    chosen = OPTIONAL_FILES if names is None else names
    return [f"no {data_path(n, data_dir)}: {OPTIONAL_FILES[n]}" for n in chosen
            if not data_path(n, data_dir).exists()]
