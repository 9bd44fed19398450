"""Files of the OpenStreetMap cache folder ``<data_dir>/osm/`` and how segments read them.

Imports only light modules so that :mod:`geo.data` can call :func:`apply_snapped` without a
cycle. The folder holds:

``import-<name>.geojson``
    ways read from an OSM file by ``corridors osm import``;
``route-<id>.geojson``
    ways downloaded around a route by ``corridors osm refresh``;
``snapped.geojson``
    per segment, the geometry snapped to OSM ways, with the way ids as provenance.

Each is one GeoJSON FeatureCollection with a ``metadata`` member (date, source, tags,
osmnx version, attribution) written in the same atomic replace as the features, so data and
metadata can never disagree.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import mapping

from . import settings
from ._errors import DataValidationError
from ._io import atomic_write_text
from ._validate import Problem, Problems, check_geometry, check_line_ends, check_vocab, is_blank, read_json
from .measure import densify_geodesic
from .vocab import GAUGES_MM, STATUSES, gauge_text, parse_gauge

ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)"
SNAPPED_NAME = "snapped.geojson"
OSM_COLUMNS = ("geometry_source", "osm_way_ids", "osm_source", "curated_status", "curated_gauge")


def osm_dir(data_dir: Path | str | None = None) -> Path:
    """The OSM cache folder of a data folder: ``<data_dir>/osm``."""
    return Path(data_dir or settings.data_dir) / "osm"


def fingerprint(frm: str, to: str, geom) -> str:
    """Short hash of a curated segment's ends and geometry.

    A snapped record keeps the fingerprint of the curated segment it replaced; if the curated
    segment is edited later the snap no longer applies and is ignored (with a warning).
    """
    coords = np.round(np.asarray(geom.coords, dtype=float)[:, :2], 7)
    digest = hashlib.sha1(f"{frm}|{to}|".encode())
    digest.update(coords.tobytes())
    return digest.hexdigest()[:16]


def write_collection(path: Path, features: list[dict], metadata: dict) -> Path:
    """Write features (dicts with ``geometry`` as shapely and ``properties``) atomically."""
    doc = {
        "type": "FeatureCollection",
        "metadata": {**metadata, "attribution": ATTRIBUTION},
        "features": [
            {"type": "Feature", "geometry": mapping(f["geometry"]), "properties": f["properties"]}
            for f in features
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


def read_collection(path: Path) -> tuple[list[dict], dict]:
    """The raw features and the ``metadata`` member of a cache file.

    Raises :class:`~geo.DataValidationError` naming the file and the fix (delete it, or
    ``corridors osm reset``) when it is not UTF-8 JSON, not a FeatureCollection, or holds a
    feature that is not an object or whose ``properties`` is not an object: the
    file is a cache the user can rebuild, and every reader can then trust its shape."""
    problems = Problems(path)
    try:
        doc = read_json(problems, path)  # names the file on bad encoding, BOM or JSON
    except DataValidationError as err:
        hint = "; delete it or run `corridors osm reset`"
        raise DataValidationError([replace(p, message=p.message + hint) if isinstance(p, Problem)
                                   else p for p in err.problems]) from None
    hint = "; delete the file or run `corridors osm reset`"
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        problems.add("-", "type", type(doc).__name__, "must be a GeoJSON FeatureCollection" + hint)
        problems.raise_if_any()
    # A damaged file must be an error that names it, never a crash in whatever reads it next.
    if not isinstance(doc.get("metadata") or {}, dict):
        problems.add("-", "metadata", type(doc["metadata"]).__name__, "must be an object" + hint)
    for i, feat in enumerate(doc["features"]):
        if not isinstance(feat, dict):
            problems.add(f"#{i}", "(feature)", type(feat).__name__,
                         "must be a GeoJSON Feature (an object)" + hint)
        elif not isinstance(feat.get("properties") or {}, dict):
            problems.add(f"#{i}", "properties", type(feat["properties"]).__name__,
                         "must be an object" + hint)
    problems.raise_if_any()
    return doc["features"], dict(doc.get("metadata") or {})


def apply_snapped(frame, stamp: tuple | None, places):
    """Put snapped geometry, status and gauge into the curated segments frame (``geo.data``).

    ``frame`` is the validated curated segments frame; ``stamp`` the ``(path, mtime, size)``
    of ``osm/snapped.geojson`` or None (no snapped file, or ``settings.use_osm_geometry`` off).
    Adds the columns ``geometry_source`` ("curated" or "osm"), ``osm_way_ids`` (comma-separated
    ids, "" if curated), ``osm_source`` (file and date of the OSM data), ``curated_status`` and
    ``curated_gauge`` (the values before OSM tags replaced them).

    A record whose segment id is gone, or whose curated segment changed since it was snapped
    (fingerprint differs), is stale: it is skipped with a warning. A record that is malformed
    raises :class:`~geo.DataValidationError` naming the snapped file.
    """
    frame["geometry_source"] = "curated"
    frame["osm_way_ids"] = ""
    frame["osm_source"] = ""
    frame["curated_status"] = frame["status"]
    frame["curated_gauge"] = frame["gauge"].copy()
    if stamp is None:
        return frame
    path = Path(stamp[0])
    problems = Problems(path)
    stale: list[str] = []
    updates: list[tuple] = []
    features, _ = read_collection(path)
    for i, feat in enumerate(features):
        props = dict(feat.get("properties") or {})
        sid = props.get("id") or f"#{i}"
        if not isinstance(sid, str):
            problems.add(f"#{i}", "id", sid, "must be the id of a segment (text)")
            continue
        if sid not in frame.index:
            stale.append(f"{sid} (no such segment)")
            continue
        row = frame.loc[sid]
        if props.get("curated_fingerprint") != fingerprint(row["from"], row["to"], row.geometry):
            stale.append(f"{sid} (curated segment changed since it was snapped)")
            continue
        geom = check_geometry(problems, sid, feat.get("geometry"), ("LineString",))
        if geom is not None:
            check_line_ends(problems, sid, row.to_dict(), geom, places,
                            settings.segment_end_tolerance_m)
        status = props.get("status")
        if not is_blank(status):
            check_vocab(problems, sid, "status", status, STATUSES)
        field = "gauge" if "gauge" in props else "gauge_mm"  # gauge_mm: files before gauge sets
        try:
            gauge = gauge_text(parse_gauge(props.get(field)))
        except ValueError as err:
            problems.add(sid, field, props.get(field), str(err))
            gauge = ""
        if gauge and (row["mode"] != "rail" or not parse_gauge(gauge) <= GAUGES_MM):
            allowed = f"must be made of {sorted(GAUGES_MM)} on a rail segment"
            problems.add(sid, field, props.get(field), allowed)
        ways = props.get("osm_way_ids")
        if not isinstance(ways, list) or not ways or not all(isinstance(w, int) for w in ways):
            problems.add(sid, "osm_way_ids", ways, "must be a non-empty list of integer way ids")
        updates.append((sid, geom, status, gauge, ways, props.get("osm_source", "")))
    if problems:
        problems.add("-", "(file)", None, "fix or delete this file (`corridors osm reset`)")
    problems.raise_if_any()
    if stale:
        msg = (
            f"{path}: ignoring {len(stale)} stale snapped segment(s): {', '.join(stale)}; "
            "snap again with `corridors osm import FILE --snap` or run `corridors osm reset`"
        )
        warnings.warn(msg, UserWarning, stacklevel=2)
    geoms = dict(zip(frame.index, frame.geometry, strict=True))
    for sid, geom, status, gauge, ways, source in updates:
        geoms[sid] = densify_geodesic(geom)
        frame.loc[sid, "geometry_source"] = "osm"
        frame.loc[sid, "osm_way_ids"] = ",".join(str(w) for w in ways)
        frame.loc[sid, "osm_source"] = str(source)
        if not is_blank(status):
            frame.loc[sid, "status"] = status
        if gauge:
            frame.loc[sid, "gauge"] = gauge
    frame["geometry"] = gpd.GeoSeries(list(geoms.values()), index=frame.index, crs=frame.crs)
    return frame
