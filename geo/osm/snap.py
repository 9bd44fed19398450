"""Snap curated segments to the OSM ways that follow them; write and reset the result."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from .. import settings
from .._validate import Problems, check_geometry, check_line_ends
from ..data import load_places, load_routes, load_segments, load_territories, route_path
from ..measure import length_km, line_length_km
from ..snapped import ATTRIBUTION, SNAPPED_NAME, fingerprint, osm_dir, read_collection, write_collection
from ..vocab import GAUGES_MM, parse_gauge
from .cache import now
from .match import match_line
from .read import KINDS, SKIP_SERVICE

STATUS_ORDER = ("operational", "disrupted", "under_construction", "planned", "proposed", "closed")
"""From strongest to weakest: how far a segment is from carrying traffic today."""
PROJECT_STATUSES = frozenset({"under_construction", "planned", "proposed"})
"""Curated statuses about a project; a disused or abandoned OSM track does not override them."""
FULL_COVERAGE = 0.9
GAUGE_COVERAGE = 0.5
TOLERANCE_RANGE_M = (1000.0, 10000.0)
MAX_GROWTH = 0.35
"""A match more than this share longer than the drawn line is implausible and not used: the
drawn line runs through sourced stations, so track 35 % longer has left the corridor's line."""
BORDER_SLACK_M = 4500.0
"""How far (m) into a country the segment does not cross a matched OSM node may lie. The
Natural Earth 1:10m borders are generalised: along the Aras, the Nakhchivan railway's OSM
nodes between Ordubad and Julfa fall up to 3.97 km inside Iran on them (measured on the shared
extract), and the Horadiz–Aghband track up to about 2 km."""
AREA_PAD_KM = 40.0
"""The area of a segment is kept this far around its drawn line's bounding box: beyond the
widest reach of a match (``geo.osm.trace.TRACE_REACH_M``, 30 km)."""
UNIT_MIN_KM = 0.5
"""A country counts as crossed by a segment where its drawn line runs at least this far in it."""


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


def segment_areas(
    segments: gpd.GeoDataFrame, territories: gpd.GeoDataFrame
) -> dict[str, object]:
    """Per segment, the lon/lat area its matches must stay in: its own countries plus a margin.

    A segment's countries are the territory units (``AZE-NX`` apart from ``AZE``) its drawn
    line runs through for at least :data:`UNIT_MIN_KM`, and those of its end places. The union
    is widened by :data:`BORDER_SLACK_M` (in degrees at the latitude, generously). A segment
    that touches no territory (at sea) gets None: no limit.
    """
    tree = territories.sindex
    out: dict[str, object] = {}
    for sid, geom in zip(segments.index, segments.geometry, strict=True):
        units = []
        for i in tree.query(geom, predicate="intersects"):
            poly = territories.geometry.iloc[i]
            inside = shapely.intersection(geom, poly)
            ends = [shapely.Point(geom.coords[0]), shapely.Point(geom.coords[-1])]
            if line_length_km(inside) >= UNIT_MIN_KM or any(poly.covers(p) for p in ends):
                units.append(poly)
        if not units:
            out[sid] = None
            continue
        coslat = max(math.cos(math.radians(geom.centroid.y)), 0.2)
        slack_deg = BORDER_SLACK_M / (111_320.0 * coslat)  # the longitude degree, the shorter
        # only the part a match can reach (the widest reach is 30 km) is buffered
        w, s, e, n = geom.bounds
        pad = AREA_PAD_KM / (111.32 * coslat) + slack_deg
        near = [shapely.clip_by_rect(u, w - pad, s - pad, e + pad, n + pad) for u in units]
        out[sid] = shapely.union_all(near).buffer(slack_deg, quad_segs=2)
    return out


def matching_inputs(
    ways: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, ids: list[str], data_dir
) -> tuple[dict, list[str], dict]:
    """What matching segments to ``ways`` needs: the usable ways by mode (service tracks left
    out), the ``ids`` whose mode has ways, and their areas (:func:`segment_areas`)."""
    usable = ways[~ways["service"].isin(SKIP_SERVICE)] if len(ways) else ways
    by_mode = {k: usable[usable["kind"] == k] for k in KINDS} if len(usable) else {}
    tried = [sid for sid in ids if len(by_mode.get(segments.at[sid, "mode"], ()))]
    return by_mode, tried, segment_areas(segments.loc[tried], load_territories(data_dir))


def implausible(sid: str, seg, geom, drawn_km: float, places) -> str:
    """Why a matched line may not replace the drawn one ("" if it may).

    The checks of the segments loader (valid, does not cross itself, starts and ends at its
    places), so nothing written can make the data unreadable, and the length test of
    :data:`MAX_GROWTH`.
    """
    problems = Problems("snapped")
    raw = shapely.geometry.mapping(geom)
    line = check_geometry(problems, sid, raw, ("LineString",))
    if line is not None:
        check_line_ends(problems, sid, {"from": seg["from"], "to": seg["to"]}, line, places,
                        settings.segment_end_tolerance_m)
    if problems:
        return "; ".join(p.message for p in problems.items)
    km = line_length_km(geom)
    if drawn_km > 0 and km > drawn_km * (1 + MAX_GROWTH):
        return (f"the matched track is {km:.1f} km, {km / drawn_km - 1:.0%} longer than the "
                f"drawn {drawn_km:.1f} km (at most {MAX_GROWTH:.0%}): it leaves the line's "
                "course")
    return ""


