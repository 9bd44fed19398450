"""The ``corridors`` command line: one sub-command group per module of this package.

Every command module (:mod:`~geo.cli.data`, :mod:`~geo.cli.routes`, :mod:`~geo.cli.claims`,
:mod:`~geo.cli.export`, :mod:`~geo.cli.osm`) defines ``register(subparsers)``, which adds its
parsers and sets ``func`` (called with the parsed arguments, returns an exit code). Output
formats live in :mod:`~geo.cli.output`. Like ``app.py`` for the app, the CLI wires the
library to a user; the HTML snapshot is its one use of the ``layers`` package.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from .. import settings
from .._errors import (
    ClaimsFileError,
    DataValidationError,
    ExportError,
    InputError,
    NoPathError,
    OSMError,
    ScenarioError,
    UnknownPlaceError,
    UnknownRouteError,
)
from . import claims, data, export, osm, routes, time

COMMAND_MODULES = (data, export, claims, osm, routes, time)

USER_ERRORS = (
    DataValidationError,
    InputError,
    UnknownPlaceError,
    UnknownRouteError,
    NoPathError,
    ClaimsFileError,
    ExportError,
    OSMError,
    ScenarioError,
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
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings (e.g. a claim whose check is not tied to its assertion) as one plain line."""
    print(f"corridors: warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    warnings.showwarning = _show_warning
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = settings.data_dir, settings.assumptions_file
    if args.data_dir is not None:
        settings.data_dir = args.data_dir
    if getattr(args, "assumptions", None) is not None:
        settings.assumptions_file = args.assumptions
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
        settings.data_dir, settings.assumptions_file = previous


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
