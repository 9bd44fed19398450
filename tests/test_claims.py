"""Claims files: loading, validation (every problem at once, by file, claim and field), saving."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from helpers import SHIPPED_DATA, tiny_world, write_data

import geo
from geo.claims import quote_problems
from geo.claims.schema import COLUMNS, PREDICATE_ARGS
from geo.vocab import CLAIM_KINDS

HERE = Path(__file__).resolve().parent
BAD = sorted((HERE / "data" / "claims-bad").glob("*.yaml"))
TINY_CLAIMS = HERE / "data" / "claims-tiny" / "tiny-article.yaml"
ARTICLE_TEXT = Path("/work/shared/articles/jpost-azerbaijan-iran.txt")
SHIPPED_CLAIMS = SHIPPED_DATA / "claims" / "jpost-azerbaijan-iran.yaml"


@pytest.fixture
def tiny_claims(tmp_path) -> Path:
    """The tiny world with one valid claims file."""
    folder = write_data(tmp_path / "data", tiny_world())
    (folder / "claims").mkdir()
    shutil.copy(TINY_CLAIMS, folder / "claims" / TINY_CLAIMS.name)
    return folder


def tiny_doc() -> dict:
    return yaml.safe_load(TINY_CLAIMS.read_text(encoding="utf-8"))


def test_tiny_claims_load_with_the_contract_columns(tiny_claims):
    claims = geo.load_claims(data_dir=tiny_claims)
    assert list(claims.columns) == COLUMNS
    assert len(claims) == len(tiny_doc()["claims"])
    row = claims.set_index("claim_id").loc["tiny-07"]
    assert row["points"] == [{"lon": 1.5, "lat": 0.9, "precision_km": 2, "label": "ceremony site"}]
    assert (row["date"], row["date_precision"]) == ("2026-01", "month")
    assert row["args"] == {"place": {"lon": 1.5, "lat": 0.9}, "country": "BBB"}
    opinion = claims.set_index("claim_id").loc["tiny-08"]
    assert opinion["predicate"] is None  # stays None, not NaN
    assert opinion["publication"] == "Test Gazette"


def test_load_claims_of_one_article_and_unknown_article(tiny_claims):
    assert set(geo.load_claims("tiny-article", data_dir=tiny_claims)["article_id"]) == {
        "tiny-article"
    }
    with pytest.raises(
        FileNotFoundError, match=r"no claims file for article 'other'; known articles: tiny-article"
    ):
        geo.load_claims("other", data_dir=tiny_claims)


def test_load_articles(tiny_claims):
    arts = geo.load_articles(data_dir=tiny_claims)
    assert arts.loc[0, "article_id"] == "tiny-article"
    assert arts.loc[0, "n_claims"] == len(tiny_doc()["claims"])
    assert arts.loc[0, "author"] is None and arts.loc[0, "author_note"] == "not given"
    assert Path(arts.loc[0, "path"]).name == "tiny-article.yaml"


def _expects(path: Path) -> list[str]:
    return re.findall(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_bad_claims_files_report_every_problem_at_once(tmp_path, bad):
    folder = write_data(tmp_path / "data", tiny_world())
    (folder / "claims").mkdir()
    shutil.copy(bad, folder / "claims" / bad.name)
    expects = _expects(bad)
    assert expects, f"{bad} lists no '# expect:' lines"
    with pytest.raises(
        geo.ClaimsFileError, match=re.escape(str(folder / "claims" / bad.name))
    ) as info:
        geo.load_claims(data_dir=folder)
    message = str(info.value)
    for pattern in expects:
        assert re.search(pattern, message), f"{pattern!r} not in:\n{message}"
    assert len(info.value.problems) == len(expects), message


def test_problems_of_several_files_come_together(tmp_path):
    folder = write_data(tmp_path / "data", tiny_world())
    (folder / "claims").mkdir()
    for bad in BAD[:2]:
        shutil.copy(bad, folder / "claims" / bad.name)
    with pytest.raises(geo.ClaimsFileError) as info:
        geo.load_articles(data_dir=folder)
    assert {Path(p.file).name for p in info.value.problems} == {BAD[0].name, BAD[1].name}


def test_validate_claims_returns_problems_without_raising(tiny_claims):
    doc = tiny_doc()
    assert geo.validate_claims(doc, data_dir=tiny_claims) == []
    doc["claims"][0]["kind"] = "gossip"
    problems = geo.validate_claims(doc, data_dir=tiny_claims)
    assert [(p.record, p.field, p.value) for p in problems] == [("tiny-01", "kind", "gossip")]


# ---------------------------------------------------------------------------------------------
# Saving


def test_save_claims_writes_a_file_that_loads_back(tiny_claims):
    doc = tiny_doc()
    doc["article"]["id"] = "second-article"
    for i, claim in enumerate(doc["claims"], start=1):
        claim["id"] = f"second-{i:02d}"
    path = geo.save_claims(doc, data_dir=tiny_claims)
    assert path == tiny_claims / "claims" / "second-article.yaml"
    loaded = geo.load_claims("second-article", data_dir=tiny_claims)
    assert list(loaded["claim_id"]) == [c["id"] for c in doc["claims"]]
    assert list(loaded["quote"]) == [c["quote"] for c in doc["claims"]]
    assert not list(path.parent.glob(".*.tmp"))


def test_save_claims_never_replaces_a_file_without_overwrite(tiny_claims):
    target = tiny_claims / "claims" / "tiny-article.yaml"
    before = target.read_bytes()
    doc = tiny_doc()
    doc["article"]["publication"] = "Another Gazette"
    with pytest.raises(
        geo.ClaimsFileError,
        match=r"tiny-article\.yaml: file exists and holds another article's claims; it was left unchanged",
    ):
        geo.save_claims(doc, data_dir=tiny_claims)
    assert target.read_bytes() == before
    same = tiny_doc()
    with pytest.raises(geo.ClaimsFileError, match=r"holds this article's earlier version"):
        geo.save_claims(same, data_dir=tiny_claims)
    geo.save_claims(doc, data_dir=tiny_claims, overwrite=True)
    assert geo.load_articles(data_dir=tiny_claims).loc[0, "publication"] == "Another Gazette"


def test_save_claims_rejects_an_invalid_document_and_keeps_the_old_file(tiny_claims):
    target = tiny_claims / "claims" / "tiny-article.yaml"
    before = target.read_bytes()
    doc = tiny_doc()
    doc["claims"][2]["features"]["routes"] = ["no-such-route"]
    doc["claims"][4]["quote"] = ""
    with pytest.raises(geo.ClaimsFileError) as info:
        geo.save_claims(doc, data_dir=tiny_claims, overwrite=True)
    message = str(info.value)
    assert "claim 'tiny-03', field 'features.routes' = 'no-such-route': unknown route id" in message
    assert "claim 'tiny-05', field 'quote' = '': is required" in message
    assert target.read_bytes() == before
    assert not list(target.parent.glob(".*.tmp"))


@pytest.mark.parametrize("bad_id", ["../escape", "Upper", "a/b", "", "x" * 81])
def test_save_claims_refuses_unsafe_article_ids(tiny_claims, bad_id):
    doc = tiny_doc()
    doc["article"]["id"] = bad_id
    with pytest.raises(geo.ClaimsFileError, match=r"article, field 'id'"):
        geo.save_claims(doc, data_dir=tiny_claims)
    assert sorted(p.name for p in (tiny_claims / "claims").iterdir()) == ["tiny-article.yaml"]
    assert not (tiny_claims / "escape.yaml").exists()


# ---------------------------------------------------------------------------------------------
# The shipped claims of the first article


def test_shipped_claims_load_and_cover_the_article():
    claims = geo.load_claims("jpost-azerbaijan-iran")
    assert len(claims) >= 15
    assert claims["claim_id"].is_unique
    assert set(claims["kind"]) <= CLAIM_KINDS
    opinions = claims[claims["kind"] == "opinion"]
    assert not opinions.empty and opinions["predicate"].isna().all()
    checked = claims[claims["predicate"].notna()]
    assert set(checked["predicate"]) <= set(PREDICATE_ARGS)
    assert len(set(checked["predicate"])) >= 5  # the predicates are exercised on real claims
    events = claims[claims["kind"] == "event"]
    assert events["date_source"].map(bool).all()


@pytest.mark.skipif(not ARTICLE_TEXT.exists(), reason="the article text is not in /work/shared")
def test_shipped_quotes_are_verbatim():
    doc = yaml.safe_load(SHIPPED_CLAIMS.read_text(encoding="utf-8"))
    assert quote_problems(doc, ARTICLE_TEXT.read_text(encoding="utf-8")) == []


def test_quote_problems_finds_an_altered_quote():
    doc = {
        "claims": [
            {"id": "a", "quote": "Iran and Azerbaijan share a  border"},
            {"id": "b", "quote": "the same\nreligion"},
        ]
    }
    problems = quote_problems(doc, "Iran and Azerbaijan share a land border, the same religion.")
    assert [(p.record, p.field) for p in problems] == [("a", "quote")]
