"""Which OSM ways are corridors, and what their tags say: kind, status and gauge.

One vocabulary and one classifier (:func:`classify`) for every way source: the streaming
import of a file (:mod:`geo.osm.stream`) and the Overpass download (:mod:`geo.osm.download`).

Module globals (change by assignment):

ROAD_CLASSES : tuple of str
    ``highway=*`` values imported as roads by default (``--road-classes`` overrides them per
    import): motorway, trunk, primary, secondary, tertiary. Roads under construction or
    proposed count when their ``construction=*``/``proposed=*`` value is one of them.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import settings
from .._errors import OSMError
from ..measure import length_km
from ..vocab import gauge_text, parse_gauge

KINDS = ("rail", "road")
RAIL_VALUES = ("rail", "construction", "proposed", "disused", "abandoned")
ROAD_CLASSES: tuple[str, ...] = ("motorway", "trunk", "primary", "secondary", "tertiary")
ROAD_STATES = ("construction", "proposed")
ROAD_VALUES = (*ROAD_CLASSES, *ROAD_STATES)
RAIL_STATUS = {
    "rail": "operational",
    "construction": "under_construction",
    "proposed": "proposed",
    "disused": "disrupted",
    "abandoned": "closed",
}
ROAD_STATUS = {"construction": "under_construction", "proposed": "proposed"}
KEEP_TAGS = (
    "railway", "highway", "construction", "proposed", "gauge", "electrified", "voltage",
    "usage", "service", "name", "name:en", "ref", "operator",
)
SKIP_SERVICE = frozenset({"yard", "siding", "spur", "crossover"})
"""Service tracks are imported but never snapped to: they are not the corridor's main line."""
WAY_COLUMNS = ["kind", *KEEP_TAGS, "status", "gauge_mm", "length_km", "geometry"]


def road_classes_for(classes: Iterable[str] | str | None) -> tuple[str, ...]:
    """The road classes to import: ``ROAD_CLASSES`` for None, else the given ``highway`` values.

    Accepts a comma-separated string (``"motorway,trunk"``) or an iterable of values.
    """
    if classes is None:
        return ROAD_CLASSES
    items = classes.split(",") if isinstance(classes, str) else list(classes)
    out = tuple(dict.fromkeys(c.strip() for c in items if c.strip()))
    bad = [c for c in out if c in ROAD_STATES or not c.replace("_", "").isalnum()]
    if not out or bad:
        msg = (f"road classes must be highway=* values such as {','.join(ROAD_CLASSES)}; "
               f"got {classes!r}")
        raise OSMError(msg)
    return out


def tags_for(kind: str | None, road_classes: Iterable[str] | str | None = None) -> dict[str, list[str]]:
    """The ``key: [values]`` an import of ``kind`` keeps (``{"rail", "road"}`` or None: both)."""
    if kind not in (None, *KINDS):
        msg = f"unknown kind {kind!r}; use one of {', '.join(KINDS)}"
        raise OSMError(msg)
    tags: dict[str, list[str]] = {}
    if kind in (None, "rail"):
        tags["railway"] = list(RAIL_VALUES)
    if kind in (None, "road"):
        tags["highway"] = [*road_classes_for(road_classes), *ROAD_STATES]
    return tags


def classify(
    tags: pd.DataFrame, kind: str | None = None, road_classes: Iterable[str] | str | None = None
) -> pd.DataFrame:
    """Kind, status and gauge of each way from its tags (one column per tag of KEEP_TAGS, "").

    Returns a frame aligned to ``tags`` with ``keep`` (a corridor way of the wanted kind),
    ``kind`` ("rail", "road" or ""), ``status``, ``gauge`` (the gauge set as OSM writes it,
    ``"1435;1520"``; "" when unknown or not a list of mm) and ``gauge_mm`` (Int64: the single
    gauge; NA when unknown or dual). A railway or road under construction or proposed is kept
    only when its ``construction=*``/``proposed=*`` value is a corridor one, so a metro under
    construction (``construction=subway``) is not a railway.
    """
    classes = road_classes_for(road_classes)
    railway, highway = tags["railway"].to_numpy(object), tags["highway"].to_numpy(object)
    sub = np.full(len(tags), "", dtype=object)
    for state in ROAD_STATES:
        sub = np.where(railway == state, tags[state].to_numpy(object), sub)
    rail = np.isin(railway, RAIL_VALUES) & np.isin(sub, ["", "yes", "rail"])
    road_sub = np.full(len(tags), "", dtype=object)
    for state in ROAD_STATES:
        road_sub = np.where(highway == state, tags[state].to_numpy(object), road_sub)
    links = [f"{c}_link" for c in classes]
    road = (np.isin(highway, classes) | np.isin(highway, ROAD_STATES)) & np.isin(
        road_sub, ["", "yes", *classes, *links])
    road &= ~rail
    if kind == "rail":
        road[:] = False
    if kind == "road":
        rail[:] = False
    status = np.where(rail, pd.Series(railway).map(RAIL_STATUS).fillna("").to_numpy(object),
                      pd.Series(highway).map(ROAD_STATUS).fillna("operational").to_numpy(object))
    text, single = gauge_columns(tags["gauge"])
    return pd.DataFrame({
        "keep": rail | road,
        "kind": np.where(rail, "rail", np.where(road, "road", "")),
        "status": np.where(rail | road, status, ""),
        "gauge": text,
        "gauge_mm": single,
    }, index=tags.index)


