"""OSM stations files: railway stations by name, for places on the OSM network.

A stations file is a JSON list of OpenStreetMap station nodes, ``[{"id", "lat", "lon", "name",
"type"}]`` with an optional ``nameLocal`` (the name in the local language or script), as in
``../shared/osm/stations-azerbaijan.json``. :func:`load_stations` reads and checks one;
:func:`find_station` looks a station up by name.

Names match as place names do (:func:`geo.names.normalize_name`: case, accents and script are
ignored, so ``Ələt``, ``Alat`` and ``АЛЯТ`` are the same), on ``name`` or ``nameLocal``, in
three tiers: the whole name; the name without words that only say "station"
(:data:`STATION_WORDS`: ``Qəbələ Stansiyası`` is found as ``Qəbələ``); then every word of the
query among the words of the name (``Alat`` finds ``Bash - Alat`` and ``Yeni Ələt``). The
station's OSM id also works.

Module globals (change by assignment):

SAME_STATION_KM : float
    Stations of one tier that match and lie within this distance (km) of the first match are
    one station (OSM often has a node per platform or per operator): 1 km.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .._errors import UnknownPlaceError
from .._validate import Problems, is_blank, json_type, read_json
from ..files import file_stamp
from ..measure import distance_km
from ..names import close_forms, normalize_name

SAME_STATION_KM: float = 1.0
#: Words (normalized) that only say "station" or "railway", in the languages of the region.
STATION_WORDS = frozenset({
    "station", "railway", "railroad", "train", "halt", "stansiyasi", "stansiya", "damiryol",
    "vagzal", "vagzali", "vokzal", "stantsiya", "zhd", "gar", "gari", "istasyon", "istasyonu",
    "tren", "sadguri", "kayaran", "ایستگاه", "قطار", "راه", "آهن", "راه‌آهن",
})


@dataclass(frozen=True)
class Station:
    """One station of a stations file: OSM ``id``, names, ``type`` and position (lon/lat)."""

    id: str
    name: str
    local: str
    type: str
    lon: float
    lat: float

    def describe(self) -> str:
        """``'Astara' (OSM node 3078730877, station at 38.48889, 48.87592)``."""
        local = f" / {self.local!r}" if self.local and self.local != self.name else ""
        return (f"{self.name!r}{local} (OSM node {self.id}, {self.type or 'station'} at "
                f"{self.lat:.5f}, {self.lon:.5f})")


def load_stations(path: Path | str) -> tuple[Station, ...]:
    """The stations of a stations file, checked; every problem is reported at once.

    Raises
    ------
    DataValidationError
        The file is not a JSON list of objects, or a station lacks a name, or its ``lat`` /
        ``lon`` are not numbers in range (each problem names the station and the value).
    OSError
        The file cannot be read (not found, a folder ...).
    """
    return _load_stations(file_stamp(path))


@lru_cache(maxsize=4)
def _load_stations(stamp: tuple) -> tuple[Station, ...]:
    path = Path(stamp[0])
    problems = Problems(path, noun="station")
    doc = read_json(problems, path)
    if not isinstance(doc, list):
        problems.add("-", "(file)", None, f"must be a JSON list of stations, not {json_type(doc)}")
        problems.raise_if_any()
    return stations_from_records(doc, problems)


def cache_stations(cache: Path | str, metadata: dict) -> tuple[Station, ...]:
    """The stations an import kept (``metadata["stations"]`` of an OSM cache), checked as a
    stations file is; empty for a cache without them (roads only, or an older import)."""
    return stations_from_records(list(metadata.get("stations") or []),
                                 Problems(cache, noun="station"))


def stations_from_records(records: list, problems: Problems) -> tuple[Station, ...]:
    """Stations from ``{"id", "lat", "lon", "name", ...}`` records; raises every problem at
    once through ``problems`` (which names the file)."""
    out = []
    for i, item in enumerate(records):
        if not isinstance(item, dict):
            problems.add(f"#{i}", "(station)", item, "must be an object with id, lat, lon, name")
            continue
        label = str(item.get("id") or f"#{i}")
        if is_blank(item.get("name")):
            problems.add(label, "name", item.get("name"), "is missing")
        position = {}
        for field, limit in (("lat", 90), ("lon", 180)):
            value = item.get(field)
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.add(label, field, value, "must be a number")
            elif not -limit <= value <= limit:
                problems.add(label, field, value, f"is out of range -{limit}..{limit}")
            else:
                position[field] = float(value)
        if len(position) == 2 and not is_blank(item.get("name")):
            out.append(Station(label, str(item["name"]).strip(),
                               str(item.get("nameLocal") or "").strip(),
                               str(item.get("type") or ""), position["lon"], position["lat"]))
    problems.raise_if_any()
    return tuple(out)


def _core(key: str) -> str:
    return " ".join(w for w in key.split() if w not in STATION_WORDS)


@lru_cache(maxsize=8192)
def _forms(station: Station) -> tuple[frozenset, frozenset, frozenset]:
    """A station's normalized names, the same without station words, and all their words."""
    keys = frozenset(normalize_name(n) for n in (station.name, station.local) if n)
    return keys, frozenset(_core(k) for k in keys), frozenset(w for k in keys for w in k.split())


def _matches(station: Station, tier: int, text: str, key: str) -> bool:
    names, cores, words = _forms(station)
    if tier == 0:
        return key in names or text.strip() == station.id
    if tier == 1:
        return bool(_core(key)) and _core(key) in cores
    wanted = set(key.split()) - STATION_WORDS
    return bool(wanted) and wanted <= words


def find_station(stations: tuple[Station, ...], name: str, *, source: Path | str) -> Station | None:
    """The station ``name`` names (see the module docstring), or None when none matches.

    Raises
    ------
    UnknownPlaceError
        The name matches stations farther than :data:`SAME_STATION_KM` apart; the message
        lists them with their OSM ids and positions.
    """
    found = stations_named(stations, name)
    if found:
        first = found[0]
        apart = [s for s in found if distance_km(first.lon, first.lat, s.lon, s.lat) > SAME_STATION_KM]
        if not apart:
            return first
        listing = "; ".join(s.describe() for s in found[:12])
        more = f" and {len(found) - 12} more" if len(found) > 12 else ""
        msg = (f"station name {name!r} matches {len(found)} stations of {Path(source).name}: "
               f"{listing}{more}; give the OSM id or the coordinates (lat,lon) of the one you "
               "mean")
        raise UnknownPlaceError(msg)
    return None


def stations_named(stations: tuple[Station, ...], name: str) -> list[Station]:
    """Every station ``name`` names, in the first tier that matches any (see the module
    docstring); empty when none does."""
    key = normalize_name(name)
    if not key:
        return []
    for tier in range(3):
        found = [s for s in stations if _matches(s, tier, name, key)]
        if found:
            return found
    return []


def station_suggestions(stations: tuple[Station, ...], name: str, *, n: int = 5) -> list[str]:
    """The names of the stations whose names are closest to ``name`` (for "did you mean")."""
    by_key: dict = {}
    for s in stations:
        for key in _forms(s)[0]:
            by_key.setdefault(key, s.name)
    out: list[str] = []
    for form in close_forms(normalize_name(name), list(by_key), n=2 * n):
        if by_key[form] not in out:
            out.append(by_key[form])
    return out[:n]
