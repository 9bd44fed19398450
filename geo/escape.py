"""Escape article and user text before it reaches HTML or JavaScript; every HTML path uses this.

Text from articles, claims files and users may hold markup (``<script>``, ``<img onerror=...>``),
quotes, backticks, ``${...}`` or backslash sequences. Folium puts popup and tooltip HTML inside
JavaScript template literals (`` `...` ``) and GeoJSON tooltips set ``innerHTML`` from feature
properties, so plain HTML escaping is not enough: :func:`escape_html` also replaces the
backtick, the dollar sign and the backslash with character references, which HTML shows as the
same characters while JavaScript sees nothing it would interpret. Braces are replaced too, so
escaped text that ends up inside a Jinja template (folium renders its HTML with Jinja) can
never form ``{{ ... }}`` or ``{% ... %}``.

Right-to-left text (Persian, Arabic, Hebrew) is kept as it is; :func:`bidi` wraps escaped text
in ``<bdi>`` so it does not reorder the text around it.
"""

from __future__ import annotations

import math

# Each character that can end an HTML text node or attribute, or a JavaScript string or
# template literal, mapped to a numeric character reference (shown as the same character).
_HTML_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#x27;",
    "`": "&#x60;",
    "$": "&#x24;",
    "\\": "&#x5C;",
    "{": "&#x7B;",
    "}": "&#x7D;",
}
_HTML_TABLE = str.maketrans(_HTML_ESCAPES)

# Characters that end or change a JavaScript string, template literal or <script> block.
_JS_ESCAPES = {
    "\\": "\\\\",
    '"': "\\u0022",
    "'": "\\u0027",
    "`": "\\u0060",
    "$": "\\u0024",
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "{": "\\u007B",
    "}": "\\u007D",
}
_JS_TABLE = str.maketrans(_JS_ESCAPES)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value if isinstance(value, str) else str(value)


def escape_html(text: object) -> str:
    """Text made safe for an HTML text node, a quoted attribute or a folium popup/tooltip.

    Escapes ``& < > " '`` and also `` ` ``, ``$``, ``\\`` (which folium's JavaScript
    templates would otherwise interpret) and ``{ }`` (Jinja). ``None`` and NaN give ``""``;
    other non-strings are converted with ``str``. Right-to-left and other Unicode text is left
    unchanged.

    Parameters
    ----------
    text
        Any value; usually article or user text.

    Returns
    -------
    str
        The escaped text; a browser shows it exactly as the input.
    """
    return _text(text).translate(_HTML_TABLE)


def escape_js_string(text: object) -> str:
    """Text made safe inside a JavaScript string literal (``"..."``, ``'...'`` or `` `...` ``).

    Quotes, backticks, ``$``, ``<``, ``>``, ``&``, braces, backslashes, line breaks and the
    Unicode line separators become escape sequences, so the text can neither end the literal,
    start an interpolation, close a ``<script>`` block nor form a Jinja tag (folium renders
    every script a second time as a Jinja template). The quotes around the literal are not added.
    """
    return _text(text).translate(_JS_TABLE)


def bidi(text: object, *, tag: str = "bdi") -> str:
    """Escaped ``text`` wrapped in a bidirectional isolate, for embedding in running HTML.

    ``tag`` is ``{"bdi", "span"}``: ``<bdi>`` (default), or ``<span dir="auto">`` where the
    container must be a span.
    """
    if tag == "bdi":
        return f"<bdi>{escape_html(text)}</bdi>"
    if tag == "span":
        return f'<span dir="auto">{escape_html(text)}</span>'
    msg = f"bidi: tag {tag!r} is not one of 'bdi', 'span'"
    raise ValueError(msg)
