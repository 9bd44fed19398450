"""Report-ready exports: static maps (PNG, SVG, PDF) and data files (CSV, GeoJSON, GeoPackage).

* :func:`render_map` / :func:`save_map`: a printed-map page (title, legend, scale bar, north
  arrow, attribution, locator inset, claims key, route metrics) drawn with matplotlib.
* :func:`export_frames`, :func:`export_bytes`, :func:`export_data`: CSV, GeoJSON (RFC 7946)
  and GeoPackage of the chosen routes and claims.
* :func:`map_frames`: the frames the interactive map (``layers.build_map``) needs for the
  same selection, for the self-contained HTML export (``layers.to_html``); geo never imports
  folium itself.

Every file is written atomically (:mod:`geo._io`); every problem with a request is reported
at once in one :class:`~geo.ExportError`.
"""

from ._data import DATASETS, export_bytes, export_data, export_frames, to_geojson
from ._interactive import map_frames
from ._options import DPI_RANGE, MAP_LAYERS, PAGE_SIZES, check_out, fail
from ._static import render_map, save_map
from ._write import write_atomic

__all__ = [
    "DATASETS",
    "DPI_RANGE",
    "MAP_LAYERS",
    "PAGE_SIZES",
    "check_out",
    "fail",
    "export_bytes",
    "export_data",
    "export_frames",
    "map_frames",
    "render_map",
    "save_map",
    "to_geojson",
    "write_atomic",
]
