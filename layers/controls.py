"""The on-map controls people expect, all offline: full screen, measure, pointer position,
overview map, and a fitted view that stays clear of every control.

* Full screen and the overview map are the vendored plugins leaflet.fullscreen and
  leaflet-minimap (``geo.webassets.PLUGINS``, loaded by :mod:`layers.assets`); a map whose
  page lacks them simply has no such button.
* The measure tool and the pointer's coordinates are small controls of our own (below).
* :func:`add_controls` also makes every ``fitBounds`` of the map keep the fitted bounds clear
  of the controls in its corners (the open legend, the overview map...): the view the map
  was fitted to is never hidden under them.
* :func:`fill_window_script` makes the app's map (in a frame of the page) as tall as the
  window allows.

The layer control and the basemap switcher are Leaflet's layers control (``folium``
``LayerControl``, base layers :func:`layers.basemap.offline_base` and
:func:`layers.basemap.tile_layer`).
"""

from __future__ import annotations

import folium

from geo import style

from ._features import HeaderStyle, Script, js_literal
from .basemap import BASEMAP_PANE

#: Where the controls sit; the legend has the top-right corner to itself.
TOOLS_POSITION = "topleft"
LAYERS_POSITION = "topleft"
#: The overview map: its size in pixels, and the smallest map (px) on which it starts open.
MINIMAP_SIZE = (150, 110)
MINIMAP_OPEN_FROM = (1000, 560)
WHEEL_LATCH_MS = 600
SETTLE_MS = 4000

CONTROLS_CSS = f"""
.leaflet-control-attribution {{ max-width: 55vw; white-space: normal; text-align: right;
  line-height: 1.3; }}
.ce-tool a {{ display: flex !important; align-items: center; justify-content: center;
  color: #222; }}
.ce-tool a.ce-on {{ background: #ffe9a8; }}
.ce-measure-panel {{ background: rgba(255,255,255,.95); padding: 4px 8px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font-size: 12px; max-width: 260px; }}
.ce-measure-panel p {{ margin: 2px 0; }}
.ce-measure-panel button {{ font: inherit; margin: 2px 4px 0 0; padding: 1px 8px;
  cursor: pointer; }}
.ce-measuring, .ce-measuring .leaflet-interactive {{ cursor: crosshair !important; }}
.ce-measure-label {{ background: #fff; border: 1px solid #333; border-radius: 3px;
  padding: 0 4px; font: 600 11px/16px system-ui, sans-serif; white-space: nowrap;
  width: auto !important; height: auto !important; }}
.ce-pointer {{ background: rgba(255,255,255,.85); padding: 1px 6px; border-radius: 3px;
  font: 11px/16px ui-monospace, monospace; color: #222; min-width: 170px; }}
.ce-pointer.ce-idle {{ visibility: hidden; }}
.leaflet-control-minimap {{ background: {style.WATER_FILL}; transition: none; }}
.leaflet-control-minimap a {{ transition: none; }}
.leaflet-control-layers-base label:first-child {{ font-weight: 600; }}
"""

_RULER = ('<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">'
          '<rect x="1" y="6" width="16" height="6" fill="none" stroke="currentColor" '
          'stroke-width="1.5"/><path d="M4 6v3M7 6v2M10 6v3M13 6v2" stroke="currentColor" '
          'stroke-width="1.2"/></svg>')

