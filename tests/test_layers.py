"""Map layers: rendered from tiny hand-built data and read back; shipped-data consistency checks."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import folium
import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal
from helpers import ROOT, SHIPPED_DATA
from shapely.geometry import Point

import geo
import layers
from geo import style
from layers import _features

HOSTILE = '</script><img src=x onerror="alert(1)">`${x}`'


def _layer_data(layer) -> tuple[list[dict], list[dict]]:
    """(features, styles) a FeatureLayer sends to the browser, decoded from its script."""
    return json.loads(layer.data_js)["features"], json.loads(layer.styles_js)


@pytest.fixture
def tiny(tiny_data):
    return {
        "borders": geo.load_borders(tiny_data),
        "segments": geo.load_segments(tiny_data),
        "places": geo.load_places(tiny_data),
    }


def tiny_claims(quote: str = "Mid lies in Bland.") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "claim_id": ["t-01", "t-02", "t-03"],
            "article_id": ["tiny", "tiny", "tiny"],
            "quote": [quote, "Second claim at the same place.", "No location."],
            "summary": ["s1", "s2", "s3"],
            "who": ["the author", "a minister", None],
            "role": ["author", "official", None],
            "kind": ["territorial", "event", "opinion"],
            "verdict": ["consistent", "inconsistent", "not_checkable"],
            "evidence": ["Mid is 0 km from Bland.", "e2", "opinion"],
            "publication": ["Tiny Times", "Tiny Times", "Tiny Times"],
            "location": ["Mid", "Mid", ""],
        },
        geometry=[Point(1.5, 0.5), Point(1.5, 0.5), None],
        crs="EPSG:4326",
    )


# ---------------------------------------------------------------------------------------------
# Corridors


def test_corridor_styles_follow_mode_and_status(tiny):
    feats, styles = _layer_data(layers.corridor_layer(tiny["segments"]))
    by_id = {f["properties"]["i"]: styles[f["properties"]["s"]] for f in feats}
    assert set(by_id) == {"w-m", "m-e"}
    assert by_id["w-m"]["color"] == style.MODE_COLORS["rail"]
    assert "dashArray" not in by_id["w-m"]  # operational is solid
    assert by_id["m-e"]["dashArray"] == style.STATUS_DASH["planned"]


def test_display_copy_is_simplified_rounded_and_leaves_input_alone(tiny):
    segments = tiny["segments"]
    before = segments.copy()
    feats, _ = _layer_data(layers.corridor_layer(segments))
    assert_geodataframe_equal(segments, before)
    for feat in feats:
        coords = feat["geometry"]["coordinates"]
        # the densified straight line keeps only its ends on screen
        assert len(coords) < len(segments.geometry.loc[feat["properties"]["i"]].coords)
        assert all(round(c, _features.DEFAULT_PRECISION) == c for xy in coords for c in xy)


def test_display_geometries_clip_to_window():
    big = gpd.GeoSeries([Point(0, 0).buffer(10)], crs="EPSG:4326")
    out = _features.display_geometries(big.values, window=(0.0, 0.0, 5.0, 5.0))
    x0, y0, x1, y1 = out[0].bounds
    assert (x0, y0) == (0.0, 0.0)
    assert x1 <= 5.0 and y1 <= 5.0


def test_highlight_frame_joins_segments_and_rejects_unknown(tiny):
    frame = layers.highlight_frame(tiny["segments"], ["w-m", "m-e"], name="West to East")
    assert frame["name"].tolist() == ["West to East"]
    assert frame.geometry.iloc[0].equals(tiny["segments"].geometry.union_all())
    with pytest.raises(KeyError, match=r"unknown segment ids \['nope'\]"):
        layers.highlight_frame(tiny["segments"], ["w-m", "nope"], name="x")


# ---------------------------------------------------------------------------------------------
# Places and claims


def test_places_and_crossings_split_by_kind(tiny_data):
    from helpers import tiny_world, write_data

    world = tiny_world()
    world["places"].append({"id": "post", "name_en": "Post", "kind": "border_crossing",
                            "lon": 1.0, "lat": 0.5, "country": "AAA", "source": "t",
                            "as_of": "2026"})
    places = geo.load_places(write_data(tiny_data.parent / "with_post", world))
    circles, _ = _layer_data(layers.places_layer(places))
    diamonds, _ = _layer_data(layers.crossings_layer(places))
    assert sorted(f["properties"]["i"] for f in circles) == ["east", "mid", "west"]
    assert [f["properties"]["i"] for f in diamonds] == ["post"]


def test_claim_markers_by_kind_and_verdict_with_full_popup():
    feats, _ = _layer_data(layers.claims_layer(tiny_claims()))
    assert [f["properties"]["i"] for f in feats] == ["t-01", "t-02"]  # t-03 has no location
    first = feats[0]["properties"]
    assert style.VERDICT_COLORS["consistent"] in first["k"]
    assert f">{style.CLAIM_KIND_SYMBOLS['territorial']}<" in first["k"]
    for text in ("Mid lies in Bland.", "the author", style.VERDICT_LABELS["consistent"],
                 "Mid is 0 km from Bland.", "Tiny Times"):
        assert text in first["p"]
    # two claims at one point: spread apart when the cluster plugin is missing
    offsets = {(f["properties"]["dx"], f["properties"]["dy"]) for f in feats}
    assert len(offsets) == 2


def test_hostile_claim_text_is_escaped_everywhere():
    claims = tiny_claims(HOSTILE)
    layer = layers.claims_layer(claims)
    popup_html = _layer_data(layer)[0][0]["properties"]["p"]
    assert "<img" not in popup_html and "&lt;img" in popup_html
    m = layers.build_map(borders=gpd.GeoDataFrame(geometry=[Point(0, 0).buffer(1)],
                                                   index=["AAA"], crs="EPSG:4326").assign(name="A"),
                         claims=claims)
    page = layers.to_html(m)
    assert "<img src=x" not in page
    assert "</script><img" not in page


def test_open_claim_script_opens_the_popup_without_zooming():
    groups = layers.overlay_groups(claims=tiny_claims(), open_claim="t-02")
    m = layers.build_map(borders=gpd.GeoDataFrame({"name": ["A"]}, geometry=[Point(0, 0).buffer(1)],
                                                   index=["AAA"], crs="EPSG:4326"),
                         claims=tiny_claims(), open_claim="t-02", layer_control=False)
    page = layers.to_html(m)
    assert [g.layer_name for g in groups] == ["Claims", "Chosen claim"]
    assert 'reg["t-02"]' in page and "openPopup()" in page
    script = layers.open_claim_script("t-02").raw
    assert "setView" not in script and "setZoom" not in script and "flyTo" not in script
    assert '"autoPan":true' in page and '"keepInView":true' in page


def test_claims_located_only_to_a_country_are_counted_not_drawn(tiny):
    claims = tiny_claims().assign(located_by=["place", "country", "none"])
    feats, _ = _layer_data(layers.claims_layer(claims))
    assert [f["properties"]["i"] for f in feats] == ["t-01"]
    assert layers.located_on_map(claims).tolist() == [True, False, False]
    assert layers.country_claims(claims, tiny["borders"]).tolist() == [None, "BBB", None]
    badges, _ = _layer_data(layers.country_claims_layer(claims, tiny["borders"]))
    (badge,) = badges
    assert badge["properties"]["i"] == "BBB" and "Bland · 1" in badge["properties"]["k"]
    assert badge["properties"]["t"].startswith("BBB · 1 claim(s)")
    assert "t-02" in badge["properties"]["p"] and "t-01" not in badge["properties"]["p"]
    x, y = badge["geometry"]["coordinates"]
    assert 1 < x < 2 and 0 < y < 1  # inside Bland
    groups = layers.overlay_groups(claims=claims, borders=tiny["borders"], show={"claims"})
    drawn = [c for c in groups[0]._children.values() if hasattr(c, "n_features")]
    assert len(drawn) == 2  # the markers and the country badges, in one group
    # the group says which layer it is, for the app's map (layers.visibility)
    page = groups[0].add_to(folium.Map(tiles=None)).get_root().render()
    assert "(window.__ceGroups = window.__ceGroups || {})[\"claims\"]" in page


def test_claim_markers_cluster_with_the_plugin_and_spread_without_it():
    layer = layers.claims_layer(tiny_claims())
    html = layer._template.module.script(layer)
    assert "L.markerClusterGroup" in html and "spiderfy()" in html
    assert '"zoomToBoundsOnClick":false' in html  # a click spreads, never zooms
    assert "window[\"__ceClaims\"]" in html or 'window["__ceClaims"]' in html


def test_overlay_groups_reject_unknown_layer_names():
    with pytest.raises(ValueError, match=r"unknown layer\(s\) \['roads'\]"):
        layers.overlay_groups(show={"roads"})


def test_overlay_groups_only_build_shown_layers(tiny):
    groups = layers.overlay_groups(segments=tiny["segments"], places=tiny["places"],
                                   show={"corridors"})
    assert [g.layer_name for g in groups] == ["Corridors"]


# ---------------------------------------------------------------------------------------------
# Legend, basemap, assets


def test_legend_explains_exactly_the_styles_in_use(tiny):
    html = layers.legend_for(segments=tiny["segments"], places=tiny["places"],
                             claims=tiny_claims(), gauge_breaks=geo.gauge_break_places(
                                 tiny["segments"], tiny["places"]))
    for word in ("rail", style.STATUS_LABELS["operational"], style.STATUS_LABELS["planned"],
                 "gauge break", style.VERDICT_LABELS["inconsistent"], "territorial"):
        assert word in html
    assert ">road<" not in html and "under construction" not in html
    assert f'stroke-dasharray="{style.STATUS_DASH["planned"]}"' in html


def test_map_uses_no_cdn_and_inlines_leaflet(tiny):
    m = layers.build_map(borders=tiny["borders"], segments=tiny["segments"], places=tiny["places"])
    page = layers.to_html(m)
    assert not re.search(r"""<script[^>]*\bsrc=""", page)
    assert not re.search(r"""<link[^>]*\bhref=["']?(https?:)?//""", page)
    assert not re.search(r"jsdelivr|cdnjs|bootstrapcdn|code\.jquery|unpkg", page)
    assert "L.map(" in page and "Leaflet" in page  # the library itself is inline


