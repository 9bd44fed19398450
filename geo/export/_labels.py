"""Labels on static maps that never overlap, and the numbered claim markers."""

from __future__ import annotations

import math

import numpy as np
import shapely

from ..data import load_territories
from ..vocab import NAKHCHIVAN
from ._marks import claim_color
from ._select import claim_anchor
from ._view import View

CLAIM_SPOT_PT = 12.0


class Labels:
    """Place labels that never overlap: each is skipped if its box would touch one placed."""

    def __init__(self, ax, lw) -> None:
        self.ax, self.size = ax, lw(6.5)
        self.offset = (lw(4), lw(3))
        # A soft white box behind each label. (A stroked halo via path effects would turn the
        # text into outlines in SVG and PDF; a box keeps it as selectable, editable text.)
        self.halo = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                     "alpha": 0.75}
        self.placed: list[tuple[float, float, float, float]] = []
        self.px_per_pt = ax.figure.dpi / 72.0

    def block(self, x: float, y: float, width_pt: float, height_pt: float) -> None:
        """Keep labels off a box of the given size (points) centred on ``(x, y)``."""
        px, py = self.ax.transData.transform((x, y))
        w, h = width_pt * self.px_per_pt / 2, height_pt * self.px_per_pt / 2
        self.placed.append((px - w, py - h, px + w, py + h))

    def add(self, text: str, x: float, y: float, *, area: bool = False) -> bool:
        """Label a point (offset up-right) or, with ``area``, centre a larger grey area name."""
        size = self.size * (1.25 if area else 1.0)
        px, py = self.ax.transData.transform((x, y))
        w = len(text) * size * 0.58 * self.px_per_pt  # DejaVu Sans: ~0.58 em per char
        h = size * 1.2 * self.px_per_pt
        if area:
            left, bottom = px - w / 2, py - h / 2
        else:
            left = px + self.offset[0] * self.px_per_pt
            bottom = py + self.offset[1] * self.px_per_pt
        pad = 0.25 * size * self.px_per_pt  # the white halo and descenders
        rect = (left - pad, bottom - pad, left + w + pad, bottom + h + pad)
        ax_box = self.ax.bbox
        if rect[2] > ax_box.x1 or rect[3] > ax_box.y1 or rect[0] < ax_box.x0 or rect[1] < ax_box.y0:
            return False
        if any(r[0] < rect[2] and rect[0] < r[2] and r[1] < rect[3] and rect[1] < r[3]
               for r in self.placed):
            return False
        self.placed.append(rect)
        if area:
            self.ax.text(x, y, text, ha="center", va="center", fontsize=size, color="#6b6b6b",
                         fontstyle="italic", bbox=self.halo, zorder=42)
            return True
        self.ax.annotate(text, (x, y), xytext=self.offset, textcoords="offset points",
                         fontsize=self.size, color="#222222", bbox=self.halo,
                         zorder=43, annotation_clip=True)
        return True


def draw_area_labels(ax, view: View, data_dir, labels: Labels) -> None:
    """Country names (and Nakhchivan) at a point inside the largest visible part of each."""
    box = shapely.box(*view.lonlat_box)
    areas = load_territories(data_dir)
    names = {unit: (f"Nakhchivan ({row['iso3']})" if unit == NAKHCHIVAN else str(row["name"]))
             for unit, row in areas.iterrows()}
    visible = []
    for unit, geom in areas.geometry.items():
        part = shapely.clip_by_rect(geom, *view.lonlat_box)
        if part.is_empty or not part.intersects(box):
            continue
        biggest = max(getattr(part, "geoms", [part]), key=lambda g: g.area)
        visible.append((-biggest.area, str(unit), biggest))
    for _, unit, geom in sorted(visible):  # largest first, ties by id: deterministic
        for point in _label_candidates(geom):
            x, y = view.project(np.array([point], dtype=object))[0].coords[0]
            if labels.add(names[unit], x, y, area=True):
                break


def _label_candidates(geom) -> list:
    """Points inside ``geom`` to try for its label: a representative point, then points
    a quarter and a third of its height above and below it, kept where they fall inside."""
    first = geom.representative_point()
    _, south, _, north = geom.bounds
    out = [first]
    for frac in (0.25, -0.25, 0.35, -0.35):
        candidate = shapely.Point(first.x, first.y + frac * (north - south))
        if geom.contains(candidate):
            out.append(candidate)
    return out


def draw_claims(ax, view, claims, lw, labels: Labels) -> list[dict]:
    """Numbered markers coloured by verdict; claims at (nearly) one spot share a marker ("1–3,7").

    Returns the key: one dict per claim (``number``, ``claim_id``, ``summary``, ``verdict``,
    ``mapped`` (has a marker on this map), ``mixed`` (shares it with another verdict)).
    """
    key = []
    spots: dict = {}
    x0, y0, x1, y1 = view.extent
    rows = claims[["claim_id", "summary", "verdict"]].to_dict("records")
    for number, (claim, geom) in enumerate(zip(rows, claims.geometry.values, strict=True), start=1):
        item = {"number": number, "claim_id": claim["claim_id"], "summary": claim["summary"],
                "verdict": claim["verdict"], "mapped": False, "mixed": False}
        anchor = claim_anchor(geom)
        if anchor is not None:
            pt = view.project(np.array([anchor], dtype=object))[0]
            if x0 <= pt.x <= x1 and y0 <= pt.y <= y1:
                item["mapped"] = True
                _join_spot(spots, ax, item, pt, lw(CLAIM_SPOT_PT) * ax.figure.dpi / 72)
        key.append(item)
    for spot in spots.values():
        verdicts = {item["verdict"] for item, _ in spot}
        for item, _ in spot:
            item["mixed"] = len(verdicts) > 1
        verdict = spot[0][0]["verdict"] if len(verdicts) == 1 else None
        pt = spot[0][1]
        text = number_label([item["number"] for item, _ in spot])
        labels.block(pt.x, pt.y, (len(text) * 0.62 + 1.0) * lw(6), lw(6) * 1.8)
        ax.annotate(text, (pt.x, pt.y),
                    ha="center", va="center", fontsize=lw(6), fontweight="bold", color="black",
                    zorder=51, annotation_clip=True,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": claim_color(verdict),
                          "edgecolor": "white", "linewidth": lw(0.9)})
    return key


def _join_spot(spots: dict, ax, item: dict, pt, radius_px: float) -> None:
    """Put a claim at the first marker within ``radius_px`` on the page, or start a marker."""
    px = ax.transData.transform((pt.x, pt.y))
    for centre, members in spots.items():
        if math.dist(centre, px) <= radius_px:
            members.append((item, members[0][1]))
            return
    spots[tuple(px)] = [(item, pt)]


def number_label(numbers: list[int], *, max_chars: int = 9) -> str:
    """Claim numbers as ranges, "1–3,7"; when too long, the first range and a count, "1–3 +9"."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ",".join(map(str, r)) for r in runs]
    text = ",".join(parts)
    if len(text) <= max_chars:
        return text
    first = parts[0].split(",")[0] if "–" not in parts[0] else parts[0]
    shown = len(runs[0]) if "–" in parts[0] else 1
    return f"{first} +{len(numbers) - shown}"
