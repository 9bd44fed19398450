"""Through time: one question (a route, or an origin and destination) at two dates or under a
scenario, side by side, with what changed and when (``_through_time``)."""

from __future__ import annotations

import streamlit as st

from app_pages import _data, _errors, _through_time

started = _data.start_timer()
data = _errors.need(_data.core, "Through time page")
_errors.layer_warnings(data)

st.title("Through time")
st.caption("The network on two dates, or today against a scenario: each state's path, length "
           "with its basis, km operational, model time and cost with their range, crossings and "
           "gauge breaks, and the change between them. A date after today or a scenario is a "
           "projection and says so.")
with _errors.guard("Through time"):
    _through_time.render(data)

_data.log_run("through_time", started)
