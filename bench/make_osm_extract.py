"""Write synthetic, sorted OpenStreetMap extracts (``.osm.pbf``) for the OSM benchmarks.

Usage::

    .venv/bin/python bench/make_osm_extract.py OUT.osm.pbf --nodes 4000000 [--seed 1]
    .venv/bin/python bench/make_osm_extract.py OUT.osm.pbf --grid-edges 1000000

**Extract** (``--nodes N``): like a country extract, all nodes first (ascending ids), then all
ways (ascending ids), written with pyosmium's writer. Every way has 10 nodes of its own, laid
as a short line (or a closed ring for buildings) somewhere between 38-62 E and 25-44 N;
node and way ids are spread out as in real files (they start above 10^9 and leave gaps), so an
index sized by the highest id would be as wasteful here as on a real extract. Of the ways:

- 1 % ``railway=*`` (rail 80 %, construction, proposed, disused, abandoned 5 % each) with
  ``gauge`` 1520 (60 %), 1435 (30 %), ``1520;1435`` (5 %) or none (5 %), ``usage`` and a name;
- 19 % ``highway=*``: motorway 3 %, trunk 7 %, primary 15 %, secondary 20 %, tertiary 25 %,
  residential 20 %, unclassified 10 % (so 70 % of them are main roads the import keeps);
- the rest ``building=yes`` rings.

**Grid** (``--grid-edges E``): a road lattice of about E edges over the same area (ways of 10
edges that share their end nodes and cross at every lattice node), for the routing benchmark:
split at shared nodes it gives one routing edge per lattice link. Rows and columns alternate
trunk and tertiary every tenth line; a few ways are under construction.

The same arguments always give the same file (a seeded random generator).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

WEST, SOUTH, EAST, NORTH = 38.0, 25.0, 62.0, 44.0
NODE_ID0 = 1_000_000_000
WAY_ID0 = 100_000_000
NODES_PER_WAY = 10

RAIL = (("rail", 0.80), ("construction", 0.05), ("proposed", 0.05), ("disused", 0.05),
        ("abandoned", 0.05))
GAUGES = (("1520", 0.60), ("1435", 0.30), ("1520;1435", 0.05), ("", 0.05))
HIGHWAY = (("motorway", 0.03), ("trunk", 0.07), ("primary", 0.15), ("secondary", 0.20),
           ("tertiary", 0.25), ("residential", 0.20), ("unclassified", 0.10))


def _pick(rng: np.random.Generator, table, n: int) -> np.ndarray:
    values, weights = zip(*table, strict=True)
    return rng.choice(np.array(values, dtype=object), size=n, p=np.array(weights) / sum(weights))


def _writer(path: Path):
    import osmium

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    return osmium.SimpleWriter(str(path))


def write_extract(path: Path, nodes: int, seed: int = 1) -> dict:
    """The synthetic extract of ``nodes`` nodes (a multiple of 10) at ``path``; returns counts."""
    from osmium.osm.mutable import Node, Way

    rng = np.random.default_rng(seed)
    n_ways = nodes // NODES_PER_WAY
    kind = rng.choice(np.array(["rail", "highway", "building"]), size=n_ways, p=[0.01, 0.19, 0.80])
    start_x = rng.uniform(WEST, EAST, n_ways)
    start_y = rng.uniform(SOUTH, NORTH, n_ways)
    heading = rng.uniform(0, 2 * math.pi, n_ways)
    node_ids = NODE_ID0 + np.arange(nodes, dtype=np.int64) * 3 + rng.integers(0, 3, nodes)
    writer = _writer(path)
    try:
        step = np.arange(NODES_PER_WAY)
        for w in range(n_ways):
            if kind[w] == "building":  # a ring of about 20 m
                angle = heading[w] + step * (2 * math.pi / NODES_PER_WAY)
                xs, ys = start_x[w] + 2e-4 * np.cos(angle), start_y[w] + 2e-4 * np.sin(angle)
            else:  # a line of about 2 km, 200 m between nodes
                xs = start_x[w] + step * 2e-3 * math.cos(heading[w])
                ys = start_y[w] + step * 2e-3 * math.sin(heading[w])
            base = w * NODES_PER_WAY
            for i in range(NODES_PER_WAY):
                writer.add_node(Node(id=int(node_ids[base + i]),
                                     location=(round(float(xs[i]), 7), round(float(ys[i]), 7))))
        rail_values, gauges = _pick(rng, RAIL, n_ways), _pick(rng, GAUGES, n_ways)
        highways = _pick(rng, HIGHWAY, n_ways)
        usage = rng.choice(np.array(["main", "branch"]), size=n_ways, p=[0.7, 0.3])
        for w in range(n_ways):
            refs = [int(i) for i in node_ids[w * NODES_PER_WAY:(w + 1) * NODES_PER_WAY]]
            if kind[w] == "rail":
                tags = {"railway": str(rail_values[w]), "usage": str(usage[w]),
                        "name": f"Line {w % 97}"}
                if rail_values[w] in ("construction", "proposed"):
                    tags[str(rail_values[w])] = "rail"
                if gauges[w]:
                    tags["gauge"] = str(gauges[w])
            elif kind[w] == "highway":
                tags = {"highway": str(highways[w]), "ref": f"R{w % 311}"}
            else:
                tags = {"building": "yes"}
                refs.append(refs[0])
            writer.add_way(Way(id=WAY_ID0 + 2 * w, nodes=refs, tags=tags))
    finally:
        writer.close()
    return {"nodes": nodes, "ways": n_ways, "rail": int((kind == "rail").sum()),
            "highway": int((kind == "highway").sum())}


def grid_shape(edges: int) -> tuple[int, int]:
    """Rows and columns of a lattice with about ``edges`` links, a multiple of 10 each way."""
    side = int(math.sqrt(edges / 2.0) / 10 + 0.5) * 10
    return side + 1, side + 1


def write_grid(path: Path, edges: int) -> dict:
    """The road lattice of about ``edges`` links at ``path``; returns counts."""
    from osmium.osm.mutable import Node, Way

    rows, cols = grid_shape(edges)
    lon = np.linspace(44.0, 56.0, cols)
    lat = np.linspace(30.0, 42.0, rows)
    writer = _writer(path)

    def node_id(r: int, c: int) -> int:
        return NODE_ID0 + 2 * (r * cols + c)

    way_id = WAY_ID0
    n_ways = 0
    try:
        for r in range(rows):
            for c in range(cols):
                writer.add_node(Node(id=node_id(r, c), location=(round(float(lon[c]), 7),
                                                                 round(float(lat[r]), 7))))
        lines = [("row", r) for r in range(rows)] + [("col", c) for c in range(cols)]
        for axis, i in lines:
            cls = "trunk" if i % 10 == 0 else "tertiary"
            length = cols if axis == "row" else rows
            for start in range(0, length - 1, NODES_PER_WAY):
                stop = min(start + NODES_PER_WAY, length - 1)
                refs = [node_id(i, j) if axis == "row" else node_id(j, i)
                        for j in range(start, stop + 1)]
                tags = {"highway": cls, "ref": f"{axis[0].upper()}{i}"}
                if (i * 7 + start) % 97 == 0:
                    tags = {"highway": "construction", "construction": cls}
                writer.add_way(Way(id=way_id, nodes=refs, tags=tags))
                way_id += 2
                n_ways += 1
    finally:
        writer.close()
    links = rows * (cols - 1) + cols * (rows - 1)
    return {"nodes": rows * cols, "ways": n_ways, "edges": links, "rows": rows, "cols": cols}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the .osm.pbf file to write (replaced)")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--nodes", type=int, help="an extract of this many nodes (multiple of 10)")
    what.add_argument("--grid-edges", type=int, help="a road lattice of about this many edges")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.nodes:
        counts = write_extract(args.out, args.nodes, args.seed)
    else:
        counts = write_grid(args.out, args.grid_edges)
    size_mb = args.out.stat().st_size / 1e6
    print(f"{args.out}: {counts}, {size_mb:.1f} MB in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
