"""Observations and calibration: the loader's checks, the calibration table on a hand-made
observation file, the command, and consistency checks of the shipped assumptions and
observations (no typed results)."""

from __future__ import annotations

import json

import pytest
import yaml
from helpers import equator_world, km, run_cli, write_world

import geo
from geo.calibration import fit_assumptions, sensitivity

URL = "https://example.org/obs"


def border_assumptions() -> dict:
    """Rail 50 km/h flat; rail border 5/10/20 h and USD 100/200/300; gauge break 4 h flat."""
    def entry(low, central, high):
        return {"low": low, "central": central, "high": high, "unit": "x", "basis": "published",
                "source": "test source", "url": URL, "date": "2025", "measured": "hand-made",
                "applies": "the test world"}

    flat = {m: {"default": entry(50, 50, 50)} for m in ("rail", "road", "sea", "ferry")}
    per_km = {m: {"default": entry(1, 1, 1)} for m in ("rail", "road", "sea", "ferry")}
    return {"as_of": "2026-01-01", "cost_per": "TEU", "speed_kmh": flat, "cost_usd_per_km": per_km,
            "dwell_h": {"border_crossing": {"rail": entry(5, 10, 20)}, "gauge_break": entry(4, 4, 4)},
            "cost_usd": {"border_crossing": {"rail": entry(100, 200, 300)},
                         "gauge_break": entry(0, 0, 0), "transshipment": entry(0, 0, 0)}}


def observation(oid, **values) -> dict:
    return {"id": oid, "route": "w-e", "origin": "West", "destination": "East",
            "cargo_unit": "TEU", "year": 2024, "kind": "measured", "what": "a timed shipment",
            "source": "test source", "url": URL, "date": "2024-05", **values}


@pytest.fixture
def world(tmp_path):
    return write_world(tmp_path / "eq", equator_world(), assumptions=border_assumptions())


def central_days() -> float:
    """The route's central time: 2.5 degrees of equator at 50 km/h, two borders, one gauge break."""
    return (km(0.2, 0, 2.7, 0) / 50 + 2 * 10 + 4) / 24


def write_observations(folder, items) -> None:
    (folder / "observations.yaml").write_text(yaml.safe_dump({"observations": items}))


def test_every_problem_of_an_observations_file_is_listed(world):
    write_observations(world, [
        observation("a", route="nowhere", days_min=3, days_max=2),
        observation("b", kind="rumour", cost_usd_min=500, cost_usd_max=500),
        observation("c"),
        observation("a", days_min=1, days_max=1, url="example.org",
                    source_of_assumptions=["dwell_h.nothing"]),
        {**observation("d", days_min=1, days_max=1), "year": "last year"},
    ])
    with pytest.raises(geo.DataValidationError) as err:
        geo.load_observations(world)
    text = str(err.value)
    for part in ["observation 'a', field 'route' = 'nowhere': is not a route of routes.yaml (w-e)",
                 "observation 'a', field 'days_min/days_max' = (3, 2): min must not exceed max",
                 "observation 'b', field 'kind' = 'rumour'",
                 "observation 'b', field 'cost_per' = None: must be one of ['TEU', 'FEU', 'container']",
                 "observation 'c', field 'days_min/cost_usd_min' = None: give a time",
                 "field 'url' = 'example.org'",
                 "field 'source_of_assumptions' = 'dwell_h.nothing': is not an assumption id",
                 "observation 'd', field 'year' = 'last year'",
                 "observation 'a', field 'id' = 'a': duplicate id"]:
        assert part in text
    assert text.startswith("9 problem(s)") and "observations.yaml" in text


def test_observations_by_route_and_by_ends(world):
    write_observations(world, [observation("one", days_min=1, days_max=2)])
    assert list(geo.route_observations("w-e", world).index) == ["one"]
    assert list(geo.observations_between("east", "west", world).index) == ["one"]
    assert geo.observations_between("west", "mid", world).empty
    (world / "observations.yaml").unlink()
    assert geo.route_observations("w-e", world).empty


