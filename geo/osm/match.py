"""Match one curated segment to the OSM ways that follow it, and splice their alignment in.

All metric work happens in a local azimuthal equidistant projection centred on the segment
(``+proj=aeqd`` at the segment's centroid): distances from the centre are exact and, within
the ~500 km of a segment, scale errors stay under 0.2 %, which UTM cannot promise for lines
crossing several 6-degree zones (Georgia to Iran spans four). Output coordinates are the OSM
nodes' own lon/lat, never round-tripped through the projection.

The match, for a segment line C and tolerance t (metres):

1. keep the OSM edges (consecutive node pairs of a way) whose both ends lie within t of C;
2. join them into a graph (OSM ways share node coordinates where they connect);
3. in each connected piece, take the nodes that project furthest back and furthest along C
   (positions s_a < s_b) and the shortest path between them: that path follows C from s_a to
   s_b;
4. accept the piece if it runs alongside C for s_b - s_a >= 3 t (a line that only crosses the
   corridor of half-width t at an angle above ~42 degrees stays in it for less than that; on a
   segment shorter than 3 t, for 80 % of its length) and
   every point of C between s_a and s_b is within t of the path (no gaps, no detours);
5. keep the longest accepted pieces, trimming each shorter one to the part of C the longer
   ones leave (unconnected tracks side by side are not counted twice), and splice: curated
   vertices before s_a, the OSM path, curated vertices after s_b, and so on, so the result
   still starts and ends at the segment's places.

Before the pieces, :func:`match_line` tries the whole segment at once (**end to end**): the
nodes of step 2 within :data:`END_RADIUS_M` of each end place are joined to a virtual source
and target, each by its straight distance times :data:`GAP_WEIGHT`, and the shortest path from
source to target is the track between the two places. A shortest path never runs out along a
branch and back, and it is the traced length of the section between its end stations. Only
when no track connects the two ends does the match fall back to the pieces.

``area`` (lon/lat polygon) keeps the match inside the segment's own countries: an OSM node
outside it is never used, so a line along a border is not matched to the neighbour's railway.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, box
from shapely.ops import substring

MIN_RUN_FACTOR = 3.0
"""A matched piece must run alongside the segment for at least this many tolerances..."""

SHORT_SEGMENT_SHARE = 0.8
"""... or, on a segment shorter than that, along at least this share of its length."""

END_RADIUS_M = 5000.0
"""How far (m) from an end place an OSM node may be to start or end an end-to-end match (the
segment's tolerance where that is less): a place is a town or station point, sometimes a few
km from its track."""

GAP_WEIGHT = 3.0
"""Each metre of straight line between an end place and its node weighs as this many metres of
track, so the match starts at the node nearest the place rather than trimming the track."""

WIDE_FACTOR = 2.0
WIDE_MAX_M = 15000.0
"""The end-to-end match may use track up to this many tolerances from the drawn line (at most
this many metres), where a drawn line strays from its track for a while; such track weighs
more the further it lies (:func:`_end_to_end`)."""

MIN_END_TO_END_COVERAGE = 0.5
"""An end-to-end match must run along at least this share of the drawn line; a shorter one is
mostly straight access lines from the places, and the pieces are tried instead."""

ANCHOR_RADIUS_M = 1000.0
"""With explicit ``anchors`` (station nodes), how far from each the match may start or end."""

END_TO_END = "end to end"
IN_PIECES = "in pieces"


@dataclass
class SnapMatch:
    """The result of snapping one segment: new line, provenance and how much OSM covered."""

    geometry: LineString
    way_ids: list[int]
    way_lengths_m: dict[int, float]
    coverage: float
    pieces: list[tuple[float, float]] = field(default_factory=list)
    method: str = IN_PIECES
    """``"end to end"`` (one OSM path between the two end places) or ``"in pieces"``."""
    gaps_m: tuple[float, float] | None = None
    """End to end: the straight distance from each end place to the node the track starts or
    ends at (m)."""
    track: LineString | None = None
    """End to end: the OSM track alone, from the first to the last node (lon/lat)."""


def local_transformer(geom) -> Transformer:
    """lon/lat (WGS84) -> metres in an azimuthal equidistant projection centred on ``geom``.

    A PROJ pipeline rather than ``Transformer.from_crs``: the same numbers, built 15 times
    faster (no search for a transformation), which matters with one projection per segment.
    Use ``direction="INVERSE"`` (see :func:`reproject`) to come back to lon/lat.
    """
    c = geom.centroid
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={c.y:.6f} +lon_0={c.x:.6f} +ellps=WGS84"
    )


def reproject(geom, transformer: Transformer, *, inverse: bool = False):
    """``geom`` with its coordinates passed through ``transformer`` (or back, if ``inverse``)."""
    direction = "INVERSE" if inverse else "FORWARD"
    return shapely.transform(
        geom, lambda x, y: transformer.transform(x, y, direction=direction), interleaved=False
    )


def snap_line(curated: LineString, ways, tolerance_m: float, *, area=None) -> SnapMatch | None:
    """Snap ``curated`` (lon/lat) to ``ways`` (GeoSeries of lon/lat lines indexed by way id).

    Returns None when no OSM line follows the segment. Same as :func:`match_line` without the
    end-to-end attempt; ``area`` as there.
    """
    return match_line(curated, ways, tolerance_m, area=area, end_to_end=False)


def match_line(
    curated: LineString,
    ways,
    tolerance_m: float,
    *,
    area=None,
    end_to_end: bool = True,
    reach_m: float | None = None,
    anchors: tuple | None = None,
) -> SnapMatch | None:
    """Match ``curated`` (lon/lat) to ``ways`` (GeoSeries of lon/lat lines indexed by way id).

    Parameters
    ----------
    curated
        The drawn segment, from its ``from`` place to its ``to`` place.
    ways
        Candidate OSM lines of the segment's mode, indexed by way id.
    tolerance_m
        Half-width of the corridor around ``curated`` that a matched node must lie in.
    area
        A lon/lat (Multi)Polygon, or None: OSM nodes outside it are never used.
    end_to_end
        Try the track between the two end places first (see the module docstring).
    reach_m
        How far from the drawn line the end-to-end match may use track (default
        :data:`WIDE_FACTOR` tolerances, at most :data:`WIDE_MAX_M`).
    anchors
        ``(start, end)``, each a lon/lat point or None: where to start and end the end-to-end
        match (the OSM station node of that end, say), within :data:`ANCHOR_RADIUS_M`,
        instead of near the end place (within :data:`END_RADIUS_M`).

    Returns
    -------
    SnapMatch or None
        None when no OSM line follows the segment.
    """
    proj = local_transformer(curated)
    line = reproject(curated, proj)
    reach = (reach_m if reach_m is not None else min(tolerance_m * WIDE_FACTOR, WIDE_MAX_M)) \
        if end_to_end else tolerance_m
    corridor = reproject(line.buffer(reach, quad_segs=4), proj, inverse=True)
    near = ways.iloc[ways.sindex.query(box(*corridor.bounds), predicate="intersects")]
    local_area = None
    if area is not None:
        w, s_, e, n = corridor.bounds
        local_area = reproject(shapely.clip_by_rect(area, w - 0.1, s_ - 0.1, e + 0.1, n + 0.1), proj)
        shapely.prepare(local_area)
    wide = _edge_graph(near, line, proj, reach, local_area)
    if end_to_end and wide.number_of_edges():
        anchors = anchors or (None, None)
        points = [proj.transform(*a) if a is not None else end[:2]
                  for a, end in zip(anchors, (line.coords[0], line.coords[-1]), strict=True)]
        radii = [END_RADIUS_M if a is None else ANCHOR_RADIUS_M for a in anchors]
        whole = _end_to_end(wide, line, curated, tolerance_m, points, radii)
        if whole is not None:
            return whole
    graph = wide.subgraph([k for k, d in wide.nodes(data="d") if d <= tolerance_m])
    if graph.number_of_edges() == 0:
        return None
    s = nx.get_node_attributes(graph, "s")
    pieces = [p for comp in nx.connected_components(graph)
              if (p := _piece(graph, comp, s, line, tolerance_m)) is not None]
    chosen = _non_overlapping(pieces)
    if not chosen:
        return None
    return _splice(curated, line, chosen)


def _edge_graph(
    ways, line: LineString, proj: Transformer, tolerance_m: float, area=None
) -> nx.Graph:
    graph = nx.Graph()
    for way_id, geom in zip(ways.index, ways.values, strict=True):
        if geom is None or geom.geom_type != "LineString":
            continue
        ll = shapely.get_coordinates(geom)
        x, y = proj.transform(ll[:, 0], ll[:, 1])
        pts = shapely.points(x, y)
        dist = shapely.distance(pts, line)
        near = dist <= tolerance_m
        if area is not None:
            near &= shapely.contains_xy(area, x, y)
        inside = near.tolist()
        dist = dist.tolist()
        if not any(inside):
            continue
        s = shapely.line_locate_point(line, pts).tolist()
        keys = list(map(tuple, np.round(ll, 7).tolist()))
        xs, ys, lls = x.tolist(), y.tolist(), ll.tolist()
        for i in range(len(keys) - 1):
            if not (inside[i] and inside[i + 1]) or keys[i] == keys[i + 1]:
                continue
            for j in (i, i + 1):
                if keys[j] not in graph:
                    graph.add_node(keys[j], ll=tuple(lls[j]), xy=(xs[j], ys[j]), s=s[j], d=dist[j])
            step = math.hypot(xs[i + 1] - xs[i], ys[i + 1] - ys[i])
            graph.add_edge(keys[i], keys[i + 1], weight=step, way=int(way_id))
    return graph


def _end_to_end(
    graph: nx.Graph, line: LineString, curated: LineString, tolerance_m: float, points,
    radii,
) -> SnapMatch | None:
    """The shortest OSM path between nodes near the two end ``points`` (local x, y; each
    within its radius in ``radii``).

    Track weighs more the further it lies from C (``1 + (d / tolerance)**2`` per metre, ``d``
    the distance of the edge from C), so the path keeps to the track that follows the drawn
    line where there is a choice.
    """
    keys = list(graph.nodes)
    xy = np.array([graph.nodes[k]["xy"] for k in keys])
    ends = []
    for (x0, y0), radius in zip(points, radii, strict=True):
        d = np.hypot(xy[:, 0] - x0, xy[:, 1] - y0)
        ends.append({keys[i]: float(d[i]) for i in np.flatnonzero(d <= radius)})
    if not ends[0] or not ends[1]:
        return None
    source, target = object(), object()  # virtual nodes, never equal to a coordinate key
    for virtual, near in ((source, ends[0]), (target, ends[1])):
        graph.add_node(virtual)
        for k, d in near.items():
            graph.add_edge(virtual, k, weight=GAP_WEIGHT * d)

    def cost(u, v, data) -> float:
        if "way" not in data:  # from a virtual end to a node
            return data["weight"]
        off = (graph.nodes[u]["d"] + graph.nodes[v]["d"]) / (2.0 * tolerance_m)
        return data["weight"] * (1.0 + off * off)

    try:
        path = nx.shortest_path(graph, source, target, weight=cost)[1:-1]
    except nx.NetworkXNoPath:
        path = []
    finally:
        graph.remove_nodes_from([source, target])
    if len(path) < 2:
        return None
    edges = [(graph.edges[u, v]["way"], graph.edges[u, v]["weight"])
             for u, v in zip(path[:-1], path[1:], strict=True)]
    piece = _Piece([graph.nodes[k] for k in path], edges)
    ll = [graph.nodes[k]["ll"] for k in path]
    first, last = tuple(curated.coords[0][:2]), tuple(curated.coords[-1][:2])
    coords = [first] if ll[0] != first else []
    coords += ll + ([last] if ll[-1] != last else [])
    s = [n["s"] for n in piece.nodes]
    covered = (max(s) - min(s)) / line.length if line.length else 0.0
    if covered < MIN_END_TO_END_COVERAGE:  # mostly straight access lines: not the track
        return None
    return SnapMatch(
        LineString(coords), piece.ways, piece.way_lengths_m, min(max(covered, 0.0), 1.0),
        [(piece.s_a, piece.s_b)], method=END_TO_END,
        gaps_m=(ends[0][path[0]], ends[1][path[-1]]), track=LineString(ll),
    )


@dataclass
class _Piece:
    """A run of OSM nodes following C: node attributes in path order, (way, metres) per edge."""

    nodes: list[dict]
    edges: list[tuple[int, float]]

    @property
    def s_a(self) -> float:
        return min(n["s"] for n in self.nodes)

    @property
    def s_b(self) -> float:
        return max(n["s"] for n in self.nodes)

    @property
    def ways(self) -> list[int]:
        return list(dict.fromkeys(w for w, _ in self.edges))

    @property
    def way_lengths_m(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for w, m in self.edges:
            out[w] = out.get(w, 0.0) + m
        return out


def _piece(
    graph: nx.Graph, comp: set, s: dict, line: LineString, tolerance_m: float
) -> _Piece | None:
    """The shortest path between the component's extreme nodes along C, if it follows C."""
    a = min(comp, key=s.__getitem__)
    b = max(comp, key=s.__getitem__)
    if s[b] - s[a] < min(MIN_RUN_FACTOR * tolerance_m, SHORT_SEGMENT_SHARE * line.length):
        return None
    nodes = nx.shortest_path(graph, a, b, weight="weight")
    path = LineString([graph.nodes[n]["xy"] for n in nodes])
    stretch = substring(line, s[a], s[b])
    if shapely.hausdorff_distance(stretch, path, densify=0.25) > tolerance_m * 1.05:
        return None
    edges = [(graph.edges[u, v]["way"], graph.edges[u, v]["weight"])
             for u, v in zip(nodes[:-1], nodes[1:], strict=True)]
    return _Piece([graph.nodes[n] for n in nodes], edges)


def _trim(piece: _Piece, lo: float, hi: float) -> _Piece | None:
    """The longest end of ``piece`` outside ``[lo, hi]`` along C (None if nothing is left).

    Two OSM lines that do not connect but overlap along C (the 1520 mm and 1435 mm tracks of a
    break-of-gauge station, a line mapped in two parts) then both count, each on its own part.
    """
    s = [n["s"] for n in piece.nodes]
    options = []
    k = next((i for i, v in enumerate(s) if v > lo), len(s))  # prefix: up to lo
    if k >= 2:
        options.append(_Piece(piece.nodes[:k], piece.edges[: k - 1]))
    k = next((i for i in range(len(s) - 1, -1, -1) if s[i] < hi), -1) + 1  # suffix: from hi
    if len(s) - k >= 2:
        options.append(_Piece(piece.nodes[k:], piece.edges[k:]))
    return max(options, key=lambda p: p.s_b - p.s_a, default=None)


def _non_overlapping(pieces: list[_Piece]) -> list[_Piece]:
    """The longest pieces first; each later one trimmed to what the chosen ones leave."""
    chosen: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: p.s_b - p.s_a, reverse=True):
        for other in chosen:
            if piece is not None and piece.s_a < other.s_b and piece.s_b > other.s_a:
                piece = _trim(piece, other.s_a, other.s_b)
        if piece is not None and piece.s_b > piece.s_a:
            chosen.append(piece)
    return sorted(chosen, key=lambda p: p.s_a)


