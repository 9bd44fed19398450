"""Claims files cannot be corrupted by their content: values are YAML data (never in a comment),
one-line fields lose their line breaks, and a file that would not load is never written."""

from __future__ import annotations

import shutil

import pytest
import yaml
from helpers import SHIPPED_DATA, TINY_CLAIMS, tiny_claims_folder

import geo
from geo import settings
from geo.claims.files import check_article_text, dump_claims, read_article
from geo.cli import main

BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"]


@pytest.fixture
def folder(tmp_path):
    return tiny_claims_folder(tmp_path / "data")


def tiny_doc() -> dict:
    doc = yaml.safe_load(TINY_CLAIMS.read_text(encoding="utf-8"))
    doc["article"]["id"] = "new-article"
    return doc


@pytest.mark.parametrize("br", BREAKS, ids=[f"U+{ord(b[-1]):04X}" for b in BREAKS])
def test_a_line_break_in_a_one_line_field_is_saved_as_a_space(folder, br):
    doc = tiny_doc()
    doc["article"]["publication"] = f"Reuters{br}London"
    doc["article"]["title"] = f"Rails{br}{br}across the strip "
    doc["claims"][0]["summary"] = f"The article states{br}that Aland and Bland share a border."
    doc["claims"][0]["attribution"]["who"] = f"the article's{br}author"
    path = geo.save_claims(doc, data_dir=folder)
    text = path.read_text(encoding="utf-8")
    assert "Reuters" not in "".join(line for line in text.splitlines() if line.startswith("#"))
    articles = geo.load_articles(data_dir=folder).set_index("article_id")
    assert articles.loc["new-article", "publication"] == "Reuters London"
    assert articles.loc["new-article", "title"] == "Rails across the strip"
    claims = geo.load_claims("new-article", data_dir=folder).set_index("claim_id")
    assert claims.loc["tiny-01", "summary"] == "The article states that Aland and Bland share a border."
    assert claims.loc["tiny-01", "who"] == "the article's author"
    assert len(geo.load_claims(data_dir=folder)) == 2 * len(claims)  # every file still loads


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\ufeff", "\n", "\x00", "\t"])
def test_multi_line_text_reads_back_exactly(folder, char):
    """PyYAML alone reads U+0085 in quoted text back as a space: it must come back as written."""
    doc = tiny_doc()
    doc["claims"][0]["quote"] = f"Aland and{char}Bland  share a border.{char}"
    geo.save_claims(doc, data_dir=folder)
    claims = geo.load_claims("new-article", data_dir=folder).set_index("claim_id")
    assert claims.loc["tiny-01", "quote"] == f"Aland and{char}Bland  share a border.{char}"
    assert yaml.safe_load(dump_claims(doc)) == doc


def test_a_document_that_would_not_read_back_is_not_written(folder):
    doc = tiny_doc()
    geo.save_claims(doc, data_dir=folder)
    path = folder / "claims" / "new-article.yaml"
    before = path.read_bytes()
    doc["claims"][0]["quote"] = "half a character \ud800"  # a lone surrogate: no file holds it
    with pytest.raises(geo.ClaimsFileError, match=rf"{path}: not saved: the written text would not "
                       r"load .*; nothing was changed"):
        geo.save_claims(doc, data_dir=folder, overwrite=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["new-article.yaml", "tiny-article.yaml"]


def test_a_hand_edited_line_break_is_reported_by_claim_and_field(folder):
    doc = tiny_doc()
    doc["claims"][1]["summary"] = "Two\u2029lines"
    problems = geo.validate_claims(doc, data_dir=folder)
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "claim 'tiny-02', field 'summary' = 'Two\\u2029lines': must be one line, but holds a line "
        "break (U+2029 PARAGRAPH SEPARATOR)"]


def test_the_issue_13_reproduction(tmp_path, capsys):
    """``claims draft ... --save --publication $'Reuters\\nLondon'``, then ``claims``: both work."""
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data)
    article = tmp_path / "article.txt"
    article.write_text("The Zangezur corridor would link Horadiz with Nakhchivan through Meghri.",
                       encoding="utf-8")
    code = main(["--data-dir", str(data), "claims", "draft", str(article), "--article-id", "x",
                 "--save", "--yes", "--publication", "Reuters\nLondon", "--title", "A\u2028title",
                 "--author", "Someone", "--date", "2026-05-01"])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["--data-dir", str(data), "claims", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"article_id": "x"' in out and '"article_id": "jpost-azerbaijan-iran"' in out
    articles = geo.load_articles(data_dir=data).set_index("article_id")
    assert articles.loc["x", "publication"] == "Reuters London"
    assert articles.loc["x", "title"] == "A title"


# ---------------------------------------------------------------------------------------------
# The size of an article to draft from


def test_an_article_over_the_limit_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "max_article_chars", 1000)
    assert check_article_text("x" * 1000) == "x" * 1000
    with pytest.raises(geo.ClaimsFileError, match=r"the article text: 1,001 characters is more than "
                       r"the 1,000 an article may have \(settings\.max_article_chars\)"):
        check_article_text("x" * 1001)
    with pytest.raises(geo.ClaimsFileError, match="is empty"):
        check_article_text(" \n ")


def test_a_huge_article_file_is_refused_before_it_is_read(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(settings, "max_article_chars", 1000)
    article = tmp_path / "big.txt"
    article.write_text("Mid " * 2000, encoding="utf-8")  # 8000 bytes > 4 x 1000

    def no_reading(self):
        raise AssertionError("read in full")

    monkeypatch.setattr(type(article), "read_bytes", no_reading)
    with pytest.raises(geo.ClaimsFileError, match=r"big\.txt: 8,000 bytes is more than an article "
                       r"may have \(1,000 characters"):
        read_article(article)
    assert main(["claims", "draft", str(article)]) == 2
    assert "8,000 bytes is more than an article may have" in capsys.readouterr().err
