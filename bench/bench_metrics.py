"""Benchmarks for route metrics and routing: prints median timings against the targets.

Run: ``.venv/bin/python bench/bench_metrics.py`` (or ``make bench`` for every benchmark).

Targets (issue 3): all metrics for all named routes <= 200 ms warm; a compare query on the
shipped network <= 50 ms; one shortest path on a generated 100,000-edge network <= 0.5 s.
"before" figures time the naive way (overlay each route with the 1:10m outlines on every call),
"after" the cached per-segment overlay that the library uses.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time

import geopandas as gpd
import networkx as nx
import numpy as np

import geo
from geo import graph, overlay, settings
from geo.measure import length_km

RESULTS: list[tuple[str, float, float | None]] = []


def median_ms(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def record(name: str, ms: float, target_ms: float | None = None) -> None:
    RESULTS.append((name, ms, target_ms))
    verdict = "" if target_ms is None else ("  OK" if ms <= target_ms else "  OVER TARGET")
    target = f" (target <= {target_ms:.0f} ms)" if target_ms else ""
    print(f"{name:<62} {ms:10.1f} ms{target}{verdict}", flush=True)


def naive_routes_km_by_country() -> list[dict]:
    """'Before': overlay every route's line with the territories on each call, no cache."""
    territories = geo.load_territories().reset_index()
    out = []
    for rid, route in geo.load_routes_gdf().iterrows():
        line = gpd.GeoDataFrame({"route": [rid]}, geometry=[route.geometry], crs=settings.crs)
        parts = gpd.overlay(line, territories[["unit", "iso3", "geometry"]], how="intersection",
                            keep_geom_type=False)
        parts["km"] = length_km(parts).to_numpy()
        out.append(parts.groupby("iso3")["km"].sum().to_dict())
    return out


def bench_shipped() -> None:
    print("Shipped data:", settings.data_dir)
    record("before: naive overlay of every route, km by country (median of 3)",
           median_ms(naive_routes_km_by_country, 3))
    overlay.clear_cache()
    t0 = time.perf_counter()
    overlay.segment_metrics()
    record("after: per-segment overlay, cold (once per data version)", (time.perf_counter() - t0) * 1000)
    geo.routes_table()
    record("after: routes_table, all metrics for all named routes, warm",
           median_ms(geo.routes_table, 11), 200)
    dates = iter(f"{2010 + i // 12}-{i % 12 + 1:02d}" for i in range(1000))
    record("routes_table as of a new date (statuses recomputed), warm",
           median_ms(lambda: geo.routes_table(as_of=next(dates)), 11), 200)
    record("compare Baku -> Nakhchivan --avoid ARM --k 3, warm",
           median_ms(lambda: geo.compare("Baku", "Nakhchivan", avoid=["ARM"], k=3), 11), 50)
    record("compare Baku -> Moscow --k 3, warm",
           median_ms(lambda: geo.compare("Baku", "Moscow", k=3), 11), 50)
    record("compare Mumbai -> Moscow --k 3 --weight time, warm",
           median_ms(lambda: geo.compare("mumbai-jnpt", "moscow", k=3, weight="time"), 11), 50)


def grid(n: int, seed: int = 1) -> nx.MultiGraph:
    """An n x n grid with random lengths: 2 n (n - 1) edges (n = 224 gives 99,904)."""
    rng = np.random.default_rng(seed)
    g = nx.MultiGraph()
    weights = iter(rng.uniform(1.0, 10.0, size=2 * n * (n - 1)).tolist())
    g.add_edges_from(((i, j), (i + 1, j), {"length": next(weights)}) for i in range(n - 1) for j in range(n))
    g.add_edges_from(((i, j), (i, j + 1), {"length": next(weights)}) for i in range(n) for j in range(n - 1))
    return g


def bench_large() -> None:
    n = 224
    g = grid(n)
    src, dst = (0, 0), (n - 1, n - 1)
    print(f"\nGenerated grid: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges; "
          "query corner to corner")
    plain = median_ms(lambda: nx.dijkstra_path(g, src, dst, weight="length"), 5)
    record("networkx dijkstra_path", plain, 500)
    record("networkx bidirectional_dijkstra",
           median_ms(lambda: nx.bidirectional_dijkstra(g, src, dst, weight="length"), 5), 500)

    def fresh_scipy():
        g.graph.pop("_csgraph", None)
        graph.csgraph_path(g, src, dst, "length")

    record("scipy.sparse.csgraph dijkstra incl. matrix build (first query)", median_ms(fresh_scipy, 5), 500)
    graph.csgraph_path(g, src, dst, "length")
    record("scipy.sparse.csgraph dijkstra, matrix cached (next queries)",
           median_ms(lambda: graph.csgraph_path(g, src, dst, "length"), 5), 500)
    record("geo.routing.shortest_path (engine chosen by size), warm",
           median_ms(lambda: graph.shortest_path(g, src, dst, weight="length"), 5), 500)
    a = nx.dijkstra_path_length(g, src, dst, weight="length")
    nodes = graph.csgraph_path(g, src, dst, "length")
    b = sum(min(d["length"] for d in g[u][v].values()) for u, v in itertools.pairwise(nodes))
    print(f"same length from both engines: {abs(a - b) < 1e-6} ({a:.3f} vs {b:.3f})")


def main() -> int:
    if (settings.data_dir / "routes.yaml").exists():
        bench_shipped()
    else:
        print("no shipped routes.yaml: shipped-data benchmarks skipped")
    bench_large()
    over = [name for name, ms, target in RESULTS if target is not None and ms > target]
    return 1 if over and "--strict" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
