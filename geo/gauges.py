"""Breaks of gauge: along a path, and the places on the network where one gauge ends.

A track's gauge is a set of mm (:func:`geo.vocab.parse_gauge`): one value, two on dual-gauge
track, none where the data do not know it.

Along a path (:func:`breaks_along`) a train keeps every gauge it can still run on. Entering a
stretch that shares one of them, it goes on with the shared ones (a 1520 mm train runs on over
1435/1520 mm dual-gauge track); entering one that shares none, it changes gauge there (bogie
exchange or transshipment, counted once). Over track of unknown gauge the last known gauge is
carried on: if the next known gauge fits, nothing is reported but the unknown stretch is noted;
if it does not, the break is reported as *uncertain*, spanning the unknown stretch from its
first to its last place, because the data cannot say where on it the change happens. A change
of mode ends the rail run: the transshipment there already stands for the change.

On the network (:func:`gauge_break_places`), for the map: a place where rail segments meet and
a gauge of one of them goes no further on any other (a 1520 mm line meeting a 1435 mm line,
or the end of dual-gauge track), and each stretch of unknown gauge between two lines of
gauges that share nothing.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import pandas as pd
import shapely

from .measure import km_text
from .vocab import gauge_text, parse_gauge

UNKNOWN_KM_SHOWN = 0.5
"""Railway km of unknown gauge below which a path's breaks of gauge are said without them."""

__all__ = ["breaks_along", "gauge_break_places"]


def breaks_along(legs: list[dict], places: dict) -> tuple[list[dict], list[str]]:
    """Every break of gauge along a path, in travel order, and notes on unknown gauges.

    Parameters
    ----------
    legs
        One dict per segment in travel order with ``segment``, ``from``, ``to``, ``mode``,
        ``gauges`` (frozenset of mm), ``km0`` and ``km1``.
    places
        Place id -> dict with ``lon`` and ``lat``.

    Returns
    -------
    (list of dict, list of str)
        Breaks with ``place_id`` (None when uncertain), ``lon``, ``lat`` (the place, or the
        middle of the uncertain stretch's ends), ``from_gauge`` and ``to_gauge`` (text such as
        ``"1520"``), ``km_from_start``, ``certain`` and, for an uncertain break, ``between``
        (the stretch's first and last place) and ``km_span``; and the notes.
    """
    breaks: list[dict] = []
    notes: list[str] = []
    running: frozenset | None = None  # gauges the train can still be on
    unknown_from: int | None = None  # first leg of the current stretch of unknown gauge
    for i, leg in enumerate(legs):
        if leg["mode"] != "rail":
            running, unknown_from = None, None
            continue
        gauges = leg["gauges"]
        if not gauges:
            notes.append(f"gauge of segment {leg['segment']} not known")
            if unknown_from is None:
                unknown_from = i
            continue
        if running is None:
            running, unknown_from = gauges, None
            continue
        common = running & gauges
        if common:
            if unknown_from is not None:
                notes.append(_assumed(legs, unknown_from, i, common))
            running, unknown_from = common, None
            continue
        breaks.append(_break(legs, places, unknown_from, i, running, gauges))
        running, unknown_from = gauges, None
    return breaks, notes


def _assumed(legs: list[dict], first: int, after: int, gauges: frozenset) -> str:
    a, b = legs[first]["from"], legs[after]["from"]
    return (f"gauge not known between {a} and {b}: assumed to stay {gauge_text(gauges)} mm, "
            "as on both sides")


def _break(legs, places, unknown_from, i, running, gauges) -> dict:
    leg = legs[i]
    out = {"from_gauge": gauge_text(running), "to_gauge": gauge_text(gauges)}
    if unknown_from is None:
        pid = leg["from"]
        return {**out, "place_id": pid, "lon": places[pid]["lon"], "lat": places[pid]["lat"],
                "km_from_start": leg["km0"], "certain": True, "between": None, "km_span": None}
    a, b = legs[unknown_from]["from"], leg["from"]
    km0, km1 = legs[unknown_from]["km0"], leg["km0"]
    return {**out, "place_id": None,
            "lon": (places[a]["lon"] + places[b]["lon"]) / 2,
            "lat": (places[a]["lat"] + places[b]["lat"]) / 2,
            "km_from_start": (km0 + km1) / 2, "certain": False, "between": [a, b],
            "km_span": [km0, km1]}


