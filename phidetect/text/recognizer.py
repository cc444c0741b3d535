"""The recognizer unit and the registry that runs them.

A recognizer has a stable rule id, a phi_type, a base score, optional context words
that raise the score and a validator that rejects look-alikes (the shape of
Presidio's analyzer, kept small). Recognizers that only read the text are cached
per value, since the same strings repeat across thousands of files; those that need
the file's own identity values (cross-reference) are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from phidetect.text.context import has_context
from phidetect.text.spans import Span, clamp

#: How a value is treated: "free" text (descriptions, comments, private text),
#: "coded" short strings (CS/AE/SH codes), "date" (DA/DT/TM), "name" (PN), "age" (AS).
TEXT_KINDS = ("free", "coded", "date", "name", "age")


class Recognizer:
    """Base class. Subclasses implement :meth:`find`; the registry calls :meth:`analyze`."""

    rule: str = "custom"
    phi_type: str = "OTHER"
    base_score: float = 0.5
    #: Which kinds of value it reads (see TEXT_KINDS).
    kinds: frozenset[str] = frozenset(TEXT_KINDS)
    #: True when the result depends on the file's identity values (not cacheable).
    needs_identity: bool = False

    def find(self, text: str, identity=None) -> Iterable[Span]:
        raise NotImplementedError

    def analyze(self, text: str, identity=None) -> list[Span]:
        return list(self.find(text, identity))


@dataclass
class PatternRecognizer(Recognizer):
    """Regular expressions with a base score, context words and a validator.

    ``validator(match) -> bool`` rejects look-alikes; ``context_words`` within
    ``context_window`` characters before a match add ``context_boost`` to its score;
    ``requires_context`` drops matches that have no such cue.
    """

    rule: str = "pattern.custom"
    phi_type: str = "OTHER"
    patterns: tuple[str, ...] = ()
    base_score: float = 0.5
    context_words: tuple[str, ...] = ()
    context_boost: float = 0.2
    context_window: int = 32
    requires_context: bool = False
    validator: Callable[[re.Match[str]], bool] | None = None
    group: str | int = 0
    flags: int = re.IGNORECASE
    kinds: frozenset[str] = field(default_factory=lambda: frozenset(TEXT_KINDS))
    needs_identity: bool = False

    def __post_init__(self) -> None:
        self._compiled = [re.compile(p, self.flags) for p in self.patterns]

    def find(self, text: str, identity=None) -> Iterator[Span]:
        for pattern in self._compiled:
            for match in pattern.finditer(text):
                if self.validator is not None and not self.validator(match):
                    continue
                start, end = match.span(self.group)
                cued = has_context(text, start, end, self.context_words, self.context_window)
                if self.requires_context and not cued:
                    continue
                score = self.base_score + (self.context_boost if cued else 0.0)
                yield Span(start, end, self.phi_type, clamp(score), self.rule)


class Registry:
    """An ordered, user-extensible set of recognizers keyed by rule id."""

    def __init__(self, recognizers: Iterable[Recognizer] = ()) -> None:
        self._by_rule: dict[str, Recognizer] = {}
        for recognizer in recognizers:
            self.add(recognizer)
        self._cached = lru_cache(maxsize=65536)(self._analyze_static)

    def __getstate__(self) -> dict:
        # the cache is a function object: processes of a pool get the recognizers, not the cache
        return {"_by_rule": self._by_rule}

    def __setstate__(self, state: dict) -> None:
        self._by_rule = state["_by_rule"]
        self._cached = lru_cache(maxsize=65536)(self._analyze_static)

    def add(self, recognizer: Recognizer) -> Registry:
        """Add (or replace, by rule id) a recognizer."""
        self._by_rule[recognizer.rule] = recognizer
        self._cached_clear()
        return self

    def remove(self, rule: str) -> Registry:
        self._by_rule.pop(rule, None)
        self._cached_clear()
        return self

    def _cached_clear(self) -> None:
        cached = getattr(self, "_cached", None)
        if cached is not None:
            cached.cache_clear()

    @property
    def rules(self) -> list[str]:
        return list(self._by_rule)

    def __iter__(self) -> Iterator[Recognizer]:
        return iter(self._by_rule.values())

    def __getitem__(self, rule: str) -> Recognizer:
        return self._by_rule[rule]

    def __len__(self) -> int:
        return len(self._by_rule)

    def _analyze_static(self, text: str, kind: str) -> tuple[Span, ...]:
        spans: list[Span] = []
        for recognizer in self._by_rule.values():
            if not recognizer.needs_identity and kind in recognizer.kinds:
                spans.extend(recognizer.analyze(text))
        return tuple(spans)

    def analyze(self, text: str, kind: str = "free", identity=None) -> list[Span]:
        """All spans every applicable recognizer finds in ``text`` (not merged)."""
        if not text or not text.strip():
            return []
        spans = list(self._cached(text, kind))
        if identity is not None:
            for recognizer in self._by_rule.values():
                if recognizer.needs_identity and kind in recognizer.kinds:
                    spans.extend(recognizer.analyze(text, identity))
        return spans
