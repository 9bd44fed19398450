"""Names on the interactive map: countries, Nakhchivan, places, routes and sections.

The labels are plain text in a pane of their own (over the lines, under the markers and
popups; they never catch the mouse). Which ones show is decided in the browser after every
zoom and move: a label shows only within its zoom range (:data:`ZOOMS`: countries from far
out, more places as you zoom in) and only where its box overlaps no label of higher priority
already shown, so labels never overlap; nor do they go under a marker or a map control. A
place's label goes right of its point, else left, a little farther out (past a marker on the
place), above or below it, and farther out still (past a cluster of claims on the place); a
centred label that does not fit on its point tries the eight spots around it, and a route's
or section's label then the other points along its line. The text is escaped in Python
(``geo.escape_html``) and sent as JSON (:func:`layers._features.js_literal`).
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.ops import polylabel

from geo.escape import escape_html

from ._features import DISPLAY_WINDOW, js_literal

PANE = "ceLabels"
PANE_Z = 450  # over the overlays (400), under the markers (600)
PAD_PX = 2  # the least gap between two labels
# What labels keep clear of: markers (claims, crossings, gauge breaks) and the map's controls.
BLOCKERS = ".leaflet-marker-pane .leaflet-marker-icon, .leaflet-control"
# kind: (first zoom shown, zoom from which it is hidden). Places by rank (geo.map_labels):
# 0 where a route starts or ends, 1 at the end of a segment, 2 elsewhere.
ZOOMS = {
    "country": (3.0, 8.5),
    "small_country": (5.0, 8.5),
    "territory": (4.0, 10.0),
    "route": (4.0, 9.0),
    "section": (6.0, 12.0),
    "place0": (5.0, 19.0),
    "place1": (6.0, 19.0),
    "place2": (7.0, 19.0),
    "border_crossing": (7.5, 19.0),
}
# Drawing priority, highest first: which label wins where two would overlap.
PRIORITY = ("territory", "country", "route", "place0", "section", "small_country", "place1",
            "place2", "border_crossing")
SMALL_COUNTRY_SQ_DEG = 3.0  # countries smaller than this in view are labelled from nearer

LABEL_CSS = f"""
.leaflet-pane.ce-labels {{ z-index: {PANE_Z}; pointer-events: none; }}
.ce-label {{ position: absolute; left: 0; top: 0; display: none; white-space: nowrap;
  font: 500 11px/1.2 system-ui, sans-serif; color: #1f1f1f; pointer-events: none;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }}
.ce-label span {{ display: block; }}
.ce-label .ce-label-alt {{ font-weight: 400; font-size: 10px; color: #4a4a4a; }}
.ce-label-c {{ text-align: center; }}
.ce-label-country, .ce-label-small_country {{ font: 600 12px/1.2 system-ui, sans-serif;
  color: #5c5c5c; text-transform: uppercase; letter-spacing: .06em; }}
.ce-label-territory {{ font: italic 600 12px/1.2 system-ui, sans-serif; color: #7b1f55; }}
.ce-label-route {{ font: italic 700 11.5px/1.2 system-ui, sans-serif; color: #15325f; }}
.ce-label-route .ce-label-alt {{ font-size: 10.5px; font-weight: 600; color: #2d4a78; }}
.ce-label-section {{ font: italic 600 11px/1.2 system-ui, sans-serif; color: #3b2a66; }}
.ce-label-place0 {{ font-weight: 700; font-size: 12px; }}
.ce-label-border_crossing {{ font-size: 10px; color: #333; }}
"""


def _in_view(geom):
    """The part of ``geom`` in the display window (all of it when none is: a test world)."""
    part = shapely.clip_by_rect(geom, *DISPLAY_WINDOW)
    return geom if part.is_empty else part


def _country_point(geom) -> shapely.Point | None:
    """The point inside the largest part of ``geom`` within the display window farthest from
    its edges (where a name fits best)."""
    if geom is None or geom.is_empty:
        return None
    part = _in_view(geom)
    biggest = max(getattr(part, "geoms", [part]), key=lambda g: g.area)
    if biggest.geom_type != "Polygon":
        return biggest.representative_point()
    return polylabel(biggest, tolerance=0.05)


def label_rows(*, borders: gpd.GeoDataFrame | None = None,
               nakhchivan: gpd.GeoDataFrame | None = None,
               names: gpd.GeoDataFrame | None = None) -> list[list]:
    """The labels, highest priority first: ``[lat, lon, html, class, min_zoom, max_zoom, side,
    more]``.

    ``borders`` gives country names (in the part of each country inside the display window),
    ``nakhchivan`` the exclave's, ``names`` (``geo.map_labels``) those of places, routes and
    sections. ``html`` is the escaped text (``geo.escape_html``), lines split by ``\\n``;
    ``class`` is a key of :data:`ZOOMS`; ``side`` is 1 for a label beside a point (a place),
    0 for one centred on it; ``more`` lists other ``[lat, lon]`` it may go to, in order (a
    route's or section's points along its line, ``geo.map_labels``).
    """
    rows: list[tuple] = []
    if borders is not None:
        for _, row in borders.iterrows():
            point = _country_point(row.geometry)
            if point is None:
                continue
            area = _in_view(row.geometry).area
            kind = "country" if area >= SMALL_COUNTRY_SQ_DEG else "small_country"
            rows.append((kind, -area, [point], str(row["name"]), 0))
    if nakhchivan is not None:
        for _, row in nakhchivan.iterrows():
            name = str(row["name"]).replace(" Autonomous Republic", "")
            text = f"{name} ({row['iso3']})" if "iso3" in row else name
            rows.append(("territory", 0.0, [row.geometry.representative_point()], text, 0))
    if names is not None:
        for row, point in zip(names.to_dict("records"), names.geometry, strict=True):
            if point is None or point.is_empty:
                continue
            kind = str(row.get("kind"))
            if kind not in ("route", "section", "border_crossing"):
                kind = f"place{min(int(row.get('rank') or 0), 2)}"
            side = 0 if kind in ("route", "section") else 1
            rows.append((kind, 0.0, list(getattr(point, "geoms", [point])), str(row["text"]),
                         side))
    order = {kind: i for i, kind in enumerate(PRIORITY)}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    return [[round(p[0].y, 4), round(p[0].x, 4), escape_html(text), kind, *ZOOMS[kind], side,
             [[round(q.y, 4), round(q.x, 4)] for q in p[1:]]]
            for kind, _, p, text, side in rows]


class MapLabels(MacroElement):
    """The map's labels (see the module docstring); add it to a ``folium.Map``."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, pad = {{ this.pad }};
            var labelData = {{ this.data_js }};
            var blockers = {{ this.blockers|tojson }};
            // A centred label that does not fit on its point tries the spots around it.
            var ring = [[0, 0], [0, -1], [0, 1], [-1, 0], [1, 0], [-1, -1], [1, -1], [-1, 1],
                        [1, 1]];
            var pane = map.getPane({{ this.pane|tojson }}) || map.createPane({{ this.pane|tojson }});
            pane.classList.add("ce-labels");
            var items = labelData.map(function(d) {
                var el = document.createElement("div");
                el.className = "ce-label ce-label-" + d[3] + (d[6] ? "" : " ce-label-c");
                String(d[2]).split("\\n").forEach(function(line, i) {
                    var span = document.createElement("span");
                    span.innerHTML = line;  // escaped in Python
                    span.dir = "auto";
                    if (i) { span.className = "ce-label-alt"; }
                    el.appendChild(span);
                });
                pane.appendChild(el);
                var anchors = [L.latLng(d[0], d[1])].concat((d[7] || []).map(function(a) {
                    return L.latLng(a[0], a[1]);
                }));
                return {anchors: anchors, el: el, z0: d[4], z1: d[5], side: d[6], w: 0, h: 0};
            });
            function obstacles(o) {
                var box = map.getContainer().getBoundingClientRect(), out = [];
                map.getContainer().querySelectorAll(blockers).forEach(function(el) {
                    // a marker's drawing may be wider than its icon box (a country badge)
                    [el, el.firstElementChild].forEach(function(part) {
                        var r = part ? part.getBoundingClientRect() : null;
                        if (!r || !r.width || !r.height) { return; }
                        out.push([r.left - box.left + o.x, r.top - box.top + o.y,
                                  r.right - box.left + o.x, r.bottom - box.top + o.y]);
                    });
                });
                return out;
            }
            function layout() {
                var z = map.getZoom(), size = map.getSize();
                if (!size.x || !size.y) { return; }
                var o = map.containerPointToLayerPoint([0, 0]), placed = obstacles(o);
                var want = items.filter(function(it) { return z >= it.z0 && z < it.z1; });
                want.forEach(function(it) {
                    if (!it.w) { it.el.style.visibility = "hidden"; it.el.style.display = "block"; }
                });
                want.forEach(function(it) {
                    if (!it.w) { it.w = it.el.offsetWidth; it.h = it.el.offsetHeight; }
                });
                items.forEach(function(it) { it.on = false; });
                want.forEach(function(it) {
                    if (!it.w) { return; }
                    var w = it.w, h = it.h, spots = [];
                    it.anchors.forEach(function(ll) {
                        var p = map.latLngToLayerPoint(ll), mid = p.y - h / 2;
                        spots = spots.concat(it.side ?
                            [[p.x + 6, mid], [p.x - 6 - w, mid], [p.x + 14, mid],
                             [p.x - 14 - w, mid], [p.x - w / 2, p.y - 13 - h],
                             [p.x - w / 2, p.y + 13],
                             // past a cluster of claims on the place (about 40 px across)
                             [p.x + 26, mid], [p.x - 26 - w, mid],
                             [p.x - w / 2, p.y - 26 - h], [p.x - w / 2, p.y + 26]] :
                            ring.map(function(d) {
                                return [p.x - w / 2 + d[0] * (w / 2 + 10),
                                        mid + d[1] * (h / 2 + 10)];
                            }));
                    });
                    for (var i = 0; i < spots.length; i++) {
                        var x = spots[i][0], top = spots[i][1];
                        if (x < o.x || top < o.y || x + w > o.x + size.x ||
                            top + h > o.y + size.y) { continue; }
                        var box = [x - pad, top - pad, x + it.w + pad, top + it.h + pad];
                        var free = placed.every(function(q) {
                            return q[2] <= box[0] || box[2] <= q[0] || q[3] <= box[1] ||
                                   box[3] <= q[1];
                        });
                        if (free) { placed.push(box); it.on = true; it.x = x; it.y = top; break; }
                    }
                });
                items.forEach(function(it) {
                    if (it.on) {
                        it.el.style.transform = "translate(" + Math.round(it.x) + "px," +
                                                Math.round(it.y) + "px)";
                        it.el.style.visibility = "";
                        it.el.style.display = "block";
                    } else {
                        it.el.style.display = "none";
                    }
                });
            }
            // After the other handlers of the same event (marker clusters regroup on zoomend),
            // and never before the map's first paint (measuring the labels forces a layout of
            // everything drawn, which would hold that paint back).
            var pending = false, painted = false;
            function schedule() {
                if (pending || !painted) { return; }
                pending = true;
                requestAnimationFrame(function() {
                    pending = false;
                    layout();
                    pane.style.visibility = "";
                });
            }
            map.on("zoomstart", function() { pane.style.visibility = "hidden"; });
            map.on("zoomend moveend resize viewreset layeradd layerremove", schedule);
            if (window.MutationObserver) {
                new MutationObserver(schedule).observe(map.getPane("markerPane"),
                                                       {childList: true});
            }
            map.whenReady(function() {
                requestAnimationFrame(function() {  // the first frame is being painted
                    setTimeout(function() { painted = true; schedule(); }, 0);
                });
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, rows: list[list]) -> None:
        super().__init__()
        self._name = "MapLabels"
        self.data_js = js_literal(rows)
        self.css = LABEL_CSS
        self.pane = PANE
        self.pad = PAD_PX
        self.blockers = BLOCKERS
        self.n_labels = len(rows)


def labels_layer(*, borders: gpd.GeoDataFrame | None = None,
                 nakhchivan: gpd.GeoDataFrame | None = None,
                 names: gpd.GeoDataFrame | None = None) -> MapLabels:
    """The labels of :func:`label_rows` as one element to add to the map."""
    return MapLabels(label_rows(borders=borders, nakhchivan=nakhchivan, names=names))