def gauge_columns(tags: Iterable[str]) -> tuple[np.ndarray, pd.arrays.IntegerArray]:
    """The gauge set as text (``"1435;1520"``, "" unknown) and the single gauge (Int64) of tags.

    ``gauge`` tags that are not lists of whole mm (``"standard"``) count as unknown. Each
    distinct tag is parsed once.
    """
    codes, values = pd.factorize(np.asarray(tags, dtype=object))
    sets = [_gauge_set(v) for v in values]
    text = np.array([gauge_text(s) for s in sets] + [""], dtype=object)
    single = pd.array([next(iter(s)) if len(s) == 1 else None for s in sets] + [None],
                      dtype="Int64")
    return text[codes], single[codes]


def _gauge_set(text: str) -> frozenset[int]:
    try:
        return parse_gauge(str(text).replace(" ", ""))
    except ValueError:
        return frozenset()


def normalise(raw: gpd.GeoDataFrame, kind: str | None, where: str) -> gpd.GeoDataFrame:
    """Keep LineString corridor ways of ``raw`` (one row per way), with :data:`WAY_COLUMNS`."""
    frame = raw[raw.geometry.geom_type == "LineString"].copy() if len(raw) else raw.copy()
    for tag in KEEP_TAGS:
        if tag not in frame:
            frame[tag] = ""
        frame[tag] = frame[tag].fillna("").astype(str)
    found = classify(frame[list(KEEP_TAGS)], kind)
    frame = frame[found["keep"].to_numpy()].copy()
    found = found[found["keep"]]
    frame["kind"] = found["kind"].to_numpy()
    frame["status"] = found["status"].to_numpy()
    frame["gauge_mm"] = found["gauge_mm"].array
    frame["length_km"] = length_km(frame) if len(frame) else pd.Series(dtype=float)
    frame.index = pd.Index([int(i) for i in frame.index], name="osm_id")
    out = gpd.GeoDataFrame(frame[WAY_COLUMNS], geometry="geometry", crs=settings.crs)
    out.attrs["osm_source"] = where
    return out.sort_index()


def summarise_ways(ways: pd.DataFrame) -> pd.DataFrame:
    """Ways and geodesic km by kind, tag value, status and gauge (what an import brought in).

    ``gauge`` is the track's gauge set as text (:func:`gauge_columns`: ``"1520"``, dual gauge
    ``"1435;1520"``, ``""`` where rail is untagged or the way is a road), so the summary
    gives km per gauge, dual gauge apart.
    """
    columns = ["kind", "tag", "status", "gauge", "ways", "length_km"]
    if not len(ways):
        return pd.DataFrame(columns=columns)
    keys = ["kind", "tag", "status", "gauge"]
    if "ways" in ways and "tag" in ways:  # already a summary (of one batch): add up
        if "gauge" not in ways:  # a summary written before gauges were counted
            ways = ways.assign(gauge="")
        table = ways.groupby(keys, as_index=False)[["ways", "length_km"]].sum()
    else:
        rail = ways["kind"] == "rail"
        tag = np.where(rail, "railway=" + ways["railway"], "highway=" + ways["highway"])
        tagged = ways["gauge"].fillna("") if "gauge" in ways else pd.Series("", index=ways.index)
        gauge = np.where(rail, gauge_columns(tagged)[0], "")
        table = (
            ways.assign(tag=tag, gauge=gauge)
            .groupby(keys, as_index=False)
            .agg(ways=("length_km", "size"), length_km=("length_km", "sum"))
        )
    table = table.sort_values(["kind", "length_km"], ascending=[True, False])
    return table[columns].reset_index(drop=True)


