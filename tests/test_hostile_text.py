"""Hostile article text (issue 25): drafting is linear in the text and has a size and time budget.

40 000 full stops took 25 s to draft and 199 000 never finished: ``sentences`` copied the whole
text before every boundary, and several patterns rescanned a run of dots, digits or names from
each of its characters. Each case below is near the size limit and must draft in a few
seconds, or be refused at once with a message.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import geo
from geo import settings
from geo._errors import ClaimsFileError
from geo.claims import draft as draft_module
from geo.claims.text import _URL, _WORD_BEFORE, ABBREVIATIONS, quantities, sentences

#: Seconds a draft near the size limit may take here (the issue's bound is 5 s; a loaded test
#: machine gets some slack, a quadratic draft takes minutes).
FAST_S = 5.0

HOSTILE = {
    "dots": "." * 200_000,
    "a-dots": "a. " * 66_000,
    "initials": "A. " * 66_000,
    "abbreviations": "Mr. " * 50_000,
    "digits": "1" * 200_000,
    "thousands": "111 " * 50_000,
    "hyphens": "a-" * 99_990 + ". Next",
    "dotted": "a." * 99_990 + " Next",
    "from": "Baku railway from " * 11_000,
    "names in one sentence": "Baku, " * 33_000,
    "paragraphs": "Baku Julfa Kars\n\n" * 11_000,
    "lines": "Baku\n" * 40_000,
    # one long sentence (it names a place, so its figures are read)
    "thousands in a sentence": "Baku " + "111 " * 49_000,
    "digits in a sentence": "Baku $" + "1" * 190_000,
    "lengths in a sentence": "Baku " + "11 km " * 30_000,
    "years in a sentence": "Baku " + "2019 " * 38_000,
    "sums in a sentence": "Baku " + "5 dollars " * 19_000,
    "spaces in a sentence": "Baku 1" + " " * 190_000 + "dollars",
}


@pytest.fixture(autouse=True, scope="module")
def warm_gazetteer():
    """Build the names once, so each case times drafting and not loading the data."""
    geo.find_mentions("Baku")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_drafts_fast_or_is_refused(name):
    text = HOSTILE[name]
    assert len(text) <= settings.max_article_chars
    started = time.monotonic()
    try:
        doc = geo.draft_claims(text, article_id="hostile")
    except ClaimsFileError as err:  # a budget: a message, never a traceback
        assert "MAX_DRAFT_CLAIMS" in str(err)
    else:
        assert len(doc["claims"]) <= draft_module.MAX_DRAFT_CLAIMS
    assert time.monotonic() - started < FAST_S, name


def test_text_over_the_size_limit_is_refused_at_once():
    started = time.monotonic()
    with pytest.raises(ClaimsFileError, match=r"210,000 characters is more than the 200,000 "
                                              r"an article may have \(settings\.max_article_chars\)"):
        geo.draft_claims("a. " * 70_000, article_id="hostile")
    assert time.monotonic() - started < 1


def test_a_draft_over_its_time_limit_stops_with_a_message():
    with pytest.raises(ClaimsFileError, match=r"the draft of article 'slow': gave up .* the time "
                                              r"limit of 1e-06 s"):
        geo.draft_claims("Baku. " * 1000, article_id="slow", deadline_s=1e-6)


def test_too_many_claims_stop_with_a_message(monkeypatch):
    monkeypatch.setattr(draft_module, "MAX_DRAFT_CLAIMS", 5)
    with pytest.raises(ClaimsFileError, match=r"more than 5 claims to review \(MAX_DRAFT_CLAIMS"):
        geo.draft_claims("Baku is a city. " * 10, article_id="many")


def test_a_sum_written_before_its_currency_is_read():
    """"5 dollars" used to fail: the figure was read from the wrong groups of the pattern."""
    (money,) = quantities("It costs 5 dollars.")
    assert (money.kind, money.value, money.unit, money.text) == ("money", 5.0, "DOLLAR",
                                                                 "5 dollars")
    values = [q.value for q in quantities("1,200 million euros and $3 bn")]
    assert values == [1.2e9, 3e9]


# ---------------------------------------------------------------------------------------------
# The linear sentence splitter finds what the old one found


def _old_sentences(text: str) -> list[tuple[int, int]]:
    """The splitter as it was before issue 25 (quadratic), to compare with."""
    boundary = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9\u0400-\u04FF"
                          r"\u0531-\u058F])|\n+")

    def not_an_end(before: str) -> bool:
        m = _WORD_BEFORE.search(before)
        if not m:
            return False
        word = m.group(1).rstrip(".")
        return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isalpha()
                                                 and word.isupper())

    protected = [(m.start(), m.end()) for m in _URL.finditer(text)]
    cuts = [0]
    for m in boundary.finditer(text):
        if any(a <= m.start() < b for a, b in protected):
            continue
        if m.group().startswith(".") and not_an_end(text[: m.start() + 1]):
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a and re.search(r"\w", text[a:b]):
            out.append((a, b))
    return out


PIECES = ["a", "A", "B", "Mr", "e.g", "U.S", ".", ".", ".", "!", "?", " ", " ", "\n", '"', "”",
          "-", "www", "http://", "com", "az", "trend", "1", "x", "co", "info", ")", "«", "Ə"]


def test_sentences_split_as_before_on_random_text():
    rng = random.Random(25)
    for _ in range(20_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))
        assert sentences(text) == _old_sentences(text), repr(text)


@pytest.mark.parametrize("text", [
    "Visit trend.az. Then go.", "See www.example.com. Next one.", "Mr. Smith went. He left.",
    "It is 1.3 km. The U.S. said so. A. Smith agreed.", "https://a.b/c. Next.",
    "The e.g. case. Another.", "Go to news.trend.az. It is there.",
])
def test_sentences_split_as_before_on_prose(text):
    assert sentences(text) == _old_sentences(text)


# ---------------------------------------------------------------------------------------------
# The command line


def test_cli_refuses_or_drafts_the_issue_texts_fast(tmp_path):
    corridors = Path(sys.executable).with_name("corridors")
    cases = {"dots": "." * 200_000, "a-dots": "a. " * 70_000, "initials": "A. " * 66_000}
    for name, text in cases.items():
        article = tmp_path / f"{name}.txt"
        article.write_text(text)
        started = time.monotonic()
        done = subprocess.run([str(corridors), "claims", "draft", str(article)],
                              capture_output=True, text=True, timeout=120)
        assert time.monotonic() - started < FAST_S + 5, name  # and the start-up of Python
        assert "Traceback" not in done.stderr, done.stderr
        if name == "a-dots":
            assert done.returncode != 0
            assert "210,000 characters is more than the 200,000" in done.stderr
        if name == "initials":
            assert done.returncode == 0, done.stderr
            assert "Review: 0 proposed claim(s)" in done.stderr


# ---------------------------------------------------------------------------------------------
# The app: a draft over budget is a message on the page


@pytest.mark.parametrize("text, message", [
    ("a. " * 70_000, "210,000 characters is more than the 200,000"),
    ("The line to Mid opened. " * 30, "more than 5 claims to review"),
])
def test_app_shows_an_over_budget_draft_as_a_page_message(tiny_data, monkeypatch, text, message):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(settings, "data_dir", tiny_data)
    monkeypatch.setattr(draft_module, "MAX_DRAFT_CLAIMS", 5)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"),
                           default_timeout=120)
    at.run()
    at.switch_page("app_pages/claims.py")
    at.run()
    boxes = {t.label: t for t in at.text_input}
    boxes["Article id"].input("hostile")
    next(t for t in at.text_area if t.label == "Article text").input(text)
    started = time.monotonic()
    next(b for b in at.button if b.label == "Draft claims").click().run()
    assert time.monotonic() - started < 30
    assert not at.exception, [e.value for e in at.exception]
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert "draft_doc" not in at.session_state
