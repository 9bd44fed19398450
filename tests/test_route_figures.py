"""Route figures an analyst can quote: the length basis, every break of gauge, alternatives that
are different corridors, and statuses with their age (hand-made networks and the shipped data)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from helpers import SHIPPED_DATA, equator_world, km, place, seg, square, with_meta, write_world

import geo
from geo import settings
from geo.gauges import breaks_along
from geo.metrics import status_age
from geo.references import chainage_gaps

# ---------------------------------------------------------------------------------------------
# The length basis


def _chainage(folder, entries):
    refs = [{"id": rid, "kind": "section", "measures": "test figure", "subject": {"segments": ids},
             "value": value, "unit": "km", "source": "test", "date": "2026", "chainage": True}
            for rid, ids, value in entries]
    (folder / "references.yaml").write_text(yaml.safe_dump({"references": refs}))


def test_published_length_is_the_best_estimate_and_splits_keep_their_shares(tmp_path):
    plain = write_world(tmp_path / "plain", equator_world())
    before = geo.route_metrics("w-e", plain)
    assert before["length_basis"]["share_chainage"] == 0
    assert before["length_km"] == pytest.approx(before["measured_km"])

    folder = write_world(tmp_path / "chain", equator_world())
    drawn_wm = km(0.2, 0, 1.5, 0)
    _chainage(folder, [("c-wm", ["w-m"], 200.0)])
    m = geo.route_metrics("w-e", folder)
    drawn_me = km(1.5, 0, 2.7, 0)
    assert m["length_km"] == pytest.approx(200.0 + drawn_me)
    assert m["measured_km"] == pytest.approx(drawn_wm + drawn_me)
    assert m["length_basis"]["chainage_km"] == pytest.approx(200.0)
    assert m["length_basis"]["share_chainage"] == pytest.approx(200.0 / (200.0 + drawn_me))
    for table in ("km_by_country", "km_by_unit", "km_by_status", "km_by_mode"):
        assert sum(m[table].values()) == pytest.approx(m["length_km"])
    # the w-m segment runs 0.8 of its drawn length in AAA and 0.5 in BBB: shares kept
    share_aaa = km(0.2, 0, 1.0, 0) / drawn_wm
    assert m["km_by_country"]["AAA"] == pytest.approx(200.0 * share_aaa)
    assert m["km_by_country"]["AAA"] / 200.0 == pytest.approx(
        before["km_by_country"]["AAA"] / drawn_wm)
    # crossings move with the stretched segment: the AAA>BBB crossing at its share of 200 km
    assert m["border_crossings"][0]["km_from_start"] == pytest.approx(200.0 * share_aaa)


def test_a_figure_for_two_segments_is_shared_by_their_drawn_lengths(tmp_path):
    folder = write_world(tmp_path / "two", equator_world())
    _chainage(folder, [("c-we", ["w-m", "m-e"], 300.0)])
    segs = geo.segment_metrics(folder)
    drawn = segs["length_km"]
    assert segs.loc["w-m", "best_km"] == pytest.approx(300.0 * drawn["w-m"] / drawn.sum())
    assert segs["best_km"].sum() == pytest.approx(300.0)
    assert set(segs["basis"]) == {"chainage"}
    assert geo.route_metrics("w-e", folder)["length_basis"]["text"] == "published chainage"


def test_routing_weighs_by_the_best_estimate(tmp_path):
    world = equator_world()
    world["segments"].append({**seg("w-e-direct", "west", "east", [[0.2, 0], [1.0, 0.5], [2.7, 0]]),
                              "source": "test", "as_of": "2026-01-01", "accuracy": "exact"})
    folder = write_world(tmp_path / "w", world)
    assert geo.compare("west", "east", k=1, data_dir=folder)[0]["segments"] == ["w-m", "m-e"]
    _chainage(folder, [("c-wm", ["w-m"], 900.0)])  # the route via mid is now long
    assert geo.compare("west", "east", k=1, data_dir=folder)[0]["segments"] == ["w-e-direct"]


def test_chainage_entries_are_validated(tmp_path):
    folder = write_world(tmp_path / "bad", equator_world())
    _chainage(folder, [("c-1", ["w-m"], 100.0), ("c-2", ["w-m", "m-e"], 300.0),
                       ("c-3", ["nope"], 10.0)])
    with pytest.raises(geo.DataValidationError) as info:
        geo.segment_metrics(folder)
    text = str(info.value)
    assert "record 'c-2', field 'subject.segments' = 'w-m': segment already has the chainage of 'c-1'" in text
    assert "record 'c-3', field 'subject.segments' = ['nope']: unknown segment id(s)" in text


def test_reference_comparison_measures_the_drawn_line_not_the_published_figure(tmp_path):
    folder = write_world(tmp_path / "cmp", equator_world())
    _chainage(folder, [("c-wm", ["w-m"], 200.0)])
    row = geo.reference_comparison(folder).set_index("id").loc["c-wm"]
    assert bool(row["chainage"])
    assert row["computed_value"] == pytest.approx(km(0.2, 0, 1.5, 0))
    gaps = chainage_gaps(folder)
    assert gaps["n"] == 1
    assert gaps["median_gap_pct"] == pytest.approx(abs(row["diff_pct"]))


# ---------------------------------------------------------------------------------------------
# Breaks of gauge along a path


PLACES = {p: {"lon": float(i), "lat": 0.0} for i, p in enumerate("abcdefg")}


def _legs(*gauges, modes=None):
    """Legs a -> b -> c ... with the given gauge sets (text) and 100 km each."""
    names = "abcdefg"
    modes = modes or ["rail"] * len(gauges)
    return [{"segment": f"s{i}", "from": names[i], "to": names[i + 1], "mode": modes[i],
             "gauges": geo.vocab.parse_gauge(g), "km0": 100.0 * i, "km1": 100.0 * (i + 1)}
            for i, g in enumerate(gauges)]


def test_break_at_a_known_place():
    breaks, notes = breaks_along(_legs("1520", "1520", "1435"), PLACES)
    assert [(b["place_id"], b["from_gauge"], b["to_gauge"], b["certain"]) for b in breaks] == [
        ("c", "1520", "1435", True)]
    assert breaks[0]["km_from_start"] == 200.0
    assert notes == []


def test_unknown_stretch_between_two_gauges_is_an_uncertain_break_spanning_it():
    breaks, notes = breaks_along(_legs("1435", "", "", "1520"), PLACES)
    assert len(breaks) == 1
    b = breaks[0]
    assert (b["certain"], b["place_id"], b["between"], b["km_span"]) == (False, None, ["b", "d"],
                                                                          [100.0, 300.0])
    assert (b["from_gauge"], b["to_gauge"]) == ("1435", "1520")
    assert b["km_from_start"] == 200.0
    assert "gauge of segment s1 not known" in notes and "gauge of segment s2 not known" in notes


def test_unknown_stretch_between_the_same_gauge_is_noted_not_a_break():
    breaks, notes = breaks_along(_legs("1520", "", "1520"), PLACES)
    assert breaks == []
    assert any("assumed to stay 1520 mm" in n for n in notes)


def test_dual_gauge_needs_no_break_until_the_train_leaves_it():
    assert breaks_along(_legs("1520", "1435;1520", "1520"), PLACES)[0] == []
    assert breaks_along(_legs("1435", "1435;1520", "1435"), PLACES)[0] == []
    breaks, _ = breaks_along(_legs("1520", "1435;1520", "1435"), PLACES)
    assert [(b["place_id"], b["from_gauge"], b["to_gauge"]) for b in breaks] == [("c", "1520", "1435")]


def test_mixed_dual_unknown_and_mode_change():
    # 1435, dual, unknown, 1520: the train kept 1435 through the dual track, then an unknown
    # stretch, then 1520: one uncertain break between c and d
    breaks, _ = breaks_along(_legs("1435", "1435;1520", "", "1520"), PLACES)
    assert [(b["certain"], b["between"]) for b in breaks] == [(False, ["c", "d"])]
    # a road leg in between: the transshipment stands for the change; no gauge break counted
    breaks, _ = breaks_along(_legs("1520", "", "1435", modes=["rail", "road", "rail"]), PLACES)
    assert breaks == []


def test_time_and_cost_count_every_break(tmp_path):
    world = equator_world()
    world["places"].append(place("far", 2.95, 0, "CCC", source="test", as_of="2026-01-01"))
    world["segments"][1]["gauge"] = ""  # mid-east unknown
    world["segments"].append({**seg("e-f", "east", "far", [[2.7, 0], [2.95, 0]], gauge="1520"),
                              "source": "test", "as_of": "2026-01-01", "accuracy": "exact"})
    world["routes"][0]["segments"].append("e-f")
    world["routes"][0]["destination"] = "far"
    m = geo.route_metrics("w-e", write_world(tmp_path / "t", world,
                                            assumptions=_assumptions(gauge=5.0)))
    assert [b["certain"] for b in m["gauge_breaks"]] == [False]
    no_break = geo.route_metrics("w-e", write_world(tmp_path / "t0", world,
                                                    assumptions=_assumptions(gauge=0.0)))
    assert m["est_time_h"] - no_break["est_time_h"] == pytest.approx(5.0)


def _assumptions(gauge: float) -> dict:
    from helpers import simple_assumptions

    return simple_assumptions(gauge=gauge)


def test_network_markers_include_dual_gauge_ends_and_unknown_stretches(tmp_path):
    world = with_meta({
        "borders": [{"iso3": "AAA", "name": "Aland", "geometry": square(0, -1, 6, 1)}],
        "places": [place(p, float(i), 0, "AAA") for i, p in enumerate("abcdef")],
        "segments": [seg("ab", "a", "b", [[0, 0], [1, 0]], gauge="1435"),
                     seg("bc", "b", "c", [[1, 0], [2, 0]], gauge="1435;1520"),
                     seg("cd", "c", "d", [[2, 0], [3, 0]], gauge="1520"),
                     seg("de", "d", "e", [[3, 0], [4, 0]], gauge=""),
                     seg("ef", "e", "f", [[4, 0], [5, 0]], gauge="1435")],
        "routes": [{"id": "r", "name": "R", "origin": "a", "destination": "f",
                    "segments": ["ab", "bc", "cd", "de", "ef"]}],
    })
    folder = write_world(tmp_path / "n", world)
    marks = geo.gauge_break_places(geo.load_segments(folder), geo.load_places(folder))
    assert bool(marks.loc["b", "certain"]) and bool(marks.loc["c", "certain"])
    assert not bool(marks.loc["d..e", "certain"])
    m = geo.route_metrics("r", folder)
    assert [(b["place_id"], b["certain"]) for b in m["gauge_breaks"]] == [("c", True), (None, False)]


# ---------------------------------------------------------------------------------------------
# Alternatives that are different corridors


def _three_corridors(folder):
    """Home (H, in AAA) to exclave (X, in AAA too, cut off): via BBB (short, two parallel
    lines), via CCC (middle) and via DDD then EEE (long)."""
    aaa = {"type": "MultiPolygon", "coordinates": [square(0, 0, 1, 1)["coordinates"],
                                                   square(3, 0, 4, 1)["coordinates"]]}
    world = with_meta({
        "borders": [{"iso3": "AAA", "name": "Aland", "geometry": aaa},
                    {"iso3": "BBB", "name": "Bland", "geometry": square(1, 0, 3, 1)},
                    {"iso3": "CCC", "name": "Cland", "geometry": square(0, -1, 4, 0)},
                    {"iso3": "DDD", "name": "Dland", "geometry": square(0, 1, 2, 2)},
                    {"iso3": "EEE", "name": "Eland", "geometry": square(2, 1, 4, 2)}],
        "places": [place("h", 0.5, 0.5, "AAA"), place("x", 3.5, 0.5, "AAA"),
                   place("c1", 0.5, -0.5, "CCC"), place("c2", 3.5, -0.5, "CCC"),
                   place("d1", 0.5, 1.5, "DDD"), place("e1", 3.5, 1.5, "EEE")],
        "segments": [
            seg("via-b-rail", "h", "x", [[0.5, 0.5], [3.5, 0.5]]),
            seg("via-b-road", "h", "x", [[0.5, 0.5], [2.0, 0.55], [3.5, 0.5]], mode="road"),
            seg("to-c1", "h", "c1", [[0.5, 0.5], [0.5, -0.5]]),
            seg("c1-c2", "c1", "c2", [[0.5, -0.5], [3.5, -0.5]]),
            seg("c2-x", "c2", "x", [[3.5, -0.5], [3.5, 0.5]]),
            seg("to-d1", "h", "d1", [[0.5, 0.5], [0.5, 1.5]]),
            seg("d1-e1", "d1", "e1", [[0.5, 1.5], [2.0, 1.8], [3.5, 1.5]]),
            seg("e1-x", "e1", "x", [[3.5, 1.5], [3.5, 0.5]]),
        ],
        "routes": [{"id": "r", "name": "R", "origin": "h", "destination": "x",
                    "segments": ["via-b-rail"]}],
    })
    return write_world(folder, world)


def test_alternatives_are_different_corridors_with_variants_folded_in(tmp_path):
    folder = _three_corridors(tmp_path / "c")
    results = geo.compare("h", "x", k=3, data_dir=folder)
    assert [r["corridor"] for r in results] == ["AAA > BBB > AAA", "AAA > CCC > AAA",
                                                "AAA > DDD > EEE > AAA"]
    assert results[0]["segments"] == ["via-b-rail"]
    assert [v["segments"] for v in results[0]["variants"]] == [["via-b-road"]]
    lengths = [r["length_km"] for r in results]
    assert lengths == sorted(lengths)
    for r in results:
        assert r["border_crossings"] and "gauge_breaks" in r


def test_variants_flag_lists_each_path(tmp_path):
    folder = _three_corridors(tmp_path / "v")
    results = geo.compare("h", "x", k=2, data_dir=folder, variants=True)
    assert [r["segments"] for r in results] == [["via-b-rail"], ["via-b-road"]]


def test_avoiding_a_country_leaves_the_other_corridors(tmp_path):
    folder = _three_corridors(tmp_path / "a")
    results = geo.compare("h", "x", k=3, avoid=["BBB"], data_dir=folder)
    assert [r["corridor"] for r in results] == ["AAA > CCC > AAA", "AAA > DDD > EEE > AAA"]


# ---------------------------------------------------------------------------------------------
# Statuses with their age


def test_status_age_flags_records_older_than_the_setting(monkeypatch):
    legs = [{"segment": "old", "as_of": "2025-12"}, {"segment": "new", "as_of": "2026-11-01"},
            {"segment": "year", "as_of": "2026"}]
    today = dt.date(2026, 11, 30)
    out = status_age(legs, today=today)
    assert out["status_as_of"] == ["2025-12", "2026-11-01"]
    assert out["stale_segments"] == ["old"]  # 2025-12-31 is 334 days back; "2026" reads as its end
    monkeypatch.setattr(settings, "stale_after_days", 400)
    assert status_age(legs, today=today)["stale_segments"] == []


# ---------------------------------------------------------------------------------------------
# The shipped data


def test_every_route_that_must_change_gauge_shows_its_breaks():
    expected = {
        "instc-west": [("1435", "1520", "astara-irn")],
        "nakhchivan-tehran-rail": [("1520", "1435", "jolfa-irn")],
        "baku-nakhchivan-iran-rail": [("1520", "1435", "astara-irn"), ("1435", "1520", "jolfa-irn")],
    }
    for rid, breaks in expected.items():
        found = [(b["from_gauge"], b["to_gauge"], b["place_id"])
                 for b in geo.route_metrics(rid)["gauge_breaks"]]
        assert found == breaks, rid
    kars = geo.route_metrics("kars-nakhchivan-rail")["gauge_breaks"]
    assert [(b["from_gauge"], b["to_gauge"]) for b in kars] == [("1520", "1435"), ("1435", "1520")]
    assert kars[0]["place_id"] == "akhalkalaki"
    # the gauge of Kars–Iğdır–Dilucu is not published: the change back is reported, uncertain
    assert not kars[1]["certain"] and kars[1]["between"][0] == "kars"


def test_every_rail_gauge_in_the_shipped_data_has_a_source():
    segs = geo.load_segments(SHIPPED_DATA)
    rail = segs[segs["mode"] == "rail"]
    known = rail[rail["gauge"] != ""]
    assert known["gauge_source"].str.strip().str.len().gt(0).all()
    assert set(known["gauge"]) <= {"1435", "1520", "1435;1520"}


def test_every_named_route_reports_its_basis():
    for rid in geo.load_routes().index:
        basis = geo.route_metrics(rid)["length_basis"]
        assert 0.0 <= basis["share_chainage"] <= 1.0 and basis["text"]


def test_a_named_section_is_measured_on_its_own_segments():
    """The Syunik/Meghri section of the route through Armenia: its figures are its segments'."""
    from helpers import run_cli

    segs = geo.segment_metrics(SHIPPED_DATA)
    [syunik] = [s for s in geo.section_metrics("zangezur-rail", SHIPPED_DATA)
                if s["section_id"] == "syunik-meghri"]
    ids = next(sec["segments"] for sec in geo.load_routes(SHIPPED_DATA).at["zangezur-rail", "sections"]
               if sec["id"] == "syunik-meghri")
    assert syunik["length_km"] == pytest.approx(float(segs.loc[ids, "best_km"].sum()))
    by_country: dict = {}
    for sid in ids:
        share = segs.at[sid, "best_km"] / segs.at[sid, "length_km"]
        for c, length in segs.at[sid, "km_by_country"].items():
            by_country[c] = by_country.get(c, 0.0) + length * share
    assert syunik["km_by_country"] == pytest.approx(by_country)
    whole = geo.route_metrics("zangezur-rail", SHIPPED_DATA)
    assert syunik["length_km"] < whole["length_km"] / 5  # the section, not the route
    code, out, err = run_cli("--data-dir", str(SHIPPED_DATA), "sections", "zangezur-rail")
    assert code == 0 and f"{syunik['length_km']:,.0f} km (published chainage" in out


def test_a_section_must_be_a_run_of_its_routes_segments(tmp_path):
    from helpers import tiny_world, write_data

    world = tiny_world()
    world["routes"][0]["sections"] = [{"id": "east", "name": "East part", "segments": ["m-e", "w-m"]}]
    data = write_data(tmp_path / "data", world)
    with pytest.raises(geo.DataValidationError,
                       match=r"routes\.yaml: record 'w-e', field 'sections\[0\]\.segments'.*consecutive"):
        geo.load_routes(data)
