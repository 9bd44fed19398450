"""The per-segment overlay: each segment cut where it crosses a territory outline or the Caspian.

Each segment is cut once where it crosses a territory outline (1:10m, Nakhchivan as its own
unit ``AZE-NX``) or the Caspian shore; the parts are measured geodesically and cached per data
version, so a path's km by country is a sum of cached parts.

Water: any part of a segment outside every territory counts as ``CASPIAN`` inside the Caspian
polygon of ``water.geojson`` and as ``SEA`` elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from shapely.geometry.base import BaseGeometry

from .chainage import chainage_by_segment
from .data import load_places, load_segments, load_territories, load_water
from .files import data_path, file_stamp, stamp_if_present
from .measure import geod, line_length_km, point_to_geom_km
from .traced import traced_by_segment
from .vocab import CASPIAN, LAND_MODES, SEA, WATER, parse_gauge


@dataclass(frozen=True)
class Run:
    """A stretch of one segment (in its drawn direction) inside one unit or water body."""

    unit: str
    km0: float
    km1: float
    start: tuple[float, float]
    end: tuple[float, float]


@dataclass(frozen=True, eq=False)
class Network:
    """Everything path metrics need, computed once per data version (hashed by identity)."""

    folder: str
    segments: gpd.GeoDataFrame
    runs: dict
    places: gpd.GeoDataFrame
    place_unit: dict
    unit_iso3: dict
    seg: dict  # segment id -> plain dict of its attributes (pandas lookups are slow in loops)
    place: dict  # place id -> plain dict: lon, lat, kind, name_en, country
    when: str = ""  # the date of the statuses ("" as recorded), see geo.dated.network_at
    projected: bool = False  # statuses on a future date, or under a scenario
    scenario: str = ""  # the scenario's name, if any


def _stamps(data_dir) -> tuple:
    return (
        file_stamp(data_path("segments.geojson", data_dir)),
        file_stamp(data_path("places.csv", data_dir)),
        file_stamp(data_path("borders.geojson", data_dir)),
        stamp_if_present(data_path("water.geojson", data_dir)),
        stamp_if_present(data_path("references.yaml", data_dir)),
        stamp_if_present(data_path("traced.yaml", data_dir)),
        stamp_if_present(data_path("osm/snapped.geojson", data_dir)),
    )


def clear_cache() -> None:
    """Forget the cached overlays (benchmarks measure the cold overlay with this)."""
    _network.cache_clear()


def network(data_dir: Path | str | None = None) -> Network:
    """The cached per-segment overlay of the data folder, shared by metrics and routing."""
    return _network(*_stamps(data_dir))


@lru_cache(maxsize=4)
def _network(seg_stamp, places_stamp, borders_stamp, water_stamp, *_more_stamps) -> Network:
    folder = Path(seg_stamp[0]).parent
    caspian = None
    if water_stamp is not None:
        water = load_water(folder)
        if CASPIAN in water.index:
            caspian = water.geometry.loc[CASPIAN]
    return build_network(load_segments(folder), load_places(folder), load_territories(folder),
                         caspian, chainage=chainage_by_segment(folder),
                         traced=traced_by_segment(folder), folder=str(folder))


def build_network(
    segments: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    territories: gpd.GeoDataFrame,
    caspian: BaseGeometry | None = None,
    *,
    chainage: dict[str, dict] | None = None,
    traced: dict[str, dict] | None = None,
    folder: str = "",
) -> Network:
    """The overlay of any segments frame: each segment cut at territory outlines and the shore.

    Parameters
    ----------
    segments
        Lines indexed by id with ``from``, ``to`` (place ids), ``name``, ``mode``, ``status``,
        ``gauge`` (text, see :func:`geo.vocab.parse_gauge`) and ``as_of``, as
        :func:`geo.load_segments` gives them (or built from another source, such as imported
        OpenStreetMap ways).
    places
        Points indexed by id with ``lon``, ``lat``, ``kind``, ``name_en`` and ``country``;
        every ``from``/``to`` of ``segments`` must be one of them.
    territories
        As :func:`geo.load_territories`.
    caspian
        The Caspian Sea polygon, or None (water outside every territory is then ``SEA``).
    chainage
        Published lengths by segment id (:func:`geo.chainage.chainage_by_segment`): these
        segments' best-estimate length is the published one.
    traced
        Track lengths traced on OpenStreetMap by segment id (:func:`geo.traced.traced_by_segment`):
        the best estimate of segments without chainage. The others' is the drawn line's.
    folder
        The data folder the network comes from, for messages.
    """
    segments = segments.copy()
    unit_iso3 = {str(u): str(c) for u, c in territories["iso3"].items()}
    source = (segments["geometry_source"] if "geometry_source" in segments
              else pd.Series("", index=segments.index))
    on_osm = source == "osm"
    runs = {sid: _segment_runs(geom, territories, caspian) for sid, geom in segments.geometry.items()}
    land = segments["mode"].isin(LAND_MODES) if "mode" in segments else on_osm
    runs = {sid: fold_excursions(r, water=bool(land[sid])) if on_osm[sid] else r
            for sid, r in runs.items()}
    accuracy = (pd.to_numeric(segments["accuracy_m"], errors="coerce") if "accuracy_m" in segments
                else pd.Series(np.nan, index=segments.index))
    runs = {sid: r if on_osm[sid] or not land[sid] or not accuracy[sid] > 0 else
            fold_shallow(r, segments.geometry[sid], territories, float(accuracy[sid]) / 1000)
            for sid, r in runs.items()}
    lengths = segments.geometry.map(line_length_km)
    by_unit = pd.Series({sid: sum_by_unit(r) for sid, r in runs.items()}, dtype=object)
    by_country = by_unit.map(lambda d: units_to_countries(d, unit_iso3))
    chainage, traced = chainage or {}, traced or {}
    segments["length_km"] = lengths.astype(float)
    line_basis = {"osm": "osm", "access line": "access"}
    segments["basis"] = ["chainage" if sid in chainage else "traced" if sid in traced
                         else line_basis.get(src, "measured") for sid, src in source.items()]
    figures = {"chainage": chainage, "traced": traced}
    segments["best_km"] = [figures[b][sid]["km"] if b in figures else km for sid, km, b
                           in zip(segments.index, segments["length_km"], segments["basis"],
                                  strict=True)]
    segments["km_by_unit"] = by_unit.reindex(segments.index)
    segments["km_by_country"] = by_country.reindex(segments.index)
    segments["countries"] = [
        tuple(dict.fromkeys(unit_iso3[r.unit] for r in runs[sid] if r.unit not in WATER))
        for sid in segments.index
    ]
    place_unit = {pid: unit_of_place(row, territories) for pid, row in places.iterrows()}
    seg = {
        sid: {"from": r["from"], "to": r["to"], "name": r["name"], "mode": r["mode"],
              "status": r["status"], "measured_km": float(r["length_km"]),
              "length_km": float(r["best_km"]), "basis": r["basis"],
              "chainage": chainage.get(sid), "traced": traced.get(sid), "gauges": parse_gauge(r.get("gauge")),
              "as_of": str(r.get("as_of") or ""), "km_by_country": r["km_by_country"]}
        for sid, r in segments.drop(columns="geometry").to_dict("index").items()
    }
    place = {
        pid: {"lon": float(r["lon"]), "lat": float(r["lat"]), "kind": r["kind"],
              "name_en": r["name_en"], "country": r["country"]}
        for pid, r in places.drop(columns="geometry").to_dict("index").items()
    }
    return Network(folder, segments, runs, places, place_unit, unit_iso3, seg, place)


def fold_excursions(runs: tuple[Run, ...], *, water: bool = False) -> tuple[Run, ...]:
    """Runs with every out-and-back excursion into another land unit folded into the unit it
    leaves and returns to (A, X, A becomes A); with ``water``, excursions onto water too (a
    railway or road along the Caspian shore is on land, whatever the generalised coast says).

    For lines that follow OpenStreetMap track: real track along a border river (the Aras) dips
    in and out of the neighbour on the generalised Natural Earth outlines, which would count
    phantom border crossings. A match never uses track more than
    ``geo.osm.snap.BORDER_SLACK_M`` inside a country its segment does not cross, so such an
    excursion is the outline's error, not the railway's route.
    """
    return _fold(runs, lambda a, x: water or x.unit not in WATER)


def _fold(runs: tuple[Run, ...], folds) -> tuple[Run, ...]:
    """Runs with each out-and-back excursion A, X, A from a land unit A that ``folds(a, x)``
    accepts merged into one run of A, repeatedly (nested excursions fold from the inside)."""
    out = list(runs)
    i = 1
    while i < len(out) - 1:
        a, x, b = out[i - 1], out[i], out[i + 1]
        if a.unit == b.unit != x.unit and a.unit not in WATER and folds(a, x):
            out[i - 1:i + 2] = [Run(a.unit, a.km0, b.km1, a.start, b.end)]
            i = max(i - 1, 1)
        else:
            i += 1
    return tuple(out)


def fold_shallow(runs: tuple[Run, ...], line, territories: gpd.GeoDataFrame,
                 accuracy_km: float) -> tuple[Run, ...]:
    """Runs of a drawn land line with each out-and-back excursion into another country, or
    onto water, that never goes deeper than the line's stated accuracy folded into the country
    it leaves.

    A line drawn straight between sourced points (``accuracy_m`` says how far the track may
    lie from it) can cut a corner of a neighbour the track keeps out of, or a bay of the
    generalised coast; an excursion less deep than that error is no evidence of a crossing. A
    deeper one is kept.
    """
    return _fold(runs, lambda a, x: a.unit in territories.index and _depth_km(
        line, x, territories.geometry[a.unit]) <= accuracy_km)


def _depth_km(line, run: Run, home) -> float:
    """How far (km) the part of ``line`` between a run's ends goes from ``home``, sampled."""
    start = line.project(shapely.Point(run.start))
    end = line.project(shapely.Point(run.end))
    points = [line.interpolate(start + (end - start) * k / 20) for k in range(21)]
    return max(point_to_geom_km(p, home) for p in points)


