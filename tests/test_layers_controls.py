"""The legend that explains what is drawn, the map controls and their offline assets, and the
country outlines without window edges: checked on the rendered layers, without a browser."""

from __future__ import annotations

import html
import json
import re

import geopandas as gpd
import pytest
from helpers import ROOT, shipped_ready
from shapely.geometry import Point

import geo
import layers
from geo import webassets
from layers import _features

TILES = ("https://tiles.example/{z}/{x}/{y}.png", "© Example")


def features_of(layer) -> list[dict]:
    return json.loads(layer.data_js)["features"]


def categories(layer) -> set[str]:
    return {k for f in features_of(layer) for k in f["properties"].get("c", [])}


def legend_categories(legend: str) -> set[str]:
    return {html.unescape(k) for k in re.findall(r'data-ce-cat="([^"]*)"', legend)}


@pytest.fixture(scope="module")
def shipped():
    if not shipped_ready():
        pytest.skip("shipped data not present")
    segments = geo.load_segments()
    places = geo.load_places()
    routes = geo.load_routes_gdf()
    return {
        "segments": segments,
        "places": places,
        "gauge_breaks": geo.gauge_break_places(segments, places),
        "claims": geo.claims_gdf(),
        "highlight": routes.iloc[:2][["name", "geometry"]],
        "borders": geo.load_borders(),
        "nakhchivan": geo.load_nakhchivan(),
    }


def test_the_legend_explains_every_symbol_drawn_and_only_those(shipped):
    drawn = set()
    drawn |= categories(layers.corridor_layer(shipped["segments"]))
    drawn |= categories(layers.places_layer(shipped["places"]))
    drawn |= categories(layers.crossings_layer(shipped["places"]))
    drawn |= categories(layers.gauge_break_layer(shipped["gauge_breaks"]))
    drawn |= categories(layers.claims_layer(shipped["claims"]))
    drawn |= categories(layers.country_claims_layer(shipped["claims"], shipped["borders"]))
    drawn |= categories(layers.highlight_layer(shipped["highlight"]))
    drawn |= categories(layers.nakhchivan_layer(shipped["nakhchivan"]))
    legend = layers.legend_for(segments=shipped["segments"], places=shipped["places"],
                               claims=shipped["claims"], highlight=shipped["highlight"],
                               gauge_breaks=shipped["gauge_breaks"], nakhchivan=True)
    assert legend_categories(legend) == drawn
    # the symbols the issue found unexplained, and each highlighted route by its name
    assert "place:city" in drawn and ">city<" in legend  # the black city dots have a row
    assert ">G?<" in legend and "gauge:uncertain" in drawn
    for rid, name in shipped["highlight"]["name"].items():
        assert f'data-ce-cat="route:{rid}"' in legend and html.escape(name) in legend
    assert "chosen route" not in legend


def test_only_the_gauge_marks_drawn_are_explained(shipped):
    certain = shipped["gauge_breaks"][shipped["gauge_breaks"]["certain"].astype(bool)]
    assert len(certain) < len(shipped["gauge_breaks"])  # the shipped data has a "G?"
    legend = layers.legend_for(gauge_breaks=certain, nakhchivan=False)
    assert legend_categories(legend) == categories(layers.gauge_break_layer(certain))
    assert ">G?<" not in legend and ">G<" in legend


def test_place_symbols_follow_the_kinds_drawn():
    places = gpd.GeoDataFrame({"kind": ["station", "junction"], "name_en": ["A", "B"],
                               "lat": [0.0, 1.0], "lon": [0.0, 1.0]},
                              geometry=[Point(0, 0), Point(1, 1)], index=["a", "b"],
                              crs="EPSG:4326")
    legend = layers.legend_for(places=places, nakhchivan=False)
    assert legend_categories(legend) == {"place:station"}
    assert categories(layers.places_layer(places)) == {"place:station"}
    assert ">city<" not in legend and ">port<" not in legend


def test_legend_entries_are_buttons_and_text_from_data_is_escaped():
    hostile = '<img src=x onerror="alert(1)">'
    frame = gpd.GeoDataFrame({"name": [hostile]}, geometry=[Point(0, 0).buffer(1).exterior],
                             index=[hostile], crs="EPSG:4326")
    legend = layers.legend_for(highlight=frame, nakhchivan=False)
    assert "<img" not in legend
    assert 'role="button" tabindex="0" aria-pressed="true"' in legend
    [feature] = features_of(layers.highlight_layer(frame))
    assert feature["properties"]["c"] == [layers.category("route", hostile)]
    assert legend_categories(legend) == set(feature["properties"]["c"])


