"""Scenarios: a user's values for the main assumptions, re-estimating a path under them, and the
scenario as a YAML file."""

from __future__ import annotations

import pytest
from helpers import equator_world, km, ranged_assumptions, write_world

import geo
from geo.assumptions import read_assumptions


@pytest.fixture
def ranged(tmp_path):
    return write_world(tmp_path / "eq", equator_world(), assumptions=ranged_assumptions())


def test_a_scenario_changes_the_estimate_and_round_trips_as_yaml(ranged, tmp_path):
    base = geo.load_assumptions(ranged)
    scenario = geo.with_overrides(base, {"dwell_h.border_crossing.rail": 30,
                                         "speed_kmh.rail.BBB": {"low": 10}})
    moved = scenario.entries["dwell_h.border_crossing.rail"]
    assert (moved.low, moved.central, moved.high, moved.basis) == (5, 30, 30, "scenario")
    assert moved.notes == "replaces 5 / 10 / 20 x (published: test source)"
    m = geo.route_metrics("w-e", ranged)
    again = geo.reestimate(m, scenario)
    assert again["est_time_h"] - m["est_time_h"] == pytest.approx(2 * (30 - 10))
    b = km(1, 0, 2, 0)
    assert again["est_time_h_range"][1] - m["est_time_h_range"][1] == pytest.approx(
        2 * (30 - 20) + b / 10 - b / 20)
    assert geo.time_cost_series(m, assumptions=scenario)["hours"].iloc[-1] == pytest.approx(
        again["est_time_h"])
    path = tmp_path / "scenario.yaml"
    path.write_text(geo.assumptions_yaml(scenario))
    back = read_assumptions(path)
    assert back.entries == scenario.entries


def test_scenario_problems_are_listed_together(ranged):
    base = geo.load_assumptions(ranged)
    with pytest.raises(geo.ScenarioError) as err:
        geo.with_overrides(base, {"dwell_h.nothing": 1, "speed_kmh.rail.default": 0,
                                  "dwell_h.gauge_break": {"low": 9}})
    text = str(err.value)
    assert text.startswith("4 problem(s) with the scenario")  # speed 0: its low and its central
    assert "'dwell_h.nothing', field 'id'" in text
    assert "'dwell_h.gauge_break', field 'low/central/high' = (9, 4.0, 8.0)" in text


def test_main_assumptions_are_those_the_file_has(ranged):
    table = geo.main_assumptions(geo.load_assumptions(ranged))
    assert "dwell_h.border_crossing.rail" in set(table["id"])
    assert "speed_kmh.rail.IRN" not in set(table["id"])
