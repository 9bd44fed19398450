"""The one escaping helper: HTML text and attributes, JavaScript strings, bidi isolation."""

from __future__ import annotations

import html
import json

import pytest

import geo
from layers import claim_popup_html

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "`${window.__pwned=3}`",
    "back\\slash \\1 \\x41 \\u0041 \\",
    "\"double\" and 'single' quotes </div></blockquote>",
    "</script><script>window.__pwned=4</script>",
    "مرز ایران و آذربایجان \u200f(RTL)",
    "שלום &amp; &lt;b&gt; already-escaped",
    "{{ 7*7 }} ${7*7} #{7*7}",
    "line\nbreak\u2028separator\ttab",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_html_leaves_no_active_character_and_round_trips(text):
    out = geo.escape_html(text)
    for ch in "<>\"'`$\\{}":
        assert ch not in out
    assert html.unescape(out) == text


def test_escape_html_entities_and_blanks():
    assert (
        geo.escape_html("a&b<c>d\"e'f`g$h\\i")
        == "a&amp;b&lt;c&gt;d&quot;e&#x27;f&#x60;g&#x24;h&#x5C;i"
    )
    assert geo.escape_html(None) == ""
    assert geo.escape_html(float("nan")) == ""
    assert geo.escape_html(12.5) == "12.5"
    assert geo.escape_html("Naxçıvan Նախիջևան نخجوان") == "Naxçıvan Նախիջևան نخجوان"


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_js_string_is_a_valid_literal_body(text):
    out = geo.escape_js_string(text)
    for ch in "\"'`$<>&{}\n\r\u2028":
        assert ch not in out
    assert json.loads(f'"{out}"') == text  # the escapes used are also JSON escapes


def test_bidi_wraps_escaped_text():
    assert geo.bidi("<b>") == "<bdi>&lt;b&gt;</bdi>"
    assert geo.bidi("ایران", tag="span") == '<span dir="auto">ایران</span>'
    with pytest.raises(ValueError, match="tag 'div' is not one of"):
        geo.bidi("x", tag="div")


def test_claim_popup_escapes_every_field():
    row = {
        "claim_id": "c-1",
        "kind": HOSTILE[0],
        "date": HOSTILE[2],
        "quote": HOSTILE[1],
        "who": HOSTILE[5],
        "summary": HOSTILE[4],
        "verdict": "consistent",
        "evidence": HOSTILE[3],
    }
    card = claim_popup_html(row["claim_id"], row)
    for text in HOSTILE[:6]:
        assert text not in card
        assert geo.escape_html(text) in card
    assert "<script" not in card and "<img" not in card
