"""The one entry point for the map: :func:`build_map` (app and exports draw the same thing).

The map is a base (basemap, water, borders, Nakhchivan, legend, optional tiles) plus overlay
groups (highlighted routes, corridors, gauge breaks, places, crossings, claims). The app sends
the overlays separately (:func:`base_map` + :func:`overlay_groups`) so that toggling a layer
redraws only the overlays; :func:`build_map` joins them for exports and :func:`to_html` makes a
self-contained page.
"""

from __future__ import annotations

from collections.abc import Iterable

import folium
import geopandas as gpd
import pandas as pd

from . import basemap as _basemap
from . import controls as _controls
from ._features import HeaderStyle, Script, js_literal
from .assets import Assets, apply_assets, inline_assets
from .claims import (
    claim_from_url_script,
    claims_layer,
    country_claims_layer,
    located_on_map,
    open_claim_script,
)
from .corridors import DatedStatuses, corridor_layer, gauge_break_layer, highlight_layer, stale_since
from .labels import labels_layer
from .legend import MAP_CSS, legend_control, legend_html
from .places import crossings_layer, places_layer
from .search import search_control
from .title import add_title
from .visibility import register_script

# (south, west), (north, east): the South Caucasus and Iran.
DEFAULT_BOUNDS = ((24.5, 38.5), (44.0, 63.5))
LAYER_KEYS = ("routes", "corridors", "gauge_breaks", "places", "crossings", "claims")
DEFAULT_SHOW = frozenset(LAYER_KEYS)
FOCUS_NAME = "Chosen claim"
LAYER_NAMES = {
    "routes": "Highlighted routes",
    "corridors": "Corridors",
    "gauge_breaks": "Gauge breaks",
    "places": "Places",
    "crossings": "Border crossings",
    "claims": "Claims",
}


def _present(frame, column: str) -> list[str] | None:
    if frame is None or len(frame) == 0 or column not in frame:
        return []
    return sorted({str(v) for v in frame[column].dropna()})


def legend_for(*, segments=None, places=None, claims=None, highlight=None, gauge_breaks=None,
               nakhchivan: bool = True, highlight_entry: bool = False, when: str | None = None,
               statuses: Iterable[str] | None = None) -> str:
    """Legend HTML explaining exactly the styles these frames use (see :func:`legend_html`).

    ``highlight_entry`` explains route highlighting even when no ``highlight`` frame is given
    (the app, where routes are highlighted once the user picks them). ``when`` is the date
    the statuses are drawn for (``geo.when_text``); ``statuses`` lists the statuses to explain
    when they are not those of ``segments`` (a map that restyles them by date:
    :meth:`DatedStatuses.statuses`). The flag of status records that may be out of date is
    explained when one of ``segments`` has one.
    """
    kinds = _present(places, "kind")
    stale = (segments is not None and "as_of" in segments
             and any(stale_since(r) for r in segments[["as_of"]].to_dict("records")))
    country_only = claims is not None and len(claims) > 0 and not located_on_map(claims).all()
    if claims is not None and len(claims) > 0:  # only markers have verdict colours and letters
        claims = claims[located_on_map(claims)]
    return legend_html(
        country_badges=country_only,
        highlight_entry=highlight_entry,
        modes=_present(segments, "mode"),
        statuses=_present(segments, "status") if statuses is None else list(statuses),
        when=when,
        stale=stale,
        verdicts=_present(claims, "verdict"),
        claim_kinds=_present(claims, "kind"),
        places=[k for k in kinds if k != "border_crossing"],
        crossings="border_crossing" in kinds,
        gauge_breaks=_gauge_kinds(gauge_breaks),
        nakhchivan=nakhchivan,
        highlights=[] if highlight is None else list(zip(
            map(str, highlight.index), map(str, highlight.get("name", highlight.index)),
            strict=True)),
    )


def _gauge_kinds(points) -> list[str]:
    """Which gauge-break symbols ``points`` draw: "certain" (G) and "uncertain" (G?)."""
    if points is None or len(points) == 0:
        return []
    certain = points["certain"] if "certain" in points else pd.Series(True, index=points.index)
    marks = {"certain" if pd.isna(value) or bool(value) else "uncertain" for value in certain}
    return [k for k in ("certain", "uncertain") if k in marks]


