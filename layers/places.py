"""Place layers: stations, junctions, ports and cities as circles; border crossings as diamonds."""

from __future__ import annotations

import geopandas as gpd

from geo import style
from geo.escape import bidi, escape_html

from ._features import FeatureLayer, StyleTable, display_features
from ._popup import Markup, blank, popup
from .legend import place_category

NAME_LANGS = ("az", "hy", "fa", "ru", "tr", "ka")
PLACE_STYLE = {"radius": 4, "color": "#222222", "weight": 1.5, "fillColor": "#ffffff",
               "fillOpacity": 1.0}
KIND_STYLE = {
    "city": {"radius": 5, "fillColor": "#222222"},
    "port": {"radius": 5, "fillColor": style.WATER_FILL},
}
KIND_LABELS = {"city": "city", "station": "station", "junction": "junction", "port": "port",
               "border_crossing": "border crossing"}


def _names(row: dict) -> Markup:
    parts = [f"{escape_html(lang)}: {bidi(row.get(f'name_{lang}'))}" for lang in NAME_LANGS
             if str(row.get(f"name_{lang}") or "").strip()]
    alt = str(row.get("alt_names") or "").strip()
    if alt:
        parts.append("also: " + ", ".join(bidi(a) for a in alt.split("|") if a.strip()))
    return Markup("<br>".join(parts))


def _place_props(idx, row: dict, s: int) -> dict:
    kind = KIND_LABELS.get(row.get("kind"), row.get("kind"))
    rows = [
        ("Kind", kind),
        ("Names", _names(row)),
        ("Country", row.get("country")),
        ("Region", row.get("region")),
        ("Position", f"{float(row['lat']):.4f}° N, {float(row['lon']):.4f}° E"
         if "lat" in row and "lon" in row else ""),
        ("Accuracy", "" if blank(row.get("accuracy_m"))
         else f"± {float(row['accuracy_m']):.0f} m"),
        ("Source", row.get("source")),
        ("As of", row.get("as_of")),
        ("Notes", row.get("notes")),
    ]
    name = row.get("name_en") or idx
    return {"i": str(idx), "s": s, "t": f"{bidi(name)} ({escape_html(kind)})",
            "p": popup(name, rows, data={"place": idx}), "k": "<div></div>",
            "c": [place_category(row.get("kind"))]}


def places_layer(places: gpd.GeoDataFrame, *, name: str = "Places") -> FeatureLayer:
    """Places other than border crossings as circle markers (cities dark, ports blue)."""
    table = StyleTable()
    frame = places[places["kind"] != "border_crossing"] if "kind" in places else places

    def props(idx, row):
        s = table.index({**PLACE_STYLE, **KIND_STYLE.get(row.get("kind"), {})})
        return _place_props(idx, row, s)

    return FeatureLayer(display_features(frame, properties=props), table.styles, name=name)


def crossings_layer(places: gpd.GeoDataFrame, *, name: str = "Border crossings") -> FeatureLayer:
    """Border crossings (``kind == "border_crossing"``) as white diamonds with a dark edge."""
    table = StyleTable()
    s = table.index({})
    frame = places[places["kind"] == "border_crossing"] if "kind" in places else places.iloc[:0]
    feats = display_features(frame, properties=lambda i, r: _place_props(i, r, s))
    return FeatureLayer(feats, table.styles, name=name, point="badge", badge_class="ce-crossing")