def _segment_runs(line, territories: gpd.GeoDataFrame, caspian) -> tuple[Run, ...]:
    """Cut ``line`` at every territory outline and the Caspian shore; classify each part."""
    cand = territories.sindex.query(line, predicate="intersects")
    units = [str(territories.index[i]) for i in cand]
    geoms = [territories.geometry.iloc[i] for i in cand]
    outlines = list(geoms)
    if caspian is not None and caspian.intersects(line):
        outlines.append(caspian)
    box = shapely.box(*line.bounds).buffer(0.01)
    cuts = [shapely.intersection(line, shapely.clip_by_rect(g.boundary, *box.bounds)) for g in outlines]
    coords = [shapely.get_coordinates(c) for c in cuts if not c.is_empty]
    dists = {0.0, line.length}
    if coords:
        pts = shapely.points(np.vstack(coords))
        dists.update(shapely.line_locate_point(line, pts).tolist())
    cuts_at = np.array(sorted(dists))
    cuts_at = cuts_at[np.concatenate([[True], np.diff(cuts_at) > 1e-12])]
    cuts_at[-1] = max(cuts_at[-1], line.length)
    lo, hi = cuts_at[:-1], cuts_at[1:]
    mids = shapely.line_interpolate_point(line, (lo + hi) / 2)
    xs, ys = shapely.get_x(mids), shapely.get_y(mids)
    labels = np.full(len(mids), SEA, dtype=object)
    todo = np.ones(len(mids), dtype=bool)
    for unit, geom in zip(units, geoms, strict=True):
        hit = todo & shapely.intersects_xy(geom, xs, ys)
        labels[hit] = unit
        todo &= ~hit
    if caspian is not None and todo.any():
        labels[todo & shapely.intersects_xy(caspian, xs, ys)] = CASPIAN
    g = geod()
    pieces = [shapely.ops.substring(line, a, b) for a, b in zip(lo, hi, strict=True)]
    kms = np.array([g.geometry_length(p) / 1000.0 for p in pieces])
    total = line_length_km(line)
    if kms.sum() > 0:
        kms *= total / kms.sum()  # chords vs geodesic differ by micrometres; keep the sum exact
    runs: list[Run] = []
    at = 0.0
    for label, km, piece in zip(labels, kms.tolist(), pieces, strict=True):
        start, end = tuple(piece.coords[0]), tuple(piece.coords[-1])
        if runs and runs[-1].unit == label:
            prev = runs[-1]
            runs[-1] = Run(label, prev.km0, at + km, prev.start, end)
        else:
            runs.append(Run(str(label), at, at + km, start, end))
        at += km
    return tuple(runs)


