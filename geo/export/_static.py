"""Static maps for reports: PNG, SVG and PDF drawn with matplotlib (Agg), no pyplot.

A page has a title, a subtitle with the data's as-of date, the map (land, water, Nakhchivan,
segments styled by mode and status, highlighted routes, places, numbered claims), a legend for
every style shown, a scale bar and a north arrow that are right at the map's centre latitude,
an optional locator inset, a claims key and a route metrics table, and the attributions.

Projection, extent, scale bar and page layout: :mod:`geo.export._view` (Lambert conformal
conic centred on the map). Line and marker styles: :mod:`geo.export._marks`. Legend, metrics
table and claims key: :mod:`geo.export._panel`.

Same inputs, same bytes: text uses the bundled DejaVu Sans, SVG ids come from a fixed hash
salt, and SVG/PDF carry no creation date.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from .. import style
from ..data import (
    NAKHCHIVAN,
    data_as_of,
    load_basemap,
    load_borders,
    load_nakhchivan,
    load_places,
    load_segments,
    load_territories,
    load_water,
)
from ..metrics import gauge_break_places
from . import _options
from ._marks import (
    HIGHLIGHT_OPACITY,
    HIGHLIGHT_WEIGHT,
    PLACE_MARKER,
    PLACE_MARKERS,
    SEGMENT_WIDTH_PT,
    claim_color,
    dashes,
    route_color,
    sort_by,
)
from ._panel import Panel
from ._select import (
    Selection,
    check_claims,
    check_routes,
    claim_anchor,
    default_bbox,
    in_bbox,
    route_metrics_table,
    routes_frame,
)
from ._view import Layout, View, densified_ring, make_view, scale_bar_km
from ._write import write_atomic

CREATOR = "Corridor Explorer"
FONT = "DejaVu Sans"
RC_PARAMS = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "svg.fonttype": "none",  # text stays <text> in SVG
    "svg.hashsalt": "corridor-explorer",  # fixed ids in SVG
    "pdf.fonttype": 42,  # TrueType in PDF: text stays selectable
    "path.simplify": False,
    "axes.unicode_minus": False,
    "hatch.linewidth": 0.5,
}
METADATA = {
    "png": {"Software": CREATOR},
    "svg": {"Date": None, "Creator": CREATOR},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": CREATOR, "Producer": CREATOR},
}

#: Locator inset: half its span in degrees, 1.5 times the map's, within these limits.
INSET_MIN_HALF_SPAN_DEG = 6.0
#: Claims whose markers would be closer than this (points on the page) share one marker.
CLAIM_SPOT_PT = 12.0
INSET_MAX_HALF_SPAN_DEG = 30.0


@dataclass
class MapRequest:
    """A validated snapshot request."""

    selection: Selection
    layers: tuple[str, ...]
    modes: frozenset | None
    statuses: frozenset | None
    title: str
    subtitle: str
    size_in: tuple[float, float]
    dpi: int
    inset: bool
    metrics: bool
    data_dir: Path | str | None


def render_map(
    *,
    routes=None,
    claims=None,
    bbox=None,
    title: str | None = None,
    subtitle: str | None = None,
    fmt: str = "png",
    size: str | tuple[float, float] = "a4-landscape",
    dpi: int = 300,
    layers=None,
    modes=None,
    statuses=None,
    inset: bool = True,
    metrics: bool = True,
    data_dir: Path | str | None = None,
) -> bytes:
    """A report-ready static map as bytes, format ``{"png", "svg", "pdf"}``.

    Parameters
    ----------
    routes
        Route ids to highlight (each in its own colour, listed in the legend and the metrics
        table). None or empty: no route highlighted.
    claims
        An article id (its claims are loaded and checked) or a GeoDataFrame of checked claims
        with columns ``claim_id``, ``summary``, ``verdict`` and ``geometry``. Claims are shown
        as numbered markers coloured by verdict, with a key.
    bbox
        ``(west, south, east, north)`` in degrees or the text ``"W,S,E,N"``; default: around
        the chosen routes and claims, or the South Caucasus and Iran.
    title, subtitle
        Page title (default: the route names, or "Transport corridors") and subtitle (default:
        the data's as-of date and, with claims, the article).
    fmt
        ``{"png", "svg", "pdf"}``. SVG keeps text as text; PDF pages are exactly ``size``.
    size
        ``{"a4", "a4-portrait", "a4-landscape", "a3", "a3-portrait", "a3-landscape",
        "slide"}`` (slide: 16:9, 13.33 x 7.5 in) or ``"WxH"`` in mm (or with unit ``mm``, ``cm``,
        ``in``, ``px``), or a (width, height) tuple in mm.
    dpi
        150 to 600; PNG pixels are ``size x dpi`` and the PNG records its DPI.
    layers
        Which overlays of ``{"routes", "corridors", "gauge_breaks", "places", "crossings",
        "claims"}`` to draw (default: all): the app's layer keys. The base (land, water,
        Nakhchivan) is always drawn.
    modes, statuses
        Show only segments of these modes / statuses (default: all), as the app's filters.
    inset
        Draw a locator inset.
    metrics
        Add the metrics table of the chosen routes.
    data_dir
        Data folder (default ``geo.settings.data_dir``).

    Returns
    -------
    bytes
        The file's content; the same inputs give the same bytes (PNG: the same pixels).

    Raises
    ------
    ExportError
        Listing every problem of the request at once (unknown route, bad box, DPI, size...).
    """
    problems: list[str] = []
    kind = str(fmt).lower()
    if kind not in ("png", "svg", "pdf"):
        problems.append(f"format {fmt!r} is not one of png, svg, pdf (html: see geo.standalone_html)")
    request = _request(
        problems,
        routes=routes,
        claims=claims,
        bbox=bbox,
        title=title,
        subtitle=subtitle,
        size=size,
        dpi=dpi,
        layers=layers,
        modes=modes,
        statuses=statuses,
        inset=inset,
        metrics=metrics,
        data_dir=data_dir,
    )
    return _draw(request, kind)


def save_map(path: str | Path, *, fmt: str | None = None, **options) -> Path:
    """Write :func:`render_map` output to ``path`` atomically; format from ``fmt`` or the suffix.

    Takes the keyword options of :func:`render_map`. A failed render leaves no file behind and
    an existing ``path`` untouched.
    """
    problems: list[str] = []
    kind = _options.check_out(path, ("png", "svg", "pdf"), problems, fmt=fmt)
    _options.fail(problems)
    data = render_map(fmt=kind, **options)
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def _request(problems: list[str], **kw) -> MapRequest:
    data_dir = kw["data_dir"]
    size_in = _options.check_size(kw["size"], _safe_int(kw["dpi"]), problems)
    dpi = _options.check_dpi(kw["dpi"], problems)
    layers = _options.check_layers(kw["layers"], problems)
    box = _options.check_bbox(kw["bbox"], problems)
    route_ids = check_routes(kw["routes"], problems, data_dir)
    claims, article = check_claims(kw["claims"], problems, data_dir)
    modes = _options.check_vocab("mode", kw["modes"], style.MODE_COLORS, problems)
    statuses = _options.check_vocab("status", kw["statuses"], style.STATUS_DASH, problems)
    _options.fail(problems)
    routes = routes_frame(route_ids, data_dir)
    box = box or default_bbox(routes, claims, data_dir)
    selection = Selection(routes=routes, claims=claims, bbox=box, article=article)
    title = kw["title"] if kw["title"] is not None else _default_title(routes)
    subtitle = kw["subtitle"] if kw["subtitle"] is not None else _default_subtitle(selection, data_dir)
    return MapRequest(
        selection=selection,
        layers=layers,
        modes=modes,
        statuses=statuses,
        title=str(title),
        subtitle=str(subtitle),
        size_in=size_in,
        dpi=dpi,
        inset=bool(kw["inset"]),
        metrics=bool(kw["metrics"]),
        data_dir=data_dir,
    )


def _safe_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return _options.DPI_RANGE[0]


def _default_title(routes: gpd.GeoDataFrame) -> str:
    if len(routes):
        return " · ".join(str(n) for n in routes["name"])
    return "Transport corridors"


def _default_subtitle(selection: Selection, data_dir) -> str:
    parts = [f"Data as of {data_as_of(data_dir)}"]
    if selection.claims is not None:
        parts.append(f"claims of article {selection.article}" if selection.article else "claims")
    return " · ".join(parts)


# ---------------------------------------------------------------------------------------------
# Drawing


def _draw(request: MapRequest, fmt: str) -> bytes:
    import matplotlib

    with matplotlib.rc_context(RC_PARAMS):
        fig = _figure(request)
        if fmt == "png":  # whole pixels, rounded (Agg truncates): A4 at 150 dpi is 1240 x 1754
            width, height = request.size_in
            fig.set_size_inches((round(width * request.dpi) + 0.25) / request.dpi,
                                (round(height * request.dpi) + 0.25) / request.dpi)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=request.dpi, metadata=METADATA[fmt])
    return buf.getvalue()


def _figure(request: MapRequest):
    from matplotlib.figure import Figure

    width, height = request.size_in
    fig = Figure(figsize=(width, height), dpi=request.dpi, facecolor="white")
    layout = Layout(width, height)
    sel = request.selection
    map_ax = fig.add_axes(layout.map_rect, facecolor=style.WATER_FILL)
    view = make_view(sel.bbox, layout.map_aspect)
    shown = _draw_map(map_ax, view, request)
    _decorate_map(map_ax, view, layout)
    if request.inset and _inset_box(sel.bbox) is not None:
        _draw_inset(fig, layout, view, request)
    _draw_header(fig, layout, request)
    panel = Panel(fig, layout)
    panel.legend(shown)
    if request.metrics and len(sel.routes):
        panel.metrics(route_metrics_table(sel.routes, request.data_dir), shown["route_colors"])
    if sel.claims is not None and "claims" in request.layers:
        panel.claims(shown["claims"])
    _draw_footer(fig, layout, view, shown)
    return fig


def _polygon_patches(geoms, **kwargs):
    """All polygons of ``geoms`` as one patch (one compound path: fast to build and draw).

    Rings are oriented (exteriors counter-clockwise, holes clockwise) so the non-zero fill
    rule leaves holes empty.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for geom in shapely.orient_polygons(np.asarray(geoms, dtype=object)):
        if geom is None or geom.is_empty:
            continue
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            for ring in (poly.exterior, *poly.interiors):
                xy = np.asarray(ring.coords)[:, :2]
                ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
                ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
                vertices.append(xy)
                codes.append(ring_codes)
    if not vertices:
        vertices, codes = [np.zeros((0, 2))], [np.zeros(0, dtype=MplPath.code_type)]
    path = MplPath(np.concatenate(vertices), np.concatenate(codes))
    return PathPatch(path, **kwargs)


