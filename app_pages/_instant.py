"""The map answers a control beside it at once, before the page has run again.

Turning a layer on or off in the sidebar, or stepping the date a month, reruns the page, and
only then does the address (which the map follows) change: a few hundred milliseconds in
which the map still shows the old choice. :data:`INSTANT_JS`, in the app's page, tells the map
straight away what the control just did:

* a layer checkbox ``w_layer_KEY``: ``__ceShowLayer(KEY, checked)`` in the map's frame
  (``layers.layers_from_url_script``);
* the date control's previous/next month button (``w_prev``/``w_next``), when the address
  names a month: ``__ceShowDate(month)`` (``layers.corridors.restyle_script``), the month
  before or after it.

The page's own run follows as before and writes the same choice to the address, which the
map then finds already shown. A map without these functions (another page's) is left alone.
"""

from __future__ import annotations

import streamlit as st

#: The map frames of the app's pages (``streamlit_folium``).
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

INSTANT_JS = """
(function(){ if (window.__ceInstant) { return; } window.__ceInstant = true;
 var FRAME = '__FRAME__';
 function maps(name){ var out = [];
  document.querySelectorAll(FRAME).forEach(function(f){ try {
   if (f.contentWindow && typeof f.contentWindow[name] === 'function') {
    out.push(f.contentWindow[name]); } } catch (err) { /* not ready */ } }); return out; }
 function keyOf(el, prefix){ var box = el.closest('[class*="st-key-' + prefix + '"]');
  if (!box) { return null; } var m = null;
  box.className.split(/\\s+/).some(function(c){
   if (c.indexOf('st-key-' + prefix) === 0) { m = c.slice(7 + prefix.length); return true; }
   return false; }); return m; }
 function shift(month, steps){ var y = +month.slice(0, 4), m = +month.slice(5, 7) - 1 + steps;
  y += Math.floor(m / 12); m = ((m % 12) + 12) % 12;
  return String(y).padStart(4, '0') + '-' + String(m + 1).padStart(2, '0'); }
 // a click anywhere on the checkbox (its box or its label; the space key clicks it too):
 // its new state is read once the click has been handled
 document.addEventListener('click', function(e){ var t = e.target;
  var key = t && t.closest ? keyOf(t, 'w_layer_') : null; if (!key) { return; }
  var box = t.closest('[class*="st-key-w_layer_"]').querySelector('input[type="checkbox"]');
  if (!box || box.disabled) { return; }
  setTimeout(function(){ maps('__ceShowLayer').forEach(function(f){ f(key, box.checked); });
  }, 0); }, true);
 document.addEventListener('click', function(e){ var b = e.target && e.target.closest
  && e.target.closest('.st-key-w_next button, .st-key-w_prev button');
  if (!b || b.disabled) { return; } var month = null;
  try { month = new URL(window.location.href).searchParams.get('asof'); } catch (err) { return; }
  if (!month || !/^\\d{4}-(0[1-9]|1[0-2])$/.test(month)) { return; }
  var to = shift(month, b.closest('.st-key-w_next') ? 1 : -1);
  maps('__ceShowDate').forEach(function(f){ f(to); }); }, true);
})();
"""


def install() -> None:
    """Add :data:`INSTANT_JS` to the page (it takes no room; installed once per page load)."""
    script = INSTANT_JS.replace("__FRAME__", MAP_FRAME)
    st.html('<style>[data-testid="stElementContainer"]:has(.ce-instant) { display: none; }'
            f'</style><span class="ce-instant"></span><script>{script}</script>',
            unsafe_allow_javascript=True)
