"""Whether a drawn line can be trusted as a line: its waypoints in order, its km posts steady and
its length no longer than the track's.

The segment loader (:func:`geo.load_segments`) runs these on shipped and user data alike and
warns (:class:`~geo.DataWarning`) about every finding, naming the file, the segment and the
waypoint or the published figure; nothing here stops the data from loading.

Order
    A segment's ``waypoints`` are listed from its ``from`` end: each lies further along the
    drawn line than the one before (two records of the same point may share a position).
Kilometre posts
    A waypoint may carry ``km``, a kilometre post that a source gives for it (the waypoint's
    ``note`` names the source). Taken in their order along the line, the km posts of a segment
    rise all the way or fall all the way.
Length
    A line drawn straight between sourced points runs shorter than the track, never longer. A
    segment drawn more than ``settings.drawn_longer_pct`` percent longer than its published
    length (a ``chainage: true`` entry of ``references.yaml``, :mod:`geo.published`) is out of
    shape or ends at the wrong points, unless its ``longer_than_published`` field says why.
"""

from __future__ import annotations

import math

import pandas as pd
import shapely.ops
from shapely.geometry import LineString, Point

from . import settings
from ._validate import Problems, is_blank, nested_records
from .measure import line_length_km, point_to_geom_km

REASON_FIELD = "longer_than_published"


def check_reason(problems: Problems, rid: str, props: dict) -> None:
    """A ``longer_than_published`` reason, when given, is words."""
    reason = props.get(REASON_FIELD)
    if reason is not None and (not isinstance(reason, str) or is_blank(reason)):
        problems.add(rid, REASON_FIELD, reason,
                     "must say in words why the drawn line is longer than the published length")


def is_number(value: object) -> bool:
    """True for a finite int or float (not a bool)."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def waypoint_order(waypoints: list, line: LineString, start: str) -> list[str]:
    """What is out of order among a segment's waypoints along its drawn ``line``.

    Parameters
    ----------
    waypoints
        The segment's waypoint records (dicts with ``name``, ``lon``, ``lat`` and optionally
        ``km``); records without numeric ``lon``/``lat`` are skipped (the loader reports them).
    line
        The drawn line, first vertex at the ``from`` end.
    start
        The ``from`` place id, for messages.

    Returns
    -------
    list of str
        One message per waypoint listed after one that lies further along the line, and per
        km post that runs against the others, e.g. ``"waypoints[7] 'Kordkuy' lies 12.3 km
        along the line from 'sari', before waypoints[6] 'Bandar-e Torkaman' (20.1 km) ..."``.
    """
    placed = [(i, wp, line.project(Point(float(wp["lon"]), float(wp["lat"]))))
              for i, wp in enumerate(waypoints)
              if isinstance(wp, dict) and is_number(wp.get("lon")) and is_number(wp.get("lat"))]
    problems = []
    for (i0, wp0, at0), (i1, wp1, at1) in zip(placed, placed[1:], strict=False):
        if at1 < at0:
            problems.append(
                f"waypoints[{i1}] {wp1.get('name')!r} lies {_km_along(line, at1):.1f} km along the "
                f"line from {start!r}, before waypoints[{i0}] {wp0.get('name')!r} "
                f"({_km_along(line, at0):.1f} km): list the waypoints in order from the 'from' "
                "end, and draw the line through them in that order")
    posts = sorted(((at, i, wp) for i, wp, at in placed if is_number(wp.get("km"))),
                   key=lambda t: (t[0], t[1]))
    trend = 0
    for (_, i0, wp0), (_, i1, wp1) in zip(posts, posts[1:], strict=False):
        step = float(wp1["km"]) - float(wp0["km"])
        if step == 0:
            continue
        if trend == 0:
            trend = 1 if step > 0 else -1
        elif (step > 0) != (trend > 0):
            rising = "rise" if trend > 0 else "fall"
            problems.append(
                f"waypoints[{i1}] {wp1.get('name')!r} has km post {wp1['km']:g}, which comes "
                f"after waypoints[{i0}] {wp0.get('name')!r} (km {wp0['km']:g}) along the line "
                f"from {start!r} while the km posts before it {rising}: km posts must rise or "
                "fall all along the line")
    return problems


def _km_along(line: LineString, at: float) -> float:
    """Geodesic km along ``line`` from its start to the planar position ``at``."""
    return line_length_km(shapely.ops.substring(line, 0.0, at))


def longer_than_published(segments: pd.DataFrame, references: pd.DataFrame) -> list[str]:
    """Published lengths that the drawn lines exceed by more than ``settings.drawn_longer_pct``.

    Parameters
    ----------
    segments
        Segments indexed by id with the drawn (curated) ``geometry`` and, where stated, a
        ``longer_than_published`` reason.
    references
        Published figures as :func:`geo.load_references` gives them; the ``chainage`` entries
        whose segments are all known are checked.

    Returns
    -------
    list of str
        One message per entry drawn too long without a stated reason, naming the segments,
        both lengths and the published figure's source.
    """
    if references.empty or "chainage" not in references:
        return []
    limit = 1.0 + settings.drawn_longer_pct / 100.0
    reasons = segments[REASON_FIELD] if REASON_FIELD in segments else pd.Series(dtype=object)
    problems = []
    for rid, ref in references[references["chainage"]].iterrows():
        ids = list(ref["subject"].get("segments") or [])
        if not ids or not all(isinstance(s, str) and s in segments.index for s in ids):
            continue
        published = float(ref["value"])
        drawn = sum(line_length_km(segments.geometry.loc[s]) for s in ids)
        if drawn <= published * limit or any(not is_blank(reasons.get(s)) for s in ids):
            continue
        which = (f"segment {ids[0]!r} is" if len(ids) == 1
                 else f"segments {', '.join(map(repr, ids))} are together")
        problems.append(
            f"{which} drawn {drawn:.1f} km long, {100 * (drawn / published - 1):.0f}% longer than "
            f"the published {published:g} km ({rid!r} in references.yaml: {ref['source']}); "
            f"a line drawn between sourced points runs short of the track, so redraw it or "
            f"move its ends, or say why in {REASON_FIELD!r}")
    return problems


WAYPOINT_FIELDS = ("name", "lon", "lat", "source")


def check_waypoints(problems: Problems, rid: str, waypoints: object, line: LineString) -> None:
    """Each waypoint names its source, lies on the drawn line (within its accuracy) and has a
    numeric ``km`` post, if any."""
    for field, point in nested_records(problems, rid, "waypoints", waypoints, WAYPOINT_FIELDS,
                                       "name"):
        try:
            lon, lat = float(point["lon"]), float(point["lat"])
        except (TypeError, ValueError):
            problems.add(rid, field, (point["lon"], point["lat"]), "lon and lat must be numbers")
            continue
        if "km" in point and not is_number(point["km"]):
            problems.add(rid, f"{field}.km", point["km"],
                         "must be a number: the kilometre post a source gives for the waypoint")
        off_m = point_to_geom_km(Point(lon, lat), line) * 1000
        if off_m > settings.waypoint_tolerance_m:
            problems.add(rid, field, point["name"],
                         f"lies {off_m:.0f} m off the drawn line (allowed "
                         f"{settings.waypoint_tolerance_m:.0f} m)")
