"""A lazy, memoised view of one data folder's geodata (on a date), for checking many claims."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from .. import settings
from .._errors import NoPathError
from ..borders import shared_border_km, shared_border_line
from ..data import (
    load_borders,
    load_places,
    load_routes,
    load_segments,
    load_territories,
    route_geometry,
    route_path,
)
from ..dated import network_at
from ..metrics import path_metrics
from ..overlay import Network, network
from ..routing import compare


class NotCheckable(Exception):
    """The geodata lack what a check needs (a missing file, route or place)."""


class GeoData:
    """Lazy, memoised view of the geodata of one data folder."""

    def __init__(self, data_dir: Path | str | None, when: str | None = None) -> None:
        self.data_dir = Path(data_dir or settings.data_dir)
        self.when = when
        self._metrics: dict = {}
        self._route_geoms: dict = {}
        self._paths: dict = {}
        self._borders: dict = {}

    def _need(self, *names: str) -> None:
        missing = [n for n in names if not (self.data_dir / n).exists()]
        if missing:
            raise NotCheckable(f"the data file(s) {', '.join(missing)} are not in {self.data_dir}")

    @cached_property
    def borders(self) -> gpd.GeoDataFrame:

        self._need("borders.geojson")
        return load_borders(self.data_dir)

    @cached_property
    def territories(self) -> gpd.GeoDataFrame:

        self._need("borders.geojson")
        return load_territories(self.data_dir)

    @cached_property
    def places(self) -> gpd.GeoDataFrame:

        self._need("places.csv", "borders.geojson")
        return load_places(self.data_dir)

    @cached_property
    def routes(self) -> pd.DataFrame:

        self._need("routes.yaml", "segments.geojson", "places.csv", "borders.geojson")
        return load_routes(self.data_dir)

    @cached_property
    def segments(self) -> gpd.GeoDataFrame:

        self._need("segments.geojson", "places.csv", "borders.geojson")
        return load_segments(self.data_dir)

    # -- names --------------------------------------------------------------------------------

    def area(self, code: str):
        """Polygon of a country (whole, from the borders file) or of a unit such as AZE-NX."""
        if code in self.borders.index:
            return self.borders.geometry.loc[code]
        if code in self.territories.index:
            return self.territories.geometry.loc[code]
        raise NotCheckable(f"country or unit {code!r} is not in the borders data")

    def unit_area(self, unit: str):
        """Polygon of one territorial unit (AZE is then mainland Azerbaijan only)."""
        return self.territories.geometry.loc[unit]

    def area_name(self, code: str) -> str:
        frame = self.borders if code in self.borders.index else self.territories
        name = frame.at[code, "name"] if code in frame.index else code
        if code == "AZE-NX":
            name = "Nakhchivan"
        return f"{name} ({code})"

    def unit_name(self, unit: str) -> str:
        if unit == "AZE-NX":
            return "Nakhchivan (AZE-NX)"
        units = self.territories
        if unit in units.index and (units["iso3"] == units.at[unit, "iso3"]).sum() > 1:
            return f"mainland {units.at[unit, 'name']} ({unit})"
        return self.area_name(unit)

    def units_of(self, code: str) -> list[str]:
        """Territorial units making up ``code`` (AZE -> AZE, AZE-NX; AZE-NX -> AZE-NX)."""
        units = self.territories
        if code in units.index and code != units.at[code, "iso3"]:
            return [code]
        return list(units.index[units["iso3"] == code])

    def place_point(self, pid: str) -> Point:
        if pid not in self.places.index:
            raise NotCheckable(f"place {pid!r} is not in the places data")
        return self.places.geometry.loc[pid]

    def place_name(self, pid: str) -> str:
        return str(self.places.at[pid, "name_en"]) if pid in self.places.index else pid

    def route_name(self, rid: str) -> str:
        return str(self.routes.at[rid, "name"])

    # -- routes ---------------------------------------------------------------------------------

    def route_path(self, rid: str) -> list[tuple[str, bool]]:
        """``(segment id, reversed)`` in travel order (:func:`geo.route_path`), memoised."""

        if rid not in self.routes.index:
            raise NotCheckable(f"route {rid!r} is not in the routes data")
        if rid not in self._paths:
            self._paths[rid] = route_path(rid, self.data_dir)
        return self._paths[rid]

    def route_geom(self, rid: str):
        """The route as one LineString in travel order (:func:`geo.route_geometry`), memoised."""

        if rid not in self._route_geoms:
            self.route_path(rid)  # an unknown route is not checkable
            self._route_geoms[rid] = route_geometry(rid, self.data_dir)
        return self._route_geoms[rid]

    def border_line(self, a: str, b: str, *, units: bool = False):
        key = ("line", a, b, units)
        if key not in self._borders:
            area = self.unit_area if units else self.area
            self._borders[key] = shared_border_line(area(a), area(b))
        return self._borders[key]

    def border_km(self, a: str, b: str, *, units: bool = False) -> float:
        key = ("km", *sorted((a, b)), units)
        if key not in self._borders:
            area = self.unit_area if units else self.area
            self._borders[key] = shared_border_km(area(a), area(b))
        return self._borders[key]

    @cached_property
    def network(self) -> Network:
        """The network with the statuses of ``when`` (as recorded when None)."""
        self._need("segments.geojson", "places.csv", "borders.geojson")
        return network_at(self.data_dir, self.when) if self.when else network(self.data_dir)

    def route_metrics(self, rid: str) -> dict:
        """:func:`geo.path_metrics` of a named route on this view's network, memoised."""
        if rid not in self._metrics:
            self._metrics[rid] = path_metrics(self.route_path(rid), self.data_dir, net=self.network)
        return self._metrics[rid]

    def section_metrics(self, ids: list[str]) -> dict:
        """:func:`geo.path_metrics` of consecutive segments (walked from the first to the last)."""
        key = tuple(ids)
        if key not in self._metrics:
            missing = [s for s in ids if s not in self.network.seg]
            if missing:
                raise NotCheckable(f"segment(s) {', '.join(missing)} are not in the segments data")
            self._metrics[key] = path_metrics(chain_steps(ids, self.network.seg), self.data_dir,
                                              net=self.network)
        return self._metrics[key]


    def between_metrics(self, a: str, b: str, *, route: str | None = None,
                        mode: str | None = None) -> dict:
        """Metrics of the way from place ``a`` to place ``b``: along ``route`` when given (the
        part of it between them), else the shortest path on the network (of ``mode``)."""
        for pid in (a, b):
            self.place_point(pid)  # an unknown place is not checkable
        key = ("between", a, b, route, mode)
        if key in self._metrics:
            return self._metrics[key]
        if route is not None:
            steps = self.route_path(route)
            nodes = [self.network.seg[steps[0][0]]["to" if steps[0][1] else "from"]]
            nodes += [self.network.seg[s]["from" if rev else "to"] for s, rev in steps]
            if a not in nodes or b not in nodes:
                missing = [p for p in (a, b) if p not in nodes]
                raise NotCheckable(f"route {route!r} does not pass {', '.join(missing)}")
            i, j = sorted((nodes.index(a), nodes.index(b)))
            if i == j:
                raise NotCheckable(f"{a!r} and {b!r} are the same place on route {route!r}")
            metrics = path_metrics(steps[i:j], self.data_dir, net=self.network)
        else:
            try:
                metrics = compare(a, b, k=1, mode=mode, data_dir=self.data_dir,
                                  net=self.network)[0]
            except NoPathError as err:
                raise NotCheckable(str(err)) from err
        self._metrics[key] = metrics
        return metrics


def chain_steps(ids: list[str], seg: dict) -> list[tuple[str, bool]]:
    """``(segment id, reversed)`` steps walking consecutive segments from the first to the last."""
    if len(ids) == 1:
        return [(ids[0], False)]
    first = seg[ids[0]]
    nxt = {seg[ids[1]]["from"], seg[ids[1]]["to"]}
    at = first["from"] if first["to"] in nxt else first["to"]
    steps = []
    for sid in ids:
        rev = seg[sid]["from"] != at
        steps.append((sid, rev))
        at = seg[sid]["from"] if rev else seg[sid]["to"]
    return steps
