"""Reading article text: sentences, and the quantities a sentence states.

:func:`sentences` splits at a full stop, question or exclamation mark followed by space and
the start of a new sentence, or at a line break; it keeps decimals ("1.3"), money
("€1.3 billion"), abbreviations ("e.g.", "Mr.", "U.S."), initials ("A. Smith") and web
addresses ("trend.az", "https://...") inside their sentence.

:func:`quantities` finds lengths (km, and miles converted to km), percentages, money, years
and dates, each with its span in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

KM_PER_MILE = 1.609344

ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "rev", "hon", "pres",
    "gov", "sen", "rep", "amb", "jr", "sr", "co", "corp", "inc", "ltd", "no", "nos", "vol",
    "fig", "approx", "est", "etc", "vs", "al", "cf", "ca", "km", "mln", "bn", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s",
    "u.k", "u.n", "a.m", "p.m",
})
# A boundary starts only where a run of [.!?] starts: without the look-behind the engine
# retries from every mark of a long run ("....."), each try scanning to the run's end, which
# is quadratic. A match can never start inside a run where it failed at the run's start, so
# the sentences found are the same.
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]+[\"'”’»)\]]*"
                       r"(?=\s+[\"'“‘«(\[]?[A-Z0-9\u0400-\u04FF\u0531-\u058F])|\n+")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*[\"'”’»)\]]*$")
_URL = re.compile(r"(https?://\S+|www\.\S+|\b[\w-]+(\.[\w-]+)+\.(az|com|ir|ru|am|ge|tr|org|net|"
                  r"io|info|gov|edu|uk|de|fr)\b\S*)", re.IGNORECASE)
# The pieces of _URL that :func:`_in_address` tests one at a time in linear time: a scheme or
# "www." with something after it, the labels of a dotted name, and a top-level domain.
_URL_START = re.compile(r"https?://\S|www\.\S", re.IGNORECASE)
_LABEL = re.compile(r"[\w-]+")
_TLD = re.compile(r"(az|com|ir|ru|am|ge|tr|org|net|io|info|gov|edu|uk|de|fr)\b", re.IGNORECASE)
# How far before a full stop :func:`_not_an_end` looks for the word it ends: longer than any
# abbreviation, so a longer word is cut but still not an abbreviation or an initial.
_WORD_WINDOW = 32

# A number: at most ten groups of thousands, thirty digits before and after the point (far
# beyond any figure an article states). Unbounded, a run such as "111 111 111 ..." or a long
# string of digits is re-read from each group or digit where a match may start: quadratic.
# Spaces before a unit are taken whole (``\s*+``): a unit or scale never starts with one.
_NUMBER = r"(\d{1,3}(?:[,\u202f\u00a0 ]\d{3}){1,10}|\d{1,30})(?:[.,](\d{1,30}))?"
_SCALE = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
          "trillion": 1e12}
_LENGTH = re.compile(rf"(?<![\w.]){_NUMBER}\s*+(?:-\s*+)?(km|kilomet(?:re|er)s?|miles?|mi)\b",
                     re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![\w.]){_NUMBER}\s*+(%|per ?cent)", re.IGNORECASE)
_MONEY = re.compile(
    rf"(?P<pre>[$€£]|USD|EUR|AZN|US\$)\s*+{_NUMBER}\s*(?P<scale>thousand|million|mln|billion|bn|"
    rf"trillion|m)?\b|{_NUMBER}\s*+(?P<scale2>thousand|million|mln|billion|bn|trillion)?\s*+"
    rf"(?P<post>dollars|euros|manats?|USD|EUR|AZN|rials?)\b", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_DATE = re.compile(rf"\b(\d{{1,2}} (?:{_MONTHS}) \d{{4}}|(?:{_MONTHS}) \d{{1,2}},? \d{{4}}|"
                   rf"(?:{_MONTHS}) \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d,.])(1[89]\d{2}|20\d{2})(?!\d|[.,]\d|\s*(?:km|%|miles?|per))")


@dataclass(frozen=True)
class Quantity:
    """A quantity stated in a text: ``kind`` {"length", "percent", "money", "date", "year"}."""

    kind: str
    value: float | str
    unit: str
    text: str
    start: int
    end: int

    def describe(self) -> str:
        if self.kind == "length":
            return f"{self.value:,.1f} km" + (f" ({self.text})" if "mi" in self.text.lower() else "")
        return self.text


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and separate lines) of ``text``, without surrounding spaces.

    Linear in the length of ``text``: each boundary looks only at the word it ends (a bounded
    window) and at the one run of non-space characters it closes, never at the whole text
    before it; a hostile text ("." * 200_000, "A. " * 70_000) is split as fast as prose.
    """
    cuts = [0]
    for m in _BOUNDARY.finditer(text):
        if m.group().startswith("\n"):
            cuts.append(m.end())
            continue
        if _in_address(text, m.start()):
            continue
        if m.group().startswith(".") and _not_an_end(
                text[max(0, m.start() - _WORD_WINDOW): m.start() + 1]):
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a and _has_word(text, a, b):
            out.append((a, b))
    return out


