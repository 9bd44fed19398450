"""The frames of the interactive map for one selection, for the self-contained HTML export.

``geo`` never imports folium: :func:`map_frames` returns the keyword arguments of
``layers.build_map`` (GeoDataFrames and plain values), and the caller that may import
``layers`` (the CLI's HTML branch, the app) builds the map and ``layers.to_html`` inlines
Leaflet. So the HTML file shows the app's layers, legend and popups, from the same data.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .. import settings, style
from ..data import (
    load_basemap,
    load_borders,
    load_nakhchivan,
    load_places,
    load_routes,
    load_segments,
    load_water,
)
from ..dated import scenario_of, segments_at, when_text
from ..gauges import gauge_break_places
from ..lifecycle import parse_when
from ..metrics import km_split_text, length_text, route_metrics, section_text
from ..search import map_labels, name_index
from . import _options
from ._options import check_vocab
from ._select import (
    check_claims,
    check_routes,
    default_bbox,
    default_title,
    optional_frame,
    routes_frame,
)


def map_frames(
    *,
    routes: Iterable[str] | None = None,
    claims: str | gpd.GeoDataFrame | None = None,
    bbox: str | tuple[float, float, float, float] | None = None,
    layers: Iterable[str] | None = None,
    modes: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    as_of: str | None = None,
    scenario=None,
    title: str | None = None,
    data_dir: Path | str | None = None,
) -> dict:
    """Keyword arguments of ``layers.build_map`` for the chosen routes, claims and box.

    Parameters
    ----------
    routes, claims, bbox, data_dir
        As :func:`geo.render_map`.
    layers
        Overlays to show, the app's layer keys ``{"routes", "corridors", "gauge_breaks",
        "places", "crossings", "claims"}`` (default: all).
    modes, statuses
        Keep only segments of these modes / statuses (default: all), as the app's filters.
    as_of, scenario
        Segment statuses on this date under this scenario, as :func:`geo.render_map`
        (``statuses`` then filters by the status of that date).
    title
        The page's title (default: the routes' names, as :func:`geo.render_map`); with a
        date or scenario, what it shows follows in brackets.

    Returns
    -------
    dict
        ``borders``, ``nakhchivan``, ``water``, ``basemap``, ``segments``, ``places``,
        ``claims``, ``labels`` (``geo.map_labels``), ``search`` (``geo.name_index``),
        ``highlight`` (one row per route: ``name``, its line and, for its popup,
        ``length_text``, ``country_text`` and ``sections``, one line per named section, all
        with the statuses of ``as_of``), ``gauge_breaks``,
        ``show``, ``bounds`` (``((south, west), (north, east))``) and ``title``.
    """
    problems: list[str] = []
    box = _options.check_bbox(bbox, problems)
    show = _options.check_layers(layers, problems)
    route_ids = check_routes(routes, problems, data_dir)
    claims_frame, _ = check_claims(claims, problems, data_dir)
    modes = check_vocab("mode", modes, style.MODE_COLORS, problems)
    statuses = check_vocab("status", statuses, style.STATUS_DASH, problems)
    if as_of is not None:
        try:
            as_of = parse_when(as_of).isoformat()
        except ValueError as err:
            problems.append(f"as_of: {err}")
    _options.fail(problems)
    scenario = scenario_of(scenario, data_dir)
    chosen = routes_frame(route_ids, data_dir)
    west, south, east, north = box or default_bbox(chosen, claims_frame, data_dir)
    borders = load_borders(data_dir)
    segments = segments_at(data_dir, as_of, scenario)
    if modes is not None:
        segments = segments[segments["mode"].isin(modes)]
    if statuses is not None:
        segments = segments[segments["status"].isin(statuses)]
    places = load_places(data_dir)
    return {
        "borders": borders,
        "nakhchivan": load_nakhchivan(data_dir) if "AZE" in borders.index else None,
        "water": optional_frame(load_water, data_dir),
        "basemap": optional_frame(load_basemap, data_dir),
        "segments": segments,
        "places": places,
        "claims": claims_frame,
        "highlight": _highlight(chosen, data_dir, as_of, scenario),
        "gauge_breaks": gauge_break_places(segments, places),
        "labels": map_labels(places=places, routes=load_routes(data_dir), segments=segments),
        "search": name_index(places=places, routes=load_routes(data_dir),
                             segments=load_segments(data_dir), claims=claims_frame,
                             borders=borders, nakhchivan=load_nakhchivan(data_dir)
                             if "AZE" in borders.index else None),
        "show": show,
        "bounds": ((south, west), (north, east)),
        "title": _title(title, chosen, as_of, scenario),
    }


def _title(title: str | None, chosen: gpd.GeoDataFrame, as_of, scenario) -> str:
    """The page title: the given one or the routes' names, then the date it shows, if any."""
    text = " ".join(str(title).split()) if title and str(title).strip() else default_title(chosen)
    if as_of is not None or scenario is not None:
        text = f"{text} ({when_text(as_of, scenario)})"
    return text


def _highlight(chosen: gpd.GeoDataFrame, data_dir, as_of, scenario) -> gpd.GeoDataFrame:
    """The chosen routes' lines with their names and figures in words (for their popups)."""
    rows = []
    for rid in chosen.index:
        m = route_metrics(rid, data_dir, as_of=as_of, scenario=scenario)
        rows.append({"name": chosen.at[rid, "name"],
                     "length_text": length_text(m["length_km"], m["measured_km"], m["length_basis"]),
                     "country_text": km_split_text(m["km_by_country"]),
                     "sections": [section_text(sec) for sec in m["sections"]]})
    frame = pd.DataFrame(rows, index=chosen.index,
                         columns=["name", "length_text", "country_text", "sections"])
    return gpd.GeoDataFrame(frame, geometry=list(chosen.geometry), crs=settings.crs)