def test_served_assets_replace_every_folium_default(tiny):
    assets = layers.served_assets("../../app/static/leaflet",
                                  plugin_urls=["mc/plugin.js", "mc/plugin.css"])
    m = layers.base_map(borders=tiny["borders"], assets=assets)
    assert m.default_js == [("ce_js_0", "../../app/static/leaflet/leaflet.js"),
                            ("ce_js_1", "mc/plugin.js")]
    assert m.default_css == [("ce_css_0", "../../app/static/leaflet/leaflet.css"),
                             ("ce_css_1", "mc/plugin.css")]


def test_a_linked_script_with_inline_style_puts_the_style_in_the_header(tiny):
    assets = layers.Assets(js_urls=("static/leaflet/leaflet-bundle.js",),
                           inline_css=".leaflet-pane { z-index: 400 } </style><b>")
    m = layers.base_map(borders=tiny["borders"], assets=assets)
    assert m.default_js == [("ce_js_0", "static/leaflet/leaflet-bundle.js")]
    assert m.default_css == []
    header = m.get_root().header.render()
    assert "<style>.leaflet-pane { z-index: 400 } <\\/style><b></style>" in header


def test_the_bundle_runs_leaflet_then_every_plugin(tmp_path):
    from geo import webassets

    bundle = webassets.write_bundle(tmp_path)
    text = bundle.read_text(encoding="utf-8")
    at = [text.index(js[:200]) for js in
          [webassets.leaflet_js_text(), *(js for js, _ in webassets.all_plugin_texts())]]
    assert at == sorted(at) and at[0] == 0  # Leaflet first: the plugins extend it
    assert "sourceMappingURL" not in text
    stamp = bundle.stat().st_mtime_ns
    webassets.write_bundle(tmp_path)  # unchanged: left alone
    assert bundle.stat().st_mtime_ns == stamp
    bundle.write_text("stale", encoding="utf-8")
    assert webassets.write_bundle(tmp_path).read_text(encoding="utf-8") == text