def _view(m: folium.Map, *, bounds, center, zoom) -> list | None:
    """Set the initial view; returns the fitted ``[[s, w], [n, e]]`` (None for a centre).

    The map opens at the centre of ``bounds`` and fits them *without animation*. folium's
    own ``fit_bounds`` runs after the map was made at zoom 1, so Leaflet animated a zoom of
    three to four levels: the vector layers (``will-change: transform``) were scaled 8-16
    times during the animation, Chromium rasterised them at that scale, ran out of tile
    memory and left whole bands of the map (and of the page around it) unpainted until a
    resize. The browser tests measure this (``tests/test_browser_paint.py``).
    """
    if center is not None:
        m.location = [float(center[0]), float(center[1])]
        m.options["zoom"] = int(zoom if zoom is not None else 6)
        return None
    (s, w), (n, e) = bounds or DEFAULT_BOUNDS
    fitted = [[float(s), float(w)], [float(n), float(e)]]
    m.location = [(fitted[0][0] + fitted[1][0]) / 2, (fitted[0][1] + fitted[1][1]) / 2]
    m.options["zoom"] = 5
    Script("{map}.fitBounds(" + js_literal(fitted) + ", {animate: false});").add_to(m)
    return fitted


def _resize_script(bounds) -> Script:
    """Keep Leaflet's idea of the map size right when the frame is resized (e.g. by Streamlit's
    layout), otherwise vector layers are clipped to the first size; until the user touches the
    map (or a claim is opened), fit the initial ``bounds`` again so the whole region shows."""
    target = js_literal(bounds) if bounds is not None else "null"
    return Script(
        "(function(){ var map = {map}, target = " + target + ", touched = false;"
        " ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function(ev){"
        " map.getContainer().addEventListener(ev, function(){ touched = true; },"
        " {passive: true}); });"
        # the size the view was last fitted to: without a new size the view stays (a fit
        # re-projects and re-clips every path, which delayed the first paint); the first
        # call reports the view all the same (streamlit-folium sends it on "moveend")
        " var size = map.getSize().x + 'x' + map.getSize().y, first = true;"
        " var fix = function(force){ map.invalidateSize({pan: false});"
        " var now = map.getSize().x + 'x' + map.getSize().y;"
        " var changed = now !== size || force === true; size = now;"
        # reset: re-project and re-clip every path for the new size, not only move them
        " if (changed && target && !touched && !window.__ceOpenClaim && !window.__ceMoved) {"
        " map.fitBounds(target, {animate: false}); }"
        " if (changed || first) { map.fire('moveend'); } first = false; };"
        # after the first paint: its layout would otherwise hold the first paint back
        " requestAnimationFrame(function(){ setTimeout(fix, 0); });"
        " window.addEventListener('resize', fix);"
        # the controls' corners changed size (layers.controls): fit again, clear of them
        " map.on('ce:refit', function(){ fix(true); });"
        " if (window.ResizeObserver) { new ResizeObserver(fix).observe(map.getContainer()); } })();"
    )


