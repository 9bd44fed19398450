"""Drawn lines that can be trusted as lines (geo.drawn): waypoint order, km posts, length against
the published one; and the shipped data passing these checks."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import yaml
from helpers import tiny_world, write_data

import geo
from geo import DataValidationError, DataWarning, settings
from geo.measure import line_length_km

# The tiny world's West–Mid line runs along the equator strip from lon 0.5 to 1.5.
WEST_MID = [[0.5, 0.5], [0.8, 0.5], [1.2, 0.5], [1.5, 0.5]]


def waypoint(name: str, lon: float, **more) -> dict:
    return {"name": name, "lon": lon, "lat": 0.5, "source": "hand-built test fixture", **more}


def world_with_waypoints(tmp_path: Path, waypoints: list[dict]) -> Path:
    world = tiny_world()
    w_m = next(s for s in world["segments"] if s["id"] == "w-m")
    w_m["coords"] = WEST_MID
    w_m["waypoints"] = waypoints
    return write_data(tmp_path / "data", world)


def drawn_warnings(folder: Path) -> list[str]:
    """Messages of every DataWarning that loading the segments of ``folder`` gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        geo.load_segments(folder)
    return [str(w.message) for w in caught if issubclass(w.category, DataWarning)]


# ---------------------------------------------------------------------------------------------
# Waypoint order and km posts


def test_waypoints_out_of_order_are_named(tmp_path):
    folder = world_with_waypoints(tmp_path, [waypoint("Far", 1.2), waypoint("Near", 0.8)])
    with pytest.warns(DataWarning) as record:
        geo.load_segments(folder)
    (message,) = [str(w.message) for w in record if "waypoints[" in str(w.message)]
    assert str(folder / "segments.geojson") in message
    assert "segment 'w-m'" in message
    assert "waypoints[1] 'Near'" in message and "before waypoints[0] 'Far'" in message
    assert "from 'west'" in message


def test_waypoints_in_order_give_no_warning(tmp_path):
    folder = world_with_waypoints(tmp_path, [waypoint("Near", 0.8, km=30.0), waypoint("Far", 1.2, km=75.0)])
    assert drawn_warnings(folder) == []


def test_km_posts_against_the_others_are_named(tmp_path):
    points = [waypoint("A", 0.8, km=10.0), waypoint("B", 1.0, km=30.0), waypoint("C", 1.2, km=20.0)]
    world = tiny_world()
    w_m = next(s for s in world["segments"] if s["id"] == "w-m")
    w_m["coords"] = [[0.5, 0.5], [0.8, 0.5], [1.0, 0.5], [1.2, 0.5], [1.5, 0.5]]
    w_m["waypoints"] = points
    folder = write_data(tmp_path / "data", world)
    (message,) = drawn_warnings(folder)
    assert "segment 'w-m'" in message
    assert "waypoints[2] 'C' has km post 20" in message and "'B' (km 30)" in message


def test_falling_km_posts_are_in_order(tmp_path):
    folder = world_with_waypoints(tmp_path, [waypoint("Near", 0.8, km=90.0), waypoint("Far", 1.2, km=45.5)])
    assert drawn_warnings(folder) == []


def test_km_post_must_be_a_number(tmp_path):
    folder = world_with_waypoints(tmp_path, [waypoint("Near", 0.8, km="km 30")])
    with pytest.raises(DataValidationError, match=r"'w-m', field 'waypoints\[0\]\.km' = 'km 30': must be a number"):
        geo.load_segments(folder)


def test_shipped_segment_with_waypoints_swapped_is_named(shipped_copy):
    """The real loader on a copy of the shipped data, one segment's waypoints listed backwards."""
    path = shipped_copy / "segments.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    feat = next(f for f in doc["features"] if f["properties"]["id"] == "rail-sari-gorgan")
    wps = feat["properties"]["waypoints"]
    wps[2], wps[3] = wps[3], wps[2]  # Behshahr and Tirtash
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    messages = [m for m in drawn_warnings(shipped_copy) if "waypoints[" in m]
    assert any("segment 'rail-sari-gorgan'" in m and "waypoints[3] 'Behshahr'" in m
               and "before waypoints[2] 'Tirtash'" in m for m in messages), messages
    # The km posts of the two swapped stations (403.3 and 421.0) still rise along the line: only
    # the listing order is reported.
    assert not [m for m in messages if "km post" in m]


# ---------------------------------------------------------------------------------------------
# Drawn length against the published length (chainage)


def with_chainage(folder: Path, value: float, **more) -> Path:
    entry = {"id": "c-wm", "kind": "section", "measures": "West to Mid, km posts", "value": value,
             "unit": "km", "source": "Test Gazette 2025", "date": "2025",
             "subject": {"segments": ["w-m"]}, "chainage": True, **more}
    (folder / "references.yaml").write_text(yaml.safe_dump({"references": [entry]}), encoding="utf-8")
    return folder


