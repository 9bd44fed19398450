"""Traced lengths (``data/traced.yaml``): each segment's track length measured on OpenStreetMap.

A traced figure is the geodesic length of the OSM track between a segment's two end stations,
found by :func:`geo.osm.trace_segments` with the project's own import and routing (see
``scripts/trace_lengths.py``, which writes this file). It is the second of the three bases of
a segment's best-estimate length: published chainage first (:mod:`geo.published`), then the
traced track, then the drawn line.

Each record:

``segment``
    The segment id.
``km``
    Track length between the two end nodes (km, geodesic on WGS84).
``from_end`` / ``to_end``
    Where the track was taken to start and end: the OSM station node matched by name, or the
    track node nearest the place, with the distance from the place.
``ways``
    How many OSM ways the traced track runs over.
``osm_file``
    The extract it was traced on (file name and SHA-256 prefix).
``source``, ``as_of``
    "traced on OpenStreetMap track, © OpenStreetMap contributors, ODbL, ways of DATE", and the
    date of the OSM ways.
``accuracy``
    What the figure can be trusted for, in words.

A data folder without ``traced.yaml`` has no traced figures.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from ._io import atomic_write_text
from ._validate import Problems, check_date, check_required, check_unique, is_blank, yaml_records
from .data import load_segments
from .files import data_path, per_segment_stamps

TRACED_NAME = "traced.yaml"
FIELDS = ("segment", "km", "from_end", "to_end", "ways", "osm_file", "source", "as_of", "accuracy")
REQUIRED = ("segment", "km", "source", "as_of")
HEADER = """\
# Traced lengths: each segment's track length measured on OpenStreetMap between its two end
# stations (geo.traced; written by scripts/trace_lengths.py, which regenerates them from any OSM
# extract). Facts derived from OpenStreetMap data, (c) OpenStreetMap contributors, ODbL 1.0
# (https://www.openstreetmap.org/copyright).
"""


def traced_path(data_dir: Path | str | None = None) -> Path:
    """``<data_dir>/traced.yaml``."""
    return data_path(TRACED_NAME, data_dir)


def traced_by_segment(data_dir: Path | str | None = None) -> dict[str, dict]:
    """The traced figure of each segment that has one: ``{segment id: record}``.

    Raises
    ------
    DataValidationError
        A record lacks a field, names an unknown segment, repeats one, or has a length that is
        not a positive number; every problem is named with the file and record.
    """
    stamps = per_segment_stamps(traced_path(data_dir), data_dir)
    return _load(*stamps) if stamps else {}


@lru_cache(maxsize=8)
def _load(stamp: tuple, _seg_stamp: tuple, folder: str) -> dict[str, dict]:
    path = Path(stamp[0])
    problems = Problems(path)
    known = set(load_segments(folder, osm=False).index)
    out: dict[str, dict] = {}
    ids = []
    for label, raw in yaml_records(problems, path, "traced"):
        rid = raw.get("segment") if isinstance(raw.get("segment"), str) else label
        check_required(problems, rid, raw, REQUIRED)
        ids.append(rid)
        km = raw.get("km")
        if not is_blank(km) and not (isinstance(km, int | float) and not isinstance(km, bool)
                                     and math.isfinite(km) and km > 0):
            problems.add(rid, "km", km, "must be a positive number of km")
            continue
        if not is_blank(raw.get("as_of")):
            check_date(problems, rid, "as_of", str(raw.get("as_of")))
        if is_blank(raw.get("segment")) or is_blank(km):
            continue
        if rid not in known:
            problems.add(rid, "segment", rid, "is not a segment of segments.geojson")
            continue
        out[rid] = {f: raw.get(f) for f in FIELDS} | {"km": float(km)}
    check_unique(problems, ids)
    problems.raise_if_any()
    return out


def write_traced(
    rows: pd.DataFrame, *, data_dir: Path | str | None = None, replace_all: bool = False
) -> Path:
    """Merge traced figures into ``traced.yaml`` (atomically): a segment traced again is replaced.

    ``rows`` has one row per segment with the columns of :data:`FIELDS`. Records of segments not
    in ``rows`` are kept unless ``replace_all``. Returns the path.
    """
    path = traced_path(data_dir)
    current = {} if replace_all else dict(traced_by_segment(data_dir))
    for rec in rows.to_dict("records"):
        current[rec["segment"]] = {f: _plain(rec.get(f)) for f in FIELDS}
    ordered = [{f: _plain(current[k].get(f)) for f in FIELDS} for k in sorted(current)]
    text = HEADER + yaml.safe_dump({"traced": ordered}, sort_keys=False, allow_unicode=True,
                                   width=100)
    return atomic_write_text(path, text)


def _plain(value):
    """YAML-safe scalars: numpy numbers to Python ones, km rounded to 0.1."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return round(value, 1)
    return value
