"""Static maps (geo.render_map / geo.save_map): size, DPI, colours in place, text, determinism."""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from helpers import ROOT, export_world, section_figures, shipped_ready, stand_in_claims
from PIL import Image
from pyproj import Proj
from shapely.geometry import Point

import geo
from geo import ExportError, style
from geo.export import _labels, _marks, _static, _view
from geo.export._options import MM_PER_INCH, PAGE_SIZES

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def world(tmp_path):
    return export_world(tmp_path / "data")


def png_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")]


def pixel_of(lon: float, lat: float, *, bbox, size: str, dpi: int) -> tuple[int, int]:
    """Where a lon/lat point lands on the page, from the page layout and the map projection."""
    width_mm, height_mm = PAGE_SIZES[size]
    layout = _view.Layout(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH)
    view = _view.make_view(bbox, layout.map_aspect)
    x, y = view.forward.transform(lon, lat)
    x0, y0, x1, y1 = view.extent
    left, bottom, w, h = layout.map_rect
    fx = left + (x - x0) / (x1 - x0) * w
    fy = bottom + (y - y0) / (y1 - y0) * h
    width_px, height_px = round(width_mm / MM_PER_INCH * dpi), round(height_mm / MM_PER_INCH * dpi)
    return int(fx * width_px), int((1 - fy) * height_px)


def rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def near(image: Image.Image, xy: tuple[int, int], radius: int = 2) -> np.ndarray:
    """The pixels in a small square around ``xy``, as an (n, 3) array."""
    x, y = xy
    box = np.asarray(image.convert("RGB"))[y - radius:y + radius + 1, x - radius:x + radius + 1]
    return box.reshape(-1, 3).astype(float)


# ---------------------------------------------------------------------------------------------
# Page size, DPI, formats


@pytest.mark.parametrize(("size", "dpi"), [("a4", 150), ("a4-landscape", 200), ("slide", 150),
                                         ("a3-landscape", 150)])
def test_png_has_the_page_size_in_pixels_and_records_its_dpi(world, size, dpi):
    data = geo.render_map(routes=["w-e"], size=size, dpi=dpi, fmt="png", data_dir=world)
    image = png_image(data)
    width_mm, height_mm = PAGE_SIZES[size]
    assert image.size == (round(width_mm / MM_PER_INCH * dpi), round(height_mm / MM_PER_INCH * dpi))
    # PNG stores whole pixels per metre, so 150 dpi reads back as 150.01
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.05)


@pytest.mark.parametrize(("size", "inches"), [("120x80", (120 / 25.4, 80 / 25.4)),
                                                ("12x8cm", (120 / 25.4, 80 / 25.4)),
                                                ("6x4in", (6.0, 4.0)),
                                                ("1600x900px", (1600 / 160, 900 / 160))])
def test_explicit_sizes(world, size, inches):
    image = png_image(geo.render_map(size=size, dpi=160, fmt="png", data_dir=world))
    assert image.size == (round(inches[0] * 160), round(inches[1] * 160))


def test_pdf_page_is_exactly_a4(world):
    data = geo.render_map(routes=["w-e"], size="a4", fmt="pdf", data_dir=world)
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert len(boxes) == 1  # one page
    width_pt, height_pt = (float(v) for v in boxes[0])
    assert width_pt == pytest.approx(210 / 25.4 * 72, abs=0.01)
    assert height_pt == pytest.approx(297 / 25.4 * 72, abs=0.01)


def test_same_inputs_give_the_same_bytes_and_pixels(world):
    options = {"routes": ["w-e", "m-e"], "claims": stand_in_claims(), "data_dir": world,
               "size": "a4-landscape"}
    svg1, svg2 = (geo.render_map(fmt="svg", **options) for _ in range(2))
    assert svg1 == svg2
    pdf1, pdf2 = (geo.render_map(fmt="pdf", **options) for _ in range(2))
    assert pdf1 == pdf2
    png1, png2 = (geo.render_map(fmt="png", dpi=150, **options) for _ in range(2))
    assert np.array_equal(np.asarray(png_image(png1)), np.asarray(png_image(png2)))
    # ... and a different input gives a different picture (the check can fail).
    other = geo.render_map(fmt="svg", **{**options, "routes": ["w-e"]})
    assert other != svg1


