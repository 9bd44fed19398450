"""Exception classes. Each names the kind of failure; the message names file, record and value."""

from __future__ import annotations


class ProblemListError(ValueError):
    """Several problems found in one pass; ``problems`` holds them, the message lists them.

    Raised with one text it is that text; raised with a list, the message is a heading
    (``heading``, with the count) and one line per problem; a list of one is shown bare where
    ``bare_single`` is set.
    """

    heading = "{n} problem(s):"
    bare_single = False

    def __init__(self, problems: str | list) -> None:
        if isinstance(problems, str) or (self.bare_single and len(problems) == 1):
            self.problems: list = [problems] if isinstance(problems, str) else list(problems)
            super().__init__(str(self.problems[0]))
            return
        self.problems = list(problems)
        lines = [self.heading.format(n=len(self.problems))]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class DataValidationError(ProblemListError):
    """A data file breaks the schema; the message lists every problem found, one per line."""

    heading = "{n} problem(s) in the data:"


class ClaimsFileError(ProblemListError):
    """A claims file does not match the schema, or cannot be written as asked."""

    heading = "{n} problem(s) in claims data:"


class ExportError(ProblemListError):
    """An export or snapshot cannot be written as asked."""

    heading = "{n} problems with the request:"
    bare_single = True


class NothingToExport(ExportError):
    """The request is valid but selects no rows of the dataset asked for (e.g. a timeline of
    routes whose sections have no dated changes)."""


class InputError(ValueError):
    """A value given on the command line or in a form is not valid (a date, a size ...)."""


class UnknownPlaceError(ValueError):
    """A place name or id matches nothing in the places data."""


class UnknownRouteError(ValueError):
    """A route id matches nothing in the routes data."""


class NoPathError(ValueError):
    """No path links two places under the given constraints."""


class ClaimCheckWarning(UserWarning):
    """A claim's check gives a verdict but is not tied to what the claim asserts."""


class OSMError(RuntimeError):
    """An OpenStreetMap import or refresh failed; cached data is unchanged."""


class ScenarioError(ProblemListError):
    """Scenario overrides name an unknown assumption or give values that do not fit."""

    heading = "{n} problem(s) with the scenario:"


class NetworkError(RuntimeError):
    """A network call failed or ran past its total deadline; nothing on disk was changed."""


class Terminated(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM); raised like Ctrl-C so clean-up code runs."""


class DataWarning(UserWarning):
    """Something in a data file is ignored or missing but the data can still be used."""