# Every fitBounds of this map keeps the fitted bounds clear of the controls: for each control
# the cheaper way round (pad the side it covers by its width, or the top/bottom by its
# height, whichever loses the smaller share of the map), at most 60% of the map in all.
# Controls marked ce-nopad (the pointer's position, shown only while the pointer is over the
# map) are left out. While the map settles after load (SETTLE_MS: the overlays arrive, the
# legend decides to fold or not), a change of a corner's size fires 'ce:refit', after which
# the map fits its bounds again if the user has not moved it yet; later changes (a layer
# turned off shortens the legend) leave the view alone, as does a resize of the window,
# which fits the bounds again with the padding of that moment.
_FIT_CLEAR_JS = """
(function(){ var map = {map}, base = L.Map.prototype.fitBounds, last = '', SETTLE = __SETTLE__;
 map._cePadding = function(){ var size = map.getSize(), pad = {l: 0, t: 0, r: 0, b: 0};
  if (!size.x || !size.y || !map._controlCorners) { return {}; }
  var box = map.getContainer().getBoundingClientRect();
  Object.keys(map._controlCorners).forEach(function(pos){
   Array.prototype.forEach.call(map._controlCorners[pos].children, function(el){
    if (!el.offsetWidth || !el.offsetHeight || L.DomUtil.hasClass(el, 'ce-nopad')) { return; }
    var r = el.getBoundingClientRect();
    var side = pos.indexOf('left') >= 0 ? ['l', r.right - box.left] : ['r', box.right - r.left];
    var end = pos.indexOf('top') === 0 ? ['t', r.bottom - box.top] : ['b', box.bottom - r.top];
    var pick = side[1] / size.x <= end[1] / size.y ? side : end;
    pad[pick[0]] = Math.max(pad[pick[0]], Math.ceil(pick[1]) + 6); }); });
  var fx = Math.min(1, 0.6 * size.x / Math.max(1, pad.l + pad.r));
  var fy = Math.min(1, 0.6 * size.y / Math.max(1, pad.t + pad.b));
  return {paddingTopLeft: [pad.l * fx, pad.t * fy],
          paddingBottomRight: [pad.r * fx, pad.b * fy]}; };
 map.fitBounds = function(bounds, options){
  return base.call(this, bounds, L.extend({}, map._cePadding(), options)); };
 var born = Date.now(), check = function(){ var now = JSON.stringify(map._cePadding());
  if (now !== last && Date.now() - born < SETTLE) { last = now; map.fire('ce:refit'); } };
 if (window.ResizeObserver && map._controlCorners) { var ro = new ResizeObserver(check);
  Object.keys(map._controlCorners).forEach(function(p){ ro.observe(map._controlCorners[p]); }); }
 last = JSON.stringify(map._cePadding());
})();
"""

_FULLSCREEN_JS = """
(function(){ var map = {map}; if (!L.Control.FullScreen) { return; }
 new L.Control.FullScreen({position: __POS__, title: 'Full screen',
  titleCancel: 'Leave full screen'}).addTo(map); })();
"""

