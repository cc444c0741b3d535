"""Context words: a cue such as "MRN" or "Dr." just before a match raises its score."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _cue_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z])", re.IGNORECASE)


def has_context(text: str, start: int, end: int, words: tuple[str, ...],
                before: int = 32, after: int = 0) -> bool:
    """True when one of ``words`` stands within ``before`` characters ahead of the span
    (or ``after`` characters behind it). Case-insensitive, whole words only."""
    if not words:
        return False
    window = text[max(0, start - before):start]
    if after:
        window += " " + text[end:end + after]
    return _cue_pattern(words).search(window) is not None
