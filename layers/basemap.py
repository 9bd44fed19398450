"""The offline vector basemap (land, water, country borders, Nakhchivan) and optional tiles.

The vector basemap sits in its own pane *below* the tile pane: tiles that load cover it, tiles
that cannot load (an offline network) leave it visible, and a notice says so. Display copies are
clipped and simplified here; the frames passed in are never changed.
"""

from __future__ import annotations

import copy
import hashlib

import folium
import geopandas as gpd
import numpy as np
import shapely
from jinja2 import Template

from geo import style
from geo.escape import escape_html

from ._features import (
    DISPLAY_WINDOW,
    FeatureLayer,
    Script,
    StyleTable,
    display_features,
    js_literal,
)
from .legend import category

BASEMAP_PANE = "ce-basemap"
BASEMAP_PANE_Z = 150  # below Leaflet's tilePane (200)
# Display tolerances in degrees: the world basemap is context only; borders are drawn at
# about 1 km, well under a pixel at the zoom levels that show the whole region.
BASEMAP_TOLERANCE = 0.08
BORDER_TOLERANCE = 0.015
BORDER_PRECISION = 3
# The country areas under the outlines only name the country under the pointer.
AREA_TOLERANCE = 0.05
AREA_PRECISION = 2
# The region drawn at the basemap's full display detail; the rest of the world is coarser.
DETAIL_WINDOW = (10.0, 5.0, 90.0, 62.0)
WORLD_TOLERANCE = 0.25
WORLD_MIN_AREA = 0.5

OFFLINE_BASEMAP = "offline"
# The two basemaps, as the layer control names them.
OFFLINE_NAME = "Offline basemap"
TILES_NAME = "Map tiles (needs internet)"


class BasemapPane(folium.map.CustomPane):
    """The basemap's pane, drawn on one canvas.

    The basemap (land, water, country areas) takes no clicks, so it needs no SVG element
    per shape: Leaflet paints the whole pane onto one ``<canvas>``, which is what a map
    frame spends least on before its first picture. Leaflet gives each pane of a map one
    renderer, made on first use (``_getPaneRenderer``, Leaflet 1.9); seeding it with a
    canvas renderer makes every layer in this pane use it. Overlays (borders, corridors,
    places, claims) stay SVG paths: they are clicked, hovered and styled through the DOM.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {{ this._parent.get_name() }}.createPane(
                {{ this.name|tojson }});
            {{ this.get_name() }}.style.zIndex = {{ this.z_index|tojson }};
            {{ this.get_name() }}.style.pointerEvents = 'none';
            if ({{ this._parent.get_name() }}._paneRenderers) {
                {{ this._parent.get_name() }}._paneRenderers[{{ this.name|tojson }}] =
                    L.canvas({pane: {{ this.name|tojson }}});
            }
        {% endmacro %}
    """)


def basemap_pane() -> folium.map.CustomPane:
    """The pane for the vector basemap, under the tiles, painted on one canvas (add it to
    the map before any basemap layer)."""
    return BasemapPane(BASEMAP_PANE, z_index=BASEMAP_PANE_Z, pointer_events=False)


def land_layer(basemap) -> FeatureLayer:
    """All the world's land as filled shapes, without interaction, in the basemap pane.

    Countries are dissolved (their outlines come from :func:`borders_layer`). Inside
    :data:`DETAIL_WINDOW` the land keeps the basemap's detail; elsewhere (Europe, India,
    Russia... which routes and zoomed-out views reach) islands under
    :data:`WORLD_MIN_AREA` square degrees are left out and outlines are coarser, so the
    world costs little to send. The two parts overlap by half a degree, so no seam shows.
    """
    table = StyleTable()
    s = table.index({"stroke": False, "fillColor": style.LAND_FILL, "fillOpacity": 1.0})
    parts = np.asarray(basemap.geometry.values)
    parts = parts[~(shapely.is_empty(parts) | shapely.is_missing(parts))]
    feats = _land_features(parts, s, basemap.crs)
    return FeatureLayer(feats, table.styles, name="Land", pane=BASEMAP_PANE, interactive=False,
                        control=False)


#: Land features by the digest of the basemap's geometries: dissolving the world takes a second
#: or more, and every HTML export of the same data would repeat it.
_LAND_CACHE: dict[tuple[str, int], list] = {}


def _land_features(parts: np.ndarray, style_index: int, crs) -> list:
    digest = hashlib.sha256(b"".join(shapely.to_wkb(parts))).hexdigest()
    key = (digest, style_index)
    if key not in _LAND_CACHE:
        if len(_LAND_CACHE) >= 4:
            _LAND_CACHE.clear()
        _LAND_CACHE[key] = _dissolved_land(parts, style_index, crs)
    return copy.deepcopy(_LAND_CACHE[key])