def test_the_view_is_set_before_any_vector_layer_is_drawn(tiny):
    m = layers.base_map(borders=tiny["borders"], nakhchivan=tiny.get("nakhchivan"))
    script = m.get_root().render()
    fit = re.search(r"\.fitBounds\(\[\[[-\d., \[\]]+\]\], \{animate: false\}\);", script).start()
    first_data = script.index("_features.addData(")
    assert fit < first_data  # each path is projected and clipped once, at the fitted view


def test_tiles_need_attribution_and_fall_back_to_vector(tiny):
    with pytest.raises(ValueError, match="attribution is required"):
        layers.tile_layer("https://tiles.example/{z}/{x}/{y}.png", attribution=" ")
    m = layers.base_map(borders=tiny["borders"],
                        tiles=("https://tiles.example/{z}/{x}/{y}.png", "© Example"))
    page = layers.to_html(m)
    assert "tileerror" in page and "offline vector basemap" in page
    assert '"attribution": "\\u00a9 Example"' in page


def test_without_world_basemap_the_borders_are_filled_as_land(tiny):
    m = layers.base_map(borders=tiny["borders"])
    fills = [json.loads(child.styles_js)[0].get("fillOpacity")
             for child in m._children.values() if isinstance(child, _features.FeatureLayer)]
    assert fills == [1.0, 0.0]  # land fill in the basemap pane, then outlines


