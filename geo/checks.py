"""Check claims against the geodata: predicates, verdicts and evidence computed at run time.

Each predicate of ``PREDICATE_ARGS`` (in :mod:`geo.claims`) measures something in the
geodata and returns a verdict with evidence text built from the numbers it computed, so a
change of the data changes the evidence. Nothing here is typed in.

Verdicts (keys of ``geo.style.VERDICT_LABELS``):

``consistent``
    what the claim states or implies agrees with the geodata;
``partly_consistent``
    part of it agrees (e.g. some of the route lies in the country the claim implies);
``inconsistent``
    the geodata show otherwise;
``context_only``
    the geodata give relevant numbers but the claim makes no assertion they can test
    (a predicate without ``expect``/``min_share``);
``not_checkable``
    opinions, and claims the geodata cannot speak to (the reason is given).

The wording is neutral and attributed: "The article states that ...; the geodata show ...".
Lengths are geodesic (``pyproj.Geod`` via :mod:`geo.measure`); the one local metric step
(buffering a route by N km) uses an azimuthal equidistant projection centred on the border
being measured.
"""

from __future__ import annotations

import math
import re
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from . import settings
from ._errors import UnknownPlaceError, UnknownRouteError
from .borders import shared_border_km, shared_border_line
from .claims import PREDICATE_ARGS, load_claims
from .escape import bidi, escape_html
from .measure import geod, line_length_km, point_to_geom_km

VERDICTS = ("consistent", "partly_consistent", "inconsistent", "context_only", "not_checkable")
# A length below this (km) counts as none: border and route lines are generalised, so a route
# that follows a border may cross it by a few hundred metres.
KM_TOLERANCE = 1.0
# Share of a route that counts as "all" of it for ``expect: all``.
ALL_SHARE = 0.99
DEFAULT_NEAR_KM = 5.0
OPERATIONAL = "operational"
_COMPASS = (
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
)


class _NotCheckable(Exception):
    """The geodata lack what a check needs (a missing file, route or place)."""


# ---------------------------------------------------------------------------------------------
# Geodata access, memoised for one run of :func:`check_claims`


