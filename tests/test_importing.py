"""An article from a web page (``geo/claims/importing.py``): a saved page read offline, a fetch
that cannot reach its address, and the CLI's draft from either."""

from __future__ import annotations

import pytest
import yaml
from helpers import SHIPPED_DATA, shipped_ready

from geo import ClaimsFileError
from geo.claims.importing import article_from_html, fetch_article
from geo.cli import main

pytest.importorskip("trafilatura")

# A page written for this test: a menu and a footer around two paragraphs of article text.
PAGE = """<html><head><title>Rail link report</title>
<meta name="author" content="Ann Writer"><meta property="og:site_name" content="Test Gazette">
<meta property="article:published_time" content="2025-10-14T10:00:00Z"></head>
<body><nav>Home | News | Sport | Weather</nav><article><h1>Rail link report</h1>
<p>The railway from Rasht to Astara (Iran) is about 162 km long, officials said on Tuesday in
a statement that covered the works planned for the coming years.</p>
<p>Works are planned to begin next year, and the ministry expects the whole line to open to
traffic within four years of the start.</p></article><footer>Copyright Test Gazette</footer>
</body></html>"""


def test_a_saved_page_gives_its_text_and_details():
    page = article_from_html(PAGE, url="https://example.org/rail-link")
    assert "about 162 km long" in page["text"] and "four years" in page["text"]
    assert "Home | News" not in page["text"] and "Copyright" not in page["text"]
    assert (page["title"], page["author"], page["date"], page["publication"], page["url"]) == (
        "Rail link report", "Ann Writer", "2025-10-14", "Test Gazette",
        "https://example.org/rail-link")


def test_a_page_without_an_article_is_said_with_its_source():
    with pytest.raises(ClaimsFileError, match=r"^menu\.html: no article text found"):
        article_from_html("<html><body><nav>Home</nav></body></html>", source="menu.html")


@pytest.mark.parametrize(("url", "said"), [
    ("http://127.0.0.1:9/article", "could not be fetched"),  # nothing listens there
    ("ftp://example.org/a", "not a web address"),
    ("article.html", "not a web address"),
])
def test_a_page_that_cannot_be_fetched_says_how_to_go_on(url, said):
    with pytest.raises(ClaimsFileError) as err:
        fetch_article(url, deadline_s=5)
    assert str(err.value).startswith(f"{url}: ") and said in str(err.value)
    if said == "could not be fetched":
        assert "save the page" in str(err.value)


@pytest.mark.skipif(not shipped_ready(), reason="shipped data not present yet")
def test_the_cli_drafts_from_a_saved_page_with_its_details(tmp_path, capsys):
    saved = tmp_path / "rail-link.html"
    saved.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    assert main(["--data-dir", str(SHIPPED_DATA), "claims", "draft", str(saved),
                 "--out", str(out)]) == 0
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["article"]["id"] == "rail-link"
    assert (doc["article"]["publication"], doc["article"]["date"], doc["article"]["author"]) == (
        "Test Gazette", "2025-10-14", "Ann Writer")
    quotes = [c["quote"] for c in doc["claims"]]
    assert any("162 km" in q for q in quotes) and not any("Home" in q for q in quotes)
    assert main(["--data-dir", str(SHIPPED_DATA), "claims", "draft", "--from-url",
                 "http://127.0.0.1:9/x"]) == 2
    err = capsys.readouterr().err
    assert "could not be fetched" in err and "Traceback" not in err