def _line_parts(geoms) -> list[np.ndarray]:
    parts = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        for line in getattr(geom, "geoms", [geom]):
            parts.append(np.asarray(line.coords)[:, :2])
    return parts


def _clip(frame: gpd.GeoDataFrame, box) -> np.ndarray:
    geoms = frame.geometry.values
    keep = shapely.intersects(geoms, shapely.box(*box))
    return shapely.clip_by_rect(geoms[keep], *box)


def _draw_map(ax, view: View, request: MapRequest) -> dict:
    """Draw the base and the chosen overlays; return what was shown (legend, keys, credits).

    The base (land, water, Nakhchivan) is always drawn, as in the app; the overlays are the
    app's layer keys (:data:`geo.export.MAP_LAYERS`) in the app's drawing order.
    """
    sel, layers, data_dir = request.selection, request.layers, request.data_dir
    box = view.lonlat_box
    x0, y0, x1, y1 = view.extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    shown: dict = {"modes": [], "statuses": [], "route_colors": {}, "claims": None,
                   "places": [], "crossings": False, "gauge_breaks": False, "water": [],
                   "nakhchivan": False, "osm": False}
    lw = Layout(*request.size_in).pt
    _draw_base(ax, view, request, shown, lw)
    segments = in_bbox(load_segments(data_dir), box)
    if request.modes is not None:
        segments = segments[segments["mode"].isin(request.modes)]
    if request.statuses is not None:
        segments = segments[segments["status"].isin(request.statuses)]
    route_segments: set = set()
    if "routes" in layers and len(sel.routes):
        route_segments = _draw_routes(ax, view, sel.routes, data_dir, lw(SEGMENT_WIDTH_PT), shown)
    if "corridors" in layers and len(segments):
        _draw_segments(ax, view, segments, lw(SEGMENT_WIDTH_PT), shown)
    labels = _Labels(ax, lw)
    if "claims" in layers and sel.claims is not None:
        shown["claims"] = _draw_claims(ax, view, sel.claims, lw, labels)
    if "gauge_breaks" in layers and len(segments):
        shown["gauge_breaks"] = _draw_gauge_breaks(ax, view, segments, data_dir, lw, labels)
    if layers_with_places := {"places", "crossings"} & set(layers):
        _draw_places(ax, view, segments, route_segments, data_dir, lw, shown, labels,
                     layers_with_places)
    _draw_area_labels(ax, view, data_dir, labels)  # in the room the places leave
    ids = (set(segments.index) if "corridors" in layers else set()) | route_segments
    drawn = load_segments(data_dir).loc[sorted(ids)]
    shown["osm"] = bool(len(drawn)) and "geometry_source" in drawn and bool(
        (drawn["geometry_source"] == "osm").any())
    return shown


