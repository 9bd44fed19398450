"""Neutralise text before it reaches a terminal table or a CSV file (HTML: see :mod:`geo.escape`).

Article, claims and data text may hold control characters (a NUL byte, an escape sequence
that recolours a terminal), bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE makes
``"Meghri\\u202egnp."`` show as ``"Meghri.png"`` and reorders what follows it on the line)
and text a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+``, ``-``, ``@``).

* :func:`table_cell`: for text tables read on screen. Control characters, line breaks and
  bidirectional formatting characters are shown as escapes (``\\x00``, ``\\n``,
  ``\\u202e``), so nothing hidden changes what a reader sees; letters of any script,
  right-to-left included, are unchanged.
* :func:`csv_cell`: for CSV files. Line breaks and tabs are kept (the CSV writer quotes them);
  other control characters are shown as escapes; text with bidirectional controls is wrapped
  in an isolate (U+2068 ... U+2069) with its own controls balanced, so it cannot reorder the
  cells after it; text a spreadsheet would take as a formula gets a leading ``'``.
* :func:`table_frame`, :func:`csv_frame`: the same for every text cell and column name of a
  frame.
"""

from __future__ import annotations

import re

import pandas as pd

#: Bidirectional formatting characters that open a scope, and the character that closes it.
BIDI_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
                "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
PDF, PDI, FSI = "\u202c", "\u2069", "\u2068"
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

#: C0 controls but tab, line feed and carriage return; DEL; C1 controls (U+0080..U+009F).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: In a table every control, line break and bidirectional formatting character is escaped.
_TABLE_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def table_cell(text: str) -> str:
    """``text`` for a table on screen: hidden characters shown as escapes (``\\x00``, ``\\n``)."""
    return _TABLE_HIDDEN.sub(_escape, text)


def isolate_bidi(text: str) -> str:
    """``text`` with its bidirectional controls balanced and wrapped in an isolate (FSI..PDI).

    Text without such controls is returned unchanged. Every embedding, override or isolate the
    text opens is closed at its end; a closing control with nothing to close is dropped (on
    its own it has no effect, but it could close the surrounding isolate).
    """
    if not BIDI_CONTROLS.search(text):
        return text
    open_: list[str] = []
    out: list[str] = []
    for char in text:
        if char in BIDI_OPENERS:
            open_.append(BIDI_OPENERS[char])
        elif char == PDF:
            if not open_ or open_[-1] != PDF:
                continue
            open_.pop()
        elif char == PDI:
            if PDI not in open_:
                continue
            while open_.pop() != PDI:  # a PDI also closes the embeddings inside its isolate
                pass
        out.append(char)
    return FSI + "".join(out) + "".join(reversed(open_)) + PDI


def is_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (plain numbers are not)."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text.strip())


def csv_cell(value: object) -> object:
    """A CSV cell: text neutralised (controls escaped, bidi isolated, formulas quoted with ``'``);
    other values unchanged."""
    if not isinstance(value, str):
        return value
    text = _CONTROLS.sub(_escape, value)
    if is_formula(text):
        text = "'" + text
    return isolate_bidi(text)


def _map_frame(frame: pd.DataFrame, cell) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(cell)
    out.columns = [cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through :func:`csv_cell`."""
    return _map_frame(frame, csv_cell)


def table_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through :func:`table_cell`."""
    return _map_frame(frame, lambda v: table_cell(v) if isinstance(v, str) else v)
