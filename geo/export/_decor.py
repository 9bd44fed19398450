"""Map furniture of static maps: frame, scale bar, north arrow, locator inset, header, footer."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np

from .. import style
from ..data import load_basemap, load_borders
from ._marks import clip_to_box, polygon_patches
from ._select import optional_frame
from ._view import Layout, View, densified_ring, make_view, scale_bar_km
from ._wrap import fit_title, wrap

CREATOR = "Corridor Explorer"
INSET_MIN_HALF_SPAN_DEG = 6.0
INSET_MAX_HALF_SPAN_DEG = 30.0


def decorate_map(ax, view: View, layout: Layout) -> None:
    """Extent, frame, scale bar and north arrow."""
    x0, y0, x1, y1 = view.extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(layout.pt(0.8))
    _scale_bar(ax, view, layout)
    _north_arrow(ax, view, layout)


def _scale_bar(ax, view: View, layout: Layout) -> None:
    """Black-and-white bar of :func:`scale_bar_km`, on a white box in the lower-left corner."""
    from matplotlib.patches import Rectangle

    km, length = scale_bar_km(view)
    x0, y0, x1, _ = view.extent
    pt = (x1 - x0) / (layout.map_in[2] * 72)  # map units per point on the page
    size, small = layout.pt(6.5), layout.pt(5)
    label = f"{km:g} km"
    bx, by = x0 + 14 * pt * layout.scale, y0 + 16 * pt * layout.scale
    bar_h = 3.5 * pt * layout.scale
    margin = 5 * pt * layout.scale
    right = bx + length + 2 * pt + len(label) * 0.62 * size * pt
    bottom = by - 1.5 * small * pt - margin
    top = by + bar_h + 1.5 * size * pt + margin
    ax.add_patch(Rectangle((bx - margin - 3 * pt, bottom), right + margin - (bx - margin - 3 * pt),
                           top - bottom, facecolor="white", alpha=0.85, edgecolor="none",
                           zorder=60))
    half = length / 2
    for i, face in enumerate(("#222222", "white")):
        ax.add_patch(Rectangle((bx + i * half, by), half, bar_h, facecolor=face,
                               edgecolor="#222222", linewidth=layout.pt(0.6), zorder=61))
    above = by + bar_h + 2 * pt
    ax.text(bx, above, "0", fontsize=size, ha="center", va="bottom", zorder=62)
    ax.text(bx + half, above, f"{km / 2:g}", fontsize=size, ha="center", va="bottom", zorder=62)
    ax.text(bx + length, above, label, fontsize=size, ha="left", va="bottom", zorder=62)
    lat = view.centre[1]
    ax.text(bx, by - 2 * pt, f"true at {abs(lat):.1f}°{'N' if lat >= 0 else 'S'}",
            fontsize=small, ha="left", va="top", color="#444444", zorder=62)


def _north_arrow(ax, view: View, layout: Layout) -> None:
    """An arrow pointing to true north at its own position (meridians converge on a cone)."""
    x0, y0, x1, y1 = view.extent
    ax_x, ax_y = x1 - 0.05 * (x1 - x0), y1 - 0.12 * (y1 - y0)
    lon, lat = view.inverse.transform(ax_x, ax_y)
    nx, ny = view.forward.transform(lon, min(lat + 0.05, 89.9))
    angle = math.atan2(nx - ax_x, ny - ax_y)  # clockwise from up
    length = 0.06 * (y1 - y0)
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    ax.annotate("", xy=(ax_x + dx / 2, ax_y + dy / 2), xytext=(ax_x - dx / 2, ax_y - dy / 2),
                arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.7",
                            "color": "#222222", "linewidth": layout.pt(1.4)},
                zorder=62)
    ax.text(ax_x + dx * 0.62, ax_y + dy * 0.62, "N", fontsize=layout.pt(8), fontweight="bold",
            ha="center", va="bottom", rotation=-math.degrees(angle), zorder=62)


def inset_box(bbox):
    """The locator's box: the map's, 3 times as wide (within limits); None when the map is
    itself so wide that a locator would show little more."""
    west, south, east, north = bbox
    span = max(east - west, north - south)
    half = min(max(span * 1.5, INSET_MIN_HALF_SPAN_DEG), INSET_MAX_HALF_SPAN_DEG)
    if span > half * 2 / 1.5:
        return None
    cx, cy = (west + east) / 2, (south + north) / 2
    return (max(cx - half, -180.0), max(cy - half, -80.0), min(cx + half, 180.0),
            min(cy + half, 80.0))


def draw_inset(fig, layout: Layout, view: View, bbox, data_dir) -> None:
    """A small map of the wider area with the main map's outline, in the map's corner."""
    from matplotlib.patches import Polygon as MplPolygon

    mx, my, mw, mh = layout.map_in
    side = min(mw, mh) * 0.26
    rect = (mx + mw - side - 0.05 * layout.scale, my + 0.05 * layout.scale, side, side)
    ax = fig.add_axes(layout._frac(rect), facecolor=style.WATER_FILL, zorder=5)
    inset_view = make_view(inset_box(bbox), 1.0)
    basemap = optional_frame(load_basemap, data_dir)
    frame = basemap if basemap is not None else load_borders(data_dir)
    geoms = clip_to_box(frame, inset_view.lonlat_box)
    ax.add_artist(polygon_patches(inset_view.project(geoms), facecolor=style.LAND_FILL,
                                       edgecolor=style.BORDER_COLOR, linewidth=layout.pt(0.2)))
    x0, y0, x1, y1 = view.extent
    outline = densified_ring(x0, y0, x1, y1, 16)
    lons, lats = view.inverse.transform(outline[:, 0], outline[:, 1])
    ox, oy = inset_view.forward.transform(lons, lats)
    ax.add_patch(MplPolygon(np.column_stack([ox, oy]), closed=True, fill=False,
                            edgecolor="#D55E00", linewidth=layout.pt(1.0)))
    ix0, iy0, ix1, iy1 = inset_view.extent
    ax.set_xlim(ix0, ix1)
    ax.set_ylim(iy0, iy1)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(layout.pt(0.6))


#: Font sizes (points at scale 1) of the title and the subtitle, and their line spacing.
TITLE_PT, SUBTITLE_PT = 15.0, 9.0
TITLE_LEADING, SUBTITLE_LEADING = 1.25, 1.35


@dataclass
class Header:
    """The title and subtitle as drawn: their lines and sizes (points, already scaled)."""

    title: list[str]
    title_pt: float
    subtitle: list[str]
    subtitle_pt: float

    def extra_height(self, scale: float) -> float:
        """Inches the header needs beyond the page's usual one-line title and subtitle."""
        title = self.title_pt * (1.45 + TITLE_LEADING * (len(self.title) - 1))
        sub = self.subtitle_pt * SUBTITLE_LEADING * len(self.subtitle)
        usual = scale * (TITLE_PT * 1.45 + SUBTITLE_PT * SUBTITLE_LEADING)
        return max(0.0, (title + sub - usual) / 72)


