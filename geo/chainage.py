"""Published lengths tied to segments (chainage): route metrics use them as the best estimate.

A ``section`` of ``data/references.yaml`` over ``segments`` marked ``chainage: true`` (see
:mod:`geo.published`) is the published length of those segments. This module ties each such
figure to its segments; :mod:`geo.overlay` then measures every path with it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._validate import Problems
from .data import load_segments
from .files import per_segment_stamps
from .measure import line_length_km
from .published import load_references, references_path


def chainage_by_segment(data_dir: Path | str | None = None) -> dict[str, dict]:
    """The published length of each segment that has one, from the ``chainage: true`` entries.

    Returns ``{segment id: {"km", "ref_id", "source", "date", "measures", "segments",
    "entry_km"}}``: ``km`` is the segment's part of the published figure (all of it for a
    one-segment entry; for several segments, shared in proportion to their drawn lengths),
    ``entry_km`` the published figure itself and ``segments`` the ids it covers.

    Raises
    ------
    DataValidationError
        A chainage entry names an unknown segment, its segments do not join end to end, or a
        segment has two chainage entries.
    """
    stamps = per_segment_stamps(references_path(data_dir), data_dir)
    return _chainage(*stamps) if stamps else {}


@lru_cache(maxsize=8)
def _chainage(refs_stamp: tuple, seg_stamp: tuple, folder: str) -> dict[str, dict]:
    refs = load_references(folder)
    segments = load_segments(folder, osm=False)
    problems = Problems(refs_stamp[0])
    out: dict[str, dict] = {}
    for rid, ref in refs[refs["chainage"]].iterrows():
        ids = list(ref["subject"]["segments"])
        unknown = [s for s in ids if s not in segments.index]
        if unknown:
            problems.add(rid, "subject.segments", unknown, "unknown segment id(s)")
            continue
        if not _joined(segments, ids):
            problems.add(rid, "subject.segments", ids, "the segments do not join end to end")
            continue
        drawn = {s: line_length_km(segments.geometry.loc[s]) for s in ids}
        total = sum(drawn.values())
        for sid in ids:
            if sid in out:
                problems.add(rid, "subject.segments", sid,
                             f"segment already has the chainage of {out[sid]['ref_id']!r}")
                continue
            share = drawn[sid] / total if total > 0 else 1.0 / len(ids)
            out[sid] = {"km": float(ref["value"]) * share, "ref_id": rid,
                        "source": ref["source"], "date": ref["date"], "measures": ref["measures"],
                        "segments": ids, "entry_km": float(ref["value"])}
    problems.raise_if_any()
    return out


def _joined(segments: pd.DataFrame, ids: list[str]) -> bool:
    """Whether consecutive segments share an end place (in either direction)."""
    for a, b in zip(ids, ids[1:], strict=False):
        ends_a = {segments.at[a, "from"], segments.at[a, "to"]}
        ends_b = {segments.at[b, "from"], segments.at[b, "to"]}
        if not ends_a & ends_b:
            return False
    return True
