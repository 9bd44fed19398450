"""Search on the map: a search box for the self-contained HTML map, and, for the app, a script
that moves the map to the extent the page address names when a search beside it changes it.

:func:`search_control` puts the index of ``geo.search_index`` in the page (as JSON, see
:func:`layers._features.js_literal`) and ranks the matches as ``geo.search`` does: the same
folded keys, the same order (without the fallback to names spelt alike). Text is escaped in
Python (``geo.escape_html``). Choosing a result fits the map to its extent.
"""

from __future__ import annotations

import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.escape import escape_html
from geo.names import normalize_name
from geo.search import FORM_ORDER, KIND_ORDER

from ._features import Script, js_literal

MAX_RESULTS = 8
FIT_MAX_ZOOM = 12
KIND_LABELS = {"place": "place", "route": "route", "section": "section", "segment": "segment",
               "claim": "claim", "country": "country"}

SEARCH_CSS = """
.ce-search { background: #fff; padding: 4px; border-radius: 6px; width: 250px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font: 13px/1.3 system-ui, sans-serif; }
.ce-search input { width: 100%; box-sizing: border-box; padding: 4px 6px; font: inherit;
  border: 1px solid #999; border-radius: 4px; }
.ce-search ul { list-style: none; margin: 4px 0 0; padding: 0; max-height: 260px;
  overflow-y: auto; }
.ce-search ul:empty { display: none; }
.ce-search li { padding: 3px 6px; cursor: pointer; border-radius: 3px; }
.ce-search li:hover, .ce-search li.ce-active { background: #e6eefc; }
.ce-search li small { display: block; color: #555; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.ce-search .ce-none { color: #555; cursor: default; }
"""


def _fold_table(names) -> dict[str, str]:
    """What each letter of the names (either case) reads as in a folded key, where it is not
    itself: the browser folds a query letter by letter with it (``ə`` -> ``a``, ``ж`` -> ``zh``)."""
    letters = {ch for name in names for ch in str(name)}
    letters |= {ch for letter in list(letters) for ch in letter.casefold()}
    letters |= {ch for letter in list(letters) for ch in letter.upper()}
    table = {}
    for ch in sorted(letters):
        if ch.isalpha():
            folded = normalize_name(ch)
            if folded != ch:
                table[ch] = folded
    return table


def search_rows(index: pd.DataFrame) -> list[list]:
    """The index as compact rows: ``[name, kind, id, title, key, west, south, east, north,
    kind order, form order, 0 for English]``; names, ids and titles escaped
    (``geo.escape_html``), keys made of letters, digits and spaces only."""
    kinds = {kind: i for i, kind in enumerate(KIND_ORDER)}
    forms = {form: i for i, form in enumerate(FORM_ORDER)}
    rows = []
    for row in index.to_dict("records"):
        west, south, east, north = (round(float(v), 4) for v in row["bounds"])
        rows.append([escape_html(row["name"]), row["kind"], escape_html(row["id"]),
                     escape_html(row["title"]), row["key"],
                     west, south, east, north, kinds.get(row["kind"], len(kinds)),
                     forms.get(row["form"], len(forms)), 0 if row["lang"] == "en" else 1])
    return rows


