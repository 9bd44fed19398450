"""Published references beside computed figures: schema, computation, difference, explanation."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from helpers import equator_world, km, write_world

import geo
from geo.references import CAUSES


def ref(rid, kind, subject, value, unit="km", **extra) -> dict:
    out = {"id": rid, "kind": kind, "measures": f"test {rid}", "value": value, "unit": unit,
           "source": "test source", "date": "2024-05"}
    if subject is not None:
        out["subject"] = subject
    out.update(extra)
    return out


@pytest.fixture
def data(tmp_path):
    folder = write_world(tmp_path / "r", equator_world())
    refs = [
        ref("border-ab", "border", {"a": "AAA", "b": "BBB"}, 250),
        ref("route-we", "route", {"route": "w-e"}, 300, causes=["The test route is short."]),
        ref("route-we-bbb", "route", {"route": "w-e", "country": "BBB"}, 100),
        ref("section-between", "section", {"between": ["west", "mid"], "mode": "rail"}, 150),
        ref("section-segments", "section", {"segments": ["m-e"], "country": "CCC"}, 70),
        ref("transit", "comparison", None, 20, unit="days"),
        ref("stale", "route", {"route": "no-such-route"}, 10),
    ]
    (folder / "references.yaml").write_text(yaml.safe_dump({"references": refs}, allow_unicode=True))
    return folder


def test_comparison_computes_each_kind(data):
    table = geo.reference_comparison(data).set_index("id")
    expected = {
        "border-ab": km(1, -1, 1, 1),
        "route-we": km(0.2, 0, 2.7, 0),
        "route-we-bbb": km(1, 0, 2, 0),
        "section-between": km(0.2, 0, 1.5, 0),
        "section-segments": km(2, 0, 2.7, 0),
    }
    for rid, value in expected.items():
        # borders are matched within a ~100 m band (settings.border_tolerance_deg): metres off
        assert table.at[rid, "computed_value"] == pytest.approx(value, abs=0.01), rid
        published = table.at[rid, "reference_value"]
        computed = table.at[rid, "computed_value"]
        assert table.at[rid, "diff_pct"] == pytest.approx((computed - published) / published * 100)


def test_explanations_name_known_causes_or_why_not_computed(data):
    table = geo.reference_comparison(data).set_index("id")
    assert CAUSES["border"] in table.at["border-ab", "explanation"]
    assert "1:10m" in table.at["border-ab", "explanation"]
    assert "chainage" in table.at["route-we", "explanation"]
    assert table.at["route-we", "explanation"].endswith("The test route is short.")
    assert pd.isna(table.at["transit", "computed_value"])
    assert "Not computed" in table.at["transit", "explanation"]
    assert pd.isna(table.at["stale", "computed_value"])
    assert "Not computed: unknown route 'no-such-route'" in table.at["stale", "explanation"]


def test_ids_filter(data):
    assert geo.reference_comparison(data, ids=["transit", "nope"])["id"].tolist() == ["transit"]


def test_folder_without_references_has_none(tmp_path):
    folder = write_world(tmp_path / "e", equator_world())
    assert geo.load_references(folder).empty
    assert geo.reference_comparison(folder).empty
    assert geo.routes_table(folder)["ref_length_km"].isna().all()


def test_problems_reported_together(tmp_path):
    folder = write_world(tmp_path / "b", equator_world())
    refs = [
        ref("a", "border", {"a": "AAA"}, 10),
        ref("b", "bridge", {}, -1),
        ref("c", "route", {"route": "w-e"}, 10, unit="miles"),
        ref("c", "section", {"between": ["west"]}, 10, date="last year"),
    ]
    (folder / "references.yaml").write_text(yaml.safe_dump({"references": refs}))
    pattern = (r"(?s)references.yaml: record 'a', field 'subject'.*two units"
               r".*record 'b', field 'kind' = 'bridge'.*record 'b', field 'value' = -1"
               r".*record 'c', field 'unit' = 'miles'.*record 'c', field 'date'"
               r".*record 'c', field 'subject'.*duplicate id")
    with pytest.raises(geo.DataValidationError, match=pattern):
        geo.load_references(folder)


def test_shipped_references_all_resolve():
    table = geo.reference_comparison()
    measurable = table[table["kind"] != "comparison"]
    unresolved = measurable[measurable["computed_value"].isna()]
    assert unresolved.empty, unresolved[["id", "explanation"]].to_string()
    assert (measurable["unit"] == "km").all()
    assert table["source"].str.len().gt(10).all()
