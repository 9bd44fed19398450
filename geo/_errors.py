"""Exception classes. Each names the kind of failure; the message names file, record and value."""

from __future__ import annotations


class DataValidationError(ValueError):
    """A data file breaks the schema; the message lists every problem found, one per line."""

    def __init__(self, problems: list) -> None:
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the data:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class UnknownPlaceError(ValueError):
    """A place name or id matches nothing in the places data."""


class UnknownRouteError(ValueError):
    """A route id matches nothing in the routes data."""


class NoPathError(ValueError):
    """No path links two places under the given constraints."""


class ClaimsFileError(ValueError):
    """A claims file does not match the schema."""


class ExportError(ValueError):
    """An export or snapshot cannot be written as asked."""


class OSMError(RuntimeError):
    """An OpenStreetMap import or refresh failed; cached data is unchanged."""
