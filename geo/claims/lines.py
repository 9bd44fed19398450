"""Single-line fields of a claims file: which they are, and how line breaks are found and joined.

A line break in a one-line field (a publication pasted with a U+2028 LINE SEPARATOR, a title
with a newline) is refused by the validator (:mod:`geo.claims.schema`) and replaced by a space
by :func:`one_line_fields`, which :func:`geo.save_claims` applies before validating.
"""

from __future__ import annotations

import re

#: Fields that hold one line of text: every field of the article block, and these of a claim
#: (and of its mappings). A line break in them is refused by the validator and replaced by a
#: space by :func:`one_line_fields` (which :func:`geo.save_claims` applies).
SINGLE_LINE_CLAIM = ("id", "summary", "kind", "review")
SINGLE_LINE_NESTED = {"attribution": ("who", "role"), "date": ("value", "precision", "source"),
                      "check": ("predicate",)}
#: Every character that breaks a line in YAML or in Python (str.splitlines), not only "\n".
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
LINE_BREAK_NAMES = {"\n": "a line feed", "\r": "a carriage return", "\x85": "U+0085 NEXT LINE",
                    "\u2028": "U+2028 LINE SEPARATOR", "\u2029": "U+2029 PARAGRAPH SEPARATOR"}


def one_line(text: object) -> object:
    """``text`` with every line break (and the spaces around it) replaced by one space."""
    if not isinstance(text, str) or not LINE_BREAKS.search(text):
        return text
    return re.sub(r"\s*" + LINE_BREAKS.pattern + r"[\s\x85\u2028\u2029]*", " ", text).strip()


def one_line_fields(doc: object) -> object:
    """A copy of a claims document whose single-line fields hold no line break (joined with a
    space); other fields, and documents that are not mappings, are unchanged."""
    if not isinstance(doc, dict):
        return doc
    out = dict(doc)
    art = out.get("article")
    if isinstance(art, dict):
        out["article"] = {k: one_line(v) for k, v in art.items()}
    items = out.get("claims")
    if isinstance(items, list):
        out["claims"] = [_one_line_claim(c) if isinstance(c, dict) else c for c in items]
    return out


def _one_line_claim(claim: dict) -> dict:
    out = {k: one_line(v) if k in SINGLE_LINE_CLAIM else v for k, v in claim.items()}
    for key, fields in SINGLE_LINE_NESTED.items():
        if isinstance(out.get(key), dict):
            out[key] = {k: one_line(v) if k in fields else v for k, v in out[key].items()}
    return out
