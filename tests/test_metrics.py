"""Route metrics on tiny hand-built worlds with known answers, plus shipped-data consistency."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from helpers import (
    META,
    SHIPPED_DATA,
    equator_world,
    exclave_world,
    km,
    place,
    seg,
    simple_assumptions,
    square,
    tiny_world,
    with_meta,
    write_data,
    write_world,
)

import geo
from geo import path_metrics, segment_metrics, settings, time_cost_series


@pytest.fixture
def equator(tmp_path) -> Path:
    return write_world(tmp_path / "eq", equator_world(), assumptions=simple_assumptions())


# ---------------------------------------------------------------------------------------------
# Splitting a line at borders


def test_line_across_square_borders_splits_exactly(equator):
    segs = segment_metrics(equator)
    assert segs.at["w-m", "km_by_unit"]["AAA"] == pytest.approx(km(0.2, 0, 1, 0), rel=1e-9)
    assert segs.at["w-m", "km_by_unit"]["BBB"] == pytest.approx(km(1, 0, 1.5, 0), rel=1e-9)
    assert segs.at["m-e", "km_by_unit"]["CCC"] == pytest.approx(km(2, 0, 2.7, 0), rel=1e-9)
    assert segs.at["w-m", "countries"] == ("AAA", "BBB")
    for sid in segs.index:
        assert sum(segs.at[sid, "km_by_unit"].values()) == pytest.approx(segs.at[sid, "length_km"])


def test_segment_metrics_returns_copies(equator):
    first = segment_metrics(equator)
    first.at["w-m", "km_by_unit"]["AAA"] = -1.0
    assert segment_metrics(equator).at["w-m", "km_by_unit"]["AAA"] > 0


def test_crossings_in_travel_order_both_ways(equator):
    steps = geo.route_path("w-e", equator)
    forward = path_metrics(steps, equator)
    assert [(c["from_unit"], c["to_unit"]) for c in forward["border_crossings"]] == [("AAA", "BBB"), ("BBB", "CCC")]
    assert [c["seq"] for c in forward["border_crossings"]] == [1, 2]
    first, second = forward["border_crossings"]
    assert first["lon"] == pytest.approx(1.0) and first["via"] == "land"
    assert first["km_from_start"] == pytest.approx(km(0.2, 0, 1, 0), rel=1e-9)
    assert second["km_from_start"] == pytest.approx(km(0.2, 0, 2, 0), rel=1e-9)
    backward = path_metrics([(sid, not rev) for sid, rev in reversed(steps)], equator)
    assert [(c["from_unit"], c["to_unit"]) for c in backward["border_crossings"]] == [("CCC", "BBB"), ("BBB", "AAA")]
    assert backward["border_crossings"][0]["km_from_start"] == pytest.approx(km(2, 0, 2.7, 0), rel=1e-9)


def test_km_by_country_status_mode_and_detour(tmp_path):
    world = equator_world()
    world["segments"][1]["status"] = "planned"
    world["places"][2].update(lon=1.5, lat=0.8)  # east moves north of mid: an L-shaped route
    world["segments"][1]["coords"] = [[1.5, 0], [1.5, 0.8]]
    world["places"][2]["country"] = "BBB"
    data = write_world(tmp_path / "d", world)
    m = geo.route_metrics("w-e", data)
    leg1, leg2 = km(0.2, 0, 1.5, 0), km(1.5, 0, 1.5, 0.8)
    assert m["length_km"] == pytest.approx(leg1 + leg2, rel=1e-9)
    assert m["km_by_status"] == pytest.approx({"operational": leg1, "planned": leg2}, rel=1e-9)
    assert m["km_by_mode"] == pytest.approx({"rail": leg1 + leg2}, rel=1e-9)
    assert m["km_by_country"]["AAA"] == pytest.approx(km(0.2, 0, 1, 0), rel=1e-9)
    assert m["straight_km"] == pytest.approx(km(0.2, 0, 1.5, 0.8), rel=1e-9)
    assert m["detour_index"] == pytest.approx((leg1 + leg2) / km(0.2, 0, 1.5, 0.8), rel=1e-9)
    assert m["route_id"] == "w-e" and m["name"] == "West to East"
    assert any("unbuilt segments are built" in u and "m-e" in u for u in m["unknowns"])


# ---------------------------------------------------------------------------------------------
# Gauge breaks and transshipments


def test_gauge_break_where_gauge_changes(equator):
    m = path_metrics(geo.route_path("w-e", equator), equator)
    assert m["gauge_breaks"] == [{"place_id": "mid", "lon": 1.5, "lat": 0.0, "from_gauge": "1435",
                                  "to_gauge": "1520", "km_from_start": pytest.approx(km(0.2, 0, 1.5, 0)),
                                  "certain": True, "between": None, "km_span": None}]
    assert m["transshipments"] == []


def test_same_gauge_no_break_and_unknown_gauge_reported(tmp_path):
    world = equator_world()
    world["segments"][0]["gauge"] = "1520"
    same = write_world(tmp_path / "same", world)
    assert geo.route_metrics("w-e", same)["gauge_breaks"] == []
    world["segments"][1]["gauge"] = ""
    unknown = write_world(tmp_path / "unknown", world)
    m = geo.route_metrics("w-e", unknown)
    assert m["gauge_breaks"] == []
    assert "gauge not known on: m-e" in m["unknowns"]


def test_mode_change_is_a_transshipment_not_a_gauge_break(tmp_path):
    world = equator_world()
    world["segments"][1].update(mode="road", gauge="")
    m = geo.route_metrics("w-e", write_world(tmp_path / "d", world))
    assert m["gauge_breaks"] == []
    assert m["transshipments"] == [{"place_id": "mid", "from_mode": "rail", "to_mode": "road",
                                    "km_from_start": pytest.approx(km(0.2, 0, 1.5, 0))}]


# ---------------------------------------------------------------------------------------------
# Exclave, wiggles, water


def test_entering_and_leaving_the_exclave_count(tmp_path):
    data = write_world(tmp_path / "x", exclave_world())
    m = geo.route_metrics("via-arm", data)
    units = [(c["from_unit"], c["to_unit"]) for c in m["border_crossings"]]
    assert units == [("AZE", "ARM"), ("ARM", "AZE-NX")]
    assert m["border_crossings"][1]["to_country"] == "AZE"
    assert m["km_by_unit"]["AZE-NX"] == pytest.approx(m["km_by_country"]["AZE"] - m["km_by_unit"]["AZE"])
    assert m["km_by_unit"]["ARM"] == pytest.approx(km(2, 0.5, 3, 0.5), rel=1e-3)


def wiggle_world() -> dict:
    """A line that pokes about 0.25 km into BBB twice (twice under the tolerance), then crosses."""
    world = equator_world()
    coords = [[0.2, 0], [0.999, 0], [1.002, 0.001], [0.999, 0.002], [0.999, 0.003],
              [1.002, 0.004], [0.999, 0.005], [0.999, 0.006], [1.5, 0.006]]
    world["places"][1].update(lat=0.006)
    world["segments"][0]["coords"] = coords
    world["segments"][1]["coords"] = [[1.5, 0.006], [2.7, 0]]
    return world


def test_short_excursions_are_not_crossings_but_keep_their_km(tmp_path):
    data = write_world(tmp_path / "w", wiggle_world())
    segs = segment_metrics(data)
    excursion = segs.at["w-m", "km_by_unit"]["BBB"] - km(1, 0.006, 1.5, 0.006)
    assert 0.1 < excursion < settings.crossing_tolerance_km  # the pokes are counted in km
    m = geo.route_metrics("w-e", data)
    assert [(c["from_unit"], c["to_unit"]) for c in m["border_crossings"]] == [("AAA", "BBB"), ("BBB", "CCC")]


def test_tolerance_zero_reports_every_excursion(tmp_path, monkeypatch):
    data = write_world(tmp_path / "w", wiggle_world())
    monkeypatch.setattr(settings, "crossing_tolerance_km", 0.0)
    m = geo.route_metrics("w-e", data)
    assert len(m["border_crossings"]) == 6  # in, out, in, out, in for good, then into CCC


def water_world() -> dict:
    """AAA and BBB across water; the CASPIAN polygon covers only the western half of the gap.

    Both ports sit about 0.5 km inside their countries; a ferry crosses, passing over a tiny
    island country III.
    """
    return with_meta({
        "borders": [
            {"iso3": "AAA", "name": "Aland", "geometry": square(0, 0, 1, 1)},
            {"iso3": "BBB", "name": "Bland", "geometry": square(2, 0, 3, 1)},
            {"iso3": "III", "name": "Isle", "geometry": square(1.7, 0.4, 1.72, 0.6)},
        ],
        "places": [place("inland-a", 0.5, 0.5, "AAA"), place("port-a", 0.995, 0.5, "AAA", kind="port"),
                   place("port-b", 2.005, 0.5, "BBB", kind="port")],
        "segments": [seg("rail-a", "inland-a", "port-a", [[0.5, 0.5], [0.995, 0.5]]),
                     seg("ferry", "port-a", "port-b", [[0.995, 0.5], [2.005, 0.5]], mode="ferry")],
        "routes": [{"id": "cross", "name": "Across", "origin": "inland-a", "destination": "port-b",
                    "segments": ["rail-a", "ferry"]}],
    })


def test_water_split_caspian_and_sea_and_crossing_by_sea(tmp_path):
    data = write_world(tmp_path / "s", water_world(), caspian=square(1, 0, 1.5, 1))
    units = segment_metrics(data).at["ferry", "km_by_unit"]
    assert units["CASPIAN"] == pytest.approx(km(1, 0.5, 1.5, 0.5), rel=1e-3)
    assert units["SEA"] + units["III"] == pytest.approx(km(1.5, 0.5, 2, 0.5), rel=1e-3)
    assert units["III"] == pytest.approx(km(1.7, 0.5, 1.72, 0.5), rel=1e-3)
    m = geo.route_metrics("cross", data)
    assert m["border_crossings"] == [{
        "seq": 1, "from_country": "AAA", "to_country": "BBB", "from_unit": "AAA", "to_unit": "BBB",
        "place_id": "port-b", "from_place_id": "port-a", "lon": 2.005, "lat": 0.5,
        "km_from_start": pytest.approx(m["length_km"]), "via": "sea"}]
    assert m["transshipments"][0]["place_id"] == "port-a"


def test_ferry_starting_at_the_port_still_crosses(tmp_path):
    world = water_world()
    world["routes"] = [{"id": "ferry-only", "name": "Ferry", "origin": "port-a",
                        "destination": "port-b", "segments": ["ferry"], **META}]
    m = geo.route_metrics("ferry-only", write_world(tmp_path / "f", world))
    assert [(c["from_unit"], c["to_unit"], c["via"]) for c in m["border_crossings"]] == [("AAA", "BBB", "sea")]


# ---------------------------------------------------------------------------------------------
# Time and cost


def test_time_and_cost_from_the_assumptions_file(equator):
    m = geo.route_metrics("w-e", equator)
    leg1, leg2 = km(0.2, 0, 1.5, 0), km(1.5, 0, 2.7, 0)
    assert m["est_time_h"] == pytest.approx(leg1 / 50 + leg2 / 50 + 2 * 10 + 5, rel=1e-9)
    assert m["est_cost_usd"] == pytest.approx(leg1 + leg2 + 2 * 100 + 50, rel=1e-9)


def test_time_cost_series_has_vertical_steps_at_events(equator):
    m = geo.route_metrics("w-e", equator)
    series = time_cost_series(m)
    assert list(series.columns) == ["km", "hours", "hours_low", "hours_high", "cost_usd",
                                    "cost_usd_low", "cost_usd_high", "event", "label"]
    assert series["event"].iloc[0] == "start" and series["event"].iloc[-1] == "end"
    assert series["km"].is_monotonic_increasing and series["hours"].is_monotonic_increasing
    assert series["hours"].iloc[-1] == pytest.approx(m["est_time_h"])
    assert series["cost_usd"].iloc[-1] == pytest.approx(m["est_cost_usd"])
    assert list(series.loc[series["event"].isin(["border", "gauge_break"]), "event"]) == ["border", "gauge_break", "border"]
    for i in series.index[series["event"] == "border"]:
        before, after = series.loc[i - 1], series.loc[i]
        assert before["km"] == after["km"] and after["hours"] - before["hours"] == pytest.approx(10)
    same = time_cost_series(path_metrics(geo.route_path("w-e", equator), equator))
    assert same["hours"].tolist() == pytest.approx(series["hours"].tolist())


def test_assumptions_file_problems_reported_together(tmp_path):
    bad = simple_assumptions()
    bad["speed_kmh"]["rail"]["default"]["central"] = -3
    bad["dwell_h"]["border_crossing"].pop("source")
    bad["speed_kmh"]["hovercraft"] = {"default": dict(bad["speed_kmh"]["road"]["default"])}
    data = write_world(tmp_path / "a", equator_world(), assumptions=bad)
    with pytest.raises(geo.DataValidationError, match=r"(?s)3 problem.*hovercraft.*speed_kmh.rail.default.*central.*must be positive.*border_crossing.*source"):
        geo.load_assumptions(data)


def test_missing_assumptions_file_falls_back_to_shipped(tmp_path):
    data = write_world(tmp_path / "n", equator_world())
    assert Path(geo.load_assumptions(data).path) == (SHIPPED_DATA / "assumptions.yaml").resolve()


def test_path_must_chain(equator):
    with pytest.raises(ValueError, match="step 2 .* starts at 'west', but step 1 ends at 'mid'"):
        path_metrics([("w-m", False), ("w-m", False)], equator)
    with pytest.raises(ValueError, match="unknown segment id.*'nope'"):
        path_metrics([("nope", False)], equator)


def test_routes_table_columns_and_reference(tmp_path):
    data = write_world(tmp_path / "r", equator_world())
    (data / "references.yaml").write_text(yaml.safe_dump({"references": [
        {"id": "ref-we", "kind": "route", "measures": "whole route", "subject": {"route": "w-e"},
         "value": 250, "unit": "km", "source": "test", "date": "2026"}]}))
    table = geo.routes_table(data)
    for col in ["route_id", "name", "origin", "destination", "length_km", "km_by_country",
                "km_by_status", "km_by_mode", "border_crossings", "gauge_breaks", "est_time_h",
                "est_cost_usd", "straight_km", "detour_index", "ref_length_km", "ref_diff_pct"]:
        assert col in table.columns
    row = table.iloc[0]
    assert row["ref_length_km"] == 250
    assert row["ref_diff_pct"] == pytest.approx((row["length_km"] - 250) / 250 * 100)


# ---------------------------------------------------------------------------------------------
# Shipped data: consistency, not typed numbers

def test_shipped_routes_are_consistent():
    table = geo.routes_table()
    segs = segment_metrics()
    places = geo.load_places()
    territories = geo.load_territories()
    for _, row in table.iterrows():
        assert sum(row["km_by_country"].values()) == pytest.approx(row["length_km"])
        assert sum(row["km_by_status"].values()) == pytest.approx(row["length_km"])
        assert sum(row["km_by_mode"].values()) == pytest.approx(row["length_km"])
        ids = geo.load_routes().at[row["route_id"], "segments"]
        assert segs.loc[ids, "best_km"].sum() == pytest.approx(row["length_km"])
        assert segs.loc[ids, "length_km"].sum() == pytest.approx(row["measured_km"])
        crossings = row["border_crossings"]
        for a, b in itertools.pairwise(crossings):
            assert a["to_unit"] == b["from_unit"] and a["km_from_start"] <= b["km_from_start"]
        if crossings:
            origin = places.loc[row["origin"]]
            assert territories.at[crossings[0]["from_unit"], "iso3"] == origin["country"]
            assert crossings[-1]["to_country"] == places.at[row["destination"], "country"]
        assert row["straight_km"] <= row["length_km"] + 1e-6
        assert row["est_time_h"] > 0


def test_gauge_break_places_on_the_tiny_network(tiny_data):
    breaks = geo.gauge_break_places(geo.load_segments(tiny_data), geo.load_places(tiny_data))
    assert list(breaks.index) == ["mid"]
    assert breaks.loc["mid", "gauges"] == ["1435", "1520"]
    assert bool(breaks.loc["mid", "certain"])
    assert breaks.geometry.loc["mid"].equals(geo.load_places(tiny_data).geometry.loc["mid"])


def test_unknown_gauge_at_a_line_end_makes_no_break(tmp_path):
    world = tiny_world()
    world["segments"][1]["gauge"] = ""
    folder = write_data(tmp_path / "d", world)
    breaks = geo.gauge_break_places(geo.load_segments(folder), geo.load_places(folder))
    assert len(breaks) == 0


def test_an_excursion_across_a_generalised_border_is_folded_on_osm_lines():
    from geo.overlay import Run, fold_excursions

    def run(unit, a, b):
        return Run(unit, a, b, (a, 0.0), (b, 0.0))

    runs = (run("AZE", 0, 10), run("IRN", 10, 12), run("AZE", 12, 20), run("CASPIAN", 20, 21),
            run("AZE", 21, 30), run("ARM", 30, 40))
    land = fold_excursions(runs)
    assert [(r.unit, r.km0, r.km1) for r in land] == [
        ("AZE", 0, 20), ("CASPIAN", 20, 21), ("AZE", 21, 30), ("ARM", 30, 40)]
    both = fold_excursions(runs, water=True)
    assert [(r.unit, r.km0, r.km1) for r in both] == [("AZE", 0, 30), ("ARM", 30, 40)]
    assert both[0].start == runs[0].start and both[0].end == runs[4].end


def test_breaks_of_gauge_never_read_none_where_the_gauge_is_not_known():
    from geo.gauges import gauge_breaks_text

    known = {"gauge_breaks": [], "gauge_unknown_km": 0.0, "gauge_unknown_segments": []}
    assert gauge_breaks_text(known) == "none" and gauge_breaks_text(known, short=True) == "none"
    unknown = {**known, "gauge_unknown_km": 42.2, "gauge_unknown_segments": ["Meghri link"]}
    assert gauge_breaks_text(unknown) == "none known; gauge unknown on 42 km (Meghri link)"
    assert gauge_breaks_text(unknown, short=True) == "none known (gauge unknown on 42 km)"
    one = {**unknown, "gauge_breaks": [{"from_gauge": "1520", "to_gauge": "1435",
                                        "certain": True, "place_id": "akh"}]}
    assert gauge_breaks_text(one, names={"akh": "Akhalkalaki"}) == (
        "1520>1435 at Akhalkalaki; gauge unknown on 42 km (Meghri link)")


def test_the_unknown_gauge_km_of_a_shipped_route_are_its_rail_segments_without_a_gauge():
    from helpers import SHIPPED_DATA

    routes = geo.load_routes(SHIPPED_DATA)
    segs = geo.segment_metrics(SHIPPED_DATA)
    for rid in routes.index:
        ids = list(routes.at[rid, "segments"])
        blank = [s for s in ids if segs.at[s, "mode"] == "rail" and not str(segs.at[s, "gauge"]).strip()]
        m = geo.route_metrics(rid, SHIPPED_DATA)
        assert m["gauge_unknown_km"] == pytest.approx(float(segs.loc[blank, "best_km"].sum()))
        assert m["gauge_unknown_segments"] == list(dict.fromkeys(segs.loc[blank, "name"]))


# ---------------------------------------------------------------------------------------------
# Named sections: their own figures in route metrics and in compare


def test_route_metrics_give_a_named_section_its_own_figures(tmp_path):
    from helpers import section_figures, split_text_km, with_section

    data = write_data(tmp_path / "s", with_section(tiny_world()))
    km_best, by_country = section_figures(data, ["m-e"])
    whole = geo.route_metrics("w-e", data)
    [sec] = whole["sections"]
    assert (sec["route_id"], sec["section_id"], sec["name"]) == ("w-e", "east", "East part")
    assert sec["segments"] == ["m-e"]
    assert sec["length_km"] == pytest.approx(km_best)
    assert sec["length_km"] < whole["length_km"] - 1  # the section, not the route
    assert sec["km_by_country"] == pytest.approx(by_country)
    assert sec["km_by_status"] == pytest.approx({"planned": km_best})  # m-e is planned
    assert sec["length_text"].startswith(f"{km_best:,.0f} km (measured on the drawn line")
    assert split_text_km(sec["country_text"]) == pytest.approx(by_country, abs=0.051)
    assert sec["status_text"] == f"planned {km_best:.1f}"
    assert not sec["exists_today"]
    # the full metrics of the same section agree with the short form
    [full] = geo.section_metrics("w-e", data)
    assert full["length_km"] == pytest.approx(sec["length_km"])


def test_compare_lists_the_named_sections_each_alternative_walks_in_either_direction(tmp_path):
    from helpers import run_cli, section_figures, with_section

    data = write_data(tmp_path / "s", with_section(tiny_world()))
    km_best, by_country = section_figures(data, ["m-e"])
    for origin, destination in (("west", "east"), ("east", "west"), ("mid", "east")):
        [alt] = geo.compare(origin, destination, data_dir=data)
        [sec] = alt["sections"]
        assert sec["section_id"] == "east"
        assert sec["length_km"] == pytest.approx(km_best)
        assert sec["km_by_country"] == pytest.approx(by_country)
    [partial] = geo.compare("west", "mid", data_dir=data)
    assert partial["sections"] == []  # the path does not run through the section
    code, out, _ = run_cli("--data-dir", data, "compare", "west", "east")
    assert code == 0
    assert f"East part: {km_best:,.0f} km (measured on the drawn line)" in " ".join(out.split())
