"""The layering rules: geo never imports streamlit or folium; layers never opens files."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_geo_import_does_not_pull_in_ui_libraries():
    code = (
        "import sys, geo, geo.cli\n"
        "geo.cli.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'streamlit', 'folium', 'streamlit_folium'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_geo_source_never_names_streamlit_at_module_level():
    for path in (ROOT / "geo").glob("*.py"):
        assert "streamlit" not in _imports(path), path


def test_layers_do_not_open_files():
    for path in (ROOT / "layers").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                assert name not in {"open", "read_text", "read_bytes", "read_file"}, f"{path}:{node.lineno}"