def _dissolved_land(parts: np.ndarray, s: int, crs) -> list:
    land = shapely.union_all(shapely.make_valid(parts))
    detail = shapely.clip_by_rect(land, *DETAIL_WINDOW)
    w, s_, e, n = DETAIL_WINDOW
    rest = shapely.difference(land, shapely.box(w + 0.5, s_ + 0.5, e - 0.5, n - 0.5))
    pieces = shapely.get_parts(rest)
    rest = shapely.union_all(pieces[shapely.area(pieces) >= WORLD_MIN_AREA])
    frame = gpd.GeoDataFrame({"part": ["detail", "world"]}, geometry=[detail, rest], crs=crs)
    feats = display_features(frame.iloc[:1], properties=lambda i, r: {"s": s},
                             tolerance=BASEMAP_TOLERANCE, precision=2)
    feats += display_features(frame.iloc[1:], properties=lambda i, r: {"s": s},
                              tolerance=WORLD_TOLERANCE, precision=2)
    return feats


def water_layer(water) -> FeatureLayer:
    """Inland water (the Caspian Sea), filled, with its name as tooltip, in the basemap pane."""
    table = StyleTable()
    s = table.index({"color": "#8fb7d6", "weight": 0.8, "fillColor": style.WATER_FILL,
                     "fillOpacity": 1.0})

    def props(idx, row):
        return {"s": s, "t": escape_html(row.get("name") or idx)}

    feats = display_features(water, properties=props, tolerance=BORDER_TOLERANCE,
                             window=DISPLAY_WINDOW)
    return FeatureLayer(feats, table.styles, name="Water", pane=BASEMAP_PANE,
                        interactive=False, control=False)


def borders_layer(borders, *, fill: bool = False) -> FeatureLayer:
    """Country outlines (1:10m, simplified for display) with the country name as tooltip.

    With ``fill`` the countries are filled with the land colour (a basemap when no world
    outlines are available); otherwise only their outlines are drawn, over land or tiles.

    Only true borders and coasts are stroked: the countries are areas without an edge
    (hovering one names it), and their outlines are lines of their own, clipped to
    ``DISPLAY_WINDOW`` as lines. Clipping the areas' strokes to the window drew its edges
    as if they were borders (through Kazakhstan, Pakistan, Arabia...).
    """
    table = StyleTable()
    area = table.index({"stroke": False, "fill": True, "fillColor": style.LAND_FILL,
                        "fillOpacity": 1.0 if fill else 0.0})
    edge = table.index({"color": style.BORDER_COLOR, "weight": 1.2, "opacity": 0.9,
                        "fill": False})

    def props(idx, row):
        return {"s": area, "t": escape_html(row.get("name") or idx)}

    # areas that only carry a tooltip can be coarse; a land fill keeps the outlines' detail
    feats = display_features(borders, properties=props,
                             tolerance=BORDER_TOLERANCE if fill else AREA_TOLERANCE,
                             precision=BORDER_PRECISION if fill else AREA_PRECISION,
                             window=DISPLAY_WINDOW)
    feats += _off_the_edges(display_features(
        border_lines(borders), properties=lambda i, r: {"s": edge}, tolerance=BORDER_TOLERANCE,
        precision=BORDER_PRECISION, window=DISPLAY_WINDOW), DISPLAY_WINDOW)
    return FeatureLayer(feats, table.styles, name="Country borders",
                        pane=BASEMAP_PANE if fill else None, interactive=not fill, control=False,
                        attribution=escape_html(style.ATTRIBUTION_NE))


