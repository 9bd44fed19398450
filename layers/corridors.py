"""Corridor layers: segments by mode (colour) and status (dash), route highlights, gauge breaks.

Segment popups give each length with its basis and flag a status record that may be out of
date. :class:`DatedStatuses` makes a corridor layer follow a date control: the statuses of every
date the control offers are sent with the layer once, and a small script restyles the segments,
their popups and tooltips and the legend in the browser whenever the page address names another
date, so moving the control sends no layer again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo import style
from geo.dates import is_stale, latest_day, settings_today
from geo.escape import escape_html
from geo.metrics import km_text
from geo.vocab import LENGTH_BASES

from ._features import FeatureLayer, Script, StyleTable, display_features, js_literal, ring_offsets
from ._popup import Markup, blank, popup, text
from .legend import STALE_MARK, category

# Densified geodesics have a vertex every 10 km; ~500 m is invisible at region zooms.
SEGMENT_TOLERANCE = 0.005
#: Marks around the part of a popup or tooltip that says the status (replaced on restyling).
#: Escaped text cannot hold "<!--", so nothing from the data can look like these marks.
STATUS_OPEN, STATUS_CLOSE = "<!--ce-s-->", "<!--/ce-s-->"


def length_text(row: dict) -> str:
    """A segment's length with its basis: "164 km (published chainage; 158 km measured on the
    drawn line)" or "97 km (measured on the drawn line)"; "" without ``best_km``.

    Uses the columns ``best_km``, ``basis`` and ``length_km`` (measured on the drawn line) of
    ``geo.segment_metrics``.
    """
    best, measured, basis = row.get("best_km"), row.get("length_km"), row.get("basis")
    if blank(best):
        return ""
    if basis in ("chainage", "traced") and not blank(measured):
        return (f"{km_text(float(best))} ({LENGTH_BASES[basis]}; {km_text(float(measured))} "
                f"{LENGTH_BASES['measured']})")
    return f"{km_text(float(best))} ({LENGTH_BASES.get(basis, LENGTH_BASES['measured'])})"


def stale_since(row: dict, on: dt.date | None = None) -> str:
    """The record's as-of date when its status may be out of date on ``on`` (default today),
    else "": the record is older than ``settings.stale_after_days`` and ``on`` comes after it
    (a record still tells the history before its date)."""
    as_of = row.get("as_of")
    if blank(as_of):
        return ""
    try:
        if not is_stale(str(as_of)) or (on is not None and on <= latest_day(str(as_of))):
            return ""
    except (ValueError, IndexError):  # not a date: nothing to say about its age
        return ""
    return str(as_of)


@dataclass(frozen=True)
class _State:
    """What a segment shows on one date: style, status words (escaped) and the legend key."""

    style: int
    html: str
    tip: str
    status: str


def _state(row: dict, status: str, projected: bool, basis: str, stale: str,
           table: StyleTable) -> _State:
    label = style.STATUS_LABELS.get(status, status)
    words = escape_html(f"{label}, projected" if projected else label)
    html, tip = words, words
    if basis and basis != "as recorded":
        html += f"<br><small>{escape_html('basis: ' + basis.replace('_', ' '))}</small>"
    if stale:
        flag = f"{STALE_MARK} may be out of date (status as of {stale})"
        html += f'<br><span class="ce-flag">{escape_html(flag)}</span>'
        tip += escape_html(f" {STALE_MARK} may be out of date")
    return _State(table.index(style.segment_style(row.get("mode"), status)), html, tip, status)


@dataclass(frozen=True)
class DatedStatuses:
    """The segments' statuses on every value of a date control, for :func:`corridor_layer`.

    Attributes
    ----------
    options
        The control's values as the page address carries them in ``param`` ("" for the
        statuses as recorded, ``today``, else ``YYYY-MM``); the first is shown until the
        script runs.
    labels
        What each option is called on the map (``geo.when_text``), one per option.
    frames
        One frame per option, indexed by segment id, with ``status``, ``status_projected``
        and ``status_basis`` (as ``geo.segments_at`` gives them); options whose statuses are
        the same may share one frame (it is read once).
    param
        The address parameter that names the date.
    allowed
        Statuses to draw (the page's status filter); None draws every status.
    """

    options: tuple[str, ...]
    labels: tuple[str, ...]
    frames: tuple[pd.DataFrame, ...]
    param: str = "asof"
    allowed: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not (len(self.options) == len(self.labels) == len(self.frames)) or not self.options:
            msg = (f"DatedStatuses: {len(self.options)} options, {len(self.labels)} labels and "
                   f"{len(self.frames)} frames; give one of each per option, at least one")
            raise ValueError(msg)

    def day(self, i: int) -> dt.date:
        """The date option ``i`` stands for (today for "as recorded" and for ``today``)."""
        option = self.options[i]
        return latest_day(option) if option and option != "today" else settings_today()

    def statuses(self) -> list[str]:
        """Every status some option gives some segment, in the order of ``geo.style``."""
        seen = {s for f in {id(f): f for f in self.frames}.values() for s in f["status"]}
        return [s for s in style.STATUS_DASH if s in seen] + sorted(seen - set(style.STATUS_DASH))


def _segment_tooltip(row: dict, status: str) -> str:
    return (f"{text(row.get('name'))} · {text(row.get('mode'))} · "
            f"{STATUS_OPEN}{status}{STATUS_CLOSE}")


def corridor_layer(segments: gpd.GeoDataFrame, *, name: str = "Corridors",
                   dated: DatedStatuses | None = None) -> FeatureLayer:
    """Segments, one GeoJSON layer, coloured by ``mode`` and dashed by ``status``.

    Popups give the segment's name, mode, status (with what it rests on when ``status_basis``
    names a dated event, "projected" when ``status_projected``), length with its basis (with
    the columns of ``geo.segment_metrics``), gauge, ends, source, as-of date, accuracy and
    notes, all escaped (and, where the frame has a ``projects`` column, what articles state
    about the segment's project: ``geo.claims.project_texts``); a status record older than
    ``settings.stale_after_days`` is flagged "may be out of date (status as of YYYY-MM-DD)" in
    the popup and the tooltip.

    With ``dated``, the layer holds every segment's status on each option of a date control
    and restyles itself (lines, popups, tooltips, the legend's status rows and its
    ``data-ce-when`` line) when the page address names another option (``dated.param``);
    segments whose status is not in ``dated.allowed`` are hidden. The statuses of ``segments``
    are then not used.
    """
    table = StyleTable()
    states: dict[tuple, tuple[int, _State]] = {}  # (mode, status, projected, basis, stale)
    frames = [] if dated is None else [f[["status", "status_projected", "status_basis"]]
                                       .to_dict("index") for f in _unique(dated.frames)]
    which = [] if dated is None else _positions(dated.frames)
    days = [] if dated is None else [dated.day(i) for i in range(len(dated.options))]

    def state_of(row: dict, rec: dict, stale: str) -> tuple[int, _State]:
        key = (row.get("mode"), rec["status"], bool(rec["status_projected"]),
               str(rec["status_basis"] or ""), stale)
        if key not in states:
            states[key] = (len(states), _state(row, *key[1:], table))
        return states[key]

    def props(idx, row):
        if dated is None:
            rec = {"status": row.get("status"),
                   "status_projected": row.get("status_projected", False),
                   "status_basis": row.get("status_basis")}
            _, st = state_of(row, rec, stale_since(row))
            runs = None
        else:
            runs = []
            recorded = {"status": row.get("status"), "status_projected": False,
                        "status_basis": ""}
            since = stale_since(row)
            as_of = latest_day(since) if since else None
            for i, pos in enumerate(which):
                stale = since if as_of is not None and days[i] > as_of else ""
                sid, _ = state_of(row, frames[pos].get(idx) or recorded, stale)
                if not runs or runs[-1][1] != sid:
                    runs.append([i, sid])
            st = next(s for n, s in states.values() if n == runs[0][1])
        gauge = row.get("gauge")
        rows = [
            ("Mode", row.get("mode")),
            ("Status", Markup(f"{STATUS_OPEN}{st.html}{STATUS_CLOSE}")),
            ("Length", length_text(row)),
            ("Gauge", "" if blank(gauge) else f"{gauge.replace(';', ' / ')} mm"),
            ("From → to", f"{row.get('from', '')} → {row.get('to', '')}"),
            ("Waterway", row.get("waterway")),
            ("Source", row.get("source")),
            ("As of", row.get("as_of")),
            ("Accuracy", row.get("accuracy")),
            ("Notes", row.get("notes")),
            # what articles state about the project (geo.claims.project_texts), with sources
            ("Project, as articles state it", row.get("projects")),
        ]
        out = {
            "i": str(idx),
            "s": st.style,
            "t": _segment_tooltip(row, st.tip),
            "p": popup(row.get("name") or idx, rows, data={"segment": idx}),
            "c": [category("mode", row.get("mode")), category("status", st.status)],
        }
        if runs is not None:
            out["d"] = runs
        return out

    feats = display_features(segments, properties=props, tolerance=SEGMENT_TOLERANCE)
    layer = FeatureLayer(feats, table.styles, name=name,
                         attribution=escape_html(style.ATTRIBUTION_DATA))
    if dated is not None:
        ordered = [st for _, st in sorted(states.values(), key=lambda v: v[0])]
        restyle_script(dated, [{"s": st.style, "h": st.html, "t": st.tip, "k": st.status}
                               for st in ordered]).add_to(layer)
    return layer


def _unique(frames) -> list:
    return list({id(f): f for f in frames}.values())


def _positions(frames) -> list[int]:
    order = {k: i for i, k in enumerate({id(f): None for f in frames})}
    return [order[id(f)] for f in frames]


def restyle_script(dated: DatedStatuses, states: list[dict]) -> Script:
    """The script that restyles a corridor layer (its parent) for the date the address names.

    It reads the page address once per animation frame (the map sits in a frame of the app's
    page; a page of its own reads its own address), and only when it changed does it find the
    option, give each segment the style, popup and tooltip words of its state on that date,
    hide the segments whose status is not allowed, and update the legend. It stops once a
    newer copy of the layer took over (the app sends a new one when a filter changes).
    ``window.__ceShowDate(option)`` restyles for an option at once (a control beside the
    map calls it before the address changes; the address then finds it shown).
    """
    data = {"o": list(dated.options), "l": list(dated.labels), "st": states, "p": dated.param,
            "a": None if dated.allowed is None else list(dated.allowed)}
    code = (
        # The styles come from the layer's own style function: streamlit-folium renames the
        # layer's variables when it sends the layer, so no other name of it can be used here.
        "(function(){ try { var gj = {parent}, T = " + js_literal(data) + ";"
        # (a style without a dash pattern must clear the one before: setStyle merges)
        " var style = function(i){"
        "  return Object.assign({dashArray: null}, gj.options.style({properties: {s: i}})); };"
        " var gen = window.__ceRestyleGen = (window.__ceRestyleGen || 0) + 1;"
        " var all = gj.getLayers(), href = null, shown = -1;"
        # the marks written without "<!--" and "-->", which must not appear in a script block
        r" var RE = /\x3c!--ce-s--\x3e[\s\S]*?\x3c!--\/ce-s--\x3e/;"
        " function at(d, i){ var k = d[0][1];"
        "  for (var j = 0; j < d.length && d[j][0] <= i; j++) { k = d[j][1]; } return k; }"
        " function put(html, words){ return html.replace(RE, function(){"
        r"  return '\x3c!--ce-s--\x3e' + words + '\x3c!--/ce-s--\x3e'; }); }"
        " function apply(i){ var present = {};"
        "  all.forEach(function(l){ var f = l.feature, s = T.st[at(f.properties.d, i)];"
        "   var show = !T.a || T.a.indexOf(s.k) >= 0;"
        "   if (!show) { if (gj.hasLayer(l)) { gj.removeLayer(l); } return; }"
        "   present[s.k] = true; if (!gj.hasLayer(l)) { gj.addLayer(l); }"
        "   l.setStyle(style(s.s)); if (f.properties.c) { f.properties.c[1] = 'status:' + s.k; }"
        "   if (l.getPopup()) { l.setPopupContent(put(f.properties.p, s.h)); }"
        "   if (l.getTooltip()) { l.setTooltipContent(put(f.properties.t, s.t)); } });"
        "  var when = document.querySelector('.ce-legend [data-ce-when]');"
        "  if (when) { when.textContent = T.l[i];"
        "   when.closest('.ce-legend').querySelectorAll('[data-ce-status]').forEach(function(r){"
        "    r.style.display = present[r.getAttribute('data-ce-status')] ? '' : 'none'; }); }"
        "  shown = i; window.__ceStatusesShown = T.o[i];"
        "  if (window.__ceLegendSync) { window.__ceLegendSync(); } }"
        # a control beside the map names the date before the address does (app_pages._instant)
        " window.__ceShowDate = function(v){ var i = T.o.indexOf(v);"
        "  if (window.__ceRestyleGen === gen && i >= 0 && i !== shown) { apply(i); } };"
        " function tick(){ if (window.__ceRestyleGen !== gen) { return; }"
        "  var now = null; try { now = window.parent.location.href; } catch (err) { now = ''; }"
        "  if (now !== href) { href = now; var v = '';"
        "   try { v = new URL(now).searchParams.get(T.p) || ''; } catch (err) { v = ''; }"
        "   var i = T.o.indexOf(v); if (i < 0) { i = 0; } if (i !== shown) { apply(i); } }"
        "  requestAnimationFrame(tick); }"
        " tick(); } catch (err) { console.error('corridor restyling failed: ' + err); } })();"
    )
    return Script(code)


def highlight_frame(segments: gpd.GeoDataFrame, segment_ids: list[str], *,
                    name: str) -> gpd.GeoDataFrame:
    """One row named ``name`` whose geometry gathers ``segment_ids`` (for :func:`highlight_layer`).

    Unknown ids raise ``KeyError`` naming them.
    """
    unknown = [s for s in segment_ids if s not in segments.index]
    if unknown:
        msg = f"highlight {name!r}: unknown segment ids {unknown}"
        raise KeyError(msg)
    geom = segments.geometry.loc[list(segment_ids)].union_all()
    return gpd.GeoDataFrame({"name": [name]}, geometry=[geom], crs=segments.crs)


def highlight_layer(highlight: gpd.GeoDataFrame, *,
                    name: str = "Highlighted routes") -> FeatureLayer:
    """Thick translucent lines under the corridors, one colour per row (``name`` column).

    A row with ``length_text`` also gets a popup with its figures as ``geo`` rendered them:
    ``length_text``, ``country_text`` and ``sections`` (one line per named section,
    ``geo.metrics.section_text``), as ``geo.map_frames`` gives them.
    """
    table = StyleTable()
    colors = style.ROUTE_HIGHLIGHTS

    def props(idx, row):
        pos = list(highlight.index).index(idx)
        color = colors[pos % len(colors)]
        label = row.get("name") or idx
        out = {"i": str(idx), "t": escape_html(label), "c": [category("route", idx)],
               "s": table.index({"color": color, "weight": 9, "opacity": 0.45,
                                 "lineCap": "round", "lineJoin": "round"})}
        if not blank(row.get("length_text")):
            out["p"] = popup(label, [("Length", row["length_text"]),
                                     ("km by country", row.get("country_text")),
                                     ("Named sections", _items(row.get("sections")))],
                             data={"route": idx})
        return out

    feats = display_features(highlight, properties=props, tolerance=SEGMENT_TOLERANCE)
    return FeatureLayer(feats, table.styles, name=name)


def _items(lines) -> Markup | None:
    """A list of text lines as an HTML list, each line escaped (None for no lines)."""
    if not isinstance(lines, list | tuple) or not lines:
        return None
    return Markup("<ul>" + "".join(f"<li>{text(line)}</li>" for line in lines) + "</ul>")


def gauge_break_layer(points: gpd.GeoDataFrame, *, name: str = "Gauge breaks") -> FeatureLayer:
    """Points where rail gauges meet (1435 / 1520 mm), as black "G" squares with a popup.

    Uses the columns it finds among ``name``, ``place``, ``gauges``, ``note``.
    """
    table = StyleTable()
    s = table.index({})
    offsets = ring_offsets([(round(g.x, 4), round(g.y, 4)) for g in points.geometry])

    def props(idx, row):
        pos = list(points.index).index(idx)
        gauges = row.get("gauges")
        if isinstance(gauges, list | tuple):
            gauges = " / ".join(f"{g} mm" for g in gauges)
        title = row.get("name") or row.get("place") or idx
        rows = [("Gauges", gauges), ("Place", row.get("place")), ("Note", row.get("note"))]
        dx, dy = offsets[pos]
        certain = row.get("certain", True) is not False
        what = ("Gauge break: trains change bogies or cargo is transshipped here." if certain
                else "Gauge break somewhere on this stretch: the gauge is not known between "
                     "these places, and the lines at its two ends have different gauges.")
        return {"i": str(idx), "s": s, "k": "<div>G</div>" if certain else "<div>G?</div>",
                "c": [category("gauge", "certain" if certain else "uncertain")],
                "dx": dx, "dy": dy, "t": f"Gauge break: {escape_html(title)}",
                "p": popup(title, rows, extra=Markup(f"<p>{escape_html(what)}</p>"))}

    feats = display_features(points, properties=props)
    return FeatureLayer(feats, table.styles, name=name, point="badge", badge_class="ce-gauge")