def _splice(curated: LineString, line: LineString, chosen: list[_Piece]) -> SnapMatch:
    """Curated vertices outside the pieces, OSM nodes inside; first and last curated vertex kept.

    No point is interpolated: the line steps from the last curated vertex before a piece
    straight to the piece's first OSM node, so where OSM meets the curated line nothing is
    added but the OSM alignment itself.
    """
    ll = [tuple(c[:2]) for c in curated.coords]
    xy = np.asarray(line.coords)
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    total = along[-1]
    out: list = [ll[0]]
    cursor = 0.0
    for piece in chosen:
        out += [ll[i] for i in range(1, len(ll) - 1) if cursor < along[i] < piece.s_a]
        out += [n["ll"] for n in piece.nodes]
        cursor = piece.s_b
    out += [ll[i] for i in range(1, len(ll) - 1) if cursor < along[i]]
    out.append(ll[-1])
    coords = [out[0]]
    for c in out[1:]:
        if abs(c[0] - coords[-1][0]) + abs(c[1] - coords[-1][1]) > 1e-9:
            coords.append(c)
    ways: list[int] = []
    lengths: dict[int, float] = {}
    for piece in chosen:
        ways += [w for w in piece.ways if w not in ways]
        for w, m in piece.way_lengths_m.items():
            lengths[w] = lengths.get(w, 0.0) + m
    covered = sum(p.s_b - p.s_a for p in chosen) / total if total else 0.0
    return SnapMatch(
        LineString(coords), ways, lengths, min(covered, 1.0), [(p.s_a, p.s_b) for p in chosen]
    )
