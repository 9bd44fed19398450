"""Checks: verdicts and evidence computed from the geodata (tiny world with known answers; shipped data)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from helpers import square, tiny_world, write_data
from pyproj import Geod

import geo
from geo import settings
from geo.claims import check_claim
from geo.cli import main
from geo.style import VERDICT_LABELS
from geo.vocab import VERDICTS

HERE = Path(__file__).resolve().parent
TINY_CLAIMS = HERE / "data" / "claims-tiny" / "tiny-article.yaml"
G = Geod(ellps="WGS84")


def km(lon1, lat1, lon2, lat2) -> float:
    return G.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def make(tmp_path: Path, world: dict | None = None) -> Path:
    folder = write_data(tmp_path / "data", world or tiny_world())
    (folder / "claims").mkdir()
    shutil.copy(TINY_CLAIMS, folder / "claims" / TINY_CLAIMS.name)
    return folder


@pytest.fixture
def tiny(tmp_path) -> Path:
    return make(tmp_path)


@pytest.fixture
def checked(tiny):
    return geo.check_claims(data_dir=tiny).set_index("claim_id")


def test_verdict_keys_are_the_styled_ones():
    assert set(VERDICTS) == set(VERDICT_LABELS)


def test_shared_border_known_length(checked):
    row = checked.loc["tiny-01"]
    expected = km(1, 0, 1, 1)  # the AAA | BBB border is the meridian 1°E from 0° to 1°N
    assert row["verdict"] == "consistent"
    assert row["figures"]["border_km"] == pytest.approx(expected, abs=0.1)
    assert f"a shared land border of {expected:,.0f} km" in row["evidence"]
    assert row["evidence"].startswith(
        "The article states that Aland (AAA) and Bland (BBB) share a land border;"
    )


def test_no_shared_border_is_inconsistent(checked):
    row = checked.loc["tiny-02"]
    assert row["verdict"] == "inconsistent"
    assert row["figures"]["border_km"] == 0
    assert "no shared land border between Aland (AAA) and Cland (CCC)" in row["evidence"]


def test_border_direction(tiny):
    claim = geo.load_claims(data_dir=tiny).set_index("claim_id").loc["tiny-01"].to_dict()
    claim["args"] = {"a": "AAA", "b": "BBB", "direction": "east"}
    east = check_claim(claim, data_dir=tiny)
    assert east["verdict"] == "consistent" and east["figures"]["border_direction"] == "east"
    claim["args"]["direction"] = "west"
    assert check_claim(claim, data_dir=tiny)["verdict"] == "partly_consistent"


def test_route_connects_ends_and_status(checked, tiny):
    # "The line connects Aland with Cland": present tense, and Mid-East is only planned
    row = checked.loc["tiny-03"]
    length = km(0.5, 0.5, 1.5, 0.5) + km(1.5, 0.5, 2.5, 0.5)
    planned = km(1.5, 0.5, 2.5, 0.5)
    assert row["verdict"] == "inconsistent"
    assert row["figures"]["length_km"] == pytest.approx(length, abs=0.1)
    assert row["figures"]["km_by_status"]["planned"] == pytest.approx(planned, abs=0.1)
    assert row["figures"]["km_not_operational"] == pytest.approx(planned, abs=0.1)
    assert row["evidence"].startswith(
        "Minister X, as reported by the article, states that West to East connects"
    )
    assert "not operational on the date checked" in row["evidence"]
    claim = row.to_dict() | {"claim_id": "tiny-03"}

    def verdict(**args) -> str:
        claim["args"] = {"route": "w-e", "a": "AAA", "b": "CCC"} | args
        return check_claim(claim, data_dir=tiny)["verdict"]

    assert verdict(operational=True) == "inconsistent"  # the same as the present tense
    assert verdict(tense="future") == "partly_consistent"  # "will connect": being built fits
    assert verdict(operational=False) == "consistent"  # only whether it joins the two ends
    assert verdict(b="BBB", operational=False) == "partly_consistent"  # passes BBB, ends in CCC
    assert verdict(a="west", b="east", operational=False) == "consistent"  # place ids as ends
    claim["args"] = {"route": "w-e", "a": "AAA", "b": "CCC", "tense": "future"}
    assert "will connect" in check_claim(claim, data_dir=tiny)["evidence"]


def test_route_km_in_country_known_answer(checked, tiny):
    row = checked.loc["tiny-04"]
    inside = km(1, 0.5, 1.5, 0.5) + km(1.5, 0.5, 2, 0.5)
    length = row["figures"]["length_km"]
    assert row["verdict"] == "partly_consistent"
    assert row["figures"]["km_in_country"] == pytest.approx(inside, abs=0.1)
    assert row["figures"]["share_in_country"] == pytest.approx(inside / length, abs=0.002)
    assert (
        f"{inside:,.0f} km of the {length:,.0f} km (measured on the drawn line) of West to East "
        "(50%) inside Bland (BBB)" in row["evidence"]
    )
    claim = row.to_dict()
    for code, expect, verdict in (
        ("BBB", "some", "consistent"),
        ("BBB", "none", "inconsistent"),
        ("AAA", "most", "partly_consistent"),
        ("CCC", "all", "partly_consistent"),
    ):
        claim["args"] = {"route": "w-e", "country": code, "expect": expect}
        assert check_claim(claim, data_dir=tiny)["verdict"] == verdict, expect
    claim["args"] = {"route": "w-e", "country": "BBB"}
    result = check_claim(claim, data_dir=tiny)
    assert result["verdict"] == "context_only" and result["evidence"].startswith("For context")


def test_place_in_country_and_precision(checked, tiny):
    assert checked.loc["tiny-05", "verdict"] == "consistent"
    row = checked.loc["tiny-07"]
    # an event is only located by a place-in-country check, even when marked as the assertion
    assert row["verdict"] == "context_only"
    assert row["figures"]["km_to_other"] == pytest.approx(km(1.5, 0.9, 1, 0.9), abs=0.5)
    claim = {**row.to_dict(), "kind": "territorial"}
    assert check_claim(claim, data_dir=tiny)["verdict"] == "consistent"
    claim["args"] = {"place": "mid", "country": "AAA"}
    assert check_claim(claim, data_dir=tiny)["verdict"] == "inconsistent"
    claim["args"] = {"place": {"lon": 1.01, "lat": 0.5, "precision_km": 2}, "country": "BBB"}
    near = check_claim(claim, data_dir=tiny)
    assert near["verdict"] == "partly_consistent"  # 1.1 km from Aland, precision 2 km
    assert "either side is possible" in near["evidence"]


def test_border_share_near_route_known_answer(checked):
    row = checked.loc["tiny-06"]
    border = km(1, 0, 1, 1)
    near = km(1, 0.5, 1, 0.5 + 5 / 110.6) + km(1, 0.5, 1, 0.5 - 5 / 110.6)  # 5 km either side
    assert row["verdict"] == "context_only"
    assert row["figures"]["border_km_near_route"] == pytest.approx(near, abs=0.3)
    assert row["figures"]["share_near_route"] == pytest.approx(near / border, abs=0.005)
    assert (
        f"of the {border:,.0f} km Aland (AAA) – Bland (BBB) border (9%) lie within 5 km of West to East"
        in row["evidence"]
    )


def test_length_ratio_known_answer(tmp_path):
    world = tiny_world()
    world["routes"].append(
        {
            **world["routes"][0],
            "id": "w-m",
            "name": "West to Mid",
            "destination": "mid",
            "segments": ["w-m"],
        }
    )
    folder = make(tmp_path, world)
    claim = {
        "claim_id": "x",
        "kind": "metric",
        "role": "author",
        "predicate": "length_ratio",
        "args": {"route_a": "w-m", "route_b": "w-e", "expect": "shorter"},
        "tests": "assertion",
    }
    result = check_claim(claim, data_dir=folder)
    ratio = km(0.5, 0.5, 1.5, 0.5) / (km(0.5, 0.5, 1.5, 0.5) + km(1.5, 0.5, 2.5, 0.5))
    assert result["verdict"] == "consistent"
    assert result["figures"]["ratio"] == pytest.approx(ratio, abs=0.001)
    claim["args"]["expect"] = "longer"
    assert check_claim(claim, data_dir=folder)["verdict"] == "inconsistent"


def test_opinions_and_unchecked_claims(checked):
    assert checked.loc["tiny-08", "verdict"] == "not_checkable"
    assert checked.loc["tiny-08", "evidence"] == "Opinion: recorded, not checked."
    assert (
        checked.loc["tiny-09", "evidence"]
        == "Not checkable from geodata: an allegation about attitudes."
    )


def test_missing_geodata_gives_not_checkable(tiny):
    (tiny / "routes.yaml").unlink()
    claim = {
        "claim_id": "x",
        "kind": "infrastructure",
        "role": "author",
        "predicate": "route_connects",
        "args": {"route": "w-e", "a": "AAA", "b": "CCC"},
    }
    result = check_claim(claim, data_dir=tiny)
    assert result["verdict"] == "not_checkable"
    assert "routes.yaml" in result["evidence"]


def test_a_data_change_changes_the_evidence(tmp_path):
    world = tiny_world()
    world["borders"][1]["geometry"] = square(1, 0, 2.2, 1)  # Bland grows east by 0.2°
    world["borders"][2]["geometry"] = square(2.2, 0, 3, 1)
    folder = make(tmp_path, world)
    row = geo.check_claims(data_dir=folder).set_index("claim_id").loc["tiny-04"]
    inside = km(1, 0.5, 1.5, 0.5) + km(1.5, 0.5, 2.2, 0.5)
    assert row["figures"]["km_in_country"] == pytest.approx(inside, abs=0.1)
    assert f"{inside:,.0f} km of the" in row["evidence"]


def test_check_claims_keeps_index_and_columns(tiny):
    claims = geo.load_claims(data_dir=tiny)
    claims.index = [f"r{i}" for i in range(len(claims))]
    out = geo.check_claims(claims, data_dir=tiny)
    assert list(out.index) == list(claims.index)
    assert list(out.columns) == [*claims.columns, "verdict", "evidence", "figures",
                                 "checked_as_of", "verdict_today", "evidence_today"]


def test_claims_gdf_locates_each_claim(tiny):
    gdf = geo.claims_gdf(data_dir=tiny).set_index("claim_id")
    assert gdf.crs.to_epsg() == 4326
    assert gdf.loc["tiny-07", "located_by"] == "point"
    assert (gdf.geometry["tiny-07"].x, gdf.geometry["tiny-07"].y) == (1.5, 0.9)
    assert gdf.loc["tiny-05", "located_by"] == "place" and gdf.loc["tiny-05", "location"] == "Mid"
    assert gdf.loc["tiny-03", "located_by"] == "route"
    assert gdf.geometry["tiny-03"].x == pytest.approx(1.5, abs=0.01)
    assert gdf.loc["tiny-01", "located_by"] == "border"
    assert (gdf.geometry["tiny-01"].x, gdf.geometry["tiny-01"].y) == pytest.approx(
        (1.0, 0.5), abs=0.01
    )
    assert gdf.loc["tiny-09", "located_by"] == "country"
    assert geo.load_borders(tiny).geometry["BBB"].contains(gdf.geometry["tiny-09"])


def test_cli_claims_json_and_table(tiny, monkeypatch, capsys):
    monkeypatch.setattr(settings, "data_dir", tiny)
    assert main(["claims", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["claim_id"] for r in records][:2] == ["tiny-01", "tiny-02"]
    assert set(records[0]) == {
        "article_id",
        "claim_id",
        "kind",
        "quote",
        "who",
        "verdict",
        "evidence",
    }
    assert main(["claims", "--article", "tiny-article"]) == 0
    table = capsys.readouterr().out
    assert "partly_consistent" in table and "tiny-09" in table
    assert main(["claims", "--article", "nope"]) == 2
    assert "no claims file for article 'nope'" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Shipped data


@pytest.fixture(scope="module")
def shipped():
    return geo.check_claims().set_index("claim_id")


def test_every_shipped_claim_gets_a_verdict_and_evidence(shipped):
    assert shipped["verdict"].isin(VERDICTS).all()
    assert shipped["evidence"].map(lambda e: isinstance(e, str) and len(e) > 20).all()
    with_check = shipped[shipped["predicate"].notna()]
    assert not with_check.empty
    assert (with_check["verdict"] != "not_checkable").all(), with_check["evidence"].to_dict()
    assert with_check["figures"].map(bool).all()
    assert (shipped.loc[shipped["kind"] == "opinion", "verdict"] == "not_checkable").all()


def test_shipped_border_evidence_matches_an_independent_measure(shipped):
    borders = geo.load_borders()
    expected = geo.shared_border_km(borders.geometry["AZE"], borders.geometry["IRN"])
    for cid in shipped.index[(shipped["predicate"] == "shares_border")]:
        row = shipped.loc[cid]
        if set(row["args"].values()) >= {"AZE", "IRN"}:
            assert row["figures"]["border_km"] == pytest.approx(expected, abs=0.1)
            assert f"{expected:,.0f} km" in row["evidence"]


def test_shipped_route_figures_add_up(shipped):
    for cid in shipped.index[shipped["figures"].map(lambda f: "km_by_unit" in f)]:
        figures = shipped.loc[cid, "figures"]
        args = shipped.loc[cid, "args"]
        if "segments" in args:  # a section of a route: its own figures
            continue
        metrics = geo.route_metrics(args["route"], as_of=shipped.loc[cid, "checked_as_of"])
        length = metrics["length_km"]
        assert figures["length_km"] == pytest.approx(length, abs=0.5), cid
        assert figures["measured_km"] == pytest.approx(
            geo.length_km(geo.load_routes_gdf().loc[[args["route"]]]).iloc[0], abs=0.5), cid
        assert sum(figures["km_by_unit"].values()) == pytest.approx(length, abs=0.5), cid
        assert sum(figures["km_by_status"].values()) == pytest.approx(length, abs=0.5), cid
        for share in (v for k, v in figures.items() if k.startswith("share")):
            assert 0 <= share <= 1 and not math.isnan(share)
