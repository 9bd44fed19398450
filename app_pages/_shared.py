"""Wiring shared by the pages: cached loaders, guarded optional parts, the map widget, URL state.

No GIS logic here: data come from ``geo``, map layers from ``layers``; this module caches them
and turns failures into clear messages instead of a crashed page.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import threading
import time
import uuid
from pathlib import Path

import streamlit as st

import geo
import layers
from geo import settings

ROOT = Path(__file__).resolve().parents[1]
STATIC_LEAFLET = ROOT / "static" / "leaflet"
# From the streamlit-folium frame (/component/streamlit_folium.st_folium/index.html) the app's
# static folder (/app/static/) is two levels up; relative, so a base URL path works too.
LEAFLET_URL = "../../app/static/leaflet"
OSM_TILES = ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", geo.style.ATTRIBUTION_OSM)
MAP_HEIGHT = 620

log = logging.getLogger("corridor_explorer.app")


# ---------------------------------------------------------------------------------------------
# Timing (bench/bench_app.py reads these lines when CORRIDORS_TIMING is set)


def start_timer() -> float:
    return time.perf_counter()


def log_run(page: str, started: float) -> None:
    """Log how long this script run took (server time of one interaction)."""
    ms = (time.perf_counter() - started) * 1000
    if os.environ.get("CORRIDORS_TIMING"):
        print(f"CE_TIMING page={page} ms={ms:.1f}", flush=True)


# ---------------------------------------------------------------------------------------------
# Guarded calls


def optional(module: str, name: str):
    """``module.name`` if it can be imported, else None (a part not delivered yet)."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def explain(err: Exception, what: str) -> None:
    """Show a failure of an optional part as a clear message, not a crash."""
    st.warning(f"{what} is not available: {err}")


# ---------------------------------------------------------------------------------------------
# Cached data (keys include the data folder and its files' versions, so edits are picked up)


_KEY_MEMO: dict = {}


def data_key() -> str:
    """The data folder plus the modification times of its files: a cache key.

    Re-read at most once a second per folder (a script run asks several times).
    """
    folder = Path(settings.data_dir)
    memo = _KEY_MEMO.get(str(folder))
    if memo is not None and time.monotonic() - memo[0] < 1.0:
        return memo[1]
    value = _data_key(folder)
    _KEY_MEMO[str(folder)] = (time.monotonic(), value)
    return value


def _data_key(folder: Path) -> str:
    parts = [str(folder.resolve())]
    for path in sorted(folder.glob("*")) + sorted((folder / "claims").glob("*.yaml")):
        try:
            parts.append(f"{path.name}:{path.stat().st_mtime_ns}")
        except OSError:
            continue
    return "|".join(parts)


@st.cache_resource(show_spinner=False, max_entries=4)
def _core(key: str) -> dict:
    folder = key.split("|", 1)[0]
    out = {
        "borders": geo.load_borders(folder),
        "nakhchivan": None,
        "water": None,
        "basemap": None,
        "segments": geo.load_segments(folder),
        "places": geo.load_places(folder),
        "routes": geo.load_routes(folder),
    }
    try:
        out["nakhchivan"] = geo.load_nakhchivan(folder)
    except (KeyError, geo.DataValidationError):  # a borders file without Azerbaijan's exclave
        out["nakhchivan"] = None
    for name, loader in (("water", geo.load_water), ("basemap", geo.load_basemap)):
        try:
            out[name] = loader(folder)
        except (FileNotFoundError, KeyError):  # optional display layers: missing or empty file
            out[name] = None
    out["gauge_breaks"] = layers.gauge_break_points(out["segments"], out["places"])
    return out


