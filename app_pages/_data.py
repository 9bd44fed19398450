"""Data for the pages, loaded once and cached: frames from ``geo``, the legend, the map assets.

Every cache is keyed by the data folder and its files' modification times (:func:`data_key`),
so an edited data file is picked up on the next run. No GIS logic here: frames come from
``geo``, map pieces from ``layers``.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import gc
import io
import os
import time
import warnings
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

import geo
import layers
from geo import settings, style, textsafe, webassets
from geo._io import remove_data_temp_files
from geo.dates import latest_day, settings_today
from geo.escape import escape_html
from geo.lifecycle import parse_when

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
# From the streamlit-folium frame (/component/streamlit_folium.st_folium/index.html) the app's
# static folder (/app/static/) is two levels up; relative, so a base URL path works too.
STATIC_URL = "../../app/static"


# ---- timing (bench/bench_app.py reads these lines when CORRIDORS_TIMING is set)

def start_timer() -> float:
    return time.perf_counter()


def log_run(page: str, started: float) -> None:
    """Print how long this script run took (server time of one interaction), when asked to."""
    if os.environ.get("CORRIDORS_TIMING"):
        ms = (time.perf_counter() - started) * 1000
        print(f"CE_TIMING page={page} ms={ms:.1f}", flush=True)


def keep_out_of_gc() -> None:
    """Exempt every object alive now from the garbage collector's full passes.

    Streamlit runs a full collection after each script run, holding the GIL: with the data,
    the cached maps and the imported libraries that took 70-250 ms, right when the map was on
    its way to the browser. Called when a cache has just been built: what it holds lives as
    long as the process.
    """
    gc.freeze()


# ---- the cache key

_KEY_MEMO: dict[str, tuple[float, str]] = {}


def data_key() -> str:
    """The data folder plus the modification times of its files: a cache key.

    Re-read at most once a second per folder (a script run asks several times).
    """
    folder = Path(settings.data_dir)
    memo = _KEY_MEMO.get(str(folder))
    if memo is not None and time.monotonic() - memo[0] < 1.0:
        return memo[1]
    parts = [str(folder.resolve())]
    for path in sorted(folder.glob("*")) + sorted((folder / "claims").glob("*.yaml")):
        try:
            parts.append(f"{path.name}:{path.stat().st_mtime_ns}")
        except OSError:
            continue
    value = "|".join(parts)
    _KEY_MEMO[str(folder)] = (time.monotonic(), value)
    return value


def folder_of(key: str) -> str:
    return key.split("|", 1)[0]


# ---- frames

@st.cache_resource(show_spinner=False, max_entries=4)
def _core(key: str) -> dict:
    folder = folder_of(key)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", geo.DataWarning)
        out = {
            "borders": geo.load_borders(folder),
            "segments": geo.load_segments(folder),
            "places": geo.load_places(folder),
            "routes": geo.load_routes(folder),
        }
    # ignored fields and the like: the loaders warn once per file version, so keep them here
    out["data_warnings"] = [str(w.message) for w in caught
                            if issubclass(w.category, geo.DataWarning)]
    try:
        out["nakhchivan"] = geo.load_nakhchivan(folder)
    except (KeyError, geo.DataValidationError):  # a borders file without Azerbaijan's exclave
        out["nakhchivan"] = None
    out["layer_errors"] = []  # (layer, error) of display layers that could not be read
    for name, loader in (("water", geo.load_water), ("basemap", geo.load_basemap)):
        try:
            out[name] = loader(folder)
        except (FileNotFoundError, KeyError):  # display-only layers: missing or empty file
            out[name] = None
        except Exception as err:  # noqa: BLE001 - the map goes on without it and says why
            out[name] = None
            out["layer_errors"].append((name, err))
    out["gauge_breaks"] = geo.gauge_break_places(out["segments"], out["places"])
    keep_out_of_gc()
    return out


def core() -> dict:
    """Borders, nakhchivan, water, basemap, segments, places, routes, gauge_breaks frames."""
    return _core(data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _as_of(key: str) -> str:
    return geo.data_as_of(folder_of(key))


def as_of() -> str:
    """The data's as-of date (newest of places, segments, routes)."""
    return _as_of(data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _claims(key: str):
    frame = geo.claims_gdf(data_dir=folder_of(key)).set_index("claim_id", drop=False)
    frame["country"] = layers.country_claims(frame, _core(key)["borders"])
    keep_out_of_gc()
    return frame


def claims() -> tuple[object | None, Exception | None]:
    """(checked claims indexed by claim id, None) or (None, the error that stopped them).

    A claims file that cannot be read or checked becomes a message on the page
    (``_errors.show``); the map and the other pages still work. The ``country`` column names
    the country of each claim that is located only to a whole country (None for the others).
    """
    try:
        return _claims(data_key()), None
    except ScriptControlException:
        raise
    except Exception as err:  # noqa: BLE001 - the page shows it and goes on without claims
        return None, err


@st.cache_resource(show_spinner=False, max_entries=4)
def _routes_gdf(key: str):
    return geo.load_routes_gdf(folder_of(key))


def routes_gdf():
    """One row per named route with its merged geometry (for highlighting)."""
    return _routes_gdf(data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _legend(key: str) -> str:
    data = _core(key)
    checked, _ = claims()
    return layers.legend_for(segments=data["segments"], places=data["places"], claims=checked,
                             gauge_breaks=data["gauge_breaks"], nakhchivan=True,
                             highlight_entry=True, when=geo.when_text(None),
                             statuses=list(style.STATUS_DASH))


def legend() -> str:
    """Legend HTML for every style the app's map can show, with a line for the date of the
    statuses (the map's date control shows only the statuses drawn on its date there)."""
    return _legend(data_key())


LENGTH_COLUMNS = ["length_km", "best_km", "basis"]


@st.cache_resource(show_spinner=False, max_entries=4)
def _segment_lengths(key: str):
    out = _core(key)["segments"].join(geo.segment_metrics(folder_of(key))[LENGTH_COLUMNS])
    try:  # what articles state about each segment's project, for its popup
        texts = geo.claims.project_texts(geo.project_records(data_dir=folder_of(key)))
    except ScriptControlException:
        raise
    except Exception:  # noqa: BLE001 - only adds to popups; the Claims page names the fault
        texts = {}
    out["projects"] = [texts.get(i) for i in out.index]
    keep_out_of_gc()
    return out


def segments_with_lengths():
    """The segments with ``length_km`` (measured on the drawn line), ``best_km`` and ``basis``
    (``geo.segment_metrics``): what the map's popups say about each length."""
    return _segment_lengths(data_key())


def with_lengths(segments):
    """``segments`` (any selection, e.g. of a date) with the length columns of
    :func:`segments_with_lengths`."""
    return segments.join(segments_with_lengths()[LENGTH_COLUMNS])


@st.cache_resource(show_spinner=False, max_entries=8)
def _dated_statuses(key: str, scenario_token: str, _scenario, options: tuple,
                    recorded: str) -> layers.DatedStatuses:
    folder = folder_of(key)
    segments = _core(key)["segments"]
    # A status changes only on the day a dated event takes effect (the end of its day, month
    # or year) and becomes projected after today (geo.lifecycle): months between two such
    # days share one geo.segments_at.
    days = {latest_day(e["date"]) for events in segments["lifecycle"] for e in events or []}
    if _scenario is not None:
        days |= {latest_day(change[1]) for change in _scenario.changes}
    ends = sorted(days | {settings_today() + dt.timedelta(days=1)})
    frames, labels, shared = [], [], {}
    for option in options:
        when = None if option == recorded else option
        # ("today" is an option too: parse_when reads it)
        stretch = None if when is None else bisect.bisect_right(ends, parse_when(when))
        if stretch not in shared:
            shared[stretch] = geo.segments_at(folder, when, _scenario)[
                ["status", "status_projected", "status_basis"]]
        frames.append(shared[stretch])
        labels.append(geo.when_text(when, _scenario))
    keep_out_of_gc()
    return layers.DatedStatuses(
        options=tuple("" if o == recorded else o for o in options), labels=tuple(labels),
        frames=tuple(frames))


def dated_statuses(scenario, *, options: list[str], recorded: str) -> layers.DatedStatuses:
    """The segments' statuses on every option of the date control (``options``, of which
    ``recorded`` means "as recorded") under ``scenario``, for the map to restyle itself."""
    return _dated_statuses(data_key(), repr(scenario), scenario, tuple(options), recorded)



@st.cache_resource(show_spinner=False, max_entries=32)
def _route_timeline(key: str, route_id: str, scenario_token: str, _scenario):
    frames = geo.export_frames(routes=[route_id], datasets=["timeline"], scenario=_scenario,
                               data_dir=folder_of(key))
    frame = frames.get("timeline")
    return None if frame is None else frame.drop(columns=["geometry", "event_id"])


def route_timeline(route_id: str, scenario=None):
    """Every dated change of the route's sections (``date``, ``segment``, ``name``, ``event``,
    ``kind``, ``status``, ``source``, ``url``, ``text``), the scenario's in place of the
    expected ones it replaces, in date order; None when none is recorded. The rows of the
    ``timeline`` data export."""
    return _route_timeline(data_key(), route_id, repr(scenario), scenario)


PREVIEW_PX = 1400  # the longer side of the Export page's preview picture


@st.cache_data(show_spinner=False, max_entries=8)
def preview_img(png: bytes, *, alt: str) -> str:
    """An ``<img>`` with a copy of ``png`` at most :data:`PREVIEW_PX` on its longer side,
    inline (a ``data:`` address), for a preview: the page carries a few hundred kB, not
    the full-resolution file, and no file of the server's can be gone when it loads."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        picture.thumbnail((PREVIEW_PX, PREVIEW_PX))
        out = io.BytesIO()
        picture.save(out, format="PNG")
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{escape_html(alt)}" '
            'style="max-width:100%;height:auto;border:1px solid rgba(49,51,63,0.2)">')


def csv_bytes(frame) -> bytes:
    """``frame`` as UTF-8 CSV with neutral text (``geo.textsafe.csv_frame``)."""
    return textsafe.csv_frame(frame).to_csv(index=False).encode("utf-8")


# ---- Leaflet and its plugin, never from a CDN

def install_leaflet() -> str | None:
    """Copy Leaflet into ``static/leaflet`` (served at /app/static) with the one script of
    Leaflet and its plugins the map frame loads (``webassets.write_bundle``); an error text
    on failure."""
    _remove_stale_temp_files(str(settings.data_dir))
    try:
        webassets.copy_leaflet(STATIC / "leaflet")
        webassets.write_bundle(STATIC / "leaflet")
    except OSError as err:  # FileNotFoundError included: xstatic-leaflet missing or broken
        return str(err)
    missing = [f for name in webassets.PLUGINS for f in webassets.plugin_paths(name)
               if not (STATIC / f).is_file()]
    if missing:
        return f"{STATIC}: {', '.join(missing)} missing (restore them from git)"
    return None


@st.cache_resource(show_spinner=False)
def _remove_stale_temp_files(data_dir: str) -> int:
    """Remove what writes killed in an earlier run of the app left in ``data_dir`` (and its
    claims and OSM folders): once per data folder while the server runs, not at every run of
    every page (``install_leaflet`` runs with each); the number of files removed."""
    return len(remove_data_temp_files(data_dir))


@st.cache_resource(show_spinner=False)
def served_assets() -> layers.Assets:
    """Leaflet and its vendored plugins (``geo.webassets.PLUGINS``: marker clusters, the map
    controls) as the map frame gets them: one script (``static/leaflet``, written by
    :func:`install_leaflet`) and their style inline, so the frame makes one request before
    it draws, not four scripts in a row and four style sheets."""
    css = "\n".join([webassets.leaflet_css_text(inline_images=True),
                      *(c for _, c in webassets.all_plugin_texts())])
    return layers.Assets(js_urls=(f"{STATIC_URL}/leaflet/{webassets.BUNDLE}",), inline_css=css)


@st.cache_resource(show_spinner=False)
def inline_assets() -> layers.Assets:
    """Leaflet and its vendored plugins inlined, for the self-contained HTML export."""
    return layers.inline_assets(plugins=webassets.all_plugin_texts())


def skip_source_watching() -> None:
    """Do not watch the source files of new sessions, unless ``server.fileWatcherType`` is set.

    For every new session Streamlit walks all imported modules (thousands, with geopandas
    and folium) to pick the files to watch for "rerun on save", holding the GIL for about
    90 ms each time, so the map waits. The app's sources do not change while it serves;
    while developing, run ``streamlit run app.py --server.fileWatcherType auto``.
    """
    from streamlit import config

    if config.get_where_defined("server.fileWatcherType") == "<default>":
        config.set_option("server.fileWatcherType", "none", where_defined="app.py")
