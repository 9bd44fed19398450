"""The "Who says what" page (AppTest on the shipped data): a topic's claims side by side,
the filters, the chart and the downloads, all kept in the address."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from helpers import ROOT, shipped_ready
from streamlit.testing.v1 import AppTest

import geo

pytestmark = pytest.mark.skipif(not shipped_ready(), reason="shipped data not present yet")
PAGE = "app_pages/who_says_what.py"


def open_page(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.session_state["map_widget"] = {"last_object_clicked_tooltip": None, "bounds": None}
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_ids(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["claim_id"])


def test_a_topic_from_the_address_lists_its_claims_by_date_with_figures():
    at = open_page({"topic": "rasht-astara-length"})
    assert at.selectbox(key="w_topic").value == "rasht-astara-length"
    expected = geo.claims_on_topic("rasht-astara-length")
    assert shown_ids(at) == list(expected["claim_id"])
    frame = at.dataframe[0].value
    assert list(frame["article_date"]) == sorted(frame["article_date"])
    assert frame["stated_km"].notna().all() and frame["geodata_km"].notna().all()
    assert len({p for p in frame["publication"]}) >= 2  # more than one outlet side by side
    assert at.query_params["topic"] == "rasht-astara-length"
    # the map highlights the routes the claims name or are checked on
    assert len(at.get("component_instance")) == 1
    assert any("The routes these claims name" in c.value for c in at.caption)


def test_filters_narrow_the_list_and_go_to_the_address():
    at = open_page({"topic": "syunik-link-status"})
    every = shown_ids(at)
    assert every == list(geo.claims_on_topic("syunik-link-status")["claim_id"])  # undated too
    countries = at.button_group(key="w_wctry").options
    assert len(countries) >= 3
    keep = "ARM"
    at.button_group(key="w_wctry").set_value([keep]).run()
    narrowed = at.dataframe[0].value
    assert 0 < len(narrowed) < len(every)
    assert set(narrowed["outlet_country"]) == {keep}
    assert at.query_params["wctry"] == keep
    again = open_page({"topic": "syunik-link-status", "wctry": keep})  # the link reopens it
    assert shown_ids(again) == list(narrowed["claim_id"])


def test_the_csv_and_the_report_figure_download_what_is_shown():
    at = open_page({"topic": "rasht-astara-length"})
    labels = [b.label for b in at.get("download_button")]
    assert "Download these claims (CSV)" in labels
    assert "Download the chart (PNG, report figure)" in labels
    csv = geo.claims_on_topic("rasht-astara-length").to_csv(index=False)
    assert pd.read_csv(io.StringIO(csv))["claim_id"].tolist() == shown_ids(at)


def test_years_narrow_the_list_and_keep_undated_articles():
    at = open_page({"topic": "syunik-link-status", "wfrom": "2024"})
    frame = at.dataframe[0].value
    years = {d[:4] for d in frame["article_date"] if d != "undated"}
    assert years and min(years) >= "2024"
    assert "undated" in set(frame["article_date"])
    assert at.selectbox(key="w_wfrom").value == "2024"

