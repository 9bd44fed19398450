"""Text that fits its room on a static map: measured in the bundled font and wrapped, never cut.

A report figure shows every word of a title, legend entry or key line: text too long for its
room goes onto more lines (:func:`wrap`), and a title first gets a little smaller before it
wraps (:func:`fit_title`). Widths are those of DejaVu Sans (the font every export uses),
measured in points at the font size, so they hold for PNG, SVG and PDF alike.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in points at ``size`` points in DejaVu Sans (bold or regular)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal", size=size)
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return float(width)


#: A line may end after these, as well as at spaces: place names joined by dashes
#: ("Baku–Alat–Ganja") break between names, never inside one.
_BREAK_AFTER = re.compile(r"[^–—/]*[–—/]|[^–—/]+")


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width`` points at ``size`` points. Lines break at
    spaces and after dashes and slashes; a single name wider than the line breaks inside."""
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        for n, piece in enumerate(_BREAK_AFTER.findall(word)):
            joiner = "" if n or not line else " "
            candidate = line + joiner + piece
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = piece
            while text_width(line, size, bold) > width and len(line) > 1:
                cut = _longest_prefix(line, width, size, bold)
                lines.append(line[:cut])
                line = line[cut:]
    if line or not lines:
        lines.append(line)
    return lines


def _longest_prefix(word: str, width: float, size: float, bold: bool) -> int:
    low, high = 1, len(word) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if text_width(word[:mid], size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def fit_title(title: str, width: float, size: float, *, min_scale: float = 0.75,
              max_lines: int = 3) -> tuple[list[str], float]:
    """Lines and font size for a bold title in ``width`` points: one line at ``size`` if it
    fits, else one line at a smaller size (down to ``min_scale``), else wrapped at that size
    (at most ``max_lines`` lines while a smaller size still helps; never cut)."""
    if text_width(title, size, True) <= width:
        return [title], size
    small = size * min_scale
    if text_width(title, small, True) <= width:
        return [title], 0.995 * width / text_width(title, size, True) * size
    lines = wrap(title, width, small, bold=True)
    while len(lines) > max_lines and small > size * 0.5:
        small *= 0.9
        lines = wrap(title, width, small, bold=True)
    return lines, small
