"""Time and cost as ranges: range arithmetic, the assumptions file, estimates of legs and events
and the time/cost-distance band. Every expected figure is worked out by hand from the hand-made
assumptions of ``helpers.ranged_assumptions``."""

from __future__ import annotations

import pytest
import yaml
from helpers import (
    META,
    assumption_entry,
    equator_world,
    km,
    place,
    ranged_assumptions,
    seg,
    with_meta,
    write_world,
)

import geo
from geo.assumptions import read_assumptions
from geo.ranges import ZERO, Range
from geo.timecost import components, double_counted, path_events

# ---------------------------------------------------------------------------------------------
# Range arithmetic


def test_ranges_add_bound_to_bound_and_scale():
    total = Range(1, 2, 4) + Range(10, 20, 40)
    assert total == Range(11, 22, 44)
    assert Range(1, 2, 4) * 3 == Range(3, 6, 12) == 3 * Range(1, 2, 4)
    assert sum([Range(1, 2, 3), Range(1, 1, 1)], ZERO) == Range(2, 3, 4)
    assert Range.point(5) == Range(5, 5, 5)
    assert total.bounds() == [11, 44]
    assert total.contains(11) and total.contains(44) and not total.contains(44.5)


def test_reciprocal_of_speeds_swaps_the_ends():
    hours_per_km = Range(40, 50, 100).reciprocal()
    assert hours_per_km == Range(1 / 100, 1 / 50, 1 / 40)
    assert (hours_per_km * 200).bounds() == pytest.approx([2.0, 5.0])


def test_ranges_refuse_what_has_no_meaning():
    with pytest.raises(ValueError, match="low <= central <= high"):
        Range(3, 2, 4)
    with pytest.raises(ValueError, match=">= 0"):
        Range(1, 2, 3) * -1
    with pytest.raises(ValueError, match="positive"):
        Range(0, 1, 2).reciprocal()


# ---------------------------------------------------------------------------------------------
# A hand-made assumptions file with ranges


@pytest.fixture
def ranged(tmp_path):
    return write_world(tmp_path / "eq", equator_world(), assumptions=ranged_assumptions())


def test_route_estimate_is_a_range_summed_per_country(ranged):
    m = geo.route_metrics("w-e", ranged)
    a, b, c = km(0.2, 0, 1, 0), km(1, 0, 2, 0), km(2, 0, 2.7, 0)  # AAA, BBB, CCC
    assert m["est_time_h"] == pytest.approx(a / 50 + b / 25 + c / 50 + 2 * 10 + 4)
    assert m["est_time_h_range"] == pytest.approx([a / 100 + b / 50 + c / 100 + 2 * 5 + 2,
                                                   a / 40 + b / 20 + c / 40 + 2 * 20 + 8])
    assert m["est_cost_usd"] == pytest.approx(2 * (a + b + c) + 2 * 200 + 50)
    assert m["est_cost_usd_range"] == pytest.approx([(a + b + c) + 2 * 100 + 10,
                                                     3 * (a + b + c) + 2 * 300 + 60])
    assert m["est_cost_unit"] == "USD per TEU"
    assert "0 unsourced" not in m["est_basis"] and "low and high" in m["est_basis"]
    assert "speed_kmh.rail.BBB" in m["assumptions_used"]
    assert [e["kind"] for e in m["events"]] == ["border_crossing", "gauge_break", "train_formation",
                                                "border_crossing"]
    assert [e["variant"] for e in m["events"]] == ["rail", None, None, "rail"]


