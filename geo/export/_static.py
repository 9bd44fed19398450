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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from .. import style
from ..data import (
    data_as_of,
    load_basemap,
    load_borders,
    load_nakhchivan,
    load_places,
    load_segments,
    load_water,
    route_path,
)
from ..dated import key_dates, scenario_of, segments_at, when_text
from ..gauges import gauge_break_places
from ..lifecycle import Scenario, parse_when
from ..names import short_name
from . import _options
from ._decor import (
    CREATOR,
    decorate_map,
    draw_footer,
    draw_header,
    draw_inset,
    header_lines,
    inset_box,
)
from ._labels import Labels, draw_area_labels, draw_claims
from ._marks import (
    HIGHLIGHT_OPACITY,
    HIGHLIGHT_WEIGHT,
    PLACE_MARKER,
    PLACE_MARKERS,
    SEGMENT_WIDTH_PT,
    clip_to_box,
    dashes,
    line_parts,
    polygon_patches,
    route_color,
    sort_by,
)
from ._panel import Panel
from ._select import (
    Selection,
    check_claims,
    check_routes,
    default_bbox,
    default_title,
    in_bbox,
    optional_frame,
    route_metrics_table,
    route_sections,
    routes_frame,
)
from ._view import Layout, View, make_view
from ._write import write_atomic

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
    # Every text is drawn as typed: a title "Freight costs $5 and $6" keeps its dollars, and
    # a name such as "Horadiz $\\alpha{$ rail" is not read as (broken) TeX. Texts made while
    # this is in force (legend entries included) take it; :func:`_draw` also sets it on every
    # text of the figure before drawing, for any made another way.
    "text.parse_math": False,
}
METADATA = {
    "png": {"Software": CREATOR},
    "svg": {"Date": None, "Creator": CREATOR},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": CREATOR, "Producer": CREATOR},
}



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
    as_of: str | None = None
    scenario: Scenario | None = None
    timeline: bool = True


def render_map(
    *,
    routes: Iterable[str] | None = None,
    claims: str | gpd.GeoDataFrame | None = None,
    bbox: str | tuple[float, float, float, float] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    fmt: str = "png",
    size: str | tuple[float, float] = "a4-landscape",
    dpi: int = 300,
    layers: Iterable[str] | None = None,
    modes: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    inset: bool = True,
    metrics: bool = True,
    timeline: bool = True,
    as_of: str | None = None,
    scenario: Scenario | Path | str | None = None,
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
    timeline
        Add a small table of the chosen routes' key dates: per section the last recorded
        change up to the map's date and the next expected one (``corridors timeline`` has all).
    as_of, scenario
        Statuses on this date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, "today"; default: as
        recorded) and under this scenario (a :class:`~geo.lifecycle.Scenario` or its YAML
        file): segment styles, legend and metrics follow; the subtitle says the date and, for
        a future date or a scenario, that the map is a projection.
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
        fmt=kind,
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
        timeline=timeline,
        as_of=as_of,
        scenario=scenario,
        data_dir=data_dir,
    )
    return _draw(request, kind)


def save_map(path: str | Path, *, fmt: str | None = None, **options: object) -> Path:
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
    before = len(problems)
    size_in = _options.check_size(kw["size"], _safe_int(kw["dpi"]), problems)
    dpi = _options.check_dpi(kw["dpi"], problems)
    if kw["fmt"] == "png" and len(problems) == before:
        _options.check_pixels(size_in, dpi, problems)
    layers = _options.check_layers(kw["layers"], problems)
    box = _options.check_bbox(kw["bbox"], problems)
    route_ids = check_routes(kw["routes"], problems, data_dir)
    claims, article = check_claims(kw["claims"], problems, data_dir)
    modes = _options.check_vocab("mode", kw["modes"], style.MODE_COLORS, problems)
    statuses = _options.check_vocab("status", kw["statuses"], style.STATUS_DASH, problems)
    as_of = _check_as_of(kw["as_of"], problems)
    _options.fail(problems)
    scenario = scenario_of(kw["scenario"], data_dir)
    routes = routes_frame(route_ids, data_dir)
    box = box or default_bbox(routes, claims, data_dir)
    selection = Selection(routes=routes, claims=claims, bbox=box, article=article)
    title = kw["title"] if kw["title"] is not None else default_title(routes)
    subtitle = kw["subtitle"]
    if subtitle is None:
        subtitle = _default_subtitle(selection, data_dir, as_of, scenario)
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
        as_of=as_of,
        scenario=scenario,
        timeline=bool(kw["timeline"]),
    )


