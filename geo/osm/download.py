"""Download the OSM ways around a route from the Overpass API (the one online step)."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.ops import substring

from .. import settings
from .._errors import NetworkError, OSMError
from ..data import load_segments, route_path
from ..deadline import Deadline, call_with_deadline
from ..snapped import ATTRIBUTION, osm_dir
from .cache import CACHE_SUFFIX, check_buffer_km, now, osmnx_version, safe_name, write_frame
from .match import local_transformer, reproject
from .read import KINDS, normalise, tags_for

MAX_QUERY_PART_KM = 100.0
MIN_QUERY_PART_KM = 10.0
CONNECT_TIMEOUT_S = 10.0


@contextmanager
def _osmnx_settings(**values) -> Iterator[None]:
    import osmnx as ox

    old = {k: getattr(ox.settings, k) for k in values}
    try:
        for k, v in values.items():
            setattr(ox.settings, k, v)
        yield
    finally:
        for k, v in old.items():
            setattr(ox.settings, k, v)


def _check_online(url: str, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Open (and close) a TCP connection to the Overpass host, or the HTTPS proxy if one is set.

    Fails in seconds where osmnx would first wait out its retry pauses.
    """
    parts = urlparse(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    target = urlparse(proxy) if proxy else parts
    port = target.port or (443 if target.scheme == "https" else 80)
    try:
        socket.create_connection((target.hostname, port), timeout=timeout_s).close()
    except OSError as err:
        via = f" through proxy {proxy}" if proxy else ""
        msg = f"cannot reach the Overpass API {url}{via}: {err}"
        raise OSMError(msg) from err


def _download(polygon, tags: dict) -> gpd.GeoDataFrame:
    """One Overpass query (osmnx), empty frame when nothing matches."""
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    try:
        return ox.features.features_from_polygon(polygon, tags)
    except InsufficientResponseError as err:
        if "No matching features" in str(err):
            return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=settings.crs)
        raise


def _route_parts(route_id: str, buffer_km: float, kind: str | None, data_dir) -> list[tuple]:
    """(segment id, mode, lon/lat polygon) query parts covering the route's rail/road segments.

    Each segment is cut into pieces and each piece is buffered by ``buffer_km`` in a local
    azimuthal equidistant projection centred on the segment (metres), then returned to lon/lat.
    Pieces are short enough (at most :data:`MAX_QUERY_PART_KM`) that a buffered piece stays
    under osmnx's ``max_query_area_size``, which would otherwise replace a long, bent buffer
    by its convex hull; they also let the refresh report progress part by part.
    """
    import osmnx as ox

    area_km2 = 0.9 * ox.settings.max_query_area_size / 1e6  # 10 % margin
    part_km = (area_km2 - np.pi * buffer_km**2) / (2 * buffer_km)
    part_km = min(MAX_QUERY_PART_KM, max(MIN_QUERY_PART_KM, part_km))
    segments = load_segments(data_dir, osm=False)
    parts = []
    for sid, _ in route_path(route_id, data_dir):
        mode = segments.at[sid, "mode"]
        if mode not in KINDS or (kind and mode != kind):
            continue
        geom = segments.geometry.loc[sid]
        proj = local_transformer(geom)
        line = reproject(geom, proj)
        n = max(1, int(np.ceil(line.length / (part_km * 1000))))
        for i in range(n):
            piece = substring(line, line.length * i / n, line.length * (i + 1) / n)
            poly = reproject(piece.buffer(buffer_km * 1000, quad_segs=8), proj, inverse=True)
            parts.append((sid, mode, poly))
    return parts


def refresh_route(
    route_id: str,
    *,
    buffer_km: float | None = None,
    kind: str | None = None,
    data_dir: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
) -> gpd.GeoDataFrame:
    """Download (online) the OSM ways around a route and cache them as ``osm/route-<id>.parquet``.

    ``kind`` is one of ``{"rail", "road"}`` or None for the modes of the route's segments;
    ``buffer_km`` defaults to ``settings.osm_refresh_buffer_km``. ``progress`` is called with
    one line of text per query part. With no connection, or if any part fails, raises
    :class:`~geo.OSMError` and leaves the cache as it was (the file is replaced only after
    every part has arrived).
    """
    import osmnx as ox

    buffer_km = check_buffer_km(settings.osm_refresh_buffer_km if buffer_km is None
                                else buffer_km)
    tags_for(kind)
    cache = osm_dir(data_dir) / f"route-{safe_name(route_id)}{CACHE_SUFFIX}"
    parts = _route_parts(route_id, buffer_km, kind, data_dir)
    if not parts:
        msg = f"route {route_id!r} has no rail or road segment to refresh"
        raise OSMError(msg)
    say = progress or (lambda _text: None)
    unchanged = f"the cache {cache} is unchanged" if cache.exists() else "nothing was cached"
    say(f"route {route_id}: {len(parts)} part(s) within {buffer_km:g} km, "
        f"from {ox.settings.overpass_url}")
    try:
        _check_online(ox.settings.overpass_url)
    except OSMError as err:
        msg = f"refresh of route {route_id!r} needs the internet: {err}; {unchanged}"
        raise OSMError(msg) from err
    frames = []
    deadline = Deadline(what=f"refresh of route {route_id!r}")
    with _osmnx_settings(use_cache=False):
        for i, (sid, mode, poly) in enumerate(parts, start=1):
            try:
                raw = call_with_deadline(_download, poly, tags_for(mode), deadline=deadline,
                                         doing=f"part {i}/{len(parts)}", progress=say)
            except NetworkError as err:
                raise NetworkError(f"{err}; {unchanged}") from err
            except Exception as err:  # noqa: BLE001 - requests, osmnx and socket errors alike
                msg = (
                    f"refresh of route {route_id!r} failed at part {i}/{len(parts)} "
                    f"(segment {sid!r}): {type(err).__name__}: {err}; {unchanged}"
                )
                raise OSMError(msg) from err
            if "element" in getattr(raw.index, "names", []):
                raw = raw[raw.index.get_level_values("element") == "way"]
                raw.index = raw.index.get_level_values("id")
            frames.append(normalise(raw, mode, "overpass"))
            say(f"  part {i}/{len(parts)} (segment {sid}, {mode}): {len(frames[-1])} ways")
    ways = pd.concat(frames)
    ways = gpd.GeoDataFrame(ways[~ways.index.duplicated()], crs=settings.crs).sort_index()
    metadata = {
        "source": "refresh",
        "route": route_id,
        "date": now(),
        "kind": kind or "rail+road",
        "buffer_km": buffer_km,
        "buffer_crs": "+proj=aeqd +ellps=WGS84 centred on each segment",
        "tags": tags_for(kind),
        "overpass_url": ox.settings.overpass_url,
        "osmnx_version": osmnx_version(),
    }
    write_frame(cache, ways, metadata)
    say(f"cached {len(ways)} ways in {cache}")
    ways.attrs["osm_cache"] = str(cache)
    ways.attrs["osm_metadata"] = {**metadata, "attribution": ATTRIBUTION}
    return ways


# ---------------------------------------------------------------------------------------------
# Snapping


