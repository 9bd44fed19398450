"""Export: a report-ready static map, the data and an offline HTML map, from the current view.

Every option the command line has (``corridors snapshot``): format, page size (named or custom),
DPI, extent ("current view" or "fit routes"), layers, routes and claims, and the date and
scenario of the statuses (the sidebar's date control, shared with the other pages). The files
are built again whenever an option changes (cached per set of options), with a spinner while
they are; until then the page says so and the download buttons cannot be clicked
(``_downloads``), so a click never hands out the file of the options before. The data files
include the routes' named sections (a layer of the GeoPackage, and a CSV of their own beside
the timeline).
"""

from __future__ import annotations

import streamlit as st

import geo
import layers
from app_pages import _data, _errors, _when
from app_pages import _view_state as vs
from app_pages._text import plain

started = _data.start_timer()
data = _errors.need(_data.core, "Export page")
routes = data["routes"]
checked, claims_error = _data.claims()
if claims_error:
    _errors.show(claims_error, "Claims cannot be exported")
articles = [] if checked is None else sorted(checked["article_id"].dropna().unique())
view = vs.current()

SIZES = ["a4-landscape", "a4", "a3-landscape", "a3", "slide", "custom"]
EXTENTS = {"view": "Current view (as on the Map page)", "routes": "Fit the chosen routes"}
LAYER_LABELS = {"routes": "Highlighted routes", "corridors": "Corridors",
                "gauge_breaks": "Gauge breaks", "places": "Places",
                "crossings": "Border crossings", "claims": "Claims"}
NONE = "(none)"

st.title("Export")
st.caption("Report-ready files built from the same data and styles as the map. Nothing is "
           "uploaded anywhere; files are made on this computer.")

_when.date_control(st.sidebar, key_prefix="x", play=False)
as_of, scenario, when_label = None, None, geo.when_text(None)
with _errors.guard("The chosen date or scenario cannot be used; statuses as recorded"):
    as_of, scenario, when_label = _when.when()
st.markdown(f"**{plain(when_label)}**: the map's styles, legend, subtitle and key dates, the "
            "route figures and the data files follow the date chosen in the sidebar.")

current_extent = vs.parse_extent(view["extent"])
vs.seed("x_routes", [r for r in view["routes"] if r in routes.index])
vs.seed("x_layers", vs.all_or_chosen(view["layers"], list(LAYER_LABELS)))
vs.seed("x_extent", "view" if current_extent else "routes")
vs.seed("x_article", view["article"] if view["article"] in articles else NONE)

st.multiselect("Routes", list(routes.index), key="x_routes",
               format_func=lambda r: f"{routes.at[r, 'name']} ({r})")
c1, c2 = st.columns(2)
c1.radio("Extent", list(EXTENTS), key="x_extent", format_func=EXTENTS.get,
         help="The map box of the Map page (also kept in the link), or a box around the chosen "
              "routes and claims.")
c2.multiselect("Layers", list(LAYER_LABELS), key="x_layers", format_func=LAYER_LABELS.get)
c3, c4, c5, c6 = st.columns(4)
fmt = c3.selectbox("Map format", ["png", "svg", "pdf"], key="x_format")
size = c4.selectbox("Page size", SIZES, key="x_size",
                    help="slide is 16:9 (13.33 × 7.5 in); custom takes W×H in mm, cm, in or px.")
custom = c4.text_input("Custom size", "180x120mm", key="x_custom",
                       disabled=size != "custom", help="For example 180x120mm, 7x5in, 1920x1080px")
dpi = c5.slider("DPI", 150, 600, 300, step=50, key="x_dpi", disabled=fmt != "png",
                help="PNG resolution; SVG and PDF are vector.")
data_fmt = c6.selectbox("Data format", ["csv", "geojson", "gpkg"], key="x_data_format")
c7, c8 = st.columns(2)
article = c7.selectbox("Claims of article", [NONE, *articles], key="x_article")
title = c8.text_input("Title (optional)", "", key="x_title")

pick_routes = list(st.session_state["x_routes"])
pick_layers = [k for k in LAYER_LABELS if k in st.session_state["x_layers"]]
use_view = st.session_state["x_extent"] == "view" and current_extent is not None
if st.session_state["x_extent"] == "view" and current_extent is None:
    st.info("The Map page has not reported a view yet: the map fits the chosen routes.")
bbox = None
if use_view:
    (south, west), (north, east) = current_extent
    bbox = (west, south, east, north)
vs.update(routes=pick_routes,  # layers sorted, as the Map page keeps them
          layers=sorted(pick_layers) if len(pick_layers) < len(LAYER_LABELS) else None)
vs.write_url()

options = {
    "routes": tuple(pick_routes) or None,
    "claims": None if article == NONE else article,
    "bbox": bbox,
    "layers": tuple(pick_layers),
    "modes": view["mode"],
    "statuses": view["status"],
}


