"""The ``corridors`` command line: one sub-command group per module of this package.

Every command module (:mod:`~geo.cli.data`, :mod:`~geo.cli.routes`, :mod:`~geo.cli.claims`,
:mod:`~geo.cli.export`, :mod:`~geo.cli.osm`) defines ``register(subparsers)``, which adds its
parsers and sets ``func`` (called with the parsed arguments, returns an exit code). Output
formats live in :mod:`~geo.cli.output`. Like ``app.py`` for the app, the CLI wires the
library to a user; the HTML snapshot is its one use of the ``layers`` package.

One error path (:func:`main`), with :func:`geo.messages.user_message` as in the app:

* every library error and every OS error on a user's file exits 2 with a message that names
  the file (one line, or a heading and one line per problem);
* Ctrl-C exits 130 and SIGTERM 143, after files being written are removed; no traceback;
* anything else is a bug: exit 1 with a one-line notice;
* ``--debug`` shows the traceback instead, for a bug report.

Data warnings (fields that are not used) and notes on missing optional files (what their
absence changes) go to stderr as ``corridors CMD: warning: ...`` and ``... note: ...``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import settings
from .._errors import ClaimCheckWarning, DataWarning, InputError, Terminated
from .._io import remove_data_temp_files
from ..files import missing_optional
from ..messages import user_message
from . import claims, data, export, osm, routes, time
from .output import check_output

COMMAND_MODULES = (data, export, claims, osm, routes, time)

#: Warnings about the user's data, shown as one line each; other warnings only with --debug.
DATA_WARNINGS = (DataWarning, ClaimCheckWarning)

#: Optional data files each command reads (see geo.files.OPTIONAL_FILES); others: DEFAULT_OPTIONAL.
OPTIONAL_BY_COMMAND = {
    "places": (),
    "borders": (),
    "osm": (),
    "claims draft": (),
    "timeline": (),
    "assumptions": ("assumptions.yaml",),
    "segments": ("water.geojson", "references.yaml", "traced.yaml"),
    "references": ("water.geojson", "references.yaml", "traced.yaml"),
    "claims": ("claims", "water.geojson", "references.yaml"),
    "snapshot": ("basemap.geojson", "water.geojson", "references.yaml", "assumptions.yaml"),
}
DEFAULT_OPTIONAL = ("water.geojson", "references.yaml", "assumptions.yaml")

EXIT_USER_ERROR = 2
EXIT_BUG = 1
EXIT_SIGINT = 130
EXIT_SIGTERM = 143


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
    parser.add_argument(
        "--debug", action="store_true",
        help="on an error, show the full traceback (for a bug report) instead of a message",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def command_name(args: argparse.Namespace) -> str:
    """``"claims draft"``, ``"osm refresh"`` or the command itself."""
    action = getattr(args, "action", None) or getattr(args, "osm_command", None)
    return f"{args.command} {action}" if action else args.command


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    name = args.command  # messages start "corridors NAME: ..."
    full = command_name(args)
    optional = OPTIONAL_BY_COMMAND.get(full, OPTIONAL_BY_COMMAND.get(name, DEFAULT_OPTIONAL))
    previous = settings.data_dir, settings.assumptions_file
    if args.data_dir is not None:
        settings.data_dir = args.data_dir
    if getattr(args, "assumptions", None) is not None:
        settings.assumptions_file = args.assumptions
    try:
        with _stop_on_sigterm(), _warnings_to_stderr(name, debug=args.debug):
            _check_text_arguments(args)
            _check_data_dir(Path(settings.data_dir))
            _remove_stale_temp_files(name, Path(settings.data_dir))
            if getattr(args, "out", None) is not None:
                reads = {("FILE" if n == "file" else f"--{n}"): getattr(args, n, None)
                         for n in ("file", "assumptions", "scenario", "stations")}
                check_output(args.out, settings.data_dir, reads)
            for note in missing_optional(optional):
                print(f"corridors {name}: note: {note}", file=sys.stderr)
            return int(args.func(args) or 0)
    except KeyboardInterrupt as err:
        if args.debug:
            raise
        how = "stopped (SIGTERM)" if isinstance(err, Terminated) else "interrupted (Ctrl-C)"
        print(f"corridors {name}: {how}; no file was left half-written", file=sys.stderr)
        return EXIT_SIGTERM if isinstance(err, Terminated) else EXIT_SIGINT
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: stop quietly, like other Unix tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001 - the one place every error becomes a message
        if args.debug:
            raise
        message = user_message(err)
        if message is None:
            first = (str(err).strip().splitlines() or [""])[0]
            print(f"corridors {name}: internal error: {type(err).__name__}: {first}. This "
                  "looks like a bug in Corridor Explorer rather than a problem with your data; "
                  "run the command again with --debug to see the details to report.",
                  file=sys.stderr)
            return EXIT_BUG
        print(f"corridors {name}: error: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    finally:
        settings.data_dir, settings.assumptions_file = previous


def _check_text_arguments(args: argparse.Namespace) -> None:
    """Text arguments must be text: bytes that are not UTF-8 (from a terminal set to another
    encoding) reach Python as lone surrogates, which no file can hold. (File names may hold
    such bytes; they are paths, not text.)"""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for text in values:
            if isinstance(text, str) and any("\ud800" <= ch <= "\udfff" for ch in text):
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                msg = (f"argument --{name.replace('_', '-')} {shown!r} holds bytes that are not "
                       "UTF-8 text; set the terminal to UTF-8 or retype it")
                raise InputError(msg)


def _check_data_dir(folder: Path) -> None:
    if not folder.exists():
        msg = f"{folder}: data folder not found (choose one with --data-dir DIR)"
        raise FileNotFoundError(msg)
    if not folder.is_dir():
        msg = f"{folder}: is a file, not a data folder (choose one with --data-dir DIR)"
        raise NotADirectoryError(msg)


def _remove_stale_temp_files(name: str, folder: Path) -> None:
    """Remove the temporary files of writes killed earlier (SIGKILL leaves them) in the data
    folder and its claims and OSM folders, and say so."""
    removed = remove_data_temp_files(folder)
    if removed:
        print(f"corridors {name}: note: removed {len(removed)} temporary file(s) left by a "
              f"write that was stopped: {', '.join(str(p) for p in removed)}", file=sys.stderr)


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """While the command runs, SIGTERM raises :class:`~geo._errors.Terminated` (a
    ``KeyboardInterrupt``), so files being written are removed as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Terminated(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _warnings_to_stderr(name: str, *, debug: bool) -> Iterator[None]:
    """Data warnings as one line each on stderr; other warnings only with ``--debug``."""
    with warnings.catch_warnings():
        for category in DATA_WARNINGS:
            warnings.simplefilter("always", category)
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if issubclass(category, DATA_WARNINGS):
                print(f"corridors {name}: warning: {message}", file=sys.stderr)
            elif debug:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