def test_calibration_table_on_a_hand_made_observation_file(world):
    c = central_days()
    high = c + 2 * 10 / 24  # both borders at 20 h
    write_observations(world, [
        observation("inside", days_min=c - 1, days_max=c + 1),
        observation("a-bit-slow", days_min=c + 0.5, days_max=c + 0.5),
        observation("far-too-slow", days_min=high + 2, days_max=high + 3,
                    differs_from_route="went round the long way"),
        observation("cheaper", cost_usd_min=100, cost_usd_max=100, cost_per="TEU",
                    source_of_assumptions=["cost_usd.border_crossing.rail"]),
        observation("per-feu", cost_usd_min=1, cost_usd_max=1, cost_per="FEU"),
    ])
    table = geo.calibration_table(world).set_index(["observation", "measure"])
    inside = table.loc[("inside", "time")]
    assert inside["result"] == "within" and inside["difference"] == 0 and inside["explained_by"] == ""
    assert inside["model_central"] == pytest.approx(c)
    assert [inside["model_low"], inside["model_high"]] == pytest.approx([c - 10 / 24, high])
    slow = table.loc[("a-bit-slow", "time")]
    assert slow["result"] == "model below" and slow["difference"] == pytest.approx(-0.5)
    assert slow["explained_by"] == "closed by dwell_h.border_crossing.rail at its high (20 x): +0.8 d"
    far = table.loc[("far-too-slow", "time")]
    assert far["explained_by"].startswith("largest levers: dwell_h.border_crossing.rail at its high")
    assert f"beyond the model's range: every assumption at its high gives only {high:.1f} d" in far["explained_by"]
    assert far["notes"] == "The observed trip: went round the long way."
    cheap = table.loc[("cheaper", "cost")]
    assert cheap["result"] == "model above" and cheap["unit"] == "USD per TEU"
    assert "cost_usd.border_crossing.rail at its low (100 x): -USD 200" in cheap["explained_by"]
    assert ("Not independent: cost_usd.border_crossing.rail fitted to or derived from this "
            "figure.") in cheap["notes"]
    assert cheap["set"] == "fitted to" and inside["set"] == "held out"
    feu = table.loc[("per-feu", "cost")]
    assert feu["result"] == "not compared" and "Observed per FEU, the model per TEU" in feu["notes"]
    summary = geo.calibration_summary(world).set_index("measure")
    assert summary.at["time", "observation"] == 3
    assert summary.at["time", "observed_min"] == pytest.approx(c - 1)
    assert summary.at["time", "result"] == "within"
    assert summary.at["cost", "observation"] == 1  # the cost per FEU is not compared


def test_sensitivity_moves_one_assumption_at_a_time(world):
    m = geo.route_metrics("w-e", world)
    sens = sensitivity(m, geo.load_assumptions(world))
    border = sens.loc["dwell_h.border_crossing.rail"]
    assert border["time_h_at_high"] - m["est_time_h"] == pytest.approx(2 * (20 - 10))
    assert border["time_h_at_low"] - m["est_time_h"] == pytest.approx(2 * (5 - 10))
    assert border["cost_usd_at_low"] == pytest.approx(m["est_cost_usd"])
    assert sens.loc["speed_kmh.rail.default", "time_h_at_high"] == pytest.approx(m["est_time_h"])


def test_cli_calibration_table_and_json(world):
    c = central_days()
    write_observations(world, [observation("slow", days_min=c + 0.5, days_max=c + 0.5)])
    code, out, _ = run_cli("--data-dir", world, "calibration")
    assert code == 0
    assert "slow (measured 2024), time: observed" in out
    assert "model below by 0.5 days" in out and "closed by dwell_h.border_crossing.rail" in out
    assert "do not predict a shipment" in out
    code, out, _ = run_cli("--data-dir", world, "calibration", "--format", "json", "--summary")
    rows = json.loads(out)
    assert [(r["route"], r["measure"], r["result"]) for r in rows] == [("w-e", "time", "model below")]
    (world / "observations.yaml").unlink()
    code, _, err = run_cli("--data-dir", world, "calibration")
    assert code == 2 and "observations.yaml: data file not found" in err