def base_map(*, borders: gpd.GeoDataFrame, nakhchivan: gpd.GeoDataFrame | None = None,
             water: gpd.GeoDataFrame | None = None, basemap: gpd.GeoDataFrame | None = None,
             bounds=None, center=None, zoom: int | None = None,
             tiles: tuple[str, str] | None = None, assets: Assets | None = None,
             legend: str | None = None, claim_from_url: bool = False,
             labels: gpd.GeoDataFrame | None = None, show_tiles: bool = True,
             controls: bool = True, fit_clear: bool = True) -> folium.Map:
    """The map without overlays: offline vector basemap, borders, Nakhchivan, legend, labels.

    Parameters
    ----------
    borders, nakhchivan, water, basemap
        Frames from ``geo.load_borders()``, ``geo.load_nakhchivan()``, ``geo.load_water()``,
        ``geo.load_basemap()``. Without a basemap the borders are filled as land.
    bounds, center, zoom
        Initial view: ``((south, west), (north, east))``, or ``center`` (lat, lon) and ``zoom``;
        default :data:`DEFAULT_BOUNDS`.
    tiles
        Optional ``(url_template, attribution)`` of a tile layer drawn over the vector basemap;
        when tiles fail to load it is removed and the vector basemap stays. The layer control
        then switches between the two basemaps; ``show_tiles``: the tiles are on at first.
    assets
        Where Leaflet comes from (:func:`layers.served_assets` or :func:`layers.inline_assets`);
        default: inlined from the installed Leaflet. Never a CDN.
    legend
        Legend HTML (:func:`legend_html` / :func:`legend_for`); ``None`` for no legend.
    claim_from_url
        Open the popup of the claim named in the page address (``claim=ID``) whenever it
        changes (:func:`layers.claim_from_url_script`); for the app.
    labels
        Names of places, routes and sections (``geo.map_labels``), labelled with the
        countries and Nakhchivan (:func:`layers.labels_layer`).
    controls, fit_clear
        Full screen, measure, pointer position and overview map (:mod:`layers.controls`);
        ``fit_clear`` fits the bounds clear of the controls and the open legend (leave it
        off for an extent the user saw before, e.g. from a link).
    """
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.5,
                   world_copy_jump=False)
    # folium passes min/max zoom to its default tiles only; the map itself needs them (and
    # Leaflet.markercluster requires a maxZoom).
    m.options.update(min_zoom=2, max_zoom=18)
    apply_assets(m, assets or inline_assets())
    HeaderStyle(MAP_CSS).add_to(m)
    _basemap.basemap_pane().add_to(m)
    # controls, legend and view first: the view is final (fitted clear of the controls)
    # before any path exists, so each path is projected and clipped once, not once at the
    # opening zoom and again at the fitted one (about 60 ms of the first drawing)
    if controls:
        _controls.add_controls(m, fit_clear=fit_clear)
    if legend:
        legend_control(legend).add_to(m)
    fitted = _view(m, bounds=bounds, center=center, zoom=zoom)
    has_world = basemap is not None and len(basemap) > 0
    if has_world:
        _basemap.land_layer(basemap).add_to(m)
    if water is not None and len(water) > 0:
        _basemap.water_layer(water).add_to(m)
    if not has_world:
        _basemap.borders_layer(borders, fill=True).add_to(m)
    _basemap.borders_layer(borders).add_to(m)
    if nakhchivan is not None and len(nakhchivan) > 0:
        _basemap.nakhchivan_layer(nakhchivan).add_to(m)
    if tiles is not None:
        url, attribution = tiles
        _basemap.offline_base(show=not show_tiles).add_to(m)
        _basemap.tile_layer(url, attribution=attribution, show=show_tiles).add_to(m)
        _basemap.tile_fallback_notice().add_to(m)
    labels_layer(borders=borders, nakhchivan=nakhchivan, names=labels).add_to(m)
    _resize_script(fitted).add_to(m)
    if claim_from_url:
        claim_from_url_script().add_to(m)
    return m


def overlay_groups(*, segments: gpd.GeoDataFrame | None = None,
                   places: gpd.GeoDataFrame | None = None,
                   claims: gpd.GeoDataFrame | None = None,
                   highlight: gpd.GeoDataFrame | None = None,
                   gauge_breaks: gpd.GeoDataFrame | None = None,
                   borders: gpd.GeoDataFrame | None = None,
                   show: Iterable[str] = DEFAULT_SHOW,
                   open_claim: str | None = None,
                   dated: DatedStatuses | None = None) -> list[folium.FeatureGroup]:
    """The overlay layers in drawing order, each a named ``FeatureGroup`` with one layer.

    Only the layers named in ``show`` (see :data:`LAYER_KEYS`) with rows are built. With
    ``borders``, the claims group also holds a badge per country for the claims located only
    to a whole country (:func:`layers.country_claims_layer`).
    ``open_claim`` adds a last, unlisted group that centres the map on that claim and opens
    its popup (:func:`layers.open_claim_script`). ``dated`` makes the corridors follow a date
    control in the browser (:func:`layers.corridor_layer`).
    """
    show = set(show)
    unknown = show - set(LAYER_KEYS)
    if unknown:
        msg = f"show: unknown layer(s) {sorted(unknown)}; known: {', '.join(LAYER_KEYS)}"
        raise ValueError(msg)
    builders = {
        "routes": (highlight, highlight_layer),
        "corridors": (segments, corridor_layer),
        "gauge_breaks": (gauge_breaks, gauge_break_layer),
        "places": (places, places_layer),
        "crossings": (places, crossings_layer),
        "claims": (claims, claims_layer),
    }
    groups = []
    for key in LAYER_KEYS:
        frame, build = builders[key]
        if key not in show or frame is None or len(frame) == 0:
            continue
        layer = corridor_layer(frame, dated=dated) if key == "corridors" else build(frame)
        layer.control = False
        group = folium.FeatureGroup(name=LAYER_NAMES[key], overlay=True, control=True)
        layer.add_to(group)
        register_script(key).add_to(group)  # the app's map hides it when the address says so
        if key == "claims" and borders is not None:
            badges = country_claims_layer(frame, borders)
            if badges.n_features:
                badges.control = False
                badges.add_to(group)
        groups.append(group)
    if open_claim is not None and "claims" in show:
        groups.append(focus_group(str(open_claim)))
    return groups


