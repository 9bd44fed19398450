"""Where the map's Leaflet JS and CSS come from: served URLs (the app) or inlined text (exports).

Folium lists CDN addresses by default (Leaflet, jQuery, Bootstrap, Font Awesome...). Every map
built here replaces them with local ones, so nothing is ever fetched from the internet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import folium
from branca.element import Element


@dataclass(frozen=True)
class Assets:
    """Leaflet for one map: ``js_urls``/``css_urls`` to link, or ``inline_js``/``inline_css``.

    Linked scripts may come with inline style (``js_urls`` and ``inline_css``): the style is
    then in the page before any script runs, and costs no request.
    """

    js_urls: tuple[str, ...] = ()
    css_urls: tuple[str, ...] = ()
    inline_js: str = ""
    inline_css: str = ""

    @property
    def inline(self) -> bool:
        return bool(self.inline_js)


def served_assets(base_url: str, *, plugin_urls: Iterable[str] = ()) -> Assets:
    """Leaflet linked from ``base_url`` (a folder URL holding ``leaflet.js`` and ``leaflet.css``).

    In the app the folder is ``static/leaflet`` served by Streamlit; from the streamlit-folium
    frame that is ``../../app/static/leaflet`` (same origin, works under a base URL path too).
    ``plugin_urls`` are Leaflet plugin files (``.js`` or ``.css``) linked after Leaflet, e.g.
    Leaflet.markercluster, which :func:`layers.claims_layer` uses to group overlapping claims,
    and the plugins of :mod:`layers.controls` (``geo.webassets.plugin_paths`` names them).
    """
    base = base_url.rstrip("/")
    plugins = list(plugin_urls)
    return Assets(js_urls=(f"{base}/leaflet.js", *[u for u in plugins if u.endswith(".js")]),
                  css_urls=(f"{base}/leaflet.css", *[u for u in plugins if u.endswith(".css")]))


def inline_assets(js: str | None = None, css: str | None = None, *,
                  plugins: Iterable[tuple[str, str]] = ()) -> Assets:
    """Leaflet inlined into the page (self-contained HTML); defaults to the installed Leaflet.

    ``plugins`` are ``(javascript, css)`` texts of Leaflet plugins, inlined after Leaflet, e.g.
    ``geo.webassets.all_plugin_texts()`` (marker clusters and the map controls of
    :mod:`layers.controls`: an exported map then has what the app's map has). The caller
    reads them (this package reads no files).
    """
    if js is None or css is None:
        from geo import webassets

        js = webassets.leaflet_js_text() if js is None else js
        css = webassets.leaflet_css_text(inline_images=True) if css is None else css
    for plugin_js, plugin_css in plugins:
        js = f"{js}\n{plugin_js}"
        css = f"{css}\n{plugin_css}"
    return Assets(inline_js=js, inline_css=css)


def apply_assets(m: folium.Map, assets: Assets) -> folium.Map:
    """Make ``m`` load Leaflet only from ``assets`` (no CDN link is left on the map)."""
    if assets.inline:
        m.default_js = []
        m.default_css = []
        safe_js = assets.inline_js.replace("</script", "<\\/script")
        safe_css = assets.inline_css.replace("</style", "<\\/style")
        m.get_root().header.add_child(
            Element(f"<style>{safe_css}</style>\n<script>{safe_js}</script>"), name="ce_leaflet"
        )
    else:
        m.default_js = [(f"ce_js_{i}", url) for i, url in enumerate(assets.js_urls)]
        m.default_css = [(f"ce_css_{i}", url) for i, url in enumerate(assets.css_urls)]
        if assets.inline_css:
            safe_css = assets.inline_css.replace("</style", "<\\/style")
            m.get_root().header.add_child(Element(f"<style>{safe_css}</style>"),
                                          name="ce_leaflet_css")
    return m