# Distances and areas on the sphere (Leaflet's distanceTo, and the spherical excess of the
# polygon with great-circle sides), as a screen tool: within about 0.5% of the ellipsoid's
# figures, which the app's own figures use (geo).
_MEASURE_JS = """
(function(){ var map = {map}, R = 6371008.8, on = false, pts = [], line = null, area = null,
  rubber = null, labels = L.layerGroup(), panel = null, button = null, wasDbl = true;
 function km(m){ return m >= 100000 ? (m / 1000).toFixed(0) + ' km'
  : m >= 1000 ? (m / 1000).toFixed(1) + ' km' : m.toFixed(0) + ' m'; }
 function km2(a){ var k = a / 1e6; return (k >= 100 ? k.toFixed(0) : k.toFixed(1)) + ' km\\u00b2'; }
 function length(list){ var d = 0; for (var i = 1; i < list.length; i++) {
  d += list[i - 1].distanceTo(list[i]); } return d; }
 function ringArea(list){ var n = list.length, s = 0, rad = Math.PI / 180; if (n < 3) { return 0; }
  for (var i = 0; i < n; i++) { var a = list[i], b = list[(i + 1) % n];
   var t1 = Math.tan(a.lat * rad / 2), t2 = Math.tan(b.lat * rad / 2);
   s += 2 * Math.atan2(Math.tan((b.lng - a.lng) * rad / 2) * (t1 + t2), 1 + t1 * t2); }
  return Math.abs(s) * R * R; }
 function say(){ if (!panel) { return; } var d = length(pts), t = panel.querySelector('.ce-m-text');
  if (!pts.length) { t.textContent = 'Click on the map to add points; a last click on the first ' +
   'point closes an area. Esc or Done ends.'; return; }
  var words = 'Distance: ' + km(d) + ' (' + pts.length + ' points)';
  if (pts.length >= 3) { words += '. Area inside: ' + km2(ringArea(pts)); }
  t.textContent = words + '. Great-circle figures, for orientation.'; }
 function draw(){ if (line) { line.setLatLngs(pts); }
  if (area) { area.setLatLngs(pts.length >= 3 ? pts : []); }
  labels.clearLayers(); var d = 0;
  pts.forEach(function(p, i){ if (i) { d += pts[i - 1].distanceTo(p); }
   if (i && i === pts.length - 1) { labels.addLayer(L.marker(p, {interactive: false,
    keyboard: false, icon: L.divIcon({className: 'ce-measure-label', html: km(d),
    iconAnchor: [-8, 8]})})); } }); say(); }
 function add(e){ if (!on) { return; } var p = e.latlng;
  if (pts.length >= 3 && map.latLngToContainerPoint(pts[0]).distanceTo(e.containerPoint) < 10) {
   pts.push(pts[0]); draw(); stop(); return; }
  pts.push(p); draw(); }
 function move(e){ if (!on || !rubber) { return; }
  rubber.setLatLngs(pts.length ? [pts[pts.length - 1], e.latlng] : []); }
 function start(){ on = true; pts = []; L.DomUtil.addClass(map.getContainer(), 'ce-measuring');
  L.DomUtil.addClass(button, 'ce-on'); button.setAttribute('aria-pressed', 'true');
  wasDbl = map.doubleClickZoom.enabled(); map.doubleClickZoom.disable(); map.closePopup();
  line = L.polyline([], {color: '#d40000', weight: 3, interactive: false}).addTo(map);
  area = L.polygon([], {stroke: false, fillColor: '#d40000', fillOpacity: 0.12,
   interactive: false}).addTo(map);
  rubber = L.polyline([], {color: '#d40000', weight: 2, dashArray: '4 4',
   interactive: false}).addTo(map);
  labels.addTo(map); panel.style.display = ''; say(); }
 function stop(){ on = false; L.DomUtil.removeClass(map.getContainer(), 'ce-measuring');
  L.DomUtil.removeClass(button, 'ce-on'); button.setAttribute('aria-pressed', 'false');
  if (wasDbl) { map.doubleClickZoom.enable(); } if (rubber) { rubber.remove(); rubber = null; } }
 function clear(){ stop(); [line, area].forEach(function(l){ if (l) { l.remove(); } });
  line = area = null; pts = []; labels.clearLayers(); labels.remove();
  panel.style.display = 'none'; }
 var Measure = L.Control.extend({ options: {position: __POS__},
  onAdd: function(){ var bar = L.DomUtil.create('div', 'leaflet-bar ce-tool ce-measure');
   button = L.DomUtil.create('a', '', bar); button.href = '#'; button.innerHTML = __ICON__;
   button.title = 'Measure a distance or an area'; button.setAttribute('role', 'button');
   button.setAttribute('aria-label', button.title); button.setAttribute('aria-pressed', 'false');
   L.DomEvent.disableClickPropagation(bar);
   L.DomEvent.on(button, 'click', function(e){ L.DomEvent.preventDefault(e);
    if (on) { stop(); } else { clear(); start(); } });
   return bar; } });
 var Panel = L.Control.extend({ options: {position: 'bottomleft'},
  onAdd: function(){ panel = L.DomUtil.create('div', 'ce-measure-panel');
   panel.setAttribute('role', 'status'); panel.style.display = 'none';
   var t = L.DomUtil.create('p', 'ce-m-text', panel);
   var done = L.DomUtil.create('button', 'ce-m-done', panel); done.type = 'button';
   done.textContent = 'Done'; var wipe = L.DomUtil.create('button', 'ce-m-clear', panel);
   wipe.type = 'button'; wipe.textContent = 'Clear';
   L.DomEvent.disableClickPropagation(panel); L.DomEvent.disableScrollPropagation(panel);
   L.DomEvent.on(done, 'click', stop); L.DomEvent.on(wipe, 'click', clear); return panel; } });
 new Measure().addTo(map); new Panel().addTo(map);
 map.on('click', add); map.on('mousemove', move);
 map.on('popupopen', function(e){ if (on) { map.closePopup(e.popup); } });
 map.getContainer().addEventListener('keydown', function(e){
  if (on && e.key === 'Escape') { stop(); } });
 map._ceMeasure = {points: function(){ return pts.slice(); }, length: function(){
  return length(pts); }, area: function(){ return ringArea(pts); }};
})();
"""

