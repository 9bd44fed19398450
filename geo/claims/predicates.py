"""The check predicates: each measures something in the geodata and returns a verdict.

Each predicate is registered once, with its arguments, verdict argument and voice
(:func:`geo.claims.registry.predicate`), and returns ``(verdict,
assertion, finding, figures)``: the verdict, what the claim asserts, what the geodata show
(text built from the numbers computed) and the numbers. Nothing here is typed in.

Lengths are geodesic (``pyproj.Geod`` via :mod:`geo.measure`); the one local metric step
(buffering a route by N km) uses an azimuthal equidistant projection centred on the border
being measured.
"""

from __future__ import annotations

import math
import re

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from .. import settings
from ..measure import geod, line_length_km, point_to_geom_km
from ..metrics import km_text as metrics_km_text
from ..metrics import length_text
from ..vocab import COMPASS
from .geodata import GeoData, NotCheckable
from .registry import predicate

# A length below this (km) counts as none: border and route lines are generalised, so a route
# that follows a border may cross it by a few hundred metres.
KM_TOLERANCE = 1.0
# Share of a route that counts as "all" of it for ``expect: all``.
ALL_SHARE = 0.99
DEFAULT_NEAR_KM = 5.0
OPERATIONAL = "operational"
OUTSIDE_EVERY_COUNTRY = "outside every country outline (sea or generalised coast)"


def km_text(value: float) -> str:
    """Claim evidence keeps one decimal under 100 km, where article figures are compared."""
    return metrics_km_text(value, decimals_below=100.0)


def _pct(share: float) -> str:
    return f"{share:.0%}" if share >= 0.01 or share == 0 else "under 1%"


def _r(value: float, digits: int = 1) -> float:
    return round(float(value), digits)


def _compass(bearing: float) -> str:
    return COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]


def _angle_between(a: float, b: float) -> float:
    diff = abs((a - b) % 360)
    return min(diff, 360 - diff)


WATER_NAMES = {"SEA": "at sea", "CASPIAN": "on the Caspian Sea"}


def _by_unit_text(geo: GeoData, km_by_unit: dict) -> str:
    parts = [
        f"{WATER_NAMES.get(u) or geo.unit_name(u)} {km_text(km)}"
        for u, km in sorted(km_by_unit.items(), key=lambda kv: -kv[1])
        if km >= 0.05
    ]
    return "; ".join(parts)


def _summary(geo: GeoData, metrics: dict) -> tuple[str, dict]:
    """Text of where a path runs, and its figures (best-estimate lengths with their basis)."""
    figures = {
        "length_km": _r(metrics["length_km"]),
        "measured_km": _r(metrics["measured_km"]),
        "length_basis": metrics["length_basis"]["text"],
        "km_by_unit": {u: _r(k) for u, k in metrics["km_by_unit"].items()},
        "km_by_status": {s: _r(k) for s, k in metrics["km_by_status"].items()},
    }
    return _by_unit_text(geo, metrics["km_by_unit"]), figures


def _length(metrics: dict) -> str:
    """A path's length with its basis, as the rest of the tool words it."""
    return length_text(metrics["length_km"], metrics["measured_km"], metrics["length_basis"])


def _status_text(by_status: dict) -> str:
    return ", ".join(
        f"{km_text(k)} {s.replace('_', ' ')}"
        for s, k in sorted(by_status.items(), key=lambda kv: -kv[1])
    )


# ---------------------------------------------------------------------------------------------
# Predicates


@predicate("shares_border", states=True, args={
    "a": ("territory", True), "b": ("territory", True), "expect": ("bool", False),
    "direction": ("direction", False)})
