"""Project records: what articles state about who builds or pays for a segment, side by side
(``geo.project_records``), in the CLI, the segment's popup and the schema."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import yaml
from helpers import tiny_claims_folder

import geo
import layers
from geo.claims import project_texts
from geo.cli import main


def _with_projects(folder):
    path = next((folder / "claims").glob("*.yaml"))
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    first, second = doc["claims"][0], doc["claims"][1]
    first["project"] = [{"segment": "w-m", "field": "loan", "value": "Bank A lends 10 million",
                         "amount": 10_000_000, "currency": "EUR", "date": "2024-05"}]
    second["project"] = [{"segment": "w-m", "field": "loan", "value": "Bank B lends 12 million",
                          "amount": 12_000_000, "currency": "EUR"},
                         {"segment": "w-m", "field": "opening", "value": "opens in 2030",
                          "date": "2030"}]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return doc


@pytest.fixture
def folder(tmp_path):
    folder = tiny_claims_folder(tmp_path / "data")
    _with_projects(folder)
    return folder


def test_differing_statements_stay_side_by_side_with_their_articles(folder, capsys):
    records = geo.project_records(data_dir=folder)
    loans = records[records["field"] == "loan"]
    assert sorted(loans["value"]) == ["Bank A lends 10 million", "Bank B lends 12 million"]
    assert set(loans["amount"]) == {10_000_000, 12_000_000} and set(loans["currency"]) == {"EUR"}
    assert set(records["segment"]) == {"w-m"} and records["publication"].notna().all()
    assert main(["--data-dir", str(folder), "claims", "--projects", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table["value"]) == list(records["value"])


def test_the_segments_popup_says_what_the_articles_state(folder):
    segments = geo.load_segments(folder)
    texts = project_texts(geo.project_records(data_dir=folder))
    segments["projects"] = [texts.get(i) for i in segments.index]
    feats = json.loads(layers.corridor_layer(segments).data_js)["features"]
    popup = next(f["properties"]["p"] for f in feats if f["properties"]["i"] == "w-m")
    assert "Project, as articles state it" in popup
    assert "loan: Bank A lends 10 million" in popup and "loan: Bank B lends 12 million" in popup
    others = [f["properties"]["p"] for f in feats if f["properties"]["i"] != "w-m"]
    assert others and not any("Project, as articles state it" in p for p in others)


@pytest.mark.parametrize(("record", "field"), [
    ({"segment": "nowhere", "field": "loan", "value": "x"}, "project[0].segment"),
    ({"segment": "w-m", "field": "rumour", "value": "x"}, "project[0].field"),
    ({"segment": "w-m", "field": "cost", "value": "x", "amount": 5}, "project[0].amount"),
    ({"segment": "w-m", "field": "cost", "value": "x", "date": "soon"}, "project[0].date"),
])
def test_a_project_record_that_does_not_fit_is_named(folder, record, field):
    doc = _with_projects(folder)
    doc["claims"][0]["project"] = [record]
    assert field in [p.field for p in geo.validate_claims(doc, data_dir=folder)]
