"""Routing: place names, constraints, k alternatives, no-path reasons, engines, CLI."""

from __future__ import annotations

import io
import itertools
import json
from contextlib import redirect_stderr, redirect_stdout

import networkx as nx
import numpy as np
import pytest
from helpers import (
    META,
    equator_world,
    exclave_world,
    km,
    seg,
    simple_assumptions,
    write_world,
)

import geo
from geo import settings
from geo.cli import main
from geo.names import normalize_name
from geo.routing import shortest_path


@pytest.fixture
def exclave(tmp_path):
    return write_world(tmp_path / "x", exclave_world(), assumptions=simple_assumptions())


# ---------------------------------------------------------------------------------------------
# Place names


@pytest.mark.parametrize("name", ["exclave", "Exclave City", "EXCLAVE  city", "Naxçıvan",
                                  "naxcivan", "Nakhichevan", "nakhchivan"])
def test_resolve_place_any_form(exclave, name):
    assert geo.resolve_place(name, exclave) == "exclave"


def test_resolve_place_other_scripts(exclave):
    assert geo.resolve_place("Столица", exclave) == "capital"
    assert geo.resolve_place("Stolitsa", exclave) == "capital"  # transliterated Russian
    assert geo.resolve_place("Meghri", exclave) == "south-b"  # transliterated Armenian


def test_normalize_name_folds_case_diacritics_and_script():
    assert normalize_name("Gəncə") == normalize_name("GANCA") == "ganca"
    assert normalize_name("Джульфа") == "dzhulfa"
    assert normalize_name("Bandar-e  Anzali") == "bandar e anzali"


def test_unknown_place_suggests_closest_names(exclave):
    with pytest.raises(geo.UnknownPlaceError, match=r"unknown place 'Exclav'.*did you mean: exclave \(Exclave City\)"):
        geo.resolve_place("Exclav", exclave)
    with pytest.raises(geo.UnknownPlaceError, match=r"did you mean: capital"):
        geo.resolve_place("Stolica", exclave)


def test_ambiguous_name_lists_the_places(tmp_path):
    world = exclave_world()
    world["places"][2]["name_en"] = "Twin"
    world["places"][3]["name_en"] = "Twin"
    data = write_world(tmp_path / "t", world)
    with pytest.raises(geo.UnknownPlaceError, match=r"matches several places: south-a \(Twin, IRN\), south-b"):
        geo.resolve_place("twin", data)


# ---------------------------------------------------------------------------------------------
# Constraints


def test_build_graph_constraints(exclave):
    assert set(geo.build_graph(exclave).edges(keys=True)) >= {("capital", "exclave", "rail-arm")}
    assert {k for *_, k in geo.build_graph(exclave, avoid=["arm"]).edges(keys=True)} == {"road-1", "road-2", "road-3"}
    assert {k for *_, k in geo.build_graph(exclave, mode="rail").edges(keys=True)} == {"rail-arm"}
    assert "road-2" not in {k for *_, k in geo.build_graph(exclave, status="operational").edges(keys=True)}
    with pytest.raises(ValueError, match="unknown country code.*XYZ"):
        geo.build_graph(exclave, avoid=["XYZ"])
    with pytest.raises(ValueError, match="unknown mode 'boat'"):
        geo.build_graph(exclave, mode="boat")


def test_shortest_goes_through_armenia_and_avoiding_it_comes_back_through_iran(exclave):
    best = geo.compare("Capital", "Nakhchivan", data_dir=exclave, k=1)[0]
    assert best["segments"] == ["rail-arm"]
    detour = geo.compare("Capital", "Nakhchivan", avoid=["ARM"], data_dir=exclave)
    assert [r["segments"] for r in detour] == [["road-1", "road-2", "road-3"]]
    assert "ARM" not in detour[0]["km_by_country"]
    units = [(c["from_unit"], c["to_unit"]) for c in detour[0]["border_crossings"]]
    assert units == [("AZE", "IRN"), ("IRN", "AZE-NX")]
    assert detour[0]["length_km"] == pytest.approx(
        km(1, 0.5, 1, -0.5) + km(1, -0.5, 3.5, -0.5) + km(3.5, -0.5, 3.5, 0.5), rel=1e-9)


def test_k_alternatives_ranked_by_length(exclave):
    results = geo.compare("capital", "exclave", k=5, data_dir=exclave)
    assert [r["rank"] for r in results] == [1, 2]
    assert [r["segments"] for r in results] == [["rail-arm"], ["road-1", "road-2", "road-3"]]
    assert results[0]["length_km"] <= results[1]["length_km"]


