"""Downloads that always match the screen.

A download button holds the file of the run that drew it. After an option changes, the page
runs again and builds the new file, and until that run draws the button anew the browser still
shows the old one, so a click would hand out the file of the options before. Two things close
that window:

* Streamlit marks an element of an older run ``data-stale="true"`` once a new run started; a
  stale download button cannot be clicked and shows it waits (:data:`STALE_CSS`).
* Before the new run starts there is a moment (the change on its way to the server, the run
  before stopping) when the old button is not stale yet. :data:`HOLD_JS` covers it: any press
  of a key or the pointer outside a download button (which may change an option) holds every
  download button until a new run has started (an element turns stale) or, when the press
  started none, for :data:`HOLD_MS`. A press on a download button while a text field is
  typed in holds too (leaving the field sends its text), and a click on a held button is
  dropped.

:func:`guard` adds both to the page; ``app.py`` calls it on every page.
"""

from __future__ import annotations

import streamlit as st

#: How long a press that started no run holds the download buttons (ms).
HOLD_MS = 1500
_BUTTON = '[data-testid="stDownloadButton"]'
_STALE = '[data-testid="stElementContainer"][data-stale="true"]'
#: The style of a download button that waits for the files of the options on the screen.
STALE_CSS = f"""
{_STALE} {_BUTTON}, body[data-ce-hold] {_BUTTON} {{ cursor: progress; }}
{_STALE} {_BUTTON} button, body[data-ce-hold] {_BUTTON} button {{
  pointer-events: none; opacity: 0.45; }}
[data-testid="stElementContainer"]:has(.ce-download-guard) {{ display: none; }}
"""
#: Runs in the app's page (installed once per page load); see the module docstring.
HOLD_JS = """
(function(){ if (window.__ceDownloadGuard) { return; } window.__ceDownloadGuard = true;
 var doc = document, since = null, MS = __MS__;
 var BUTTON = '__BUTTON__';
 var IGNORED = ['Shift', 'Control', 'Alt', 'Meta', 'Tab', 'CapsLock'];
 function onButton(t){ return !!(t && t.closest && t.closest(BUTTON)); }
 // a text field typed in since its text was last sent (Enter or leaving it sends it)
 var typed = false;
 doc.addEventListener('input', function(e){ var t = e.target;
  if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT')) { typed = true; } }, true);
 doc.addEventListener('focusout', function(){ typed = false; }, true);
 function hold(){ since = Date.now(); doc.body.setAttribute('data-ce-hold', ''); }
 function release(){ since = null; doc.body.removeAttribute('data-ce-hold'); }
 doc.addEventListener('pointerdown', function(e){
  if (!onButton(e.target) || typed) { hold(); } }, true);
 doc.addEventListener('keydown', function(e){
  if (e.key === 'Enter' && e.target && e.target.tagName === 'INPUT') { typed = false; }
  if (IGNORED.indexOf(e.key) < 0 && !onButton(e.target)) { hold(); } }, true);
 doc.addEventListener('click', function(e){
  if (!onButton(e.target)) { return; }
  var box = e.target.closest('[data-testid="stElementContainer"]');
  if (since !== null || (box && box.getAttribute('data-stale') === 'true')) {
   e.preventDefault(); e.stopImmediatePropagation(); } }, true);
 // a new run has started once an element turns stale: from then on the stale style holds
 // the buttons of the runs before
 new MutationObserver(function(records){ if (since === null) { return; }
  for (var i = 0; i < records.length; i++) {
   if (records[i].target.getAttribute('data-stale') === 'true') { release(); return; } } })
  .observe(doc.body, {subtree: true, attributes: true, attributeFilter: ['data-stale']});
 (function tick(){ if (since !== null && Date.now() - since > MS) { release(); }
  setTimeout(tick, 100); })();
})();
"""


def guard() -> None:
    """Add :data:`STALE_CSS` and :data:`HOLD_JS` to the page (they take no room)."""
    script = HOLD_JS.replace("__MS__", str(HOLD_MS)).replace("__BUTTON__", _BUTTON)
    st.html(f'<style>{STALE_CSS}</style><span class="ce-download-guard"></span>'
            f"<script>{script}</script>", unsafe_allow_javascript=True)