def test_copy_leaflet_is_complete_and_idempotent(tmp_path):
    from geo import webassets

    dest = webassets.copy_leaflet(tmp_path / "leaflet")
    shipped = (webassets.leaflet_dir() / "leaflet.js").read_bytes()
    assert (dest / "leaflet.js").read_bytes() == shipped
    assert (dest / "images" / "layers.png").is_file()
    stamp = (dest / "leaflet.js").stat().st_mtime_ns
    webassets.copy_leaflet(dest)
    assert (dest / "leaflet.js").stat().st_mtime_ns == stamp


def test_inline_css_has_images_as_data_uris():
    from geo import webassets

    css = webassets.leaflet_css_text(inline_images=True)
    assert "url(images/" not in css
    assert "data:image/png;base64," in css


def test_layers_import_no_streamlit():
    code = "import sys, layers; print(any(m.split('.')[0] == 'streamlit' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == "False"


def test_ring_offsets_spread_only_duplicates():
    offsets = _features.ring_offsets(["a", "b", "b", "b"])
    assert offsets[0] == (0, 0)
    assert len(set(offsets[1:])) == 3


# ---------------------------------------------------------------------------------------------
# Shipped data


@pytest.fixture(scope="module")
def shipped():
    if not (SHIPPED_DATA / "segments.geojson").exists():
        pytest.skip("shipped segments not present yet")
    return {
        "borders": geo.load_borders(SHIPPED_DATA),
        "nakhchivan": geo.load_nakhchivan(SHIPPED_DATA),
        "water": geo.load_water(SHIPPED_DATA),
        "basemap": geo.load_basemap(SHIPPED_DATA),
        "segments": geo.load_segments(SHIPPED_DATA),
        "places": geo.load_places(SHIPPED_DATA),
    }


def test_shipped_map_draws_every_segment_and_place(shipped):
    segs, _ = _layer_data(layers.corridor_layer(shipped["segments"]))
    assert len(segs) == len(shipped["segments"])
    pts, _ = _layer_data(layers.places_layer(shipped["places"]))
    posts, _ = _layer_data(layers.crossings_layer(shipped["places"]))
    assert len(pts) + len(posts) == len(shipped["places"])


def test_shipped_default_view_payload_is_small(shipped):
    m = layers.build_map(**shipped, assets=layers.served_assets("leaflet"))
    page = m.get_root().render()
    assert len(page.encode("utf-8")) <= 1_500_000


def test_shipped_display_borders_stay_close_to_full_resolution(shipped):
    """Simplification is for the screen: each displayed outline stays within 0.03 degrees."""
    borders = shipped["borders"].loc[["ARM", "AZE", "GEO"]]
    shown = _features.display_geometries(borders.geometry.values, tolerance=0.015, precision=3)
    for full, screen in zip(borders.geometry, shown, strict=True):
        assert full.hausdorff_distance(screen) < 0.03


