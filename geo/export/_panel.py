"""The side (or bottom) panel of a static map: legend, route metrics table and claims key.

Rows are stacked top-down in points; a panel on a portrait page has two columns. Text wraps
to the column (measured in the export font), so no entry is cut short; claims the panel has no
room for are named in a note pointing to the data exports, never drawn over the map.
"""

from __future__ import annotations

import math

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
from ._wrap import wrap


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
        self.x_off = 0.0  # the right half of a column (legend entries side by side)
        self.left_out: list[str] = []  # what had no room, named in the closing note
        self.reserve = 3 * self.row  # kept free at the foot of the last column for that note

    def _bottom(self) -> float:
        return self.h - (self.reserve if self.col == self.columns - 1 else 0.0)

    def _room(self, rows: int = 1) -> bool:
        if self.y + rows * self.row <= self._bottom():
            return True
        if self.col + 1 < self.columns:
            self.col += 1
            self.y = 0.0
            return self.y + rows * self.row <= self._bottom()
        return False

    @property
    def x(self) -> float:
        return self.col * self.col_w + self.x_off

    def finish(self) -> None:
        """The closing note naming what had no room (nothing when everything fitted)."""
        if not self.left_out:
            return
        self.col, self.y = self.columns - 1, self.h - self.reserve  # the rows kept free
        items = self.left_out
        named = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        lines = self._lines(f"Not shown for lack of room: {named}. The data exports (CSV, "
                            "GeoPackage) have every figure.", 0)
        if len(lines) * self.row > self.reserve:  # said shorter, on purpose
            lines = self._lines("Some figures are not shown for lack of room; the data "
                                "exports have every one.", 0)
        for line in lines:
            self._label(line, 0, style="italic", color="#555555")

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
        self.ax.text(self.x + indent, self.y + self.row / 2, str(text), fontsize=self.size,
                     va="center", ha="left", **kw)
        self.y += self.row

    def _lines(self, text: str, indent: float = 30, *, bold: bool = False) -> list[str]:
        """``text`` wrapped to the column width after ``indent`` points."""
        return wrap(str(text), self.col_w - indent - 10, self.size, bold=bold)

    def _entry(self, draw, text: str, indent: float = 30, **kw) -> bool:
        """A sample (``draw``, or None) beside ``text`` wrapped onto as many rows as it needs,
        kept together in one column; False when no column has room left."""
        lines = self._lines(text, indent, bold=kw.get("fontweight") == "bold")
        if not self._room(len(lines)):
            return False
        if draw is not None:
            draw()
        for line in lines:
            self._label(line, indent, **kw)
        return True

    def legend(self, shown: dict) -> None:
        """One entry per style on the map, in the app legend's order."""
        if not self.heading("Legend"):
            self.left_out.append("the legend")
            return
        width = self.layout.pt(SEGMENT_WIDTH_PT)
        entries: list = []
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
        self._pairs(entries)

    def _pairs(self, entries: list) -> None:
        """Legend entries top-down; two short entries of the same kind (modes, statuses,
        places...) share a row, each in half the column."""
        half = self.col_w / 2
        short = [wrap(label, half - 34, self.size) == [label] for _, label in entries]
        kinds = [_kind(label) for _, label in entries]
        i = 0
        while i < len(entries):
            draw, label = entries[i]
            if (i + 1 < len(entries) and short[i] and short[i + 1]
                    and kinds[i] == kinds[i + 1]):
                if not self._room():
                    self.left_out.append(f"{len(entries) - i} legend entries")
                    return
                y = self.y
                draw()
                self._label(label)
                self.y, self.x_off = y, half
                entries[i + 1][0]()
                self._label(entries[i + 1][1])
                self.x_off = 0.0
                i += 2
                continue
            if not self._entry(draw, label):
                self.left_out.append(f"{len(entries) - i} legend entries")
                return
            i += 1

    def metrics(self, table, route_colors: dict, sections: list[dict]) -> None:
        """Per route: its colour and name, its length, km by country, then each of its named
        ``sections`` (:func:`geo.export._select.route_sections`) on its own."""
        if not len(table):
            return
        if not self.heading("Route metrics (km, basis in grey)"):
            self.left_out.append("the route metrics")
            return
        km_cols = country_km_columns(table)
        for n, (_, row) in enumerate(table.iterrows()):
            color = route_colors.get(row["route_id"], ("#000000", ""))[0]
            if not self._entry(lambda c=color: self._route_sample(c), str(row["name"]),
                               fontweight="bold"):
                self.left_out.append(f"the metrics of {len(table) - n} route(s)")
                return
            length = row.get("length_km")
            known = length is not None and not math.isnan(length)
            parts = [f"{length:,.0f} km" if known else "n/a"]
            parts += [f"{c[3:]} {row[c]:,.0f}" for c in km_cols if row[c] and row[c] >= 0.5]
            texts = [(" · ".join(parts), {"color": "#333333"})]
            if known and row.get("length_basis"):
                basis = f"{row['length_basis']}; drawn line {row['measured_km']:,.0f} km"
                texts.append((basis, {"color": "#777777", "style": "italic"}))
            texts += [(f"▸ {section_text(sec)}", {"color": "#333333"}) for sec in sections
                      if sec["route_id"] == row["route_id"]]
            for text, kw in texts:
                if not self._entry(None, text, **kw):
                    self.left_out.append("part of the route metrics")
                    return

    def key_dates(self, rows, as_of: str | None, max_rows: int = 8) -> None:
        """The chosen routes' key dates: per section the last recorded change up to the map's
        date and the next expected one, oldest first; at most ``max_rows``, the latest kept."""
        if not len(rows):
            return
        if not self.heading("Key dates (sections' status changes)"):
            self.left_out.append("the key dates")
            return
        shown = rows.tail(max_rows)
        for _, row in shown.iterrows():
            kind = "" if row["kind"] == "happened" else f" ({row['kind'][:3]}.)"
            event = str(row["event"]).replace("_", " ")
            text = f"{row['date']}  {event}{kind}: {row['name']}"
            if not self._entry(None, text, indent=0,
                               color="#333333" if row["kind"] == "happened" else "#555555",
                               style="normal" if row["kind"] == "happened" else "italic"):
                self.left_out.append("some key dates")
                return
        if len(rows) > len(shown):
            self._entry(None, f"{len(rows) - len(shown)} earlier change(s) not shown; the "
                              "timeline data export lists every one.", indent=0, style="italic")

    def claims(self, key: list[dict] | None) -> None:
        """Each claim: its number, id, verdict and summary, wrapped; when the panel has no room
        for every summary, each claim gets its id and verdict only (the summaries are in the
        claims export), and claims that still do not fit are counted in the closing note."""
        if not key:
            return
        if not self.heading("Claims (number on map · verdict)"):
            self.left_out.append("the claims key")
            return
        full = [self._lines(self._claim_text(item, summary=True)) for item in key]
        short = [self._lines(self._claim_text(item, summary=False)) for item in key]
        texts = full if self._rows_left() >= sum(len(t) for t in full) else short
        for i, (item, lines) in enumerate(zip(key, texts, strict=True)):
            if self._rows_left() < len(lines):
                self._more(len(key) - i)
                return
            self._entry(lambda v=item["verdict"], n=str(item["number"]): self._claim_sample(v, n),
                        " ".join(lines))

    @staticmethod
    def _claim_text(item: dict, *, summary: bool) -> str:
        verdict = style.VERDICT_LABELS.get(item["verdict"], item["verdict"])
        where = "" if item["mapped"] else " (not on this map)"
        text = f"{item['claim_id']}: {verdict}{where}"
        return f"{text}. {item['summary']}" if summary else text

    def _rows_left(self) -> int:
        """Rows left in this column and the columns after it."""
        rows = int((self._bottom() - self.y) // self.row)
        for col in range(self.col + 1, self.columns):
            rows += int((self.h - (self.reserve if col == self.columns - 1 else 0)) // self.row)
        return rows

    def _more(self, count: int) -> None:
        self.left_out.append(f"{count} more claim(s)")

def _kind(label: str) -> str:
    """Which group a legend entry belongs to (entries of one group may share a row)."""
    for prefix in ("route:", "claim", "gauge"):
        if label.startswith(prefix):
            return prefix
    if label in style.MODE_COLORS:
        return "mode"
    if label in style.STATUS_LABELS.values():
        return "status"
    return "other"
