"""Turn any error into a message for a person: the one error path of the CLI and the app.

:func:`user_message` maps every library error (bad data, bad claims, a bad request, an unknown
place or route, a failed download) and every OS error on a user's file (not found, permission,
a folder where a file should be, disk full) to a :class:`UserMessage` that names the file and,
where there is one, the record, the field and the problem. Anything else is a bug in
Corridor Explorer: :func:`log_unexpected` logs it with its traceback under a short id, and
:func:`unexpected_notice` is what a user is shown instead of the traceback.

The CLI prints ``str(message)`` and exits 2. The app calls :func:`error_notice` for any
error and shows ``notice.summary`` (and ``notice.problems`` as a table); for a bug that is the
short notice with an id, the traceback going to the server log only.
"""

from __future__ import annotations

import errno
import logging
import secrets
from dataclasses import dataclass

from ._errors import (
    ClaimsFileError,
    DataValidationError,
    ExportError,
    InputError,
    NetworkError,
    NoPathError,
    OSMError,
    ProblemListError,
    UnknownPlaceError,
    UnknownRouteError,
)
from ._validate import Problem

#: Errors that are about the user's data or request, never a bug: shown as a message.
USER_ERRORS: tuple[type[BaseException], ...] = (
    ProblemListError,
    InputError,
    UnknownPlaceError,
    UnknownRouteError,
    NoPathError,
    OSMError,
    NetworkError,
    OSError,
    UnicodeError,
)

#: The logger that receives unexpected errors (with their traceback and id).
LOG = logging.getLogger("corridor_explorer")

#: What an OS error means, in words, by ``errno``.
OS_REASONS = {
    errno.ENOENT: "not found",
    errno.EACCES: "permission denied (this user may not read or write it)",
    errno.EPERM: "permission denied (this user may not read or write it)",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EEXIST: "already exists",
}

KINDS = {
    DataValidationError: "data",
    ClaimsFileError: "claims",
    ExportError: "request",
}


@dataclass(frozen=True)
class UserMessage:
    """An error told to a person.

    Attributes
    ----------
    kind
        ``{"data", "claims", "request", "file", "not_found", "network", "unexpected"}``: what
        went wrong ("unexpected": a bug, see :func:`error_notice`).
    summary
        One line; it names the file when one is involved.
    details
        One line per problem (may be empty), each naming file, record, field and problem.
    problems
        The same as rows ``{"file", "record", "field", "value", "problem"}`` for a table;
        empty where the error has no record structure.
    files
        The files named, in order of first mention.
    error_id
        For a bug: the id it was logged under; else "".
    """

    kind: str
    summary: str
    details: tuple[str, ...] = ()
    problems: tuple[dict, ...] = ()
    files: tuple[str, ...] = ()
    error_id: str = ""

    def __str__(self) -> str:
        return "\n".join([self.summary, *(f"  - {line}" for line in self.details)])


def is_user_error(err: BaseException) -> bool:
    """True when ``err`` is about the user's data, files or request (see :data:`USER_ERRORS`)."""
    return isinstance(err, USER_ERRORS)


def user_message(err: BaseException) -> UserMessage | None:
    """The message for a person that ``err`` stands for; None when it is a bug (not a user error).

    Examples
    --------
    >>> user_message(IsADirectoryError(21, "Is a directory", "data/places.csv")).summary
    'data/places.csv: is a folder, not a file'
    """
    if isinstance(err, ProblemListError):
        return _problem_list(err)
    if isinstance(err, OSError):
        return _os_error(err)
    if isinstance(err, UnicodeError):
        return UserMessage("file", f"a file is not UTF-8 text: {err}")
    if isinstance(err, UnknownPlaceError | UnknownRouteError):
        return UserMessage("not_found", _one_line(err))
    if isinstance(err, OSMError | NetworkError):
        return UserMessage("network", _one_line(err))
    if isinstance(err, NoPathError | InputError):
        return UserMessage("request", _one_line(err))
    return None


def _one_line(err: BaseException) -> str:
    return str(err).strip() or type(err).__name__


def _problem_list(err: ProblemListError) -> UserMessage:
    kind = next((k for cls, k in KINDS.items() if isinstance(err, cls)), "data")
    items = list(err.problems)
    rows = tuple(_row(p) for p in items if isinstance(p, Problem))
    files = tuple(dict.fromkeys(r["file"] for r in rows))
    if len(items) == 1:
        return UserMessage(kind, str(items[0]), (), rows, files)
    where = f" in {', '.join(files)}" if files else ""
    noun = {"request": "problems with the request"}.get(kind, f"problems{where}")
    return UserMessage(kind, f"{len(items)} {noun}:", tuple(str(p) for p in items), rows, files)


def _row(problem: Problem) -> dict:
    record = "" if problem.record in ("-", "(file)") else problem.record
    field = "" if problem.field.startswith("(") else problem.field
    return {"file": problem.file, "record": record, "field": field, "value": problem.value,
            "problem": problem.message}


def os_reason(err: OSError) -> str:
    """What an OS error means, in words ("permission denied ...", "is a folder, not a file")."""
    return OS_REASONS.get(err.errno, err.strerror or str(err))


def _os_error(err: OSError) -> UserMessage:
    if err.filename is None:  # our own messages name the file in the text
        return UserMessage("file", _one_line(err))
    name = str(err.filename)
    kind = "not_found" if err.errno == errno.ENOENT else "file"
    return UserMessage(kind, f"{name}: {os_reason(err)}", files=(name,))


def log_unexpected(err: BaseException, *, where: str = "", logger: logging.Logger | None = None) -> str:
    """Log an unexpected error with its traceback under a new short id, and return the id.

    The id goes in what the user sees (:func:`unexpected_notice`), so a report can be matched
    to the server log.
    """
    error_id = secrets.token_hex(4)
    context = f" in {where}" if where else ""
    (logger or LOG).error("unexpected error %s%s: %s: %s", error_id, context, type(err).__name__,
                          err, exc_info=(type(err), err, err.__traceback__))
    return error_id


def unexpected_notice(error_id: str) -> str:
    """The short notice shown for an unexpected error (the details are in the server log)."""
    return (f"Something went wrong inside Corridor Explorer (error id {error_id}). This is not a "
            "problem with your data as far as the tool can tell; the details are in the server "
            "log under this id.")


def error_notice(
    err: BaseException, *, where: str = "", logger: logging.Logger | None = None
) -> UserMessage:
    """What to show for any error: :func:`user_message` for a user error; for anything else
    (a bug) the error is logged with its traceback (:func:`log_unexpected`) and the message is
    the short :func:`unexpected_notice` with its id (kind ``"unexpected"``)."""
    message = user_message(err)
    if message is not None:
        return message
    error_id = log_unexpected(err, where=where, logger=logger)
    return UserMessage("unexpected", unexpected_notice(error_id), error_id=error_id)
