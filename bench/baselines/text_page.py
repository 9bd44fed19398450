"""Benchmark baseline: a bare Streamlit text page."""

import streamlit as st

st.write("Corridor Explorer benchmark: a bare text page.")
