"""The network through time: lifecycle validation, status on a date, dated routing, scenarios."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from helpers import equator_world, lifecycle_event, place, seg, square, write_world

import geo
from geo import settings
from geo.cli import main
from geo.dated import key_dates, network_at
from geo.lifecycle import load_scenario, status_on
from geo.scenarios import State, compare_states
from geo.vocab import LIFECYCLE_EVENTS, WORKS_ENDS

SRC = "test source"

ev = lifecycle_event


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(settings, "today", "2026-06-30")


# ---------------------------------------------------------------------------------------------
# Validation


def _with_lifecycle(tmp_path, lifecycle, status="operational", as_of="2026-01-01"):
    world = equator_world()
    world["segments"][1].update(lifecycle=lifecycle, status=status, as_of=as_of)
    return write_world(tmp_path / "d", world)


def test_a_valid_lifecycle_loads(tmp_path):
    folder = _with_lifecycle(tmp_path, [ev("2020", "construction_start", "under_construction"),
                                        ev("2024-05", "opening", "operational"),
                                        ev("2027", "closure", "closed", kind="expected")])
    assert len(geo.load_segments(folder).at["m-e", "lifecycle"]) == 3


@pytest.mark.parametrize(("lifecycle", "status", "message"), [
    ([ev("2024", "opening", "operational"), ev("2020", "construction_start", "under_construction")],
     "operational", r"lifecycle\[1\].date' = '2020': comes before the entry above it"),
    ([{**ev("2020", "opening", "operational"), "source": ""}], "operational",
     r"field 'lifecycle\[0\]' = 'opening': source missing"),
    ([ev("2020", "launch", "operational")], "operational",
     r"lifecycle\[0\].event' = 'launch': must be one of"),
    ([ev("2020", "opening", "operational", kind="rumoured")], "operational",
     r"lifecycle\[0\].kind' = 'rumoured': must be one of \['happened', 'expected'\]"),
    ([ev("2027", "opening", "operational")], "operational",
     r"a happened event after the record's as_of date 2026-01-01: mark it expected"),
    ([ev("2020", "opening", "operational")], "planned",
     r"field 'status' = 'planned': differs from the lifecycle: operational since 2020 \(opening\)"),
    # a progress report recorded as a new start
    ([ev("2020", "construction_start", "under_construction"),
      ev("2022-05", "construction_start", "under_construction")], "under_construction",
     r"record 'm-e', field 'lifecycle\[1\].event' = 'construction_start': a second construction "
     r"start: works began at lifecycle\[0\] \(2020\) and no event between ends or halts them"),
    # works on a line in service recorded as a start
    ([ev("2000", "opening", "operational"), ev("2024", "construction_start", "operational")],
     "operational",
     r"record 'm-e', field 'lifecycle\[1\].status' = 'operational': a construction_start must "
     r"have status under_construction: works on a line in service are 'progress'"),
    ([ev("2020", "agreement", "planned"), ev("2024", "construction_start", "planned")], "planned",
     r"field 'lifecycle\[1\].status' = 'planned': a construction_start must have status "
     r"under_construction$"),
    # a works report that changes the status: a finished bridge is not open
    ([ev("2020", "construction_start", "under_construction"), ev("2024", "completed", "operational")],
     "operational",
     r"field 'lifecycle\[1\].status' = 'operational': a completed event changes no status: it "
     r"must be under_construction, the status since 2020 \(construction_start\)"),
    ([ev("2000", "opening", "operational"), ev("2030", "progress", "closed", kind="expected")],
     "operational",
     r"field 'lifecycle\[1\].status' = 'closed': a progress event changes no status: it must be "
     r"operational"),
])
def test_lifecycle_problems_are_named(tmp_path, lifecycle, status, message):
    folder = _with_lifecycle(tmp_path, lifecycle, status=status)
    with pytest.raises(geo.DataValidationError, match=message):
        geo.load_segments(folder)


def test_a_start_after_works_ended_or_halted_and_works_reports_load(tmp_path):
    lifecycle = [ev("2005", "construction_start", "under_construction"),
                 ev("2006", "progress", "under_construction"),
                 ev("2008", "suspension", "closed"),
                 ev("2012", "construction_start", "under_construction"),
                 ev("2015", "completed", "under_construction"),
                 ev("2016", "opening", "operational"),
                 ev("2021", "progress", "operational"),
                 ev("2028", "completed", "operational", kind="expected")]
    folder = _with_lifecycle(tmp_path, lifecycle)
    assert [e["event"] for e in geo.load_segments(folder).at["m-e", "lifecycle"]] == [
        e["event"] for e in lifecycle]


def test_the_loader_refuses_a_repeated_and_an_operational_start_in_the_shipped_data(shipped_dir):
    """The real loader on a copy of the shipped data, two entries turned back into starts."""
    path = shipped_dir / "segments.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    props = {f["properties"]["id"]: f["properties"] for f in doc["features"]}
    road = props["road-horadiz-aghband"]["lifecycle"]
    start = next(i for i, e in enumerate(road) if e["event"] == "construction_start")
    report = next(i for i, e in enumerate(road) if e["event"] == "progress")
    road[report]["event"] = "construction_start"
    rail = props["rail-alat-osmanli"]["lifecycle"]
    works = next(i for i, e in enumerate(rail) if e["event"] == "progress")
    assert rail[works]["status"] == "operational"  # reconstruction under traffic
    rail[works]["event"] = "construction_start"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(geo.DataValidationError) as info:
        geo.load_segments(shipped_dir)
    text = str(info.value)
    assert (f"{path}: record 'road-horadiz-aghband', field 'lifecycle[{report}].event' = "
            f"'construction_start': a second construction start: works began at "
            f"lifecycle[{start}] ({road[start]['date']})") in text
    assert (f"{path}: record 'rail-alat-osmanli', field 'lifecycle[{works}].status' = "
            "'operational': a construction_start must have status under_construction") in text
    assert "2 problem(s)" in text


def test_every_named_route_has_a_timeline_in_date_order_without_a_repeated_start(shipped_dir,
                                                                                 capsys):
    """``corridors timeline`` on the shipped data, route by route."""
    seen = set()
    for rid in geo.load_routes(shipped_dir).index:
        code = main(["timeline", rid, "--format", "json"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        rows = json.loads(captured.out)
        # in date order: a year or a month before the days in it ("2026" < "2026-02-27")
        days = [tuple(int(part) for part in r["date"].split("-")) for r in rows]
        assert days == sorted(days), rid
        started = {}  # segment -> date of the start whose works go on
        for r in rows:
            assert r["event"] in LIFECYCLE_EVENTS and r["source"], (rid, r)
            if r["kind"] != "happened":
                continue
            if r["event"] == "construction_start":
                assert r["segment"] not in started, (rid, r["segment"], started.get(r["segment"]),
                                                     r["date"])
                assert r["status"] == "under_construction", (rid, r)
                started[r["segment"]] = r["date"]
            elif r["event"] in WORKS_ENDS:
                started.pop(r["segment"], None)
        seen.update({(r["segment"], r["date"], r["event"]) for r in rows})
    # what the audit of issue 21 found, as the timelines now read
    assert ("road-bridge-kalaleh", "2026-02-23", "completed") in seen
    assert [d for s, d, e in seen if s == "road-horadiz-aghband" and e == "construction_start"] == [
        "2021-04-26"]
    assert not [d for s, d, e in seen if s == "road-kalaleh-jolfa" and e == "construction_start"]


def test_expected_dates_are_kept_apart_from_what_happened(tmp_path):
    # an expected opening in the past that did not happen does not make the segment operational
    lifecycle = [ev("2020", "construction_start", "under_construction"),
                 ev("2025", "opening", "operational", kind="expected")]
    when = dt.date(2026, 6, 30)
    assert status_on(lifecycle, "under_construction", when)[:2] == ("under_construction", False)
    # the future uses it, and says so
    status, projected, basis = status_on(lifecycle, "under_construction", dt.date(2030, 1, 1))
    assert status == "under_construction" and projected  # the 2025 target lies in the past
    lifecycle[1]["date"] = "2028"
    status, projected, basis = status_on(lifecycle, "under_construction", dt.date(2030, 1, 1))
    assert (status, projected, basis) == ("operational", True, "expected opening 2028")


def test_works_reports_keep_the_status_and_the_basis_names_the_latest():
    new_line = [ev("2020", "construction_start", "under_construction"),
                ev("2022-05", "progress", "under_construction"),
                ev("2024-03-10", "completed", "under_construction"),
                ev("2025", "opening", "operational")]
    assert status_on(new_line, "operational", dt.date(2022, 6, 1)) == (
        "under_construction", False,
        "construction_start 2020 (happened); latest report: progress 2022-05 (happened)")
    # built but not open: still under construction, so not on an operational-only route
    assert status_on(new_line, "operational", dt.date(2024, 6, 1)) == (
        "under_construction", False,
        "construction_start 2020 (happened); latest report: completed 2024-03-10 (happened)")
    assert status_on(new_line, "operational", dt.date(2026, 1, 1)) == (
        "operational", False, "opening 2025 (happened)")
    # before a report on a line not in service, it was not yet announced
    assert status_on(new_line[1:], "operational", dt.date(2021, 1, 1))[0] == "not_yet_announced"
    # a line in service being rebuilt stays in service, and its expected completion too
    in_service = [ev("2021", "progress", "operational"),
                  ev("2028", "completed", "operational", kind="expected")]
    assert status_on(in_service, "operational", dt.date(2019, 1, 1))[0] == "operational"
    assert status_on(in_service, "operational", dt.date(2030, 1, 1)) == (
        "operational", True, "in service before its first recorded event (progress 2021); "
        "latest report: expected completed 2028")
    # a scenario's change applies its status, whatever its event
    scenario = [{**ev("2027", "completed", "operational"), "kind": "scenario"}]
    assert status_on(new_line[:3], "under_construction", dt.date(2028, 1, 1),
                     scenario_events=scenario) == (
        "operational", True, "scenario completed 2027")


def test_key_dates_give_status_changes_not_works_reports(tmp_path):
    folder = _with_lifecycle(tmp_path, [ev("2020", "construction_start", "under_construction"),
                                        ev("2022-05", "progress", "under_construction"),
                                        ev("2024-03", "completed", "under_construction"),
                                        ev("2027", "opening", "operational", kind="expected")],
                             status="under_construction")
    rows = key_dates(["m-e"], "2024-06", folder)
    assert [(r["date"], r["event"], r["relation"]) for _, r in rows.iterrows()] == [
        ("2020", "construction_start", "last"), ("2027", "opening", "next")]
    assert list(geo.timeline(geo.load_segments(folder), ["m-e"])["event"]) == [
        "construction_start", "progress", "completed", "opening"]


# ---------------------------------------------------------------------------------------------
# Status on a date, on a hand-made network


def test_status_at_dates(tmp_path):
    lifecycle = [ev("2018-03", "announced", "proposed"), ev("2020-06-15", "construction_start",
                 "under_construction"), ev("2024", "opening", "operational"),
                 ev("2028-06", "closure", "closed", kind="expected")]
    folder = _with_lifecycle(tmp_path, lifecycle)
    expected = {"2017": "not_yet_announced", "2018-03": "proposed", "2020-06-14": "proposed",
                "2020-06-15": "under_construction", "2024-06": "under_construction",
                "2025-01-01": "operational", "2028-05": "operational", "2028-07": "closed"}
    for when, status in expected.items():
        assert network_at(folder, when).seg["m-e"]["status"] == status, when
    # a segment without a lifecycle keeps its one status on every date
    assert network_at(folder, "1990").seg["w-m"]["status"] == "operational"
    assert network_at(folder, "2029").projected and not network_at(folder, "2025").projected


def test_operational_only_routing_finds_a_path_at_one_date_and_none_earlier(tmp_path):
    folder = _with_lifecycle(tmp_path, [ev("2019", "construction_start", "under_construction"),
                                        ev("2023-10", "opening", "operational")])
    later = geo.compare("west", "east", k=1, status=["operational"], as_of="2024", data_dir=folder)
    assert later[0]["segments"] == ["w-m", "m-e"]
    assert later[0]["as_of"] == "2024-12-31"
    with pytest.raises(geo.NoPathError, match="keeping only status operational"):
        geo.compare("west", "east", k=1, status=["operational"], as_of="2022", data_dir=folder)
    # before it was announced it is not on the network at all
    with pytest.raises(geo.NoPathError):
        geo.compare("west", "east", k=1, as_of="2018", data_dir=folder)


# ---------------------------------------------------------------------------------------------
# Scenarios


def _bypass_world(tmp_path):
    """West to East by the line through Mid (its Mid-East part expected to close in 2027) or by
    a planned line through North, in a fourth country DDD above BBB."""
    world = equator_world()
    world["borders"].append({"iso3": "DDD", "name": "Dland", "geometry": square(1, 1, 2, 2),
                             "source": SRC, "as_of": "2026-01-01", "accuracy": "exact"})
    world["places"].append(place("north", 1.5, 1.5, "DDD", source=SRC, as_of="2026-01-01"))
    world["segments"][1]["lifecycle"] = [ev("2000", "opening", "operational"),
                                         ev("2027", "closure", "closed", kind="expected")]
    world["segments"][1]["status"] = "operational"
    world["segments"] += [
        {**seg("w-n", "west", "north", [[0.2, 0], [1.5, 1.5]], status="planned"),
         "source": SRC, "as_of": "2026-01-01", "accuracy": "exact",
         "lifecycle": [ev("2025", "announced", "planned"),
                       ev("2031", "opening", "operational", kind="expected")]},
        {**seg("n-e", "north", "east", [[1.5, 1.5], [2.7, 0]], status="planned"),
         "source": SRC, "as_of": "2026-01-01", "accuracy": "exact",
         "lifecycle": [ev("2025", "announced", "planned")]},
    ]
    return write_world(tmp_path / "b", world)


def test_a_scenario_changes_a_routes_length_and_crossings(tmp_path):
    folder = _bypass_world(tmp_path)
    (folder / "opens.yaml").write_text(yaml.safe_dump({"name": "bypass opens 2027", "changes": [
        {"segment": "w-n", "date": "2027-06", "event": "opening", "status": "operational"},
        {"segment": "n-e", "date": "2027-06", "event": "opening", "status": "operational"}]}))
    scenario = load_scenario(folder / "opens.yaml", geo.load_segments(folder))
    result = compare_states(State("2026"), State("2028", scenario), origin="west",
                            destination="east", status=["operational"], data_dir=folder)
    a, b = result["a"]["metrics"], result["b"]["metrics"]
    assert a["segments"] == ["w-m", "m-e"] and b["segments"] == ["w-n", "n-e"]
    assert result["change"]["km"] == pytest.approx(b["length_km"] - a["length_km"])
    assert result["change"]["km"] != 0
    assert result["change"]["crossings"] == len(b["border_crossings"]) - len(a["border_crossings"])
    assert b["scenario"] == "bypass opens 2027" and b["projected"]
    assert "scenario 'bypass opens 2027'" in result["b"]["label"]
    changed = result["status_changes"].set_index("segment")
    assert changed.loc["w-n", "status_b"] == "operational" and changed.loc["w-n", "status_a"] == "planned"


def test_scenario_file_problems_are_named(tmp_path):
    folder = _bypass_world(tmp_path)
    (folder / "bad.yaml").write_text(yaml.safe_dump({"name": "x", "changes": [
        {"segment": "nope", "date": "soon", "event": "opening", "status": "open"}]}))
    with pytest.raises(geo.DataValidationError) as info:
        load_scenario(folder / "bad.yaml", geo.load_segments(folder))
    text = str(info.value)
    for part in ("'segment' = 'nope': unknown segment id", "'date' = 'soon': must be a date",
                 "'status' = 'open': must be one of"):
        assert part in text


# ---------------------------------------------------------------------------------------------
# CLI


def test_cli_timeline_and_change(tmp_path, capsys):
    folder = _bypass_world(tmp_path)
    code = main(["--data-dir", str(folder), "timeline", "w-e", "--format", "json"])
    timeline = yaml.safe_load(capsys.readouterr().out)
    assert code == 0
    assert [(e["segment"], e["event"], e["kind"]) for e in timeline] == [
        ("m-e", "opening", "happened"), ("m-e", "closure", "expected")]
    code = main(["--data-dir", str(folder), "change", "west", "east", "--from", "2026",
                 "--to", "2032", "--status", "operational", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    rows = yaml.safe_load(out)
    assert [r["state"] for r in rows] == ["A", "B"]  # no path in B: no change row
    assert rows[0]["segments"] == "w-m > m-e"
    assert "removes the last connection" in rows[1]["segments"]  # m-e closed, bypass not open
    code = main(["--data-dir", str(folder), "routes", "--as-of", "last spring"])
    assert code == 2
    assert "not a date: 'last spring'" in capsys.readouterr().err
