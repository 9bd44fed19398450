"""Show article and user text in Streamlit markdown as literal text (no markup, no links)."""

from __future__ import annotations

import math
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


def plain(value: object) -> str:
    """``value`` with every markdown/HTML-significant character backslash-escaped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)