def _draw_base(ax, view: View, request: MapRequest, shown: dict, lw) -> None:
    """Land (simplified world outside the borders file, full detail inside), water, Nakhchivan."""
    data_dir, box = request.data_dir, view.lonlat_box
    borders = load_borders(data_dir)
    basemap = _optional(load_basemap, data_dir)  # decorative: borders still give the region
    if basemap is not None:
        others = basemap[~basemap["iso3"].isin(borders.index)] if "iso3" in basemap else basemap
        ax.add_artist(_polygon_patches(
            view.project(_clip(others, box)), facecolor=style.LAND_FILL,
            edgecolor=style.BORDER_COLOR, linewidth=lw(0.3), zorder=1))
    ax.add_artist(_polygon_patches(
        view.project(_clip(borders, box)), facecolor=style.LAND_FILL,
        edgecolor=style.BORDER_COLOR, linewidth=lw(0.5), zorder=2))
    water = _optional(load_water, data_dir)
    if water is not None and len(water):
        inside = water[shapely.intersects(water.geometry.values, shapely.box(*box))]
        if len(inside):
            ax.add_artist(_polygon_patches(
                view.project(_clip(inside, box)), facecolor=style.WATER_FILL,
                edgecolor=style.BORDER_COLOR, linewidth=lw(0.3), zorder=3))
            shown["water"] = [str(n) for n in inside.get("name", inside.index)]
    if "AZE" in borders.index:  # load_nakhchivan derives the exclave from AZE
        nx = load_nakhchivan(data_dir)
        if shapely.intersects(nx.geometry.iloc[0], shapely.box(*request.selection.bbox)):
            ax.add_artist(_polygon_patches(
                view.project(nx.geometry.values), facecolor=style.NAKHCHIVAN_FILL, alpha=0.25,
                edgecolor=style.NAKHCHIVAN_EDGE, linewidth=lw(1.0), zorder=4))
            shown["nakhchivan"] = True