def _check_as_of(value, problems: list[str]) -> str | None:
    if value is None:
        return None
    try:
        return parse_when(value).isoformat()
    except ValueError as err:
        problems.append(f"as_of: {err}")
        return None


def _safe_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return _options.DPI_RANGE[0]


def _default_subtitle(selection: Selection, data_dir, as_of=None, scenario=None) -> str:
    parts = [f"Data as of {data_as_of(data_dir)}"]
    if as_of is not None or scenario is not None:
        parts.append(when_text(as_of, scenario))
    if selection.claims is not None:
        parts.append(f"claims of article {selection.article}" if selection.article else "claims")
    return " · ".join(parts)


# ---------------------------------------------------------------------------------------------
# Drawing


def _draw(request: MapRequest, fmt: str) -> bytes:
    import matplotlib
    from matplotlib.text import Text

    with matplotlib.rc_context(RC_PARAMS):
        fig = _figure(request)
        if fmt == "png":  # whole pixels, rounded (Agg truncates): A4 at 150 dpi is 1240 x 1754
            width, height = request.size_in
            fig.set_size_inches((round(width * request.dpi) + 0.25) / request.dpi,
                                (round(height * request.dpi) + 0.25) / request.dpi)
        for text in fig.findobj(Text):
            text.set_parse_math(False)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=request.dpi, metadata=METADATA[fmt])
    return buf.getvalue()


def _figure(request: MapRequest):
    from matplotlib.figure import Figure

    width, height = request.size_in
    fig = Figure(figsize=(width, height), dpi=request.dpi, facecolor="white")
    layout = Layout(width, height)
    header = header_lines(request.title, request.subtitle, width, layout.scale)
    if header.extra_height(layout.scale) > 0:  # a long title wraps: the map moves down
        layout = Layout(width, height,
                        header=layout.header + header.extra_height(layout.scale))
    sel = request.selection
    map_ax = fig.add_axes(layout.map_rect, facecolor=style.WATER_FILL)
    view = make_view(sel.bbox, layout.map_aspect)
    shown = _draw_map(map_ax, view, request)
    decorate_map(map_ax, view, layout)
    if request.inset and inset_box(sel.bbox) is not None:
        draw_inset(fig, layout, view, request.selection.bbox, request.data_dir)
    draw_header(fig, layout, header)
    panel = Panel(fig, layout)
    panel.legend(shown)
    if request.metrics and len(sel.routes):
        table = route_metrics_table(sel.routes, request.data_dir, as_of=request.as_of,
                                    scenario=request.scenario)
        sections = route_sections(list(sel.routes.index), request.data_dir, as_of=request.as_of,
                                  scenario=request.scenario)
        panel.metrics(table, shown["route_colors"], sections)
    if request.timeline and len(sel.routes):
        ids = [sid for rid in sel.routes.index for sid, _ in route_path(rid, request.data_dir)]
        panel.key_dates(key_dates(ids, request.as_of, request.data_dir, request.scenario),
                        request.as_of)
    if sel.claims is not None and "claims" in request.layers:
        panel.claims(shown["claims"])
    panel.finish()
    draw_footer(fig, layout, view, shown)
    return fig


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
    segments = in_bbox(segments_at(data_dir, request.as_of, request.scenario), box)
    if request.modes is not None:
        segments = segments[segments["mode"].isin(request.modes)]
    if request.statuses is not None:
        segments = segments[segments["status"].isin(request.statuses)]
    route_segments: set = set()
    if "routes" in layers and len(sel.routes):
        route_segments = _draw_routes(ax, view, sel.routes, data_dir, lw(SEGMENT_WIDTH_PT), shown)
    if "corridors" in layers and len(segments):
        _draw_segments(ax, view, segments, lw(SEGMENT_WIDTH_PT), shown)
    labels = Labels(ax, lw)
    if "claims" in layers and sel.claims is not None:
        shown["claims"] = draw_claims(ax, view, sel.claims, lw, labels)
    if "gauge_breaks" in layers and len(segments):
        shown["gauge_breaks"] = _draw_gauge_breaks(ax, view, segments, data_dir, lw, labels)
    if layers_with_places := {"places", "crossings"} & set(layers):
        _draw_places(ax, view, segments, route_segments, data_dir, lw, shown, labels,
                     layers_with_places)
    draw_area_labels(ax, view, data_dir, labels)  # in the room the places leave
    ids = (set(segments.index) if "corridors" in layers else set()) | route_segments
    drawn = load_segments(data_dir).loc[sorted(ids)]
    shown["osm"] = bool(len(drawn)) and "geometry_source" in drawn and bool(
        (drawn["geometry_source"] == "osm").any())
    return shown


