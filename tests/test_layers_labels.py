"""Labels and the search box on the interactive map (layers.labels, layers.search), rendered."""

from __future__ import annotations

import json
import re

import pytest
from helpers import exclave_world, write_world

import geo
import layers

HOSTILE = '<img src=x onerror="window.__pwned=1"> & </script><script>window.__pwned=2</script>'


@pytest.fixture
def exclave(tmp_path):
    world = exclave_world()
    world["routes"][0]["names"] = [
        {"name": "Corridor", "lang": "en", "used_by": "Government of Azerbaijan"},
        {"name": "Peace Road", "lang": "en", "used_by": "Government of Armenia"},
        {"name": "Коридор", "lang": "ru", "used_by": "Russian-language media"}]
    return write_world(tmp_path / "x", world)


def rendered_rows(html: str, marker: str) -> list:
    """The JSON array that follows ``marker`` in the page's script."""
    start = html.index(marker) + len(marker)
    return json.JSONDecoder().raw_decode(html[start:].lstrip())[0]


def test_every_map_labels_countries_nakhchivan_places_and_routes(exclave):
    frames = geo.map_frames(data_dir=exclave)
    bounds = frames.pop("bounds")
    html = layers.to_html(layers.build_map(**frames, bounds=bounds))
    rows = rendered_rows(html, "labelData = ")
    texts = {r[2]: r for r in rows}
    assert {"Azerbaijan", "Armenia", "Iran", "Nakhchivan (AZE)", "Capital"} <= set(texts)
    assert texts["Corridor (Azerbaijan)\nPeace Road (Armenia)"][3] == "route"
    assert rows[0][2] == "Nakhchivan (AZE)"  # the exclave's name wins any overlap
    lat, lon = texts["Capital"][:2]
    assert (lat, lon) == (0.5, 1.0) and texts["Capital"][6] == 1  # beside its point
    # countries from far out, more places as one zooms in
    assert texts["Iran"][4] < texts["Capital"][4] < texts["South-A"][4]


def test_the_app_base_map_labels_what_it_is_given(exclave):
    names = geo.map_labels(places=geo.load_places(exclave), routes=geo.load_routes(exclave),
                           segments=geo.load_segments(exclave))
    m = layers.base_map(borders=geo.load_borders(exclave), labels=names)
    rows = rendered_rows(m.get_root().render(), "labelData = ")
    assert {"Capital", "South-B", "Iran"} <= {r[2] for r in rows}
    bare = layers.base_map(borders=geo.load_borders(exclave))
    assert {r[2] for r in rendered_rows(bare.get_root().render(), "labelData = ")} == {
        "Azerbaijan", "Armenia", "Iran"}


def test_label_and_search_text_is_escaped(tmp_path):
    world = exclave_world()
    world["places"][0]["name_en"] = HOSTILE
    world["routes"][0]["name"] = "{{ 7*7 }} `${x}` " + HOSTILE
    folder = write_world(tmp_path / "h", world)
    frames = geo.map_frames(data_dir=folder)
    bounds = frames.pop("bounds")
    html = layers.to_html(layers.build_map(**frames, bounds=bounds))
    assert "<img src=x" not in html and "</script><script>window" not in html
    assert "{{ 7*7 }}" not in html and "`${x}`" not in html
    labels = rendered_rows(html, "labelData = ")
    assert geo.escape_html(HOSTILE) in {r[2] for r in labels}
    found = rendered_rows(html, "searchRows = ")
    assert geo.escape_html(HOSTILE) in {r[0] for r in found}
    # the keys a query is matched against hold only letters, digits and spaces
    assert all(re.fullmatch(r"[\w ]*", r[4]) for r in found)


def test_the_search_box_holds_every_name_and_how_to_fold_a_query(exclave):
    index = geo.search_index(exclave)
    control = layers.search_control(index)
    rows = json.loads(control.rows_js)
    assert len(rows) == len(index)
    capital = [r for r in rows if r[2] == "capital" and r[0] == "Столица"]
    assert capital and capital[0][4] == "stolitsa"  # the Russian name, folded to Latin
    table = json.loads(control.table_js)
    assert table["С"] == "s" and table["ç"] == "c"  # letters of the names, either case
    html = layers.to_html(layers.build_map(borders=geo.load_borders(exclave), search=index))
    assert html.count('aria-label", "Search the map"') == 1
    assert "Search the map" not in layers.to_html(layers.build_map(
        borders=geo.load_borders(exclave)))
