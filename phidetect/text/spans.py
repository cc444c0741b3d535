"""A span of PHI inside one text value, as recognizers report it, and the one codec that
writes its rule ids into a table's ``rule`` column and reads them back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

#: How a table's ``rule`` column joins several rule ids (the findings schema fixes it).
RULE_SEPARATOR = "+"


class Span(NamedTuple):
    """``text[start:end]`` is PHI of ``phi_type``; ``score`` in 0..1; ``rule`` the stable rule id
    (of the surest rule, where several found it), ``other_rules`` the ids of the others."""

    start: int
    end: int
    phi_type: str
    score: float
    rule: str
    other_rules: tuple[str, ...] = ()

    # a NamedTuple: millions are made in a large sweep, and tuples are the cheapest to build

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule id that found this span, the surest first."""
        return (self.rule, *self.other_rules) if self.other_rules else (self.rule,)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def join_rules(rules: Iterable[str]) -> str:
    """Rule ids as a table's ``rule`` column writes them: ``crossref.patient_name+pattern.name``."""
    return RULE_SEPARATOR.join(rules)


def split_rules(column: str) -> tuple[str, ...]:
    """A table's ``rule`` value back into rule ids (:func:`join_rules` undone); "" gives ()."""
    return tuple(column.split(RULE_SEPARATOR)) if column else ()


def clamp(score: float) -> float:
    return max(0.0, min(1.0, round(score, 4)))
