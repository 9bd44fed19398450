"""Bounded snapshots: a pixel limit with the largest DPI that fits, and small pages that render."""

from __future__ import annotations

import io
import time

import pytest
from helpers import export_world
from matplotlib import image as mpimg

from geo import ExportError, render_map, settings
from geo.cli import main
from geo.export._options import max_dpi, pixels


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return export_world(tmp_path_factory.mktemp("limits") / "data")


def png_size(data: bytes) -> tuple[int, int]:
    height, width = mpimg.imread(io.BytesIO(data), format="png").shape[:2]
    return width, height


def test_the_issue_13_request_is_refused_at_once(world, tmp_path, capsys):
    out = tmp_path / "s.png"
    started = time.monotonic()
    code = main(["--data-dir", str(world), "snapshot", "--out", str(out), "--size", "100x100in",
                 "--dpi", "600"])
    assert time.monotonic() - started < 10  # not 128 s and 14.5 GB
    assert code == 2
    err = capsys.readouterr().err
    assert ("a PNG of 60000 x 60000 pixels (3,600 megapixels at 600 dpi) is more than the limit of "
            "100 megapixels (settings.max_snapshot_pixels); this page is too large for a PNG even at "
            "150 dpi: choose a smaller page, or SVG or PDF (no pixel limit)") in err
    assert not out.exists()


def test_the_largest_dpi_named_is_the_largest_that_renders(world, monkeypatch):
    monkeypatch.setattr(settings, "max_snapshot_pixels", 1_500_000)
    size = (160 / 25.4, 100 / 25.4)
    best = max_dpi(size, 1_500_000)
    assert best == 245  # 1543 x 965 pixels; 246 dpi would be 1550 x 969
    with pytest.raises(ExportError, match=rf"at this page size use --dpi {best} or less$"):
        render_map(size="160x100", dpi=best + 1, data_dir=world)
    width, height = png_size(render_map(size="160x100", dpi=best, data_dir=world))
    assert (width, height) == pixels(size, best)
    assert width * height <= 1_500_000


def test_vector_formats_have_no_pixel_limit(world, monkeypatch):
    monkeypatch.setattr(settings, "max_snapshot_pixels", 1000)
    assert render_map(size="160x100", dpi=600, fmt="pdf", data_dir=world).startswith(b"%PDF")


@pytest.mark.parametrize("size", ["50x50", "60x50", "50x60", "51x300", "2540x50", "50x2540",
                                  "2x2in", "5x5cm", "300x300px"])
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_small_and_narrow_pages_render(world, size, fmt):
    data = render_map(size=size, fmt=fmt, dpi=150, routes=["w-e"], data_dir=world)
    assert len(data) > 1000
    if fmt == "png":
        width, height = png_size(data)
        if size.endswith("px"):
            assert (width, height) == (300, 300)
        else:
            w_mm, h_mm = (float(v) for v in size.rstrip("incm").split("x"))
            unit = 25.4 if size.endswith("in") else 10 if size.endswith("cm") else 1
            assert (width, height) == pixels((w_mm * unit / 25.4, h_mm * unit / 25.4), 150)


@pytest.mark.parametrize("size", ["60x40", "49x100", "1x1in", "100x1in", "3000x100"])
def test_pages_too_small_or_too_large_are_refused_with_the_limits(world, size):
    with pytest.raises(ExportError, match=r"each side must be 50 to 2540 mm \(1\.97 to 100 inches\)"):
        render_map(size=size, data_dir=world)
