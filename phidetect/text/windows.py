"""Long values read in bounded overlapping windows, spans mapped back.

Some rules cost more than linear in the length of what they read (phonenumbers' matcher
re-slices the text at every candidate; runs of name words), so a 10 MB value read whole
takes minutes. Read in windows of fixed length, the cost is linear in the value's length.
Each window has a core: a span is kept only from the window whose core holds its start,
so a span is reported once, and whole if it is no longer than half the overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from phidetect.text.spans import Span


class Window(NamedTuple):
    """``text[start:end]`` is read; spans starting in ``[core_start, core_end)`` are kept."""

    start: int
    end: int
    core_start: int
    core_end: int


def windows(length: int, size: int, overlap: int) -> Iterator[Window]:
    """The windows covering ``length`` characters; their cores tile it exactly."""
    step, half = size - overlap, overlap // 2
    start = 0
    while True:
        end = min(start + size, length)
        last = end >= length
        yield Window(start, end, 0 if start == 0 else start + half, length if last else start + step + half)
        if last:
            return
        start += step


def analyze_windowed(text: str, analyze: Callable[[str], list[Span]], size: int, overlap: int) -> list[Span]:
    """What ``analyze`` finds in ``text``, read window by window, in the text's offsets."""
    spans: list[Span] = []
    for window in windows(len(text), size, overlap):
        offset = window.start
        for span in analyze(text[window.start:window.end]):
            start = span.start + offset
            if window.core_start <= start < window.core_end:
                spans.append(span._replace(start=start, end=span.end + offset))
    return spans
