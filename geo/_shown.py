"""Values shown in messages: cut to a few dozen characters, and never written out whole.

A message names the value it refuses (``field 'as_of' = '2025-02-30'``). A hostile file can
hold a value of millions of characters (a list expanded from YAML aliases, a 4,401-digit
integer): its full ``repr`` took seconds and gigabytes before it was cut, so the repr is
built here only as far as it is shown.
"""

from __future__ import annotations

SHOWN_VALUE_CHARS = 80


def shown_value(value: object, limit: int = SHOWN_VALUE_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters ("..." at the end), built only as far as it
    is shown: the repr of a huge list or text from a hostile file took seconds and gigabytes
    before it was cut. Lists, tuples and dicts are walked; anything else is ``repr``'d (an
    integer too long for Python to convert is described instead)."""
    parts: list[str] = []
    size = 0
    for chunk in _repr_chunks(value, limit + 1):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    shown = "".join(parts)
    if len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return shown


def _repr_chunks(value: object, budget: int):
    """The repr of ``value`` in pieces, lazily (the caller stops once it has enough)."""
    kind = type(value)
    if kind is list or kind is tuple:
        yield "[" if kind is list else "("
        for i, item in enumerate(value):
            if i:
                yield ", "
            yield from _repr_chunks(item, budget)
        yield "]" if kind is list else ("," if len(value) == 1 else "") + ")"
    elif kind is dict:
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            if i:
                yield ", "
            yield from _repr_chunks(key, budget)
            yield ": "
            yield from _repr_chunks(item, budget)
        yield "}"
    elif kind is str and len(value) > budget:
        yield repr(value[:budget])[:-1]  # cut anyway: no closing quote
    else:
        try:
            yield repr(value)
        except ValueError:  # an integer of more digits than Python converts
            yield f"<an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits>"