class _Geo:
    """Lazy, memoised view of the geodata of one data folder."""

    def __init__(self, data_dir: Path | str | None) -> None:
        self.data_dir = Path(data_dir or settings.data_dir)
        self._route_geoms: dict = {}
        self._route_parts: dict = {}
        self._paths: dict = {}
        self._borders: dict = {}

    def _need(self, *names: str) -> None:
        missing = [n for n in names if not (self.data_dir / n).exists()]
        if missing:
            raise _NotCheckable(f"the data file(s) {', '.join(missing)} are not in {self.data_dir}")

    @cached_property
    def borders(self) -> gpd.GeoDataFrame:
        from .data import load_borders

        self._need("borders.geojson")
        return load_borders(self.data_dir)

    @cached_property
    def territories(self) -> gpd.GeoDataFrame:
        from .data import load_territories

        self._need("borders.geojson")
        return load_territories(self.data_dir)

    @cached_property
    def places(self) -> gpd.GeoDataFrame:
        from .data import load_places

        self._need("places.csv", "borders.geojson")
        return load_places(self.data_dir)

    @cached_property
    def routes(self) -> pd.DataFrame:
        from .data import load_routes

        self._need("routes.yaml", "segments.geojson", "places.csv", "borders.geojson")
        return load_routes(self.data_dir)

    @cached_property
    def segments(self) -> gpd.GeoDataFrame:
        from .data import load_segments

        self._need("segments.geojson", "places.csv", "borders.geojson")
        return load_segments(self.data_dir)

    # -- names --------------------------------------------------------------------------------

    def area(self, code: str):
        """Polygon of a country (whole, from the borders file) or of a unit such as AZE-NX."""
        if code in self.borders.index:
            return self.borders.geometry.loc[code]
        if code in self.territories.index:
            return self.territories.geometry.loc[code]
        raise _NotCheckable(f"country or unit {code!r} is not in the borders data")

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
            raise _NotCheckable(f"place {pid!r} is not in the places data")
        return self.places.geometry.loc[pid]

    def place_name(self, pid: str) -> str:
        return str(self.places.at[pid, "name_en"]) if pid in self.places.index else pid

    def route_name(self, rid: str) -> str:
        return str(self.routes.at[rid, "name"])

    # -- routes ---------------------------------------------------------------------------------

    def route_path(self, rid: str) -> list[tuple[str, bool]]:
        """``(segment id, reversed)`` in travel order (:func:`geo.route_path`), memoised."""
        from .data import route_path

        if rid not in self.routes.index:
            raise _NotCheckable(f"route {rid!r} is not in the routes data")
        if rid not in self._paths:
            self._paths[rid] = route_path(rid, self.data_dir)
        return self._paths[rid]

    def route_geom(self, rid: str):
        """The route as one LineString in travel order (:func:`geo.route_geometry`), memoised."""
        from .data import route_geometry

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

    def route_parts(self, rid: str) -> pd.DataFrame:
        """Route km split by segment, status and territorial unit (unit ``""`` = no country)."""
        if rid not in self._route_parts:
            units = self.territories
            rows = []
            for sid, _ in self.route_path(rid):
                seg = self.segments.loc[sid]
                seg_km = line_length_km(seg.geometry)
                inside = 0.0
                for i in units.sindex.query(seg.geometry, predicate="intersects"):
                    km = line_length_km(seg.geometry.intersection(units.geometry.iloc[i]))
                    if km > 0:
                        inside += km
                        rows.append((sid, seg["status"], units.index[i], units["iso3"].iloc[i], km))
                if seg_km - inside > 0.05:
                    rows.append((sid, seg["status"], "", "", seg_km - inside))
            self._route_parts[rid] = pd.DataFrame(
                rows, columns=["segment", "status", "unit", "iso3", "km"]
            )
        return self._route_parts[rid]


# ---------------------------------------------------------------------------------------------
# Formatting helpers


def _km(value: float) -> str:
    return f"{value:,.0f} km" if value >= 100 else f"{value:.1f} km"


def _pct(share: float) -> str:
    return f"{share:.0%}" if share >= 0.01 or share == 0 else "under 1%"


def _r(value: float, digits: int = 1) -> float:
    return round(float(value), digits)


def _compass(bearing: float) -> str:
    return _COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]


def _angle_between(a: float, b: float) -> float:
    diff = abs((a - b) % 360)
    return min(diff, 360 - diff)


def _by_unit_text(geo: _Geo, km_by_unit: dict) -> str:
    parts = [
        f"{geo.unit_name(u) if u else 'outside every country outline (sea or generalised coast)'} {_km(km)}"
        for u, km in sorted(km_by_unit.items(), key=lambda kv: -kv[1])
        if km >= 0.05
    ]
    return "; ".join(parts)


def _route_summary(geo: _Geo, rid: str) -> tuple[str, dict]:
    parts = geo.route_parts(rid)
    length = float(parts["km"].sum())
    by_unit = parts.groupby("unit")["km"].sum().to_dict()
    by_status = parts.groupby("status")["km"].sum().to_dict()
    figures = {
        "length_km": _r(length),
        "km_by_unit": {u or "none": _r(k) for u, k in by_unit.items()},
        "km_by_status": {s: _r(k) for s, k in by_status.items()},
    }
    return _by_unit_text(geo, by_unit), figures


def _status_text(by_status: dict) -> str:
    return ", ".join(
        f"{_km(k)} {s.replace('_', ' ')}"
        for s, k in sorted(by_status.items(), key=lambda kv: -kv[1])
    )


# ---------------------------------------------------------------------------------------------
# Predicates: each returns (verdict, assertion, finding, figures)


