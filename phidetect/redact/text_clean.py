"""Removing detected PHI spans from a kept free-text value, keeping the rest of the text.

Offsets are those of the findings table: the element's value as one string with
multiple values joined by a backslash. Separators stay, so a multi-valued element keeps
its number of values; the spaces a removed word leaves behind are tidied.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t]{2,}")


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, sorted."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the characters in ``spans``; backslashes inside a span survive and
    only the values a span touched are tidied (the others stay exactly as they were)."""
    spans = merge([(max(0, s), min(len(text), e)) for s, e in spans if e > s])
    values: list[str] = []
    offset = 0
    for value in text.split("\\"):
        end = offset + len(value)
        local = [(max(s, offset) - offset, min(e, end) - offset) for s, e in spans if s < end and e > offset]
        if local:
            kept = "".join(value[a:b] for a, b in _gaps(local, len(value)))
            value = _tidy(kept)
        values.append(value)
        offset = end + 1
    return "\\".join(values)


def _gaps(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The stretches of 0..length that no span covers."""
    gaps, position = [], 0
    for start, end in spans:
        if start > position:
            gaps.append((position, start))
        position = max(position, end)
    if position < length:
        gaps.append((position, length))
    return gaps


def _tidy(value: str) -> str:
    value = _SPACES.sub(" ", value)
    value = re.sub(r"\s+([,.;:)])", r"\1", value)
    return value.strip(" ,;:-^")