def core() -> dict:
    """Borders, Nakhchivan, water, basemap, segments, places, routes, gauge-break points."""
    return _core(data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _as_of(key: str) -> str:
    try:
        return geo.data_as_of(key.split("|", 1)[0])
    except Exception:  # noqa: BLE001 - the caption is optional
        return "unknown"


def as_of() -> str:
    """The data's as-of date (newest of places, segments, routes)."""
    return _as_of(data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _claims(key: str):
    folder = key.split("|", 1)[0]
    claims_gdf = optional("geo", "claims_gdf")
    if claims_gdf is None:
        msg = "the claims checker (geo.checks.claims_gdf) is not installed yet"
        raise RuntimeError(msg)
    frame = claims_gdf(data_dir=folder)
    return frame.set_index("claim_id", drop=False)


def claims() -> tuple[object | None, str | None]:
    """(checked claims GeoDataFrame indexed by claim id, None) or (None, error message)."""
    try:
        return _claims(data_key()), None
    except Exception as err:  # noqa: BLE001 - any failure of an optional part becomes a message
        return None, f"{type(err).__name__}: {err}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _routes_gdf(key: str):
    return geo.load_routes_gdf(key.split("|", 1)[0])


def routes_gdf():
    return _routes_gdf(data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _legend(key: str) -> str:
    data = core()
    checked, _ = claims()
    return layers.legend_for(segments=data["segments"], places=data["places"], claims=checked,
                             gauge_breaks=data["gauge_breaks"], nakhchivan=True)


def install_leaflet() -> str | None:
    """Copy Leaflet into ``static/leaflet`` (served at /app/static); an error text on failure."""
    try:
        from geo import webassets

        webassets.copy_leaflet(STATIC_LEAFLET)
    except (OSError, FileNotFoundError) as err:
        return str(err)
    return None


def skip_source_watching() -> None:
    """Do not watch the source files of new sessions, unless ``server.fileWatcherType`` is set.

    For every new session Streamlit walks all imported modules (thousands, with geopandas
    and folium) to pick the files to watch for "rerun on save": when the session starts and
    again when its first run ends, each time holding the GIL for about 90 ms, so the map
    waits. The app's sources do not change while it serves; while developing, keep rerun on
    save with ``streamlit run app.py --server.fileWatcherType auto`` (or set it in
    ``.streamlit/config.toml``).
    """
    from streamlit import config

    if config.get_where_defined("server.fileWatcherType") == "<default>":
        config.set_option("server.fileWatcherType", "none", where_defined="app.py")


# ---------------------------------------------------------------------------------------------
# URL state


def param_list(name: str) -> list[str]:
    value = st.query_params.get(name, "")
    return [v for v in value.split(",") if v]


def set_param(name: str, value: str | list[str] | None) -> None:
    if isinstance(value, list):
        value = ",".join(value)
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def parse_extent(text: str | None):
    """``"w,s,e,n"`` to ``((s, w), (n, e))``, or None if it is not four numbers in range."""
    try:
        w, s, e, n = (float(v) for v in (text or "").split(","))
    except ValueError:
        return None
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        return None
    return ((s, w), (n, e))


# ---------------------------------------------------------------------------------------------
# The map widget


# streamlit-folium changes the map it is given (element ids, added overlays, "add to map"
# children). The cached base maps and overlay groups are shared by every session, so each
# conversion holds this lock and puts every element's children back afterwards: the same
# objects then give the same map script on every run (the component keeps its map and only the
# overlays are re-sent).
_MAP_LOCK = threading.Lock()
RETURNED = ["last_object_clicked_tooltip"]


@st.cache_resource(show_spinner=False, max_entries=8)
def _base(key: str, tiles: bool, bounds) -> object:
    data = core()
    return layers.base_map(
        borders=data["borders"], nakhchivan=data["nakhchivan"], water=data["water"],
        basemap=data["basemap"], bounds=bounds, tiles=tiles_spec() if tiles else None,
        assets=layers.served_assets(LEAFLET_URL), legend=_legend(key), url_state=True,
        ready_signal=True,
    )


def tiles_spec() -> tuple[str, str]:
    """Tile URL and attribution: ``CORRIDORS_TILES_URL``/``_ATTRIBUTION`` or OpenStreetMap."""
    url = os.environ.get("CORRIDORS_TILES_URL")
    if url:
        return url, os.environ.get("CORRIDORS_TILES_ATTRIBUTION", "map tiles")
    return OSM_TILES


def _tree(element):
    yield element
    for part in ("header", "html", "script"):
        sub = getattr(element, part, None)
        if sub is not None and hasattr(sub, "_children") and sub is not element:
            yield from _tree(sub)
    for child in list(element._children.values()):
        yield from _tree(child)


def _links(element) -> tuple[list[str], list[str]]:
    css, js = [], []
    for el in _tree(element):
        css += [href for _, href in getattr(el, "default_css", [])]
        js += [src for _, src in getattr(el, "default_js", [])]
    return css, js


# The streamlit-folium internals show_map uses (0.27); without them it calls st_folium.
_SF_PRIVATE = ("_component_func", "_get_html", "_get_header", "_get_map_string",
               "_get_feature_group_string", "get_full_id", "generate_js_hash")


def _component_parts(sf, base, groups: list) -> tuple[dict, str, bool]:
    """What streamlit-folium sends for ``base`` and for ``groups``, each worked out once.

    Converting a map to the component's script renders every element through Jinja (about
    50 ms for the default view); the base map and the overlay groups are cached objects, so
    their scripts are kept on them (``_ce_parts``) and reused by every later run and session.
    Groups built per run (the chosen claim, an empty group) are converted every time. Same
    steps and order as ``st_folium``; call with :data:`_MAP_LOCK` held. The flag says whether
    a cached part was converted now.
    """
    parts = getattr(base, "_ce_parts", None)
    built = parts is None
    if parts is None:
        base.render()
        html, header = sf._get_html(base), sf._get_header(base)
        script = sf._get_map_string(base)
        css, js = _links(base)
        parts = {"script": script, "header": header, "html": html, "id": sf.get_full_id(base),
                 "css_links": list(dict.fromkeys(css)), "js_links": list(dict.fromkeys(js)),
                 "hash": {}}
        base._ce_parts = parts
    scripts = []
    for idx, group in enumerate(groups):
        memo = getattr(group, "_ce_parts", None)  # set on cached groups (see _cached)
        code = None if memo is None else memo.get((idx, parts["id"]))
        if code is None:
            # Fresh ids: streamlit-folium renames only ids without "_", and a cached group may
            # sit at another position than last time.
            for el in _tree(group):
                el._id = uuid.uuid4().hex
            code = sf._get_feature_group_string(group, map=base, idx=idx)
            if memo is not None:
                memo[(idx, parts["id"])] = code
                built = True
        scripts.append(code)
    return parts, "".join(scripts), built


def _keep_out_of_gc() -> None:
    """Exempt every object alive now from the garbage collector's full passes.

    Streamlit runs a full collection after each script run, holding the GIL, so nothing is
    sent to the browser meanwhile: with the data, the cached maps and the imported libraries
    that took 70-250 ms, right when the map was on its way. Called when cached map parts have
    just been built (they, the data and the modules live as long as the process).
    """
    gc.freeze()


def show_map(*, key: str, groups: list, tiles: bool = False, bounds=None,
             height: int = MAP_HEIGHT) -> dict | None:
    """Draw the base map with ``groups`` as overlays; returns what the user clicked.

    Only ``last_object_clicked_tooltip`` is returned, so panning and zooming never rerun the
    script; toggling overlays re-sends only the overlays (the map is not rebuilt). Once the
    map has been drawn it also reports ``map_ready`` (see :func:`map_loaded`).
    """
    import streamlit_folium as sf

    base = _base(data_key(), tiles, bounds)
    groups = groups or [_empty_group()]
    if not all(hasattr(sf, name) for name in _SF_PRIVATE):  # another streamlit-folium
        return _show_map_plain(sf.st_folium, base, key=key, groups=groups, height=height)
    with _MAP_LOCK:
        saved = [(el, dict(el._children)) for root in (base.get_root(), *groups)
                 for el in _tree(root)]
        try:
            parts, feature_group, built = _component_parts(sf, base, groups)
            extra = [_links(group) for group in groups]
        finally:
            for el, children in saved:
                el._children.clear()
                el._children.update(children)
    if built:
        _keep_out_of_gc()
    hash_key = parts["hash"].get(key)
    if hash_key is None:
        hash_key = parts["hash"][key] = sf.generate_js_hash(parts["script"], key, False)

    def on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=parts["script"], header=parts["header"], html=parts["html"], id=parts["id"],
        key=hash_key, height=height, width=None, returned_objects=RETURNED,
        default=dict.fromkeys(RETURNED), zoom=None, center=None, feature_group=feature_group,
        return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(dict.fromkeys(parts["css_links"] + [u for c, _ in extra for u in c])),
        js_links=list(dict.fromkeys(parts["js_links"] + [u for _, j in extra for u in j])),
        on_change=on_change, wrap_longitude=False,
    )


def _show_map_plain(st_folium, base, *, key: str, groups: list, height: int):
    with _MAP_LOCK:
        saved = [(el, dict(el._children)) for root in (base.get_root(), *groups)
                 for el in _tree(root)]
        for group in groups:  # fresh ids, as in _component_parts
            for el in _tree(group):
                el._id = uuid.uuid4().hex
        try:
            return st_folium(
                base, key=key, height=height, use_container_width=True,
                feature_group_to_add=groups, returned_objects=RETURNED, render=False,
            )
        finally:
            for el, children in saved:
                el._children.clear()
                el._children.update(children)


# ---------------------------------------------------------------------------------------------
# Overlay groups, cached per input (each is built once, then reused by every session)


def _cached(groups: list) -> list:
    """Mark overlay groups kept by a cache, so show_map keeps their converted script on them."""
    for group in groups:
        group._ce_parts = {}
    return groups


@st.cache_resource(show_spinner=False, max_entries=64)
def _corridors(key: str, status: tuple, mode: tuple, keep: tuple | None):
    seg = core()["segments"]
    seg = seg[seg["status"].isin(status) & seg["mode"].isin(mode)]
    if keep is not None:
        seg = seg[seg.index.isin(keep)]
    return _cached(layers.overlay_groups(segments=seg, show={"corridors"}))


@st.cache_resource(show_spinner=False, max_entries=8)
def _points(key: str, layer: str):
    data = core()
    return _cached(layers.overlay_groups(places=data["places"],
                                         gauge_breaks=data["gauge_breaks"], show={layer}))


@st.cache_resource(show_spinner=False, max_entries=64)
def _claim_markers(key: str, kinds: tuple, verdicts: tuple, article: str | None):
    checked, _ = claims()
    if checked is None:
        return []
    view = checked[checked["kind"].isin(kinds) & checked["verdict"].isin(verdicts)]
    if article:
        view = view[view["article_id"] == article]
    return _cached(layers.overlay_groups(claims=view, show={"claims"}))


@st.cache_resource(show_spinner=False, max_entries=64)
def _route_lines(key: str, route_ids: tuple):
    frame = routes_gdf().loc[list(route_ids), ["name", "geometry"]]
    return _cached(layers.overlay_groups(highlight=frame, show={"routes"}))


def map_groups(*, show: set, status, mode, keep_segments=None, kinds=(), verdicts=(),
               article: str | None = None, routes=(), open_claim: str | None = None,
               open_token: str | None = None) -> list:
    """The overlay groups for these filters, in drawing order (see ``layers.LAYER_KEYS``)."""
    key = data_key()
    out: list = []
    for layer in layers.LAYER_KEYS:
        if layer not in show:
            continue
        if layer == "routes" and routes:
            out += _route_lines(key, tuple(routes))
        elif layer == "corridors":
            keep = None if keep_segments is None else tuple(sorted(keep_segments))
            out += _corridors(key, tuple(sorted(status)), tuple(sorted(mode)), keep)
        elif layer in ("places", "crossings", "gauge_breaks"):
            out += _points(key, layer)
        elif layer == "claims":
            out += _claim_markers(key, tuple(sorted(kinds)), tuple(sorted(verdicts)), article)
    if open_claim is not None and "claims" in show:
        out.append(layers.focus_group(str(open_claim), token=open_token))
    return out


def map_loaded(key: str) -> bool:
    """Whether the map widget ``key`` has reported back from the browser in this session.

    Pages draw their other widgets only then: the browser fetches each widget type's code on
    first use, and fetched together with the map's they delay the map (the benchmark measures
    this). Once loaded, it stays so for the session.
    """
    flag = f"{key}__loaded"
    value = st.session_state.get(key)
    if isinstance(value, dict) and value.get("map_ready"):
        st.session_state[flag] = True
    return bool(st.session_state.get(flag))


def _empty_group():
    import folium

    return folium.FeatureGroup(name="empty", control=False)
