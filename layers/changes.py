"""What changed between two states of the network: a map layer for ``geo.compare_states``.

Three layers, drawn in this order: the rest of the network as thin grey context, the route of
each state (state B solid and wide underneath, state A dashed on top, so both show where they
share track), and the segments whose status differs, coloured *and* dashed by their status in
state B (colour is never the only cue). A small legend goes with them and leaves the map when
their group does.

Every text that reaches a tooltip, popup or the legend is escaped here.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from geo import style
from geo.escape import escape_html

from ._features import FeatureLayer, Script, StyleTable, display_features, js_literal
from ._popup import blank, popup, text
from .corridors import SEGMENT_TOLERANCE

#: Colour of a changed segment by its status in state B (Okabe-Ito; the dash pattern is that
#: of ``geo.style.STATUS_DASH``). Statuses not listed are drawn black.
CHANGE_COLORS: dict[str, str] = {
    "operational": "#009E73",         # bluish green
    "under_construction": "#E69F00",  # orange
    "planned": "#56B4E9",             # sky blue
    "proposed": "#56B4E9",
    "disrupted": "#D55E00",           # vermillion
    "closed": "#000000",
    "not_yet_announced": "#999999",
}
CHANGE_WEIGHT = 5.0
#: The route of each state: B solid and wide, A dashed and narrower on top of it.
STATE_STYLES: dict[str, dict] = {
    "B": {"color": style.ROUTE_HIGHLIGHTS[0], "weight": 10, "opacity": 0.4,
          "lineCap": "round", "lineJoin": "round"},
    "A": {"color": style.ROUTE_HIGHLIGHTS[1], "weight": 4, "opacity": 0.9,
          "dashArray": "10 8", "lineCap": "butt"},
}
CONTEXT_STYLE = {"color": "#8a8a8a", "weight": 1.5, "opacity": 0.7}
GROUP_NAME = "What changed"
#: The change legend wraps its (user-named) labels rather than cover the map.
LEGEND_MAX_WIDTH = "240px"


def _status(value: object) -> str:
    return style.STATUS_LABELS.get(value, value)


def changes_layer(changes: gpd.GeoDataFrame, *, name: str = "Status changed") -> FeatureLayer:
    """Segments whose status differs between state A and state B.

    Uses the columns ``name``, ``mode``, ``status_a``, ``status_b`` and, where present,
    ``date`` and ``source`` (the dated change behind the difference) and ``basis_b``. The
    tooltip reads "name: A status → B status, date, source".
    """
    table = StyleTable()

    def props(idx, row):
        change = f"{text(_status(row.get('status_a')))} → {text(_status(row.get('status_b')))}"
        extra = [text(row.get(k)) for k in ("date", "source") if not blank(row.get(k))]
        tooltip = f"{text(row.get('name') or idx)}: " + ", ".join([change, *extra])
        rows = [("Mode", row.get("mode")),
                ("State A", _status(row.get("status_a"))),
                ("State B", _status(row.get("status_b"))),
                ("B rests on", row.get("basis_b")),
                ("Date", row.get("date")),
                ("Source", row.get("source"))]
        status_b = row.get("status_b")
        return {"i": str(idx), "t": tooltip,
                "s": table.index({"color": CHANGE_COLORS.get(status_b, "#000000"),
                                  "weight": CHANGE_WEIGHT, "opacity": 0.95,
                                  "dashArray": style.STATUS_DASH.get(status_b)}),
                "p": popup(row.get("name") or idx, rows, data={"segment": idx})}

    feats = display_features(changes, properties=props, tolerance=SEGMENT_TOLERANCE)
    return FeatureLayer(feats, table.styles, name=name)


def state_routes_layer(routes: gpd.GeoDataFrame, *,
                       name: str = "Route in each state") -> FeatureLayer:
    """The route of each state: column ``state`` ("A" or "B") and ``label`` (the tooltip).

    B is drawn first (solid, wide, translucent) and A after it (dashed), whatever the row order.
    """
    unknown = sorted(set(map(str, routes["state"])) - set(STATE_STYLES))
    if unknown:
        msg = f"state_routes_layer: unknown state(s) {unknown}; known: A, B"
        raise ValueError(msg)
    order = routes.assign(_o=routes["state"].map({"B": 0, "A": 1})).sort_values("_o")
    table = StyleTable()

    def props(idx, row):
        return {"i": str(idx), "t": f"State {text(row['state'])}: {text(row.get('label'))}",
                "s": table.index(STATE_STYLES[row["state"]])}

    feats = display_features(order.drop(columns="_o"), properties=props,
                             tolerance=SEGMENT_TOLERANCE)
    return FeatureLayer(feats, table.styles, name=name)


def context_layer(segments: gpd.GeoDataFrame, *, name: str = "Rest of the network") -> FeatureLayer:
    """Every other segment as a thin grey line; tooltip "name · status" (column ``status``)."""
    table = StyleTable()
    s = table.index(CONTEXT_STYLE)

    def props(idx, row):
        return {"i": str(idx), "s": s,
                "t": f"{text(row.get('name') or idx)} · {text(_status(row.get('status')))}"}

    feats = display_features(segments, properties=props, tolerance=SEGMENT_TOLERANCE)
    return FeatureLayer(feats, table.styles, name=name)


def _line(color: str, dash: str | None, weight: float, opacity: float = 1.0) -> str:
    dash_attr = f' stroke-dasharray="{escape_html(dash)}"' if dash else ""
    return (f'<svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="33" y2="6" '
            f'stroke="{escape_html(color)}" stroke-width="{weight}" stroke-opacity="{opacity}"'
            f'{dash_attr}/></svg>')


def _row(symbol: str, label: object) -> str:
    return f'<div class="ce-row">{symbol}<span>{escape_html(label)}</span></div>'


def change_legend_html(*, statuses=(), labels: dict | None = None, context: bool = False) -> str:
    """Legend of the change map: the two routes (``labels`` by state, e.g. ``{"A": "as of
    2025-02-28"}``), the B statuses of the changed segments, and the grey context."""
    parts = [f"<details open><summary>{escape_html(GROUP_NAME)}</summary>"]
    labels = labels or {}
    if labels:
        parts.append("<h4>Route</h4>")
        for state in ("A", "B"):
            if state in labels:
                st = STATE_STYLES[state]
                symbol = _line(st["color"], st.get("dashArray"), min(st["weight"], 8),
                               max(st["opacity"], 0.6))
                parts.append(_row(symbol, f"{state}: {labels[state]}"))
    shown = [s for s in CHANGE_COLORS if s in set(statuses)]
    shown += sorted(set(map(str, statuses)) - set(shown))
    if shown:
        parts.append("<h4>Status changed: now (state B)</h4>")
        parts += [_row(_line(CHANGE_COLORS.get(s, "#000000"), style.STATUS_DASH.get(s), 4),
                       _status(s)) for s in shown]
    if context:
        parts.append(_row(_line(CONTEXT_STYLE["color"], None, 2), "status unchanged"))
    parts.append("</details>")
    return "".join(parts)


def group_legend(html: str, *, position: str = "bottomleft", fold_others: bool = True) -> Script:
    """A legend control shown while its group is on the map (add it to the group), so a
    redrawn group never leaves an old legend behind. ``fold_others`` folds the map's other
    legends (they stay one click away) while it is shown: this one explains what is drawn."""
    fold = (" map.getContainer().querySelectorAll('.ce-legend:not(.ce-change-legend) details')"
            ".forEach(function(d){ d.open = false; });") if fold_others else ""
    code = (
        "(function(){ var g = {parent}, map = {map}; var c = L.control({position: "
        + js_literal(position) + "});"
        " c.onAdd = function(){ var d = L.DomUtil.create('div', 'ce-legend ce-change-legend');"
        " d.style.maxWidth = " + js_literal(LEGEND_MAX_WIDTH) + ";"
        " d.innerHTML = " + js_literal(html) + ";"
        " L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);"
        " return d; };"
        " var show = function(){ c.addTo(map);" + fold + " };"
        " g.on('add', show); g.on('remove', function(){ c.remove(); });"
        " if (map.hasLayer(g)) { show(); } })();"
    )
    return Script(code)


def change_groups(*, changes: gpd.GeoDataFrame | None = None,
                  routes: gpd.GeoDataFrame | None = None,
                  context: gpd.GeoDataFrame | None = None,
                  labels: dict | None = None) -> list[folium.FeatureGroup]:
    """One overlay group (for ``folium`` maps and the app's map widget) with the context, the
    route of each state and the changed segments, and its legend.

    Parameters
    ----------
    changes
        Segments whose status differs (see :func:`changes_layer`), e.g. from
        ``geo.status_changes`` with each change's ``date`` and ``source``.
    routes
        The route of each state (see :func:`state_routes_layer`).
    context
        The rest of the network (see :func:`context_layer`).
    labels
        What each state is, by ``"A"``/``"B"``, for the legend.
    """
    group = folium.FeatureGroup(name=GROUP_NAME, overlay=True, control=True)
    for frame, build in ((context, context_layer), (routes, state_routes_layer),
                         (changes, changes_layer)):
        if frame is not None and len(frame) > 0:
            layer = build(frame)
            layer.control = False
            layer.add_to(group)
    statuses = [] if changes is None or len(changes) == 0 else list(changes["status_b"])
    route_labels = {s: (labels or {}).get(s, "") for s in ("A", "B")
                    if routes is not None and s in set(routes["state"])}
    html = change_legend_html(statuses=statuses, labels=route_labels,
                              context=context is not None and len(context) > 0)
    group_legend(html).add_to(group)
    return [group]
