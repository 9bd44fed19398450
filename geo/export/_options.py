"""Options shared by snapshots and data exports: page sizes, bounding boxes, formats, layers.

Every ``check_*`` helper appends plain-language problems to a list, so a caller can collect all
of a request's problems and raise one :class:`~geo.ExportError` that names each of them.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

from .. import settings
from .._errors import ExportError
from ..vocab import MAP_LAYERS

MM_PER_INCH = 25.4
#: Smallest and largest side of a page (mm): below 50 mm a title, map, legend and credits do
#: not fit legibly; above 100 inches a page is a poster no printer takes.
PAGE_SIDE_MM = (50.0, 100 * MM_PER_INCH)

#: Named page sizes as (width, height) in millimetres.
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a4": (210.0, 297.0),
    "a4-portrait": (210.0, 297.0),
    "a4-landscape": (297.0, 210.0),
    "a3": (297.0, 420.0),
    "a3-portrait": (297.0, 420.0),
    "a3-landscape": (420.0, 297.0),
    # 16:9 widescreen slide (PowerPoint/Google Slides default: 13.333 x 7.5 in).
    "slide": (13.333 * MM_PER_INCH, 7.5 * MM_PER_INCH),
}

MAP_FORMATS = ("png", "svg", "pdf", "html")
DATA_FORMATS = ("csv", "geojson", "gpkg")
DPI_RANGE = (150, 600)

#: Overlays a snapshot can show: the app's layer keys (``layers.LAYER_KEYS``), in its drawing
#: order. The base (land, water, Nakhchivan) is always drawn, as in the app.

#: A snapshot is a regional map: a wider box would make the conic projection and the single
#: scale bar misleading (the scale would vary by more than a few percent across the map).
MAX_SPAN_DEG = (90.0, 60.0)

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|px)?\s*$")


def fail(problems: list[str]) -> None:
    """Raise one :class:`~geo.ExportError` listing every problem, if there are any."""
    if problems:
        raise ExportError(problems)


def check_size(size: str | tuple[float, float], dpi: int, problems: list[str]) -> tuple[float, float]:
    """Page size in inches from ``size``: a name of :data:`PAGE_SIZES` or ``"WxH[mm|cm|in|px]"``.

    ``WxH`` without a unit is in millimetres; ``px`` is pixels at ``dpi``. A tuple is
    (width, height) in millimetres. Returns (8.27, 11.69) style inches, or A4 on a problem.
    """
    fallback = tuple(v / MM_PER_INCH for v in PAGE_SIZES["a4"])
    if isinstance(size, tuple | list):
        width, height, unit = float(size[0]), float(size[1]), "mm"
    else:
        key = str(size).strip().lower()
        if key in PAGE_SIZES:
            return tuple(v / MM_PER_INCH for v in PAGE_SIZES[key])
        match = _SIZE_RE.match(key)
        if not match:
            names = ", ".join(PAGE_SIZES)
            problems.append(
                f"size {size!r} is not one of {names} nor WxH (millimetres, or with a unit: "
                "'180x120mm', '7x5in', '1920x1080px')"
            )
            return fallback
        width, height, unit = float(match[1]), float(match[2]), match[3] or "mm"
    per_inch = {"mm": MM_PER_INCH, "cm": MM_PER_INCH / 10, "in": 1.0, "px": float(dpi)}[unit]
    inches = (width / per_inch, height / per_inch)
    low, high = (v / MM_PER_INCH for v in PAGE_SIDE_MM)
    if not all(low - 1e-9 <= v <= high + 1e-9 for v in inches):
        problems.append(
            f"size {size!r} is {inches[0] * MM_PER_INCH:.0f} x {inches[1] * MM_PER_INCH:.0f} mm "
            f"({inches[0]:.2f} x {inches[1]:.2f} in); each side must be {PAGE_SIDE_MM[0]:.0f} to "
            f"{PAGE_SIDE_MM[1]:.0f} mm ({low:.2f} to {high:.0f} inches)"
        )
        return fallback
    return inches


def pixels(size_in: tuple[float, float], dpi: int) -> tuple[int, int]:
    """Width and height in whole pixels of a page of ``size_in`` inches at ``dpi``."""
    return round(size_in[0] * dpi), round(size_in[1] * dpi)


def max_dpi(size_in: tuple[float, float], limit: int) -> int:
    """The largest whole DPI at which a page of ``size_in`` inches has at most ``limit`` pixels."""
    dpi = int(math.sqrt(limit / (size_in[0] * size_in[1])))
    while dpi > 0 and math.prod(pixels(size_in, dpi)) > limit:
        dpi -= 1
    return dpi


def check_pixels(size_in: tuple[float, float], dpi: int, problems: list[str]) -> None:
    """A PNG page must have at most ``settings.max_snapshot_pixels`` pixels; the problem
    names the largest DPI that fits the page (or says that none in range does)."""
    limit = settings.max_snapshot_pixels
    width, height = pixels(size_in, dpi)
    if width * height <= limit:
        return
    best = max_dpi(size_in, limit)
    if best >= DPI_RANGE[0]:
        hint = f"at this page size use --dpi {best} or less"
    else:
        hint = (f"this page is too large for a PNG even at {DPI_RANGE[0]} dpi: choose a smaller "
                "page, or SVG or PDF (no pixel limit)")
    problems.append(
        f"a PNG of {width} x {height} pixels ({width * height / 1e6:,.0f} megapixels at {dpi} "
        f"dpi) is more than the limit of {limit / 1e6:g} megapixels "
        f"(settings.max_snapshot_pixels); {hint}"
    )


def check_dpi(dpi: object, problems: list[str]) -> int:
    """A resolution in dots per inch within :data:`DPI_RANGE`."""
    try:
        value = int(dpi)
    except (TypeError, ValueError):
        problems.append(f"dpi {dpi!r} is not a whole number")
        return DPI_RANGE[0]
    if value != dpi and not (isinstance(dpi, str) and str(value) == dpi.strip()):
        problems.append(f"dpi {dpi!r} is not a whole number")
    if not DPI_RANGE[0] <= value <= DPI_RANGE[1]:
        problems.append(f"dpi {value} is out of range; use {DPI_RANGE[0]} to {DPI_RANGE[1]}")
        return DPI_RANGE[0]
    return value


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``"W,S,E,N"`` as four floats; :class:`~geo.ExportError` if it is not four numbers."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        msg = f"bbox {text!r} must be four numbers W,S,E,N in degrees (e.g. 43.5,37.5,50.5,42.5)"
        raise ExportError(msg)
    return values  # type: ignore[return-value]


def check_bbox(bbox, problems: list[str]) -> tuple[float, float, float, float] | None:
    """A (west, south, east, north) box in degrees, checked for range, order and span."""
    if bbox is None:
        return None
    if isinstance(bbox, str):
        try:
            bbox = parse_bbox(bbox)
        except ExportError as err:
            problems.append(str(err))
            return None
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        problems.append(f"bbox {bbox!r} must be four numbers W,S,E,N in degrees")
        return None
    text = f"{west:g},{south:g},{east:g},{north:g}"
    before = len(problems)
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        problems.append(f"bbox {text}: longitude out of range (W and E must be -180..180)")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        problems.append(f"bbox {text}: latitude out of range (S and N must be -90..90)")
    if west >= east:
        problems.append(f"bbox {text}: west ({west:g}) must be less than east ({east:g})")
    if south >= north:
        problems.append(f"bbox {text}: south ({south:g}) must be less than north ({north:g})")
    if len(problems) == before and (east - west > MAX_SPAN_DEG[0] or north - south > MAX_SPAN_DEG[1]):
        problems.append(
            f"bbox {text} spans {east - west:g} x {north - south:g} degrees; a snapshot covers "
            f"at most {MAX_SPAN_DEG[0]:g} x {MAX_SPAN_DEG[1]:g} (a region, not the world)"
        )
    return None if len(problems) > before else (west, south, east, north)


def check_layers(layers, problems: list[str]) -> tuple[str, ...]:
    """Layer names in drawing order; all of :data:`MAP_LAYERS` when ``layers`` is None."""
    if layers is None:
        return MAP_LAYERS
    chosen = [layers] if isinstance(layers, str) else list(layers)
    unknown = [name for name in chosen if name not in MAP_LAYERS]
    for name in unknown:
        problems.append(f"unknown layer {name!r}; use any of {', '.join(MAP_LAYERS)}")
    return tuple(name for name in MAP_LAYERS if name in chosen)


def check_out(path, formats: tuple[str, ...], problems: list[str], *, fmt: str | None = None) -> str:
    """The format of output ``path`` (from ``fmt`` or the suffix) and whether its folder is writable."""
    path = Path(path)
    kind = (fmt or path.suffix.lstrip(".")).lower()
    kind = {"jpg": "jpeg", "json": "geojson", "htm": "html"}.get(kind, kind)
    if kind not in formats:
        problems.append(
            f"{path}: cannot tell the format from {path.suffix or 'a name without suffix'!r}; "
            f"use one of {', '.join('.' + f for f in formats)}"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        problems.append(f"{path}: folder {folder} does not exist")
    elif not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"{path}: folder {folder} is not writable")
    elif path.is_dir():
        problems.append(f"{path}: is a folder, not a file name")
    elif path.exists() and not os.access(path, os.W_OK):
        problems.append(f"{path}: file exists and is read-only")
    return kind


def check_vocab(name: str, chosen, allowed, problems: list[str]) -> frozenset | None:
    """The chosen values of a vocabulary (e.g. modes), None for all; one problem per unknown."""
    if chosen is None:
        return None
    chosen = frozenset([chosen] if isinstance(chosen, str) else chosen)
    for value in sorted(chosen - set(allowed)):
        problems.append(f"unknown {name} {value!r}; use any of {', '.join(allowed)}")
    return chosen
