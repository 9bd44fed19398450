"""Places on the OSM network: project places, coordinates as maps copy them, OSM stations.

:func:`resolve_osm_place` turns what a user typed into an :class:`OSMPlace`: a place of
``places.csv`` by id or name; else coordinates ``"lat,lon"`` (:func:`parse_latlon`); else a
station of a stations file (:mod:`geo.osm.stations`). Coordinates and stations may lie
anywhere the OSM file covers, inside the borders file or not (``country`` is then "").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import settings
from .._errors import InputError, UnknownPlaceError
from ..data import load_places, load_territories
from ..names import place_matches, resolve_place
from .stations import Station, find_station, load_stations, station_suggestions

#: Place kinds on the railway: in places.csv every station and junction is a railway place.
RAIL_PLACE_KINDS = frozenset({"station", "junction"})
_COORDINATE = r"([+-]?\d+(?:\.\d+)?)\s*°?\s*([NSEWnsew])?"
_LATLON = re.compile(rf"{_COORDINATE}\s*[,;\s]\s*{_COORDINATE}")
_NUMERIC = re.compile(r"[\d\s.,;:+\-°'\"NSEWnsew]+")


@dataclass(frozen=True)
class OSMPlace:
    """An end of a path on the OSM network: a project place, coordinates or an OSM station.

    ``id`` is the place id, the coordinates as given (``"47.14,9.52"``) or the station's name;
    ``kind`` a place kind (``"station"`` for an OSM station, ``""`` for coordinates);
    ``country`` an ISO3 code of the borders file, ``""`` outside it; ``source`` says where the
    place was found.
    """

    id: str
    name: str
    lon: float
    lat: float
    kind: str
    country: str
    source: str

    @property
    def label(self) -> str:
        """``"Baku (baku)"``, or the id alone when it is the name."""
        return self.id if self.name == self.id else f"{self.name} ({self.id})"

    @property
    def rail(self) -> bool:
        """Whether the place is on the railway by its kind (:data:`RAIL_PLACE_KINDS`)."""
        return self.kind in RAIL_PLACE_KINDS


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` from coordinates as maps copy them; None when ``text`` is not numbers.

    Accepts ``"40.38,49.87"``, ``"40.38, 49.87"``, ``"40.38 49.87"`` and hemisphere letters
    (``"40.38N, 49.87E"``; ``"9.52 E, 47.14 N"``: letters may put lon first; S and W are
    negative). One number alone (an OSM id) is not coordinates: None.

    Raises
    ------
    InputError
        Several numbers that are not two coordinates, or a value out of range (the message
        says which, and whether lat and lon look swapped).
    """
    match = _LATLON.fullmatch(str(text).strip())
    if match is None:
        if _NUMERIC.fullmatch(str(text).strip()) and len(re.findall(r"\d+", str(text))) > 1:
            msg = f"{text!r} is not coordinates: give lat,lon in degrees, e.g. 40.38,49.87"
            raise InputError(msg)
        return None
    a, a_hemi, b, b_hemi = match.groups()
    a_hemi, b_hemi = (a_hemi or "").upper(), (b_hemi or "").upper()
    (lat, lat_hemi), (lon, lon_hemi) = ((float(a), a_hemi), (float(b), b_hemi))
    if a_hemi in ("E", "W") or b_hemi in ("N", "S"):
        (lat, lat_hemi), (lon, lon_hemi) = (lon, lon_hemi), (lat, lat_hemi)
    if lat_hemi not in ("", "N", "S") or lon_hemi not in ("", "E", "W"):
        msg = f"coordinates {text!r}: give one of N/S and one of E/W, e.g. 40.38N, 49.87E"
        raise InputError(msg)
    lat = -abs(lat) if lat_hemi == "S" else lat
    lon = -abs(lon) if lon_hemi == "W" else lon
    bad = [f"{name} {value:g} is out of range -{limit}..{limit}"
           for name, value, limit in (("latitude", lat, 90), ("longitude", lon, 180))
           if not -limit <= value <= limit]
    if bad:
        swapped = "; lat and lon look swapped" if abs(lon) <= 90 < abs(lat) <= 180 else ""
        msg = (f"coordinates {text!r}: {' and '.join(bad)}{swapped}; give lat,lon in degrees, "
               "latitude first, e.g. 40.38,49.87")
        raise InputError(msg)
    return lat, lon


