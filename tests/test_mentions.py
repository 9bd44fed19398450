"""Finding places, routes and countries in text; drafting claims; the draft flow end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from helpers import SHIPPED_DATA, shipped_ready, tiny_world, write_data

import geo
from geo import settings
from geo.claims import preview
from geo.claims.draft import sentences
from geo.claims.mentions import skeleton
from geo.cli import main
from geo.names import fold

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "data" / "articles" / "sample-second-article.txt"
needs_shipped = pytest.mark.skipif(not shipped_ready(), reason="shipped data not present yet")
EXPECTED = HERE / "data" / "articles" / "sample-second-article.expected.yaml"
NOT_IN_SAMPLE = {"yerevan", "tehran", "mumbai-jnpt"}


def test_fold_and_skeleton_absorb_transliterations():
    assert fold("Zəngəzur") == "zangazur"
    assert fold("İĞDIR") == "igdir"
    assert len({skeleton(fold(w)) for w in ("Zangezur", "Zangazur", "Zəngəzur")}) == 1
    assert len({skeleton(fold(w)) for w in ("Nakhchivan", "Nakhichevan", "Naxçıvan")}) == 1
    assert skeleton("meghri") == skeleton("megri")
    assert (
        skeleton("rasht") != skeleton("roast") or len(skeleton("rasht")) < 4
    )  # short: never fuzzy


@pytest.fixture
def tiny(tmp_path) -> Path:
    world = tiny_world()
    world["places"].append(
        {**world["places"][0], "id": "west-2", "name_en": "West", "lon": 2.4, "country": "CCC"}
    )  # a second "West", in Cland
    return write_data(tmp_path / "data", world)


def test_tiny_mentions_all_name_forms(tiny):
    text = "Trains from West reach Middle, or Мид in Russian, and Midd; then East. Blandish officials agree."
    found = geo.find_mentions(text, data_dir=tiny)
    assert found["places"] == ["west", "west-2", "mid", "east"]  # West is ambiguous here: both kept
    assert found["routes"] == [
        "w-e"
    ]  # inferred: the paragraph names three of its stops and "Trains"
    assert geo.find_mentions("Trains from West reach Middle.", data_dir=tiny)["routes"] == []
    spans = {(text[a:b], kind, ident) for a, b, kind, ident in found["spans"]}
    assert ("Мид", "place", "mid") in spans and ("Middle", "place", "mid") in spans
    assert ("Midd", "place", "mid") in spans


def test_country_next_to_a_shared_name_decides_it(tiny):
    found = geo.find_mentions("A new station opened in West in Cland.", data_dir=tiny)
    assert found["places"] == ["west-2"]
    assert found["countries"] == ["CCC"]
    found = geo.find_mentions("Aland: West got a new platform.", data_dir=tiny)
    assert found["places"] == ["west"]


def test_words_inside_other_words_are_not_mentions(tiny):
    found = geo.find_mentions("Westward, the midday train left Blandford.", data_dir=tiny)
    assert found == {"places": [], "routes": [], "countries": [], "spans": []}


def test_sample_article_mentions_match_the_expected_list():
    text = SAMPLE.read_text(encoding="utf-8")
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    found = geo.find_mentions(text)
    assert set(expected["places"]) <= set(found["places"]), set(expected["places"]) - set(
        found["places"]
    )
    assert set(expected["routes"]) <= set(found["routes"]), set(expected["routes"]) - set(
        found["routes"]
    )
    assert not NOT_IN_SAMPLE & set(found["places"])
    assert {"AZE", "ARM", "IRN", "TUR"} <= set(found["countries"])
    for start, end, kind, ident in found["spans"]:
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end], (kind, ident)


def test_sample_article_transliterations_point_to_one_place():
    text = SAMPLE.read_text(encoding="utf-8")
    spans = geo.find_mentions(text)["spans"]
    by_text = {}
    for start, end, _kind, ident in spans:
        by_text.setdefault(text[start:end], set()).add(ident)
    for form in ("Nakhichevan", "Naxçıvan", "Nakhchivan"):
        assert "nakhchivan" in by_text[form]
    assert by_text["Megri"] == by_text["Մեղրի"] == {"meghri"}
    assert by_text["Zangazur corridor"] == by_text["Zəngəzur dəhlizi"] == {"zangezur-rail"}
    assert by_text["Jolfa"] == {"jolfa-irn"} and by_text["Culfa"] == {"julfa-aze"}


def test_sentences_split_lines_and_sentences():
    text = "Title line\n\nFirst one. Second one?  Third!\n"
    assert [text[a:b] for a, b in sentences(text)] == [
        "Title line",
        "First one.",
        "Second one?",
        "Third!",
    ]


def test_draft_claims_of_the_sample_article_is_valid_and_verbatim():
    text = SAMPLE.read_text(encoding="utf-8")
    doc = geo.draft_claims(
        text, article_id="sample-second-article", publication="Test Wire", date="2026-11-20"
    )
    assert doc["article"]["id"] == "sample-second-article"
    assert geo.validate_claims(doc) == []
    claims = doc["claims"]
    assert len(claims) >= 8
    for claim in claims:
        assert claim["quote"] in text
        assert claim["review"] == "draft"
    routes = {r for c in claims for r in c["features"].get("routes", [])}
    assert set(yaml.safe_load(EXPECTED.read_text())["routes"]) <= routes
    reported = [c for c in claims if c["attribution"]["role"] == "reported"]
    assert any(c["attribution"]["who"].startswith("Armenian officials") for c in reported)
    events = [c for c in claims if c["kind"] == "event"]
    assert events and all(c["date"]["value"] == "2026-11-20" for c in events)
    assert any(c["check"]["predicate"] == "route_connects" for c in claims)


def test_draft_save_load_check_round_trip(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data)
    text = SAMPLE.read_text(encoding="utf-8")
    doc = geo.draft_claims(
        text, article_id="sample-second-article", publication="Test Wire", data_dir=data
    )
    path = geo.save_claims(doc, data_dir=data)
    checked = geo.check_claims(
        geo.load_claims("sample-second-article", data_dir=data), data_dir=data
    )
    assert len(checked) == len(doc["claims"])
    assert checked["verdict"].notna().all()
    with pytest.raises(geo.ClaimsFileError, match="file exists"):
        geo.save_claims(doc, data_dir=data)
    doc["claims"][0]["kind"] = "hearsay"
    before = path.read_bytes()
    with pytest.raises(
        geo.ClaimsFileError, match=r"claim 'sample-second-article-01', field 'kind' = 'hearsay'"
    ):
        geo.save_claims(doc, data_dir=data, overwrite=True)
    assert path.read_bytes() == before


def test_cli_draft_to_stdout_file_and_save(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data)
    monkeypatch.setattr(settings, "data_dir", data)
    assert main(["claims", "draft", str(SAMPLE), "--publication", "Test Wire"]) == 0
    doc = yaml.safe_load(capsys.readouterr().out)
    assert doc["article"]["id"] == "sample-second-article"
    out = tmp_path / "draft.yaml"
    assert (
        main(["claims", "draft", str(SAMPLE), "--article-id", "sample-x", "--out", str(out)]) == 0
    )
    assert yaml.safe_load(out.read_text())["article"]["id"] == "sample-x"
    assert main(["claims", "draft", str(SAMPLE), "--out", str(out)]) == 2
    assert "file exists and was left unchanged" in capsys.readouterr().err
    assert main(["claims", "draft", str(SAMPLE), "--save"]) == 1  # no terminal: asks for --yes
    err = capsys.readouterr().err
    assert f"Save {n_claims(SAMPLE)} draft claim(s) to {data / 'claims' / 'sample-second-article.yaml'}?" in err
    assert "Pass --yes" in err and not (data / "claims" / "sample-second-article.yaml").exists()
    assert main(["claims", "draft", str(SAMPLE), "--save", "--yes"]) == 0
    assert (data / "claims" / "sample-second-article.yaml").exists()
    assert main(["claims", "draft", str(SAMPLE), "--save", "--yes"]) == 2
    assert main(["claims", "draft", str(SAMPLE), "--save", "--yes", "--overwrite"]) == 0
    with pytest.raises(SystemExit):
        main(["claims", str(SAMPLE)])
    assert "invalid choice" in capsys.readouterr().err


def test_set_claim_kind_keeps_the_document_valid():
    from geo.claims import set_claim_kind

    doc = geo.draft_claims(SAMPLE.read_text(encoding="utf-8"), article_id="sample-k")
    checked = next(c for c in doc["claims"] if c["check"]["predicate"])
    plain = next(c for c in doc["claims"] if c["kind"] != "event")
    doc["claims"] = [
        set_claim_kind(checked, "opinion"),
        set_claim_kind(plain, "event", date="2026-05"),
    ]
    assert geo.validate_claims(doc) == []
    assert doc["claims"][0]["check"]["predicate"] is None
    assert doc["claims"][1]["date"] == {
        "value": "2026-05",
        "precision": "month",
        "source": "article date (draft; verify)",
    }
    doc["claims"][1].pop("date")  # an event without a date: what the helper prevents
    assert [p.field for p in geo.validate_claims(doc)] == ["date"]


def n_claims(path) -> int:
    return len(geo.draft_claims(path.read_text(encoding="utf-8"), article_id="x")["claims"])


@pytest.mark.parametrize(("sentence", "tense"), [
    ("The Rasht–Astara railway connects Rasht with Astara (Iran).", None),
    ("The Rasht–Astara railway will connect Rasht with Astara (Iran).", "future"),
    ("The Rasht–Astara railway is planned to connect Rasht and Astara (Iran).", "future"),
])
def test_a_connection_claim_is_drafted_in_its_tense(sentence, tense):
    doc = geo.draft_claims(sentence, article_id="tense", data_dir=SHIPPED_DATA)
    check = doc["claims"][0]["check"]
    assert check["predicate"] == "route_connects"
    assert check["args"].get("tense") == tense
    assert not geo.validate_claims(doc, data_dir=SHIPPED_DATA)


# Sentences from real reports on the Rasht–Astara railway (shortened where marked "…").
RASHT_ASTARA = {
    # AzerNews, 28 Oct 2023 (a whole line: checked)
    "whole": "Iran's state news outlets said that Russia will allocate 1.3 billion euros to "
             "continue the construction of the 162-kilometer Rasht-Astara railway.",
    # Trend, 14 Oct 2025 (a part of the line: bound to a section, not checked)
    "section": "A 34-kilometer section of the Rasht-Astara railway line in northern Iran, which "
               "is part of the North-South International Transport Corridor, has been handed "
               "over to the Russian side for research purposes.",
    # TASS, 10 Feb 2025 (some km of the line: not checked)
    "part": "One of these documents is dedicated to the transfer of 125 km of the Rasht–Astara "
            "railway to Caspian Service company as the Russian representative.",
    # Trend, 25 Feb 2025 ("… long": a whole line)
    "long": "Nine stations will be built on the Resht-Astara railroad line, which is about 163 "
            "kilometers long.",
}


@needs_shipped
def test_only_a_length_of_a_whole_line_between_named_places_is_checked():
    doc = geo.draft_claims(" ".join(RASHT_ASTARA.values()), article_id="ra",
                           data_dir=SHIPPED_DATA)
    by_quote = {c["quote"]: c for c in doc["claims"]}
    checks = {key: by_quote[text]["check"] for key, text in RASHT_ASTARA.items()}
    assert checks["whole"]["predicate"] == "stated_length" and checks["whole"]["args"]["km"] == 162
    assert checks["long"]["predicate"] == "stated_length" and checks["long"]["args"]["km"] == 163
    for key in ("section", "part"):
        assert checks[key]["predicate"] is None
        assert checks[key]["reason"].startswith("needs review: ")
        assert "a part of a line" in checks[key]["reason"]
    shown = preview(doc, SHIPPED_DATA).set_index("claim_id")
    assert "inconsistent" not in set(shown["verdict"])  # the articles are right
    assert set(shown["verdict"]) >= {"consistent", "not_checkable"}


@needs_shipped
def test_the_header_gives_the_article_details_and_no_claim():
    text = ("Source: Trend, 14 October 2025\n"
            "URL: https://www.trend.az/business/4103893.html\n"
            "Title: (not given)\n\n"
            "BAKU, Azerbaijan, October 14. " + RASHT_ASTARA["section"])
    doc = geo.draft_claims(text, article_id="trend", data_dir=SHIPPED_DATA)
    article = doc["article"]
    assert (article["publication"], article["date"], article["url"]) == (
        "Trend", "2025-10-14", "https://www.trend.az/business/4103893.html")
    assert article["title"] is None and article["title_note"]
    assert [c["quote"] for c in doc["claims"]] == [RASHT_ASTARA["section"]]  # no header line,
    # no dateline
    given = geo.draft_claims(text, article_id="trend", publication="Trend.az",
                             data_dir=SHIPPED_DATA)
    assert given["article"]["publication"] == "Trend.az"  # what the caller gives wins


@needs_shipped
@pytest.mark.parametrize(("sentence", "places"), [
    ("Tehran said the railway via Julfa would stay open.", ["julfa-aze"]),
    ("According to Baku, the line to Nakhchivan will open in 2028.", ["nakhchivan"]),
    ("The train left Tehran for Tabriz.", ["tehran", "tabriz"]),
])
def test_a_capital_that_stands_for_its_government_is_not_a_place(sentence, places):
    doc = geo.draft_claims(sentence, article_id="actor", data_dir=SHIPPED_DATA)
    assert doc["claims"][0]["features"].get("places", []) == places


@pytest.mark.parametrize(("text", "predicate", "topics"), [
    (RASHT_ASTARA["whole"], "stated_length", ["rasht-astara-length", "rasht-astara-finance"]),
    (RASHT_ASTARA["section"], None, ["rasht-astara-status", "instc-routes"]),
    ("Azerbaijan's control over the Zangezur corridor would threaten Iran.", None,
     ["syunik-section-control"]),
    ("The Horadiz-Aghband line will reach the Armenian border.", None, ["horadiz-aghband"]),
    ("Iran and Azerbaijan share the same religion.", None, ["relations"]),
])
def test_a_draft_proposes_the_topics_a_claim_is_about(text, predicate, topics):
    from geo.claims.text import propose_topics

    assert propose_topics(text, predicate) == topics


@needs_shipped
def test_every_shipped_claim_carries_a_topic_and_drafts_propose_them():
    claims = geo.load_claims(data_dir=SHIPPED_DATA)
    assert claims["topics"].map(len).min() >= 1
    doc = geo.draft_claims(RASHT_ASTARA["whole"], article_id="t", data_dir=SHIPPED_DATA)
    assert doc["claims"][0]["topics"] == ["rasht-astara-length", "rasht-astara-finance"]
    assert not geo.validate_claims(doc, data_dir=SHIPPED_DATA)