def border_lines(borders: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The countries' borders and coasts as lines, each drawn once (one row, ``kind="edge"``).

    A border shared by two countries is one line, not two outlines on top of each other.
    """
    if borders is None or len(borders) == 0:
        return gpd.GeoDataFrame({"kind": []}, geometry=[], crs=getattr(borders, "crs", None))
    parts = np.asarray(borders.geometry.values)
    parts = parts[~(shapely.is_empty(parts) | shapely.is_missing(parts))]
    digest = hashlib.sha256(b"".join(shapely.to_wkb(parts))).hexdigest()
    if digest not in _LINES_CACHE:
        if len(_LINES_CACHE) >= 4:
            _LINES_CACHE.clear()
        edges = shapely.boundary(shapely.make_valid(parts))
        _LINES_CACHE[digest] = shapely.line_merge(shapely.union_all(edges))
    return gpd.GeoDataFrame({"kind": ["edge"]}, geometry=[_LINES_CACHE[digest]],
                            crs=borders.crs)


def _off_the_edges(features: list[dict], window: tuple[float, float, float, float]) -> list[dict]:
    """Line features without any piece that runs along an edge of ``window``: rounding can
    turn a line that just crosses an edge into a short stroke on it."""
    west, south, east, north = window

    def on_edge(a, b) -> bool:
        return (a[0] == b[0] and a[0] in (west, east)) or (a[1] == b[1] and a[1] in (south, north))

    out = []
    for feature in features:
        geom = feature["geometry"]
        if not geom["type"].endswith("LineString"):
            out.append(feature)
            continue
        lines = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        pieces = []
        for line in lines:
            piece = [line[0]]
            for a, b in zip(line, line[1:], strict=False):
                if on_edge(a, b):
                    if len(piece) > 1:
                        pieces.append(piece)
                    piece = [b]
                else:
                    piece.append(b)
            if len(piece) > 1:
                pieces.append(piece)
        if pieces:
            out.append({**feature, "geometry": {"type": "MultiLineString", "coordinates": pieces}})
    return out


#: Border lines by the digest of the countries' geometries (the union takes a quarter second).
_LINES_CACHE: dict[str, object] = {}


def nakhchivan_layer(nakhchivan) -> FeatureLayer:
    """The Nakhchivan exclave, filled and outlined so it stands out, with a tooltip."""
    table = StyleTable()
    s = table.index({"color": style.NAKHCHIVAN_EDGE, "weight": 2.2,
                     "fillColor": style.NAKHCHIVAN_FILL,
                     "fillOpacity": 0.35})

    def props(idx, row):
        name = escape_html(row.get("name") or idx)
        return {"s": s, "t": f"{name} (Azerbaijan)", "c": [category("area", "nakhchivan")]}

    feats = display_features(nakhchivan, properties=props, tolerance=BORDER_TOLERANCE / 2)
    return FeatureLayer(feats, table.styles, name="Nakhchivan")


def tile_layer(url: str, *, attribution: str, name: str = TILES_NAME,
               show: bool = True) -> folium.TileLayer:
    """An optional tile layer (e.g. OpenStreetMap) drawn over the vector basemap.

    It is a base layer of the map's layer control, beside :func:`offline_base`: the
    control switches between the two (``show``: whether the tiles are on at first; a tile
    layer that is off fetches nothing). When its tiles cannot load, the vector basemap below
    it stays visible; add :func:`tile_fallback_notice` to tell the user.
    """
    if not attribution.strip():
        msg = f"tile layer {url!r}: an attribution is required"
        raise ValueError(msg)
    return folium.TileLayer(tiles=url, attr=attribution, name=name, overlay=False, control=True,
                            max_zoom=18, show=show)


def offline_base(*, show: bool = True) -> folium.FeatureGroup:
    """The layer control's choice "offline basemap": an empty base layer, so choosing it takes
    the tiles off and leaves the vector basemap (always drawn, under the tiles) in view."""
    group = folium.FeatureGroup(name=OFFLINE_NAME, overlay=False, control=True, show=show)
    Script("{map}._ceOfflineBase = {parent};").add_to(group)  # for tile_fallback_notice
    return group


def tile_fallback_notice(*, message: str | None = None) -> Script:
    """A script that, after tile errors, takes the tiles off and shows a short notice.

    Add it to the map after the tile layer. It watches every tile layer the map shows, also
    one chosen later in the layer control; the offline basemap is then the chosen one again.
    """
    text = message or ("Map tiles could not be loaded (offline network?). "
                       "Showing the offline vector basemap.")
    code = (
        "(function(){var errors = 0, shown = false, map = {map};"
        "function notice(){ var c = L.control({position: 'topright'}); c.onAdd = function(){"
        " var d = L.DomUtil.create('div', 'ce-notice'); d.setAttribute('role', 'status');"
        " d.textContent = " + js_literal(text) + "; return d;}; c.addTo(map); }"
        "function watch(tiles){ if (!(tiles instanceof L.TileLayer) || tiles._ceWatched) { return; }"
        " tiles._ceWatched = true;"
        " tiles.on('tileerror', function(){ errors += 1; if (errors < 3 || shown) { return; }"
        " shown = true; map.removeLayer(tiles);"
        " if (map._ceOfflineBase) { map.addLayer(map._ceOfflineBase); } notice(); }); }"
        "map.eachLayer(watch); map.on('layeradd', function(e){ watch(e.layer); });})();"
    )
    return Script(code)
