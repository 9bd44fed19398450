"""Verdicts that test the assertion, the stated-length check, reading article text, and claims
checked as of their article's date."""

from __future__ import annotations

import warnings

import pytest
import yaml
from helpers import equator_world, km, write_world

import geo
from geo import settings
from geo.claims.text import KM_PER_MILE, quantities, sentences

# ---------------------------------------------------------------------------------------------
# A hand-made claims file


def _doc(claims: list[dict], **article) -> dict:
    art = {"id": "test-article", "publication": "Test Gazette", "title": "T", "author": "A",
           "date": "2026-01-10", "kind": "news", "language": "en", "as_of": "2026-01-10"}
    art.update(article)
    return {"article": art, "claims": claims}


def _claim(cid: str, kind: str, check: dict, quote: str = "A quote.") -> dict:
    out = {"id": cid, "quote": quote, "summary": "A neutral summary.",
           "attribution": {"who": "the article's author", "role": "author"}, "kind": kind,
           "check": {"reason": None, **check}}
    if kind == "event":
        out["date"] = {"value": "2026-01", "precision": "month", "source": "Test Gazette"}
    return out


def _write(folder, doc):
    (folder / "claims").mkdir(exist_ok=True)
    path = folder / "claims" / f"{doc['article']['id']}.yaml"
    # written as a person writes it: a value shared by claims in full each time (claims files
    # are read without YAML aliases)
    path.write_text(yaml.dump(doc, Dumper=_NoAliases, allow_unicode=True))
    return path


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


@pytest.fixture
def world(tmp_path):
    return write_world(tmp_path / "w", equator_world())