def focus_group(claim_id: str) -> folium.FeatureGroup:
    """A group holding only :func:`open_claim_script` (add it after the claims layer)."""
    group = folium.FeatureGroup(name=FOCUS_NAME, overlay=True, control=False)
    open_claim_script(claim_id).add_to(group)
    return group


def build_map(*, borders: gpd.GeoDataFrame, nakhchivan: gpd.GeoDataFrame | None = None,
              water: gpd.GeoDataFrame | None = None, basemap: gpd.GeoDataFrame | None = None,
              segments: gpd.GeoDataFrame | None = None, places: gpd.GeoDataFrame | None = None,
              claims: gpd.GeoDataFrame | None = None, highlight: gpd.GeoDataFrame | None = None,
              gauge_breaks: gpd.GeoDataFrame | None = None, show: Iterable[str] = DEFAULT_SHOW,
              bounds=None, center=None, zoom: int | None = None, open_claim: str | None = None,
              tiles: tuple[str, str] | None = None, assets: Assets | None = None,
              legend: str | bool = True, layer_control: bool = True,
              when: str | None = None, labels: gpd.GeoDataFrame | None = None,
              search: pd.DataFrame | None = None, title: str | None = None) -> folium.Map:
    """The whole map as one ``folium.Map``: what the app shows, for exports and tests.

    Parameters are those of :func:`base_map` and :func:`overlay_groups`. ``legend=True``
    explains the styles of the frames passed (:func:`legend_for`); a string is used as it is;
    ``False`` leaves the legend out. ``layer_control`` adds Leaflet's layer switcher. ``when``
    says in the legend which date the segment statuses are those of (``geo.when_text``).
    ``search`` (``geo.search_index``) adds a search box (:func:`layers.search_control`).
    ``title`` heads the page and is its ``<title>`` (:func:`layers.title.add_title`).
    """
    show = set(show)
    if legend is True:
        legend = legend_for(
            segments=segments if "corridors" in show else None,
            places=places if show & {"places", "crossings"} else None,
            claims=claims if "claims" in show else None,
            highlight=highlight if "routes" in show else None,
            gauge_breaks=gauge_breaks if "gauge_breaks" in show else None,
            nakhchivan=nakhchivan is not None,
            when=when,
        )
    m = base_map(borders=borders, nakhchivan=nakhchivan, water=water, basemap=basemap,
                 bounds=bounds, center=center, zoom=zoom, tiles=tiles, assets=assets,
                 legend=legend or None, labels=labels)
    if search is not None and len(search) > 0:
        search_control(search).add_to(m)
    for group in overlay_groups(segments=segments, places=places, claims=claims,
                                highlight=highlight, gauge_breaks=gauge_breaks, borders=borders,
                                show=show, open_claim=open_claim):
        group.add_to(m)
    if layer_control:
        _controls.layer_control().add_to(m)
    if title:
        add_title(m, title)
    return m


def to_html(m: folium.Map, *, assets: Assets | None = None) -> str:
    """A self-contained HTML page of map ``m`` (Leaflet inlined unless ``assets`` says otherwise).

    The page makes no request at all: no CDN, no tiles unless ``m`` has a tile layer.
    """
    apply_assets(m, assets or inline_assets())
    return m.get_root().render()
