"""Collect every problem in a data file, then raise once (so a user fixes a file in one pass).

:class:`Problems` is the one collector: loaders of data files, of claims files and of
references and assumptions add to it and call :meth:`Problems.raise_if_any`. The readers
and geometry checks here are shared by every loader of GeoJSON and YAML.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

import pyproj
import shapely
import yaml
from shapely.geometry import shape

from ._errors import DataValidationError, DataWarning, ProblemListError
from ._read import LIMITS, JSONRefused, UnreadableFile, load_json, load_yaml, read_bytes
from ._shown import shown_value
from .dates import latest_day
from .measure import distance_km

#: What a date of the right form that names no day is told (2025-02-30, year 0).
NOT_A_DAY = "is not a day of the calendar (years 0001 to 9999; no February 30)"
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
        shown = shown_value(self.value)
        if self.record in ("-", "(file)"):  # the whole file: no record to name
            if self.value is None:
                return f"{self.file}: {self.message}"
            return f"{self.file}: field {self.field.strip('()')!r} = {shown}: {self.message}"
        where = {"(article)": "article"}.get(self.record, f"{self.noun} {self.record!r}")
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
# Readers: every data file is read through these, so encoding, byte order marks, empty files
# and files of the wrong kind get one clear message naming the file (OS errors such as a
# missing file or a folder in its place propagate and are named by geo.errors).

#: Byte order marks of encodings other than UTF-8 (UTF-32 first: its LE mark starts like UTF-16's).
OTHER_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
              (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def read_text(problems: Problems, path: Path | str, *, allow_empty: bool = False,
              kind: str | None = None) -> str:
    """The UTF-8 text of a data file; a UTF-8 byte order mark (as Excel writes) is dropped.

    The file is read by :func:`geo._read.read_bytes`: a FIFO, a device or a file over the size
    limit of its ``kind`` (by default its suffix's) is refused before it can hang or exhaust
    memory. That, text in another encoding (with the byte offset of the first undecodable
    byte), a UTF-16 or UTF-32 byte order mark, NUL bytes and (unless ``allow_empty``) an empty
    file are recorded in ``problems`` and raised at once: nothing else in the file can be
    checked.
    """
    try:
        data = read_bytes(path, kind)
    except UnreadableFile as err:
        problems.add("-", "(file)", None, str(err))
        problems.raise_if_any()
    for bom, name in OTHER_BOMS:
        if data.startswith(bom):
            problems.add("-", "(encoding)", None, f"is {name} text (it starts with a {name} byte "
                         "order mark); save it as UTF-8")
            problems.raise_if_any()
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as err:
        err.start += skip  # offsets in the file as it is on disk
        problems.add("-", "(encoding)", None, encoding_message(data, err))
        problems.raise_if_any()
    if "\x00" in text:
        at = data.index(b"\x00")
        line = data.count(b"\n", 0, at) + 1
        problems.add("-", "(file)", None, f"contains a NUL byte at byte offset {at} (line {line}): "
                     "it is damaged or not a text file")
    if not allow_empty and not text.strip():
        problems.add("-", "(file)", None, "is empty")
    problems.raise_if_any()
    return text


def encoding_message(data: bytes, err: UnicodeDecodeError) -> str:
    """"is not UTF-8 text: byte 0xE9 at byte offset 120 (line 3, column 17) ..." for ``err``."""
    at = err.start
    line = data.count(b"\n", 0, at) + 1
    column = at - (data.rfind(b"\n", 0, at) + 1) + 1
    return (f"is not UTF-8 text: byte 0x{data[at]:02X} at byte offset {at} (line {line}, byte "
            f"{column} of the line) cannot be read; save the file as UTF-8 (it may be Latin-1 "
            "or Windows-1252)")


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for messages: "a list", "text", "a number"."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def read_yaml(problems: Problems, path: Path | str, *, kind: str | None = None) -> object:
    """The parsed YAML document at ``path`` (``{}`` when empty); a syntax error (with its line)
    or a bad encoding is recorded in ``problems`` and raised at once.

    Parsed by :func:`geo._read.load_yaml`: aliases, duplicate keys, too many values and too
    deep nesting are refused the same way, and dates stay text for :func:`check_date`.
    """
    return parse_yaml(problems, read_text(problems, path, allow_empty=True, kind=kind))


def parse_yaml(problems: Problems, text: str, *, kind: str | None = None) -> object:
    """The parsed YAML document ``text`` (``{}`` when empty), for text that is not read from a
    file (a scenario edited in the app): :func:`geo._read.load_yaml`'s checks, and with
    ``kind`` its size limit, apply; a problem is recorded and raised at once."""
    limit = LIMITS.get(kind or "")
    if limit is not None and len(text) > limit:
        problems.add("-", "(file)", None, f"is {len(text):,} characters, more than a {kind} may "
                     f"have ({limit:,})")
        problems.raise_if_any()
    try:
        return load_yaml(text) or {}
    except yaml.YAMLError as err:
        problems.add("-", "(file)", None, yaml_error_text(err))
        problems.raise_if_any()
        raise  # unreachable: raise_if_any raised


def yaml_records(problems: Problems, path: Path | str, key: str) -> list[tuple[str, dict]]:
    """The records of a YAML file holding a list under ``key``, as ``(label, record)``: the
    label is the record's ``id`` or its position (``#0``, ``#1`` ...). A file without that list
    raises at once; an item that is not a mapping is recorded in ``problems`` and left out."""
    doc = read_yaml(problems, path)
    items = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(items, list):
        problems.add("-", key, type(items).__name__, f"must be a list of {key}")
        problems.raise_if_any()
    records = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.add(f"#{i}", "(record)", item, "must be a mapping")
            continue
        records.append((str(item.get("id") or f"#{i}"), item))
    return records


def yaml_error_text(err: yaml.YAMLError) -> str:
    """"not valid YAML (line 3, column 9): while parsing ...; expected ..." on one line."""
    mark = getattr(err, "problem_mark", None)
    at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    parts = [getattr(err, "context", None), getattr(err, "problem", None)]
    what = "; ".join(str(p) for p in parts if p) or " ".join(str(err).split())
    return f"not valid YAML{at}: {what}"


def read_json(problems: Problems, path: Path | str, *, kind: str | None = None) -> object:
    """The parsed JSON document at ``path``; bad JSON (with its line), and JSON refused by
    :func:`geo._read.load_json` (too deep, an integer of too many digits), is recorded and
    raised."""
    text = read_text(problems, path, kind=kind)
    try:
        return load_json(text)
    except json.JSONDecodeError as err:
        problems.add("-", "(file)", None, f"not valid JSON: {err}")
        problems.raise_if_any()
        raise  # unreachable: raise_if_any raised
    except JSONRefused as err:
        problems.add("-", "(file)", None, f"not valid JSON: {err}")
        problems.raise_if_any()
        raise  # unreachable: raise_if_any raised


def read_geojson_features(path: Path, problems: Problems, *, allow_empty: bool = True) -> list[dict]:
    """The features of a GeoJSON FeatureCollection in WGS84 lon/lat, each with ``properties``
    (a dict) and ``geometry``.

    A document of another JSON type, a member ``crs`` naming another reference system,
    coordinates that are clearly projected metres, features that are not objects and (unless
    ``allow_empty``) a collection without features are recorded (every one) and raised at once.
    """
    doc = read_json(problems, path)
    if not isinstance(doc, dict):
        problems.add("-", "(file)", None, "must be a GeoJSON FeatureCollection (a JSON object "
                     f"with \"type\": \"FeatureCollection\"), not {json_type(doc)}")
        problems.raise_if_any()
    features = doc.get("features")
    if doc.get("type") != "FeatureCollection" or not isinstance(features, list):
        problems.add("-", "type", doc.get("type"), "must be a GeoJSON FeatureCollection "
                     "with a list of \"features\"")
        problems.raise_if_any()
    if not features and not allow_empty:
        problems.add("-", "features", [], "has no features; the file must list at least one")
    for i, feat in enumerate(features):
        if not isinstance(feat, dict):
            problems.add(f"#{i}", "(feature)", json_type(feat), "must be a GeoJSON Feature (an "
                         "object with \"geometry\" and \"properties\")")
        elif not isinstance(feat.get("properties") or {}, dict):
            problems.add(f"#{i}", "properties", json_type(feat["properties"]),
                         "must be an object of field names and values")
    problems.raise_if_any()
    crs_problem = foreign_crs(doc.get("crs")) or projected_coordinates(features)
    if crs_problem:
        problems.add("-", "(crs)", None, crs_problem)
        problems.raise_if_any()
    return [{**feat, "properties": dict(feat.get("properties") or {})} for feat in features]


WGS84_HINT = ("Corridor Explorer reads WGS84 longitude/latitude (EPSG:4326) only: convert the "
              "file, e.g. with `ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`")


def foreign_crs(crs: object) -> str | None:
    """A message when a GeoJSON ``crs`` member names a system other than WGS84 lon/lat."""
    if crs is None:
        return None
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    if not isinstance(name, str):
        return f"has a \"crs\" member that names no reference system ({crs!r}); {WGS84_HINT}"
    try:
        found = pyproj.CRS.from_user_input(name)
    except pyproj.exceptions.CRSError:
        return f"is in an unknown coordinate reference system {name!r}; {WGS84_HINT}"
    if found.equals("EPSG:4326", ignore_axis_order=True) or found.equals("OGC:CRS84"):
        return None
    return f"is in {found.name} ({name}), not WGS84 longitude/latitude; {WGS84_HINT}"


def projected_coordinates(features: list) -> str | None:
    """A message when most features' first coordinates are far outside lon/lat degrees
    (values in metres, as in EPSG:3857), instead of one "out of range" line per record."""
    firsts = [first_coordinate((f.get("geometry") or {}).get("coordinates")) for f in features]
    firsts = [c for c in firsts if c is not None]
    far = [c for c in firsts if abs(c[0]) > 1000 or abs(c[1]) > 1000]
    if not far or len(far) * 2 < len(firsts):
        return None
    x, y = far[0]
    return (f"coordinates such as ({x:g}, {y:g}) are not longitude/latitude degrees: "
            f"{len(far)} of {len(firsts)} features look projected (metres, as in EPSG:3857); "
            f"{WGS84_HINT}")


def first_coordinate(coords: object) -> tuple[float, float] | None:
    """The first (x, y) pair of nested GeoJSON coordinates, or None when there is none."""
    while isinstance(coords, list) and coords and isinstance(coords[0], list):
        coords = coords[0]
    if isinstance(coords, list) and len(coords) >= 2:
        x, y = coords[0], coords[1]
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
            return float(x), float(y)
    return None


def read_csv_rows(
    problems: Problems, path: Path | str, *, required: list[str], known: list[str]
) -> list[dict]:
    """The records of a CSV file with a header line, as dicts of text ("" where a cell is
    missing).

    An empty file, a file with a header but no records, missing or repeated columns and bad
    CSV are recorded and raised at once. Columns not in ``known`` and rows with more cells
    than the header are warned about (:class:`~geo.DataWarning`): they are not used.
    """
    text = read_text(problems, path)
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells):
                lines.append((reader.line_num, cells))
    except csv.Error as err:
        problems.add("-", "(file)", None, f"not valid CSV at line {reader.line_num}: {err}")
        problems.raise_if_any()
    header = [h.strip() for h in lines[0][1]]
    missing = [f for f in required if f not in header]
    if missing:
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            hint = "; the columns must be separated by commas"
        problems.add("-", "(header)", missing, f"columns missing{hint}")
    for name in sorted({h for h in header if header.count(h) > 1}):
        problems.add("-", "(header)", name, "column appears more than once")
    if len(lines) == 1:
        problems.add("-", "(file)", None, "has a header line but no records")
    problems.raise_if_any()
    unknown = [h for h in header if h not in known]
    if unknown:
        warn_data(f"{path}: column(s) {', '.join(map(repr, unknown))} are not fields of this "
                  f"file and are not used (known: {', '.join(known)})")
    rows = []
    for line_no, cells in lines[1:]:
        if len(cells) > len(header):
            warn_data(f"{path}: line {line_no} has {len(cells)} cells but the header names "
                      f"{len(header)}; the extra cell(s) {cells[len(header):]!r} are not used")
        rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)})
    return rows


def warn_data(message: str) -> None:
    """Warn (:class:`~geo.DataWarning`) about something in a data file that is not used."""
    warnings.warn(DataWarning(message), stacklevel=3)


def warn_unknown_fields(path: object, records: list[dict], known: list[str] | tuple) -> None:
    """Warn once per file about record fields not in ``known`` (they are kept but not used)."""
    unknown = sorted({str(k) for r in records if isinstance(r, dict) for k in r} - set(known))
    if unknown:
        warn_data(f"{path}: field(s) {', '.join(map(repr, unknown))} are not fields of this "
                  f"file and are not used (known: {', '.join(known)})")


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
    if not isinstance(value, Hashable) or value not in allowed:
        problems.add(record, field, value, f"must be one of {sorted(allowed)}")


def check_unique(problems: Problems, ids: list) -> None:
    """Duplicate ids, and ids that are not text or numbers (a list, a mapping), are problems."""
    seen: set = set()
    for i, value in enumerate(ids):
        if value is not None and not isinstance(value, str | int | float):
            problems.add(f"#{i}", "id", value, "must be text")
            continue
        if value in seen:
            problems.add(value, "id", value, "duplicate id")
        seen.add(value)


def nested_records(problems: Problems, record: object, name: str, value: object,
                   fields: tuple[str, ...], label: str) -> list[tuple[str, dict]]:
    """The items of a list field of one record (a segment's ``waypoints``, its ``lifecycle``)
    that are mappings with every one of ``fields``, as ``(field, item)`` with ``field`` like
    ``lifecycle[2]``. None is no items; anything else that is wrong is a problem (the item's
    ``label`` key names it) and the item is left out."""
    if value is None:
        return []
    shape = "{" + ", ".join(fields) + "}"
    if not isinstance(value, list):
        problems.add(record, name, value, f"must be a list of {shape}")
        return []
    items = []
    for i, item in enumerate(value):
        field = f"{name}[{i}]"
        if not isinstance(item, dict):
            problems.add(record, field, item, f"must be a mapping {shape}")
            continue
        missing = [k for k in fields if is_blank(item.get(k))]
        if missing:
            problems.add(record, field, item.get(label), f"{', '.join(missing)} missing")
            continue
        items.append((field, item))
    return items


def check_list(problems: Problems, record: object, field: str, value: object, what: str) -> list:
    """``value`` when it is a list (None counts as empty); else a problem and ``[]``.

    Text where a list is expected (``segments: a-b`` instead of ``segments: [a-b]``) gets one
    message, not one per character.
    """
    if value is None:
        return []
    if isinstance(value, list):
        return value
    found = "text" if isinstance(value, str) else type(value).__name__
    problems.add(record, field, value, f"must be a list of {what}, not {found} "
                 "(in YAML: one '- item' per line, or [a, b])")
    return []


def check_hashable(problems: Problems, record: object, field: str, value: object) -> bool:
    """True when ``value`` can be an id (text or a number); else a problem."""
    if value is None or isinstance(value, str | int | float):
        return True
    problems.add(record, field, value, "must be an id (text), not a list or mapping")
    return False


def check_date(problems: Problems, record: object, field: str, value: object) -> None:
    """Dates are ISO strings of a year, a month or a day: 2025, 2025-08 or 2025-08-08, and
    days that exist (YAML dates reach here as text, so 2025-02-30 and year 0 are judged
    here rather than crashing the YAML parser)."""
    text = str(value) if value is not None else ""
    if not _DATE.fullmatch(text):
        problems.add(record, field, value, "must be a date YYYY, YYYY-MM or YYYY-MM-DD")
    elif not real_date(text):
        problems.add(record, field, value, NOT_A_DAY)


def check_accuracy(problems: Problems, record: object, value: object) -> None:
    """``accuracy_m`` (how far the drawn point or line may be from the real one, in metres):
    blank, or a finite number of metres, at least 0 (NaN, "inf" and -50 say nothing true)."""
    if is_blank(value):
        return
    try:
        metres = float(value)
    except (TypeError, ValueError):
        problems.add(record, "accuracy_m", value, "must be a number of metres")
        return
    if not math.isfinite(metres) or metres < 0:
        problems.add(record, "accuracy_m", value, "must be a finite number of metres, 0 or more")


def real_date(text: str) -> bool:
    """Whether a date of the form YYYY, YYYY-MM or YYYY-MM-DD names a real day, month or year."""
    try:
        latest_day(text)
    except ValueError:
        return False
    return True


def check_geometry(problems: Problems, record: object, raw: dict | None, kinds: tuple[str, ...]):
    """The shapely geometry of a GeoJSON ``geometry`` member, or None after recording why not.

    Checks that it is present, readable, of one of ``kinds``, not empty, within lon -180..180
    and lat -90..90, and valid.
    """
    if not raw:
        problems.add(record, "geometry", raw, "is missing")
        return None
    if not isinstance(raw, dict):
        problems.add(record, "geometry", raw, f"must be a GeoJSON geometry object "
                     f"{{\"type\": ..., \"coordinates\": ...}}, not {json_type(raw)}")
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
    if geom.geom_type == "LineString" and not geom.is_simple:
        where = self_crossing(geom)
        at = f" at ({where[0]:.5f}, {where[1]:.5f})" if where else ""
        problems.add(record, "geometry", geom.geom_type,
                     f"crosses itself{at}; a line must not cross or touch itself")
        return None
    return geom


def self_crossing(line) -> tuple[float, float] | None:
    """A point where a LineString crosses or touches itself (lon, lat), or None.

    Noding the line cuts it where it meets itself; such a point ends three or more pieces.
    """
    pieces = shapely.get_parts(shapely.node(line))
    ends: dict = {}
    for piece in pieces:
        for xy in (piece.coords[0], piece.coords[-1]):
            ends[xy] = ends.get(xy, 0) + 1
    crossing = [xy for xy, n in ends.items() if n >= 3]
    return crossing[0] if crossing else None


def check_line_ends(
    problems: Problems, record: object, props: dict, line, places, tolerance_m: float
) -> None:
    """A segment line must start at its ``from`` place and end at its ``to`` place."""
    ends = {"from": line.coords[0], "to": line.coords[-1]}
    for field, (x, y) in ends.items():
        pid = props.get(field)
        if not isinstance(pid, str) or pid not in places.index:
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
