"""Benchmark reference: the 1:10m borders of five countries in one folium.GeoJson, no care taken."""

from pathlib import Path

import folium
import geopandas as gpd
from streamlit_folium import st_folium

data = Path(__file__).resolve().parents[2] / "data" / "borders.geojson"
borders = gpd.read_file(data)
five = borders[borders["iso3"].isin(["ARM", "AZE", "GEO", "IRN", "TUR"])][["iso3", "name", "geometry"]]
m = folium.Map(location=[40.0, 47.0], zoom_start=5)
folium.GeoJson(five).add_to(m)
st_folium(m, height=620, returned_objects=[])
