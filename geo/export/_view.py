"""The map's projection, extent and scale bar, and the page layout, for static maps.

Projection: Lambert conformal conic on the WGS84 ellipsoid, centred on the map's box, with
standard parallels at 1/6 and 5/6 of its latitude span (the usual choice for a mid-latitude
region). The scale bar's length is a geodesic distance (``pyproj.Geod``) run eastwards from
the map's centre and projected, so the bar is true at the centre latitude.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Transformer

from ..measure import geod

NICE_STEPS = (1, 2, 5)


@dataclass
class View:
    """The map's projection and its extent in projected metres."""

    crs: CRS
    forward: Transformer
    inverse: Transformer
    extent: tuple[float, float, float, float]  # x0, y0, x1, y1 (projected)
    lonlat_box: tuple[float, float, float, float]  # the lon/lat box covering the extent
    centre: tuple[float, float]  # lon, lat
    parallels: tuple[float, float]

    def project(self, geoms):
        """Project an array of lon/lat shapely geometries."""
        return shapely.transform(geoms, self._fwd)

    def _fwd(self, xy):
        x, y = self.forward.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])


def lcc(bbox) -> tuple[CRS, tuple[float, float]]:
    """Lambert conformal conic centred on ``bbox``, standard parallels at 1/6 and 5/6 of it."""
    west, south, east, north = bbox
    lat1, lat2 = south + (north - south) / 6, north - (north - south) / 6
    if abs(lat1 + lat2) < 1e-6:  # symmetric about the equator: the cone is undefined
        lat2 += 0.01
    lat0, lon0 = (south + north) / 2, (west + east) / 2
    proj = (
        f"+proj=lcc +lat_1={lat1:.6f} +lat_2={lat2:.6f} +lat_0={lat0:.6f} +lon_0={lon0:.6f} "
        "+ellps=WGS84 +towgs84=0,0,0 +units=m +no_defs"
    )
    return CRS.from_proj4(proj), (lat1, lat2)


def make_view(bbox, aspect: float) -> View:
    """The projection for ``bbox`` and an extent that covers it with width/height ``aspect``."""
    crs, parallels = lcc(bbox)
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    west, south, east, north = bbox
    ring = densified_ring(west, south, east, north, 64)
    xs, ys = fwd.transform(ring[:, 0], ring[:, 1])
    x0, x1, y0, y1 = float(np.min(xs)), float(np.max(xs)), float(np.min(ys)), float(np.max(ys))
    width, height = x1 - x0, y1 - y0
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (width / aspect - height) / 2
        y0, y1 = y0 - grow, y1 + grow
    edge = densified_ring(x0, y0, x1, y1, 64)
    lons, lats = inv.transform(edge[:, 0], edge[:, 1])
    pad = 0.05 * max(np.ptp(lons), np.ptp(lats))
    lonlat_box = (
        max(float(np.min(lons)) - pad, -180.0),
        max(float(np.min(lats)) - pad, -90.0),
        min(float(np.max(lons)) + pad, 180.0),
        min(float(np.max(lats)) + pad, 90.0),
    )
    centre = ((west + east) / 2, (south + north) / 2)
    return View(crs, fwd, inv, (x0, y0, x1, y1), lonlat_box, centre, parallels)


def densified_ring(x0, y0, x1, y1, n: int) -> np.ndarray:
    t = np.linspace(0.0, 1.0, n, endpoint=False)
    bottom = np.column_stack([x0 + (x1 - x0) * t, np.full(n, y0)])
    right = np.column_stack([np.full(n, x1), y0 + (y1 - y0) * t])
    top = np.column_stack([x1 - (x1 - x0) * t, np.full(n, y1)])
    left = np.column_stack([np.full(n, x0), y1 - (y1 - y0) * t])
    return np.vstack([bottom, right, top, left])


def scale_bar_km(view: View) -> tuple[float, float]:
    """A round scale-bar length (km) near a fifth of the map width, and its projected length.

    The projected length is that of a geodesic of that many km run eastwards from the map's
    centre, so the bar is true at the centre latitude.
    """
    x0, _, x1, _ = view.extent
    lon, lat = view.centre
    target_km = (x1 - x0) / 1000.0 / 5.0
    exp = math.floor(math.log10(target_km)) if target_km > 0 else 0
    km = max(s * 10**exp for s in NICE_STEPS if s * 10**exp <= target_km) if target_km >= 10**exp else 10**exp
    lon2, lat2, _ = geod().fwd(lon, lat, 90.0, km * 1000.0)
    (ax_, bx), (ay, by) = view.forward.transform([lon, lon2], [lat, lat2])
    return float(km), float(math.hypot(bx - ax_, by - ay))



#: Margins, header and footer of a page at scale 1 (A4), in inches, top to bottom.
FRAME_IN = 2 * 0.35 + 0.75 + 0.42


class Layout:
    """Page regions in figure fractions: header, map, side (or bottom) panel, footer.

    Text and lines scale with the page (1 on A4, at least 0.7), except on small pages (a side
    under about 66 mm): there the scale shrinks so that margins, header and footer take at most
    half the page. A side panel is used on landscape pages that leave the map at least half
    the width; otherwise the panel goes below the map. ``header`` (inches) makes room for a
    title that wraps (:func:`geo.export._decor.header_lines`).
    """

    def __init__(self, width: float, height: float, *, header: float | None = None) -> None:
        self.width, self.height = width, height
        self.scale = min(max(0.7, min(width, height) / 8.27), 0.5 * min(width, height) / FRAME_IN)
        margin = 0.35 * self.scale
        header = max(header or 0.0, 0.75 * self.scale)  # taller for a title on several lines
        self.header = header
        footer = 0.42 * self.scale
        gap = 0.2 * self.scale
        self.margin = margin
        inner_w = width - 2 * margin
        side_w = max(2.6 * self.scale, 0.27 * width)
        self.landscape = width >= height * 1.15 and inner_w - gap - side_w >= 0.5 * inner_w
        body_top = height - margin - header
        body_bottom = margin + footer
        if self.landscape:
            panel_w = side_w
            map_w = width - 2 * margin - gap - panel_w
            self.map_in = (margin, body_bottom, map_w, body_top - body_bottom)
            self.panel_in = (margin + map_w + gap, body_bottom, panel_w, body_top - body_bottom)
        else:
            panel_h = 0.3 * (body_top - body_bottom)
            map_h = body_top - body_bottom - gap - panel_h
            self.map_in = (margin, body_bottom + panel_h + gap, width - 2 * margin, map_h)
            self.panel_in = (margin, body_bottom, width - 2 * margin, panel_h)
        self.map_rect = self._frac(self.map_in)
        self.panel_rect = self._frac(self.panel_in)
        self.map_aspect = self.map_in[2] / self.map_in[3]

    def _frac(self, rect):
        x, y, w, h = rect
        return (x / self.width, y / self.height, w / self.width, h / self.height)

    def pt(self, size: float) -> float:
        """A font size or line width in points, scaled to the page."""
        return size * self.scale
