"""The Compare page on the imported OpenStreetMap network (``corridors compare --network osm``).

:func:`import_in_use` finds the import of the data folder to route on (the user chooses when
there are several) (None: the page explains how
to make one); :func:`run` routes on it with ``geo.compare_osm``, cached by the import file and
its modification time; :func:`snaps_frame` and :func:`route_frames` give where each place
joined the network and the route's own geometry for the map.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

import geo
from app_pages import _data
from geo import settings
from geo.osm.cache import import_files

CURATED, OSM = "curated", "OpenStreetMap"
NETWORKS = [CURATED, OSM]
HOW_TO_IMPORT = (
    "No OpenStreetMap network has been imported into this data folder yet. Import an "
    "extract once on the command line, e.g. from a Geofabrik download:\n\n"
    "```\ncorridors osm import azerbaijan-latest.osm.pbf\n```\n\n"
    "(`--kind rail` keeps only railways, `--bbox W,S,E,N` only what lies in a box). The "
    "import is written to `data/osm/` and this choice then routes on it. The alternatives "
    "below are on the curated network.")


def import_in_use(folder: str, *, choose=None) -> Path | None:
    """The import to route on: the only one, or the one ``choose(files)`` picks when there are
    several (the page asks; a cache is never taken silently for another); None without any."""
    files = import_files(folder)
    if not files:
        return None
    if len(files) == 1 or choose is None:
        return files[0]
    return choose(files)


@st.cache_data(show_spinner="Routing on the OpenStreetMap network…", max_entries=32)
def _run(key: str, cache: str, stamp: int, origin: str, destination: str, avoid: tuple,
         status: tuple, mode: tuple, weight: str) -> list[dict]:
    return geo.compare_osm(origin, destination, cache=cache, avoid=list(avoid),
                           status=list(status) or None, mode=list(mode) or None, weight=weight,
                           data_dir=_data.folder_of(key))


def run(cache: Path, origin: str, destination: str, avoid, status, mode, weight) -> list[dict]:
    """``geo.compare_osm`` on ``cache`` (one path), cached until the import changes."""
    return _run(_data.data_key(), str(cache), cache.stat().st_mtime_ns, origin, destination,
                tuple(avoid), tuple(status), tuple(mode), weight)


def snaps_frame(result: dict, names: dict[str, str]) -> pd.DataFrame:
    """Where each place joined the OSM network: the node, a way through it and how far."""
    rows = [{"place": names.get(s["place_id"], s["place_id"]),
             "node": f"{s['node_lat']:.5f}, {s['node_lon']:.5f}",
             "osm_way": f"way {s['osm_way_id']}",
             "distance_m": round(float(s["distance_m"]))} for s in result["snaps"]]
    return pd.DataFrame(rows, columns=["place", "node", "osm_way", "distance_m"])


def route_frames(result: dict, names: dict[str, str]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The route's OSM geometry (one row named by its source) and the snapped nodes as places
    (named with the place and the distance), for ``layers.overlay_groups``."""
    line = gpd.GeoDataFrame({"name": [f"OSM route · {result['geometry_source']}"]},
                            geometry=[result["geometry"]], crs=settings.crs)
    rows = []
    for s in result["snaps"]:
        place = names.get(s["place_id"], s["place_id"])
        rows.append({"id": f"snap-{s['place_id']}", "kind": "junction",
                     "name_en": f"{place}: joins the OSM network here "
                                f"({float(s['distance_m']):,.0f} m away, way {s['osm_way_id']})",
                     "lon": float(s["node_lon"]), "lat": float(s["node_lat"]),
                     "source": result["geometry_source"]})
    points = gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy(
        [r["lon"] for r in rows], [r["lat"] for r in rows]), crs=settings.crs).set_index("id")
    return line, points