def _shares_border(geo: GeoData, args: dict, claim: dict):
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
                parts.append(f"{geo.unit_name(ua)} – {geo.unit_name(ub)} {km_text(part)}")
    name_a, name_b = geo.area_name(a), geo.area_name(b)
    assertion = f"{name_a} and {name_b} {'share' if expect else 'do not share'} a land border"
    if shares:
        finding = f"a shared land border of {km_text(km)}" + (
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
        target = COMPASS.index(direction) * 45
        off = _angle_between(bearing, target)
        assertion += f", with {name_b} to the {direction} of {name_a}"
        finding += (
            f"; seen from the centre of {name_a}, the middle of the shared border lies to the "
            f"{_compass(bearing)} (bearing {bearing:.0f}°)"
        )
        if off > 67.5 and verdict == "consistent":
            verdict = "partly_consistent"
    return verdict, assertion, finding, figures


def _end_spec(geo: GeoData, spec: str):
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


@predicate("route_connects", states=True, args={
    "route": ("route", True), "a": ("place_or_territory", True),
    "b": ("place_or_territory", True), "operational": ("bool", False),
    "tense": ("tense", False)})
def _route_connects(geo: GeoData, args: dict, claim: dict):
    rid = args["route"]
    line = geo.route_geom(rid)
    (ga, name_a, tol_a), (gb, name_b, tol_b) = _end_spec(geo, args["a"]), _end_spec(geo, args["b"])
    start, end = Point(line.coords[0]), Point(line.coords[-1])
    ends_match = (_near(start, ga, tol_a) and _near(end, gb, tol_b)) or (
        _near(start, gb, tol_b) and _near(end, ga, tol_a)
    )
    passes = line.distance(ga) == 0 or _near(start, ga, tol_a) or _near(end, ga, tol_a)
    passes_b = line.distance(gb) == 0 or _near(start, gb, tol_b) or _near(end, gb, tol_b)
    metrics = geo.route_metrics(rid)
    by_unit, figures = _summary(geo, metrics)
    by_status = figures["km_by_status"]
    not_running = sum(k for s, k in by_status.items() if s != OPERATIONAL)
    figures["km_not_operational"] = _r(not_running)
    routes = geo.routes
    origin, dest = routes.at[rid, "origin"], routes.at[rid, "destination"]
    name = geo.route_name(rid)
    finding = (
        f"the route {name} running {_length(metrics)} from {geo.place_name(origin)} to "
        f"{geo.place_name(dest)}, through {by_unit}; by status: {_status_text(by_status)}"
    )
    figures["stale_segments"] = list(metrics["stale_segments"])  # the verdict rests on statuses
    # "connects" (present) asserts a running link; "will connect" (future) allows one being
    # built; operational: false asks only whether the route joins the two ends
    future = args.get("tense") == "future"
    running_asked = args.get("operational", not future)
    if ends_match:
        verdict = "consistent"
        if not_running >= KM_TOLERANCE and (running_asked or future):
            verdict = "partly_consistent" if future else "inconsistent"
            finding += (f"; {km_text(not_running)} of it is not operational on the date checked, "
                        "so it does not yet connect them as a running link")
    elif passes and passes_b:
        verdict = "partly_consistent"
        finding += f"; it reaches {name_a} and {name_b} but does not start and end in them"
    else:
        verdict = "inconsistent"
        missing = [n for n, ok in ((name_a, passes), (name_b, passes_b)) if not ok]
        finding += f"; it does not reach {' or '.join(missing)}"
    running = " (once built)" if future else (" as an operational link" if running_asked else "")
    verb = "will connect" if future else "connects"
    assertion = f"{name} {verb} {name_a} with {name_b}{running}"
    return verdict, assertion, finding, figures


def _km_in(metrics: dict, code: str) -> float:
    table = metrics["km_by_unit"] if "-" in code else metrics["km_by_country"]
    return float(table.get(code, 0.0))


@predicate("route_km_in_country", verdict_arg="expect", args={
    "route": ("route", True), "country": ("territory", True), "expect": ("extent", False)})
def _route_km_in_country(geo: GeoData, args: dict, claim: dict):
    rid = args["route"]
    return _km_in_country(geo, geo.route_metrics(rid), geo.route_name(rid), args)


@predicate("section_km_in_country", verdict_arg="expect", args={
    "segments": ("segment_list", True), "country": ("territory", True),
    "expect": ("extent", False), "route": ("route", False), "name": ("text", False)})
def _section_km_in_country(geo: GeoData, args: dict, claim: dict):
    """As route_km_in_country, on the section a claim is about (consecutive segment ids);
    with ``route``, the rest of that route is given as context."""
    metrics = geo.section_metrics(list(args["segments"]))
    name = "the " + (args.get("name") or " – ".join(
        [geo.place_name(metrics["origin"]), geo.place_name(metrics["destination"])]) + " section")
    verdict, assertion, finding, figures = _km_in_country(geo, metrics, name, args)
    rid = args.get("route")
    if rid:
        whole = geo.route_metrics(rid)
        rest = {u: whole["km_by_unit"].get(u, 0.0) - metrics["km_by_unit"].get(u, 0.0)
                for u in whole["km_by_unit"]}
        finding += (f". For context, the rest of {geo.route_name(rid)} runs "
                    f"{_by_unit_text(geo, rest)}; the claim is not about that part")
    return verdict, assertion, finding, figures


def _km_in_country(geo: GeoData, metrics: dict, name: str, args: dict):
    code = args["country"]
    geo.area(code)
    by_unit, figures = _summary(geo, metrics)
    km_in = _km_in(metrics, code)
    length = metrics["length_km"]
    share = km_in / length if length else 0.0
    figures.update({"km_in_country": _r(km_in), "share_in_country": _r(share, 3)})
    cname = geo.area_name(code)
    finding = (f"{km_text(km_in)} of the {_length(metrics)} of {name} ({_pct(share)}) inside "
               f"{cname}; by territory: {by_unit}")
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


def _nearest_other(geo: GeoData, point: Point, code: str) -> tuple[str | None, float]:
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


@predicate("place_in_country", args={
    "place": ("place_or_point", True), "country": ("territory", True),
    "expect": ("bool", False)})
def _place_in_country(geo: GeoData, args: dict, claim: dict):
    spec, code = args["place"], args["country"]
    area, cname = geo.area(code), geo.area_name(code)
    if isinstance(spec, dict):
        point = Point(spec["lon"], spec["lat"])
        known = _claim_point(claim, spec["lon"], spec["lat"])
        tol = spec.get("precision_km") or known.get("precision_km") or 0.0
        label = f"{known['label']} " if known.get("label") else "the point "
        where = f"{spec['lon']:.3f}, {spec['lat']:.3f}" + (f", precision {km_text(tol)}" if tol else "")
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
            finding += f", {km_text(other_km)} from {geo.area_name(other)}"
        near_edge = other_km < tol
    else:
        out_km = point_to_geom_km(point, area)
        figures["km_outside"] = _r(out_km)
        where = geo.area_name(hits[0]) if hits else "no mapped country"
        finding = f"it in {where}, {km_text(out_km)} outside {cname}"
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


@predicate("border_share_near_route", verdict_arg="min_share", args={
    "a": ("territory", True), "b": ("territory", True), "route": ("route", True),
    "km": ("km", False), "min_share": ("share", False)})
def _border_share_near_route(geo: GeoData, args: dict, claim: dict):
    a, b, rid = args["a"], args["b"], args["route"]
    near_km = float(args.get("km", DEFAULT_NEAR_KM))
    border = geo.border_line(a, b)
    border_km = line_length_km(border)
    if border_km < 0.1:
        raise NotCheckable(
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
        f"{km_text(near_border_km)} of the {km_text(border_km)} {geo.area_name(a)} – {geo.area_name(b)} "
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


@predicate("length_ratio", verdict_arg="expect", args={
    "route_a": ("route", True), "route_b": ("route", True), "expect": ("comparison", False)})
def _length_ratio(geo: GeoData, args: dict, claim: dict):
    ra, rb = args["route_a"], args["route_b"]
    ma, mb = geo.route_metrics(ra), geo.route_metrics(rb)
    la, lb = ma["length_km"], mb["length_km"]
    ratio = la / lb if lb else math.inf
    na, nb = geo.route_name(ra), geo.route_name(rb)
    figures = {"length_a_km": _r(la), "length_b_km": _r(lb), "ratio": _r(ratio, 3)}
    diff = "shorter" if la < lb else "longer"
    finding = (
        f"{na} measuring {_length(ma)} and {nb} {_length(mb)}; "
        f"{na} is {abs(1 - ratio):.0%} {diff} (ratio {ratio:.2f})"
    )
    expect = args.get("expect")
    if expect is None:
        return "context_only", "", finding, figures
    verdict = "consistent" if (la < lb) == (expect == "shorter") else "inconsistent"
    return verdict, f"{na} is {expect} than {nb}", finding, figures


# How far a stated length may be from the network's and still agree: published chainage is
# rounded and its ends may lie a little off the data's places; a drawn line joins sourced
# points and runs short of the track (by about 10% at the median and up to about 25% on
# mountain lines, see `corridors references`).
# Track traced on OpenStreetMap between end stations lies 3.4% from published lengths at the
# median and up to about 9% where its end points differ from the published ones (README,
# "Traced track").
CHAINAGE_TOLERANCE = 0.03
TRACED_TOLERANCE = 0.10
DRAWN_TOLERANCE = 0.20


def length_tolerance_km(metrics: dict, end_accuracy_km: float = 0.0) -> float:
    """How far a stated length may differ from the network's best estimate, given its basis."""
    basis = metrics["length_basis"]
    return (CHAINAGE_TOLERANCE * basis["chainage_km"]
            + TRACED_TOLERANCE * (basis.get("traced_km", 0.0) + basis.get("osm_km", 0.0))
            + DRAWN_TOLERANCE * (basis["measured_only_km"] + basis.get("access_km", 0.0))
            + end_accuracy_km)


@predicate("stated_length", states=True, args={
    "km": ("km", True), "a": ("place", True), "b": ("place", True), "route": ("route", False),
    "mode": ("mode", False)})
def _stated_length(geo: GeoData, args: dict, claim: dict):
    """A length the claim states between two places, along a named route or on the network."""
    stated = float(args["km"])
    a, b, rid = args["a"], args["b"], args.get("route")
    metrics = geo.between_metrics(a, b, route=rid, mode=args.get("mode"))
    best = metrics["length_km"]
    accuracy = sum(float(geo.places.at[p, "accuracy_m"] or 0) for p in (a, b)
                   if not pd.isna(geo.places.at[p, "accuracy_m"])) / 1000.0
    tol = length_tolerance_km(metrics, accuracy)
    diff = stated - best
    verdict = ("consistent" if abs(diff) <= tol else
               "partly_consistent" if abs(diff) <= 2 * tol else "inconsistent")
    na, nb = geo.place_name(a), geo.place_name(b)
    along = f" along {geo.route_name(rid)}" if rid else " on the network"
    figures = {"stated_km": _r(stated), "network_km": _r(best), "measured_km": _r(metrics["measured_km"]),
               "difference_km": _r(diff), "tolerance_km": _r(tol),
               "length_basis": metrics["length_basis"]["text"]}
    assertion = f"it is {km_text(stated)} from {na} to {nb}"
    finding = (f"{_length(metrics)} from {na} to {nb}{along}: the stated figure is "
               f"{abs(diff):,.1f} km ({_pct(abs(diff) / best) if best else 'n/a'}) "
               f"{'more' if diff > 0 else 'less'}, "
               f"{'within' if abs(diff) <= tol else 'outside'} the {km_text(tol)} that the "
               "data's accuracy allows (3% of published chainage, 10% of traced track, 20% of "
               "lengths measured on drawn lines, plus the places' position accuracy)")
    return verdict, assertion, finding, figures