def test_weight_time_ranks_by_estimated_time(tmp_path):
    # rail very slow, roads fast: the longer road detour through IRN is quicker
    data = write_world(tmp_path / "t", exclave_world(),
                       assumptions=simple_assumptions(rail=5.0, road=100.0, border=0.0))
    results = geo.compare("capital", "exclave", k=2, weight="time", data_dir=data)
    assert results[0]["segments"] == ["road-1", "road-2", "road-3"]
    assert results[0]["est_time_h"] < results[1]["est_time_h"]
    assert results[0]["length_km"] > results[1]["length_km"]


def test_parallel_segments_are_variants_of_one_corridor_unless_asked(tmp_path):
    world = equator_world()
    world["segments"].append({**seg("w-m-road", "west", "mid", [[0.2, 0], [0.8, 0.3], [1.5, 0]], mode="road"), **META})
    data = write_world(tmp_path / "p", world)
    results = geo.compare("west", "mid", k=3, data_dir=data)
    assert [r["segments"] for r in results] == [["w-m"]]
    assert [v["segments"] for v in results[0]["variants"]] == [["w-m-road"]]
    every = geo.compare("west", "mid", k=3, data_dir=data, variants=True)
    assert [r["segments"] for r in every] == [["w-m"], ["w-m-road"]]


def test_variants_through_the_same_places_are_folded_in_unless_asked(tmp_path):
    world = exclave_world()
    world["segments"].append({**seg("road-2-old", "south-a", "south-b",
                                    [[1.0, -0.5], [2.2, -0.6], [3.5, -0.5]], mode="road"), **META})
    data = write_world(tmp_path / "v", world)
    distinct = geo.compare("capital", "exclave", k=3, data_dir=data)
    assert [r["segments"] for r in distinct] == [["rail-arm"], ["road-1", "road-2", "road-3"]]
    assert [v["segments"] for v in distinct[1]["variants"]] == [["road-1", "road-2-old", "road-3"]]
    every = geo.compare("capital", "exclave", k=3, data_dir=data, variants=True)
    assert [r["segments"] for r in every][2] == ["road-1", "road-2-old", "road-3"]


def test_no_path_names_the_avoided_country_that_cut_the_last_link(exclave):
    with pytest.raises(geo.NoPathError, match=r"avoiding IRN removes the last connection after avoiding ARM"):
        geo.compare("capital", "exclave", avoid=["ARM", "IRN"], data_dir=exclave)


def test_no_path_names_the_status_constraint(exclave):
    with pytest.raises(geo.NoPathError,
                       match=r"keeping only status operational removes the last connection after avoiding ARM.*road-2 \(planned\)"):
        geo.compare("capital", "exclave", avoid=["ARM"], status=["operational"], data_dir=exclave)


def test_no_path_names_the_mode_constraint(exclave):
    with pytest.raises(geo.NoPathError, match=r"keeping only mode road removes the last connection"):
        geo.compare("capital", "exclave", mode="road", status="operational", data_dir=exclave)
    with pytest.raises(geo.NoPathError, match=r"keeping only mode rail removes the last connection after avoiding ARM"):
        geo.compare("capital", "exclave", avoid="ARM", mode="rail", data_dir=exclave)


def test_no_path_when_endpoint_is_in_an_avoided_country(exclave):
    with pytest.raises(geo.NoPathError, match=r"'capital' lies in AZE, which is to be avoided"):
        geo.compare("capital", "exclave", avoid=["AZE"], data_dir=exclave)


def test_no_path_without_constraints_says_so(tmp_path):
    world = exclave_world()
    world["segments"] = [s for s in world["segments"] if s["id"] in ("road-1",)]
    world["routes"] = []
    data = write_world(tmp_path / "n", world)
    with pytest.raises(geo.NoPathError, match=r"'exclave' has no segment in the network"):
        geo.compare("capital", "exclave", data_dir=data)


# ---------------------------------------------------------------------------------------------
# Engines


def grid_graph(n: int, seed: int = 7) -> nx.MultiGraph:
    rng = np.random.default_rng(seed)
    g = nx.MultiGraph()
    for i in range(n):
        for j in range(n):
            if i + 1 < n:
                g.add_edge((i, j), (i + 1, j), key=f"v{i}-{j}", length=float(rng.uniform(1, 10)))
            if j + 1 < n:
                g.add_edge((i, j), (i, j + 1), key=f"h{i}-{j}", length=float(rng.uniform(1, 10)))
    g.add_edge((0, 0), (0, 1), key="parallel", length=0.5)  # a lighter parallel edge
    return g


