"""Shared border lengths, the Nakhchivan exclave and territorial units."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Polygon, box

import geo
from geo.borders import shared_border_km
from geo.measure import distance_km


def test_shared_border_of_two_squares_is_the_common_edge():
    a, b = box(0, 0, 1, 1), box(1, 0, 2, 1)
    expected = distance_km(1, 0, 1, 1)
    assert shared_border_km(a, b) == pytest.approx(expected, rel=1e-3)


def test_shared_border_when_vertices_do_not_coincide():
    # B's edge along x=1 has vertices A lacks, and they sit up to 5e-6 degrees (50 cm) off it.
    a = box(0, 0, 1, 1)
    b = Polygon([(1.000005, 0), (2, 0), (2, 1), (1.000005, 1), (1.000005, 0.7), (0.999995, 0.5), (1.000005, 0.3)])
    expected = distance_km(1, 0, 1, 1)
    assert shared_border_km(a, b) == pytest.approx(expected, rel=1e-4)


def test_shared_border_partial_edge():
    a, b = box(0, 0, 1, 1), box(1, 0.25, 2, 0.75)
    assert shared_border_km(a, b) == pytest.approx(distance_km(1, 0.25, 1, 0.75), rel=1e-3)


def test_no_border_between_separate_squares():
    assert shared_border_km(box(0, 0, 1, 1), box(3, 0, 4, 1)) == 0.0


def test_shared_borders_table(tiny_data):
    table = geo.shared_borders(geo.load_borders(tiny_data))
    assert table[["a", "b"]].values.tolist() == [["AAA", "BBB"], ["BBB", "CCC"]]
    assert table["length_km"].tolist() == pytest.approx([distance_km(1, 0, 1, 1)] * 2, abs=0.05)


def test_nakhchivan_is_derived_from_azerbaijan():
    nx = geo.load_nakhchivan()
    borders = geo.load_borders()
    exclave = nx.geometry.iloc[0]
    aze = borders.geometry.loc["AZE"]
    assert nx.index.tolist() == ["AZE-NX"]
    assert exclave.within(aze.buffer(1e-9))
    # The exclave is the part of Azerbaijan that touches Turkey and not the mainland.
    mainland = max(aze.geoms, key=lambda g: g.area)
    assert not exclave.intersects(mainland)
    assert shared_border_km(exclave, borders.geometry.loc["TUR"]) > 1
    assert shared_border_km(exclave, borders.geometry.loc["IRN"]) > 50
    assert shared_border_km(exclave, borders.geometry.loc["ARM"]) > 50
    assert "derived" in nx["source"].iloc[0]


def test_territories_split_azerbaijan_without_losing_area():
    terr = geo.load_territories()
    aze = geo.load_borders().geometry.loc["AZE"]
    parts = shapely.union_all([terr.geometry.loc["AZE"], terr.geometry.loc["AZE-NX"]])
    assert parts.symmetric_difference(aze).area < 1e-9
    assert terr.loc["AZE-NX", "iso3"] == "AZE"


def test_every_border_feature_has_provenance():
    borders = geo.load_borders()
    assert borders["source"].str.contains("Natural Earth").all()
    assert borders["as_of"].str.match(r"\d{4}-\d\d-\d\d").all()
    assert borders["accuracy"].str.len().gt(10).all()