def _shares_border(geo: _Geo, args: dict, claim: dict):
    a, b = args["a"], args["b"]
    expect = args.get("expect", True)
    ga = geo.area(a)
    km = geo.border_km(a, b)
    figures: dict = {"border_km": _r(km)}
    shares = km >= 0.1
    parts = []
    split = len(geo.units_of(a)) > 1 or len(geo.units_of(b)) > 1
    for ua in geo.units_of(a) if split else []:
        for ub in geo.units_of(b):
            part = geo.border_km(ua, ub, units=True)
            if part >= 0.1:
                figures.setdefault("border_km_by_unit", {})[f"{ua}|{ub}"] = _r(part)
                parts.append(f"{geo.unit_name(ua)} – {geo.unit_name(ub)} {_km(part)}")
    name_a, name_b = geo.area_name(a), geo.area_name(b)
    assertion = f"{name_a} and {name_b} {'share' if expect else 'do not share'} a land border"
    if shares:
        finding = f"a shared land border of {_km(km)}" + (
            f" ({'; '.join(parts)})" if len(parts) > 1 else ""
        )
    else:
        finding = f"no shared land border between {name_a} and {name_b}"
    verdict = "consistent" if shares == expect else "inconsistent"
    direction = args.get("direction")
    if direction and shares:
        line = geo.border_line(a, b)
        centre = ga.centroid
        mid = line.centroid
        bearing = geod().inv(centre.x, centre.y, mid.x, mid.y)[0] % 360
        figures["border_bearing_deg"] = _r(bearing, 0)
        figures["border_direction"] = _compass(bearing)
        target = _COMPASS.index(direction) * 45
        off = _angle_between(bearing, target)
        assertion += f", with {name_b} to the {direction} of {name_a}"
        finding += (
            f"; seen from the centre of {name_a}, the middle of the shared border lies to the "
            f"{_compass(bearing)} (bearing {bearing:.0f}°)"
        )
        if off > 67.5 and verdict == "consistent":
            verdict = "partly_consistent"
    return verdict, assertion, finding, figures


def _end_spec(geo: _Geo, spec: str):
    """(geometry, name, tolerance km) of a route end given as a place id or a country code."""
    tol = settings.place_country_tolerance_m / 1000.0
    if re.fullmatch(r"[A-Z]{3}(-[A-Z]{2})?", spec):
        return geo.area(spec), geo.area_name(spec), tol
    return (
        geo.place_point(spec),
        geo.place_name(spec),
        max(tol, settings.segment_end_tolerance_m / 1000.0),
    )


def _near(point: Point, geom, tol_km: float) -> bool:
    return point_to_geom_km(point, geom) <= tol_km


def _route_connects(geo: _Geo, args: dict, claim: dict):
    rid = args["route"]
    line = geo.route_geom(rid)
    (ga, name_a, tol_a), (gb, name_b, tol_b) = _end_spec(geo, args["a"]), _end_spec(geo, args["b"])
    start, end = Point(line.coords[0]), Point(line.coords[-1])
    ends_match = (_near(start, ga, tol_a) and _near(end, gb, tol_b)) or (
        _near(start, gb, tol_b) and _near(end, ga, tol_a)
    )
    passes = line.distance(ga) == 0 or _near(start, ga, tol_a) or _near(end, ga, tol_a)
    passes_b = line.distance(gb) == 0 or _near(start, gb, tol_b) or _near(end, gb, tol_b)
    by_unit, figures = _route_summary(geo, rid)
    by_status = figures["km_by_status"]
    not_running = sum(k for s, k in by_status.items() if s != OPERATIONAL)
    figures["km_not_operational"] = _r(not_running)
    routes = geo.routes
    origin, dest = routes.at[rid, "origin"], routes.at[rid, "destination"]
    name = geo.route_name(rid)
    finding = (
        f"the route {name} running {_km(figures['length_km'])} from {geo.place_name(origin)} to "
        f"{geo.place_name(dest)}, through {by_unit}; by status: {_status_text(by_status)}"
    )
    if ends_match:
        verdict = "consistent"
        if args.get("operational") and not_running >= KM_TOLERANCE:
            verdict = "partly_consistent"
    elif passes and passes_b:
        verdict = "partly_consistent"
        finding += f"; it reaches {name_a} and {name_b} but does not start and end in them"
    else:
        verdict = "inconsistent"
        missing = [n for n, ok in ((name_a, passes), (name_b, passes_b)) if not ok]
        finding += f"; it does not reach {' or '.join(missing)}"
    running = " as an operational link" if args.get("operational") else ""
    assertion = f"{name} connects {name_a} with {name_b}{running}"
    return verdict, assertion, finding, figures


