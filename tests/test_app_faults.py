"""Every page of the app against the fault corpus (``tests/faults.py``), run with AppTest.

For each kind of broken input the page runs to its end with no exception element (so no
traceback can reach a browser); a page that reads the broken file shows an error naming it;
a page that does not read it draws as on the valid folder. Bugs are shown as a notice with an
id, never as Streamlit's exception box.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from faults import FAULTS, base_folder
from helpers import ROOT
from streamlit.testing.v1 import AppTest

from geo import settings

APP = str(ROOT / "app.py")
PAGES = {
    "map": "app_pages/map_page.py",
    "compare": "app_pages/compare.py",
    "through_time": "app_pages/through_time.py",
    "claims": "app_pages/claims.py",
    "export": "app_pages/export.py",
}
#: What each page reads: a fault in one of these files must be named on the page.
CORE = ("borders.geojson", "places.csv", "segments.geojson", "routes.yaml")
CLAIMS = ("claims/tiny-article.yaml", "references.yaml", "traced.yaml", "water.geojson", "assumptions.yaml")
READS = {
    "map": (*CORE, *CLAIMS, "basemap.geojson"),
    "compare": (*CORE, "references.yaml", "traced.yaml", "water.geojson", "assumptions.yaml", "basemap.geojson"),
    "through_time": (*CORE, "references.yaml", "traced.yaml", "water.geojson", "assumptions.yaml",
                     "basemap.geojson"),
    "claims": (*CORE, *CLAIMS),
    "export": (*CORE, *CLAIMS, "basemap.geojson"),
}


@pytest.fixture(scope="module")
def valid_folder(tmp_path_factory):
    return base_folder(tmp_path_factory.mktemp("valid") / "data")


def run_page(folder: Path, page: str) -> AppTest:
    settings.data_dir = folder
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["map_widget"] = {"last_object_clicked_tooltip": None, "bounds": {
        "_southWest": {"lat": -2, "lng": -1}, "_northEast": {"lat": 2, "lng": 4}}}
    at.query_params["from"] = "west"
    at.query_params["to"] = "east"
    at.run()
    if page != "map":
        at.switch_page(PAGES[page])
        at.run()
    return at


def messages(at: AppTest) -> str:
    """Every error and warning on the page, and the problem tables, as one text."""
    parts = [e.value for e in at.error] + [w.value for w in at.warning]
    for frame in at.dataframe:
        if "problem" in frame.value.columns:
            parts += frame.value.astype(str).agg(" ".join, axis=1).tolist()
    return "\n".join(str(p) for p in parts)


@pytest.fixture(autouse=True)
def keep_data_dir():
    before = settings.data_dir
    yield
    settings.data_dir = before


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_draws_the_valid_folder_without_messages(valid_folder, page):
    at = run_page(valid_folder, page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_on_every_page(valid_folder, tmp_path, fault, page):
    folder = tmp_path / "data"
    shutil.copytree(valid_folder, folder)
    fault.make(folder)
    at = run_page(folder, page)
    assert not at.exception, [e.value for e in at.exception]
    text = messages(at)
    assert "Traceback" not in text and 'File "' not in text
    assert "This looks like a bug" not in text and "internal error" not in text.lower(), text
    if fault.file in READS[page]:
        assert Path(fault.file).name in text, f"{fault.name}: the page does not name the file"
    else:
        assert not at.error, [e.value for e in at.error]


def test_data_notes_are_listed_on_the_map_page(valid_folder, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(valid_folder, folder)
    places = folder / "places.csv"
    lines = places.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",colour"] + [line + ",red" for line in lines[1:]]
    places.write_text("\n".join(lines) + "\n", encoding="utf-8")
    at = run_page(folder, "map")
    assert not at.exception and not at.error
    [notes] = [e for e in at.expander if "note(s) on the data files" in e.label]
    assert "colour" in " ".join(m.value for m in notes.markdown)