def _optional(loader, data_dir):
    try:
        return loader(data_dir)
    except FileNotFoundError:  # an optional layer's file is not there
        return None


def _draw_segments(ax, view, segments, width, shown) -> None:
    from matplotlib.collections import LineCollection

    modes, statuses = segments["mode"].to_numpy(), segments["status"].to_numpy()
    geoms = segments.geometry.values
    for mode, status in sorted(set(zip(modes, statuses, strict=True))):
        parts = _line_parts(view.project(geoms[(modes == mode) & (statuses == status)]))
        ax.add_collection(LineCollection(
            parts, colors=style.MODE_COLORS.get(mode, "#000000"), linewidths=width,
            linestyles=[dashes(status)], alpha=style.STATUS_OPACITY.get(status, 0.95),
            capstyle="butt", zorder=10))
        shown["modes"] = sort_by(list({*shown["modes"], mode}), style.MODE_COLORS)
        shown["statuses"] = sort_by(list({*shown["statuses"], status}), style.STATUS_DASH)


def _draw_routes(ax, view, routes, data_dir, width, shown) -> set:
    """Each route as a thick translucent band under the corridors, one colour per route.

    Same look as the app's highlight layer: weight 9 against the corridors' 3, opacity 0.45,
    colours :data:`geo.style.ROUTE_HIGHLIGHTS` in the order the routes are given.
    """
    from matplotlib.collections import LineCollection

    from ..data import route_path

    segments = load_segments(data_dir)
    used: set = set()
    for i, (rid, route) in enumerate(routes.iterrows()):
        color = route_color(i)
        shown["route_colors"][rid] = (color, route.get("name", rid))
        ids = [sid for sid, _ in route_path(rid, data_dir)]
        used.update(ids)
        parts = _line_parts(view.project(segments.geometry.loc[ids].values))
        ax.add_collection(LineCollection(
            parts, colors=color, linewidths=width * HIGHLIGHT_WEIGHT / style.LINE_WEIGHT,
            alpha=HIGHLIGHT_OPACITY, capstyle="round", joinstyle="round", zorder=8 + i / 100))
    return used