def _km_in(parts: pd.DataFrame, code: str) -> float:
    mask = parts["unit"] == code if "-" in code else parts["iso3"] == code
    return float(parts.loc[mask, "km"].sum())


def _route_km_in_country(geo: _Geo, args: dict, claim: dict):
    rid, code = args["route"], args["country"]
    geo.area(code)
    by_unit, figures = _route_summary(geo, rid)
    km_in = _km_in(geo.route_parts(rid), code)
    length = figures["length_km"]
    share = km_in / length if length else 0.0
    figures.update({"km_in_country": _r(km_in), "share_in_country": _r(share, 3)})
    name, cname = geo.route_name(rid), geo.area_name(code)
    finding = f"{_km(km_in)} of the {_km(length)} of {name} ({_pct(share)}) inside {cname}; by territory: {by_unit}"
    expect = args.get("expect")
    some = km_in >= KM_TOLERANCE
    if expect is None:
        return "context_only", "", finding, figures
    if expect == "all":
        verdict = (
            "consistent"
            if share >= ALL_SHARE or length - km_in < KM_TOLERANCE
            else ("partly_consistent" if some else "inconsistent")
        )
    elif expect == "most":
        verdict = "consistent" if share > 0.5 else ("partly_consistent" if some else "inconsistent")
    elif expect == "some":
        verdict = "consistent" if some else "inconsistent"
    else:  # none
        verdict = "inconsistent" if some else "consistent"
    wording = {"all": "all of", "most": "most of", "some": "part of", "none": "none of"}[expect]
    assertion = f"{wording} {name} lies in {cname}"
    return verdict, assertion, finding, figures


def _claim_point(claim: dict, lon: float, lat: float) -> dict:
    """The claim's ``features.points`` entry at ``lon, lat`` (label, precision), if any."""
    for point in claim.get("points") or []:
        if math.isclose(point["lon"], lon, abs_tol=1e-6) and math.isclose(
            point["lat"], lat, abs_tol=1e-6
        ):
            return point
    return {}


def _nearest_other(geo: _Geo, point: Point, code: str) -> tuple[str | None, float]:
    """The nearest country other than ``code`` (and its units) and its distance in km."""
    borders = geo.borders
    own = {code, code.split("-")[0]}
    best: tuple[str | None, float] = (None, math.inf)
    nearby = borders.sindex.query(point.buffer(2.0), predicate="intersects")
    for i in nearby if len(nearby) > 1 else range(len(borders)):
        other = borders.index[i]
        if other in own:
            continue
        km = point_to_geom_km(point, borders.geometry.iloc[i])
        if km < best[1]:
            best = (other, km)
    return best


