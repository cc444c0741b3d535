"""Several rules, one finding: overlapping spans become one, with the best score and
every rule that fired in ``rules`` (``("crossref.patient_name", "pattern.name")``)."""

from __future__ import annotations

import re

from phidetect.text.spans import Span

#: Name words split by spaces, a comma or a caret belong to one name ("DOE, JOHN").
_NAME_GAP = re.compile(r"[\s,^.]{0,3}")


#: How much less sure a wider span may be and still give the merged finding its phi_type.
TYPE_MARGIN = 0.25


def _joinable(group_end: int, group_type: str, b: Span, text: str) -> bool:
    if b.start < group_end:
        return True
    return (group_type == b.phi_type == "NAME" and b.start - group_end <= 3
            and _NAME_GAP.fullmatch(text[group_end:b.start]) is not None)


def _phi_type(group: list[Span]) -> str:
    """The phi_type of the widest span among those nearly as sure as the best ("AGMC Sports
    Medicine" is an institution even where "AGMC" is also someone's name part; a weak code
    match never renames a date)."""
    if len(group) == 1:
        return group[0].phi_type
    best = max(group, key=lambda s: s.score)
    close = [s for s in group if s.score >= best.score - TYPE_MARGIN]
    return max(close, key=lambda s: (s.end - s.start, s.score)).phi_type


def _combine(group: list[Span]) -> Span:
    """One span: the union, the best score, every rule (surest first, each once)."""
    if len(group) == 1:
        return group[0]
    best = max(group, key=lambda s: s.score)
    rules: list[str] = []
    for span in sorted(group, key=lambda s: -s.score):
        for rule in span.rules:
            if rule not in rules:
                rules.append(rule)
    return Span(min(s.start for s in group), max(s.end for s in group),
                _phi_type(group), best.score, rules[0], tuple(rules[1:]))


class _GroupType:
    """:func:`_phi_type` of a growing group, kept up to date span by span: recomputing it
    over the group at every span made merging a run of 100,000 name words quadratic."""

    def __init__(self, span: Span) -> None:
        self.group = [span]
        self.best = span.score
        self.widest = span  # widest (then surest) span with a score close to the best

    @staticmethod
    def _wider(a: Span, b: Span) -> bool:
        return (b.end - b.start, b.score) > (a.end - a.start, a.score)

    def add(self, span: Span) -> None:
        self.group.append(span)
        if span.score > self.best:  # the close set shrinks: recompute (rare: scores are few)
            self.best = span.score
            close = [s for s in self.group if s.score >= self.best - TYPE_MARGIN]
            self.widest = max(close, key=lambda s: (s.end - s.start, s.score))
        elif span.score >= self.best - TYPE_MARGIN and self._wider(self.widest, span):
            self.widest = span

    @property
    def phi_type(self) -> str:
        return self.widest.phi_type


def merge_spans(spans: list[Span], text: str) -> list[Span]:
    """Overlapping spans (and adjacent parts of one name) merged, sorted by start."""
    if len(spans) < 2:
        return list(spans)
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    groups = [_GroupType(ordered[0])]
    group_end = ordered[0].end
    for span in ordered[1:]:
        last = groups[-1]
        if _joinable(group_end, last.phi_type, span, text):
            last.add(span)
            group_end = max(group_end, span.end)
        else:
            groups.append(_GroupType(span))
            group_end = span.end
    return [_combine(g.group) for g in groups]
