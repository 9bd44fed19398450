"""Low, central and high values and their arithmetic.

A :class:`Range` holds three numbers with ``low <= central <= high``. Sums add bound to bound
and central to central (interval arithmetic), so the low of a route's time puts every
assumption at its favourable end at once and the high every one at its unfavourable end: the
range is what the published figures allow, not a confidence interval.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ZERO", "Range"]


@dataclass(frozen=True)
class Range:
    """Three values, ``low <= central <= high``; ``+`` adds ranges, ``*`` scales by k >= 0."""

    low: float
    central: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.central <= self.high:
            msg = f"a range needs low <= central <= high, not {self.low}, {self.central}, {self.high}"
            raise ValueError(msg)

    @classmethod
    def point(cls, value: float) -> Range:
        """A range with no spread: low, central and high all ``value``."""
        return cls(value, value, value)

    def __add__(self, other: Range) -> Range:
        if not isinstance(other, Range):
            return NotImplemented
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def __mul__(self, k: float) -> Range:
        if isinstance(k, Range) or k < 0:
            msg = f"a range can only be scaled by a number >= 0, not {k!r}"
            raise ValueError(msg)
        return Range(self.low * k, self.central * k, self.high * k)

    __rmul__ = __mul__

    def reciprocal(self) -> Range:
        """1/x of a range of positive values: hours per km from a range of speeds.

        The low of the result comes from the high of the range and the other way round.
        """
        if self.low <= 0:
            msg = f"the reciprocal needs positive values, not a low of {self.low}"
            raise ValueError(msg)
        return Range(1.0 / self.high, 1.0 / self.central, 1.0 / self.low)

    def bounds(self) -> list[float]:
        """``[low, high]``, as the ``*_range`` keys of the metrics hold them."""
        return [self.low, self.high]

    def contains(self, value: float) -> bool:
        """Whether ``low <= value <= high``."""
        return self.low <= value <= self.high


ZERO = Range(0.0, 0.0, 0.0)
