"""Snap curated segments to the OSM ways that follow them; write and reset the result."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from .. import settings
from ..data import load_routes, load_segments, route_path
from ..measure import length_km, line_length_km
from ..snapped import ATTRIBUTION, SNAPPED_NAME, fingerprint, osm_dir, read_collection, write_collection
from ..vocab import GAUGES_MM, parse_gauge
from .cache import now
from .match import snap_line
from .read import KINDS, SKIP_SERVICE

STATUS_ORDER = ("operational", "disrupted", "under_construction", "planned", "proposed", "closed")
"""From strongest to weakest: how far a segment is from carrying traffic today."""
PROJECT_STATUSES = frozenset({"under_construction", "planned", "proposed"})
"""Curated statuses about a project; a disused or abandoned OSM track does not override them."""
FULL_COVERAGE = 0.9
GAUGE_COVERAGE = 0.5
TOLERANCE_RANGE_M = (1000.0, 10000.0)


def snap_tolerance_m(accuracy_m: float | None) -> float:
    """Matching distance for a segment: its ``accuracy_m`` kept within 1-10 km, else the setting.

    The curated line claims to be within ``accuracy_m`` of the real alignment, so an OSM line
    further away than that is a different line. At least 1 km because a curve between two
    waypoints leaves their chord; at most 10 km because further away is another valley.
    """
    if accuracy_m is None or pd.isna(accuracy_m):
        return float(settings.osm_snap_tolerance_m)
    low, high = TOLERANCE_RANGE_M
    return float(min(max(float(accuracy_m), low), high))


def _int_or_none(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _weakest(statuses) -> str:
    return max(statuses, key=STATUS_ORDER.index)


def _snap_status(curated: str, way_status: dict[int, str], coverage: float) -> str:
    osm = _weakest(way_status.values())
    if curated in PROJECT_STATUSES and osm in ("disrupted", "closed"):
        return curated
    return osm if coverage >= FULL_COVERAGE else _weakest([curated, osm])


def _snap_gauge(curated, way_gauge: dict[int, int | None], lengths: dict[int, float], coverage):
    by_gauge: dict[int, float] = {}
    for w, g in way_gauge.items():
        if g is not None:
            by_gauge[g] = by_gauge.get(g, 0.0) + lengths[w]
    total = sum(lengths.values())
    ranked = sorted(by_gauge.items(), key=lambda x: -x[1])
    note = ", ".join(f"{g} mm {m / total:.0%}" for g, m in ranked)
    if not by_gauge or coverage < GAUGE_COVERAGE:
        return curated, note
    top, metres = max(by_gauge.items(), key=lambda x: x[1])
    if top not in GAUGES_MM or metres / total < 0.5:
        return curated, note
    return top, note


def snap_segments(
    ways: gpd.GeoDataFrame,
    *,
    route: str | None = None,
    data_dir: Path | str | None = None,
) -> gpd.GeoDataFrame:
    """Snap the curated segments (of one ``route``, or all) to the OSM ``ways`` that follow them.

    Each rail segment is matched to railway ways and each road segment to highway ways, within
    :func:`snap_tolerance_m` (see :mod:`geo.osm.match` for the test of "follows"). Service
    tracks (yards, sidings, spurs) are ignored.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per segment tried, indexed by segment ``id``: ``mode``, ``matched``,
        ``tolerance_m``, ``coverage`` (share of the segment's length that OSM follows),
        ``osm_way_ids`` (list), ``ways``, ``curated_km``, ``osm_km`` (geodesic, after
        snapping), ``change_km``, ``status_curated``, ``status``, ``gauge_curated``,
        ``gauge_mm``, ``gauges`` (OSM gauges by share of matched length) and the snapped
        ``geometry`` (None where unmatched). ``.attrs["curated_fingerprint"]`` maps ids to the
        fingerprints :func:`save_snapped` stores.
    """
    segments = load_segments(data_dir, osm=False)
    ids = (list(segments.index) if route is None
           else [sid for sid, _ in route_path(route, data_dir)])
    usable = ways[~ways["service"].isin(SKIP_SERVICE)] if len(ways) else ways
    by_mode = {k: usable[usable["kind"] == k] for k in KINDS} if len(usable) else {}
    rows, geoms, prints = [], [], {}
    for sid in ids:
        seg = segments.loc[sid]
        if seg["mode"] not in KINDS:
            continue
        candidates = by_mode.get(seg["mode"])
        if candidates is None or not len(candidates):
            continue
        tol = snap_tolerance_m(seg["accuracy_m"])
        match = snap_line(seg.geometry, candidates.geometry, tol)
        curated_km = line_length_km(seg.geometry)
        curated_gauges = parse_gauge(seg["gauge"])
        gauge_cur = next(iter(curated_gauges)) if len(curated_gauges) == 1 else None
        row = {
            "id": sid, "mode": seg["mode"], "matched": match is not None, "tolerance_m": tol,
            "coverage": 0.0, "osm_way_ids": [], "ways": 0, "curated_km": curated_km,
            "osm_km": curated_km, "change_km": 0.0, "status_curated": seg["status"],
            "status": seg["status"], "gauge_curated": gauge_cur, "gauge_mm": gauge_cur,
            "gauges": "",
        }
        if match is not None:
            used = candidates.loc[match.way_ids]
            way_status = dict(zip(used.index, used["status"], strict=True))
            status = _snap_status(seg["status"], way_status, match.coverage)
            gauge, note = gauge_cur, ""
            if seg["mode"] == "rail":
                way_gauge = {w: _int_or_none(g) for w, g in used["gauge_mm"].items()}
                gauge, note = _snap_gauge(gauge_cur, way_gauge, match.way_lengths_m, match.coverage)
            osm_km = line_length_km(match.geometry)
            row.update(
                coverage=match.coverage, osm_way_ids=list(match.way_ids), ways=len(match.way_ids),
                osm_km=osm_km, change_km=osm_km - curated_km, status=status, gauge_mm=gauge,
                gauges=note,
            )
        rows.append(row)
        geoms.append(match.geometry if match is not None else None)
        prints[sid] = fingerprint(seg["from"], seg["to"], seg.geometry)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs)
    frame = frame.set_index("id") if len(frame) else frame
    for col in ("gauge_curated", "gauge_mm"):
        if col in frame:
            frame[col] = pd.array([_int_or_none(g) for g in frame[col]], dtype="Int64")
    frame.attrs["curated_fingerprint"] = prints
    frame.attrs["osm_source"] = ways.attrs.get("osm_cache") or ways.attrs.get("osm_source", "")
    frame.attrs["osm_date"] = (ways.attrs.get("osm_metadata") or {}).get("date", "")
    return frame


def save_snapped(snapped: gpd.GeoDataFrame, *, data_dir: Path | str | None = None) -> Path:
    """Add the matched rows of :func:`snap_segments` to ``<data_dir>/osm/snapped.geojson``.

    Records of other segments already in the file are kept (snaps from several OSM files add
    up); a segment snapped again is replaced. Written atomically. Returns the path.
    """
    path = osm_dir(data_dir) / SNAPPED_NAME
    records: dict[str, dict] = {}
    if path.exists():
        for feat in read_collection(path)[0]:
            props = dict(feat.get("properties") or {})
            records[props.get("id")] = {"geometry": shape(feat["geometry"]), "properties": props}
    source = Path(snapped.attrs.get("osm_source") or "osm").name
    date = snapped.attrs.get("osm_date", "")
    stamp = now()
    for sid, row in snapped[snapped["matched"]].iterrows() if len(snapped) else []:
        props = {
            "id": sid,
            "osm_way_ids": [int(w) for w in row["osm_way_ids"]],
            "osm_source": f"{source} ({date})" if date else source,
            "status": row["status"],
            "gauge_mm": _int_or_none(row["gauge_mm"]),
            "gauges": row["gauges"],
            "coverage": round(float(row["coverage"]), 4),
            "tolerance_m": float(row["tolerance_m"]),
            "curated_km": round(float(row["curated_km"]), 3),
            "osm_km": round(float(row["osm_km"]), 3),
            "curated_fingerprint": snapped.attrs["curated_fingerprint"][sid],
            "snapped_at": stamp,
        }
        records[sid] = {"geometry": row.geometry, "properties": props}
    metadata = {"source": "snapped", "date": stamp, "segments": len(records)}
    return write_collection(path, list(records.values()), metadata)




def reset_snapped(*, data_dir: Path | str | None = None) -> bool:
    """Remove ``osm/snapped.geojson`` so every segment uses its curated geometry again.

    Downloaded and imported ways stay cached. Returns True if a file was removed.
    """
    path = osm_dir(data_dir) / SNAPPED_NAME
    if path.exists():
        path.unlink()
        return True
    return False




def route_length_change(
    data_dir: Path | str | None = None, *, routes: list[str] | None = None
) -> pd.DataFrame:
    """Each route's geodesic length on the curated and on the OSM-snapped geometry.

    Returns a DataFrame indexed by route ``id`` with ``segments``, ``snapped`` (how many of
    them follow OSM), ``curated_km``, ``osm_km``, ``change_km``, ``change_pct`` and
    ``osm_way_ids`` (list of the ways now in the route).
    """
    table = load_routes(data_dir)
    before = length_km(load_segments(data_dir, osm=False))
    snapped = load_segments(data_dir, osm=True)
    after = length_km(snapped)
    rows = []
    for rid in routes or list(table.index):
        sids = list(table.at[rid, "segments"])
        ways = [int(w) for s in sids for w in snapped.at[s, "osm_way_ids"].split(",") if w]
        km0, km1 = float(before[sids].sum()), float(after[sids].sum())
        rows.append({
            "id": rid, "segments": len(sids),
            "snapped": int((snapped.loc[sids, "geometry_source"] == "osm").sum()),
            "curated_km": km0, "osm_km": km1, "change_km": km1 - km0,
            "change_pct": 100.0 * (km1 - km0) / km0 if km0 else 0.0,
            "osm_way_ids": ways,
        })
    columns = ["id", "segments", "snapped", "curated_km", "osm_km", "change_km", "change_pct",
               "osm_way_ids"]
    return pd.DataFrame(rows, columns=columns).set_index("id")




def geometry_note(segments: pd.DataFrame) -> str:
    """One sentence for maps and exports: how many segments follow OSM, with the attribution.

    Empty when every segment uses its curated geometry (or the column is absent).
    """
    if "geometry_source" not in segments or not (segments["geometry_source"] == "osm").any():
        return ""
    n = int((segments["geometry_source"] == "osm").sum())
    return (
        f"{n} of {len(segments)} segments follow OpenStreetMap alignments "
        f"({ATTRIBUTION}); the others use the curated geometry."
    )