_POINTER_JS = """
(function(){ var map = {map};
 var Pointer = L.Control.extend({ options: {position: 'bottomleft'},
  onAdd: function(){ var d = L.DomUtil.create('div', 'ce-pointer ce-nopad');
   d.setAttribute('aria-live', 'off'); d.title = 'Position of the pointer (WGS 84)';
   d.textContent = '\\u00a0'; d.className += ' ce-idle'; return d; } });
 var c = new Pointer().addTo(map), el = c.getContainer();
 function fmt(v, pos, neg, digits){ return Math.abs(v).toFixed(digits) + '\\u00b0\\u00a0' +
  (v >= 0 ? pos : neg); }
 map.on('mousemove', function(e){ var z = map.getZoom(), d = z >= 12 ? 5 : z >= 8 ? 4 : 3;
  var p = e.latlng.wrap(); L.DomUtil.removeClass(el, 'ce-idle');
  el.textContent = fmt(p.lat, 'N', 'S', d) + ', ' + fmt(p.lng, 'E', 'W', d); });
 map.on('mouseout', function(){ L.DomUtil.addClass(el, 'ce-idle'); });
})();
"""

# The overview map draws the map's own offline land and water (the vector layers of the
# basemap pane), never tiles: it works offline and costs no request. It draws on a canvas (no
# SVG paths beside the map's own), and opens on a large map until the user folds or opens it.
# The control is there at once (the map's corners keep their size), the copy of the land is
# drawn in it once the browser is idle, after the map's first paint.
# It moves the map only when the user moves it: the plugin's own two-way sync otherwise set
# the map's view back from the overview's whenever the overview moved (a resize, a rounded
# zoom), undoing the fitted view. Opened, it takes its new size (it was drawn folded).
_MINIMAP_JS = """
(function(){ var map = {map}; if (!L.Control.MiniMap) { return; }
 var land = L.layerGroup(), idle = window.requestIdleCallback || function(f){
  return setTimeout(f, 300); };
 idle(function(){ map.eachLayer(function(l){
  if (l instanceof L.GeoJSON && l.options.pane === __PANE__) {
   land.addLayer(L.geoJSON(l.toGeoJSON(), {style: l.options.style, interactive: false})); } });
 }, {timeout: 1500});
 var want = function(){ var s = map.getSize(); return s.x >= __OPEN__[0] && s.y >= __OPEN__[1]; };
 var mini = new L.Control.MiniMap(land, {position: 'bottomright',
  width: __SIZE__[0], height: __SIZE__[1], toggleDisplay: true, minimized: !want(),
  zoomLevelOffset: -5, zoomAnimation: false, aimingRectOptions: {color: '#d40000', weight: 2,
  fillOpacity: 0.06, interactive: false}, shadowRectOptions: {color: '#000', weight: 1, opacity: 0,
  fillOpacity: 0, interactive: false},
  strings: {hideText: 'Hide the overview map', showText: 'Show the overview map'},
  mapOptions: {preferCanvas: true, zoomSnap: map.options.zoomSnap}});
 var user = false, follow = mini._onMiniMapMoved, moving = mini._onMiniMapMoving;
 var restore = mini._restore;
 mini._onMiniMapMoving = function(e){ if (user) { moving.call(this, e); } };
 mini._onMiniMapMoved = function(e){ if (user) { user = false; return follow.call(this, e); }
  this._mainMapMoving = false; if (this._shadowRect) {
   this._shadowRect.setStyle({opacity: 0, fillOpacity: 0}); } };
 mini._restore = function(){ restore.call(this); user = false;
  this._miniMap.invalidateSize({pan: false});
  this._miniMap.setView(this._mainMap.getCenter(), this._decideZoom(true), {animate: false}); };
 mini.addTo(map); map._ceMinimap = mini;
 ['mousedown', 'touchstart', 'wheel', 'dblclick'].forEach(function(ev){
  mini.getContainer().addEventListener(ev, function(){ user = true; }, {passive: true}); });
 map.on('resize', function(){ if (!mini._userToggledDisplay) { mini._setDisplay(!want()); } });
})();
"""


def _fill(code: str, **values: object) -> str:
    for key, value in values.items():
        code = code.replace(f"__{key}__", value if key == "ICON" else js_literal(value))
    return code


def add_controls(m: folium.Map, *, fit_clear: bool = True, minimap: bool = True) -> folium.Map:
    """Add full screen, measure, pointer position and overview map to ``m`` (in place).

    Add them before the legend and before the map fits its bounds (``layers.base_map`` does).
    ``fit_clear`` keeps the fitted bounds clear of the controls (see the module docstring);
    leave it off for a view the user saw before, e.g. an extent from a link, which would
    otherwise open wider. ``minimap`` adds the overview map (it copies the basemap's land
    and water layers, so add it after them).
    """
    HeaderStyle(CONTROLS_CSS).add_to(m)
    Script(_fill(_FULLSCREEN_JS, POS=TOOLS_POSITION)).add_to(m)
    Script(_fill(_MEASURE_JS, POS=TOOLS_POSITION, ICON=js_literal(_RULER))).add_to(m)
    Script(_POINTER_JS).add_to(m)
    if minimap:
        Script(_fill(_MINIMAP_JS, PANE=BASEMAP_PANE, OPEN=list(MINIMAP_OPEN_FROM),
                     SIZE=list(MINIMAP_SIZE))).add_to(m)
    if fit_clear:
        Script(_fill(_FIT_CLEAR_JS, SETTLE=SETTLE_MS)).add_to(m)
    return m