def test_same_bytes_across_processes_and_hash_seeds(world):
    code = ("import hashlib, sys, geo\n"
            "data = geo.render_map(routes=['w-e', 'm-e'], fmt=sys.argv[1], dpi=150, data_dir=sys.argv[2])\n"
            "print(hashlib.sha256(data).hexdigest())")
    for fmt in ("svg", "png"):
        digests = {
            subprocess.run([sys.executable, "-c", code, fmt, str(world)], capture_output=True,
                           text=True, cwd=ROOT, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
            for seed in ("1", "2")
        }
        assert len(digests) == 1, fmt


def test_openstreetmap_is_credited_when_its_geometry_is_drawn(world, monkeypatch):
    def credits(**options):
        return svg_texts(geo.render_map(fmt="svg", data_dir=world, **{"routes": ["w-e"], **options}))

    assert not any("OpenStreetMap" in t for t in credits())
    real = _static.load_segments

    def snapped(data_dir=None):
        frame = real(data_dir)
        frame["geometry_source"] = ["osm" if sid == "m-e" else "curated" for sid in frame.index]
        return frame

    monkeypatch.setattr(_static, "load_segments", snapped)
    assert style.ATTRIBUTION_OSM in credits()
    # not when the OSM-drawn segment (planned) is filtered out and no route runs on it
    assert style.ATTRIBUTION_OSM not in credits(routes=None, statuses=["operational"])


# ---------------------------------------------------------------------------------------------
# What the map shows


def test_route_colours_are_where_the_routes_run(world):
    bbox, size, dpi = (-0.5, -0.5, 3.5, 1.5), "a4-landscape", 150
    data = geo.render_map(routes=["w-e", "m-e"], bbox=bbox, size=size, dpi=dpi, fmt="png",
                          layers=["routes"], inset=False, data_dir=world)
    image = png_image(data)
    land = rgb(style.LAND_FILL)

    def blended(color: str) -> np.ndarray:  # the highlight band over land
        return _marks.HIGHLIGHT_OPACITY * rgb(color) + (1 - _marks.HIGHLIGHT_OPACITY) * land

    first, second = style.ROUTE_HIGHLIGHTS[0], style.ROUTE_HIGHLIGHTS[1]
    on_w_e_only = pixel_of(0.75, 0.5, bbox=bbox, size=size, dpi=dpi)  # only route 1 runs here
    assert np.abs(near(image, on_w_e_only) - blended(first)).max(axis=1).min() <= 6
    on_both = pixel_of(2.25, 0.5, bbox=bbox, size=size, dpi=dpi)  # route 2 is drawn over route 1
    over = _marks.HIGHLIGHT_OPACITY * rgb(second) + (1 - _marks.HIGHLIGHT_OPACITY) * blended(first)
    assert np.abs(near(image, on_both) - over).max(axis=1).min() <= 6
    off_route = pixel_of(0.75, 0.9, bbox=bbox, size=size, dpi=dpi)  # 44 km north of the line
    assert np.abs(near(image, off_route) - land).max() <= 2


def test_corridors_are_drawn_in_their_mode_colour_over_the_route(world):
    bbox, size, dpi = (-0.5, -0.5, 3.5, 1.5), "a4-landscape", 200
    data = geo.render_map(routes=["w-e"], bbox=bbox, size=size, dpi=dpi, fmt="png",
                          layers=["routes", "corridors"], inset=False, data_dir=world)
    centre = near(png_image(data), pixel_of(0.75, 0.5, bbox=bbox, size=size, dpi=dpi), radius=1)
    assert np.abs(centre - rgb(style.MODE_COLORS["rail"])).max(axis=1).min() <= 25


def test_svg_keeps_text_as_text_with_title_legend_key_and_credits(world):
    data = geo.render_map(routes=["w-e"], claims=stand_in_claims(), title="Test map",
                          fmt="svg", data_dir=world)
    texts = svg_texts(data)
    joined = " ".join(texts)  # the claims key wraps a claim over several lines
    assert "Test map" in texts
    assert "Data as of 2026-02-01" in joined  # the newest as_of of the data
    for label in ("Legend", "route: West to East", "rail", "operational", "planned",
                  "station", "sea, Test Lake", style.VERDICT_LABELS["consistent"]):
        assert any(label in t for t in texts), label
    assert "t-01: consistent with the geodata. West has a station." in joined
    assert "t-03: not checkable from geodata (not on this map)." in joined
    assert "An opinion <b>bold</b>." in joined  # kept as text, escaped by the SVG writer
    assert style.ATTRIBUTION_NE in texts
    assert not any("OpenStreetMap" in t for t in texts)  # no OSM geometry in this data
    assert "Lambert conformal conic" in joined
    assert b"<b>bold" not in data  # the markup is escaped, never live


def test_metrics_table_gives_the_computed_lengths(world):
    texts = "\n".join(svg_texts(geo.render_map(routes=["w-e"], fmt="svg", data_dir=world)))
    metrics = geo.route_metrics("w-e", data_dir=world)
    assert f"{metrics['length_km']:,.0f} km" in texts
    for iso, km in metrics["km_by_country"].items():
        assert f"{iso} {km:,.0f}" in texts
    plain = "\n".join(svg_texts(geo.render_map(routes=["w-e"], metrics=False, fmt="svg",
                                               data_dir=world)))
    assert "Route metrics" not in plain


def test_metrics_table_gives_each_named_section_its_own_length(tmp_path):
    world = export_world(tmp_path / "data", section="East part")
    km_best, _ = section_figures(world, ["m-e"])
    texts = " ".join(svg_texts(geo.render_map(routes=["w-e"], fmt="svg", data_dir=world)))
    assert f"▸ East part: {km_best:,.0f} km (measured on the drawn line)" in texts
    assert f"km by status: planned {km_best:.1f}" in texts


def test_claim_markers_are_numbered_and_grouped_by_place(world):
    claims = stand_in_claims()
    claims.loc[1, "geometry"] = Point(0.5, 0.5)  # two claims at West, different verdicts
    texts = svg_texts(geo.render_map(claims=claims, bbox=(-0.5, -0.5, 3.5, 1.5), fmt="svg",
                                     data_dir=world))
    assert "1,2" in texts
    assert "claims of different verdicts at one place" in texts


def test_number_label():
    assert _labels.number_label([1]) == "1"
    assert _labels.number_label([2, 1]) == "1,2"
    assert _labels.number_label([1, 2, 3, 7]) == "1–3,7"
    assert _labels.number_label(list(range(3, 15)) + [20]) == "3–14,20"
    assert _labels.number_label([1, 3, 5, 7, 9, 11]) == "1 +5"


@pytest.mark.parametrize("bbox", [(44.0, 38.0, 50.0, 42.0), (20.0, 58.0, 40.0, 66.0),
                                  (-0.5, -0.5, 3.5, 1.5)])
def test_scale_bar_is_true_at_the_centre_latitude(bbox):
    view = _view.make_view(bbox, 1.4)
    km, length = _view.scale_bar_km(view)
    assert km == pytest.approx(10 ** math.floor(math.log10(km)) * int(str(int(km))[0]))  # 1, 2, 5 x 10^n
    x0, _, x1, _ = view.extent
    assert 0.08 < length / (x1 - x0) < 0.21  # about a fifth of the map, never more
    factors = Proj(view.crs).get_factors(*view.centre)
    assert length / (km * 1000) == pytest.approx(factors.parallel_scale, rel=2e-3)


def test_north_arrow_follows_the_meridian_at_its_place():
    view = _view.make_view((30.0, 35.0, 60.0, 45.0), 1.4)
    # East of the central meridian, meridians lean towards it: north points up and left.
    x, y = view.forward.transform(55.0, 44.0)
    nx, ny = view.forward.transform(55.0, 44.05)
    assert nx < x and ny > y


# ---------------------------------------------------------------------------------------------
# Bad input, atomic writes


def test_every_problem_is_reported_at_once(world):
    with pytest.raises(ExportError) as err:
        geo.render_map(routes=["w-e", "nowhere"], bbox=(10, 5, 3, 200), dpi=100, size="b5",
                       layers=["routes", "tiles"], modes=["air"], data_dir=world)
    text = str(err.value)
    assert "6 problems" in text or "problems with the request" in text
    for part in ("unknown route 'nowhere'", "known routes: w-e, m-e", "latitude out of range",
                 "west (10) must be less than east (3)", "dpi 100 is out of range",
                 "size 'b5'", "unknown layer 'tiles'", "unknown mode 'air'"):
        assert part in text, part


@pytest.mark.parametrize(("options", "match"), [
    ({"bbox": "1,2,3"}, r"bbox '1,2,3' must be four numbers W,S,E,N"),
    ({"bbox": (-170, -80, 170, 80)}, r"spans 340 x 160 degrees"),
    ({"dpi": 700}, r"dpi 700 is out of range; use 150 to 600"),
    ({"size": "3000x10"}, r"each side must be 50 to 2540 mm"),
    ({"fmt": "jpeg"}, r"format 'jpeg' is not one of png, svg, pdf"),
])
def test_bad_options_get_a_clear_error(world, options, match):
    with pytest.raises(ExportError, match=match):
        geo.render_map(data_dir=world, **options)


def test_save_map_writes_atomically_and_keeps_a_good_file(world, tmp_path, monkeypatch):
    out = tmp_path / "map.svg"
    geo.save_map(out, routes=["w-e"], data_dir=world)
    good = out.read_bytes()
    assert ET.fromstring(good).tag == f"{SVG_NS}svg"

    def broken(*args, **kwargs):
        raise RuntimeError("renderer failed half-way")

    monkeypatch.setattr(_static, "_draw", broken)
    with pytest.raises(RuntimeError, match="half-way"):
        geo.save_map(out, routes=["w-e"], data_dir=world)
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "map.svg"]


