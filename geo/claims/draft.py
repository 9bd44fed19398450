"""Draft claim records from an article: one proposed claim per relevant sentence.

Each proposal keeps the verbatim sentence as its quote, a placeholder summary, an
attribution, a proposed kind, the places, routes and countries found by
:mod:`geo.claims.mentions`, and a proposed check; ``review: draft`` marks it for a person to
edit before :func:`geo.save_claims`.
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left, bisect_right
from datetime import date as _date
from pathlib import Path

from .._errors import ClaimsFileError
from ..deadline import Deadline
from . import registry
from .files import check_article_length
from .mentions import MODE_WORDS, Gazetteer, find_mentions, gazetteer, tokens
from .text import (
    Quantity,
    article_header,
    length_binding,
    propose_topics,
    quantities,
    sentences,
)

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
# Only ever searched for (never for its span). It starts where a run of digits, commas and
# dots starts, and takes the run whole (possessive): a unit never begins with one of those, so
# no shorter take or later start could match where this one fails, and a long run of digits
# is read once instead of once from each digit.
_METRIC = re.compile(
    r"(?<![\d,.])[,.]*+\d[\d,.]*+\s*+(%|per ?cent|km|kilomet\w*|miles?|tonnes?|tons?|million|"
    r"billion|TEU)\b",
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
_CONNECT = re.compile(r"\b(connect\w*|link\w*|between|towards|bound for)\b", re.IGNORECASE)
# "from ... to" on one line, tested by :func:`_connects` in two searches: as one pattern
# ("from .+ to") it rescans the rest of the line from every "from", quadratic in a line
# with many of them.
_FROM = re.compile(r"\bfrom [^\n]", re.IGNORECASE)
_TO = re.compile(r" to\b", re.IGNORECASE)
# "will connect", "is to link", "planned to connect": a connection yet to be built
_FUTURE_LINK = re.compile(r"\b(?:will|would|shall|(?:is|are|set|planned|plans?|aims?) to)\s+"
                          r"(?:\w+\s+){0,2}(?:connect|link)", re.IGNORECASE)
# A capital named for its government ("Tehran said", "Baku insists", "according to Moscow",
# "Yerevan's position"): a political actor, not a place on the map.
_ACTOR_AFTER = re.compile(
    r"(?:\s+and\s+[A-Z][\w’'-]+)?\s+(?:has\s+|have\s+|had\s+|is\s+|was\s+|will\s+|would\s+|"
    r"does\s+not\s+|did\s+not\s+|also\s+)?(?:said|says|say|announced|stated|states|claims?|"
    r"claimed|wants?|wanted|insists?|insisted|accused|accuses|warned|warns|demanded|demands|"
    r"rejected|rejects|opposes|opposed|agreed|agrees|believes?|fears?|hopes?|denied|denies|"
    r"responded|reacted|argues?|argued|threatened|threatens|objects?|objected|refused|refuses|"
    r"views?|sees|considers?)\b|['’]s\s+(?:position|stance|policy|policies|officials?|"
    r"government|leadership|objections?|concerns?|interests?|view|demands?)\b")
_ACTOR_BEFORE = re.compile(r"\b(?:according\s+to|officials\s+in|talks\s+between|"
                           r"relations\s+between)\s+$", re.IGNORECASE)
# "BAKU, Azerbaijan, October 14." alone: a dateline, not a claim.
_DATELINE = re.compile(r"[A-Z][\w .’'-]{1,40}(?:,\s*[A-Z][\w .’'-]{1,40})?,\s*(?:Jan|Feb|Mar|"
                       r"Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\.?")


def _is_actor(text: str, start: int, end: int) -> bool:
    """Whether the place named at ``text[start:end]`` stands for its government."""
    return bool(_ACTOR_AFTER.match(text, end, min(len(text), end + 60))
                or _ACTOR_BEFORE.search(text, max(0, start - 30), start))


_COMPARE = re.compile(r"\b(shorter|longer|faster|slower|than)\b", re.IGNORECASE)
_IN_COUNTRY = re.compile(r"\b(in|inside|within|into)\s*$", re.IGNORECASE)


def _connects(sentence: str) -> bool:
    """Whether the sentence says a route links ends: "connects", "between", "from A to B"...

    For "from ... to" the first "from" of each line is enough: a later "from" on the same
    line leaves less room for the " to" after it.
    """
    if _CONNECT.search(sentence):
        return True
    at = 0
    while (m := _FROM.search(sentence, at)) is not None:
        line_end = sentence.find("\n", m.end())
        line_end = len(sentence) if line_end < 0 else line_end
        if _TO.search(sentence, m.end(), line_end) is not None:
            return True
        at = line_end + 1
    return False


# The longest a draft may take, in seconds. Drafting is linear in the text, and the longest
# text allowed (``settings.max_article_chars``, 200 000 characters) drafts in a few seconds;
# the limit keeps one draft from holding the app's server (shared by every session) however
# the text is made.
DRAFT_DEADLINE_S = 30.0
UNKNOWN_PUBLICATION = "unknown publication"
# The most claims one draft proposes. Each is for a person to review, and writing them out
# (YAML, the app's review table) costs far more than finding them: 33 000 one-word sentences
# ("Baku. Baku. ...") draft in 2 s but take 20 s to print. A long report gives a few hundred.
MAX_DRAFT_CLAIMS = 1000


_TITLE_JOINS = {"of", "and", "for", "the", "de", "al", "von", "van", "&"}


def _name_and_title(words: list[str], limit: int = 14) -> list[str]:
    """The capitalised name with its title that ends ``words`` ("Minister of Transport and
    Infrastructure of Türkiye Abdulkadir Uraloglu"), or [] when the last word is not
    capitalised ("the minister")."""
    taken: list[str] = []
    for word in reversed(words[-limit:]):
        if word[:1].isupper() or (taken and word.lower() in _TITLE_JOINS):
            taken.insert(0, word)
        else:
            break
    while taken and taken[0].lower() in _TITLE_JOINS:
        taken.pop(0)
    return taken


def _attribution(sentence: str) -> dict:
    m = _SAYS.search(sentence)
    who = ""
    if m:
        clause = re.split(r"[,;:—–]", sentence[: m.start()])[-1].split()
        who = " ".join(_name_and_title(clause) or clause[-8:]).strip()
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


def _mode_of(sentence: str) -> str | None:
    """The one mode a sentence names ("railway" -> rail), or None."""
    words = {t.norm for t in tokens(sentence)}
    modes = [m for m in ("rail", "road") if words & MODE_WORDS[m]]
    return modes[0] if len(modes) == 1 else None


def _check(predicate: str, args: dict, tests: str, why: str) -> dict:
    return registry.proposed(predicate, args, tests=tests, why=why)


def _propose_check(
    sentence: str, kind: str, feats: dict, spans: list, offset: int, gaz: Gazetteer,
    lengths: list[Quantity],
) -> dict:
    none = {"predicate": None, "args": {}}
    if kind == "opinion":
        return {**none, "reason": "opinion: recorded, not checked"}
    if kind == "allegation":
        return {**none, "reason": "not checkable from geodata: an allegation (draft; review)"}
    routes, places, countries = feats["routes"], feats["places"], feats["countries"]
    # only a length that measures a whole line between named places is checked; one of a
    # part, of land or of nothing the words say goes to a person ("needs review")
    on_line = [q for q in lengths if length_binding(sentence, q) == "line"]
    if lengths and len(places) >= 2 and not on_line:
        first = lengths[0]
        what = {"part": "a part of a line (a section, or some km of it), not a whole line",
                "land": "land, not a line",
                "unbound": "nothing the sentence's words tie it to"}[length_binding(sentence, first)]
        return {**none, "reason": f"needs review: {first.describe()} measures {what}; no "
                "length check is proposed (draft; choose one if the sentence states a length "
                "between two places)"}
    if on_line and len(places) >= 2:
        length = on_line[0]
        args = {"km": round(length.value, 1), "a": places[0], "b": places[-1]}
        mode = _mode_of(sentence)
        on_route = [r for r in routes if {places[0], places[-1]} <= gaz.route_stops.get(r, set())
                    and (mode is None or gaz.route_mode.get(r) == mode)]
        if on_route:
            args["route"] = on_route[0]
        elif mode is not None:
            args["mode"] = mode
        return _check("stated_length", args, "assertion",
                      f"The sentence states a length of {length.describe()} between "
                      "two places: the check compares it with the network")
    if len(routes) >= 2 and _COMPARE.search(sentence):
        return _check("length_ratio", {"route_a": routes[0], "route_b": routes[1]}, "context",
                      "The sentence compares two routes; their lengths are context until the "
                      "comparison it makes is set as 'expect'")
    if routes and _connects(sentence):
        ends = places if len(places) >= 2 else countries
        if len(ends) >= 2:
            args = {"route": routes[0], "a": ends[0], "b": ends[-1]}
            if _FUTURE_LINK.search(sentence):
                args["tense"] = "future"
                return _check("route_connects", args, "assertion", "The sentence states that "
                              "the route will connect these ends (a link being built fits)")
            return _check("route_connects", args, "assertion",
                          "The sentence states that the route connects these ends (a running "
                          "link on the article's date)")
    if (
        len(countries) >= 2
        and _TERRITORIAL.search(sentence)
        and re.search(r"border|neighbo", sentence, re.IGNORECASE)
    ):
        return _check("shares_border", {"a": countries[0], "b": countries[1]}, "assertion",
                      "The sentence states that the two countries are neighbours")
    if routes and countries:
        return _check("route_km_in_country", {"route": routes[0], "country": countries[0]},
                      "context", "Where the route runs is context for the sentence")
    # Spans are in order of start: a country within 40 characters after a place is found by
    # bisection, not by pairing every span with every other (quadratic in a list of names).
    starts = [sp[0] for sp in spans]
    for start, _end, k, ident in spans:
        if k != "place":
            continue
        for s2, _e2, k2, code in spans[bisect_right(starts, start): bisect_right(starts, start + 40)]:
            if k2 == "country" and _IN_COUNTRY.search(sentence[_end - offset : s2 - offset]):
                return _check("place_in_country", {"place": ident, "country": code}, "context",
                              "Where the place lies only locates what the sentence says")
    return {
        **none,
        "reason": "draft: no predicate fits automatically; choose one if the sentence makes a "
        "geographic assertion, else say why it is not checkable",
    }


def draft_claims(
    text: str,
    *,
    article_id: str,
    publication: str = UNKNOWN_PUBLICATION,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    url: str | None = None,
    kind: str = "news",
    language: str = "en",
    source_file: str | None = None,
    data_dir: Path | str | None = None,
    deadline_s: float | None = None,
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
        The article's details; ``kind`` is {"news", "opinion", "analysis"}. Details not
        given are read from the text's header lines where it has them ("Publication:",
        "Source:", "Title:", "Author:", "Date:", "URL:", "Language:";
        :func:`geo.claims.text.article_header`), and no header line becomes a claim. Missing
        title, author or date get a note saying they were not given.
    data_dir
        Data folder whose names are searched (default ``settings.data_dir``).
    deadline_s
        The longest the draft may take, in seconds (default :data:`DRAFT_DEADLINE_S`).

    Raises
    ------
    ClaimsFileError
        ``text`` is longer than ``settings.max_article_chars``, the draft took longer than
        ``deadline_s``, or it would propose more than :data:`MAX_DRAFT_CLAIMS` claims; the
        message says which, and nothing is returned half-done.
    """
    check_article_length(text)  # before any work on it
    deadline = Deadline(
        DRAFT_DEADLINE_S if deadline_s is None else deadline_s,
        what=f"the draft of article {article_id!r}", setting="deadline_s, DRAFT_DEADLINE_S",
        advice="the text is too long or too unusual to draft in time. Nothing was drafted; "
               "draft claims from a shorter part of it.",
        error=ClaimsFileError,
    )
    header, body_at = article_header(text)
    if publication in ("", UNKNOWN_PUBLICATION):
        publication = header.get("publication", UNKNOWN_PUBLICATION)
    title, author = title or header.get("title"), author or header.get("author")
    date, url = date or header.get("date"), url or header.get("url")
    if language == "en" and header.get("language"):
        language = header["language"]
    gaz = gazetteer(data_dir)
    found = find_mentions(text, data_dir)
    deadline.check("finding places, routes and countries")
    spans_of = sorted(found["spans"], key=lambda sp: sp[0])  # a sentence's: by bisection
    span_starts = [sp[0] for sp in spans_of]
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
    for number, (a, b) in enumerate(sentences(text), start=1):
        deadline.check(f"sentence {number}")
        if a < body_at:  # a header line ("Source: ...") states details, not a claim
            continue
        sentence = text[a:b]
        if _DATELINE.fullmatch(sentence):
            continue
        spans = [sp for sp in spans_of[bisect_left(span_starts, a): bisect_left(span_starts, b)]
                 if not (sp[2] == "place" and _is_actor(text, sp[0], sp[1]))]
        seen: dict = {"places": {}, "routes": {}, "countries": {}}  # ordered sets
        for _s, _e, k, ident in spans:
            seen[{"place": "places", "route": "routes", "country": "countries"}[k]][ident] = None
        feats = {key: list(ids) for key, ids in seen.items()}
        factual = _EVENT.search(sentence) or _METRIC.search(sentence)
        if not (spans or factual):
            continue
        ckind = _kind(sentence, feats)
        stated = quantities(sentence)
        lengths = [q for q in stated if q.kind == "length"]
        attribution = _attribution(sentence)
        check = _propose_check(sentence, ckind, feats, spans, a, gaz, lengths)
        if check.get("predicate") == "stated_length":
            ckind = "metric"
        claim = {
            "id": f"{article_id}-{len(claims) + 1:02d}"[-80:],
            "quote": sentence,
            "summary": draft_summary(attribution, ckind, feats, stated, gaz, check),
            "attribution": attribution,
            "kind": ckind,
            "features": {k: v for k, v in feats.items() if v},
            "check": check,
            "topics": propose_topics(sentence, check.get("predicate")),
            "review": "draft",
        }
        checked_km = (check.get("args") or {}).get("km") if check.get("predicate") == \
            "stated_length" else None
        others = [q for q in stated if not (q.kind == "length" and checked_km is not None
                                            and round(q.value, 1) == checked_km)]
        if others:
            claim["context"] = [{"text": "Figures the sentence states, not checked: "
                                 + "; ".join(f"{q.describe()} ({q.kind})" for q in others),
                                 "source": "the article (draft)"}]
        day = next((q for q in stated if q.kind == "date"), None)
        if ckind == "event" and day is not None and _iso(day.text):
            claim["date"] = {"value": _iso(day.text), "precision": _precision(_iso(day.text)),
                             "source": "date stated in the sentence (draft; verify)"}
        elif ckind == "event":
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
        if len(claims) > MAX_DRAFT_CLAIMS:
            msg = (f"the draft of article {article_id!r}: the text gives more than "
                   f"{MAX_DRAFT_CLAIMS:,} claims to review (MAX_DRAFT_CLAIMS, passed at "
                   f"sentence {number:,}); nothing was drafted: draft claims from the part of "
                   "the text that matters")
            raise ClaimsFileError(msg)
    return {"article": article, "claims": claims}


VERBS = {"event": "reports", "territorial": "describes", "infrastructure": "describes",
         "metric": "gives figures on", "allegation": "alleges wrongdoing concerning",
         "opinion": "gives an opinion on"}


def draft_summary(attribution: dict, kind: str, feats: dict, stated: list[Quantity],
                  gaz: Gazetteer, check: dict) -> str:
    """A short neutral summary made by rules: who, what and how much.

    "(draft) The article gives figures on Kars, Igdir and Dilucu: 224.0 km." Names come from the
    data's English names; quantities as stated (lengths in km).
    """
    who = "The article" if attribution["role"] == "author" else \
        attribution["who"].replace(" (as reported by the article)", " (as reported)")
    who = who[:1].upper() + who[1:]
    if check.get("predicate") == "stated_length":
        args = check["args"]
        return (f"(draft) {who} states a length of {args['km']:,.1f} km between "
                f"{gaz.names.get(args['a'], args['a'])} and {gaz.names.get(args['b'], args['b'])}.")
    names = [gaz.names.get(i, i) for i in feats["routes"] + feats["places"] + feats["countries"]]
    what = f" {_listing(names[:4])}" if names else ""
    amounts = [q.describe() for q in stated if q.kind in ("length", "money", "percent")]
    when = [q.text for q in stated if q.kind in ("date", "year")]
    tail = (f": {', '.join(amounts)}" if amounts else "") + (f" ({', '.join(when)})" if when else "")
    verb = VERBS.get(kind, "mentions")
    verb = verb if names else verb.removesuffix(" on").removesuffix(" concerning").removesuffix(
        " an opinion") or verb
    return f"(draft) {who} {verb}{what}{tail}."


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _iso(text: str) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` of a date as written ("22 August 2025", "March 2019")."""
    for fmt, out in (("%d %B %Y", "%Y-%m-%d"), ("%B %d %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"),
                     ("%Y-%m-%d", "%Y-%m-%d")):
        try:
            return _dt.datetime.strptime(text.replace(",", ""), fmt).strftime(out)
        except ValueError:
            continue
    return None


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
