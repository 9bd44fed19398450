"""Benchmark baseline: a trivial Streamlit page with a one-line folium map (folium's CDN assets)."""

import folium
from streamlit_folium import st_folium

st_folium(folium.Map(location=[40.0, 47.0], zoom_start=5), height=620, returned_objects=[])
