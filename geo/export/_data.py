"""Data exports of the chosen routes and claims: CSV, GeoJSON (RFC 7946) and GeoPackage.

* CSV: one dataset as a table, by default the route metrics (``length_km`` and one
  ``km_<ISO3>`` column per country crossed).
* GeoJSON: one dataset as an RFC 7946 FeatureCollection: WGS84 lon/lat, no ``crs`` member,
  polygon exteriors counter-clockwise and holes clockwise (right-hand rule), coordinates
  rounded to :data:`PRECISION` decimals (about 0.1 m).
* GeoPackage: every dataset of the selection, one layer each.

Datasets (all in EPSG:4326): ``routes`` (chosen routes with their metrics), ``sections`` (the
routes' named sections, such as the Syunik/Meghri section, each with its own length and basis,
km by country and status, in words and as numbers), ``segments`` (their segments, with the
drawn length, the best estimate and its basis), ``timeline`` (every dated status change of
those segments, with its source, on the segment's line), ``places`` (the segments' ends),
``claims`` (one article's checked claims) and ``borders`` (countries clipped to the box,
Nakhchivan as unit ``AZE-NX``). With ``as_of`` (and a ``scenario``) statuses and metrics are
those of that date, and ``status_date``/``status_projected`` say so. Every frame holds plain
values only (lists are joined with ``"; "``), so a file reads back as the same frame.
All writes are atomic: a failed export leaves no partial file and never replaces a good one.
CSV text is neutralised (:func:`geo.textsafe.csv_cell`): no control characters, bidirectional
controls isolated, no cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import io
import json
import math
import tempfile
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import settings
from .._errors import NothingToExport
from ..data import load_places, load_routes, load_segments, load_territories
from ..dated import network_at, scenario_of
from ..dates import is_stale
from ..lifecycle import parse_when, timeline
from ..textsafe import csv_frame
from ..vocab import LENGTH_BASES
from . import _options
from ._select import (
    check_claims,
    check_routes,
    default_bbox,
    route_metrics_table,
    route_sections,
    routes_frame,
    section_table,
)
from ._write import write_atomic

PRECISION = 6
DATASETS = ("routes", "sections", "segments", "timeline", "places", "claims", "borders")
LIST_SEPARATOR = "; "


def export_frames(
    *,
    routes: Iterable[str] | None = None,
    claims: str | gpd.GeoDataFrame | None = None,
    bbox: str | tuple[float, float, float, float] | None = None,
    datasets: Iterable[str] | None = None,
    as_of: str | None = None,
    scenario=None,
    data_dir: Path | str | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """The datasets of a selection as plain GeoDataFrames, ready to write, keyed by name.

    Parameters
    ----------
    routes
        Route ids; None: every route when no claims are chosen, else none.
    claims
        An article id or a GeoDataFrame of checked claims (see :func:`geo.render_map`).
    bbox
        ``(west, south, east, north)`` or ``"W,S,E,N"``; clips ``borders``. Default: around
        the routes and claims.
    datasets
        Which of ``{"routes", "sections", "segments", "timeline", "places", "claims",
        "borders"}``; default: every one that has rows.
    as_of, scenario
        Statuses (and the route metrics that follow from them) on this date, under this
        scenario (a :class:`~geo.lifecycle.Scenario` or its YAML file), as in
        :func:`geo.render_map`; default: as recorded.
    data_dir
        Data folder (default ``geo.settings.data_dir``).

    Returns
    -------
    dict of str to GeoDataFrame
        Each with a plain ``RangeIndex``, an id column first and coordinates rounded to
        :data:`PRECISION` decimals.
    """
    problems: list[str] = []
    frames = _frames(problems, routes, claims, bbox, datasets, data_dir, (as_of, scenario))
    _options.fail(problems)
    return frames


def _check_when(when, problems: list[str], data_dir) -> tuple:
    as_of, scenario = when
    if as_of is not None:
        try:
            as_of = parse_when(as_of).isoformat()
        except ValueError as err:
            problems.append(f"as_of: {err}")
            return None, None
    return as_of, scenario_of(scenario, data_dir)


def _frames(problems, routes, claims, bbox, datasets, data_dir,
            when=(None, None)) -> dict[str, gpd.GeoDataFrame]:
    box = _options.check_bbox(bbox, problems)
    as_of, scenario = _check_when(when, problems, data_dir)
    chosen = _check_datasets(datasets, problems)
    if routes is None and claims is None:
        route_ids = list(load_routes(data_dir).index)
    else:
        route_ids = check_routes(routes, problems, data_dir)
    claims_frame, _ = check_claims(claims, problems, data_dir)
    if problems:
        return {}
    route_gdf = routes_frame(route_ids, data_dir)
    box = box or default_bbox(route_gdf, claims_frame, data_dir)
    frames: dict[str, gpd.GeoDataFrame] = {}
    if "routes" in chosen and len(route_gdf):
        frames["routes"] = _routes(route_gdf, data_dir, as_of, scenario)
    seg_ids = [s for ids in route_gdf["segments"] for s in ids] if len(route_gdf) else []
    segments = load_segments(data_dir).loc[list(dict.fromkeys(seg_ids))]
    if "sections" in chosen and len(route_gdf):
        frames["sections"] = _sections(list(route_gdf.index), segments, data_dir, as_of, scenario)
    if "segments" in chosen and len(segments):
        frames["segments"] = _segments(segments, network_at(data_dir, as_of, scenario))
    if "timeline" in chosen and len(segments):
        frames["timeline"] = _timeline(segments, scenario)
    if "places" in chosen and len(segments):
        ends = list(dict.fromkeys([*segments["from"], *segments["to"]]))
        frames["places"] = _places(load_places(data_dir).loc[ends])
    if "claims" in chosen and claims_frame is not None and len(claims_frame):
        frames["claims"] = _claims(claims_frame)
    if "borders" in chosen:
        frames["borders"] = _borders(load_territories(data_dir), box)
    return {name: _rounded(frame) for name, frame in frames.items() if len(frame)}


def _check_datasets(datasets, problems: list[str]) -> tuple[str, ...]:
    if datasets is None:
        return DATASETS
    chosen = [datasets] if isinstance(datasets, str) else list(datasets)
    for name in chosen:
        if name not in DATASETS:
            problems.append(f"unknown dataset {name!r}; use any of {', '.join(DATASETS)}")
    return tuple(n for n in DATASETS if n in chosen)


def _plain(value):
    """A value GeoJSON, CSV and GeoPackage all hold: str, int, float, bool or None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(_plain(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _table(frame: pd.DataFrame, id_name: str, columns: list[str]) -> gpd.GeoDataFrame:
    out = pd.DataFrame({id_name: [str(i) for i in frame.index]})
    for col in columns:
        if col not in frame.columns:
            continue
        values = [_plain(v) for v in frame[col]]
        kinds = {type(v) for v in values if v is not None}
        if kinds == {bool}:
            out[col] = pd.array(values, dtype="boolean")
        elif kinds <= {int} and kinds:
            out[col] = pd.array(values, dtype="Int64")
        elif kinds <= {int, float} and kinds:
            out[col] = pd.array([np.nan if v is None else float(v) for v in values], dtype=float)
        else:
            out[col] = pd.array(values, dtype=object)
    return gpd.GeoDataFrame(out, geometry=list(frame.geometry.values), crs=settings.crs)


def _routes(routes: gpd.GeoDataFrame, data_dir, as_of=None, scenario=None) -> gpd.GeoDataFrame:
    cols = ["name", "names", "origin", "destination", "segments", "description", "source", "as_of"]
    table = _table(routes, "route_id", cols)
    metrics = route_metrics_table(routes, data_dir, as_of=as_of, scenario=scenario)
    metrics = metrics.drop(columns=["name"], errors="ignore")
    metrics = metrics.set_index("route_id").loc[table["route_id"]].reset_index(drop=True)
    for col in metrics.columns:
        table[col] = metrics[col].to_numpy()
    return table.set_geometry("geometry")


def _sections(route_ids: list[str], segments: gpd.GeoDataFrame, data_dir, as_of=None,
              scenario=None) -> gpd.GeoDataFrame:
    """The routes' named sections (:func:`~geo.export._select.section_table`), each on its
    segments' line in travel order."""
    sections = route_sections(route_ids, data_dir, as_of=as_of, scenario=scenario)
    table = section_table(sections)
    lines = [_steps_line(segments, sec["steps"]) for sec in sections]
    frame = gpd.GeoDataFrame(table.drop(columns=["section_id"]), geometry=lines, crs=settings.crs)
    frame.index = list(table["section_id"])
    return _table(frame, "section_id", [c for c in table.columns if c != "section_id"])


def _steps_line(segments: gpd.GeoDataFrame, steps) -> shapely.LineString:
    """One LineString along ``(segment_id, reversed)`` steps, each part in travel order."""
    coords: list = []
    for sid, rev in steps:
        part = list(segments.geometry.loc[sid].coords)
        if rev:
            part.reverse()
        coords.extend(part if not coords else part[1:])
    return shapely.LineString(coords)


def _segments(segments: gpd.GeoDataFrame, net) -> gpd.GeoDataFrame:
    """The segments with their status on the network's date and their lengths: ``measured_km``
    on the drawn line, ``length_km`` the best estimate (published chainage, else traced OSM
    track, else the drawn line) and ``length_basis`` which of the three it is;
    ``may_be_out_of_date`` when the record's ``as_of`` is older than
    ``settings.stale_after_days``."""
    frame = segments.copy()
    dated = net.segments.loc[frame.index]
    frame["status"] = dated["status"]
    frame["status_date"] = net.when or "as recorded"
    frame["status_projected"] = bool(net.projected)
    frame["scenario"] = net.scenario
    frame["may_be_out_of_date"] = [bool(d) and is_stale(str(d)) for d in frame["as_of"]]
    frame["measured_km"] = dated["length_km"]
    frame["length_km"] = dated["best_km"]
    frame["length_basis"] = dated["basis"].map(LENGTH_BASES)
    cols = ["from", "to", "name", "mode", "status", "status_date", "status_projected", "scenario",
            "gauge", "gauge_source", "length_km", "length_basis", "measured_km", "source", "as_of",
            "may_be_out_of_date", "accuracy", "accuracy_m", "waterway", "notes"]
    return _table(frame, "segment_id", cols)


def _timeline(segments: gpd.GeoDataFrame, scenario) -> gpd.GeoDataFrame:
    """One row per dated status change of the segments (and the scenario's), on its line."""
    events = timeline(segments, list(segments.index))
    if scenario is not None:
        names = scenario.names()
        events = events[~(events["segment"].isin(names) & (events["kind"] == "expected"))]
        extra = [{**e, "segment": sid, "name": segments.at[sid, "name"], "url": "", "text": ""}
                 for sid in segments.index if sid in names for e in scenario.for_segment(sid)]
        events = pd.concat([events, pd.DataFrame(extra, columns=events.columns)],
                           ignore_index=True).sort_values(["date", "segment"], kind="stable")
    frame = gpd.GeoDataFrame(events.reset_index(drop=True),
                             geometry=list(segments.geometry.loc[events["segment"]].values),
                             crs=settings.crs)
    frame.index = [f"{sid}@{i}" for i, sid in enumerate(frame["segment"])]
    cols = ["date", "segment", "name", "event", "kind", "status", "source", "url", "text"]
    return _table(frame, "event_id", cols)


def _places(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    cols = ["name_en", "name_az", "name_hy", "name_fa", "name_ru", "name_tr", "name_ka", "kind",
            "lon", "lat", "country", "region", "accuracy_m", "source", "as_of"]
    return _table(places, "place_id", cols)


def _claims(claims: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = claims.set_index(claims["claim_id"].astype(str))
    cols = ["article_id", "summary", "quote", "who", "kind", "verdict", "evidence"]
    return _table(frame, "claim_id", cols)


def _borders(territories: gpd.GeoDataFrame, box) -> gpd.GeoDataFrame:
    geoms = territories.geometry.values
    keep = shapely.intersects(geoms, shapely.box(*box))
    frame = territories[keep].copy()
    frame["geometry"] = shapely.clip_by_rect(frame.geometry.values, *box)
    frame = frame[~frame.geometry.is_empty]
    return _table(frame, "unit", ["iso3", "name", "source", "as_of", "accuracy"])


def _rounded(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Coordinates rounded to :data:`PRECISION` decimals and polygons oriented (right-hand rule)."""
    geoms = frame.geometry.values
    present = ~shapely.is_missing(np.asarray(geoms, dtype=object))
    out = np.asarray(geoms, dtype=object).copy()
    rounded = shapely.transform(out[present], lambda xy: np.round(xy, PRECISION))
    out[present] = shapely.orient_polygons(rounded, exterior_cw=False)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    # geometry last, as GIS files read back
    return gpd.GeoDataFrame(pd.DataFrame(frame[columns]),
                            geometry=gpd.GeoSeries(out, crs=settings.crs, index=frame.index))


# ---------------------------------------------------------------------------------------------
# Writers


def to_geojson(frame: gpd.GeoDataFrame) -> dict:
    """An RFC 7946 FeatureCollection of ``frame`` (converted to lon/lat WGS84 if needed).

    No ``crs`` member; polygon exteriors counter-clockwise; coordinates rounded to
    :data:`PRECISION` decimals; properties are the non-geometry columns (NaN as null).
    """
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    frame = _rounded(frame)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    features = []
    for values, geom in zip(frame[columns].itertuples(index=False, name=None),
                            frame.geometry.values, strict=True):
        geometry = None if geom is None or geom.is_empty else shapely.geometry.mapping(geom)
        features.append({
            "type": "Feature",
            "properties": {c: _plain(v) for c, v in zip(columns, values, strict=True)},
            "geometry": _lists(geometry),
        })
    return {"type": "FeatureCollection", "features": features}


def _lists(obj):
    """Tuples to lists (shapely's mapping gives tuples), recursively."""
    if isinstance(obj, dict):
        return {k: _lists(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_lists(v) for v in obj]
    return obj


def _geojson_text(frame: gpd.GeoDataFrame) -> str:
    return json.dumps(to_geojson(frame), ensure_ascii=False, separators=(",", ":")) + "\n"


def _csv_text(name: str, frame: gpd.GeoDataFrame, metrics: pd.DataFrame | None) -> str:
    table = metrics if name == "routes" and metrics is not None else pd.DataFrame(
        frame.drop(columns=frame.geometry.name))
    buf = io.StringIO()
    csv_frame(table).to_csv(buf, index=False, lineterminator="\n", float_format="%.3f")
    return buf.getvalue()


def _write_gpkg(frames: dict[str, gpd.GeoDataFrame], tmp: Path) -> None:
    """Every frame as a layer of a new GeoPackage at ``tmp``.

    GDAL wants a ``.gpkg`` name, so the layers go to a sibling ``<tmp>.gpkg`` that then
    replaces ``tmp`` (same folder: an atomic rename); it and SQLite's journal files are
    removed if writing fails or is interrupted.
    """
    work = tmp.with_name(tmp.name + ".gpkg")
    try:
        for i, (name, frame) in enumerate(frames.items()):
            frame.to_file(work, layer=name, driver="GPKG", engine="pyogrio",
                          mode="w" if i == 0 else "a")
        work.replace(tmp)
    finally:
        for path in gpkg_side_files(tmp):
            path.unlink(missing_ok=True)


def gpkg_side_files(tmp: Path) -> list[Path]:
    """The files a GeoPackage written for ``tmp`` may leave: the work copy and SQLite journals."""
    work = tmp.with_name(tmp.name + ".gpkg")
    return [work, *(work.with_name(work.name + s) for s in ("-journal", "-wal", "-shm"))]


def export_bytes(
    fmt: str,
    *,
    routes: Iterable[str] | None = None,
    claims: str | gpd.GeoDataFrame | None = None,
    bbox: str | tuple[float, float, float, float] | None = None,
    dataset: str | None = None,
    as_of: str | None = None,
    scenario=None,
    data_dir: Path | str | None = None,
) -> bytes:
    """A data export as bytes (for download buttons), format ``{"csv", "geojson", "gpkg"}``.

    ``dataset`` is ``{"routes", "sections", "segments", "timeline", "places", "claims",
    "borders"}`` for CSV and GeoJSON, which hold one dataset; default: ``routes`` (CSV: the
    route metrics table), or ``claims`` when only claims are chosen. A GeoPackage holds every
    dataset, one layer each. Other options as :func:`export_frames`.
    """
    problems: list[str] = []
    kind = str(fmt).lower().lstrip(".")
    kind = "geojson" if kind == "json" else kind
    if kind not in _options.DATA_FORMATS:
        problems.append(f"format {fmt!r} is not one of {', '.join(_options.DATA_FORMATS)}")
    return _render(problems, kind, routes, claims, bbox, dataset, data_dir, (as_of, scenario))


def _render(problems, kind, routes, claims, bbox, dataset, data_dir, when=(None, None)) -> bytes:
    if dataset is not None and kind == "gpkg":
        datasets = [dataset] if isinstance(dataset, str) else list(dataset)
    elif kind in ("csv", "geojson"):
        if dataset is None:
            dataset = "claims" if claims is not None and not routes else "routes"
        if not isinstance(dataset, str):
            problems.append(f"{kind.upper()} holds one dataset; got {list(dataset)} (use .gpkg)")
            dataset = "routes"
        datasets = [dataset]
    else:
        datasets = None
    frames = _frames(problems, routes, claims, bbox, datasets, data_dir, when)
    _options.fail(problems)
    if kind in ("csv", "geojson") and dataset not in frames:
        raise NothingToExport([f"nothing to export: dataset {dataset!r} has no rows for this "
                               "selection"])
    if kind == "geojson":
        return _geojson_text(frames[dataset]).encode("utf-8")
    if kind == "csv":
        metrics = None
        if dataset == "routes":
            route_ids = list(frames["routes"]["route_id"])
            as_of, scenario = _check_when(when, problems, data_dir)
            metrics = route_metrics_table(routes_frame(route_ids, data_dir), data_dir,
                                          as_of=as_of, scenario=scenario)
        return _csv_text(dataset, frames[dataset], metrics).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="corridors-") as folder:
        path = Path(folder) / "export.gpkg"
        _write_gpkg(frames, path)
        return path.read_bytes()


def export_data(
    path: str | Path,
    *,
    routes: Iterable[str] | None = None,
    claims: str | gpd.GeoDataFrame | None = None,
    bbox: str | tuple[float, float, float, float] | None = None,
    dataset: str | None = None,
    as_of: str | None = None,
    scenario=None,
    data_dir: Path | str | None = None,
) -> Path:
    """Write a data export to ``path`` atomically; format from the suffix (.csv .geojson .gpkg).

    Options as :func:`export_bytes`. Every problem with the request (unknown route, bad box,
    unknown suffix, unwritable folder) is reported at once in one :class:`~geo.ExportError`;
    a failed export leaves no file behind and an existing ``path`` unchanged.
    """
    problems: list[str] = []
    kind = _options.check_out(path, _options.DATA_FORMATS, problems)
    if kind == "gpkg":
        datasets = None if dataset is None else ([dataset] if isinstance(dataset, str) else dataset)
        frames = _frames(problems, routes, claims, bbox, datasets, data_dir, (as_of, scenario))
        if not problems and not frames:
            problems.append(f"{path}: nothing to export for this selection")
        _options.fail(problems)
        return write_atomic(path, lambda tmp: _write_gpkg(frames, tmp), leftovers=gpkg_side_files)
    data = _render(problems, kind, routes, claims, bbox, dataset, data_dir, (as_of, scenario))
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))
