"""Popup and tooltip HTML built from escaped text only (article and data text is never trusted)."""

from __future__ import annotations

import math

from geo.escape import bidi, escape_html


def blank(value: object) -> bool:
    """True for None, NaN, pandas NA and empty strings."""
    if value is None:
        return True
    try:
        if isinstance(value, float) and math.isnan(value):
            return True
        if str(value) in ("", "<NA>", "nan", "NaT", "None"):
            return True
    except (TypeError, ValueError):
        return False
    return False


def text(value: object) -> str:
    """Escaped display text of a cell ('' for blanks); lists are joined with commas."""
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in value if not blank(v))
    if blank(value):
        return ""
    return escape_html(value)


def popup(title: object, rows: list[tuple[str, object]], *, extra: str = "",
          css_class: str = "ce-popup", data: dict | None = None) -> str:
    """A popup: escaped ``title`` and a definition list of the non-blank ``(label, value)`` rows.

    Values are escaped here unless wrapped in :class:`Markup` (HTML built from escaped parts).
    ``extra`` is trusted HTML placed after the title; ``data`` become ``data-*`` attributes.
    """
    attrs = "".join(f' data-{escape_html(k)}="{escape_html(v)}"' for k, v in (data or {}).items())
    items = []
    for label, value in rows:
        shown = str(value) if isinstance(value, Markup) else text(value)
        if shown:
            items.append(f"<dt>{escape_html(label)}</dt><dd>{shown}</dd>")
    body = f"<dl>{''.join(items)}</dl>" if items else ""
    return f'<div class="{css_class}"{attrs}><h3>{bidi(title)}</h3>{extra}{body}</div>'


class Markup(str):
    """HTML already built from escaped parts; :func:`popup` inserts it as it is."""
