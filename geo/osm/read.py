"""Read railway and road ways with their tags from an OSM file (XML or PBF)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from .. import settings
from .._errors import OSMError
from ..measure import length_km

KINDS = ("rail", "road")
RAIL_VALUES = ("rail", "construction", "proposed", "disused", "abandoned")
ROAD_VALUES = ("motorway", "trunk", "primary", "secondary", "tertiary", "construction", "proposed")
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


def tags_for(kind: str | None) -> dict[str, list[str]]:
    if kind not in (None, *KINDS):
        msg = f"unknown kind {kind!r}; use one of {', '.join(KINDS)}"
        raise OSMError(msg)
    tags: dict[str, list[str]] = {}
    if kind in (None, "rail"):
        tags["railway"] = list(RAIL_VALUES)
    if kind in (None, "road"):
        tags["highway"] = list(ROAD_VALUES)
    return tags


# ---------------------------------------------------------------------------------------------
# Reading


def read_osm(path: str | Path, *, kind: str | None = None) -> gpd.GeoDataFrame:
    """Railway and/or road ways of an OSM file, one row per way, indexed by ``osm_id``.

    ``kind`` is one of ``{"rail", "road"}`` or None for both. Reads ``.osm`` (also ``.osm.bz2``,
    ``.osm.gz``) offline with ``osmnx.features.features_from_xml``; ``.osm.pbf`` needs the
    ``osmium`` package (pyosmium).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kind`` ("rail"/"road"), the tags of :data:`KEEP_TAGS` ("" when absent),
        ``status`` (mapped from the lifecycle tags), ``gauge_mm`` (Int64, from ``gauge`` when
        it is a single number), ``length_km`` (geodesic) and the LineString ``geometry``.
    """
    path = Path(path)
    tags = tags_for(kind)
    if not path.is_file():
        msg = f"{path}: OSM file not found"
        raise OSMError(msg)
    if path.name.lower().endswith(".pbf"):
        return normalise(_read_pbf(path, tags), kind, str(path))
    import xml.sax
    from xml.etree.ElementTree import ParseError

    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    try:
        raw = ox.features.features_from_xml(path, tags=tags)
    except InsufficientResponseError:
        raw = gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=settings.crs)
    except (ParseError, xml.sax.SAXException, UnicodeDecodeError, KeyError, ValueError, EOFError,
            OSError) as err:
        msg = f"{path}: not a readable OSM XML file ({type(err).__name__}: {err})"
        raise OSMError(msg) from err
    if "element" in getattr(raw.index, "names", []):
        raw = raw[raw.index.get_level_values("element") == "way"]
        raw.index = raw.index.get_level_values("id")
    return normalise(raw, kind, str(path))


def _read_pbf(path: Path, tags: dict[str, list[str]]) -> gpd.GeoDataFrame:
    try:
        import osmium
    except ImportError as err:
        msg = (
            f"{path}: reading .osm.pbf needs the pyosmium package (pip install osmium); "
            f"or convert the file to OSM XML first, e.g. `osmium cat {path.name} -o "
            f"{path.name[:-4]}` (osmium-tool), and import the .osm file"
        )
        raise OSMError(msg) from err
    rows, geoms = [], []
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter(*tags))
        )
        for obj in processor:
            if not obj.is_way():
                continue
            way_tags = {t.k: t.v for t in obj.tags}
            if not any(way_tags.get(k) in values for k, values in tags.items()):
                continue
            coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if len(coords) < 2:
                continue
            rows.append({"id": obj.id, **way_tags})
            geoms.append(LineString(coords))
    except RuntimeError as err:
        msg = f"{path}: not a readable OSM PBF file ({err})"
        raise OSMError(msg) from err
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.crs)
    return frame.set_index("id") if len(frame) else frame


def normalise(raw: gpd.GeoDataFrame, kind: str | None, where: str) -> gpd.GeoDataFrame:
    """Keep LineString ways of the wanted values, with the columns of :data:`WAY_COLUMNS`."""
    frame = raw[raw.geometry.geom_type == "LineString"].copy() if len(raw) else raw.copy()
    for tag in KEEP_TAGS:
        if tag not in frame:
            frame[tag] = ""
        frame[tag] = frame[tag].fillna("").astype(str)
    rail = frame["railway"].isin(RAIL_VALUES) & _sub_is(frame, "railway", {"", "yes", "rail"})
    road_sub = {"", "yes", *ROAD_VALUES[:5], *(f"{v}_link" for v in ROAD_VALUES[:5])}
    road = frame["highway"].isin(ROAD_VALUES) & _sub_is(frame, "highway", road_sub)
    if kind == "rail":
        road &= False
    if kind == "road":
        rail &= False
    frame = frame[rail | road].copy()
    frame["kind"] = np.where(rail[frame.index], "rail", "road")
    frame["status"] = [
        RAIL_STATUS[r] if k == "rail" else ROAD_STATUS.get(h, "operational")
        for k, r, h in zip(frame["kind"], frame["railway"], frame["highway"], strict=True)
    ]
    frame["gauge_mm"] = pd.array(
        [int(g) if re.fullmatch(r"\d{3,4}", g.strip()) else None for g in frame["gauge"]],
        dtype="Int64",
    )
    frame["length_km"] = length_km(frame) if len(frame) else pd.Series(dtype=float)
    frame.index = pd.Index([int(i) for i in frame.index], name="osm_id")
    out = gpd.GeoDataFrame(frame[WAY_COLUMNS], geometry="geometry", crs=settings.crs)
    out.attrs["osm_source"] = where
    return out.sort_index()


def _sub_is(frame: pd.DataFrame, key: str, allowed: set[str]) -> pd.Series:
    """Whether the subtype (``construction=*``/``proposed=*``) of a planned way is allowed.

    Ways that are not under construction or proposed have the empty subtype. This keeps a
    metro or tram under construction (``construction=subway``) out of the railways.
    """
    value = frame[key]
    sub = pd.Series("", index=frame.index)
    for state in ("construction", "proposed"):
        sub = sub.where(value != state, frame[state])
    return sub.isin(allowed)


def summarise_ways(ways: gpd.GeoDataFrame) -> pd.DataFrame:
    """Ways and geodesic km by kind, tag value and status (what an import brought in)."""
    if not len(ways):
        return pd.DataFrame(columns=["kind", "tag", "status", "ways", "length_km"])
    rail = ways["kind"] == "rail"
    tag = np.where(rail, "railway=" + ways["railway"], "highway=" + ways["highway"])
    table = (
        ways.assign(tag=tag)
        .groupby(["kind", "tag", "status"], as_index=False)
        .agg(ways=("length_km", "size"), length_km=("length_km", "sum"))
    )
    return table.sort_values(["kind", "length_km"], ascending=[True, False]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Cache: import and refresh


