"""Corridor layers: segments by mode (colour) and status (dash), route highlights, gauge breaks."""

from __future__ import annotations

import geopandas as gpd

from geo import style
from geo.escape import escape_html

from ._features import FeatureLayer, StyleTable, display_features, ring_offsets
from ._popup import Markup, blank, popup, text

# Densified geodesics have a vertex every 10 km; ~500 m is invisible at region zooms.
SEGMENT_TOLERANCE = 0.005


def _segment_tooltip(row: dict) -> str:
    status = style.STATUS_LABELS.get(row.get("status"), row.get("status"))
    return f"{text(row.get('name'))} · {text(row.get('mode'))} · {text(status)}"


def corridor_layer(segments: gpd.GeoDataFrame, *, name: str = "Corridors") -> FeatureLayer:
    """Segments, one GeoJSON layer, coloured by ``mode`` and dashed by ``status``.

    Popups give the segment's name, mode, status, gauge, ends, source, as-of date, accuracy and
    notes, all escaped.
    """
    table = StyleTable()

    def props(idx, row):
        gauge = row.get("gauge")
        rows = [
            ("Mode", row.get("mode")),
            ("Status", style.STATUS_LABELS.get(row.get("status"), row.get("status"))),
            ("Gauge", "" if blank(gauge) else f"{gauge.replace(';', ' / ')} mm"),
            ("From → to", f"{row.get('from', '')} → {row.get('to', '')}"),
            ("Waterway", row.get("waterway")),
            ("Source", row.get("source")),
            ("As of", row.get("as_of")),
            ("Accuracy", row.get("accuracy")),
            ("Notes", row.get("notes")),
        ]
        return {
            "i": str(idx),
            "s": table.index(style.segment_style(row.get("mode"), row.get("status"))),
            "t": _segment_tooltip(row),
            "p": popup(row.get("name") or idx, rows, data={"segment": idx}),
        }

    feats = display_features(segments, properties=props, tolerance=SEGMENT_TOLERANCE)
    return FeatureLayer(feats, table.styles, name=name,
                        attribution=escape_html(style.ATTRIBUTION_DATA))


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
    """Thick translucent lines under the corridors, one colour per row (``name`` column)."""
    table = StyleTable()
    colors = style.ROUTE_HIGHLIGHTS

    def props(idx, row):
        pos = list(highlight.index).index(idx)
        color = colors[pos % len(colors)]
        label = row.get("name") or idx
        return {"i": str(idx), "t": escape_html(label),
                "s": table.index({"color": color, "weight": 9, "opacity": 0.45,
                                  "lineCap": "round", "lineJoin": "round"})}

    feats = display_features(highlight, properties=props, tolerance=SEGMENT_TOLERANCE)
    return FeatureLayer(feats, table.styles, name=name)


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
                "dx": dx, "dy": dy, "t": f"Gauge break: {escape_html(title)}",
                "p": popup(title, rows, extra=Markup(f"<p>{escape_html(what)}</p>"))}

    feats = display_features(points, properties=props)
    return FeatureLayer(feats, table.styles, name=name, point="badge", badge_class="ce-gauge")