def layer_control() -> folium.LayerControl:
    """Leaflet's layers control: the overlays by name, and the basemaps when tiles are offered."""
    return folium.LayerControl(position=LAYERS_POSITION, collapsed=True)


# The app's map sits in a frame of the page: this makes the frame (and the map in it) as tall
# as the window allows. A map whose top is in the first screen ends just above the fold (its
# scale bar and attribution in view); a map further down fills the window less a margin. It
# follows the window's size and the map's place on the page (which moves while the page above
# it is drawn), never shrinks below ``min_height`` and stops with the frame. In full screen
# the map takes the screen (the plugin's CSS), and its height again when it leaves.
# The wheel zooms the map, except while the page is being scrolled: a wheel turn that began
# on the page goes on scrolling it when the map slides under the pointer (for WHEEL_LATCH_MS
# after the page's last wheel event, or before the pointer has moved over the map), instead
# of suddenly zooming the map.
_FILL_WINDOW_JS = """
(function(){ var frame = window.frameElement, map = {map};
 if (!frame || !window.parent || window.parent === window) { return; }
 var top = window.parent, done = false, MIN = __MIN__, GAP = __GAP__, LATCH = __LATCH__;
 function scrolled(el){ var y = 0; for (var p = el.parentElement; p; p = p.parentElement) {
  y += p.scrollTop || 0; } return y + (top.scrollY || 0); }
 function fit(){ if (done || !frame.isConnected) { stop(); return; }
  if (document.fullscreenElement) { return; }
  var view = top.innerHeight, at = frame.getBoundingClientRect().top + scrolled(frame);
  var h = at < view * 0.6 ? view - at - GAP : view - 2 * GAP;
  h = Math.max(MIN, Math.round(h));
  var box = map.getContainer();
  if (Math.abs(frame.offsetHeight - h) < 2 && Math.abs(box.offsetHeight - h) < 2) { return; }
  frame.style.setProperty('height', h + 'px', 'important');
  frame.setAttribute('height', String(h));
  box.style.setProperty('height', h + 'px', 'important'); map.invalidateSize({pan: false}); }
 function scroller(){ for (var p = frame.parentElement; p; p = p.parentElement) {
  var y = top.getComputedStyle(p).overflowY;
  if ((y === 'auto' || y === 'scroll') && p.scrollHeight > p.clientHeight) { return p; } }
  return top.document.scrollingElement; }
 var paged = 0, mark = function(){ paged = Date.now(); }, over = false;
 document.addEventListener('mousemove', function(){ over = true; }, true);
 document.documentElement.addEventListener('mouseleave', function(){ over = false; });
 map.getContainer().addEventListener('wheel', function(e){
  if (over && Date.now() - paged > LATCH) { return; }
  e.stopPropagation(); e.preventDefault(); paged = Date.now(); var s = scroller();
  if (s) { s.scrollBy(0, e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1)); }
 }, {capture: true, passive: false});
 document.addEventListener('fullscreenchange', function(){
  if (document.fullscreenElement) { map.getContainer().style.removeProperty('height'); }
  else { fit(); } });
 var timer = setInterval(fit, 400);
 function stop(){ done = true; clearInterval(timer); top.removeEventListener('resize', fit);
  top.document.removeEventListener('wheel', mark, true); }
 top.addEventListener('resize', fit); window.addEventListener('pagehide', stop);
 top.document.addEventListener('wheel', mark, {capture: true, passive: true});
 fit(); })();
"""


def fill_window_script(*, min_height: int = 360, gap: int = 16) -> Script:
    """A script that sizes the app's map frame to the window (see the comment above);
    nothing happens on a page of its own (an exported map already fills its window)."""
    return Script(_fill(_FILL_WINDOW_JS, MIN=int(min_height), GAP=int(gap), LATCH=WHEEL_LATCH_MS))
