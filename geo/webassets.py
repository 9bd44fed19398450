"""Locate and package the Leaflet files shipped by the ``xstatic-leaflet`` package, offline.

The map in the app and in exported HTML never loads anything from a CDN: the app serves these
files itself (Streamlit static serving of ``static/``), and a self-contained export inlines them
(images in the CSS become ``data:`` URIs). No folium import here; ``layers`` receives the text or
URLs these functions return.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from ._io import atomic_write_bytes

LEAFLET_FILES = ("leaflet.js", "leaflet.css", "leaflet.js.map")
LEAFLET_IMAGES = (
    "layers.png",
    "layers-2x.png",
    "marker-icon.png",
    "marker-icon-2x.png",
    "marker-shadow.png",
)
_INSTALL_HINT = "the Leaflet files come from the 'xstatic-leaflet' package: pip install xstatic-leaflet"


def leaflet_dir() -> Path:
    """Folder holding ``leaflet.js``, ``leaflet.css`` and ``images/`` (from xstatic-leaflet).

    Raises
    ------
    FileNotFoundError
        If the package is not installed or its files are missing; the message says how to fix it.
    """
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ImportError as err:
        msg = f"Leaflet not found: {_INSTALL_HINT}"
        raise FileNotFoundError(msg) from err
    folder = Path(xleaflet.BASE_DIR)
    missing = [name for name in ("leaflet.js", "leaflet.css") if not (folder / name).is_file()]
    if missing:
        msg = f"{folder}: Leaflet files {missing} missing; reinstall: {_INSTALL_HINT}"
        raise FileNotFoundError(msg)
    return folder


def _strip_source_map(text: str) -> str:
    return re.sub(r"^\s*//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)


@lru_cache(maxsize=2)
def leaflet_js_text() -> str:
    """The minified Leaflet JavaScript, without its source-map comment, safe inside ``<script>``."""
    text = (leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    return _strip_source_map(text).replace("</script", "<\\/script")


@lru_cache(maxsize=2)
def leaflet_css_text(*, inline_images: bool = True) -> str:
    """The Leaflet CSS; with ``inline_images`` its ``images/*.png`` become ``data:`` URIs."""
    folder = leaflet_dir()
    text = (folder / "leaflet.css").read_text(encoding="utf-8")
    if not inline_images:
        return text

    def data_uri(match: re.Match) -> str:
        image = folder / "images" / match.group(1)
        if not image.is_file():
            return match.group(0)
        b64 = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{b64})"

    return re.sub(r"url\(\s*['\"]?images/([\w.-]+\.png)['\"]?\s*\)", data_uri, text)


#: Leaflet.markercluster 1.4.1 (MIT), vendored from the PyPI package xstatic-leaflet-markercluster
#: (see static/README.md): the app serves these files, self-contained HTML inlines them.
MARKERCLUSTER_DIR = Path(__file__).resolve().parents[1] / "static" / "markercluster"
MARKERCLUSTER_FILES = ("leaflet.markercluster.js", "MarkerCluster.css")


@lru_cache(maxsize=1)
def markercluster_texts() -> tuple[str, str]:
    """``(javascript, css)`` of Leaflet.markercluster, the script safe inside ``<script>``.

    Raises
    ------
    FileNotFoundError
        If the vendored files are missing (restore ``static/markercluster`` from git).
    """
    paths = [MARKERCLUSTER_DIR / name for name in MARKERCLUSTER_FILES]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        msg = f"{MARKERCLUSTER_DIR}: {', '.join(missing)} missing (restore them from git)"
        raise FileNotFoundError(msg)
    js, css = (p.read_text(encoding="utf-8") for p in paths)
    return _strip_source_map(js).replace("</script", "<\\/script"), css


#: The Leaflet plugins vendored under ``static/`` (see static/README.md), by name: the folder
#: and the files the map loads, scripts first. Each keeps its licence file beside it.
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
PLUGINS = {
    "markercluster": ("markercluster", MARKERCLUSTER_FILES),
    # leaflet.fullscreen 5.3.3 (MIT), from npm: the full-screen button
    "fullscreen": ("fullscreen", ("Control.FullScreen.umd.js", "Control.FullScreen.css")),
    # leaflet-minimap 3.6.1 (BSD-2-Clause), from npm: the overview map
    "minimap": ("minimap", ("Control.MiniMap.min.js", "Control.MiniMap.min.css")),
}


def plugin_paths(name: str) -> list[str]:
    """The files of vendored plugin ``name`` as paths under ``static/`` ("minimap/x.js"...).

    Raises
    ------
    KeyError
        If ``name`` is not one of :data:`PLUGINS`.
    """
    folder, files = PLUGINS[name]
    return [f"{folder}/{f}" for f in files]


def _inline_svg_and_png(text: str, folder: Path) -> str:
    """CSS ``text`` with its relative ``url(images/...)`` turned into ``data:`` URIs."""
    kinds = {".svg": "image/svg+xml", ".png": "image/png"}

    def data_uri(match: re.Match) -> str:
        image = folder / match.group(1)
        kind = kinds.get(image.suffix)
        if kind is None or not image.is_file():
            return match.group(0)
        b64 = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:{kind};base64,{b64})"

    return re.sub(r"url\(\s*['\"]?(images/[\w.-]+)['\"]?\s*\)", data_uri, text)


@lru_cache(maxsize=8)
def plugin_texts(name: str) -> tuple[str, str]:
    """``(javascript, css)`` of vendored plugin ``name`` for a self-contained page: the script
    safe inside ``<script>``, images of the CSS as ``data:`` URIs.

    Raises
    ------
    FileNotFoundError
        If the vendored files are missing (restore ``static/<folder>`` from git).
    """
    folder, files = PLUGINS[name]
    base = STATIC_DIR / folder
    missing = [f for f in files if not (base / f).is_file()]
    if missing:
        msg = f"{base}: {', '.join(missing)} missing (restore them from git)"
        raise FileNotFoundError(msg)
    js = "\n".join(_strip_source_map((base / f).read_text(encoding="utf-8"))
                   for f in files if f.endswith(".js"))
    css = "\n".join(_inline_svg_and_png((base / f).read_text(encoding="utf-8"), base)
                    for f in files if f.endswith(".css"))
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def all_plugin_texts() -> list[tuple[str, str]]:
    """:func:`plugin_texts` of every vendored plugin, in :data:`PLUGINS` order."""
    return [plugin_texts(name) for name in PLUGINS]


def copy_leaflet(dest: Path | str) -> Path:
    """Copy Leaflet's JS, CSS and images into ``dest`` (made if needed); return ``dest``.

    Files already identical are left alone, so calling this at every app start is cheap; each
    changed file is written atomically, so a running server never serves half a file.
    """
    src = leaflet_dir()
    dest = Path(dest)
    (dest / "images").mkdir(parents=True, exist_ok=True)
    pairs = [(src / name, dest / name) for name in LEAFLET_FILES]
    pairs += [(src / "images" / name, dest / "images" / name) for name in LEAFLET_IMAGES]
    for source, target in pairs:
        if not source.is_file():
            continue
        data = source.read_bytes()
        if target.is_file() and _digest(target.read_bytes()) == _digest(data):
            continue
        atomic_write_bytes(target, data)
    return dest


#: One script with Leaflet and every vendored plugin, in :data:`PLUGINS` order, written beside
#: the copied Leaflet by :func:`write_bundle`: the app's map frame fetches it in one request.
BUNDLE = "leaflet-bundle.js"


def write_bundle(dest: Path | str) -> Path:
    """Write :data:`BUNDLE` (Leaflet, then each plugin of :data:`PLUGINS`) into ``dest``.

    The map frame of the app loads its scripts one after the other and draws nothing before
    the last one: one file instead of four saves three round trips to the app server (about
    50 ms each on a busy 2-core machine, ``bench/bench_app.py``). Left alone when unchanged;
    written atomically otherwise.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    parts = [leaflet_js_text(), *(js for js, _ in all_plugin_texts())]
    data = "\n;\n".join(parts).encode("utf-8")
    target = dest / BUNDLE
    if not (target.is_file() and _digest(target.read_bytes()) == _digest(data)):
        atomic_write_bytes(target, data)
    return target


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

