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


def merge_spans(spans: list[Span], text: str) -> list[Span]:
    """Overlapping spans (and adjacent parts of one name) merged, sorted by start."""
    if len(spans) < 2:
        return list(spans)
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    groups: list[list[Span]] = [[ordered[0]]]
    group_end = ordered[0].end
    for span in ordered[1:]:
        last = groups[-1]
        if _joinable(group_end, _phi_type(last), span, text):
            last.append(span)
            group_end = max(group_end, span.end)
        else:
            groups.append([span])
            group_end = span.end
    return [_combine(g) for g in groups]
