"""The map legend: one row for every style the map can draw, from the shared ``geo.style``.

:func:`legend_html` returns plain HTML (also used by static exports); :func:`legend_control`
puts it on the map as a collapsible Leaflet control. Colour is never the only cue: modes have
colours, statuses dash patterns, claim verdicts colours plus words, claim kinds letters.
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


def _row(symbol: str, label: str, *, status: str | None = None) -> str:
    hook = "" if status is None else f' data-ce-status="{escape_html(status)}"'
    return f'<div class="ce-row"{hook}>{symbol}<span>{escape_html(label)}</span></div>'


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
                places: bool = True, crossings: bool = True, gauge_breaks: bool = True,
                nakhchivan: bool = True, highlights: Iterable[str] = (),
                highlight_entry: bool = False, country_badges: bool = False,
                when: str | None = None, stale: bool = False, title: str = "Legend") -> str:
    """HTML of the legend, one row per style; ``None`` lists every known value of a vocabulary.

    Parameters
    ----------
    modes, statuses
        Corridor modes (colours) and statuses (dash patterns) to explain; ``None`` for all.
    verdicts, claim_kinds
        Claim verdicts (colours) and kinds (letters); empty to leave the claims section out.
    places, crossings, gauge_breaks, nakhchivan
        Whether to explain places, border crossings, gauge breaks and the Nakhchivan fill.
    highlights
        Names of highlighted routes, in the order of ``geo.style.ROUTE_HIGHLIGHTS``.
    highlight_entry
        Explain route highlighting (its colours in order) when no ``highlights`` are named.
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
    parts = [f"<details open><summary>{escape_html(title)}</summary>"]
    if when:
        parts.append(f'<p class="ce-when" data-ce-when>{escape_html(when)}</p>')
    highlights = list(highlights)
    if highlights:
        parts.append("<h4>Highlighted routes</h4>")
        for i, name in enumerate(highlights):
            color = style.ROUTE_HIGHLIGHTS[i % len(style.ROUTE_HIGHLIGHTS)]
            parts.append(_row(_line(color, None, 8), name))
    elif highlight_entry:
        parts.append("<h4>Highlighted routes</h4>")
        for i, color in enumerate(style.ROUTE_HIGHLIGHTS[:3]):
            parts.append(_row(_line(color, None, 8), f"chosen route {i + 1}"))
    mode_list = _known(modes, style.MODE_COLORS)
    if mode_list:
        parts.append("<h4>Mode (colour)</h4>")
        parts += [_row(_line(style.MODE_COLORS.get(m, "#000000")), m) for m in mode_list]
    status_list = _known(statuses, style.STATUS_DASH)
    if status_list:
        parts.append("<h4>Status (line pattern)</h4>")
        parts += [_row(_line("#333333", style.STATUS_DASH.get(s)), style.STATUS_LABELS.get(s, s),
                       status=s) for s in status_list]
    if stale:
        parts.append(f'<div class="ce-row ce-flag">{escape_html(stale_note())}</div>')
    points = []
    if places:
        points.append(_row(_dot("#ffffff", "#222222", 4), "station, junction, port or city"))
    if crossings:
        points.append(_row('<span class="ce-crossing" style="width:34px"><div></div></span>',
                           "border crossing"))
    if gauge_breaks:
        points.append(_row('<span class="ce-gauge" style="width:34px"><div>G</div></span>',
                           "gauge break (1435 / 1520 mm)"))
    if nakhchivan:
        points.append(_row(_fill(style.NAKHCHIVAN_FILL, style.NAKHCHIVAN_EDGE),
                           "Nakhchivan (Azerbaijan)"))
    if points:
        parts.append("<h4>Places and areas</h4>")
        parts += points
    verdict_list = _known(verdicts, style.VERDICT_COLORS) if verdicts is not None else []
    kind_list = _known(claim_kinds, style.CLAIM_KIND_SYMBOLS) if claim_kinds is not None else []
    if verdict_list:
        parts.append("<h4>Claim verdict (colour)</h4>")
        parts += [_row(_badge("", style.VERDICT_COLORS.get(v, "#ffffff")),
                       style.VERDICT_LABELS.get(v, v)) for v in verdict_list]
    if kind_list:
        parts.append("<h4>Claim kind (letter)</h4>")
        parts += [_row(_badge(style.CLAIM_KIND_SYMBOLS.get(k, "?"), "#ffffff"), k)
                  for k in kind_list]
    if verdict_list and country_badges:
        parts.append(_row('<span class="marker-cluster" style="display:inline-block;width:34px;'
                          'height:20px;background:none"><div style="width:18px;height:18px;'
                          'margin:0 auto;font-size:10px">3</div></span>',
                          "overlapping claims: click to spread them"))
        parts.append(_row('<span class="ce-country" style="width:34px;display:flex">'
                          '<div style="transform:none;padding:0 3px">IRN</div></span>',
                          "claims about a whole country (count)"))
    parts.append("</details>")
    return "".join(parts)


def legend_control(html: str, *, position: str = "topright") -> Script:
    """A Leaflet control showing legend ``html`` (add it to the map)."""
    code = (
        "(function(){var c = L.control({position: " + js_literal(position) + "});"
        "c.onAdd = function(){var d = L.DomUtil.create('div', 'ce-legend');"
        "d.innerHTML = " + js_literal(html) + ";"
        "L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);"
        "return d;}; c.addTo({map});"
        # An open popup matters more than the legend: fold the legend while one is open.
        "var box = c.getContainer().querySelector('details'), reopen = false;"
        # A small map (a narrow window) starts with the legend folded; a hidden map (size 0,
        # e.g. in a tab not shown yet) keeps it open.
        "var size = {map}.getSize();"
        "if (box && size.x > 0 && (size.x < 480 || size.y < 360)) { box.open = false; }"
        "{map}.on('popupopen', function(){"
        " if (box && box.open) { box.open = false; reopen = true; } });"
        "{map}.on('popupclose', function(){"
        " if (box && reopen) { box.open = true; reopen = false; } });"
        "})();"
    )
    return Script(code)
