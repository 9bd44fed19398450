"""Render tables for the CLI: ``table`` (aligned text), ``csv`` or ``json``.

Text in ``table`` and ``csv`` output is neutralised (:mod:`geo.textsafe`): control and
bidirectional formatting characters cannot hide or reorder what a reader sees, and CSV cells
cannot run as spreadsheet formulas. JSON output keeps every value as it is (JSON escapes
control characters itself).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TextIO

import pandas as pd

from ..textsafe import csv_frame, table_cell

FORMATS = ("table", "csv", "json")


def add_format(parser: argparse.ArgumentParser) -> None:
    """Add the common ``--format table|csv|json`` option."""
    parser.add_argument("--format", choices=FORMATS, default="table")


def add_assumptions(parser: argparse.ArgumentParser) -> None:
    """Add ``--assumptions FILE``: estimate with a scenario file instead of the data folder's
    ``assumptions.yaml`` (``main`` puts it in ``settings.assumptions_file``)."""
    parser.add_argument("--assumptions", type=Path, default=None, metavar="FILE",
                        help="time and cost assumptions to estimate with (a scenario file in the "
                             "format of data/assumptions.yaml; default: the data folder's)")


def _jsonable(value):
    if isinstance(value, set | frozenset):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _cell(value) -> str:
    if isinstance(value, set | frozenset):
        return ";".join(str(v) for v in sorted(value))
    if isinstance(value, dict):
        return "; ".join(f"{k}={_cell(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return " > ".join(_cell(v) for v in value)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def emit(frame: pd.DataFrame, fmt: str = "table", out: TextIO | None = None) -> None:
    """Write ``frame`` (records as rows) to ``out`` (stdout by default) in format ``fmt``.

    ``json`` keeps nested lists and dicts; ``csv`` writes them as JSON text in the cell;
    ``table`` flattens them for reading.
    """
    out = out or sys.stdout
    records = [{k: _jsonable(v) for k, v in row.items()} for row in frame.to_dict("records")]
    if fmt == "json":
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        flat = pd.DataFrame(
            [{k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
              for k, v in r.items()} for r in records],
            columns=frame.columns,
        )
        csv_frame(flat).to_csv(out, index=False, lineterminator="\n")
    elif fmt == "table":
        flat = pd.DataFrame([{k: table_cell(_cell(v)) for k, v in r.items()} for r in records],
                            columns=frame.columns)
        flat.columns = [table_cell(str(c)) for c in frame.columns]
        out.write(flat.to_string(index=False) if len(flat) else "(no rows)")
        out.write("\n")
    else:
        msg = f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"
        raise ValueError(msg)
