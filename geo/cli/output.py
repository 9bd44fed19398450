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
import os
import sys
from pathlib import Path
from typing import TextIO

import pandas as pd

from .._errors import InputError
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


def check_output(path: str | os.PathLike, data_dir: str | os.PathLike,
                 reads: dict[str, str | os.PathLike | None] | None = None) -> None:
    """Refuse an output file that would replace data the tool reads.

    An export written over ``DATA/places.csv`` would leave a data folder that no longer loads,
    and one written over its own ``--assumptions`` file would lose the input. Paths are
    compared after resolving links (``a/../data`` and a link to the data folder or to one of
    its files count): no output may go into the data folder (claims are saved there by
    ``claims draft --save`` only), nor be one of the files in ``reads`` (option name: path).
    (An output that is a hard link to a data file is harmless: the write replaces the link's
    name, never the file's content.)

    Raises
    ------
    InputError
        Naming the output file and the data it would replace.
    """
    out = os.path.realpath(path)
    folder = os.path.realpath(data_dir)
    if out == folder or out.startswith(folder.rstrip(os.sep) + os.sep):
        msg = (f"{path}: is inside the data folder {data_dir}; nothing was written. Outputs "
               "go outside it, so they can never replace the files the data is read from "
               "(claims are saved there with `corridors claims draft --save`); choose another "
               "path")
        raise InputError(msg)
    for option, source in (reads or {}).items():
        if source is None or not os.path.exists(path) or not os.path.exists(source):
            continue
        if os.path.samefile(path, source):
            msg = (f"{path}: is the file this command reads ({option} {source}); nothing was "
                   "written. Choose another path for the output")
            raise InputError(msg)
