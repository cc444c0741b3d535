"""A span of PHI inside one text value, as recognizers report it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """``text[start:end]`` is PHI of ``phi_type``; ``score`` in 0..1; ``rule`` the stable rule id."""

    start: int
    end: int
    phi_type: str
    score: float
    rule: str

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def clamp(score: float) -> float:
    return max(0.0, min(1.0, round(score, 4)))