def _draw_gauge_breaks(ax, view, segments, data_dir, lw, labels) -> bool:
    breaks = gauge_break_places(segments, load_places(data_dir))
    if not len(breaks):
        return False
    pts = view.project(breaks.geometry.values)
    for pt in pts:
        labels.block(pt.x, pt.y, lw(10), lw(10))
        ax.annotate("G", (pt.x, pt.y), ha="center", va="center", fontsize=lw(5.5),
                    fontweight="bold", color=style.GAUGE_BREAK_COLOR, zorder=45,
                    bbox={"boxstyle": "square,pad=0.25", "facecolor": "white",
                          "edgecolor": style.GAUGE_BREAK_COLOR, "linewidth": lw(0.9)},
                    annotation_clip=True)
    return True


#: Which place labels win where labels would overlap (lower first).
LABEL_RANK = {"city": 0, "port": 1, "station": 2, "border_crossing": 3}


def _draw_places(ax, view, segments, route_segments, data_dir, lw, shown, labels, which) -> None:
    """Places at the ends of the shown segments; labels for the routes' places, or cities."""
    places = in_bbox(load_places(data_dir), view.lonlat_box)
    linked = set(segments["from"]) | set(segments["to"]) if len(segments) else set()
    seg = load_segments(data_dir)
    on_routes = set(seg.loc[sorted(route_segments), "from"]) | set(seg.loc[sorted(route_segments), "to"])
    places = places[places.index.isin(linked | on_routes)]
    crossing = places["kind"] == "border_crossing"
    if "crossings" not in which:
        places, crossing = places[~crossing], crossing[~crossing]
    if "places" not in which:
        places, crossing = places[crossing], crossing[crossing]
    if not len(places):
        return
    pts = view.project(places.geometry.values)
    xs, ys = shapely.get_x(pts), shapely.get_y(pts)
    for kind in sorted(set(places["kind"])):
        mask = (places["kind"] == kind).to_numpy()
        if kind == "border_crossing":
            ax.scatter(xs[mask], ys[mask], s=lw(3.6) ** 2, marker="D", facecolor="white",
                       edgecolor="#222222", linewidth=lw(0.9), zorder=42)
            shown["crossings"] = True
            continue
        size, fill = PLACE_MARKERS.get(kind, PLACE_MARKER)
        ax.scatter(xs[mask], ys[mask], s=lw(size) ** 2, facecolor=fill, edgecolor="#222222",
                   linewidth=lw(0.7), zorder=41)
        shown["places"] = sort_by(list({*shown["places"], kind}), ["city", "port", "station", "junction"])
    kinds = places["kind"].to_numpy()
    routed = places.index.isin(on_routes)
    rank = np.array([LABEL_RANK.get(k, len(LABEL_RANK)) for k in kinds])
    # Labels go first to the chosen routes' places, then by kind; a label that would touch
    # one already placed is left out, so crowded areas stay readable.
    order = np.lexsort((places.index.to_numpy(), rank, ~routed))
    for i in order:
        if kinds[i] != "junction":
            labels.add(_short_name(places["name_en"].iloc[i]), xs[i], ys[i])