def _draw_base(ax, view: View, request: MapRequest, shown: dict, lw) -> None:
    """Land (simplified world outside the borders file, full detail inside), water, Nakhchivan."""
    data_dir, box = request.data_dir, view.lonlat_box
    borders = load_borders(data_dir)
    basemap = optional_frame(load_basemap, data_dir)  # decorative: borders still give the region
    if basemap is not None:
        others = basemap[~basemap["iso3"].isin(borders.index)] if "iso3" in basemap else basemap
        ax.add_artist(polygon_patches(
            view.project(clip_to_box(others, box)), facecolor=style.LAND_FILL,
            edgecolor=style.BORDER_COLOR, linewidth=lw(0.3), zorder=1))
    ax.add_artist(polygon_patches(
        view.project(clip_to_box(borders, box)), facecolor=style.LAND_FILL,
        edgecolor=style.BORDER_COLOR, linewidth=lw(0.5), zorder=2))
    water = optional_frame(load_water, data_dir)
    if water is not None and len(water):
        inside = water[shapely.intersects(water.geometry.values, shapely.box(*box))]
        if len(inside):
            ax.add_artist(polygon_patches(
                view.project(clip_to_box(inside, box)), facecolor=style.WATER_FILL,
                edgecolor=style.BORDER_COLOR, linewidth=lw(0.3), zorder=3))
            shown["water"] = [str(n) for n in inside.get("name", inside.index)]
    if "AZE" in borders.index:  # load_nakhchivan derives the exclave from AZE
        nx = load_nakhchivan(data_dir)
        if shapely.intersects(nx.geometry.iloc[0], shapely.box(*request.selection.bbox)):
            ax.add_artist(polygon_patches(
                view.project(nx.geometry.values), facecolor=style.NAKHCHIVAN_FILL, alpha=0.25,
                edgecolor=style.NAKHCHIVAN_EDGE, linewidth=lw(1.0), zorder=4))
            shown["nakhchivan"] = True


def _draw_segments(ax, view, segments, width, shown) -> None:
    from matplotlib.collections import LineCollection

    modes, statuses = segments["mode"].to_numpy(), segments["status"].to_numpy()
    geoms = segments.geometry.values
    for mode, status in sorted(set(zip(modes, statuses, strict=True))):
        parts = line_parts(view.project(geoms[(modes == mode) & (statuses == status)]))
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

    segments = load_segments(data_dir)
    used: set = set()
    for i, (rid, route) in enumerate(routes.iterrows()):
        color = route_color(i)
        shown["route_colors"][rid] = (color, route.get("name", rid))
        ids = [sid for sid, _ in route_path(rid, data_dir)]
        used.update(ids)
        parts = line_parts(view.project(segments.geometry.loc[ids].values))
        ax.add_collection(LineCollection(
            parts, colors=color, linewidths=width * HIGHLIGHT_WEIGHT / style.LINE_WEIGHT,
            alpha=HIGHLIGHT_OPACITY, capstyle="round", joinstyle="round", zorder=8 + i / 100))
    return used


def _draw_gauge_breaks(ax, view, segments, data_dir, lw, labels) -> bool:
    breaks = gauge_break_places(segments, load_places(data_dir))
    if not len(breaks):
        return False
    pts = view.project(breaks.geometry.values)
    for pt, certain in zip(pts, breaks["certain"], strict=True):
        labels.block(pt.x, pt.y, lw(10), lw(10))
        ax.annotate("G" if certain else "G?", (pt.x, pt.y), ha="center", va="center",
                    fontsize=lw(5.5), fontweight="bold", color=style.GAUGE_BREAK_COLOR, zorder=45,
                    bbox={"boxstyle": "square,pad=0.25", "facecolor": "white",
                          "edgecolor": style.GAUGE_BREAK_COLOR, "linewidth": lw(0.9),
                          "linestyle": "-" if certain else "--"},
                    annotation_clip=True)
    return "certain" if breaks["certain"].all() else "some uncertain"


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
            labels.add(short_name(places["name_en"].iloc[i]), xs[i], ys[i])
