"""Text on a static snapshot is drawn as typed, never parsed as TeX math (issue 25).

A title "$\\foo$" or a route named "Horadiz $\\alpha{$ rail" used to crash the snapshot, and
"Freight costs $5 and $6" was typeset as math with both dollar signs gone.
"""

from __future__ import annotations

import pytest
from helpers import tiny_world, write_data
from matplotlib.text import Text

from geo import render_map
from geo.cli import main
from geo.export import _static

ROUTE_NAME = "Horadiz $\\alpha{$ rail"
PLACE_NAME = "Mid $x$ town"
TITLES = ["$\\foo$", "Freight costs $5 and $6", "a lone $ sign"]


@pytest.fixture(scope="module")
def dollar_world(tmp_path_factory):
    """tiny_world with a place and a route whose names hold dollar signs and TeX."""
    world = tiny_world()
    for place in world["places"]:
        if place["id"] == "mid":
            place["name_en"] = PLACE_NAME
    world["routes"][0]["name"] = ROUTE_NAME
    return write_data(tmp_path_factory.mktemp("dollars") / "data", world)


@pytest.fixture
def drawn_texts(monkeypatch) -> list:
    """Every Text of each figure the snapshot draws, collected after it is drawn."""
    figures: list = []
    real = _static._figure

    def keep(request):
        fig = real(request)
        figures.append(fig)
        return fig

    monkeypatch.setattr(_static, "_figure", keep)
    return figures


def _texts(figures) -> list[Text]:
    return [t for fig in figures for t in fig.findobj(Text) if t.get_text()]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_titles_with_dollars_are_drawn_as_typed(dollar_world, drawn_texts, title, fmt):
    route = tiny_world()["routes"][0]["id"]
    data = render_map(routes=[route], title=title, subtitle=f"sub {title}", fmt=fmt,
                      size="160x100", dpi=150, data_dir=dollar_world)
    assert data
    texts = _texts(drawn_texts)
    strings = [t.get_text() for t in texts]
    assert title in strings
    assert f"sub {title}" in strings
    assert all(t.get_parse_math() is False for t in texts), [
        t.get_text() for t in texts if t.get_parse_math()]
    if fmt == "svg":  # the text itself is in the file (SVG keeps text as text), dollars and all
        assert title in data.decode()


def test_route_and_place_named_with_tex_are_drawn_as_typed(dollar_world, drawn_texts):
    route = tiny_world()["routes"][0]["id"]
    render_map(routes=[route], fmt="png", size="160x100", dpi=150, data_dir=dollar_world)
    texts = _texts(drawn_texts)
    joined = "\n".join(t.get_text() for t in texts)
    assert ROUTE_NAME in joined  # the legend entry (and default title) name the route as typed
    assert all(t.get_parse_math() is False for t in texts)


def test_svg_keeps_both_dollar_signs(dollar_world):
    svg = render_map(title="Freight costs $5 and $6", fmt="svg", size="160x100", dpi=150,
                     data_dir=dollar_world).decode()
    assert "Freight costs $5 and $6" in svg


def test_cli_snapshot_with_a_tex_title_writes_the_file(dollar_world, tmp_path, capsys):
    out = tmp_path / "s.png"
    code = main(["--data-dir", str(dollar_world), "snapshot", "--out", str(out),
                 "--title", "$\\foo$", "--size", "160x100", "--dpi", "150"])
    assert code == 0, capsys.readouterr().err
    assert out.stat().st_size > 0