def sum_by_unit(runs) -> dict:
    """km per unit of a sequence of runs (anything with ``unit``, ``km0`` and ``km1``)."""
    out: dict = {}
    for r in runs:
        out[r.unit] = out.get(r.unit, 0.0) + (r.km1 - r.km0)
    return out


def units_to_countries(km_by_unit: dict, unit_iso3: dict) -> dict:
    """km per unit summed per country (``AZE-NX`` counts as ``AZE``; water stays as it is)."""
    out: dict = {}
    for unit, km in km_by_unit.items():
        key = unit_iso3.get(unit, unit)
        out[key] = out.get(key, 0.0) + km
    return out


def unit_of_place(row, territories: gpd.GeoDataFrame) -> str | None:
    """The territory unit of a place: the unit of its declared country containing (or nearest) it."""
    mine = territories[territories["iso3"] == row["country"]]
    if mine.empty:
        return None
    if len(mine) == 1:
        return str(mine.index[0])
    gaps = shapely.distance(np.asarray(mine.geometry.values), row.geometry)  # degrees: only ranks
    return str(mine.index[int(np.argmin(gaps))])


def segment_metrics(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """The segments (as :func:`geo.load_segments`) with measures of the ground they cover.

    Added columns: ``length_km`` (geodesic, measured on the drawn line), ``best_km`` (the
    published chainage where the segment has one, else the track traced on OpenStreetMap, else
    ``length_km``), ``basis`` (a key of :data:`geo.vocab.LENGTH_BASES`: where ``best_km``
    comes from), ``km_by_unit`` (dict: territory unit, including ``"AZE-NX"``, or
    ``"SEA"``/``"CASPIAN"`` -> km), ``km_by_country`` (dict: ISO3 or water -> km) and
    ``countries`` (tuple of ISO3 codes in drawn order). Computed once per data version.
    """
    frame = network(data_dir).segments.copy()
    for col in ("km_by_unit", "km_by_country"):
        frame[col] = frame[col].map(dict)
    return frame
