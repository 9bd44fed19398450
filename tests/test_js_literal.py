"""Data embedded in map scripts survives branca's second Jinja pass as plain data."""

from __future__ import annotations

import json

import pytest
from jinja2 import Template

from layers._features import js_literal

HOSTILE = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "{# hidden #}",
    "{{{ nested }}}",
    "</script><script>alert(1)</script>",
    "line\u2028separator",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_template_syntax_in_strings_is_inert(text):
    value = {"q": text, "nested": {"a": {}, "b": [{"c": text}]}}
    literal = js_literal(value)
    assert Template(literal).render() == literal  # a second template pass changes nothing
    assert json.loads(literal) == value  # and the data reads back exactly
    assert "</script" not in literal
