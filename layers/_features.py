"""One Leaflet GeoJSON layer per dataset, with display-only geometry and pre-escaped HTML.

:func:`display_features` turns a GeoDataFrame into compact GeoJSON for the screen: clipped to a
window, simplified and rounded (never the frame itself; metrics keep full resolution).
:class:`FeatureLayer` draws it: a style table indexed per feature, tooltips and popups whose HTML
was escaped in Python, and points as circle markers or small HTML badges (no image assets).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from jinja2 import Template

# Display defaults: about 1 km on the ground and 11 m rounding, far below a screen pixel at the
# region-wide zoom levels, and a window that holds the South Caucasus, Iran and neighbours.
DEFAULT_PRECISION = 4
DISPLAY_WINDOW = (25.0, 18.0, 72.0, 50.0)

# Popups keep inside the map: Leaflet pans the map (never zooms) until the whole popup, with
# this margin, is in view; a long popup scrolls inside its 300 px instead of growing. The
# top-left margin clears the column of buttons (zoom, full screen, measure, layers) and the
# folded legend at the top, so no button covers the popup's text.
POPUP_OPTIONS = {"maxWidth": 380, "minWidth": 220, "maxHeight": 300, "autoPan": True,
                 "keepInView": True, "autoPanPadding": [12, 12],
                 "autoPanPaddingTopLeft": [58, 48]}
# Leaflet.markercluster: only markers that overlap (within 28 px) are grouped; a click on a
# group spreads it with leader lines at the same zoom; groups look alike (dark, with a count)
# so they are not mistaken for a verdict colour.
CLUSTER_OPTIONS = {"maxClusterRadius": 28, "zoomToBoundsOnClick": False,
                   "spiderfyOnMaxZoom": False, "showCoverageOnHover": False,
                   "spiderfyDistanceMultiplier": 1.4, "animate": False,
                   "spiderLegPolylineOptions": {"weight": 1.5, "color": "#222", "opacity": 0.8,
                                                "className": "ce-spider-leg"}}


def js_literal(value: object) -> str:
    """Compact JSON for embedding in a ``<script>`` block (cannot close the block or a comment).

    ``</`` becomes ``<\\/`` and ``<!`` and ``-->`` are written with ``\\u003c``/``\\u003e``, so
    no ``</script``, ``<!--`` or ``-->`` can appear; other ``<``, ``>`` and ``&`` stay as they
    are (popup HTML would otherwise nearly double in size).

    branca renders each element's output through Jinja a second time, so a string holding
    ``{{``, ``{%`` or ``{#`` would be evaluated as a template. JSON's own braces never form
    those pairs (an object's ``{`` is followed by ``"`` or ``}``), so escaping the second
    character of each pair changes only text inside strings, and JavaScript reads it back
    unchanged.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    for char, code in (("</", "<\\/"), ("<!", "\\u003c!"), ("-->", "--\\u003e"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
                       ("{{", "{\\u007b"), ("{%", "{\\u0025"), ("{#", "{\\u0023")):
        text = text.replace(char, code)
    return text


def display_geometries(geoms, *, tolerance: float = 0.0, precision: int = DEFAULT_PRECISION,
                       window: tuple[float, float, float, float] | None = None) -> np.ndarray:
    """Screen copies of ``geoms``: clipped to ``window``, simplified, rounded; empties kept as None.

    ``tolerance`` is in degrees (topology preserved); the input geometries are not changed.
    """
    arr = np.array(list(geoms), dtype=object)  # shapely geometries are immutable: no copy needed
    if window is not None:
        polys = shapely.get_type_id(arr) >= 3
        clipped = arr.copy()
        clipped[polys] = shapely.clip_by_rect(arr[polys], *window)
        lines = ~polys
        clipped[lines] = shapely.intersection(arr[lines], shapely.box(*window))
        arr = clipped
    if tolerance > 0:
        arr = shapely.simplify(arr, tolerance, preserve_topology=True)
    # Snap to the grid keeping polygons valid (plain rounding can make rings cross, which
    # Leaflet fills as holes), then round away the float noise of the snapped values.
    arr = shapely.set_precision(arr, 10.0 ** -precision)
    arr = shapely.transform(arr, lambda xy: np.round(xy, precision))
    arr = np.where(shapely.is_empty(arr) | shapely.is_missing(arr), None, arr)
    return arr


def display_features(frame, *, properties: Callable[[object, dict], dict],
                     tolerance: float = 0.0, precision: int = DEFAULT_PRECISION,
                     window: tuple[float, float, float, float] | None = None) -> list[dict]:
    """GeoJSON features for the rows of ``frame`` with a drawable display geometry.

    ``properties(index, row)`` returns each feature's properties (already escaped HTML where it
    holds text). Rows whose geometry is empty after clipping are left out.
    """
    if frame is None or len(frame) == 0:
        return []
    geoms = display_geometries(frame.geometry.values, tolerance=tolerance, precision=precision,
                               window=window)
    features = []
    for (idx, row), geom in zip(frame.iterrows(), geoms, strict=True):
        if geom is None:
            continue
        features.append({
            "type": "Feature",
            "geometry": shapely.geometry.mapping(geom),
            "properties": properties(idx, row.to_dict()),
        })
    return features


class StyleTable:
    """Distinct style dicts, each stored once; :meth:`index` gives a feature's style number."""

    def __init__(self) -> None:
        self.styles: list[dict] = []
        self._keys: dict[str, int] = {}

    def index(self, style: dict) -> int:
        clean = {k: v for k, v in style.items() if v is not None}
        key = json.dumps(clean, sort_keys=True)
        if key not in self._keys:
            self._keys[key] = len(self.styles)
            self.styles.append(clean)
        return self._keys[key]


class RenderedScript(Element):
    """Script text already rendered, put on the page as it is.

    branca adds each element's rendered script to the page as a new template, so Jinja parses
    it a second time: for a layer that holds its GeoJSON (hundreds of kilobytes) that parse
    was most of the time of drawing the map in the app, on every run. This element skips it.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class FeatureLayer(folium.map.Layer):
    """A Leaflet GeoJSON layer: per-feature style index ``s``, tooltip ``t``, popup ``p``.

    Parameters
    ----------
    features
        GeoJSON features from :func:`display_features`.
    styles
        Style dicts (Leaflet path options) that the features' ``s`` property indexes.
    name
        Name shown in a layer control.
    point
        How points are drawn: ``{"circle", "badge"}``; a badge is an HTML ``divIcon`` whose
        inner HTML is the feature's ``k`` property and class ``badge_class``, shifted by its
        ``dx``/``dy`` pixel properties.
    pane
        Leaflet pane for the layer (e.g. the basemap pane below the tiles); default overlays.
    interactive
        Whether features react to the mouse (tooltips and popups need it).
    attribution
        Text for the map's attribution line while the layer is shown (HTML is escaped).
    cluster
        Put the markers in a Leaflet.markercluster group (the plugin must be loaded, see
        :mod:`layers.assets`): markers that overlap on screen become one numbered circle, which
        spreads its markers out with leader lines when clicked (the zoom does not change).
        Without the plugin the markers are drawn as they are, spread by their ``dx``/``dy``.
    registry
        Name of a ``window`` object in which each marker is stored under its ``i`` property,
        so a script can find it (e.g. :func:`layers.open_claim_script`) even inside a cluster.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_styles = {{ this.styles_js }};
        {%- if this.cluster %}
        var {{ this.get_name() }}_spread = !L.markerClusterGroup;
        {%- else %}
        var {{ this.get_name() }}_spread = true;
        {%- endif %}
        var {{ this.get_name() }}_features = L.geoJSON(null, {
            {%- if this.pane %}
            pane: {{ this.pane|tojson }},
            {%- endif %}
            interactive: {{ this.interactive|tojson }},
            {%- if this.attribution %}
            attribution: {{ this.attribution|tojson }},
            {%- endif %}
            style: function(f) { return {{ this.get_name() }}_styles[f.properties.s || 0]; },
            pointToLayer: function(f, latlng) {
                var st = {{ this.get_name() }}_styles[f.properties.s || 0];
                {%- if this.point == "badge" %}
                var dx = {{ this.get_name() }}_spread ? (f.properties.dx || 0) : 0;
                var dy = {{ this.get_name() }}_spread ? (f.properties.dy || 0) : 0;
                return L.marker(latlng, {
                    icon: L.divIcon({className: {{ this.badge_class|tojson }},
                                     html: f.properties.k || "",
                                     iconSize: [22, 22], iconAnchor: [11 - dx, 11 - dy],
                                     popupAnchor: [dx, dy - 8]}),
                    {%- if this.pane %}
                    pane: {{ this.pane|tojson }},
                    {%- endif %}
                    interactive: {{ this.interactive|tojson }},
                    keyboard: true,
                    riseOnHover: true
                });
                {%- else %}
                return L.circleMarker(latlng, Object.assign({}, st));
                {%- endif %}
            },
            onEachFeature: function(f, layer) {
                if (f.properties.t) {
                    layer.bindTooltip(f.properties.t, {sticky: true, direction: "top"});
                }
                if (f.properties.p) { layer.bindPopup(f.properties.p, {{ this.popup_js }}); }
                {%- if this.registry %}
                var reg = window[{{ this.registry|tojson }}] =
                    window[{{ this.registry|tojson }}] || {};
                if (f.properties.i) { reg[f.properties.i] = layer; }
                {%- endif %}
            }
        });
        {{ this.get_name() }}_features.addData({{ this.data_js }});
        {%- if this.cluster %}
        var {{ this.get_name() }} = {{ this.get_name() }}_features;
        if (L.markerClusterGroup) {
            {{ this.get_name() }} = L.markerClusterGroup({{ this.cluster_js }});
            {{ this.get_name() }}.on('clusterclick', function(e) { e.layer.spiderfy(); });
            {{ this.get_name() }}.addLayer({{ this.get_name() }}_features);
            {%- if this.registry %}
            window[{{ this.registry|tojson }} + "Group"] = {{ this.get_name() }};
            {%- endif %}
        }
        {%- else %}
        var {{ this.get_name() }} = {{ this.get_name() }}_features;
        {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, features: list[dict], styles: Iterable[dict], *, name: str,
                 point: str = "circle", badge_class: str = "ce-badge", pane: str | None = None,
                 interactive: bool = True, show: bool = True, control: bool = True,
                 attribution: str | None = None, cluster: bool = False,
                 registry: str | None = None) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        if point not in ("circle", "badge"):
            msg = f"FeatureLayer {name!r}: point={point!r} is not one of 'circle', 'badge'"
            raise ValueError(msg)
        self._name = "FeatureLayer"
        self.n_features = len(features)
        self.styles_js = js_literal(list(styles) or [{}])
        self.data_js = js_literal({"type": "FeatureCollection", "features": features})
        self.point = point
        self.badge_class = badge_class
        self.pane = pane
        self.interactive = interactive
        self.attribution = attribution
        self.cluster = cluster
        self.cluster_js = js_literal(CLUSTER_OPTIONS)
        self.popup_js = js_literal(POPUP_OPTIONS)
        self.registry = registry

    def render(self, **kwargs) -> None:
        """As folium's ``Layer.render``, but the script is added as :class:`RenderedScript`."""
        if self.show:
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()),
                           name=self.get_name() + "_add")
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(RenderedScript(script(self, kwargs)),
                                         name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


def ring_offsets(keys: list, *, spacing_px: int = 24) -> list[tuple[int, int]]:
    """Pixel offsets that spread markers sharing a key (a location) on a ring.

    The ring grows with the number of markers so neighbours stay ``spacing_px`` apart.
    """
    groups: dict = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    out = [(0, 0)] * len(keys)
    for members in groups.values():
        if len(members) == 1:
            continue
        n = len(members)
        radius_px = max(spacing_px * 0.6, spacing_px * n / (2 * math.pi))
        for j, i in enumerate(members):
            angle = 2 * math.pi * j / n - math.pi / 2
            out[i] = (round(radius_px * math.cos(angle)), round(radius_px * math.sin(angle)))
    return out


class Script(MacroElement):
    """A piece of JavaScript run where it is added; ``{map}`` and ``{parent}`` name the objects."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.code }}
        {% endmacro %}
    """)

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "Script"
        self.raw = code

    def render(self, **kwargs):
        parent = self._parent
        root_map = parent
        while root_map is not None and not isinstance(root_map, folium.Map):
            root_map = getattr(root_map, "_parent", None)
        self.code = self.raw.replace("{parent}", parent.get_name()).replace(
            "{map}", root_map.get_name() if root_map is not None else "null"
        )
        super().render(**kwargs)


class HeaderStyle(MacroElement):
    """CSS added to the page header (kept by streamlit-folium, inlined in exports)."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
    """)

    def __init__(self, css: str) -> None:
        super().__init__()
        self._name = "HeaderStyle"
        self.css = css