_WORD_CHAR = re.compile(r"\w")


def _has_word(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` has a letter or digit (searched in place, without a copy)."""
    return _WORD_CHAR.search(text, a, b) is not None


def _in_address(text: str, at: int) -> bool:
    """Whether the mark at ``at`` lies in a web address, as ``_URL.finditer(text)`` finds them.

    Every alternative of ``_URL`` is made of non-space characters and ends with ``\\S*`` or
    ``\\S+``, so an address runs to the end of its run of non-space characters: the mark is
    in one when an address starts in its run at or before it. Running ``_URL`` itself there
    would be quadratic on a long run ("a-a-a-...", "a.a.a...."), so this tests its parts: a
    scheme or "www." followed by something, or a dotted name of three or more labels whose
    last is a top-level domain and whose first has a letter or digit (where ``\\b`` can start).
    """
    start = at
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    head = _URL_START.search(text, start, at + 2)
    if head is not None and head.start() <= at:
        return True
    words = False  # the chain of labels (joined by single dots) has one where ``\\b`` can start
    seen = 0  # labels after that one in the chain
    prev_end = -2
    for lab in _LABEL.finditer(text, start, at):
        if not (lab.start() == prev_end + 1 and text[prev_end] == "."):
            words, seen = False, 0
        if words:
            seen += 1
            if seen >= 2 and _TLD.match(lab.group()):
                return True
        elif _WORD_CHAR.search(lab.group()):
            words = True
        prev_end = lab.end()
    return False


def _not_an_end(before: str) -> bool:
    """Whether the full stop ending ``before`` belongs to an abbreviation or an initial."""
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1).rstrip(".")
    if word.lower() in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha() and word.isupper()  # an initial: "A. Smith"


def _number(whole: str, fraction: str | None) -> float:
    digits = re.sub(r"[,\u202f\u00a0 ]", "", whole)
    return float(f"{digits}.{fraction}") if fraction else float(digits)


# What a length qualifies, read from the words right after it (and a few before it):
# "34 kilometers of land", "125 km of the Rasht–Astara railway" and "a 34-kilometer section of
# the line" measure a part of something, not a line; "the 162-kilometer Rasht-Astara railway",
# "which is about 163 kilometers long" and "a length of 160 km" measure a whole line.
_AFTER_LAND = re.compile(r"\s*(?:of\s+)?(?:land|territor|plot|area)", re.IGNORECASE)
_AFTER_PART = re.compile(r"\s*(?:(?:long\s+)?(?:section|stretch|part|portion|segment|leg|piece|"
                         r"length|share)s?\s+of\b|of\b)", re.IGNORECASE)
_AFTER_LINE = re.compile(r"\s*(?:long\b|(?:[^\s,.;:]+\s+){0,4}?(?:railways?|railroads?|rail|"
                         r"lines?|roads?|highways?|motorways?|corridors?|routes?|links?|tracks?)"
                         r"\b)", re.IGNORECASE)
_BEFORE_LINE = re.compile(r"\b(?:length\s+of|stretch(?:es|ing)?(?:\s+for)?|spans?|spanning|"
                          r"runs?|running|extends?|extending)\s+(?:about|some|around|nearly|"
                          r"almost|over|approximately|roughly|just\s+over|more\s+than)?\s*$",
                          re.IGNORECASE)
#: What :func:`length_binding` may answer.
BINDINGS = ("line", "part", "land", "unbound")


def length_binding(text: str, q: Quantity) -> str:
    """What the length ``q`` (found in ``text``) measures, by the words around it:

    * ``"line"``: a whole line, route or section named or described there ("the 162-kilometer
      Rasht-Astara railway", "about 163 kilometers long") — a length the network can check;
    * ``"part"``: a part of something ("125 km of the railway", "a 34-kilometer section of");
    * ``"land"``: land or territory ("34 kilometers of land");
    * ``"unbound"``: nothing the words say (a person should decide).

    Reads at most 60 characters after the figure and 40 before it: linear in the text.
    """
    after = text[q.end:q.end + 60]
    if _AFTER_LAND.match(after):
        return "land"
    if _AFTER_PART.match(after):
        return "part"
    if _AFTER_LINE.match(after) or _BEFORE_LINE.search(text[max(0, q.start - 40):q.start]):
        return "line"
    return "unbound"


def quantities(text: str) -> list[Quantity]:
    """Every length, percentage, sum of money, date and year stated in ``text``, in order."""
    found: list[Quantity] = []
    # Spans taken so far, in order: they never overlap, so ends are in order too and only
    # the last span starting before a new one ends can overlap it (found by bisection, not by
    # a pass over every span: a sentence listing thousands of figures stays linear).
    starts: list[int] = []
    ends: list[int] = []

    def add(q: Quantity) -> None:
        i = bisect_left(starts, q.end)
        if i and ends[i - 1] > q.start:
            return
        found.append(q)
        starts.insert(i, q.start)
        ends.insert(i, q.end)

    for m in _MONEY.finditer(text):
        if m.group("pre"):
            value = _number(m.group(2), m.group(3))
            scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
            unit = m.group("pre").upper().replace("US$", "USD").replace("$", "USD").replace(
                "€", "EUR").replace("£", "GBP")
        else:  # groups 2-4 are the first alternative's number and scale
            value = _number(m.group(5), m.group(6))
            scale = _SCALE.get((m.group("scale2") or "").lower(), 1.0)
            unit = m.group("post").upper().rstrip("S")
        add(Quantity("money", value * scale, unit, m.group().strip(), m.start(), m.end()))
    for m in _LENGTH.finditer(text):
        value = _number(m.group(1), m.group(2))
        miles = m.group(3).lower().startswith("mi")
        add(Quantity("length", value * KM_PER_MILE if miles else value, "km", m.group(),
                     m.start(), m.end()))
    for m in _PERCENT.finditer(text):
        add(Quantity("percent", _number(m.group(1), m.group(2)), "%", m.group(), m.start(), m.end()))
    for m in _DATE.finditer(text):
        add(Quantity("date", m.group(), "", m.group(), m.start(), m.end()))
    for m in _YEAR.finditer(text):
        add(Quantity("year", m.group(), "", m.group(), m.start(), m.end()))
    return sorted(found, key=lambda q: q.start)


# ---- an article's header: "Title: ...", "Publication: ...", "Source: ...", "Date: ...", "URL: ..."

_HEADER_LINE = re.compile(r"[ \t]*(title|headline|publication|source|outlet|author|byline|by|"
                          r"date|published|url|link|language)[ \t]*:[ \t]*(.*)", re.IGNORECASE)
_HEADER_KEYS = {"title": "title", "headline": "title", "publication": "publication",
                "source": "source", "outlet": "publication", "author": "author",
                "byline": "author", "by": "author", "date": "date", "published": "date",
                "url": "url", "link": "url", "language": "language"}
_DAY_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y",
                "%d.%m.%Y", "%Y-%m", "%B %Y")
MAX_HEADER_LINES = 12
HEADER_CHARS = 8_000


def header_date(value: str) -> str | None:
    """``value`` as an ISO date ("2025-10-14", "2025-10") when it is one, else None."""
    import datetime as _dt

    text = re.sub(r"\s+", " ", value.strip().rstrip(".")).replace(" ,", ",")
    for fmt in _DAY_FORMATS:
        try:
            day = _dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return day.strftime("%Y-%m" if fmt in ("%Y-%m", "%B %Y") else "%Y-%m-%d")
    return None


def article_header(text: str) -> tuple[dict[str, str], int]:
    """The details an article's first lines state, and where its body starts.

    Reads leading lines of the form ``Key: value`` (title, publication, source, author, date,
    URL, language; at most :data:`MAX_HEADER_LINES`, blank lines between them allowed) and
    stops at the first other line. ``Source:`` gives the publication when there is no
    ``Publication:``, and a URL when its value is one. A date is kept only when it reads as
    one (``header_date``); a value like "not given" is left out. Returns ``(fields, offset)``:
    the body is ``text[offset:]``, so no header line becomes a claim.
    """
    fields: dict[str, str] = {}
    offset = 0
    head = text[:HEADER_CHARS]  # the header is at the top: never split the whole text
    for count, line in enumerate(head.splitlines(keepends=True)):
        if count >= MAX_HEADER_LINES + 4:
            break
        if not line.strip():
            offset += len(line)
            continue
        m = _HEADER_LINE.fullmatch(line.rstrip("\r\n"))
        if m is None:
            break
        key, value = _HEADER_KEYS[m.group(1).lower()], m.group(2).strip()
        offset += len(line)
        if not value or value.startswith("("):
            continue
        if key == "source" and re.match(r"https?://", value):
            fields.setdefault("url", value.split()[0])
        elif key == "source":
            fields.setdefault("source", value)
        elif key == "url":
            if re.match(r"https?://", value):
                fields.setdefault("url", value.split()[0])
        elif key == "date":
            day = header_date(value)
            if day:
                fields.setdefault("date", day)
        elif key == "publication":  # "The Jerusalem Post (jpost), opinion piece"
            fields.setdefault(key, value.split(",")[0].strip())
        else:
            fields.setdefault(key, value)
    if "publication" not in fields and "source" in fields:
        # "Source: Trend, 14 October 2025": the outlet, and a date when one follows it
        outlet, _, rest = fields["source"].partition(",")
        fields["publication"] = outlet.strip()
        if "date" not in fields and header_date(rest):
            fields["date"] = header_date(rest)
    fields.pop("source", None)
    return (fields, offset) if fields or offset == 0 else ({}, 0)


# ---- topics a claim is about (geo.vocab.TOPICS), proposed from its words and its check

_T_RASHT = re.compile(r"\b(rasht|resht)\b", re.IGNORECASE)
_T_MONEY = re.compile(r"loan|euro|financ|billion|million|\$|€|\bcost|credit|invest",
                      re.IGNORECASE)
_T_SYUNIK = re.compile(r"zangezur|zangazur|meghri|syunik|trump route|tripp|crossroads of peace",
                       re.IGNORECASE)
_T_CONTROL = re.compile(r"control|sovereign|jurisdiction|recaptur|manage|territor",
                        re.IGNORECASE)
_T_RULES = (
    ("horadiz-aghband", re.compile(r"horadiz|aghband|agband", re.IGNORECASE)),
    ("kars-nakhchivan", re.compile(r"\bkars\b.{0,40}(i[gğ]d[iı]r|dilucu|diluju|nakh)|"
                                   r"i[gğ]d[iı]r|dilucu|diluju", re.IGNORECASE)),
    ("middle-corridor", re.compile(r"middle corridor|trans-caspian|baku-tbilisi-kars|"
                                   r"baku–tbilisi–kars|\bbtk\b", re.IGNORECASE)),
    ("aras-route", re.compile(r"\baras\b|kalaleh|(through|via) ir[a]n", re.IGNORECASE)),
)


def propose_topics(text: str, predicate: str | None = None) -> list[str]:
    """Topics (``geo.vocab.TOPICS`` ids) that ``text`` reads as being about, in vocabulary
    order; ``["relations"]`` when no corridor topic fits. A proposal for a person to review."""
    found: list[str] = []
    if _T_RASHT.search(text):
        if predicate == "stated_length":
            found.append("rasht-astara-length")
        found.append("rasht-astara-finance" if _T_MONEY.search(text) else "rasht-astara-status")
    if _T_SYUNIK.search(text):
        found.append("syunik-section-control" if _T_CONTROL.search(text)
                     else "syunik-link-status")
    found += [topic for topic, rule in _T_RULES if rule.search(text)]
    if re.search(r"north.south|instc", text, re.IGNORECASE):
        found.append("instc-transit-time" if re.search(r"\bdays?\b|\bweeks?\b", text)
                     else "instc-routes")
    if predicate in ("shares_border", "border_share_near_route"):
        found.append("borders")
    return list(dict.fromkeys(found)) or ["relations"]