def test_place_in_country_on_an_event_is_context_and_warned(world):
    located = {"predicate": "place_in_country", "args": {"place": "mid", "country": "BBB"}}
    _write(world, _doc([
        _claim("visit", "event", {**located, "tests": "assertion", "why": "the visit was in Bland"}),
        _claim("untied", "territorial", located),
        _claim("tied", "territorial", {**located, "tests": "assertion", "why": "states where Mid is"}),
        _claim("context", "territorial", {**located, "tests": "context", "why": "locates it"}),
    ]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checked = geo.check_claims(data_dir=world).set_index("claim_id")
    messages = [str(w.message) for w in caught if issubclass(w.category, geo._errors.ClaimCheckWarning)]
    assert any("claim 'visit': a place_in_country check can only locate an event" in m for m in messages)
    assert any("claim 'untied': its place_in_country check gives a verdict but is not tied" in m
               for m in messages)
    assert not any("'tied'" in m or "'context'" in m for m in messages)
    assert checked.loc["visit", "verdict"] == "context_only"
    assert checked.loc["untied", "verdict"] == "context_only"
    assert checked.loc["tied", "verdict"] == "consistent"
    assert checked.loc["context", "verdict"] == "context_only"
    assert checked.loc["context", "evidence"].startswith("For context (locates it):")


def test_saving_warns_too(world):
    doc = _doc([_claim("untied", "territorial",
                       {"predicate": "shares_border", "args": {"a": "AAA", "b": "BBB"}})])
    with pytest.warns(geo._errors.ClaimCheckWarning, match="claim 'untied'"):
        geo.save_claims(doc, data_dir=world)


# ---------------------------------------------------------------------------------------------
# The stated-length check


def _length_claim(km_value, **args):
    return _claim("len", "metric", {"predicate": "stated_length",
                                    "args": {"km": km_value, "a": "west", "b": "east", **args},
                                    "tests": "assertion", "why": "the sentence states the length"})


def test_stated_length_consistent_and_inconsistent(world):
    drawn = km(0.2, 0, 1.5, 0) + km(1.5, 0, 2.7, 0)
    close = geo.claims.check_claim({**geo.claims.files.claim_row(_doc([])["article"], _length_claim(
        round(drawn * 1.1, 1), route="w-e")), "role": "author"}, data_dir=world)
    assert close["verdict"] == "consistent"  # drawn lines run short: within 20%
    assert close["figures"]["network_km"] == pytest.approx(drawn, abs=0.1)
    assert close["figures"]["tolerance_km"] == pytest.approx(0.2 * drawn, abs=0.2)
    assert f"{drawn:,.0f} km (measured on the drawn line) from West to East along West to East" \
        in close["evidence"]
    far = geo.claims.check_claim(geo.claims.files.claim_row(_doc([])["article"], _length_claim(
        round(drawn * 2, 1))), data_dir=world)
    assert far["verdict"] == "inconsistent"
    assert "outside the" in far["evidence"] and "more" in far["evidence"]


def test_stated_length_against_published_chainage_is_strict(world):
    refs = [{"id": "c", "kind": "section", "measures": "m", "subject": {"segments": ["w-m", "m-e"]},
             "value": 300, "unit": "km", "source": "test", "date": "2026", "chainage": True}]
    (world / "references.yaml").write_text(yaml.safe_dump({"references": refs}))
    article = _doc([])["article"]
    ok = geo.claims.check_claim(geo.claims.files.claim_row(article, _length_claim(305)), data_dir=world)
    assert ok["verdict"] == "consistent" and ok["figures"]["tolerance_km"] == pytest.approx(9.0)
    off = geo.claims.check_claim(geo.claims.files.claim_row(article, _length_claim(315)), data_dir=world)
    assert off["verdict"] == "partly_consistent"
    wrong = geo.claims.check_claim(geo.claims.files.claim_row(article, _length_claim(340)), data_dir=world)
    assert wrong["verdict"] == "inconsistent"
    assert "300 km (published chainage" in wrong["evidence"]


# ---------------------------------------------------------------------------------------------
# Reading article text


def test_sentences_keep_decimals_money_abbreviations_initials_and_urls():
    text = ("The bridge costs €1.3 billion, trend.com reported. Mr. A. B. Smith of the U.S. "
            "said it is 3.5 km long, e.g. short. See https://example.org/a.b for more! "
            "Trains run at 8 p.m. daily.\nA new line")
    got = [text[a:b] for a, b in sentences(text)]
    assert got == ["The bridge costs €1.3 billion, trend.com reported.",
                   "Mr. A. B. Smith of the U.S. said it is 3.5 km long, e.g. short.",
                   "See https://example.org/a.b for more!",
                   "Trains run at 8 p.m. daily.", "A new line"]


def test_quantities_lengths_miles_percentages_money_dates():
    found = quantities("The 224 km line, 120 miles of road and a 1,250-kilometre branch cost "
                       "$2.5 billion (15%) from 6 March 2019 to 2029; 40 per cent is done.")
    by_kind = {}
    for q in found:
        by_kind.setdefault(q.kind, []).append(q.value)
    assert by_kind["length"] == [224.0, pytest.approx(120 * KM_PER_MILE), 1250.0]
    assert by_kind["money"] == [2.5e9]
    assert by_kind["percent"] == [15.0, 40.0]
    assert by_kind["date"] == ["6 March 2019"] and by_kind["year"] == ["2029"]
    assert [q.unit for q in found if q.kind == "money"] == ["USD"]


def test_draft_proposes_the_length_check_and_writes_a_summary_by_rules(world):
    text = ("The railway minister said the 250 km West–East railway opens in 2027. "
            "According to the ministry it will cost €1.3 billion.")
    doc = geo.draft_claims(text, article_id="news", data_dir=world)
    first = doc["claims"][0]
    assert first["check"]["predicate"] == "stated_length"
    assert first["check"]["args"] == {"km": 250.0, "a": "west", "b": "east", "route": "w-e"}
    assert first["check"]["tests"] == "assertion"
    assert first["summary"] == ("(draft) The railway minister (as reported) states a length of "
                                "250.0 km between West and East.")
    assert "2027 (year)" in first["context"][0]["text"]
    assert not doc["claims"][0]["summary"].endswith("...")
    table = geo.claims.preview(doc, data_dir=world)
    assert table.loc[0, "verdict"] == "consistent"  # 250 km against 278 km drawn: within 20%
    assert "stated_length(km=250.0" in table.loc[0, "check"]


def test_draft_attributes_to_the_whole_name_and_title_of_the_speaker(world):
    text = ("The West–East railway will open in five years, Minister of Transport and "
            "Infrastructure of Türkiye Abdulkadir Uraloglu told a TV channel. "
            "The line is 250 km long, the minister said.")
    doc = geo.draft_claims(text, article_id="news", data_dir=world)
    first, second = doc["claims"][:2]
    assert first["attribution"]["who"] == ("Minister of Transport and Infrastructure of Türkiye Abdulkadir "
                                "Uraloglu (as reported by the article)")
    assert second["attribution"]["who"] == "the minister (as reported by the article)"


# ---------------------------------------------------------------------------------------------
# Claims as of their article's date


def test_a_verdict_that_differs_between_the_article_date_and_today(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "today", "2026-11-30")
    world = equator_world()
    world["segments"][1].update(status="operational", as_of="2026-06-01", lifecycle=[
        {"date": "2024-01", "event": "construction_start", "kind": "happened",
         "status": "under_construction", "source": "test"},
        {"date": "2026-05", "event": "opening", "kind": "happened", "status": "operational",
         "source": "test"}])
    folder = write_world(tmp_path / "d", world)
    connects = {"predicate": "route_connects",
                "args": {"route": "w-e", "a": "AAA", "b": "CCC", "operational": True},
                "tests": "assertion", "why": "states that the line runs"}
    _write(folder, _doc([_claim("runs", "infrastructure", connects)], date="2025-03-01"))
    row = geo.check_claims(data_dir=folder).set_index("claim_id").loc["runs"]
    assert row["checked_as_of"] == "2025-03-01"
    assert row["verdict"] == "inconsistent"  # under construction then: it did not run
    assert row["verdict_today"] == "consistent"  # open since 2026-05
    assert row["evidence"].startswith("As of 2025-03-01: ")
    assert " Today (2026-11-30): " in row["evidence"]
    today = geo.check_claims(data_dir=folder, as_of="today").set_index("claim_id").loc["runs"]
    assert today["verdict"] == "consistent" and not today["evidence"].startswith("As of")


def test_todays_evidence_says_which_statuses_may_be_out_of_date(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "today", "2026-11-30")
    world = equator_world()
    world["segments"][0].update(as_of="2026-01-15")  # 319 days before "today"
    world["segments"][1].update(as_of="2026-10-01")
    folder = write_world(tmp_path / "d", world)
    connects = {"predicate": "route_connects", "args": {"route": "w-e", "a": "AAA", "b": "CCC"},
                "tests": "assertion", "why": "states that the line runs"}
    _write(folder, _doc([_claim("runs", "infrastructure", connects)], date="2026-11-01"))
    today = geo.check_claims(data_dir=folder, as_of="today").set_index("claim_id").loc["runs"]
    assert today["verdict"] == "consistent"
    assert today["evidence"].endswith(" Note: status may be out of date (recorded more than 183 "
                                      "days ago) on 1 section(s): w-m.")
    # checked as of the article's date: the verdict rests on the dated history, and the
    # evidence gives one text (the note alone does not make "as of ... today ..." texts)
    row = geo.check_claims(data_dir=folder).set_index("claim_id").loc["runs"]
    assert row["checked_as_of"] == "2026-11-01" and "out of date" not in row["evidence"]
    assert not row["evidence"].startswith("As of") and "Note: status may" in row["evidence_today"]


# ---------------------------------------------------------------------------------------------
# One definition per predicate


def test_adding_a_predicate_is_one_edit(world):
    """A predicate registered once is validated by the schema, run by the checks, held to the
    verdict rule by its verdict argument, worded by its voice, and usable by the draft."""
    from geo.claims import registry
    from geo.claims.registry import predicate

    @predicate("route_mode_is", states=True, verdict_arg="mode",
               args={"route": ("route", True), "mode": ("mode", False)})
    def route_mode_is(geo_data, args, claim):
        modes = sorted(set(geo_data.segments.loc[geo_data.routes.at[args["route"], "segments"],
                                                 "mode"]))
        verdict = "consistent" if modes == [args.get("mode")] else "inconsistent"
        return verdict, f"{args['route']} is {args.get('mode')}", f"modes {modes}", {}

    try:
        checked = {"predicate": "route_mode_is", "tests": "assertion", "why": "states the mode"}
        _write(world, _doc([
            _claim("rail", "infrastructure", {**checked, "args": {"route": "w-e", "mode": "rail"}}),
            _claim("road", "infrastructure", {**checked, "args": {"route": "w-e", "mode": "road"}}),
            _claim("no-mode", "infrastructure", {**checked, "args": {"route": "w-e"}}),
        ]))
        rows = geo.check_claims(data_dir=world).set_index("claim_id")
        assert rows.at["rail", "verdict"] == "consistent"
        assert rows.at["road", "verdict"] == "inconsistent"
        assert rows.at["no-mode", "verdict"] == "context_only"  # no verdict argument given
        assert " states that w-e is rail" in rows.at["rail", "evidence"]
        bad = _doc([_claim("x", "infrastructure", {**checked, "args": {"route": "w-e",
                                                                        "speed": 3}})])
        problems = geo.validate_claims(bad, data_dir=world)
        assert [(p.field, p.message) for p in problems] == [
            ("check.args.speed", "not an argument of route_mode_is; use route, mode")]
        assert registry.proposed("route_mode_is", {"route": "w-e"}, tests="context",
                                 why="w")["predicate"] == "route_mode_is"
    finally:
        registry.unregister("route_mode_is")
    with pytest.raises(ValueError, match="unknown predicate 'route_mode_is'"):
        registry.proposed("route_mode_is", {"route": "w-e"}, tests="context", why="w")
    problems = geo.validate_claims(bad, data_dir=world)
    assert problems and problems[0].field == "check.predicate"


# ---------------------------------------------------------------------------------------------
# Topics: the claims of many articles side by side


def test_claims_on_a_topic_side_by_side_by_date(world, capsys):
    import io

    import pandas as pd

    from geo.cli import main

    drawn = km(0.2, 0, 1.5, 0) + km(1.5, 0, 2.7, 0)
    for art, day, stated in (("later", "2025-06-01", round(drawn, 1)),
                             ("earlier", "2023-03-01", round(drawn * 2, 1))):
        claim = {**_length_claim(stated), "topics": ["rasht-astara-length"]}
        other = _claim("other", "territorial", {"predicate": None, "args": {},
                                                "reason": "not checkable from geodata: test"})
        _write(world, _doc([claim, other], id=art, date=day, publication=f"{art} Gazette",
                           outlet_country="AZE" if art == "later" else "IRN"))
    assert main(["--data-dir", str(world), "claims", "--topic", "rasht-astara-length",
                 "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table["publication"]) == ["earlier Gazette", "later Gazette"]  # by date
    assert list(table["outlet_country"]) == ["IRN", "AZE"]
    assert list(table["article_date"]) == ["2023-03-01", "2025-06-01"]
    assert list(table["stated_km"]) == [round(drawn * 2, 1), round(drawn, 1)]
    assert table["geodata_km"].tolist() == pytest.approx([drawn, drawn], abs=0.1)
    assert list(table["verdict"]) == ["inconsistent", "consistent"]
    assert list(table["checked_as_of"]) == ["2023-03-01", "2025-06-01"]
    same = geo.claims_on_topic("rasht-astara-length", data_dir=world)  # the library's view
    assert list(same["claim_id"]) == list(table["claim_id"])
    assert list(same["verdict"]) == list(table["verdict"])
    with pytest.raises(ValueError, match="unknown topic 'tea-prices'"):
        geo.claims_on_topic("tea-prices", data_dir=world)
    bad = _doc([{**_length_claim(100), "topics": ["tea-prices"]}])
    problems = geo.validate_claims(bad, data_dir=world)
    assert [p.field for p in problems] == ["topics"]
    assert "rasht-astara-length" in problems[0].message
    problems = geo.validate_claims(_doc([_length_claim(100)], outlet_country="az"), data_dir=world)
    assert [p.field for p in problems] == ["outlet_country"]
