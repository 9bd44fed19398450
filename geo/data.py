"""Load the shipped geodata into validated GeoDataFrames (EPSG:4326), cached per file version.

Every loader validates the whole file, collects every problem and raises one
:class:`~geo.DataValidationError` that names the file, the record id, the field and the value.
Results are cached on (path, modification time, size), so an edited file is read again, and
each call returns a copy that the caller may change freely.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

from . import settings
from ._errors import DataValidationError, UnknownRouteError
from ._validate import (
    Problems,
    check_accuracy,
    check_date,
    check_geometry,
    check_hashable,
    check_line_ends,
    check_list,
    check_required,
    check_unique,
    check_vocab,
    is_blank,
    read_csv_rows,
    read_geojson_features,
    read_yaml,
    warn_data,
    warn_unknown_fields,
)
from .drawn import (
    REASON_FIELD,
    check_reason,
    check_waypoints,
    longer_than_published,
    waypoint_order,
)
from .files import data_path, file_stamp, stamp_if_present
from .lifecycle import check_lifecycle
from .measure import densify_geodesic, point_to_geom_km
from .published import load_references
from .snapped import apply_snapped
from .vocab import (
    GAUGES_MM,
    MODES,
    NAKHCHIVAN,
    NAME_LANGS,
    PLACE_KINDS,
    STATUSES,
    gauge_text,
    parse_gauge,
)

PLACE_FIELDS = ["id", "name_en", "kind", "lon", "lat", "country", "source", "as_of"]
SEGMENT_FIELDS = ["id", "from", "to", "name", "mode", "status", "source", "as_of", "accuracy"]
ROUTE_FIELDS = ["id", "name", "origin", "destination", "segments", "source", "as_of"]
# Every field a record may have (the required ones and the optional ones); any other field is
# warned about (geo.DataWarning) and not used.
BORDER_COLUMNS = ["iso3", "name", "name_long", "source", "as_of", "accuracy"]
WATER_COLUMNS = ["id", "name", "source", "as_of", "accuracy"]
PLACE_COLUMNS = [*PLACE_FIELDS[:2], *(f"name_{lang}" for lang in NAME_LANGS), "alt_names",
                 *PLACE_FIELDS[2:], "region", "accuracy_m", "notes"]
SEGMENT_COLUMNS = [*SEGMENT_FIELDS, "accuracy_m", "gauge", "gauge_source", "gauge_note",
                   "status_source", "lifecycle", "notes", "research_notes", "waterway",
                   "waypoints", "waypoints_not_drawn", "line_note", REASON_FIELD]
ROUTE_COLUMNS = [*ROUTE_FIELDS, "names", "sections", "description", "accuracy", "notes"]


# ---------------------------------------------------------------------------------------------
# Borders, Nakhchivan, water


def load_borders(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """Country outlines (Natural Earth 1:10m admin-0), indexed by ISO3 code ``iso3``.

    Columns: ``name``, ``name_long``, ``source``, ``as_of``, ``accuracy``, ``geometry``.
    """
    return _load_borders(file_stamp(data_path("borders.geojson", data_dir))).copy()


@lru_cache(maxsize=8)
def _load_borders(stamp: tuple) -> gpd.GeoDataFrame:
    path = Path(stamp[0])
    problems = Problems(path)
    rows, geoms = [], []
    for i, feat in enumerate(read_geojson_features(path, problems, allow_empty=False)):
        props = dict(feat.get("properties") or {})
        rid = props.get("iso3") or f"#{i}"
        check_required(problems, rid, props, ["iso3", "name", "source", "as_of"])
        geom = check_geometry(problems, rid, feat.get("geometry"), ("Polygon", "MultiPolygon"))
        rows.append(props)
        geoms.append(geom)
    check_unique(problems, [r.get("iso3") for r in rows])
    problems.raise_if_any()
    warn_unknown_fields(path, rows, BORDER_COLUMNS)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs).set_index("iso3")
    frame.index.name = "iso3"
    return frame


def load_nakhchivan(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """The Nakhchivan Autonomous Republic, derived from Azerbaijan's outline.

    Azerbaijan's largest polygon is the mainland; Nakhchivan is the largest of the other parts
    (the exclave between Armenia, Iran and Turkey). Nothing is drawn by hand. One row, index
    ``"AZE-NX"``.
    """
    return _load_nakhchivan(file_stamp(data_path("borders.geojson", data_dir))).copy()


@lru_cache(maxsize=8)
def _load_nakhchivan(stamp: tuple) -> gpd.GeoDataFrame:
    borders = _load_borders(stamp)
    if "AZE" not in borders.index:
        msg = f"{stamp[0]}: no record 'AZE' (Azerbaijan); cannot derive Nakhchivan"
        raise DataValidationError([msg])
    aze = borders.loc["AZE"]
    parts = sorted(getattr(aze.geometry, "geoms", [aze.geometry]), key=lambda g: g.area)
    if len(parts) < 2:
        msg = f"{stamp[0]}: record 'AZE' has a single polygon; cannot derive Nakhchivan"
        raise DataValidationError([msg])
    exclave = parts[-2]
    return gpd.GeoDataFrame(
        {
            "name": ["Nakhchivan Autonomous Republic"],
            "name_az": ["Naxçıvan Muxtar Respublikası"],
            "iso3": ["AZE"],
            "source": [
                (
                    "derived from the AZE outline of the borders file: its second-largest part "
                    f"(the largest not joined to the mainland); {aze['source']}"
                )
            ],
            "as_of": [aze["as_of"]],
            "accuracy": [aze.get("accuracy", "")],
        },
        geometry=[exclave],
        index=pd.Index([NAKHCHIVAN], name="unit"),
        crs=settings.crs,
    )


def load_territories(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """Countries with Nakhchivan as its own unit: index ``unit`` (ISO3, or ``"AZE-NX"``).

    Column ``iso3`` gives the country of each unit, so km summed by ``iso3`` count Nakhchivan
    as Azerbaijan, while crossings into and out of the exclave remain visible.
    """
    return _load_territories(file_stamp(data_path("borders.geojson", data_dir))).copy()


@lru_cache(maxsize=8)
def _load_territories(stamp: tuple) -> gpd.GeoDataFrame:
    borders = _load_borders(stamp).copy()
    borders["iso3"] = borders.index
    if "AZE" not in borders.index or borders.geometry.loc["AZE"].geom_type != "MultiPolygon":
        borders.index.name = "unit"
        return borders
    nx = _load_nakhchivan(stamp)
    borders.loc["AZE", "geometry"] = borders.loc["AZE", "geometry"].difference(
        nx.geometry.iloc[0]
    )
    frame = pd.concat([borders, nx[["name", "iso3", "source", "as_of", "accuracy", "geometry"]]])
    frame.index.name = "unit"
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.crs)


def load_water(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """Named inland water bodies (the Caspian Sea), index ``id``."""
    return _load_water(file_stamp(data_path("water.geojson", data_dir))).copy()


@lru_cache(maxsize=8)
def _load_water(stamp: tuple) -> gpd.GeoDataFrame:
    path = Path(stamp[0])
    problems = Problems(path)
    rows, geoms = [], []
    for i, feat in enumerate(read_geojson_features(path, problems)):
        props = dict(feat.get("properties") or {})
        rid = props.get("id") or f"#{i}"
        check_required(problems, rid, props, ["id", "name", "source", "as_of"])
        geoms.append(check_geometry(problems, rid, feat.get("geometry"), ("Polygon", "MultiPolygon")))
        rows.append(props)
    problems.raise_if_any()
    warn_unknown_fields(path, rows, WATER_COLUMNS)
    if not rows:
        empty = gpd.GeoDataFrame({"id": [], "name": []}, geometry=[], crs=settings.crs)
        return empty.set_index("id")
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs).set_index("id")


def load_basemap(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """Simplified world outlines for display only (offline basemap, static maps)."""
    return _load_basemap(file_stamp(data_path("basemap.geojson", data_dir))).copy()


@lru_cache(maxsize=4)
def _load_basemap(stamp: tuple) -> gpd.GeoDataFrame:
    path = Path(stamp[0])
    problems = Problems(path)
    features = read_geojson_features(path, problems)
    geoms = [check_geometry(problems, f["properties"].get("iso3") or f"#{i}", f.get("geometry"),
                            ("Polygon", "MultiPolygon")) for i, f in enumerate(features)]
    problems.raise_if_any()
    return gpd.GeoDataFrame([f["properties"] for f in features], geometry=geoms, crs=settings.crs)


# ---------------------------------------------------------------------------------------------
# Places


def load_places(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """Stations, junctions, ports, border crossings and cities, indexed by ``id``.

    Checks, all reported together: required fields, duplicate ids, ``kind`` vocabulary,
    coordinates in range, a declared ``country`` that exists in the borders file, and that the
    point lies inside that country (within ``settings.place_country_tolerance_m``), which
    catches swapped lat/lon.
    """
    path = data_path("places.csv", data_dir)
    borders_stamp = file_stamp(data_path("borders.geojson", data_dir))
    return _load_places(file_stamp(path), borders_stamp).copy()


@lru_cache(maxsize=8)
def _load_places(stamp: tuple, borders_stamp: tuple) -> gpd.GeoDataFrame:
    path = Path(stamp[0])
    problems = Problems(path)
    rows = read_csv_rows(problems, path, required=PLACE_FIELDS, known=PLACE_COLUMNS)
    borders = _load_borders(borders_stamp)
    geoms: list = []
    for line_no, row in enumerate(rows, start=2):
        rid = row.get("id") or f"line {line_no}"
        check_required(problems, rid, row, PLACE_FIELDS)
        check_vocab(problems, rid, "kind", row.get("kind"), PLACE_KINDS)
        check_accuracy(problems, rid, row.get("accuracy_m"))
        if not is_blank(row.get("as_of")):
            check_date(problems, rid, "as_of", row.get("as_of"))
        geoms.append(_place_point(problems, rid, row, borders))
    check_unique(problems, [r.get("id") for r in rows])
    problems.raise_if_any()
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs).set_index("id")
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    frame["accuracy_m"] = pd.to_numeric(frame.get("accuracy_m"), errors="coerce")
    for col in [f"name_{lang}" for lang in NAME_LANGS] + ["alt_names", "region", "notes"]:
        if col not in frame:
            frame[col] = ""
        frame[col] = frame[col].fillna("")
    return frame


def _place_point(problems: Problems, rid: str, row: dict, borders: gpd.GeoDataFrame):
    try:
        lon, lat = float(row.get("lon")), float(row.get("lat"))
    except (TypeError, ValueError):
        problems.add(rid, "lon/lat", (row.get("lon"), row.get("lat")), "must be numbers")
        return None
    if not (-180 <= lon <= 180):
        problems.add(rid, "lon", lon, "out of range -180..180")
        return None
    if not (-90 <= lat <= 90):
        problems.add(rid, "lat", lat, "out of range -90..90")
        return None
    point = Point(lon, lat)
    country = row.get("country")
    if country not in borders.index:
        problems.add(rid, "country", country, "is not a country of the borders file")
        return point
    off_km = point_to_geom_km(point, borders.geometry.loc[country])
    if off_km * 1000 > settings.place_country_tolerance_m:
        inside = borders.index[borders.contains(point)].tolist()
        where = f"it lies in {inside[0]}" if inside else "it lies outside every country"
        swapped = ""
        if -90 <= lon <= 90 and borders.geometry.loc[country].contains(Point(lat, lon)):
            swapped = "; lon and lat look swapped"
        problems.add(
            rid,
            "lon/lat",
            (lon, lat),
            f"is {off_km:.1f} km outside declared country {country} ({where}{swapped})",
        )
    return point


# ---------------------------------------------------------------------------------------------
# Segments


def load_segments(
    data_dir: Path | str | None = None, *, osm: bool | None = None
) -> gpd.GeoDataFrame:
    """Network edges between places, indexed by ``id``; geometry densified along geodesics.

    Columns: ``from``, ``to``, ``name``, ``mode``, ``status``, ``gauge`` (text as in
    OpenStreetMap: ``"1520"``, ``"1435;1520"`` on dual-gauge track, ``""`` when unknown; see
    :func:`geo.vocab.parse_gauge`), ``gauge_source``, ``source``, ``as_of``, ``accuracy``,
    ``accuracy_m``, ``notes``, ``waterway``, ``waypoints`` (list of the sourced points the
    line is drawn through: name, lon, lat, source, accuracy_m), ``lifecycle`` (dated status
    changes, see :mod:`geo.lifecycle`), ``geometry``, and, for
    OpenStreetMap snapping (see :mod:`geo.osm`), ``geometry_source`` ("curated" or "osm"),
    ``osm_way_ids``, ``osm_source``, ``curated_status``, ``curated_gauge``.
    Checks: required fields, duplicate ids, vocabularies, unknown place ids, a gauge only on
    rail, made of known gauges and with its source, valid non-empty lines in range, ends
    within ``settings.segment_end_tolerance_m`` of the ``from``/``to`` places, each waypoint
    on the line, and the lifecycle (:func:`geo.lifecycle.check_lifecycle`).
    Warnings (:class:`~geo.DataWarning`, see :mod:`geo.drawn`): waypoints listed out of order
    along the line, km posts (a waypoint's optional ``km``) that do not rise or fall all along
    it, and a line drawn longer than its published length without a ``longer_than_published``
    reason.

    When ``osm/snapped.geojson`` exists in the data folder and ``osm`` is true (default:
    ``settings.use_osm_geometry``), snapped segments take their geometry, and the status and
    gauge read from OSM tags, from that file; ``osm=False`` always gives the curated data.
    """
    places_stamp = file_stamp(data_path("places.csv", data_dir))
    borders_stamp = file_stamp(data_path("borders.geojson", data_dir))
    seg_stamp = file_stamp(data_path("segments.geojson", data_dir))
    snapped = data_path("osm/snapped.geojson", data_dir)
    use_osm = settings.use_osm_geometry if osm is None else osm
    snap_stamp = file_stamp(snapped) if use_osm and snapped.exists() else None
    frame = _load_segments(seg_stamp, places_stamp, borders_stamp, snap_stamp)
    refs_stamp = stamp_if_present(data_path("references.yaml", data_dir))
    _check_drawn_lengths(seg_stamp, places_stamp, borders_stamp, refs_stamp)
    return frame.copy()


@lru_cache(maxsize=8)
def _load_segments(
    stamp: tuple, places_stamp: tuple, borders_stamp: tuple, snap_stamp: tuple | None = None
) -> gpd.GeoDataFrame:
    places = _load_places(places_stamp, borders_stamp)
    curated = _load_curated(stamp, places_stamp, borders_stamp).copy()
    return apply_snapped(curated, snap_stamp, places)


@lru_cache(maxsize=8)
def _load_curated(stamp: tuple, places_stamp: tuple, borders_stamp: tuple) -> gpd.GeoDataFrame:
    """The segments as drawn in the file, validated (no OpenStreetMap geometry)."""
    path = Path(stamp[0])
    places = _load_places(places_stamp, borders_stamp)
    problems = Problems(path)
    rows, geoms, doubts = [], [], []
    for i, feat in enumerate(read_geojson_features(path, problems, allow_empty=False)):
        props = dict(feat.get("properties") or {})
        rid = props.get("id") or f"#{i}"
        check_required(problems, rid, props, SEGMENT_FIELDS)
        check_vocab(problems, rid, "mode", props.get("mode"), MODES)
        check_vocab(problems, rid, "status", props.get("status"), STATUSES)
        check_accuracy(problems, rid, props.get("accuracy_m"))
        if not is_blank(props.get("as_of")):
            check_date(problems, rid, "as_of", props.get("as_of"))
        _check_gauge(problems, rid, props)
        check_lifecycle(problems, rid, props)
        check_reason(problems, rid, props)
        geom = check_geometry(problems, rid, feat.get("geometry"), ("LineString",))
        for field in ("from", "to"):
            pid = props.get(field)
            if not is_blank(pid) and check_hashable(problems, rid, field, pid) and (
                    pid not in places.index):
                problems.add(rid, field, pid, "unknown place id")
        if geom is not None:
            check_line_ends(problems, rid, props, geom, places, settings.segment_end_tolerance_m)
            check_waypoints(problems, rid, props.get("waypoints"), geom)
            if isinstance(props.get("waypoints"), list):
                doubts += [f"{path}: segment {rid!r}: {msg}" for msg in
                           waypoint_order(props["waypoints"], geom, str(props.get("from")))]
            geom = densify_geodesic(geom)
        rows.append(props)
        geoms.append(geom)
    check_unique(problems, [r.get("id") for r in rows])
    problems.raise_if_any()
    warn_unknown_fields(path, rows, SEGMENT_COLUMNS)
    for msg in doubts:
        warn_data(msg)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs).set_index("id")
    frame["gauge"] = [gauge_text(parse_gauge(v)) for v in frame.get("gauge", [None] * len(frame))]
    for col in ("waypoints", "lifecycle"):
        frame[col] = [v if isinstance(v, list) else [] for v in frame.get(col, [None] * len(frame))]
    for col in ("notes", "waterway", "gauge_source", "gauge_note", "status_source"):
        if col not in frame:
            frame[col] = ""
        frame[col] = frame[col].fillna("")
    frame["accuracy_m"] = pd.to_numeric(frame.get("accuracy_m"), errors="coerce")
    return frame


@lru_cache(maxsize=8)
def _check_drawn_lengths(stamp: tuple, places_stamp: tuple, borders_stamp: tuple,
                         refs_stamp: tuple | None) -> None:
    """Warn, once per version of the files, about drawn lines longer than published."""
    if refs_stamp is None:
        return
    try:
        refs = load_references(Path(refs_stamp[0]).parent)
    except DataValidationError:
        return  # named where the figures are used (route metrics, `corridors references`)
    curated = _load_curated(stamp, places_stamp, borders_stamp)
    for msg in longer_than_published(curated, refs):
        warn_data(f"{stamp[0]}: {msg}")


def _check_gauge(problems: Problems, rid: str, props: dict) -> None:
    if "gauge_mm" in props:
        problems.add(rid, "gauge_mm", props["gauge_mm"],
                     "renamed to 'gauge' (text such as \"1520\" or \"1435;1520\")")
    gauge = props.get("gauge")
    if is_blank(gauge):
        return
    if props.get("mode") != "rail":
        problems.add(rid, "gauge", gauge, "only rail segments have a gauge")
        return
    try:
        gauges = parse_gauge(gauge)
    except (ValueError, OverflowError) as err:
        problems.add(rid, "gauge", gauge, str(err))
        return
    if not gauges <= GAUGES_MM:
        problems.add(rid, "gauge", gauge, f"each gauge must be one of {sorted(GAUGES_MM)} (mm)")
    if is_blank(props.get("gauge_source")):
        problems.add(rid, "gauge_source", props.get("gauge_source"),
                     "is required when a gauge is given")


# ---------------------------------------------------------------------------------------------
# Routes


def load_routes(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Named alternatives as ordered segment lists, indexed by ``id``.

    Columns: ``name``, ``names`` (list of dicts: name, lang, used_by), ``origin``,
    ``destination``, ``segments`` (list of ids), ``sections`` (list of dicts: id, name,
    segments, a run of the route's own, so a report can quote a section such as the
    Syunik/Meghri link on its own), ``description``, ``source``, ``as_of``.
    Checks: required fields, duplicate ids, unknown segment or place ids, and that the segments
    chain end to end from ``origin`` to ``destination``.
    """
    places_stamp = file_stamp(data_path("places.csv", data_dir))
    borders_stamp = file_stamp(data_path("borders.geojson", data_dir))
    seg_stamp = file_stamp(data_path("segments.geojson", data_dir))
    route_stamp = file_stamp(data_path("routes.yaml", data_dir))
    return _load_routes(route_stamp, seg_stamp, places_stamp, borders_stamp).copy()


@lru_cache(maxsize=8)
def _load_routes(stamp, seg_stamp, places_stamp, borders_stamp) -> pd.DataFrame:
    path = Path(stamp[0])
    problems = Problems(path)
    doc = read_yaml(problems, path)
    items = doc.get("routes") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        if isinstance(doc, dict) and "routes" in doc:
            problems.add("-", "routes", items, "must be a non-empty list of routes")
        else:
            problems.add("-", "(file)", None, "must hold 'routes:' with a non-empty list of routes")
        problems.raise_if_any()
    segments = _load_curated(seg_stamp, places_stamp, borders_stamp)
    places = _load_places(places_stamp, borders_stamp)
    for i, route in enumerate(items):
        if not isinstance(route, dict):
            problems.add(f"#{i}", "(record)", route, "must be a mapping")
            continue
        rid = route.get("id") or f"#{i}"
        check_required(problems, rid, route, ROUTE_FIELDS)
        if not is_blank(route.get("as_of")):
            check_date(problems, rid, "as_of", str(route.get("as_of")))
        ends_ok = True
        for field in ("origin", "destination"):
            value = route.get(field)
            if not is_blank(value) and (not check_hashable(problems, rid, field, value)
                                        or value not in places.index):
                ends_ok = False
                if isinstance(value, str | int | float):
                    problems.add(rid, field, value, "unknown place id")
        seg_ids = check_list(problems, rid, "segments", route.get("segments"), "segment ids")
        check_list(problems, rid, "names", route.get("names"), "names {name, lang, used_by}")
        unknown = [s for s in seg_ids if not isinstance(s, str) or s not in segments.index]
        for sid in unknown:
            problems.add(rid, "segments", sid, "unknown segment id")
        if seg_ids and not unknown and ends_ok and not is_blank(route.get("origin")):
            _check_chain(problems, rid, route, segments)
        _check_sections(problems, rid, route.get("sections"), seg_ids)
    check_unique(problems, [r.get("id") for r in items if isinstance(r, dict)])
    problems.raise_if_any()
    warn_unknown_fields(path, items, ROUTE_COLUMNS)
    frame = pd.DataFrame(items).set_index("id")
    for col in ("names", "sections", "description"):
        if col not in frame:
            frame[col] = None
    for col in ("names", "sections"):
        frame[col] = frame[col].apply(lambda v: v if isinstance(v, list) else [])
    frame["as_of"] = frame["as_of"].astype(str)
    return frame


def _check_sections(problems: Problems, rid: str, raw, seg_ids: list) -> None:
    """A route's ``sections``: each ``{id, name, segments}``, its segments a run of the route's
    own, in the route's order; ids unique within the route."""
    sections = check_list(problems, rid, "sections", raw, "sections {id, name, segments}")
    seen: set = set()
    for i, sec in enumerate(sections):
        label = f"sections[{i}]"
        if not isinstance(sec, dict):
            problems.add(rid, label, sec, "must be a mapping with id, name and segments")
            continue
        check_required(problems, rid, sec, ["id", "name", "segments"])
        if sec.get("id") in seen:
            problems.add(rid, f"{label}.id", sec.get("id"), "repeats another section's id")
        seen.add(sec.get("id"))
        ids = check_list(problems, rid, f"{label}.segments", sec.get("segments"), "segment ids")
        n = len(ids)
        runs = [seg_ids[k:k + n] for k in range(len(seg_ids) - n + 1)] if n else []
        if n and ids not in runs:
            problems.add(rid, f"{label}.segments", ids,
                         "must be consecutive segments of the route, in the route's order")


def _check_chain(problems: Problems, rid: str, route: dict, segments: gpd.GeoDataFrame) -> None:
    at = route["origin"]
    for sid in route["segments"]:
        a, b = segments.at[sid, "from"], segments.at[sid, "to"]
        if at == a:
            at = b
        elif at == b:
            at = a
        else:
            problems.add(rid, "segments", sid, f"does not start or end at {at!r} (it links {a!r} and {b!r})")
            return
    if at != route.get("destination"):
        problems.add(rid, "destination", route.get("destination"), f"the segments end at {at!r}")


def route_path(route_id: str, data_dir: Path | str | None = None) -> list[tuple[str, bool]]:
    """Ordered ``(segment_id, reversed)`` pairs of a named route, walking origin to destination."""
    routes = load_routes(data_dir)
    segments = load_segments(data_dir)
    if route_id not in routes.index:
        known = ", ".join(routes.index)
        msg = f"unknown route {route_id!r}; known routes: {known}"
        raise UnknownRouteError(msg)
    at = routes.at[route_id, "origin"]
    out = []
    for sid in routes.at[route_id, "segments"]:
        rev = segments.at[sid, "from"] != at
        at = segments.at[sid, "from"] if rev else segments.at[sid, "to"]
        out.append((sid, bool(rev)))
    return out


def route_geometry(route_id: str, data_dir: Path | str | None = None) -> LineString:
    """The route as one LineString in travel order (segments reversed where needed)."""
    segments = load_segments(data_dir)
    coords: list = []
    for sid, rev in route_path(route_id, data_dir):
        part = list(segments.geometry.loc[sid].coords)
        if rev:
            part.reverse()
        coords.extend(part if not coords else part[1:])
    return LineString(coords)


def load_routes_gdf(data_dir: Path | str | None = None) -> gpd.GeoDataFrame:
    """Named routes with their travel-order geometry (one LineString each), indexed by ``id``."""
    routes = load_routes(data_dir)
    geoms = [route_geometry(rid, data_dir) for rid in routes.index]
    return gpd.GeoDataFrame(routes, geometry=geoms, crs=settings.crs)


def data_as_of(data_dir: Path | str | None = None) -> str:
    """The newest as-of date among places, segments and routes (the data's as-of date)."""
    dates = [
        *load_places(data_dir)["as_of"].astype(str),
        *load_segments(data_dir)["as_of"].astype(str),
        *load_routes(data_dir)["as_of"].astype(str),
    ]
    return max(dates) if dates else ""