def test_layers_carry_their_attribution(tiny):
    page = layers.to_html(layers.build_map(borders=tiny["borders"], segments=tiny["segments"]))
    assert style.ATTRIBUTION_NE.split(" (")[0] in page
    assert "Corridor Explorer curated data" in page


def test_display_polygons_stay_valid_after_rounding():
    """A thin spike that plain rounding would fold over itself stays a valid polygon."""
    from shapely.geometry import Polygon

    spike = Polygon([(0, 0), (1, 0), (1, 0.004), (0.5, 0.001), (0.5, 0.006), (0, 0.004)])
    (shown,) = _features.display_geometries([spike], precision=2)
    assert shown is None or shown.is_valid


def test_shipped_display_basemap_is_valid(shipped):
    land, _ = _layer_data(layers.land_layer(shipped["basemap"]))
    from shapely.geometry import shape

    assert all(shape(f["geometry"]).is_valid for f in land)


def test_shipped_land_is_drawn_everywhere_a_map_can_show(shipped):
    from shapely.geometry import shape

    land, _ = _layer_data(layers.land_layer(shipped["basemap"]))
    drawn = [shape(f["geometry"]) for f in land]
    cities = {"Paris": (2.35, 48.86), "Madrid": (-3.70, 40.42), "Moscow": (37.62, 55.75),
              "Mumbai": (72.88, 19.08), "Beijing": (116.4, 39.9), "Baku": (49.87, 40.41),
              "Denver": (-104.99, 39.74)}
    for city, (lon, lat) in cities.items():
        assert any(g.contains(Point(lon, lat)) for g in drawn), f"{city} is drawn as sea"
    assert sum(len(json.dumps(f)) for f in land) < 250_000  # the world stays light to send


def _lab(color: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB hex colour."""
    r, g, b = (int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _distance(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def test_highlight_colours_differ_from_every_mode_verdict_and_area_colour():
    others = [*style.MODE_COLORS.values(), *style.VERDICT_COLORS.values(),
              style.NAKHCHIVAN_FILL, style.BORDER_COLOR, style.LAND_FILL, style.WATER_FILL]
    for color in style.ROUTE_HIGHLIGHTS:
        nearest = min(_distance(color, other) for other in others)
        assert nearest >= 30, f"highlight {color} is too close to a map colour ({nearest:.0f})"
    pairs = [(a, b) for i, a in enumerate(style.ROUTE_HIGHLIGHTS)
             for b in style.ROUTE_HIGHLIGHTS[i + 1:]]
    assert all(_distance(a, b) >= 30 for a, b in pairs)


def test_highlighted_routes_use_the_highlight_colours_and_have_a_legend_entry(tiny):
    frame = layers.highlight_frame(tiny["segments"], ["w-m"], name="West leg")
    _, styles = _layer_data(layers.highlight_layer(frame))
    assert styles[0]["color"] == style.ROUTE_HIGHLIGHTS[0]
    named = layers.legend_for(highlight=frame)
    assert "Highlighted routes" in named and "West leg" in named
    assert style.ROUTE_HIGHLIGHTS[0] in named
    # the app's legend keeps a place for the routes the user picks; the map writes their
    # names there (never "chosen route 1")
    generic = layers.legend_for(segments=tiny["segments"], highlight_entry=True)
    assert "Highlighted routes" in generic and "data-ce-routes" in generic
    assert "chosen route" not in generic


def test_legend_scrolls_inside_itself_and_folds():
    assert "overflow-y: auto" in layers.legend.MAP_CSS and "overscroll-behavior: contain" in (
        layers.legend.MAP_CSS)
    html = layers.legend_html()
    assert html.startswith("<details open><summary>")
    script = layers.legend_control(html).raw
    assert "disableScrollPropagation" in script


def test_the_map_fits_its_box_without_an_animated_zoom(tiny):
    m = layers.base_map(borders=tiny["borders"], bounds=((0.0, 0.0), (1.0, 3.0)))
    page = layers.to_html(m)
    assert "fitBounds([[0.0,0.0],[1.0,3.0]], {animate: false})" in page
    assert not re.search(r"fitBounds\(\s*\[\[[^\]]*\][^)]*\{\s*\}\s*\)", page)  # folium's
    assert m.location == [0.5, 1.5]  # it opens near the box, not at zoom 1 on (0, 0)
