"""What a snapshot or export shows: the chosen routes and claims, and the data in a bounding box.

Every dataset is a GeoDataFrame in EPSG:4326 straight from the ``geo`` loaders, subset to the
request; nothing here draws or writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from .. import settings
from ..claims import claims_gdf, load_claims
from ..claims.checks import check_claims as checked_claims
from ..data import load_routes, load_segments, load_territories, route_geometry
from ..metrics import route_metrics

#: Countries of the region the tool is about; the default box is their combined outline.
REGION = ("ARM", "AZE", "GEO", "IRN")

#: Padding around the chosen features, as a fraction of their extent (and at least 0.25 deg).
PAD_FRACTION = 0.08
PAD_MIN_DEG = 0.25

CLAIM_COLUMNS = ("claim_id", "summary", "verdict")


@dataclass
class Selection:
    """The routes, claims and box of one request (all frames in EPSG:4326)."""

    routes: gpd.GeoDataFrame
    claims: gpd.GeoDataFrame | None
    bbox: tuple[float, float, float, float]
    article: str | None = None
    notes: list[str] = field(default_factory=list)


def check_routes(route_ids, problems: list[str], data_dir: Path | str | None = None) -> list[str]:
    """The route ids that exist; one problem per unknown id, naming the known ones."""
    if not route_ids:
        return []
    ids = [route_ids] if isinstance(route_ids, str) else list(route_ids)
    known = load_routes(data_dir).index
    unknown = [rid for rid in ids if rid not in known]
    for rid in unknown:
        problems.append(
            f"unknown route {rid!r} (routes file {Path(data_dir or settings.data_dir) / 'routes.yaml'}); "
            f"known routes: {', '.join(known)}"
        )
    return [rid for rid in dict.fromkeys(ids) if rid in known]


def routes_frame(route_ids: list[str], data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """The chosen routes (travel-order LineStrings), in the order given."""
    routes = load_routes(data_dir).loc[list(route_ids)]
    geoms = [route_geometry(rid, data_dir) for rid in route_ids]
    return gpd.GeoDataFrame(routes, geometry=geoms, crs=settings.crs)


def default_title(routes: gpd.GeoDataFrame) -> str:
    """The title of a map of ``routes`` when none is given: their names, or a generic one."""
    if len(routes):
        return " · ".join(str(n) for n in routes["name"])
    return "Transport corridors"


def check_claims(claims, problems: list[str], data_dir: Path | str | None = None):
    """Claims as a GeoDataFrame: pass one through, or load and check an article's claims by id.

    Returns ``(frame or None, article id or None)``. The frame needs the columns
    ``claim_id``, ``summary`` and ``verdict``; a missing geometry means "not on the map".
    """
    if claims is None:
        return None, None
    if isinstance(claims, str):
        article = claims
        try:
            frame = _article_claims(article, data_dir)
        except FileNotFoundError as err:
            problems.append(f"claims of article {article!r}: {err}")
            return None, article
        except ValueError as err:  # ClaimsFileError and friends: already name file and record
            problems.append(f"claims of article {article!r}: {err}")
            return None, article
    else:
        frame, article = claims, None
        if "article_id" in getattr(frame, "columns", []) and len(frame):
            article = str(frame["article_id"].iloc[0])
    missing = [c for c in CLAIM_COLUMNS if c not in getattr(frame, "columns", [])]
    if missing:
        problems.append(f"claims frame lacks column(s) {', '.join(missing)}")
        return None, article
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs=settings.crs)
    return frame, article


def _article_claims(article: str, data_dir: Path | str | None) -> gpd.GeoDataFrame:
    """One article's claims, checked against the geodata, with a point each (or empty).

    Checking takes a few tenths of a second; the result is kept until a file of the data
    folder (or of its ``claims/`` and ``osm/`` folders) changes.
    """
    folder = Path(data_dir or settings.data_dir)
    return _checked_claims(article, str(folder), _folder_stamp(folder)).copy()


def _folder_stamp(folder: Path) -> tuple:
    stamps = []
    for sub in (folder, folder / "claims", folder / "osm"):
        if sub.is_dir():
            stamps += [(e.path, e.stat().st_mtime_ns, e.stat().st_size)
                       for e in os.scandir(sub) if e.is_file()]
    return tuple(sorted(stamps))


@lru_cache(maxsize=8)
def _checked_claims(article: str, folder: str, stamp: tuple) -> gpd.GeoDataFrame:
    checked = checked_claims(load_claims(article, data_dir=folder), data_dir=folder)
    return claims_gdf(checked, data_dir=folder)


def default_bbox(
    routes: gpd.GeoDataFrame,
    claims: gpd.GeoDataFrame | None,
    data_dir: Path | str | None = None,
) -> tuple[float, float, float, float]:
    """A box around the chosen routes, else the mapped claims, else the region's countries.

    Claims far from the chosen routes do not widen the box; the map's key lists them as not on
    the map. With nothing chosen: the outline of :data:`REGION` (those present in the borders
    file), or of every segment when none of them is there (test data).
    """
    geoms = list(routes.geometry)
    if claims is not None and not geoms:
        geoms += [g for g in claims.geometry if g is not None and not g.is_empty]
    if not geoms:
        territories = load_territories(data_dir)
        region = territories[territories["iso3"].isin(REGION)]
        geoms = list(region.geometry) if len(region) else list(load_segments(data_dir).geometry)
    west, south, east, north = shapely.total_bounds(geoms)
    pad_x = max((east - west) * PAD_FRACTION, PAD_MIN_DEG)
    pad_y = max((north - south) * PAD_FRACTION, PAD_MIN_DEG)
    return (
        max(west - pad_x, -180.0),
        max(south - pad_y, -89.0),
        min(east + pad_x, 180.0),
        min(north + pad_y, 89.0),
    )


def in_bbox(frame: gpd.GeoDataFrame, bbox) -> gpd.GeoDataFrame:
    """Rows of ``frame`` whose geometry meets the box (rows without geometry are dropped)."""
    if frame is None or not len(frame):
        return frame
    has = frame.geometry.notna() & ~frame.geometry.is_empty
    box = shapely.box(*bbox)
    return frame[has & frame.geometry.intersects(box)]


def claim_anchor(geom):
    """The point where a claim's numbered marker goes: the point itself, a line's middle,
    or a point surely inside a polygon; None when the claim has no geometry."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Point":
        return geom
    if geom.geom_type in ("LineString", "MultiLineString"):
        merged = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        if merged.geom_type == "LineString":
            return merged.interpolate(0.5, normalized=True)
        return merged.centroid
    return geom.representative_point()