class SearchControl(MacroElement):
    """A search box in the map's top-left corner over a ``geo.search_index`` frame."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, searchRows = {{ this.rows_js }};
            var table = {{ this.table_js }}, kinds = {{ this.kinds_js }};
            var most = {{ this.max_results }}, maxZoom = {{ this.max_zoom }};
            function fold(text) {
                var out = "";
                String(text).toLowerCase().replace(/[\\u2019\\u02bc'`\\u02bb\\u00b4]/g, "")
                    .split("").forEach(function(ch) {
                        out += table[ch] !== undefined ? table[ch]
                            : ch.normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "");
                    });
                return out.replace(/[^\\p{L}\\p{N}_]+/gu, " ").trim();
            }
            function score(key, q) {
                if (key === q) { return 0; }
                if (key.indexOf(q) === 0) { return 1; }
                if ((" " + key).indexOf(" " + q) >= 0) { return 2; }
                if (key.indexOf(q) >= 0) { return 3; }
                var words = q.split(" ");
                if (words.length > 1 && words.every(function(w) { return key.indexOf(w) >= 0; })) {
                    return 4;
                }
                return -1;
            }
            function lite(text) {  // case and accents only: the script stays
                return String(text).toLowerCase().normalize("NFKD")
                    .replace(/[\u0300-\u036f]/g, "").trim();
            }
            function find(query) {
                var q = fold(query), typed = lite(query), best = {}, hits = [];
                if (!q) { return []; }
                searchRows.forEach(function(r) {
                    var s = score(r[4], q);  // keys: letters, digits, spaces
                    if (s < 0) { return; }
                    var asTyped = lite(r[0]).indexOf(typed) >= 0 ? 0 : 1;
                    var rank = [s, asTyped, r[10], r[9], r[11], r[0].length, r[0]];
                    var id = r[1] + "/" + r[2];
                    if (!best[id] || before(rank, best[id].rank)) { best[id] = {rank: rank, row: r}; }
                });
                Object.keys(best).forEach(function(id) { hits.push(best[id]); });
                hits.sort(function(a, b) { return before(a.rank, b.rank) ? -1 : 1; });
                return hits.slice(0, most).map(function(h) { return h.row; });
            }
            function before(a, b) {
                for (var i = 0; i < a.length; i++) {
                    if (a[i] !== b[i]) { return a[i] < b[i]; }
                }
                return false;
            }
            var Control = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function() {
                    var box = L.DomUtil.create("div", "ce-search leaflet-control");
                    var input = L.DomUtil.create("input", "", box);
                    input.type = "search";
                    input.placeholder = "Search places, corridors, claims\u2026";
                    input.setAttribute("aria-label", "Search the map");
                    var list = L.DomUtil.create("ul", "", box);
                    list.setAttribute("role", "listbox");
                    var found = [], marker = null;
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    function go(r) {
                        map.fitBounds([[r[6], r[5]], [r[8], r[7]]],
                                      {animate: false, maxZoom: maxZoom});
                        if (marker) { map.removeLayer(marker); }
                        marker = L.circleMarker([(r[6] + r[8]) / 2, (r[5] + r[7]) / 2],
                            {radius: 16, color: "#d40000", weight: 3, fill: false,
                             interactive: false}).addTo(map);
                        var plain = document.createElement("span");
                        plain.innerHTML = r[0];
                        input.value = plain.textContent;
                        list.textContent = "";
                        box.setAttribute("data-found", r[1] + "/" + r[2]);
                    }
                    function show() {
                        found = find(input.value);
                        list.textContent = "";
                        if (!found.length && fold(input.value)) {
                            var none = L.DomUtil.create("li", "ce-none", list);
                            none.textContent = "No name matches";
                        }
                        found.forEach(function(r, i) {
                            var item = L.DomUtil.create("li", i ? "" : "ce-active", list);
                            item.setAttribute("role", "option");
                            var name = document.createElement("span");
                            name.innerHTML = r[0];  // escaped in Python
                            name.dir = "auto";
                            var what = document.createElement("small");
                            what.innerHTML = (kinds[r[1]] || r[1]) +
                                (r[3] && r[3] !== r[0] ? ": " + r[3] : "");
                            item.appendChild(name);
                            item.appendChild(what);
                            L.DomEvent.on(item, "click", function() { go(r); });
                        });
                    }
                    L.DomEvent.on(input, "input", show);
                    L.DomEvent.on(input, "keydown", function(e) {
                        if (e.key === "Enter" && found.length) { go(found[0]); }
                        if (e.key === "Escape") { list.textContent = ""; }
                    });
                    return box;
                }
            });
            new Control().addTo(map);
        })();
        {% endmacro %}
    """)

    def __init__(self, index: pd.DataFrame) -> None:
        super().__init__()
        self._name = "SearchControl"
        self.rows_js = js_literal(search_rows(index))
        self.table_js = js_literal(_fold_table(index["name"]))
        self.kinds_js = js_literal(KIND_LABELS)
        self.css = SEARCH_CSS
        self.max_results = MAX_RESULTS
        self.max_zoom = FIT_MAX_ZOOM


def search_control(index: pd.DataFrame) -> SearchControl:
    """A search box over ``index`` (``geo.search_index``) for a self-contained map."""
    return SearchControl(index)


def extent_from_url_script() -> Script:
    """Script that fits the map to the extent the page address names (``extent=w,s,e,n``)
    whenever a search beside the map changes it.

    For the app, whose map sits in a frame of the page and reports its own extent to the
    address after each move: an extent the map itself has shown (within the address's two
    decimals) is left alone, as is the one the map opened with (the page fitted the map to
    its own choice then). Until the user moves the map, a change of its size fits the found
    extent again; ``window.__ceMoved`` tells the resize handler of the first view
    (``layers.map``) to leave it.
    """
    code = (
        "(function(){ var map = {map}, href = null, last, own = [], goal = null;"
        " function clamp(b){ return [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()),"
        " Math.min(180, b.getEast()), Math.min(90, b.getNorth())]; }"
        " function near(a, b){ for (var i = 0; i < 4; i++) {"
        " if (Math.abs(a[i] - b[i]) > 0.011) { return false; } } return true; }"
        " ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function(ev){"
        " map.getContainer().addEventListener(ev, function(){ goal = null; }, {passive: true});"
        " });"
        " map.on('resize', function(){ if (goal) { map.fitBounds(goal, {animate: false}); } });"
        " map.on('moveend', function(){ own.push(clamp(map.getBounds()));"
        " if (own.length > 50) { own.shift(); } });"
        " function tick(){ var now = null; try { now = window.parent.location.href; }"
        " catch (err) { return; }"
        " if (now !== href) { href = now;"
        " var text = new URL(now).searchParams.get('extent');"
        " if (last !== undefined && text && text !== last) {"
        " var v = text.split(',').map(Number);"
        " if (v.length === 4 && v.every(isFinite) && v[0] < v[2] && v[1] < v[3]"
        " && !own.some(function(o){ return near(o, v); })) {"
        " window.__ceMoved = true; goal = [[v[1], v[0]], [v[3], v[2]]];"
        " map.fitBounds(goal, {animate: false}); } }"
        " last = text; }"
        " requestAnimationFrame(tick); }"
        " requestAnimationFrame(tick); })();"
    )
    return Script(code)
