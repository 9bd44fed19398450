"""Draft claim records from an article: one proposed claim per relevant sentence.

Each proposal keeps the verbatim sentence as its quote, a placeholder summary, an
attribution, a proposed kind, the places, routes and countries found by
:mod:`geo.claims.mentions`, and a proposed check; ``review: draft`` marks it for a person to
edit before :func:`geo.save_claims`.
"""

from __future__ import annotations

import re
from datetime import date as _date
from pathlib import Path

from .mentions import Gazetteer, find_mentions, gazetteer

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’»)]*|\n|$)")
_ACCORDING = re.compile(r"according to (?P<who>[^,.;]{2,60})", re.IGNORECASE)
_SAYS = re.compile(
    r"\b(?:again\s+|also\s+)?(?:said|says|stated|told|claimed|described|preferred|spoke|announced|argued)\b"
)
_OPINION = re.compile(
    r"\b(should|ought|must|could|I think|we believe|in my view|it seems|strange|"
    r"one could argue|hard to argue|reasons to)\b",
    re.IGNORECASE,
)
_ALLEGATION = re.compile(
    r"\b(alleg\w*|accus\w*|lies|slander\w*|spy|spies|plot\w*|interfer\w*)\b", re.IGNORECASE
)
_METRIC = re.compile(
    r"\d[\d,.]*\s*(%|per ?cent|km|kilomet\w*|miles?|tonnes?|tons?|million|billion|TEU)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(met|meeting|visit\w*|opened|signed|launched|attack\w*|announced|agreed|began|started|"
    r"completed|closed|said|spoke|compared|described|this week|yesterday|today|on \d{1,2} \w+ \d{4}|"
    r"in (January|February|March|April|May|June|July|August|September|October|November|December))\b",
    re.IGNORECASE,
)
_INFRA = re.compile(
    r"\b(rail\w*|road|corridor|bridge|port|line|highway|ferr\w+|route|station|crossing|gate)\b",
    re.IGNORECASE,
)
_TERRITORIAL = re.compile(
    r"\b(border\w*|territor\w*|exclave|province|sovereign\w*|bank of|side|neighbo\w*)\b",
    re.IGNORECASE,
)
_CONNECT = re.compile(
    r"\b(connect\w*|link\w*|between|from .+ to|towards|bound for)\b", re.IGNORECASE
)
_COMPARE = re.compile(r"\b(shorter|longer|faster|slower|than)\b", re.IGNORECASE)
_IN_COUNTRY = re.compile(r"\b(in|inside|within|into)\s*$", re.IGNORECASE)


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and separate lines) of ``text``, without surrounding spaces."""
    out = []
    for m in _SENTENCE.finditer(text):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a and re.search(r"\w", text[a:b]):
            out.append((a, b))
    return out


def _attribution(sentence: str) -> dict:
    m = _SAYS.search(sentence)
    who = ""
    if m:
        clause = re.split(r"[,;:—–]", sentence[: m.start()])[-1].split()
        who = " ".join(clause[-8:]).strip()
    if not who:
        acc = _ACCORDING.search(sentence)
        who = acc.group("who").strip() if acc else ""
    if not who:
        return {"who": "the article's author", "role": "author"}
    return {"who": f"{who} (as reported by the article)", "role": "reported"}


def _kind(sentence: str, feats: dict) -> str:
    if _OPINION.search(sentence):
        return "opinion"
    if _ALLEGATION.search(sentence):
        return "allegation"
    if _METRIC.search(sentence):
        return "metric"
    if _EVENT.search(sentence):
        return "event"
    if feats["routes"] or _INFRA.search(sentence):
        return "infrastructure"
    return (
        "territorial"
        if feats["countries"] or feats["places"] or _TERRITORIAL.search(sentence)
        else "event"
    )


def _propose_check(
    sentence: str, kind: str, feats: dict, spans: list, offset: int, gaz: Gazetteer
) -> dict:
    none = {"predicate": None, "args": {}}
    if kind == "opinion":
        return {**none, "reason": "opinion: recorded, not checked"}
    if kind == "allegation":
        return {**none, "reason": "not checkable from geodata: an allegation (draft; review)"}
    routes, places, countries = feats["routes"], feats["places"], feats["countries"]
    if len(routes) >= 2 and _COMPARE.search(sentence):
        return {
            "predicate": "length_ratio",
            "args": {"route_a": routes[0], "route_b": routes[1]},
            "reason": None,
        }
    if routes and _CONNECT.search(sentence):
        ends = places if len(places) >= 2 else countries
        if len(ends) >= 2:
            return {
                "predicate": "route_connects",
                "args": {"route": routes[0], "a": ends[0], "b": ends[-1]},
                "reason": None,
            }
    if (
        len(countries) >= 2
        and _TERRITORIAL.search(sentence)
        and re.search(r"border|neighbo", sentence, re.IGNORECASE)
    ):
        return {
            "predicate": "shares_border",
            "args": {"a": countries[0], "b": countries[1]},
            "reason": None,
        }
    if routes and countries:
        return {
            "predicate": "route_km_in_country",
            "args": {"route": routes[0], "country": countries[0]},
            "reason": None,
        }
    for start, _end, k, ident in spans:
        if k != "place":
            continue
        for s2, _e2, k2, code in spans:
            gap = sentence[start - offset : s2 - offset] if s2 > start else ""
            if (
                k2 == "country"
                and s2 > start
                and len(gap) <= 40
                and _IN_COUNTRY.search(sentence[_end - offset : s2 - offset])
            ):
                return {
                    "predicate": "place_in_country",
                    "args": {"place": ident, "country": code},
                    "reason": None,
                }
    return {
        **none,
        "reason": "draft: no predicate fits automatically; choose one if the sentence makes a "
        "geographic assertion, else say why it is not checkable",
    }


def draft_claims(
    text: str,
    *,
    article_id: str,
    publication: str = "unknown publication",
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    url: str | None = None,
    kind: str = "news",
    language: str = "en",
    source_file: str | None = None,
    data_dir: Path | str | None = None,
) -> dict:
    """A claims document proposed from article ``text``, for a person to edit and save.

    One claim per sentence that mentions a place, route or country, or that reads as an event
    or a metric. Each has the verbatim sentence as ``quote``, a placeholder summary marked
    ``(draft)``, an attribution (the author, or a speaker found by "X said"), a proposed
    ``kind`` {"event", "territorial", "infrastructure", "metric", "allegation", "opinion"},
    the features found, a date (the article's ``date`` if given, else ``unknown``) for events,
    and a proposed check (a predicate where one fits, else none with a reason).
    ``review: draft`` marks every proposal. Save with :func:`geo.save_claims`.

    Parameters
    ----------
    text
        The article text.
    article_id
        Id of the new claims file (lowercase letters, digits, '-').
    publication, title, author, date, url, kind, language, source_file
        The article's details; ``kind`` is {"news", "opinion", "analysis"}. Missing title,
        author or date get a note saying they were not given.
    data_dir
        Data folder whose names are searched (default ``settings.data_dir``).
    """
    gaz = gazetteer(data_dir)
    found = find_mentions(text, data_dir)
    article = {
        "id": article_id,
        "publication": publication,
        "title": title,
        "title_note": None if title else "not given when the draft was made",
        "author": author,
        "author_note": None if author else "not given when the draft was made",
        "date": date,
        "date_note": None if date else "not given when the draft was made",
        "url": url,
        "kind": kind,
        "language": language,
        "source_file": source_file,
        "as_of": _date.today().isoformat(),
    }
    claims = []
    for a, b in sentences(text):
        sentence = text[a:b]
        spans = [s for s in found["spans"] if a <= s[0] < b]
        feats = {"places": [], "routes": [], "countries": []}
        for _s, _e, k, ident in spans:
            bucket = feats[{"place": "places", "route": "routes", "country": "countries"}[k]]
            if ident not in bucket:
                bucket.append(ident)
        factual = _EVENT.search(sentence) or _METRIC.search(sentence)
        if not (spans or factual):
            continue
        ckind = _kind(sentence, feats)
        claim = {
            "id": f"{article_id}-{len(claims) + 1:02d}"[-80:],
            "quote": sentence,
            "summary": f"(draft) {sentence if len(sentence) <= 160 else sentence[:157] + '...'}",
            "attribution": _attribution(sentence),
            "kind": ckind,
            "features": {k: v for k, v in feats.items() if v},
            "check": _propose_check(sentence, ckind, feats, spans, a, gaz),
            "review": "draft",
        }
        if ckind == "event":
            claim["date"] = (
                {
                    "value": date,
                    "precision": _precision(date),
                    "source": "article date (draft; verify)",
                }
                if date
                else {
                    "value": None,
                    "precision": "unknown",
                    "source": "not given in the article (draft; find a source)",
                }
            )
        claims.append(claim)
    return {"article": article, "claims": claims}


def _precision(value: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(str(value)), "unknown")


def set_claim_kind(claim: dict, kind: str, *, date: str | None = None) -> dict:
    """A copy of a draft ``claim`` with its ``kind`` changed and the rules of that kind kept.

    ``kind`` is {"event", "territorial", "infrastructure", "metric", "allegation", "opinion"}.
    An opinion loses its predicate (opinions are recorded, not checked); an event gets a date
    block if it has none (``date``, else ``unknown`` with a note to find a source). For the
    app's draft editor, so a changed kind does not make the document invalid.
    """
    out = {**claim, "kind": kind}
    if kind == "opinion":
        out["check"] = {"predicate": None, "args": {}, "reason": "opinion: recorded, not checked"}
    if kind == "event" and not out.get("date"):
        out["date"] = (
            {"value": date, "precision": _precision(date), "source": "article date (draft; verify)"}
            if date
            else {
                "value": None,
                "precision": "unknown",
                "source": "not given in the article (draft; find a source)",
            }
        )
    return out