#: Scalar metrics of ``geo.metrics.route_metrics`` kept in tables, in this order.
METRIC_COLUMNS = ("origin", "destination", "exists_today", "length_km", "measured_km",
                  "straight_km", "detour_index", "est_time_h", "est_cost_usd")
#: The low and high ends of the time and cost estimates, and what they rest on.
ESTIMATE_COLUMNS = ("est_time_h_low", "est_time_h_high", "est_cost_usd_low", "est_cost_usd_high",
                    "est_cost_unit", "est_basis")
#: Columns that say what the figures rest on (length basis, status dates).
BASIS_COLUMNS = ("length_basis", "chainage_share", "status_as_of_oldest", "status_as_of_newest",
                 "may_be_out_of_date")
#: List metrics kept as counts.
COUNT_COLUMNS = ("border_crossings", "gauge_breaks", "transshipments")
#: Dict metrics flattened to one column per key: prefix of the column names.
DICT_PREFIXES = {"km_by_country": "km_", "km_by_status": "km_status_", "km_by_mode": "km_mode_"}


def route_metrics_table(routes: gpd.GeoDataFrame, data_dir: Path | str | None = None, *,
                        as_of: str | None = None, scenario=None) -> pd.DataFrame:
    """Metrics of the chosen routes from ``geo.metrics.route_metrics``, one plain row per route.

    Columns: ``route_id``, ``name``, :data:`METRIC_COLUMNS` (``length_km`` is the best
    estimate, ``measured_km`` the drawn line; ``est_time_h`` and ``est_cost_usd`` the central
    model estimates), :data:`ESTIMATE_COLUMNS` (their low and high ends, cost unit and basis),
    :data:`BASIS_COLUMNS` (``length_basis`` in words,
    the share of published chainage, the oldest and newest status dates, and the segments
    whose status may be out of date), the counts of :data:`COUNT_COLUMNS`, ``unknowns``
    (caveats joined with ``"; "``), then the dict metrics flattened: ``km_<ISO3>`` per country
    (or water body) crossed, ``km_status_<status>`` and ``km_mode_<mode>`` (0.0 where a route
    has none); they add up to ``length_km``. ``as_of`` and ``scenario``: statuses of that
    date, as :func:`geo.route_metrics`.
    """
    rows = []
    for rid in routes.index:
        metrics = route_metrics(rid, data_dir=data_dir, as_of=as_of, scenario=scenario)
        row = {"route_id": rid, "name": metrics.get("name", rid)}
        row.update({key: metrics.get(key) for key in METRIC_COLUMNS})
        for key in ("est_time_h", "est_cost_usd"):
            row[f"{key}_low"], row[f"{key}_high"] = metrics[f"{key}_range"]
        row.update(est_cost_unit=metrics["est_cost_unit"], est_basis=metrics["est_basis"])
        basis = metrics["length_basis"]
        row.update({"length_basis": basis["text"], "chainage_share": basis["share_chainage"],
                    "status_as_of_oldest": metrics["status_as_of"][0],
                    "status_as_of_newest": metrics["status_as_of"][1],
                    "may_be_out_of_date": "; ".join(metrics["stale_segments"])})
        row.update({key: len(metrics.get(key) or []) for key in COUNT_COLUMNS})
        row["unknowns"] = "; ".join(str(u) for u in metrics.get("unknowns") or [])
        for key, prefix in DICT_PREFIXES.items():
            for name, km in sorted((metrics.get(key) or {}).items()):
                row[f"{prefix}{name}"] = float(km)
        rows.append(row)
    base = ["route_id", "name", *METRIC_COLUMNS, *ESTIMATE_COLUMNS, *BASIS_COLUMNS, *COUNT_COLUMNS,
            "unknowns"]
    frame = pd.DataFrame(rows, columns=None if rows else base)
    status = sorted(c for c in frame.columns if c.startswith(DICT_PREFIXES["km_by_status"]))
    mode = sorted(c for c in frame.columns if c.startswith(DICT_PREFIXES["km_by_mode"]))
    flat = sorted(country_km_columns(frame)) + status + mode
    frame[flat] = frame[flat].fillna(0.0)
    return frame[base + flat]