def test_unwritable_or_unknown_output_path(world, tmp_path):
    with pytest.raises(ExportError, match=r"no-such-folder/map.png: folder .* does not exist"):
        geo.save_map(tmp_path / "no-such-folder" / "map.png", data_dir=world)
    with pytest.raises(ExportError, match=r"map.tiff: cannot tell the format from '.tiff'"):
        geo.save_map(tmp_path / "map.tiff", data_dir=world)
    with pytest.raises(ExportError, match=r"is a folder, not a file name"):
        geo.save_map(world, fmt="png", data_dir=world)


def test_cli_snapshot_writes_the_file_or_reports_the_problem(world, tmp_path, capsys, monkeypatch):
    from geo.cli import main

    monkeypatch.setattr(geo.settings, "data_dir", geo.settings.data_dir)  # --data-dir sets it

    out = tmp_path / "map.png"
    code = main(["--data-dir", str(world), "snapshot", "--out", str(out), "--routes", "w-e",
                 "--dpi", "150", "--size", "a4", "--title", "From the CLI"])
    assert code == 0
    assert png_image(out.read_bytes()).size == (round(210 / 25.4 * 150), round(297 / 25.4 * 150))
    code = main(["--data-dir", str(world), "snapshot", "--out", str(tmp_path / "x.png"),
                 "--routes", "nope", "--bbox", "0,0,400,1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "corridors snapshot: error:" in err
    assert "unknown route 'nope'" in err and "longitude out of range" in err
    assert not (tmp_path / "x.png").exists()


# ---------------------------------------------------------------------------------------------
# Shipped data


def test_shipped_routes_each_get_their_colour_and_legend_entry():
    routes = list(geo.load_routes().index[:3])
    data = geo.render_map(routes=routes, fmt="svg", size="a4-landscape")
    texts = svg_texts(data)
    names = geo.load_routes().loc[routes, "name"]
    for name in names:
        assert any(t.startswith("route: ") and name.startswith(t[7:].rstrip("…")) for t in texts), name
    for color in style.ROUTE_HIGHLIGHTS[:len(routes)]:
        assert color.lower().encode() in data.lower()
    assert any("Nakhchivan Autonomous Republic" in t for t in texts)


def test_country_names_label_the_map(world):
    texts = svg_texts(geo.render_map(routes=["w-e"], fmt="svg", data_dir=world))
    for name in ("Aland", "Bland", "Cland"):
        assert name in texts, name


def test_shipped_map_names_the_countries_and_nakhchivan():
    texts = svg_texts(geo.render_map(routes=["zangezur-rail"], fmt="svg", size="a4-landscape"))
    for name in ("Armenia", "Azerbaijan", "Iran"):
        assert name in texts, name
    texts = svg_texts(geo.render_map(bbox=(44.0, 38.3, 47.5, 40.8), fmt="svg", size="a4-landscape"))
    for name in ("Armenia", "Azerbaijan", "Iran", "Nakhchivan (AZE)"):
        assert name in texts, name


def test_place_labels_stay_text_in_svg():
    texts = svg_texts(geo.render_map(routes=["zangezur-rail"], fmt="svg", size="a4-landscape"))
    assert "Baku" in texts and "Nakhchivan" in texts


# ---------------------------------------------------------------------------------------------
# Text that reads as a report figure: never cut, no command lines

LONG_ROUTES = ["zangezur-rail", "aras-road", "kars-nakhchivan-rail", "instc-west"]


@pytest.mark.skipif(not shipped_ready(), reason="shipped data not present")
@pytest.mark.parametrize("size", ["a4-landscape", "a4-portrait", "180x120"])
def test_titles_and_legend_entries_wrap_and_are_never_cut(size):
    routes = geo.load_routes()
    data = geo.render_map(routes=LONG_ROUTES, claims="jpost-azerbaijan-iran", size=size,
                          fmt="svg")
    texts = svg_texts(data)
    joined = " ".join(texts)
    assert not [t for t in texts if "…" in t or "..." in t]  # nothing shortened
    assert not [t for t in texts if "`" in t or "corridors " in t]  # no command lines
    title = " · ".join(str(routes.at[r, "name"]) for r in LONG_ROUTES)
    sub = texts.index(next(t for t in texts if t.startswith("Data as of")))
    # the title is drawn just before the subtitle, over as many lines as it needs
    lines = next(texts[sub - n:sub] for n in range(1, 6)
                 if "".join(texts[sub - n:sub]).replace(" ", "") == title.replace(" ", ""))
    assert len(lines) > 1  # too long for one line: wrapped, every word kept, in order
    for rid in LONG_ROUTES:  # each legend entry in full, over as many lines as it needs
        name = str(routes.at[rid, "name"])
        assert f"route: {name}".replace(" ", "") in joined.replace(" ", ""), name
    if "Not shown for lack of room" in joined:  # what had no room is said, never dropped
        assert "data exports" in joined


def test_wrapped_text_fits_its_width():
    from geo.export import _wrap

    text = "route: Baku–Astara–Rasht–Tabriz–Julfa–Nakhchivan rail (via Iran) and more words"
    lines = _wrap.wrap(text, 120, 7)
    assert len(lines) > 1
    assert all(_wrap.text_width(line, 7) <= 120 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert any(line.endswith("–") for line in lines)  # broken between names, not inside one
    [title], size = _wrap.fit_title("A short title", 500, 15)
    assert (title, size) == ("A short title", 15)
    lines, size = _wrap.fit_title(text * 3, 300, 15)
    assert len(lines) > 1 and size < 15
    assert all(_wrap.text_width(line, size, True) <= 300 for line in lines)


def test_key_dates_cut_to_the_latest_say_so_without_a_command_line(world):
    import pandas as pd
    from matplotlib.figure import Figure

    from geo.export import _panel

    rows = pd.DataFrame({"date": [f"20{n:02d}-01" for n in range(10, 22)],
                         "event": ["opened"] * 12, "kind": ["happened"] * 12,
                         "name": [f"Section {n}" for n in range(12)]})
    fig = Figure(figsize=(11.69, 8.27))
    panel = _panel.Panel(fig, _view.Layout(11.69, 8.27))
    panel.key_dates(rows, None, max_rows=8)
    texts = [t.get_text() for t in panel.ax.texts]
    assert ("4 earlier change(s) not shown; the timeline data export lists every one."
            in " ".join(texts))
    assert not [t for t in texts if "`" in t or "corridors " in t or "…" in t]