def test_country_outlines_have_no_edge_along_the_display_window(shipped):
    layer = layers.borders_layer(shipped["borders"])
    styles = json.loads(layer.styles_js)
    west, south, east, north = _features.DISPLAY_WINDOW
    along = 0
    stroked = 0
    for feature in features_of(layer):
        style = styles[feature["properties"]["s"]]
        if style.get("stroke") is False:
            assert "t" in feature["properties"]  # the areas name the country, unstroked
            continue
        stroked += 1
        geom = feature["geometry"]
        lines = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        for line in lines:
            for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
                if (x0 == x1 and x0 in (west, east)) or (y0 == y1 and y0 in (south, north)):
                    along += 1
    assert stroked >= 1 and along == 0
    # the outlines reach the window's edges (Kazakhstan, Pakistan, Arabia are cut there)
    xs = [x for f in features_of(layer) if f["geometry"]["type"].endswith("LineString")
          for line in (f["geometry"]["coordinates"] if f["geometry"]["type"].startswith("Multi")
                       else [f["geometry"]["coordinates"]]) for x, _ in line]
    assert max(xs) == pytest.approx(east, abs=0.01)


def test_border_lines_draw_a_shared_border_once():
    left = Point(0.5, 0.5).buffer(0.5, cap_style="square")
    right = Point(1.5, 0.5).buffer(0.5, cap_style="square")
    borders = gpd.GeoDataFrame({"name": ["L", "R"]}, geometry=[left, right], index=["L", "R"],
                               crs="EPSG:4326")
    [line] = list(layers.border_lines(borders).geometry)
    # the two squares' outlines are 8 units long; drawn once, the shared side counts once
    assert line.length == pytest.approx(7.0)


def test_vendored_plugins_are_complete_with_licence_and_version():
    readme = (ROOT / "static" / "README.md").read_text(encoding="utf-8")
    for name, (folder, files) in webassets.PLUGINS.items():
        base = ROOT / "static" / folder
        assert all((base / f).is_file() for f in files), name
        assert any(p.name.upper().startswith(("LICENSE", "MIT-LICENCE")) for p in base.iterdir())
        assert f"`{folder}/`" in readme
    assert "leaflet.fullscreen 5.3.3" in readme and "leaflet-minimap 3.6.1" in readme
    texts = webassets.all_plugin_texts()
    assert len(texts) == len(webassets.PLUGINS)
    js, css = webassets.plugin_texts("minimap")
    assert "url(images/" not in css and "data:image/svg+xml;base64," in css
    assert "L.Control.MiniMap" in js or "Control.MiniMap" in js
    assert all("</script" not in j for j, _ in texts)


def test_an_exported_map_inlines_every_control_and_fetches_nothing(tiny_data):
    borders = geo.load_borders(tiny_data)
    m = layers.build_map(borders=borders, segments=geo.load_segments(tiny_data))
    page = layers.to_html(m, assets=layers.inline_assets(plugins=webassets.all_plugin_texts()))
    assert not re.search(r"""<script[^>]*\bsrc=|<link[^>]*\bhref=["']?(https?:)?//""", page)
    assert "url(images/" not in page
    for piece in ("L.Control.FullScreen", "L.Control.MiniMap", "ce-measure", "ce-pointer",
                  "_cePadding", "L.control.layers", "ce-main-legend"):
        assert piece in page, piece


def test_the_layer_control_switches_basemaps_when_tiles_are_offered(tiny_data):
    borders = geo.load_borders(tiny_data)
    m = layers.base_map(borders=borders, tiles=TILES, show_tiles=False)
    bases = [c for c in m._children.values()
             if getattr(c, "control", False) and getattr(c, "overlay", True) is False]
    assert [(b.layer_name, b.show) for b in bases] == [
        ("Offline basemap", True), ("Map tiles (needs internet)", False)]
    m = layers.base_map(borders=borders, tiles=TILES)  # tiles on at first
    bases = [c for c in m._children.values()
             if getattr(c, "control", False) and getattr(c, "overlay", True) is False]
    assert [b.show for b in bases] == [False, True]
    plain = layers.base_map(borders=borders)
    assert not [c for c in plain._children.values() if getattr(c, "overlay", True) is False]


def test_the_fit_keeps_clear_of_the_controls_unless_told_not_to(tiny_data):
    borders = geo.load_borders(tiny_data)
    assert "_cePadding" in layers.to_html(layers.base_map(borders=borders))
    assert "_cePadding" not in layers.to_html(layers.base_map(borders=borders, fit_clear=False))
    assert "L.Control.FullScreen" not in layers.to_html(
        layers.base_map(borders=borders, controls=False))


def test_the_legend_folds_by_its_share_of_the_map():
    script = layers.legend_control(layers.legend_html()).raw
    assert layers.legend.FOLD_AT == 0.2 and "FOLD_AT = 0.2" in script
    assert "disableScrollPropagation" in script and "ce-more" in layers.legend_html()
