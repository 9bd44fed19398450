"""Scenarios: a user's values for the main assumptions, re-estimating a path under them, the
scenario as a YAML file, and ``--assumptions FILE`` on the command line."""

from __future__ import annotations

import pytest
import yaml
from helpers import equator_world, km, ranged_assumptions, run_cli, write_world

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
    code, out, _ = run_cli("--data-dir", ranged, "routes", "--format", "json", "--assumptions", path)
    assert code == 0
    assert yaml.safe_load(out)[0]["est_time_h"] == pytest.approx(again["est_time_h"], abs=1e-3)


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


def test_cli_reports_a_bad_scenario_file_by_file_and_field(ranged, tmp_path):
    code, _, err = run_cli("--data-dir", ranged, "timecost", "w-e", "--assumptions",
                           tmp_path / "missing.yaml")
    assert code == 2 and "missing.yaml: data file not found" in err
    bad = tmp_path / "bad.yaml"
    doc = ranged_assumptions()
    doc["dwell_h"]["gauge_break"]["central"] = "four"
    bad.write_text(yaml.safe_dump(doc))
    code, _, err = run_cli("--data-dir", ranged, "compare", "west", "east", "--assumptions", bad)
    assert code == 2 and "bad.yaml: assumption 'dwell_h.gauge_break', field 'central'" in err
    assert "Traceback" not in err


def test_cli_shows_the_range_and_says_it_is_a_model_estimate(ranged):
    code, out, _ = run_cli("--data-dir", ranged, "timecost", "w-e")
    assert code == 0 and "hours_low" in out and "Model estimate:" in out and "range" in out
    code, out, _ = run_cli("--data-dir", ranged, "compare", "west", "east")
    assert code == 0 and "model estimate:" in out and "do not predict a shipment" in out
    code, out, _ = run_cli("--data-dir", ranged, "routes")
    assert code == 0 and "model time h (low-high)" in out
    code, out, _ = run_cli("--data-dir", ranged, "assumptions")
    assert code == 0 and "speed_kmh.rail.BBB: 20 / 25 / 50 x (low / central / high; published)" in out
