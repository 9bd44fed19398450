"""The map of what changed between two states (layers/changes.py), rendered and read back."""

from __future__ import annotations

import html
import json

import geopandas as gpd
import pytest
from shapely.geometry import LineString

import geo
import layers
from geo import style
from layers.changes import CHANGE_COLORS, STATE_STYLES

HOSTILE = '</script><img src=x onerror="window.__pwned=1">`${x}` {{ 7*7 }} \\1'


def _decoded(layer) -> tuple[list[dict], list[dict]]:
    """(features, styles) the layer sends to the browser."""
    return json.loads(layer.data_js)["features"], json.loads(layer.styles_js)


def changes_frame(name: str = "Rasht–Astara", source: str = "IRNA 2025") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"segment": ["s1", "s2"], "name": [name, "Julfa–Jolfa"], "mode": ["rail", "rail"],
         "status_a": ["planned", "disrupted"], "status_b": ["operational", "closed"],
         "basis_b": ["scenario opening 2028-06", "closure 2026 (happened)"],
         "date": ["2028-06", "2026"], "source": [source, "a decree"]},
        geometry=[LineString([(0, 0), (1, 0)]), LineString([(1, 0), (2, 0)])],
        crs="EPSG:4326").set_index("segment", drop=False)


def routes_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"state": ["A", "B"], "label": ["as of 2025-02-28", "as of 2028-12-31 (projected)"]},
        geometry=[LineString([(0, 0), (1, 0)]), LineString([(0, 0), (2, 0)])], crs="EPSG:4326")


def test_tooltips_and_popups_escape_hostile_text():
    layer = layers.changes_layer(changes_frame(name=HOSTILE, source=HOSTILE))
    features, _ = _decoded(layer)
    tip, pop = features[0]["properties"]["t"], features[0]["properties"]["p"]
    for markup in (tip, pop):
        assert "<img" not in markup and "</script" not in markup
        assert "`" not in markup and "${" not in markup and "{{" not in markup
    # a browser shows exactly the text
    assert html.unescape(tip) == f"{HOSTILE}: planned → operational, 2028-06, {HOSTILE}"
    assert html.unescape(pop).count(HOSTILE) == 2  # title and source
    routes = routes_frame().assign(label=[HOSTILE, "b"])
    tips = [f["properties"]["t"] for f in _decoded(layers.state_routes_layer(routes))[0]]
    assert html.unescape(tips[1]) == f"State A: {HOSTILE}" and "<img" not in tips[1]


def test_a_whole_map_with_hostile_text_holds_no_markup_of_it(tiny_data):
    group = layers.change_groups(changes=changes_frame(name=HOSTILE),
                                 routes=routes_frame().assign(label=[HOSTILE, "b"]),
                                 labels={"A": HOSTILE, "B": "b"})
    m = layers.base_map(borders=geo.load_borders(tiny_data), legend=None)
    for g in group:
        g.add_to(m)
    page = layers.to_html(m)
    assert "window.__pwned" in page  # the text is there ...
    assert HOSTILE not in page and '<img src=x onerror="window' not in page  # ... never as markup
    assert "49" not in page.split("window.__pwned")[1][:80]  # {{ 7*7 }} was not evaluated


def test_changed_segments_are_coloured_and_dashed_by_their_state_b_status():
    features, styles = _decoded(layers.changes_layer(changes_frame()))
    by_id = {f["properties"]["i"]: styles[f["properties"]["s"]] for f in features}
    assert by_id["s1"]["color"] == CHANGE_COLORS["operational"]
    assert "dashArray" not in by_id["s1"]  # operational: solid
    assert by_id["s2"]["color"] == CHANGE_COLORS["closed"]
    assert by_id["s2"]["dashArray"] == style.STATUS_DASH["closed"]


def test_state_b_is_drawn_first_solid_and_state_a_dashed_on_top():
    features, styles = _decoded(layers.state_routes_layer(routes_frame()))
    drawn = [(f["properties"]["t"].split(":")[0], styles[f["properties"]["s"]]) for f in features]
    assert [d[0] for d in drawn] == ["State B", "State A"]
    assert "dashArray" not in drawn[0][1] and drawn[0][1]["weight"] > drawn[1][1]["weight"]
    assert drawn[1][1]["dashArray"] == STATE_STYLES["A"]["dashArray"]
    with pytest.raises(ValueError, match=r"unknown state\(s\) \['C'\]"):
        layers.state_routes_layer(routes_frame().assign(state=["A", "C"]))


def test_the_group_has_its_legend_which_leaves_with_it():
    [group] = layers.change_groups(changes=changes_frame(), routes=routes_frame(),
                                   context=changes_frame().assign(status="operational"),
                                   labels={"A": "as of 2025-02-28", "B": "as of 2028-12-31"})
    m = layers.base_map(borders=gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), legend=None)
    group.add_to(m)
    page = m.get_root().render()
    assert "g.on('remove', function(){ c.remove(); })" in page
    assert ".ce-legend:not(.ce-change-legend) details" in page  # the general legend folds
    legend = layers.change_legend_html(statuses=["closed", "operational"],
                                       labels={"A": "as of 2025-02-28"}, context=True)
    text = html.unescape(legend)
    assert text.index("operational") < text.index("closed")  # the vocabulary's order
    assert "A: as of 2025-02-28" in text and "status unchanged" in text
    assert "State B" not in text and "B:" not in text  # no route B given
    # the three layers, in drawing order: context, routes, changes
    names = [child.layer_name for child in group._children.values() if hasattr(child, "data_js")]
    assert names == ["Rest of the network", "Route in each state", "Status changed"]
