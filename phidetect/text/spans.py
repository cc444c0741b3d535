"""A span of PHI inside one text value, as recognizers report it."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """``text[start:end]`` is PHI of ``phi_type``; ``score`` in 0..1; ``rule`` the stable rule id."""

    start: int
    end: int
    phi_type: str
    score: float
    rule: str

    # a NamedTuple: millions are made in a large sweep, and tuples are the cheapest to build

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def clamp(score: float) -> float:
    return max(0.0, min(1.0, round(score, 4)))