# The date and scenario of the statuses: ``as_of`` is part of every cache key; the scenario
# goes unhashed (``_scenario``) with its text (``when``: its repr) in the key.
when_key = (as_of, repr(scenario))


@st.cache_data(show_spinner=False, max_entries=16)
def static_map(key: str, fmt: str, size: str, dpi: int, title: str | None, when: tuple,
               _scenario, **opts) -> bytes:
    return geo.render_map(fmt=fmt, size=size, dpi=dpi, title=title, data_dir=_data.folder_of(key),
                          as_of=when[0], scenario=_scenario, **opts)


@st.cache_data(show_spinner=False, max_entries=16)
def data_file(key: str, data_fmt: str, routes, claims, bbox, when: tuple, _scenario,
              dataset: str | None = None) -> bytes:
    return geo.export_bytes(data_fmt, routes=routes, claims=claims, bbox=bbox, dataset=dataset,
                            as_of=when[0], scenario=_scenario, data_dir=_data.folder_of(key))


@st.cache_data(show_spinner=False, max_entries=16)
def html_map(key: str, when: tuple, _scenario, label: str, **opts) -> str:
    frames = geo.map_frames(data_dir=_data.folder_of(key), as_of=when[0], scenario=_scenario,
                            **opts)
    bounds = frames.pop("bounds")
    frames["segments"] = _data.with_lengths(frames["segments"])
    m = layers.build_map(**frames, bounds=bounds, assets=_data.inline_assets(), when=label)
    return layers.to_html(m, assets=_data.inline_assets())


key = _data.data_key()
page = custom.strip() if size == "custom" else size


def build_files() -> tuple:
    with st.spinner("Building the files for these options…"):
        return (static_map(key, fmt, page, int(dpi), title.strip() or None, when_key, scenario,
                           **options),
                data_file(key, data_fmt, options["routes"], options["claims"], bbox, when_key,
                          scenario),
                html_map(key, when_key, scenario, when_label, title=title.strip() or None,
                         **options))


def timeline_file() -> bytes:
    """The ``timeline`` dataset of the chosen routes (every route when none is chosen)."""
    return data_file(key, "csv", options["routes"], None, None, when_key, scenario,
                     dataset="timeline")


def sections_file() -> bytes:
    """The ``sections`` dataset of the chosen routes (every route when none is chosen)."""
    return data_file(key, "csv", options["routes"], None, None, when_key, scenario,
                     dataset="sections")


# Drawn before the files are built: while they are, it says so in place of "match" (and the
# buttons of the previous run cannot be clicked: _downloads.guard).
status = st.empty()
status.info("The download buttons below wait for the files of these options.",
            icon=":material/hourglass_top:")


def build_shown() -> tuple:
    try:
        return build_files()
    except BaseException:
        status.empty()
        raise


image, table, html_page = _errors.need(build_shown, "These options cannot be exported")
status.success("The files below match the options above.")
name = f"corridor-map.{fmt}"
if fmt == "png":
    # inline, not a file the server keeps for the run: an option changed while the browser
    # still loads the picture would otherwise ask for a file already dropped (a 404)
    st.html(_data.preview_img(image, alt=f"Preview of {name}"))
    st.caption(plain(f"{name}: {page}, {dpi} DPI"))
st.download_button(f"Download map ({name})", image, file_name=name, key="dl_map", on_click="ignore")
st.download_button(f"Download data (corridor-data.{data_fmt})", table,
                   file_name=f"corridor-data.{data_fmt}", key="dl_data", on_click="ignore")
st.download_button("Download interactive map (HTML, works offline)", html_page,
                   file_name="corridor-map.html", mime="text/html", key="dl_html", on_click="ignore")
with _errors.guard("The timeline cannot be exported"):
    try:
        timeline_csv = timeline_file()
    except geo.NothingToExport:
        st.caption("No dated changes are recorded for the sections of the chosen routes, so "
                   "there is no timeline to download.")
    else:
        st.download_button(
            "Download timeline (CSV)", timeline_csv, file_name="corridor-timeline.csv",
            mime="text/csv", key="dl_timeline", on_click="ignore",
            help="Every dated change of the sections of the chosen routes (of every route when "
                 "none is chosen), with its kind (happened, expected or scenario) and source.")
with _errors.guard("The named sections cannot be exported"):
    try:
        sections_csv = sections_file()
    except geo.NothingToExport:
        st.caption("The chosen routes name no sections (routes.yaml 'sections'), so there is "
                   "no sections table to download.")
    else:
        st.download_button(
            "Download named sections (CSV)", sections_csv, file_name="corridor-sections.csv",
            mime="text/csv", key="dl_sections", on_click="ignore",
            help="Each named section of the chosen routes (of every route when none is chosen), "
                 "such as the Syunik/Meghri section, measured on its own: length with its basis, "
                 "km by country and by status, on the date chosen in the sidebar.")

_data.log_run("export", started)