def _place_in_country(geo: _Geo, args: dict, claim: dict):
    spec, code = args["place"], args["country"]
    area, cname = geo.area(code), geo.area_name(code)
    if isinstance(spec, dict):
        point = Point(spec["lon"], spec["lat"])
        known = _claim_point(claim, spec["lon"], spec["lat"])
        tol = spec.get("precision_km") or known.get("precision_km") or 0.0
        label = f"{known['label']} " if known.get("label") else "the point "
        where = f"{spec['lon']:.3f}, {spec['lat']:.3f}" + (f", precision {_km(tol)}" if tol else "")
        what = f"{label}({where})"
    else:
        point = geo.place_point(spec)
        acc = geo.places.at[spec, "accuracy_m"]
        tol = 0.0 if pd.isna(acc) else float(acc) / 1000.0
        what = f"{geo.place_name(spec)} ({spec})"
    expect = args.get("expect", True)
    inside = area.contains(point)
    units = geo.territories
    hits = list(units.index[units.contains(point)])
    other, other_km = _nearest_other(geo, point, code)
    figures = {"inside": bool(inside), "lies_in": hits[0] if hits else None}
    if inside:
        finding = f"it inside {cname}"
        if hits and hits[0] != code and "-" in hits[0]:
            finding += f" (in {geo.unit_name(hits[0])})"
        if other is not None:
            figures.update({"nearest_other": other, "km_to_other": _r(other_km)})
            finding += f", {_km(other_km)} from {geo.area_name(other)}"
        near_edge = other_km < tol
    else:
        out_km = point_to_geom_km(point, area)
        figures["km_outside"] = _r(out_km)
        where = geo.area_name(hits[0]) if hits else "no mapped country"
        finding = f"it in {where}, {_km(out_km)} outside {cname}"
        near_edge = out_km < tol
    if near_edge:
        verdict = "partly_consistent"
        finding += "; that is within the stated precision of the point, so either side is possible"
    else:
        verdict = "consistent" if inside == expect else "inconsistent"
    assertion = f"{what} lies {'in' if expect else 'outside'} {cname}"
    return verdict, assertion, finding, figures


def _aeqd(geom) -> str:
    c = geom.centroid
    return f"+proj=aeqd +lat_0={c.y:.6f} +lon_0={c.x:.6f} +datum=WGS84 +units=m +no_defs"


def _border_share_near_route(geo: _Geo, args: dict, claim: dict):
    a, b, rid = args["a"], args["b"], args["route"]
    near_km = float(args.get("km", DEFAULT_NEAR_KM))
    border = geo.border_line(a, b)
    border_km = line_length_km(border)
    if border_km < 0.1:
        raise _NotCheckable(
            f"{geo.area_name(a)} and {geo.area_name(b)} share no border in the borders data"
        )
    route = geo.route_geom(rid)
    crs = _aeqd(border)
    frame = gpd.GeoSeries([border, route], crs=settings.crs).to_crs(crs)
    zone = frame.iloc[1].buffer(near_km * 1000.0)
    near = gpd.GeoSeries([frame.iloc[0].intersection(zone)], crs=crs).to_crs(settings.crs).iloc[0]
    near_border_km = line_length_km(near)
    share = near_border_km / border_km
    figures = {
        "border_km": _r(border_km),
        "near_km": near_km,
        "border_km_near_route": _r(near_border_km),
        "share_near_route": _r(share, 3),
    }
    name = geo.route_name(rid)
    finding = (
        f"{_km(near_border_km)} of the {_km(border_km)} {geo.area_name(a)} – {geo.area_name(b)} "
        f"border ({_pct(share)}) lie within {near_km:g} km of {name}"
    )
    min_share = args.get("min_share")
    if min_share is None:
        return "context_only", "", finding, figures
    verdict = (
        "consistent"
        if share >= min_share
        else ("partly_consistent" if share > 0 else "inconsistent")
    )
    assertion = f"at least {min_share:.0%} of that border lies within {near_km:g} km of {name}"
    return verdict, assertion, finding, figures


def _length_ratio(geo: _Geo, args: dict, claim: dict):
    ra, rb = args["route_a"], args["route_b"]
    la, lb = line_length_km(geo.route_geom(ra)), line_length_km(geo.route_geom(rb))
    ratio = la / lb if lb else math.inf
    na, nb = geo.route_name(ra), geo.route_name(rb)
    figures = {"length_a_km": _r(la), "length_b_km": _r(lb), "ratio": _r(ratio, 3)}
    diff = "shorter" if la < lb else "longer"
    finding = (
        f"{na} measuring {_km(la)} and {nb} {_km(lb)} along the mapped lines; "
        f"{na} is {abs(1 - ratio):.0%} {diff} (ratio {ratio:.2f})"
    )
    expect = args.get("expect")
    if expect is None:
        return "context_only", "", finding, figures
    verdict = "consistent" if (la < lb) == (expect == "shorter") else "inconsistent"
    return verdict, f"{na} is {expect} than {nb}", finding, figures


