"""The side (or bottom) panel of a static map: legend, route metrics table and claims key.

Rows are stacked top-down in points; a panel on a portrait page has two columns. What does
not fit is cut with a note pointing to the data exports, never drawn over the map.
"""

from __future__ import annotations

import math
import textwrap

from .. import style
from ..metrics import section_text
from ._marks import (
    HIGHLIGHT_OPACITY,
    HIGHLIGHT_WEIGHT,
    PLACE_MARKER,
    PLACE_MARKERS,
    SEGMENT_WIDTH_PT,
    claim_color,
    dashes,
    sort_by,
)
from ._select import country_km_columns
from ._view import Layout


class Panel:
    """The legend, metrics table and claims key, stacked top-down in points."""

    def __init__(self, fig, layout: Layout) -> None:
        self.layout = layout
        _, _, w, h = layout.panel_in
        self.w, self.h = w * 72, h * 72
        self.ax = fig.add_axes(layout.panel_rect)
        self.ax.set_xlim(0, self.w)
        self.ax.set_ylim(self.h, 0)
        self.ax.axis("off")
        self.y = 0.0
        self.size = layout.pt(7)
        self.row = self.size * 1.55
        self.columns = 2 if not layout.landscape else 1
        self.col_w = self.w / self.columns
        self.col = 0

    def _room(self, rows: int = 1) -> bool:
        if self.y + rows * self.row <= self.h:
            return True
        if self.col + 1 < self.columns:
            self.col += 1
            self.y = 0.0
            return self.y + rows * self.row <= self.h
        return False

    @property
    def x(self) -> float:
        return self.col * self.col_w

    def heading(self, text: str) -> bool:
        if not self._room(2):
            return False
        self.y += self.row * (0.3 if self.y else 0)
        self.ax.text(self.x, self.y + self.row / 2, text, fontsize=self.size * 1.1,
                     fontweight="bold", va="center", ha="left")
        self.y += self.row
        return True

    def _line_sample(self, color, width, linestyle="solid", alpha=1.0, cap="butt"):
        from matplotlib.lines import Line2D

        yc = self.y + self.row / 2
        self.ax.add_line(Line2D([self.x + 4, self.x + 24], [yc, yc], color=color, linewidth=width,
                                linestyle=linestyle, alpha=alpha, solid_capstyle=cap))

    def _route_sample(self, color):
        width = self.layout.pt(SEGMENT_WIDTH_PT) * HIGHLIGHT_WEIGHT / style.LINE_WEIGHT
        self._line_sample(color, width, alpha=HIGHLIGHT_OPACITY, cap="round")

    def _patch_sample(self, face, edge, alpha=1.0):
        from matplotlib.patches import Rectangle

        self.ax.add_patch(Rectangle((self.x + 4, self.y + self.row * 0.2), 20, self.row * 0.6,
                                    facecolor=face, edgecolor=edge, alpha=alpha, linewidth=0.6))

    def _marker_sample(self, marker, size, face, edge_width=0.7):
        self.ax.scatter([self.x + 14], [self.y + self.row / 2], s=self.layout.pt(size) ** 2,
                        marker=marker, facecolor=face, edgecolor="#222222",
                        linewidth=self.layout.pt(edge_width))

    def _badge_sample(self, text, face, edge, color, boxstyle):
        self.ax.text(self.x + 14, self.y + self.row / 2, text, fontsize=self.size * 0.85,
                     fontweight="bold", color=color, ha="center", va="center",
                     bbox={"boxstyle": boxstyle, "facecolor": face, "edgecolor": edge,
                           "linewidth": 0.8})

    def _claim_sample(self, verdict, text):
        self._badge_sample(text, claim_color(verdict), "white", "black", "circle,pad=0.25")

    def _label(self, text: str, indent: float = 30, **kw) -> None:
        self.ax.text(self.x + indent, self.y + self.row / 2,
                     textwrap.shorten(str(text), width=self._chars(indent), placeholder="…"),
                     fontsize=self.size, va="center", ha="left", **kw)
        self.y += self.row

    def _chars(self, indent: float = 30) -> int:
        return max(int((self.col_w - indent) / (self.size * 0.56)), 8)

    def legend(self, shown: dict) -> None:
        """One entry per style on the map, in the app legend's order."""
        if not self.heading("Legend"):
            return
        width = self.layout.pt(SEGMENT_WIDTH_PT)
        entries = []
        for color, name in shown["route_colors"].values():
            entries.append((lambda c=color: self._route_sample(c), f"route: {name}"))
        for mode in shown["modes"]:
            entries.append((lambda m=mode: self._line_sample(
                style.MODE_COLORS.get(m, "#000000"), width), mode))
        for status in shown["statuses"]:
            entries.append((lambda s=status: self._line_sample(
                "#333333", width, dashes(s), alpha=style.STATUS_OPACITY.get(s, 0.95)),
                style.STATUS_LABELS.get(status, status)))
        if shown["gauge_breaks"]:
            entries.append((lambda: self._badge_sample("G", "white", style.GAUGE_BREAK_COLOR,
                                                       style.GAUGE_BREAK_COLOR, "square,pad=0.2"),
                            "gauge break (1435 / 1520 mm)"))
        if shown["gauge_breaks"] == "some uncertain":
            entries.append((lambda: self._badge_sample("G?", "white", style.GAUGE_BREAK_COLOR,
                                                       style.GAUGE_BREAK_COLOR, "square,pad=0.2"),
                            "gauge break on a stretch of unknown gauge"))
        for kind in shown["places"]:
            size, fill = PLACE_MARKERS.get(kind, PLACE_MARKER)
            entries.append((lambda s=size, f=fill: self._marker_sample("o", s, f), kind))
        if shown["crossings"]:
            entries.append((lambda: self._marker_sample("D", 3.6, "white", 0.9), "border crossing"))
        verdicts = sort_by(list({item["verdict"] for item in shown["claims"] or []
                                  if item["mapped"]}), style.VERDICT_COLORS)
        for verdict in verdicts:
            entries.append((lambda v=verdict: self._claim_sample(v, "n"),
                            f"claim n: {style.VERDICT_LABELS.get(verdict, verdict)}"))
        if any(item.get("mixed") for item in shown["claims"] or []):
            entries.append((lambda: self._claim_sample(None, "n"),
                            "claims of different verdicts at one place"))
        if shown["nakhchivan"]:
            entries.append((lambda: self._patch_sample(style.NAKHCHIVAN_FILL,
                                                       style.NAKHCHIVAN_EDGE, 0.4),
                            "Nakhchivan Autonomous Republic (Azerbaijan)"))
        if shown["water"]:
            entries.append((lambda: self._patch_sample(style.WATER_FILL, style.BORDER_COLOR),
                            "sea, " + ", ".join(shown["water"])))
        entries.append((lambda: self._patch_sample(style.LAND_FILL, style.BORDER_COLOR),
                        "country (Natural Earth outline)"))
        for draw, label in entries:
            if not self._room():
                return
            draw()
            self._label(label)

    def metrics(self, table, route_colors: dict, sections: list[dict]) -> None:
        """Per route: its colour and name, its length, km by country, then each of its named
        ``sections`` (:func:`geo.export._select.route_sections`) on its own."""
        if not len(table) or not self.heading("Route metrics (km, basis in grey)"):
            return
        km_cols = country_km_columns(table)
        for _, row in table.iterrows():
            if not self._room(2):
                return
            color = route_colors.get(row["route_id"], ("#000000", ""))[0]
            self._route_sample(color)
            self._label(str(row["name"]), fontweight="bold")
            length = row.get("length_km")
            known = length is not None and not math.isnan(length)
            parts = [f"{length:,.0f} km" if known else "n/a"]
            parts += [f"{c[3:]} {row[c]:,.0f}" for c in km_cols if row[c] and row[c] >= 0.5]
            lines = [(line, {"color": "#333333"})
                     for line in textwrap.wrap(" · ".join(parts), width=self._chars())]
            if known and row.get("length_basis"):
                basis = f"{row['length_basis']}; drawn line {row['measured_km']:,.0f} km"
                lines += [(line, {"color": "#777777", "style": "italic"})
                          for line in textwrap.wrap(basis, width=self._chars())]
            for sec in sections:
                if sec["route_id"] == row["route_id"]:
                    lines += [(line, {"color": "#333333"}) for line in
                              textwrap.wrap(f"▸ {section_text(sec)}", width=self._chars())]
            for line, kw in lines:
                if not self._room():
                    return
                self._label(line, **kw)

    def key_dates(self, rows, as_of: str | None, max_rows: int = 8) -> None:
        """The chosen routes' key dates: per section the last recorded change up to the map's
        date and the next expected one, oldest first; at most ``max_rows``, the latest kept."""
        if not len(rows) or not self.heading("Key dates (sections' status changes)"):
            return
        shown = rows.tail(max_rows)
        for _, row in shown.iterrows():
            kind = "" if row["kind"] == "happened" else f" ({row['kind'][:3]}.)"
            event = str(row["event"]).replace("_", " ")
            text = f"{row['date']}  {event}{kind}: {row['name']}"
            if not self._room():
                return
            self._label(text, indent=0, color="#333333" if row["kind"] == "happened" else "#555555",
                        style="normal" if row["kind"] == "happened" else "italic")
        if len(rows) > len(shown) and self._room():
            self._label(f"… {len(rows) - len(shown)} earlier: see `corridors timeline ROUTE`",
                        indent=0, style="italic")

    def claims(self, key: list[dict] | None) -> None:
        """Each claim: its number, id, verdict and summary, on two lines, or on one when
        two would leave claims out."""
        if not key or not self.heading("Claims (number on map · verdict)"):
            return
        rows_left = int((self.h - self.y) // self.row) + int(self.h // self.row) * (
            self.columns - self.col - 1)
        per_claim = 2 if rows_left >= 2 * len(key) else 1
        for i, item in enumerate(key):
            verdict = style.VERDICT_LABELS.get(item["verdict"], item["verdict"])
            where = "" if item["mapped"] else " (not on this map)"
            text = f"{item['claim_id']}: {verdict}{where}. {item['summary']}"
            lines = textwrap.wrap(text, width=self._chars())
            if len(lines) > per_claim:
                head = lines[: per_claim - 1]
                rest = " ".join(lines[per_claim - 1:])
                lines = [*head, textwrap.shorten(rest, width=self._chars(), placeholder="…")]
            if not self._room(len(lines) + 1):
                self._more(len(key) - i)
                return
            self._claim_sample(item["verdict"], str(item["number"]))
            for line in lines:
                self._label(line)

    def _more(self, count: int) -> None:
        self.y = min(self.y, self.h - self.row)
        note = f"… and {count} more claim(s): see the claims export (CSV or GeoPackage)"
        self.ax.text(self.x, self.y + self.row / 2,
                     textwrap.shorten(note, width=self._chars(0), placeholder="…"),
                     fontsize=self.size, style="italic", va="center")
