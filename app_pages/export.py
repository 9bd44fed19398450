"""Export: the snapshot builder (static map, offline HTML map, data files) when geo.export exists."""

from __future__ import annotations

import streamlit as st

import geo
import layers
from app_pages import _shared as sh

started = sh.start_timer()
st.title("Export")
st.caption("Report-ready files built from the same data and styles as the map. Nothing is "
           "uploaded anywhere; files are made on this computer.")

render_map = sh.optional("geo.export", "render_map")
export_bytes = sh.optional("geo.export", "export_bytes")
if render_map is None or export_bytes is None:
    st.info("The snapshot builder (geo.export) is not available yet.")
    sh.log_run("export", started)
    st.stop()

data = sh.core()
routes = data["routes"]
checked, error = sh.claims()
articles = [] if checked is None else sorted(checked["article_id"].dropna().unique())

with st.form("export_form"):
    pick_routes = st.multiselect("Routes", list(routes.index),
                                 default=[r for r in sh.param_list("routes") if r in routes.index],
                                 format_func=lambda r: f"{routes.at[r, 'name']} ({r})")
    article = st.selectbox("Claims of article", ["(none)", *articles])
    c1, c2, c3 = st.columns(3)
    fmt = c1.selectbox("Map format", ["png", "svg", "pdf"])
    size = c2.selectbox("Page", ["a4-landscape", "a4-portrait", "a3-landscape"])
    data_fmt = c3.selectbox("Data format", ["csv", "geojson", "gpkg"])
    title = st.text_input("Title (optional)", "")
    build = st.form_submit_button("Build snapshot", type="primary")

if build:
    claims_arg = None if article == "(none)" else article
    with st.spinner("Building…"):
        try:
            image = render_map(routes=pick_routes or None, claims=claims_arg,
                               title=title or None, fmt=fmt, size=size)
            table = export_bytes(data_fmt, routes=pick_routes or None, claims=claims_arg)
        except (geo.ExportError, ValueError) as err:
            st.error(str(err))
            st.stop()
        highlight = sh.routes_gdf().loc[pick_routes, ["name", "geometry"]] if pick_routes else None
        claims_frame = None
        if checked is not None and claims_arg:
            claims_frame = checked[checked["article_id"] == claims_arg]
        m = layers.build_map(
            borders=data["borders"], nakhchivan=data["nakhchivan"], water=data["water"],
            basemap=data["basemap"], segments=data["segments"], places=data["places"],
            claims=claims_frame, highlight=highlight, gauge_breaks=data["gauge_breaks"],
        )
        html_page = layers.to_html(m)
    st.session_state["export_files"] = {
        "image": (image, f"corridor-map.{fmt}"),
        "data": (table, f"corridor-data.{data_fmt}"),
        "html": (html_page, "corridor-map.html"),
    }

files = st.session_state.get("export_files")
if files:
    st.success("Snapshot ready.")
    image, name = files["image"]
    if name.endswith(".png"):
        st.image(image, caption=name)
    st.download_button(f"Download map ({name})", image, file_name=name)
    table, name = files["data"]
    st.download_button(f"Download data ({name})", table, file_name=name)
    html_page, name = files["html"]
    if html_page:
        st.download_button("Download interactive map (HTML, works offline)", html_page,
                           file_name=name, mime="text/html")

sh.log_run("export", started)