def resolve_osm_place(text: str, *, stations: str | Path | None = None,
                      data_dir: Path | str | None = None,
                      imported: tuple[Station, ...] = (), imported_from: str = "") -> OSMPlace:
    """The place ``text`` names on the OSM network, tried in this order.

    1. A place of ``places.csv``: its id, or any of its names (:func:`geo.names.resolve_place`).
    2. Coordinates ``"lat,lon"`` in degrees (:func:`parse_latlon`).
    3. A station of the ``stations`` file, by name or OSM id (:func:`geo.osm.stations.find_station`);
       without a file, a station the import kept (``imported``, from the cache
       ``imported_from``: :func:`geo.osm.stations.cache_stations`).

    Raises
    ------
    UnknownPlaceError
        Nothing matches (the message suggests place and station names), or the name matches
        several places or several stations (the message lists them).
    InputError
        Numbers that are not valid coordinates.
    """
    try:
        pid = resolve_place(text, data_dir)
    except UnknownPlaceError as err:
        if place_matches(text, data_dir):  # several places: ambiguous, not unknown
            raise
        unknown = err
    else:
        row = load_places(data_dir).loc[pid]
        return OSMPlace(pid, str(row["name_en"]), float(row["lon"]), float(row["lat"]),
                        str(row["kind"]), str(row["country"]), "places.csv")
    territories = load_territories(data_dir)
    latlon = parse_latlon(text)
    if latlon is not None:
        lat, lon = latlon
        pid = f"{_degrees(lat)},{_degrees(lon)}"
        return OSMPlace(pid, pid, lon, lat, "", country_at(lon, lat, territories), "coordinates")
    if stations is None and not imported:
        msg = (f"{unknown}; on the OSM network a place may also be coordinates (lat,lon, e.g. "
               "40.38,49.87) or the name of a station of the import or of a stations file "
               "(--stations FILE)")
        raise UnknownPlaceError(msg)
    listed = load_stations(stations) if stations is not None else imported
    where = Path(stations).name if stations is not None else f"the stations of {imported_from}"
    found = find_station(listed, text, source=where)
    if found is None:
        close = station_suggestions(listed, text)
        hint = f" (did you mean: {', '.join(map(repr, close))}?)" if close else ""
        msg = (f"{unknown}; nor is it coordinates (lat,lon, e.g. 40.38,49.87) or one of "
               f"{where}{hint}")
        raise UnknownPlaceError(msg)
    same_name = sum(s.name == found.name for s in listed)
    pid = found.name if same_name == 1 else f"{found.name} (OSM node {found.id})"
    return OSMPlace(pid, found.name, found.lon, found.lat, "station",
                    country_at(found.lon, found.lat, territories),
                    f"{where}: OSM node {found.id}")


def _degrees(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def country_at(lon: float, lat: float, territories: gpd.GeoDataFrame) -> str:
    unit = unit_at(lon, lat, territories)
    return str(territories["iso3"].get(unit, "")) if unit else ""


def places_frame(ends: list[OSMPlace]) -> gpd.GeoDataFrame:
    """The two ends as a places frame for :func:`geo.overlay.build_network`."""
    return gpd.GeoDataFrame(
        {"lon": [p.lon for p in ends], "lat": [p.lat for p in ends],
         "kind": [p.kind for p in ends], "name_en": [p.name for p in ends],
         "country": [p.country for p in ends]},
        geometry=gpd.points_from_xy([p.lon for p in ends], [p.lat for p in ends]),
        index=pd.Index([p.id for p in ends], name="id"), crs=settings.crs)


def unit_at(lon: float, lat: float, territories: gpd.GeoDataFrame) -> str | None:
    hit = territories.index[shapely.contains_xy(np.asarray(territories.geometry.values), lon, lat)]
    return str(hit[0]) if len(hit) else None