def test_series_carries_the_band_and_ends_at_the_estimate(ranged):
    m = geo.route_metrics("w-e", ranged)
    series = geo.time_cost_series(m)
    assert (series["hours_low"] <= series["hours"]).all() and (series["hours"] <= series["hours_high"]).all()
    for col in ("hours", "hours_low", "hours_high", "cost_usd_low"):
        assert series[col].is_monotonic_increasing
    last = series.iloc[-1]
    assert [last["hours_low"], last["hours_high"]] == pytest.approx(m["est_time_h_range"])
    assert [last["cost_usd_low"], last["cost_usd_high"]] == pytest.approx(m["est_cost_usd_range"])
    step = series.index[series["event"] == "gauge_break"][0]
    assert series.at[step, "hours_high"] - series.at[step - 1, "hours_high"] == pytest.approx(8)
    assert series.at[step, "hours_low"] - series.at[step - 1, "hours_low"] == pytest.approx(2)


def water_world() -> dict:
    """Rail to a port in AAA, then a ferry across open water to a port in BBB."""
    return with_meta({
        "borders": [{"iso3": "AAA", "name": "Aland", "geometry": {"type": "Polygon", "coordinates": [
                        [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
                    {"iso3": "BBB", "name": "Bland", "geometry": {"type": "Polygon", "coordinates": [
                        [[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]]]}}],
        "places": [place("inland-a", 0.5, 0.5, "AAA"), place("port-a", 0.995, 0.5, "AAA", kind="port"),
                   place("port-b", 2.005, 0.5, "BBB", kind="port")],
        "segments": [seg("rail-a", "inland-a", "port-a", [[0.5, 0.5], [0.995, 0.5]]),
                     seg("ferry", "port-a", "port-b", [[0.995, 0.5], [2.005, 0.5]], mode="ferry")],
        "routes": [{"id": "cross", "name": "Across", "origin": "inland-a", "destination": "port-b",
                    "segments": ["rail-a", "ferry"], **META}],
    })


def test_water_events_port_dwell_wait_and_call_but_no_sea_border_dwell(tmp_path):
    data = write_world(tmp_path / "w", water_world(), assumptions=ranged_assumptions())
    m = geo.route_metrics("cross", data)
    kinds = [(e["kind"], e["variant"], e["place_id"]) for e in m["events"]]
    assert kinds == [("transshipment", "port", "port-a"), ("ferry_wait", None, "port-a"),
                     ("port_call", None, "port-b"), ("border_crossing", "sea", "port-b"),
                     ("transshipment", "port", "port-b")]
    border = m["events"][-2]
    assert border["dwell_h"] == 0 and "clears customs where it is discharged" in border["note"]
    rail, ferry = (leg["km1"] - leg["km0"] for leg in m["legs"])
    # a transshipment (10 h) from rail to the ferry and its discharge at the port of arrival
    assert m["est_time_h"] == pytest.approx(rail / 50 + ferry / 10 + 10 + 20 + 3 + 10)
    assert "port_call" in geo.time_cost_series(m)["event"].tolist()


def test_a_change_between_rail_and_road_is_a_terminal_transshipment():
    legs = [{"mode": "rail", "km0": 0.0, "km1": 10.0, "from": "a", "to": "b"},
            {"mode": "road", "km0": 10.0, "km1": 25.0, "from": "b", "to": "c"}]
    crossings = [{"from_unit": "AAA", "to_unit": "BBB", "place_id": None, "via": "land",
                  "km_from_start": 20.0}]
    moves = [{"place_id": "b", "from_mode": "rail", "to_mode": "road", "km_from_start": 10.0}]
    events = path_events(legs, crossings, [], moves)
    assert [(e["kind"], e["variant"]) for e in events] == [("transshipment", "terminal"),
                                                           ("border_crossing", "road")]


def test_missing_event_figures_are_named_not_guessed(tmp_path):
    doc = ranged_assumptions()
    del doc["dwell_h"]["gauge_break"]
    m = geo.route_metrics("w-e", write_world(tmp_path / "g", equator_world(), assumptions=doc))
    assert "no dwell_h assumed for gauge_break: not counted" in m["unknowns"]


# ---------------------------------------------------------------------------------------------
# The assumptions file


def test_every_problem_of_an_assumptions_file_is_listed(tmp_path):
    doc = ranged_assumptions()
    doc["cost_per"] = "pallet"
    doc["speed_kmh"]["rail"]["default"]["low"] = 60
    doc["speed_kmh"]["rail"]["countries"]["Iran"] = doc["speed_kmh"]["rail"]["countries"].pop("BBB")
    for name in ("url", "date", "measured"):
        doc["speed_kmh"]["sea"]["default"].pop(name)
    doc["dwell_h"]["border_crossing"]["boat"] = assumption_entry(1, 1, 1)
    doc["cost_usd"]["gauge_break"] = {"value": 5, "unit": "USD", "source": "old"}
    path = tmp_path / "assumptions.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(geo.DataValidationError) as err:
        read_assumptions(path)
    text = str(err.value)
    assert text.startswith("8 problem(s)")
    for part in ["field 'cost_per' = 'pallet'",
                 "'speed_kmh.rail.default', field 'low/central/high' = (60, 50, 100): must be in order",
                 "field 'country' = 'Iran': must be an ISO3 code",
                 "'speed_kmh.sea.default', field 'url' = None: is required and missing (basis 'published')",
                 "'speed_kmh.sea.default', field 'date'", "'speed_kmh.sea.default', field 'measured'",
                 "'dwell_h.border_crossing', field 'variant' = 'boat'",
                 "'cost_usd.gauge_break', field 'value' = 5: is the old single-value format"]:
        assert part in text
    assert str(path) in text


def test_an_unsourced_entry_needs_no_url_but_says_why_it_applies(tmp_path):
    doc = ranged_assumptions()
    doc["dwell_h"]["port_call"] = {"low": 1, "central": 1, "high": 1, "unit": "h",
                                   "basis": "unsourced", "source": "working assumption",
                                   "applies": "nothing was published"}
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(doc))
    a = read_assumptions(path)
    assert a.entries["dwell_h.port_call"].url == ()
    assert a.bases()["unsourced"] == 1
    del doc["dwell_h"]["port_call"]["applies"]
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(geo.DataValidationError, match="'dwell_h.port_call', field 'applies'"):
        read_assumptions(path)


# ---------------------------------------------------------------------------------------------
# Components: each counted once


def test_every_named_route_adds_up_its_components_each_once():
    """The components of each shipped route's estimate sum to it, and no assumption's figure
    already includes a component that another assumption adds (an all-in price used as a rate)."""
    assumptions = geo.load_assumptions()
    for rid in geo.load_routes().index:
        m = geo.route_metrics(rid)
        parts = components(m, assumptions)
        assert parts["cost_usd"].sum() == pytest.approx(m["est_cost_usd"]), rid
        assert parts["time_h"].sum() == pytest.approx(m["est_time_h"]), rid
        assert set(parts["assumption"]) == set(m["assumptions_used"]), rid
        assert double_counted(m, assumptions) == [], rid


def test_an_all_in_rate_beside_the_fee_it_includes_is_counted_twice(tmp_path):
    doc = ranged_assumptions()
    doc["cost_usd_per_km"]["ferry"]["default"]["includes"] = ["fee.transshipment"]
    data = write_world(tmp_path / "w", water_world(), assumptions=doc)
    m = geo.route_metrics("cross", data)
    assert double_counted(m, geo.load_assumptions(data)) == [
        "fee.transshipment: counted by cost_usd.transshipment and already included in "
        "cost_usd_per_km.ferry.default"]
    parts = components(m, geo.load_assumptions(data)).set_index("assumption")
    assert parts.at["cost_usd_per_km.ferry.default", "includes"] == "fee.transshipment"
    doc["cost_usd_per_km"]["ferry"]["default"]["includes"] = ["haulage.ferry", "fee.nothing"]
    data = write_world(tmp_path / "w2", water_world(), assumptions=doc)
    with pytest.raises(geo.DataValidationError, match="must be other components than its own"):
        geo.load_assumptions(data)
