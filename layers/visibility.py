"""Which overlay layers the app's map shows, decided in the browser.

The app sends every overlay group once and never again for a layer turned on or off: the page
address names the layers shown (``layers=corridors,places``; absent: all), and the map hides
and shows its groups to match (:func:`layers_from_url_script`). Each group says which layer it
is (:func:`register_script`, added by :func:`layers.overlay_groups`), and a group drawn anew
(after a filter changed) takes the address's choice as it is drawn, so a hidden layer never
flashes. A control beside the map can also call ``window.__ceShowLayer(key, on)`` in the map's
frame, which shows or hides a layer at once, before the address changes.

Only a change of the address's ``layers`` value moves the layers: a layer turned off with
Leaflet's own layer control stays off while the map is panned (which rewrites the address).
A self-contained map (an export) has no address to follow and ignores both scripts.
"""

from __future__ import annotations

from ._features import Script, js_literal

#: The URL parameter naming the layers shown (``app_pages._view_state``).
PARAM = "layers"


def register_script(key: str) -> Script:
    """Script, added to an overlay group, that records the group as layer ``key`` and hides
    it at once when the address (or a click beside the map) hides that layer."""
    code = (
        "(function(){ var g = {parent}, m = {map};"
        " (window.__ceGroups = window.__ceGroups || {})[" + js_literal(key) + "] = g;"
        " if (window.__ceLayerHidden && window.__ceLayerHidden(" + js_literal(key) + ")"
        " && m && m.hasLayer(g)) { m.removeLayer(g); } })();"
    )
    return Script(code)


def layers_from_url_script(param: str = PARAM) -> Script:
    """Script, added to the base map, that shows the overlay groups the address names.

    The address is compared once per animation frame (a string comparison) and the layers
    move only when its ``param`` value changed, or when a group was drawn anew (it then gets
    the current choice). ``window.__ceShowLayer(key, on)`` moves one layer at once.
    """
    code = (
        "(function(){ var m = {map}, P = " + js_literal(param) + ", href = null,"
        " value, shown = null, seen = [];"  # shown: null (every layer) or {key: true/false}
        " function groups(){ return window.__ceGroups || {}; }"
        " function read(){ var now = null; try { now = window.parent.location.href; }"
        "  catch (err) { return false; } if (now === href) { return false; } href = now;"
        "  var v = null; try { v = new URL(now).searchParams.get(P); } catch (err) { v = null; }"
        "  if (v === value) { return false; } value = v; shown = null;"
        "  if (v !== null) { shown = {}; v.split(',').forEach(function(k){ shown[k] = true; }); }"
        "  return true; }"
        " function isHidden(k){ return shown !== null && !shown[k]; }"
        " function put(k, on){ var g = groups()[k]; if (!g) { return; }"
        "  if (on && !m.hasLayer(g)) { m.addLayer(g); }"
        "  else if (!on && m.hasLayer(g)) { m.removeLayer(g); } }"
        " function sync(){ if (window.__ceLegendSync) { window.__ceLegendSync(); } }"
        " window.__ceLayerHidden = function(k){ read(); return isHidden(k); };"
        " window.__ceShowLayer = function(k, on){ read();"
        "  if (shown === null) { shown = {}; Object.keys(groups()).forEach(function(x){"
        "   shown[x] = true; }); }"
        "  shown[k] = !!on; put(k, !!on); sync(); };"
        " function tick(){ var gs = groups(), changed = read(), fresh = false;"
        "  Object.keys(gs).forEach(function(k){ if (seen.indexOf(gs[k]) < 0) {"
        "   seen.push(gs[k]); fresh = true; } });"
        "  if (seen.length > 64) { seen = seen.slice(-32); }"
        "  if (changed || fresh) { Object.keys(gs).forEach(function(k){ put(k, !isHidden(k)); });"
        "   sync(); }"
        "  requestAnimationFrame(tick); }"
        " requestAnimationFrame(tick); })();"
    )
    return Script(code)
