"""The layering rules, read from the source of every module (function-level imports included).

- ``geo`` (the library) never imports streamlit, streamlit-folium, folium or branca; only its
  command line (``geo/cli``, an entry point like ``app.py``) may use ``layers``.
- ``layers`` never imports streamlit and never reads files or data: it takes GeoDataFrames.
- The project's modules import each other without cycles, and never import another module's
  private (``_name``) functions, classes or constants.
- No module is longer than 600 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from helpers import ROOT

PACKAGES = ("geo", "layers", "app_pages")
UI_LIBRARIES = {"streamlit", "streamlit_folium", "folium", "branca"}
READERS = {"open", "read_text", "read_bytes", "read_file", "read_csv", "read_parquet",
           "read_dataframe", "safe_load", "load"}
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the project's packages and app.py."""
    out = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _imports(name: str) -> list[tuple[str, list[str], int]]:
    """``(module imported, names imported from it, line)`` of every import in module ``name``,
    relative imports resolved to dotted names."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    here = name.split(".") if _is_package(name) else name.split(".")[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((module, [alias.name for alias in node.names], node.lineno))
    return out


def _project_edges(name: str) -> set[str]:
    """Project modules that importing ``name`` runs (``from pkg import mod`` counts as
    ``pkg.mod``; importing ``pkg.mod`` also runs ``pkg/__init__`` unless ``name`` is inside
    ``pkg``, whose initialisation is then already under way)."""
    edges = set()
    for module, names, _ in _imports(name):
        subs = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
        if subs:
            edges.update(subs)
        elif module in MODULES:
            edges.add(module)
    for target in list(edges):
        parts = target.split(".")
        for depth in range(1, len(parts)):
            package = ".".join(parts[:depth])
            if package in MODULES and not (name + ".").startswith(package + "."):
                edges.add(package)
    edges.discard(name)
    return edges


def test_geo_import_does_not_pull_in_ui_libraries():
    code = (
        "import sys, geo, geo.cli\n"
        "geo.cli.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(UI_LIBRARIES | {'layers', 'app_pages'})!r})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("name", [m for m in MODULES if m.split(".")[0] == "geo"])
def test_geo_never_imports_ui_libraries(name):
    for module, _, line in _imports(name):
        top = module.split(".")[0]
        assert top not in UI_LIBRARIES, f"{MODULES[name]}:{line} imports {module}"
        if top in ("layers", "app_pages"):
            assert name.startswith("geo.cli."), f"{MODULES[name]}:{line} imports {module}"


@pytest.mark.parametrize("name", [m for m in MODULES if m.split(".")[0] == "layers"])
def test_layers_never_import_streamlit_nor_read_files(name):
    path = MODULES[name]
    for module, names, line in _imports(name):
        assert module.split(".")[0] not in {"streamlit", "streamlit_folium", "app_pages"}, (
            f"{path}:{line} imports {module}")
        loaders = [n for n in names if n.startswith("load_")]
        assert not loaders, f"{path}:{line} imports data loaders {loaders}"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            called = getattr(func, "id", None) or getattr(func, "attr", None)
            assert called not in READERS, f"{path}:{node.lineno} calls {called}()"
            assert not str(called).startswith("load_"), f"{path}:{node.lineno} calls {called}()"
        if isinstance(node, ast.Attribute):
            assert node.attr != "data_dir", f"{path}:{node.lineno} reads the data folder setting"


def test_project_modules_import_each_other_without_cycles():
    graph = nx.DiGraph()
    for name in MODULES:
        graph.add_node(name)
        graph.add_edges_from((name, other) for other in _project_edges(name))
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    """The check above must be able to fail: two modules importing each other form a cycle."""
    graph = nx.DiGraph([("geo.a", "geo.b"), ("geo.b", "geo.a"), ("geo.b", "geo.c")])
    assert [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1] == [
        ["geo.a", "geo.b"]]


@pytest.mark.parametrize("name", list(MODULES))
def test_no_private_names_imported_from_other_modules(name):
    for module, names, line in _imports(name):
        if module.split(".")[0] not in (*PACKAGES, "app"):
            continue
        private = [n for n in names if n.startswith("_") and f"{module}.{n}" not in MODULES]
        assert not private, f"{MODULES[name]}:{line} imports private {private} from {module}"


@pytest.mark.parametrize("name", list(MODULES))
def test_modules_stay_short(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines (at most {MAX_LINES})"