def test_line_drawn_longer_than_published_warns(tmp_path):
    drawn = line_length_km(geo.load_segments(write_data(tmp_path / "d0", tiny_world())).geometry.loc["w-m"])
    assert drawn > 103.0  # about 111 km of equator
    (message,) = drawn_warnings(with_chainage(write_data(tmp_path / "data", tiny_world()), 100.0))
    assert "segment 'w-m'" in message
    assert f"drawn {drawn:.1f} km" in message and "published 100 km" in message
    assert "'c-wm' in references.yaml: Test Gazette 2025" in message
    assert "longer_than_published" in message


def test_a_stated_reason_allows_a_longer_line(tmp_path):
    world = tiny_world()
    w_m = next(s for s in world["segments"] if s["id"] == "w-m")
    w_m["longer_than_published"] = "The published figure starts at a junction 15 km out of West."
    folder = with_chainage(write_data(tmp_path / "data", world), 100.0)
    assert drawn_warnings(folder) == []


def test_a_line_within_the_tolerance_gives_no_warning(tmp_path):
    drawn = line_length_km(geo.load_segments(write_data(tmp_path / "d0", tiny_world())).geometry.loc["w-m"])
    limit = drawn / (1 + settings.drawn_longer_pct / 100)
    folder = with_chainage(write_data(tmp_path / "data", tiny_world()), limit + 0.1)
    assert drawn_warnings(folder) == []


def test_a_blank_reason_is_an_error(tmp_path):
    world = tiny_world()
    next(s for s in world["segments"] if s["id"] == "w-m")["longer_than_published"] = "  "
    folder = write_data(tmp_path / "data", world)
    with pytest.raises(DataValidationError, match=r"'w-m', field 'longer_than_published'"):
        geo.load_segments(folder)


def test_a_broken_references_file_does_not_stop_the_segments(tmp_path):
    folder = write_data(tmp_path / "data", tiny_world())
    (folder / "references.yaml").write_text("references: [\n", encoding="utf-8")
    assert len(geo.load_segments(folder)) == 2


# ---------------------------------------------------------------------------------------------
# The shipped data


def test_shipped_data_has_no_drawn_line_warnings(shipped_copy):
    messages = drawn_warnings(shipped_copy)
    assert not [m for m in messages if "waypoints[" in m or "longer than the published" in m], messages


def test_eastern_branch_changes_gauge_at_sarakhs(shipped_dir):
    metrics = geo.route_metrics("instc-east")
    (change,) = metrics["gauge_breaks"]
    assert change["certain"] and change["place_id"] in ("sarakhs", "serakhs")
    assert {change["from_gauge"], change["to_gauge"]} == {"1435", "1520"}
    crossings = [c["place_id"] for c in metrics["border_crossings"]]
    assert "bc-sarakhs-serakhs" in crossings
    path = {p for sid in metrics["segments"] for p in geo.load_segments().loc[sid, ["from", "to"]]}
    assert {"mashhad", "bafq", "sarakhs", "serakhs", "tejen"} <= path
    assert "inche-burun" not in path
    land = [(c["from_unit"], c["to_unit"]) for c in metrics["border_crossings"] if c["via"] == "land"]
    assert land == [("IRN", "TKM"), ("TKM", "KAZ"), ("KAZ", "RUS")]  # no corner of Iran re-entered


def test_a_drawn_line_cutting_a_corner_shallower_than_its_accuracy_stays_home():
    """A straight line between sourced points that cuts 2.2 km into a neighbour's notch: no
    crossing when the line is accurate to 3 km, two when it claims 1 km."""
    import geopandas as gpd
    from shapely.geometry import LineString, box

    from geo.overlay import _segment_runs, fold_shallow

    notch = box(0.9, 0.95, 1.1, 1.0)
    territories = gpd.GeoDataFrame(
        {"iso3": ["AAA", "XXX"]},
        geometry=[box(0, 0, 2, 1).difference(notch), box(0.9, 0.95, 1.1, 2)],
        index=["AAA", "XXX"], crs="EPSG:4326")
    line = LineString([(0.01, 0.97), (1.99, 0.97)])
    runs = _segment_runs(line, territories, None)
    assert [r.unit for r in runs] == ["AAA", "XXX", "AAA"]
    assert [r.unit for r in fold_shallow(runs, line, territories, 3.0)] == ["AAA"]
    assert [r.unit for r in fold_shallow(runs, line, territories, 1.0)] == ["AAA", "XXX", "AAA"]
