"""Traced lengths: each segment's track length on an OSM extract, between its end stations.

:func:`trace_segments` measures, for every segment of the curated network that the ways cover
end to end, the OSM track between its two end stations with the matcher of
:mod:`geo.osm.match` (one shortest path along the drawn line, inside the segment's own
countries). Each end is the OSM station node of the same name as the end place when a stations
file names one within :data:`STATION_RADIUS_KM` (``stations-*.json`` of the shared OSM folder,
or any file of the same shape), else the track node nearest the place.

The result is a figure, not a geometry: ``scripts/trace_lengths.py`` writes it to
``data/traced.yaml`` (:mod:`geo.traced`), where it becomes the segment's best-estimate length
wherever no published chainage exists.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..data import load_places, load_segments
from ..measure import distance_km, line_length_km
from ..names import place_name_forms
from .match import END_TO_END, match_line
from .snap import matching_inputs, snap_tolerance_m
from .stations import Station, stations_named

STATION_RADIUS_KM = 15.0
"""How far from its place an OSM station of the same name is looked for."""
STATION_AGREE_KM = 5.0
"""A station of the place's name further than this from the place point means the two
disagree about where the end is: the segment is not traced, and the reason names both."""
TRACE_REACH_M = 30000.0
"""How far from the drawn line the traced track may run (m): wider than snapping, because a
figure, unlike a geometry, does not have to stay near the line that is drawn."""
MAX_END_GAP_M = 5000.0
"""Without a station node, the track must start within this distance of the place (m)."""
MAX_RATIO = 1.6
"""A traced track more than this many times the drawn length is taken for a wrong path."""
STATION_TYPES = ("station", "halt", "stop")


def station_for(places: gpd.GeoDataFrame, pid: str, stations: tuple[Station, ...]) -> dict | None:
    """The OSM station of place ``pid``: of the stations named by any of the place's names
    (:func:`geo.osm.stations.stations_named`, every language form), the nearest within
    :data:`STATION_RADIUS_KM`; else None."""
    if not stations:
        return None
    lon, lat = float(places.at[pid, "lon"]), float(places.at[pid, "lat"])
    best = None
    for name in dict.fromkeys([places.at[pid, "name_en"], *place_name_forms(places, pid)]):
        for st in stations_named(stations, name):
            if st.type and st.type not in STATION_TYPES:
                continue
            km = distance_km(lon, lat, st.lon, st.lat)
            if km <= STATION_RADIUS_KM and (best is None or km < best["km"]):
                best = {"name": st.name, "id": st.id, "lon": st.lon, "lat": st.lat, "km": km}
    return best


def trace_segments(
    ways: gpd.GeoDataFrame,
    *,
    stations: tuple[Station, ...] = (),
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """The OSM track length of every segment the ``ways`` cover end to end.

    Parameters
    ----------
    ways
        An OSM way cache (:func:`geo.load_osm_cache`).
    stations
        OSM stations (:func:`geo.osm.stations.load_stations`) to take the ends at.
    data_dir
        The data folder of the segments.

    Returns
    -------
    pandas.DataFrame
        One row per segment of a mode the ways have, indexed by ``segment``: ``traced``
        (bool), ``km`` (geodesic km on the track between the ends), ``drawn_km``,
        ``from_end`` and ``to_end`` (the station or the track node taken, with the distance
        from the place), ``ways`` (count) and ``reason`` (why not traced, else "").
    """
    segments = load_segments(data_dir, osm=False)
    places = load_places(data_dir)
    by_mode, ids, areas = matching_inputs(ways, segments, list(segments.index), data_dir)
    rows = []
    for sid in ids:
        seg = segments.loc[sid]
        ends = [station_for(places, seg[k], stations) if seg["mode"] == "rail" else None
                for k in ("from", "to")]
        anchors = tuple((e["lon"], e["lat"]) if e else None for e in ends)
        drawn = line_length_km(seg.geometry)
        row = {"segment": sid, "traced": False, "km": np.nan, "drawn_km": drawn, "from_end": "",
               "to_end": "", "ways": 0, "reason": ""}
        apart = [f"OSM station {e['name']} lies {e['km']:.1f} km from place {seg[k]!r}"
                 for k, e in zip(("from", "to"), ends, strict=True)
                 if e is not None and e["km"] > STATION_AGREE_KM]
        if apart:
            row["reason"] = "; ".join(apart) + " (check the place's position)"
            rows.append(row)
            continue
        match = match_line(seg.geometry, by_mode[seg["mode"]].geometry,
                           snap_tolerance_m(seg["accuracy_m"]), area=areas[sid],
                           reach_m=TRACE_REACH_M, anchors=anchors)
        if match is None or match.method != END_TO_END:
            row["reason"] = ("no OSM track of the extract runs along the drawn line"
                             if match is None else
                             f"the OSM track does not join the two ends (it follows "
                             f"{match.coverage:.0%} of the line in pieces)")
            rows.append(row)
            continue
        km = line_length_km(match.track)
        texts = [_end_text(e, gap) for e, gap in zip(ends, match.gaps_m, strict=True)]
        too_far = [seg[k] for k, e, gap in zip(("from", "to"), ends, match.gaps_m, strict=True)
                   if e is None and gap > MAX_END_GAP_M]
        row.update(km=km, from_end=texts[0], to_end=texts[1], ways=len(match.way_ids))
        if too_far:
            row["reason"] = (f"the track is more than {MAX_END_GAP_M / 1000:g} km from "
                             f"{' and '.join(too_far)}")
        elif drawn > 0 and km > MAX_RATIO * drawn:
            row["reason"] = f"the track found is {km / drawn:.1f} times the drawn length"
        else:
            row["traced"] = True
        rows.append(row)
    return pd.DataFrame(rows).set_index("segment") if rows else pd.DataFrame(
        columns=["traced", "km", "drawn_km", "from_end", "to_end", "ways", "reason"])


def _end_text(station: dict | None, gap_m: float) -> str:
    if station is not None:
        return (f"OSM station {station['name']} (node {station['id']}, {station['km']:.1f} km "
                f"from the place; track {gap_m:.0f} m from it)")
    return f"track node nearest the place, {gap_m:.0f} m from it"