# ---------------------------------------------------------------------------------------------
# The shipped files: consistency, not typed numbers


def test_shipped_assumptions_are_sourced_and_ranged():
    a = geo.load_assumptions()
    bases = a.bases()
    assert bases["scenario"] == 0
    assert bases["unsourced"] <= len(a.entries) / 5
    for entry in a.entries.values():
        assert entry.low <= entry.central <= entry.high
        if entry.basis != "unsourced":
            assert entry.url and entry.date and entry.measured and entry.applies


def test_shipped_estimates_are_ranges_around_their_central():
    for _, row in geo.routes_table().iterrows():
        low, high = row["est_time_h_range"]
        assert low <= row["est_time_h"] <= high
        low, high = row["est_cost_usd_range"]
        assert low <= row["est_cost_usd"] <= high


def test_every_shipped_route_with_observations_meets_the_calibration_target():
    """The central lies within each route's observed band; where it does not, every figure it
    misses is named with the measured parts of the estimate beside it."""
    observed = set(geo.load_observations()["route"])
    summary = geo.calibration_summary()
    assert observed == set(summary["route"])
    table = geo.calibration_table()
    for _, row in summary.iterrows():
        if row["result"] == "within":
            slack = 0.05 if row["measure"] == "time" else 0.5  # half the last digit shown
            assert row["observed_min"] - slack <= row["model_central"] <= row["observed_max"] + slack
            continue
        assert row["components"], row["route"]
        missed = table[(table["route"] == row["route"]) & (table["measure"] == row["measure"])
                       & table["result"].isin(["model below", "model above"])]
        assert len(missed), row["route"]
        for _, r in missed.iterrows():
            assert r["components"] and r["explained_by"], (r["route"], r["observation"])
    corridor = summary[summary["route"].isin(["instc-west", "instc-east", "suez-sea"])]
    assert set(corridor["result"]) == {"within"}


def test_shipped_fitted_assumptions_still_equal_their_fit():
    """A change of the data that moves a fitted value shows here: refit with
    `corridors calibration --fit` and copy the values into data/assumptions.yaml."""
    fit = fit_assumptions()
    assert len(fit) >= 3
    for _, r in fit.iterrows():
        for bound in ("low", "central", "high"):
            assert r[f"in_file_{bound}"] == pytest.approx(r[bound], rel=0.005), (r["assumption"], bound)


def test_a_fitted_dwell_is_solved_from_its_observation_and_marked_fitted(world):
    doc = border_assumptions()
    doc["dwell_h"]["border_crossing"]["rail"].update(basis="fitted", fitted_to=["slow"])
    (world / "assumptions.yaml").write_text(yaml.safe_dump(doc))
    travel_h = km(0.2, 0, 2.7, 0) / 50
    write_observations(world, [observation("slow", days_min=3, days_max=4),
                               observation("other", days_min=1, days_max=1)])
    fit = fit_assumptions(world).set_index("assumption").loc["dwell_h.border_crossing.rail"]
    # two rail borders and a 4 h gauge break: 2 x dwell = days x 24 - travel - 4
    for bound, days in (("low", 3), ("central", 3.5), ("high", 4)):
        assert fit[bound] == pytest.approx((days * 24 - travel_h - 4) / 2)
    table = geo.calibration_table(world).set_index("observation")
    assert table.at["slow", "set"] == "fitted to" and table.at["other", "set"] == "held out"
    doc["dwell_h"]["border_crossing"]["rail"]["fitted_to"] = ["nowhere"]
    (world / "assumptions.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(geo.DataValidationError, match="'nowhere'.*not an observation id"):
        geo.load_observations(world)
    del doc["dwell_h"]["border_crossing"]["rail"]["fitted_to"]
    (world / "assumptions.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(geo.DataValidationError, match="fitted_to.*is required with basis 'fitted'"):
        geo.load_assumptions(world)