def snap_segments(
    ways: gpd.GeoDataFrame,
    *,
    route: str | None = None,
    data_dir: Path | str | None = None,
) -> gpd.GeoDataFrame:
    """Snap the curated segments (of one ``route``, or all) to the OSM ``ways`` that follow them.

    Each rail segment is matched to railway ways and each road segment to highway ways, within
    :func:`snap_tolerance_m` and inside the segment's own countries (:func:`segment_areas`);
    see :mod:`geo.osm.match` for the end-to-end match and the fallback in pieces. Service
    tracks (yards, sidings, spurs) are ignored. A match that :func:`implausible` rejects is not
    used: the row keeps the drawn line and says why in ``reason``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per segment tried, indexed by segment ``id``: ``mode``, ``matched``,
        ``method`` ("end to end", "in pieces" or ""), ``reason`` (why not matched, else ""),
        ``tolerance_m``, ``coverage`` (share of the segment's length that OSM follows),
        ``osm_way_ids`` (list), ``ways``, ``curated_km``, ``osm_km`` (geodesic, after
        snapping), ``change_km``, ``track_km`` (geodesic km on the OSM track alone),
        ``gap_from_m`` and ``gap_to_m`` (end to end: straight metres from each end place to
        the track), ``status_curated``, ``status``, ``gauge_curated``, ``gauge_mm``, ``gauges``
        (OSM gauges by share of matched length) and the snapped ``geometry`` (None where
        unmatched). ``.attrs["curated_fingerprint"]`` maps ids to the fingerprints
        :func:`save_snapped` stores.
    """
    segments = load_segments(data_dir, osm=False)
    places = load_places(data_dir)
    ids = (list(segments.index) if route is None
           else [sid for sid, _ in route_path(route, data_dir)])
    by_mode, tried, areas = matching_inputs(ways, segments, ids, data_dir)
    rows, geoms, prints = [], [], {}
    for sid in tried:
        seg = segments.loc[sid]
        candidates = by_mode[seg["mode"]]
        tol = snap_tolerance_m(seg["accuracy_m"])
        match = match_line(seg.geometry, candidates.geometry, tol, area=areas[sid])
        curated_km = line_length_km(seg.geometry)
        curated_gauges = parse_gauge(seg["gauge"])
        gauge_cur = next(iter(curated_gauges)) if len(curated_gauges) == 1 else None
        reason = "" if match is not None else (
            f"no OSM {seg['mode']} track within {tol / 1000:g} km of the drawn line (in its own "
            "countries) runs along it")
        if match is not None:
            reason = implausible(sid, seg, match.geometry, curated_km, places)
            if reason:
                match = None
        row = {
            "id": sid, "mode": seg["mode"], "matched": match is not None, "method": "",
            "reason": reason, "tolerance_m": tol, "coverage": 0.0, "osm_way_ids": [], "ways": 0,
            "curated_km": curated_km, "osm_km": curated_km, "change_km": 0.0, "track_km": 0.0,
            "gap_from_m": float("nan"), "gap_to_m": float("nan"),
            "status_curated": seg["status"], "status": seg["status"], "gauge_curated": gauge_cur,
            "gauge_mm": gauge_cur, "gauges": "",
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
            track_km = (line_length_km(match.track) if match.track is not None
                        else sum(match.way_lengths_m.values()) / 1000.0)
            gaps = match.gaps_m or (float("nan"), float("nan"))
            row.update(
                method=match.method, coverage=match.coverage, osm_way_ids=list(match.way_ids),
                ways=len(match.way_ids), osm_km=osm_km, change_km=osm_km - curated_km,
                track_km=track_km, gap_from_m=gaps[0], gap_to_m=gaps[1], status=status,
                gauge_mm=gauge, gauges=note,
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
    up) when their geometry still passes the loader's checks; one that does not (written by an
    earlier version) is dropped with a warning naming it, so the file written always loads. A
    segment snapped again is replaced. Written atomically. Returns the path.
    """
    path = osm_dir(data_dir) / SNAPPED_NAME
    records: dict[str, dict] = {}
    if path.exists():
        problems = Problems(path)
        for i, feat in enumerate(read_collection(path)[0]):
            props = dict(feat.get("properties") or {}) if isinstance(feat, dict) else {}
            sid = props.get("id") or f"#{i}"
            raw = feat.get("geometry") if isinstance(feat, dict) else None
            geom = check_geometry(problems, sid, raw, ("LineString",))
            if geom is not None and isinstance(props.get("id"), str):
                records[sid] = {"geometry": geom, "properties": props}
        if problems:
            dropped = "; ".join(f"{p.record}: {p.message}" for p in problems.items)
            warnings.warn(f"{path}: dropped snapped record(s) that would not load: {dropped}",
                          UserWarning, stacklevel=2)
    source = Path(snapped.attrs.get("osm_source") or "osm").name
    date = snapped.attrs.get("osm_date", "")
    stamp = now()
    for sid, row in snapped[snapped["matched"]].iterrows() if len(snapped) else []:
        props = {
            "id": sid,
            "osm_way_ids": [int(w) for w in row["osm_way_ids"]],
            "osm_source": f"{source} ({date})" if date else source,
            "method": row["method"],
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