def _length(g, nodes) -> float:
    return sum(min(d["length"] for d in g[u][v].values()) for u, v in itertools.pairwise(nodes))


def test_scipy_engine_agrees_with_networkx(monkeypatch):
    g = grid_graph(30)
    slow = shortest_path(g, (0, 0), (29, 29), weight="length")
    monkeypatch.setattr(settings, "routing_fast_min_edges", 10)
    fast = shortest_path(g, (0, 0), (29, 29), weight="length")
    assert _length(g, fast) == pytest.approx(_length(g, slow))
    assert fast[0] == (0, 0) and fast[-1] == (29, 29)
    assert shortest_path(g, (0, 0), (0, 1)) == [(0, 0), (0, 1)]
    g.add_node("island")
    with pytest.raises(nx.NetworkXNoPath):
        shortest_path(g, (0, 0), "island")


# ---------------------------------------------------------------------------------------------
# CLI


def run_cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = settings.data_dir  # main() sets it from --data-dir
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(argv))
    finally:
        settings.data_dir = saved
    return code, out.getvalue(), err.getvalue()


def test_cli_compare_json_and_table(exclave):
    code, out, _ = run_cli("--data-dir", str(exclave), "compare", "Capital", "Naxçıvan",
                           "--avoid", "ARM", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["segments"] for r in rows] == [["road-1", "road-2", "road-3"]]
    assert rows[0]["border_crossings"][0]["to_unit"] == "IRN"
    code, out, _ = run_cli("--data-dir", str(exclave), "compare", "capital", "exclave", "--k", "2")
    assert code == 0 and "#1" in out and "#2" in out and "AZE>ARM" in out


def test_cli_compare_errors(exclave):
    code, _, err = run_cli("--data-dir", str(exclave), "compare", "capital", "exclave",
                           "--avoid", "ARM,IRN")
    assert code == 2 and "avoiding IRN removes the last connection" in err
    code, _, err = run_cli("--data-dir", str(exclave), "compare", "capitol", "exclave")
    assert code == 2 and "did you mean: capital" in err
    code, _, err = run_cli("--data-dir", str(exclave), "compare", "capital", "exclave", "--avoid", "QQQ")
    assert code == 2 and "unknown country code(s) to avoid: QQQ" in err


def test_cli_routes_formats(exclave):
    code, out, _ = run_cli("--data-dir", str(exclave), "routes", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["route_id"] for r in rows] == ["via-arm"]
    assert list(rows[0]) == ["route_id", "name", "exists_today", "km_operational",
                             "km_under_construction", "km_planned", "length_km", "km_by_country",
                             "border_crossings", "gauge_breaks", "est_time_h", "est_time_h_range",
                             "status_as_of"]
    code, out, _ = run_cli("--data-dir", str(exclave), "routes", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("route_id,name,exists_today")
    code, out, _ = run_cli("--data-dir", str(exclave), "routes")
    assert code == 0 and "AZE>ARM" in out


# ---------------------------------------------------------------------------------------------
# Shipped network

def test_shipped_baku_to_nakhchivan_avoiding_armenia_goes_through_iran_or_turkey():
    results = geo.compare("Baku", "Nakhchivan", avoid=["ARM"], k=3)
    assert results
    for r in results:
        assert "ARM" not in r["km_by_country"]
        assert {"IRN", "TUR"} & set(r["km_by_country"])
        assert r["border_crossings"][-1]["to_unit"] == "AZE-NX"


def test_cli_timecost_references_assumptions(exclave):
    code, out, _ = run_cli("--data-dir", str(exclave), "timecost", "via-arm", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["event"] == "start" and rows[-1]["event"] == "end"
    assert [r["event"] for r in rows].count("border") == 2
    code, _, err = run_cli("--data-dir", str(exclave), "timecost", "no-such-route")
    assert code == 2 and "unknown route 'no-such-route'" in err
    code, out, _ = run_cli("--data-dir", str(exclave), "assumptions", "--format", "csv")
    assert code == 0 and "speed_kmh.rail.default,speed_kmh,rail,default,50.0,50.0,50.0" in out
    code, out, _ = run_cli("--data-dir", str(exclave), "references")
    assert code == 0 and "(no rows)" in out