PREDICATES = {
    "shares_border": _shares_border,
    "route_connects": _route_connects,
    "route_km_in_country": _route_km_in_country,
    "place_in_country": _place_in_country,
    "border_share_near_route": _border_share_near_route,
    "length_ratio": _length_ratio,
}
assert set(PREDICATES) == set(PREDICATE_ARGS), "every predicate of the schema has a check"

_STATING = frozenset({"shares_border", "route_connects"})


def _subject(claim: dict) -> str:
    if claim.get("role") == "author":
        return "The article"
    who = re.sub(r"\s*\([^)]*\)", "", str(claim.get("who") or "")).strip() or "the person quoted"
    return f"{who}, as reported by the article,"


def _evidence(claim: dict, verdict: str, assertion: str, finding: str) -> str:
    if verdict == "context_only":
        return f"For context (the claim makes no assertion the geodata can test): the geodata show {finding}."
    verb = "states" if claim.get("predicate") in _STATING else "implies"
    return f"{_subject(claim)} {verb} that {assertion}; the geodata show {finding}."


def check_claim(
    claim: dict, *, data_dir: Path | str | None = None, _geo: _Geo | None = None
) -> dict:
    """Verdict, evidence and figures for one claim (a row of :func:`geo.load_claims` as a dict).

    Returns ``{"verdict": ..., "evidence": ..., "figures": {...}}``.
    """
    geo = _geo or _Geo(data_dir)
    pred = claim.get("predicate")
    if claim.get("kind") == "opinion":
        return {
            "verdict": "not_checkable",
            "evidence": "Opinion: recorded, not checked.",
            "figures": {},
        }
    if not isinstance(pred, str):
        reason = str(claim.get("reason") or "no check given").rstrip(".")
        text = (
            reason[0].upper() + reason[1:]
            if reason.lower().startswith("not checkable")
            else f"Not checked: {reason}"
        )
        return {"verdict": "not_checkable", "evidence": f"{text}.", "figures": {}}
    try:
        verdict, assertion, finding, figures = PREDICATES[pred](
            geo, dict(claim.get("args") or {}), claim
        )
    except (_NotCheckable, UnknownRouteError, UnknownPlaceError, FileNotFoundError) as err:
        return {"verdict": "not_checkable", "evidence": f"Not checked: {err}.", "figures": {}}
    return {
        "verdict": verdict,
        "evidence": _evidence(claim, verdict, assertion, finding),
        "figures": figures,
    }


def check_claims(
    claims: pd.DataFrame | None = None, data_dir: Path | str | None = None
) -> pd.DataFrame:
    """The claims with ``verdict``, ``evidence`` and ``figures`` computed from the geodata.

    Parameters
    ----------
    claims
        Rows as from :func:`geo.load_claims` (default: every claims file of ``data_dir``).
    data_dir
        Data folder (default ``settings.data_dir``).

    Returns
    -------
    pandas.DataFrame
        ``claims`` (same index) plus ``verdict`` (one of ``consistent``,
        ``partly_consistent``, ``inconsistent``, ``context_only``, ``not_checkable``),
        ``evidence`` (neutral text quoting the computed numbers) and ``figures`` (dict of them).
    """
    if claims is None:
        claims = load_claims(data_dir=data_dir)
    geo = _Geo(data_dir)
    results = [check_claim(row, _geo=geo) for row in claims.to_dict("records")]
    out = claims.copy()
    for key in ("verdict", "evidence", "figures"):
        out[key] = pd.Series([r[key] for r in results], index=claims.index, dtype=object)
    return out


# ---------------------------------------------------------------------------------------------
# A point per claim, for the map