def _short_name(name: str) -> str:
    """A place name without its parenthesised detail: "Jolfa (Iran)" -> "Jolfa"."""
    short = str(name).split(" (")[0].strip()
    return short or str(name)


class _Labels:
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


def _draw_area_labels(ax, view: View, data_dir, labels: _Labels) -> None:
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


def _draw_claims(ax, view, claims, lw, labels: _Labels) -> list[dict]:
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


def _decorate_map(ax, view: View, layout: Layout) -> None:
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


def _inset_box(bbox):
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


def _draw_inset(fig, layout: Layout, view: View, request: MapRequest) -> None:
    """A small map of the wider area with the main map's outline, in the map's corner."""
    from matplotlib.patches import Polygon as MplPolygon

    mx, my, mw, mh = layout.map_in
    side = min(mw, mh) * 0.26
    rect = (mx + mw - side - 0.05 * layout.scale, my + 0.05 * layout.scale, side, side)
    ax = fig.add_axes(layout._frac(rect), facecolor=style.WATER_FILL, zorder=5)
    inset_view = make_view(_inset_box(request.selection.bbox), 1.0)
    basemap = _optional(load_basemap, request.data_dir)
    frame = basemap if basemap is not None else load_borders(request.data_dir)
    geoms = _clip(frame, inset_view.lonlat_box)
    ax.add_artist(_polygon_patches(inset_view.project(geoms), facecolor=style.LAND_FILL,
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


def _draw_header(fig, layout: Layout, request: MapRequest) -> None:
    top = 1 - layout.margin / layout.height
    left = layout.margin / layout.width
    chars = int((layout.width - 2 * layout.margin) * 72 / (layout.pt(15) * 0.68))  # bold
    title = textwrap.shorten(request.title, width=max(chars, 20), placeholder="…")
    fig.text(left, top, title, fontsize=layout.pt(15), fontweight="bold", ha="left", va="top")
    sub_y = top - layout.pt(15) * 1.45 / 72 / layout.height
    fig.text(left, sub_y, request.subtitle, fontsize=layout.pt(9), color="#444444", ha="left",
             va="top")


def _draw_footer(fig, layout: Layout, view: View, shown: dict) -> None:
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
            f"centre {lon0:.1f}°E {lat0:.1f}°N")
    fig.text(1 - left, base, f"{proj} · {CREATOR}", fontsize=size, color="#444444", ha="right",
             va="bottom")