def header_lines(title: str, subtitle: str, width: float, scale: float) -> Header:
    """The title (smaller, then wrapped, never cut) and subtitle (wrapped) for a page
    ``width`` inches wide at layout ``scale``."""
    room = (width - 2 * 0.35 * scale) * 72
    lines, size = fit_title(title, room, TITLE_PT * scale)
    sub_pt = SUBTITLE_PT * scale
    return Header(lines, size, wrap(subtitle, room, sub_pt) if subtitle else [], sub_pt)


def draw_header(fig, layout: Layout, header: Header) -> None:
    """The title lines, then the subtitle lines, from the top margin down."""
    top = 1 - layout.margin / layout.height
    left = layout.margin / layout.width
    per_pt = 1 / 72 / layout.height  # one point in figure fractions
    y = top
    for line in header.title:
        fig.text(left, y, line, fontsize=header.title_pt, fontweight="bold", ha="left", va="top")
        y -= header.title_pt * TITLE_LEADING * per_pt
    y += header.title_pt * (TITLE_LEADING - 1.45) * per_pt  # the subtitle's usual gap
    for line in header.subtitle:
        fig.text(left, y, line, fontsize=header.subtitle_pt, color="#444444", ha="left",
                 va="top")
        y -= header.subtitle_pt * SUBTITLE_LEADING * per_pt


def draw_footer(fig, layout: Layout, view: View, shown: dict) -> None:
    credits = [style.ATTRIBUTION_NE, style.ATTRIBUTION_DATA]
    if shown.get("osm"):
        credits.insert(1, style.ATTRIBUTION_OSM)
    left = layout.margin / layout.width
    base = layout.margin / layout.height
    size = layout.pt(5.5)
    line = size * 1.4 / 72 / layout.height
    for i, text in enumerate(reversed(credits)):
        fig.text(left, base + i * line, text, fontsize=size, color="#444444", ha="left",
                 va="bottom")
    lat1, lat2 = view.parallels
    lon0, lat0 = view.centre
    proj = (f"Lambert conformal conic, WGS84; standard parallels {lat1:.1f}° and {lat2:.1f}°, "
            f"centre {lon0:.1f}°E {lat0:.1f}°N · {CREATOR}")
    char_in = size * 0.55 / 72  # average width of a character of DejaVu Sans, inches
    room = layout.width - 2 * layout.margin
    if (max(map(len, credits)) + len(proj)) * char_in + 0.2 * layout.scale <= room:
        fig.text(1 - left, base, proj, fontsize=size, color="#444444", ha="right", va="bottom")
        return
    # A narrow page: the projection goes above the credits, wrapped to the page width.
    lines = textwrap.wrap(proj, width=max(int(room / char_in), 20))
    for i, text in enumerate(reversed(lines), start=len(credits)):
        fig.text(left, base + i * line, text, fontsize=size, color="#444444", ha="left",
                 va="bottom")
