"""The ``corridors`` command line: one sub-command per task, each registered by its module.

Every sub-command module defines ``register(subparsers)`` which adds its parser and sets
``func`` (called with the parsed arguments, returns an exit code).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from . import settings
from ._errors import (
    ClaimsFileError,
    DataValidationError,
    ExportError,
    NoPathError,
    OSMError,
    UnknownPlaceError,
    UnknownRouteError,
)

COMMAND_MODULES = [
    "geo._cli_data",
    "geo._cli_export",
    "geo._cli_claims",
    "geo._cli_osm",
    "geo._cli_routes",
]

USER_ERRORS = (
    DataValidationError,
    UnknownPlaceError,
    UnknownRouteError,
    NoPathError,
    ClaimsFileError,
    ExportError,
    OSMError,
    FileNotFoundError,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corridors",
        description="Measure and compare transport corridors in the South Caucasus and Iran.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"folder with the geodata (default: {settings.data_dir})",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def add_format(parser: argparse.ArgumentParser) -> None:
    """Add the common ``--format table|csv|json`` option."""
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = settings.data_dir
    if args.data_dir is not None:
        settings.data_dir = args.data_dir
    try:
        return int(args.func(args) or 0)
    except USER_ERRORS as err:
        print(f"corridors {args.command}: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: stop quietly, like other Unix tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        settings.data_dir = previous


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