def gauge_breaks_text(metrics: dict, *, short: bool = False, names: dict | None = None) -> str:
    """A path's breaks of gauge in words, never a bare "none" where the gauge is not known.

    ``"1520>1435 at astara-irn"``; ``"none"`` only when the gauge is known all along;
    ``"none known; gauge unknown on 35 km (Nrnadzor–Meghri, ...)"`` otherwise. ``short``
    gives the count instead of the places: ``"2 (1 uncertain)"``, ``"none known (gauge unknown
    on 35 km)"``. Uses ``gauge_breaks``, ``gauge_unknown_km`` and ``gauge_unknown_segments``
    of :func:`geo.path_metrics`; ``names`` (place id -> name) says places by name.
    """
    breaks = metrics.get("gauge_breaks") or []
    unknown_km = float(metrics.get("gauge_unknown_km") or 0.0)
    if short:
        uncertain = sum(1 for b in breaks if not b["certain"])
        said = (f"{len(breaks)}" + (f" ({uncertain} uncertain)" if uncertain else "")
                if breaks else "")
    else:
        said = "; ".join(break_text(b, names) for b in breaks)
    if unknown_km < UNKNOWN_KM_SHOWN:
        return said or "none"
    unknown = f"gauge unknown on {km_text(unknown_km)}"
    names = metrics.get("gauge_unknown_segments") or []
    if not short and len(names):
        unknown += f" ({', '.join(names)})"
    if not breaks:
        return f"none known ({unknown})" if short else f"none known; {unknown}"
    return f"{said}; {unknown}"


def break_text(item: dict, names: dict | None = None) -> str:
    """One break in words: ``1520>1435 at astara-irn`` or ``1520>1435 somewhere between A and B``
    (places by name where ``names`` maps their ids)."""
    names = names or {}
    change = f"{item['from_gauge']}>{item['to_gauge']}"
    if item["certain"]:
        return f"{change} at {names.get(item['place_id'], item['place_id'])}"
    a, b = (names.get(p, p) for p in item["between"])
    return f"{change} somewhere between {a} and {b} (gauge not known there)"


def gauge_break_places(segments: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Where gauges end on the network: one row per place, and per uncertain stretch.

    Parameters
    ----------
    segments
        Segments with ``from``, ``to``, ``mode``, ``gauge`` (text) and ``geometry``.
    places
        Places indexed by id with ``name_en`` and ``geometry``.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``id`` (the place id, or ``"A..B"`` for an uncertain stretch between places A and
        B); columns ``name``, ``gauges`` (the gauge texts that meet there, sorted), ``certain``
        (False for a stretch of unknown gauge) and ``geometry`` (the place, or the middle of
        the stretch).
    """
    rail = segments[segments["mode"] == "rail"]
    sets = {sid: parse_gauge(g) for sid, g in rail["gauge"].items()}
    at: dict[str, list[str]] = {}
    for sid, a, b in zip(rail.index, rail["from"], rail["to"], strict=True):
        for end in (a, b):
            at.setdefault(end, []).append(sid)
    rows: list[dict] = []
    for pid, sids in sorted(at.items()):
        known = [sets[s] for s in sids if sets[s]]
        if pid in places.index and len(known) > 1 and _a_gauge_ends(known):
            rows.append({"id": pid, "name": str(places.at[pid, "name_en"]), "certain": True,
                         "gauges": sorted({gauge_text(k) for k in known}),
                         "geometry": places.geometry.loc[pid]})
    rows += _uncertain_stretches(rail, sets, at, places)
    frame = pd.DataFrame(rows, columns=["id", "name", "gauges", "certain", "geometry"])
    return gpd.GeoDataFrame(frame.set_index("id"), geometry="geometry", crs=places.crs)


def _a_gauge_ends(known: list[frozenset]) -> bool:
    """Whether some gauge of one track meeting here goes on on none of the others."""
    for i, gauges in enumerate(known):
        others = frozenset().union(*(g for j, g in enumerate(known) if j != i))
        if gauges - others:
            return True
    return False


def _uncertain_stretches(rail, sets, at, places) -> list[dict]:
    graph = nx.Graph()
    for sid, a, b in zip(rail.index, rail["from"], rail["to"], strict=True):
        if not sets[sid]:
            graph.add_edge(a, b, segment=sid)
    rows = []
    for nodes in nx.connected_components(graph):
        inner = {d["segment"] for _, _, d in graph.subgraph(nodes).edges(data=True)}
        ends = sorted(n for n in nodes if any(sets[s] for s in at.get(n, []) if s not in inner))
        known = {n: [sets[s] for s in at[n] if s not in inner and sets[s]] for n in ends}
        pairs = [(p, q) for p in ends for q in ends if p < q
                 and any(not (x & y) for x in known[p] for y in known[q])]
        for p, q in pairs:
            line = shapely.line_merge(shapely.union_all(rail.geometry.loc[sorted(inner)].values))
            if line.geom_type == "LineString":
                middle = line.interpolate(0.5, normalized=True)
            else:
                middle = line.centroid
            name = f"{places.at[p, 'name_en']} – {places.at[q, 'name_en']}"
            gauges = sorted({gauge_text(g) for g in known[p] + known[q]})
            rows.append({"id": f"{p}..{q}", "name": name, "gauges": gauges, "certain": False,
                         "geometry": middle})
    return rows
