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
from dataclasses import dataclass

KM_PER_MILE = 1.609344

ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "rev", "hon", "pres",
    "gov", "sen", "rep", "amb", "jr", "sr", "co", "corp", "inc", "ltd", "no", "nos", "vol",
    "fig", "approx", "est", "etc", "vs", "al", "cf", "ca", "km", "mln", "bn", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s",
    "u.k", "u.n", "a.m", "p.m",
})
_BOUNDARY = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9\u0400-\u04FF\u0531-\u058F])"
                       r"|\n+")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*[\"'”’»)\]]*$")
_URL = re.compile(r"(https?://\S+|www\.\S+|\b[\w-]+(\.[\w-]+)+\.(az|com|ir|ru|am|ge|tr|org|net|"
                  r"io|info|gov|edu|uk|de|fr)\b\S*)", re.IGNORECASE)

_NUMBER = r"(\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+)(?:[.,](\d+))?"
_SCALE = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
          "trillion": 1e12}
_LENGTH = re.compile(rf"(?<![\w.]){_NUMBER}\s*(?:-\s*)?(km|kilomet(?:re|er)s?|miles?|mi)\b",
                     re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![\w.]){_NUMBER}\s*(%|per ?cent)", re.IGNORECASE)
_MONEY = re.compile(
    rf"(?P<pre>[$€£]|USD|EUR|AZN|US\$)\s*{_NUMBER}\s*(?P<scale>thousand|million|mln|billion|bn|"
    rf"trillion|m)?\b|{_NUMBER}\s*(?P<scale2>thousand|million|mln|billion|bn|trillion)?\s*"
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
    """Spans of the sentences (and separate lines) of ``text``, without surrounding spaces."""
    protected = [(m.start(), m.end()) for m in _URL.finditer(text)]
    cuts = [0]
    for m in _BOUNDARY.finditer(text):
        if any(a <= m.start() < b for a, b in protected):
            continue
        if m.group().startswith(".") and _not_an_end(text[: m.start() + 1]):
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


def quantities(text: str) -> list[Quantity]:
    """Every length, percentage, sum of money, date and year stated in ``text``, in order."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(q: Quantity) -> None:
        if not any(a < q.end and q.start < b for a, b in taken):
            found.append(q)
            taken.append((q.start, q.end))

    for m in _MONEY.finditer(text):
        if m.group("pre"):
            value = _number(m.group(2), m.group(3))
            scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
            unit = m.group("pre").upper().replace("US$", "USD").replace("$", "USD").replace(
                "€", "EUR").replace("£", "GBP")
        else:
            value = _number(m.group(4), m.group(5))
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