#: The columns of the ``sections`` table before its km columns: the figures in words, as the
#: app's Compare page and ``corridors sections`` show them, then as numbers.
SECTION_COLUMNS = ("route_id", "section_id", "name", "length_text", "country_text", "status_text",
                   "status_date", "length_km", "measured_km", "length_basis", "exists_today",
                   "segments")


def route_sections(route_ids: list[str], data_dir: Path | str | None = None, *,
                   as_of: str | None = None, scenario=None) -> list[dict]:
    """The named sections of the chosen routes in route order, as ``route_metrics`` gives them
    (:func:`geo.metrics.section_summary`), each with ``status_date`` (the date of the
    statuses, or "as recorded")."""
    out = []
    for rid in route_ids:
        metrics = route_metrics(rid, data_dir=data_dir, as_of=as_of, scenario=scenario)
        out += [{**sec, "status_date": metrics["as_of"]} for sec in metrics["sections"]]
    return out


def section_table(sections: list[dict]) -> pd.DataFrame:
    """One plain row per section of :func:`route_sections`: :data:`SECTION_COLUMNS`
    (``segments`` joined with "; "), then ``km_<ISO3>`` per country and ``km_status_<status>``
    (0.0 where a section has none); each set adds up to ``length_km``."""
    rows = []
    for sec in sections:
        row = {key: sec[key] for key in SECTION_COLUMNS}
        row["segments"] = "; ".join(sec["segments"])
        for key in ("km_by_country", "km_by_status"):
            prefix = DICT_PREFIXES[key]
            row.update({f"{prefix}{name}": float(km) for name, km in sorted(sec[key].items())})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=None if rows else list(SECTION_COLUMNS))
    status = sorted(c for c in frame.columns if c.startswith(DICT_PREFIXES["km_by_status"]))
    flat = sorted(country_km_columns(frame)) + status
    frame[flat] = frame[flat].fillna(0.0)
    return frame[[*SECTION_COLUMNS, *flat]]


def country_km_columns(table: pd.DataFrame) -> list[str]:
    """The ``km_<ISO3>`` columns of a metrics table (not the status or mode ones)."""
    others = tuple(p for p in DICT_PREFIXES.values() if p != "km_")
    return [c for c in table.columns if c.startswith("km_") and not c.startswith(others)]


def optional_frame(loader, data_dir):
    """``loader(data_dir)``, or None when the optional layer's file is not there."""
    try:
        return loader(data_dir)
    except FileNotFoundError:
        return None