def _locate(geo: _Geo, row: dict):
    for point in row.get("points") or []:
        return Point(point["lon"], point["lat"]), "point", point.get("label") or ""
    for pid in row.get("places") or []:
        try:
            return geo.place_point(pid), "place", geo.place_name(pid)
        except _NotCheckable:
            continue
    for rid in row.get("routes") or []:
        try:
            line = geo.route_geom(rid)
        except _NotCheckable:
            continue
        return line.interpolate(0.5, normalized=True), "route", geo.route_name(rid)
    args = row.get("args") or {}
    if row.get("predicate") in ("shares_border", "border_share_near_route"):
        try:
            line = geo.border_line(args["a"], args["b"])
        except _NotCheckable:
            line = None
        if line is not None and not line.is_empty:
            where = f"{geo.area_name(args['a'])} – {geo.area_name(args['b'])} border"
            return shapely.line_interpolate_point(line, 0.5, normalized=True), "border", where
    for code in row.get("countries") or []:
        try:
            return geo.area(code).representative_point(), "country", geo.area_name(code)
        except _NotCheckable:
            continue
    return None, "none", ""


def claims_gdf(
    checked: pd.DataFrame | None = None, data_dir: Path | str | None = None
) -> gpd.GeoDataFrame:
    """One point per claim for the map, with every column of :func:`check_claims`.

    The point is the claim's first coordinate (``points``), else its first place, else the
    middle of its first route, else the middle of the shared border its check names, else a
    point inside its first country; claims with none of these get an empty geometry.
    Added columns: ``located_by`` ({"point", "place", "route", "border", "country", "none"})
    and ``location`` (the name of what the point stands for).
    """
    if checked is None:
        checked = check_claims(data_dir=data_dir)
    geo = _Geo(data_dir)
    located = [_locate(geo, row) for row in checked.to_dict("records")]
    out = checked.copy()
    out["located_by"] = pd.Series([loc[1] for loc in located], index=checked.index, dtype=object)
    out["location"] = pd.Series([loc[2] for loc in located], index=checked.index, dtype=object)
    return gpd.GeoDataFrame(out, geometry=[loc[0] for loc in located], crs=settings.crs)


# ---------------------------------------------------------------------------------------------
# HTML for one checked claim (popups, tables, exports); every text escaped


def claim_card_html(claim: dict) -> str:
    """An HTML fragment for one checked claim: quote, attribution, summary, verdict, evidence.

    Every value is escaped with :func:`geo.escape_html` and wrapped in ``<bdi>`` so article
    text (including right-to-left text) shows as text. Classes ``claim-card``, ``claim-quote``,
    ``claim-verdict-<verdict>`` allow styling.
    """
    from .style import VERDICT_COLORS, VERDICT_LABELS

    verdict = str(claim.get("verdict") or "not_checkable")
    color = VERDICT_COLORS.get(verdict, "#999999")
    label = VERDICT_LABELS.get(verdict, verdict)
    date = claim.get("date")
    rows = [
        f'<div class="claim-card claim-verdict-{escape_html(verdict)}" dir="auto">',
        f'<div class="claim-id">{bidi(claim.get("claim_id"))} · {bidi(claim.get("kind"))}'
        + (f" · {bidi(date)}" if date else "")
        + "</div>",
        f'<blockquote class="claim-quote">{bidi(claim.get("quote"))}</blockquote>',
        f'<div class="claim-who">{bidi(claim.get("who"))}</div>',
        f'<div class="claim-summary">{bidi(claim.get("summary"))}</div>',
        (
            f'<div class="claim-verdict" style="border-left:4px solid {escape_html(color)};'
            f'padding-left:4px"><b>{escape_html(label)}</b>: {bidi(claim.get("evidence"))}</div>'
        ),
        "</div>",
    ]
    return "".join(rows)


__all__ = ["VERDICTS", "check_claim", "check_claims", "claim_card_html", "claims_gdf"]
