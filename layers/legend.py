"""The map legend: one row for every style the map can draw, from the shared ``geo.style``.

:func:`legend_html` returns plain HTML; :func:`legend_control` puts it on the map as a
collapsible Leaflet control whose entries hide or show what they explain, and which shows only
the entries of what the map draws. Colour is never the only cue: modes have colours, statuses
dash patterns, claim verdicts colours plus words, claim kinds letters.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo import settings, style
from geo.escape import escape_html

from ._features import Script, js_literal

MAP_CSS = f"""
.leaflet-container {{ background: {style.WATER_FILL}; font: 13px/1.35 system-ui, sans-serif; }}
.ce-legend {{ background: rgba(255,255,255,.94); padding: 4px 8px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 45vh; overflow-y: auto;
  overscroll-behavior: contain; font-size: 12px; }}
.ce-legend summary {{ font-weight: 600; cursor: pointer; }}
.ce-legend details:not([open]) summary::after {{ content: " (show)"; font-weight: 400; }}
.ce-legend h4 {{ margin: 5px 0 1px; font-size: 11px; text-transform: uppercase; color: #444; }}
.ce-legend .ce-when {{ margin: 2px 0 4px; max-width: 230px; font-weight: 600; color: #222; }}
.ce-legend .ce-flag, .ce-popup .ce-flag {{ color: #8a4b00; }}
.ce-legend .ce-flag {{ max-width: 230px; align-items: flex-start; }}
.ce-legend .ce-row {{ display: flex; align-items: center; gap: 6px; margin: 1px 0; }}
.ce-legend svg {{ flex: none; }}
.ce-legend.ce-main-legend {{ max-height: none; overflow: visible; position: relative;
  padding: 4px 8px 6px; }}
.ce-legend.ce-main-legend details[open] {{ width: 234px; }}
.ce-legend .ce-grid {{ display: grid; grid-template-columns: 1fr 1fr; column-gap: 6px; }}
.ce-legend .ce-grid svg {{ width: 26px; }}
.ce-legend .ce-grid .ce-row {{ gap: 4px; }}
.ce-legend-body {{ overflow-y: auto; overscroll-behavior: contain; max-height: 45vh;
  padding-right: 2px; }}
.ce-legend .ce-sec h4 {{ margin-top: 6px; }}
.ce-legend .ce-row.ce-cat {{ cursor: pointer; border-radius: 3px; padding: 0 2px; }}
.ce-legend .ce-row.ce-cat:hover, .ce-legend .ce-row.ce-cat:focus-visible {{
  background: #e8f0f8; outline: none; }}
.ce-legend .ce-row span {{ overflow-wrap: anywhere; }}
.ce-legend .ce-row.ce-row-off {{ opacity: .45; }}
.ce-legend .ce-row.ce-row-off span {{ text-decoration: line-through; }}
.ce-legend .ce-absent {{ display: none !important; }}
.ce-legend .ce-hint {{ margin: 5px 0 0; font-size: 11px; color: #555; }}
.ce-legend .ce-more {{ display: none; position: absolute; left: 0; right: 0; bottom: 0;
  padding: 14px 0 3px; text-align: center; font-size: 11px; font-weight: 600; color: #234;
  border-radius: 0 0 6px 6px; cursor: pointer;
  background: linear-gradient(rgba(255,255,255,0), rgba(255,255,255,.97) 55%); }}
.ce-legend .ce-more.ce-shown {{ display: block; }}
.ce-cat-hidden {{ display: none !important; }}
.ce-badge, .ce-claim, .ce-gauge, .ce-crossing {{ display: flex; align-items: center;
  justify-content: center; font: 700 11px/1 system-ui, sans-serif; }}
.ce-claim div {{ width: 20px; height: 20px; border-radius: 50%; border: 2px solid #fff;
  box-shadow: 0 0 0 1px #333; color: #000; display: flex; align-items: center;
  justify-content: center; }}
.ce-claim.ce-open div {{ box-shadow: 0 0 0 3px #000; }}
.ce-gauge div {{ width: 16px; height: 16px; background: #fff; border: 2px solid
  {style.GAUGE_BREAK_COLOR}; color: {style.GAUGE_BREAK_COLOR}; font-size: 10px;
  display: flex; align-items: center; justify-content: center; }}
.ce-crossing div {{ width: 11px; height: 11px; background: #fff; border: 2px solid #222;
  transform: rotate(45deg); }}
.ce-country div {{ white-space: nowrap; padding: 1px 7px; border-radius: 10px;
  background: #fff; border: 2px dashed #333; color: #000; font-size: 11px;
  transform: translate(-50%, 0); width: max-content; }}
.ce-country-list {{ margin: 4px 0; padding-left: 18px; max-height: 160px; overflow-y: auto; }}
.marker-cluster {{ background: rgba(34,34,34,.25); border-radius: 50%; }}
.marker-cluster div {{ width: 28px; height: 28px; margin: 6px; border-radius: 50%;
  background: #222; color: #fff; border: 2px solid #fff; display: flex;
  align-items: center; justify-content: center; font: 700 12px/1 system-ui, sans-serif; }}
.marker-cluster.ce-open div {{ box-shadow: 0 0 0 3px #000; }}
.ce-popup h3 {{ margin: 0 0 4px; font-size: 14px; }}
.ce-popup blockquote {{ margin: 4px 0; padding-left: 8px; border-left: 3px solid #999;
  font-style: italic; }}
.ce-popup dl {{ margin: 4px 0; display: grid; grid-template-columns: auto 1fr; gap: 1px 8px; }}
.ce-popup dt {{ font-weight: 600; color: #444; }}
.ce-popup dd {{ margin: 0; }}
.ce-verdict {{ display: inline-block; padding: 0 5px; border-radius: 3px; color: #000; }}
.ce-notice {{ background: #fff8d6; border: 1px solid #c9a700; padding: 4px 8px;
  border-radius: 4px; max-width: 260px; }}
"""


def _line(color: str, dash: str | None = None, weight: float = style.LINE_WEIGHT) -> str:
    dash_attr = f' stroke-dasharray="{escape_html(dash)}"' if dash else ""
    return (f'<svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" '
            f'stroke="{escape_html(color)}" stroke-width="{weight}"{dash_attr}/></svg>')


def _fill(fill: str, edge: str) -> str:
    return (f'<svg width="34" height="14" aria-hidden="true"><rect x="2" y="2" width="30" '
            f'height="10" fill="{escape_html(fill)}" fill-opacity=".45" '
            f'stroke="{escape_html(edge)}"'
            f' stroke-width="1.5"/></svg>')


def _dot(fill: str, edge: str = "#222", radius: int = 5) -> str:
    return (f'<svg width="34" height="14" aria-hidden="true"><circle cx="17" cy="7" r="{radius}" '
            f'fill="{escape_html(fill)}" stroke="{escape_html(edge)}" stroke-width="1.5"/></svg>')


def _badge(text: str, fill: str) -> str:
    return (f'<svg width="34" height="20" aria-hidden="true"><circle cx="17" cy="10" r="9" '
            f'fill="{escape_html(fill)}" stroke="#333"/><text x="17" y="14" font-size="11" '
            f'font-weight="700" text-anchor="middle">{escape_html(text)}</text></svg>')


def _row(symbol: str, label: str, *, cat: str | None = None, status: str | None = None,
         needs: str | None = None) -> str:
    """One legend entry; ``cat`` makes it a button that hides or shows that category."""
    attrs = ""
    if cat is not None:
        attrs += (f' data-ce-cat="{escape_html(cat)}" role="button" tabindex="0"'
                  ' aria-pressed="true"')
    if status is not None:
        attrs += f' data-ce-status="{escape_html(status)}"'
    if needs is not None:
        attrs += f' data-ce-any="{escape_html(needs)}"'
    kind = "ce-row ce-cat" if cat is not None else "ce-row"
    return f'<div class="{kind}"{attrs}>{symbol}<span>{escape_html(label)}</span></div>'


def _section(title: str, rows: list[str], *, routes: bool = False, grid: bool = False) -> str:
    """A titled group of rows; ``grid`` sets short rows side by side (a shorter legend)."""
    hook = " data-ce-routes" if routes else ""
    kind = ' class="ce-grid"' if grid else ""
    return (f'<section class="ce-sec"><h4>{escape_html(title)}</h4><div{kind}{hook}>'
            + "".join(rows) + "</div></section>")


def category(kind: str, value: object) -> str:
    """The key of a legend entry, e.g. ``"mode:rail"``: each map feature lists the keys of
    the entries that explain it in its property ``c``, and clicking an entry hides or shows
    the features that carry its key. The value is escaped (it may come from the data)."""
    return f"{kind}:{escape_html(value)}"


#: The symbols of places on the map, by place kind (``geo`` vocabulary): cities are dark
#: dots, ports blue dots, border crossings diamonds, every other place a white dot.
PLACE_SYMBOLS = {"city": "city", "port": "port", "border_crossing": "border_crossing"}
PLACE_DEFAULT = "station"
PLACE_LABELS = {"city": "city", "port": "port", "station": "station, junction or other place",
                "border_crossing": "border crossing"}
GAUGE_LABELS = {
    "certain": "gauge break: 1435 mm and 1520 mm track meet here",
    "uncertain": "gauge break somewhere on this stretch (the gauge between is not known)",
}


def place_category(kind: object) -> str:
    """The legend key of a place of ``kind`` (see :data:`PLACE_SYMBOLS`)."""
    return category("place", PLACE_SYMBOLS.get(str(kind), PLACE_DEFAULT))


def _place_rows(kinds: Iterable[str]) -> list[str]:
    symbols = {PLACE_SYMBOLS.get(str(k), PLACE_DEFAULT) for k in kinds}
    shapes = {
        "city": _dot("#222222", "#222222", 5),
        "port": _dot(style.WATER_FILL, "#222222", 5),
        "station": _dot("#ffffff", "#222222", 4),
        "border_crossing": '<span class="ce-crossing" style="width:34px"><div></div></span>',
    }
    return [_row(shapes[k], PLACE_LABELS[k], cat=category("place", k))
            for k in ("city", "port", "station", "border_crossing") if k in symbols]


#: The legend starts folded where, open, it would cover more than this share of the map.
FOLD_AT = 0.2

#: The mark of a status record that may be out of date, in tooltips, popups and the legend.
STALE_MARK = "\u26a0"


def stale_note() -> str:
    """What the "may be out of date" flag means (legend text, plain)."""
    return (f"{STALE_MARK} may be out of date: the status record is older than "
            f"{settings.stale_after_days} days (its date is in the popup)")


def _known(values: Iterable[str] | None, allowed: dict) -> list[str]:
    if values is None:
        return list(allowed)
    wanted = {str(v) for v in values}
    return [k for k in allowed if k in wanted] + sorted(wanted - set(allowed))


def legend_html(*, modes: Iterable[str] | None = None, statuses: Iterable[str] | None = None,
                verdicts: Iterable[str] | None = (), claim_kinds: Iterable[str] | None = (),
                places: bool | Iterable[str] = True, crossings: bool = True,
                gauge_breaks: bool | Iterable[str] = True,
                nakhchivan: bool = True, highlights: Iterable[str | tuple[str, str]] = (),
                highlight_entry: bool = False, country_badges: bool = False,
                when: str | None = None, stale: bool = False, title: str = "Legend") -> str:
    """HTML of the legend, one row per style; ``None`` lists every known value of a vocabulary.

    Every row that explains a kind of feature is a button (``data-ce-cat``, see
    :func:`category`): on the map, :func:`legend_control` hides or shows those features, and
    shows only the rows of what the map draws at the moment.

    Parameters
    ----------
    modes, statuses
        Corridor modes (colours) and statuses (dash patterns) to explain; ``None`` for all.
    verdicts, claim_kinds
        Claim verdicts (colours) and kinds (letters); empty to leave the claims section out.
    places, crossings, gauge_breaks, nakhchivan
        Places to explain: ``True`` for every place symbol, or the place kinds drawn
        (cities, ports and other places have symbols of their own, :data:`PLACE_SYMBOLS`);
        whether to explain border crossings; gauge breaks: ``True`` for both symbols or
        those drawn, ``{"certain", "uncertain"}`` ("G" and "G?"); the Nakhchivan fill.
    highlights
        Highlighted routes in the order of ``geo.style.ROUTE_HIGHLIGHTS``: names, or
        ``(id, name)`` pairs (the id is the key of the route's features).
    highlight_entry
        Keep a place for highlighted routes when no ``highlights`` are given: on the map the
        legend names each route that is highlighted (the app, where the user picks them).
    country_badges
        Explain the badges of claims located only to a whole country, and marker groups.
    when
        The date the statuses are drawn for (``geo.when_text``, e.g. "Statuses as of
        2029-12-31, projected from expected dates"), shown under the title. A map whose
        statuses follow a date control updates it in place (its element has ``data-ce-when``),
        and shows only the status rows (``data-ce-status``) of statuses drawn on that date.
    stale
        Explain the flag of a status record that may be out of date (:func:`stale_note`).
    title
        Summary line of the collapsible legend.
    """
    parts = [f'<details open><summary>{escape_html(title)}</summary><div class="ce-legend-body">']
    if when:
        parts.append(f'<p class="ce-when" data-ce-when>{escape_html(when)}</p>')
    named = [(str(h[0]), str(h[1])) if isinstance(h, tuple) else (str(h), str(h))
             for h in highlights]
    if named or highlight_entry:
        rows = [_row(_line(style.ROUTE_HIGHLIGHTS[i % len(style.ROUTE_HIGHLIGHTS)], None, 8),
                     name, cat=category("route", rid)) for i, (rid, name) in enumerate(named)]
        parts.append(_section("Highlighted routes", rows, routes=True))
    mode_list = _known(modes, style.MODE_COLORS)
    if mode_list:
        parts.append(_section("Mode (colour)", [
            _row(_line(style.MODE_COLORS.get(m, "#000000")), m, cat=category("mode", m))
            for m in mode_list], grid=True))
    status_list = _known(statuses, style.STATUS_DASH)
    if status_list:
        rows = [_row(_line("#333333", style.STATUS_DASH.get(s)), style.STATUS_LABELS.get(s, s),
                     cat=category("status", s), status=s) for s in status_list]
        parts.append(_section("Status (line pattern)", rows, grid=True))
        if stale:
            parts.append(f'<div class="ce-row ce-flag" data-ce-any="status:">'
                         f"{escape_html(stale_note())}</div>")
    points = _place_rows(PLACE_SYMBOLS if places is True else (places or ()))
    if crossings and not any("border_crossing" in p for p in points):
        points += _place_rows(["border_crossing"])
    gauges = ["certain", "uncertain"] if gauge_breaks is True else list(gauge_breaks or ())
    for g in ("certain", "uncertain"):
        if g in gauges:
            mark = "G" if g == "certain" else "G?"
            points.append(_row(f'<span class="ce-gauge" style="width:34px"><div>{mark}</div></span>',
                               GAUGE_LABELS[g], cat=category("gauge", g)))
    if nakhchivan:
        points.append(_row(_fill(style.NAKHCHIVAN_FILL, style.NAKHCHIVAN_EDGE),
                           "Nakhchivan (Azerbaijan)", cat=category("area", "nakhchivan")))
    if points:
        parts.append(_section("Places and areas", points))
    verdict_list = _known(verdicts, style.VERDICT_COLORS) if verdicts is not None else []
    kind_list = _known(claim_kinds, style.CLAIM_KIND_SYMBOLS) if claim_kinds is not None else []
    if verdict_list:
        parts.append(_section("Claim verdict (colour)", [
            _row(_badge("", style.VERDICT_COLORS.get(v, "#ffffff")),
                 style.VERDICT_LABELS.get(v, v), cat=category("verdict", v))
            for v in verdict_list]))
    if kind_list:
        parts.append(_section("Claim kind (letter)", [
            _row(_badge(style.CLAIM_KIND_SYMBOLS.get(k, "?"), "#ffffff"), k,
                 cat=category("kind", k)) for k in kind_list], grid=True))
    if verdict_list and country_badges:
        parts.append(_section("Claim markers", [
            _row('<span class="marker-cluster" style="display:inline-block;width:34px;'
                 'height:20px;background:none"><div style="width:18px;height:18px;'
                 'margin:0 auto;font-size:10px">3</div></span>',
                 "overlapping claims: click to spread them", needs="verdict:"),
            _row('<span class="ce-country" style="width:34px;display:flex">'
                 '<div style="transform:none;padding:0 3px">IRN</div></span>',
                 "claims about a whole country (count)", cat=category("claims", "country"))]))
    parts.append('<p class="ce-hint">Click an entry to hide or show it on the map.</p>')
    parts.append('</div><div class="ce-more" aria-hidden="true">more below \u25be</div></details>')
    return "".join(parts)


# The legend on the map (see legend_control). Rows of categories the map does not draw at
# the moment are left out (and a section with none, and the whole legend when nothing it
# explains is drawn); the rows of highlighted routes are written from the routes drawn, with
# their names (the features' tooltips, escaped in Python). Clicking a row hides or shows its
# category: features outside marker groups are hidden with a class on their element, markers
# in a group leave the group until shown again (so the group's counts stay true). The legend
# starts open only where, open, it would cover at most FOLD_AT of the map, decided again when
# the map changes size until the user opens or folds it. Its body scrolls inside the map's
# height, with a cue while more is below.
_LEGEND_JS = """
(function(){ var map = {map}, FOLD_AT = __FOLD__;
 var c = L.control({position: __POS__});
 c.onAdd = function(){ var d = L.DomUtil.create('div', 'ce-legend ce-main-legend');
  d.innerHTML = __HTML__;
  L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return d; };
 c.addTo(map);
 var root = c.getContainer(), box = root.querySelector('details');
 var body = root.querySelector('.ce-legend-body'), more = root.querySelector('.ce-more');
 if (!box || !body) { return; }
 var summary = box.querySelector('summary'), hidden = {}, taken = {}, chosen = false;
 var mine = box.open, folded = false, pending = false;
 function features(){ var out = [], seen = {}, groups = [];
  map.eachLayer(function(l){ if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) {
   groups.push(l); } });
  groups.forEach(function(g){ g.getLayers().forEach(function(m){
   if (m.feature) { seen[L.stamp(m)] = true; out.push([m, g]); } }); });
  map.eachLayer(function(l){ if (l.feature && !seen[L.stamp(l)]) {
   seen[L.stamp(l)] = true; out.push([l, null]); } });
  Object.keys(taken).forEach(function(k){ var t = taken[k];
   if (seen[k]) { return; } if (map.hasLayer(t[1])) { out.push(t); } else { delete taken[k]; } });
  return out; }
 function apply(){ var present = {}, routes = [], named = {};
  features().forEach(function(pair){ var l = pair[0], g = pair[1], id = L.stamp(l);
   var cats = (l.feature.properties || {}).c || [], on = true;
   cats.forEach(function(k){ present[k] = true; if (hidden[k]) { on = false; }
    if (k.indexOf('route:') === 0 && !named[k]) { named[k] = true;
     routes.push([k, l.feature.properties.t || '', l.options.color || '#888']); } });
   if (g) { if (!on && !taken[id]) { taken[id] = pair; g.removeLayer(l); }
    else if (on && taken[id]) { delete taken[id]; g.addLayer(l); } return; }
   var el = l.getElement ? l.getElement() : null;
   if (el) { L.DomUtil[on ? 'removeClass' : 'addClass'](el, 'ce-cat-hidden'); } });
  return {present: present, routes: routes}; }
 function routeRows(routes){ var holder = root.querySelector('[data-ce-routes]');
  if (!holder || !routes.length) { return; } var key = JSON.stringify(routes);
  if (holder.getAttribute('data-ce-key') === key) { return; }
  holder.setAttribute('data-ce-key', key); holder.textContent = '';
  var NS = 'http://www.w3.org/2000/svg';
  routes.forEach(function(r){ var row = document.createElement('div');
   row.className = 'ce-row ce-cat'; row.setAttribute('data-ce-cat', r[0]);
   row.setAttribute('role', 'button'); row.setAttribute('tabindex', '0');
   var svg = document.createElementNS(NS, 'svg'), line = document.createElementNS(NS, 'line');
   svg.setAttribute('width', '34'); svg.setAttribute('height', '10');
   svg.setAttribute('aria-hidden', 'true');
   [['x1', '1'], ['y1', '5'], ['x2', '33'], ['y2', '5'], ['stroke-width', '8'],
    ['stroke-opacity', '0.6'], ['stroke', r[2]]].forEach(function(a){
    line.setAttribute(a[0], a[1]); });
   svg.appendChild(line); row.appendChild(svg);
   var name = document.createElement('span'); name.innerHTML = r[1]; row.appendChild(name);
   holder.appendChild(row); }); }
 function sync(){ var seen = apply(), present = seen.present, keys = Object.keys(present);
  routeRows(seen.routes);
  root.querySelectorAll('[data-ce-cat]').forEach(function(r){
   var k = r.getAttribute('data-ce-cat');
   r.classList.toggle('ce-absent', !present[k]); r.classList.toggle('ce-row-off', !!hidden[k]);
   r.setAttribute('aria-pressed', hidden[k] ? 'false' : 'true');
   r.title = hidden[k] ? 'Hidden on the map: click to show' : 'Click to hide on the map'; });
  var has = function(prefix){ return keys.some(function(k){ return k.indexOf(prefix) === 0; }); };
  root.querySelectorAll('[data-ce-any]').forEach(function(r){
   r.classList.toggle('ce-absent', !has(r.getAttribute('data-ce-any'))); });
  var when = root.querySelector('[data-ce-when]');
  if (when) { when.classList.toggle('ce-absent', !has('status:')); }
  root.querySelectorAll('.ce-sec').forEach(function(sec){
   sec.classList.toggle('ce-absent', !sec.querySelector('.ce-row:not(.ce-absent)')); });
  root.style.display = body.querySelector('[data-ce-cat]:not(.ce-absent)') ? '' : 'none';
  decide(); }
 function later(){ if (pending) { return; } pending = true;
  setTimeout(function(){ pending = false; sync(); }, 40); }
 function area(){ var el = map.getContainer(); return {x: el.clientWidth, y: el.clientHeight}; }
 function room(){ var size = area(), corners = map._controlCorners || {};
  var under = corners.bottomright ? corners.bottomright.offsetHeight : 0;
  var top = root.getBoundingClientRect().top - map.getContainer().getBoundingClientRect().top;
  return Math.max(60, size.y - top - summary.offsetHeight - under - 24); }
 function cue(){ var over = body.scrollHeight - body.clientHeight - body.scrollTop > 2;
  if (more) { more.classList.toggle('ce-shown', box.open && over); } }
 function cover(){ var size = area(), was = box.open; box.open = true;
  body.style.maxHeight = room() + 'px';
  var share = root.offsetWidth * root.offsetHeight / (size.x * size.y); box.open = was;
  return share; }
 function decide(){ var size = area(); if (!size.x || !size.y) { return; }
  if (root.style.display === 'none') { return; }
  if (box.open !== mine && !folded) { chosen = true; }
  if (!chosen && !folded) { box.open = cover() <= FOLD_AT; mine = box.open; }
  body.style.maxHeight = room() + 'px'; cue(); }
 summary.addEventListener('click', function(){ chosen = true; folded = false;
  setTimeout(function(){ body.style.maxHeight = room() + 'px'; cue(); }, 0); });
 body.addEventListener('scroll', cue, {passive: true});
 if (more) { more.addEventListener('click', function(){
  body.scrollBy({top: body.clientHeight * 0.8, behavior: 'smooth'}); }); }
 function toggle(row){ var k = row.getAttribute('data-ce-cat');
  if (hidden[k]) { delete hidden[k]; } else { hidden[k] = true; } sync(); }
 body.addEventListener('click', function(e){ var row = e.target.closest('[data-ce-cat]');
  if (row && body.contains(row)) { toggle(row); } });
 body.addEventListener('keydown', function(e){ if (e.key !== 'Enter' && e.key !== ' ') { return; }
  var row = e.target.closest('[data-ce-cat]');
  if (row && body.contains(row)) { e.preventDefault(); toggle(row); } });
 map.on('popupopen', function(){ if (box.open) { box.open = false; folded = true; mine = false; } });
 map.on('popupclose', function(){ if (folded) { folded = false; box.open = true; mine = true;
  decide(); } });
 map.on('resize', decide); map.on('layeradd layerremove', later);
 if (window.ResizeObserver) { new ResizeObserver(function(){ decide(); })
  .observe(map.getContainer()); }
 window.__ceLegendSync = later;
 map._ceLegend = {hidden: hidden, sync: sync, toggle: function(k){
  var row = root.querySelector('[data-ce-cat="' + CSS.escape(k) + '"]'); if (row) { toggle(row); } }};
 sync(); })();
"""


def legend_control(html: str, *, position: str = "topright") -> Script:
    """A Leaflet control showing legend ``html`` (add it to the map, before it fits its view).

    Folded where, open, it would cover more than :data:`FOLD_AT` of the map; rows that
    hide or show their category; only the rows of what is drawn (see the comment above).
    """
    code = (_LEGEND_JS.replace("__FOLD__", js_literal(FOLD_AT))
            .replace("__POS__", js_literal(position)).replace("__HTML__", js_literal(html)))
    return Script(code)
