"""The recognizer unit and the registry that runs them.

A recognizer has a stable rule id, a phi_type, a base score, optional context words
that raise the score and a validator that rejects look-alikes (the shape of
Presidio's analyzer, kept small). It declares which kinds of text it reads (element
values of a VR class, OCR lines) and, for OCR lines, whether it also reads the
registry's OCR rewrites. Recognizers that only read the text are cached per value,
since the same strings repeat across thousands of files; those that need the file's
own identity values (cross-reference) are not.

Two more kinds of member act on an OCR line's merged spans: a :class:`Suppressor`
drops spans (technical settings), an :class:`AfterMergeRecognizer` adds spans that
depend on what was found (a sex marker beside the patient's name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from phidetect.limits import DEFAULT_LIMITS, ResourceLimits
from phidetect.text.context import has_context
from phidetect.text.merge import merge_spans
from phidetect.text.ocr_rewrites import OcrRewrite
from phidetect.text.spans import Span, clamp
from phidetect.text.windows import analyze_windowed

#: How a value is treated: "free" text (descriptions, comments, private text),
#: "coded" short strings (CS/AE/SH codes), "date" (DA/DT/TM), "name" (PN), "age" (AS),
#: "ocr" a line read from the pixels.
TEXT_KINDS = ("free", "coded", "date", "name", "age", "ocr")
OCR = "ocr"
#: The kinds read by a rule that applies wherever free text is: descriptions and OCR lines.
FREE_TEXT = frozenset({"free", OCR})


class Recognizer:
    """Base class. Subclasses implement :meth:`find`; the registry calls :meth:`analyze`."""

    rule: str = "custom"
    phi_type: str = "OTHER"
    base_score: float = 0.5
    #: Which kinds of text it reads (see TEXT_KINDS).
    kinds: frozenset[str] = frozenset(TEXT_KINDS)
    #: True when the result depends on the file's identity values (not cacheable).
    needs_identity: bool = False
    #: On OCR lines: also read the registry's OCR rewrites (digit look-alikes fixed, glued
    #: words spaced), not only the text as read.
    reads_rewrites: bool = True

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Every rule id its spans may carry (the registry id, unless a member names its
        spans after what they matched, as cross-reference does)."""
        return (self.rule,)

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
    reads_rewrites: bool = True

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


class Suppressor(Recognizer):
    """A member that drops an OCR line's merged spans instead of finding any."""

    kinds = frozenset({OCR})
    reads_rewrites = False

    def find(self, text: str, identity=None) -> Iterable[Span]:
        return ()

    def suppresses(self, text: str, span: Span) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class MergedLine:
    """What an :class:`AfterMergeRecognizer` reads: an OCR line, its merged spans (after
    suppression), and the rule ids that members reading the file's identity gave them."""

    text: str
    spans: tuple[Span, ...]
    identity_rules: frozenset[str]

    def from_identity(self, span: Span) -> bool:
        """Whether a member that reads the header's identity values found ``span``."""
        return any(rule in self.identity_rules for rule in span.rules)


class AfterMergeRecognizer(Recognizer):
    """A member that reads an OCR line's merged spans and adds its own."""

    kinds = frozenset({OCR})
    reads_rewrites = False

    def find(self, text: str, identity=None) -> Iterable[Span]:
        return ()

    def find_after_merge(self, line: MergedLine) -> Iterable[Span]:
        raise NotImplementedError


#: Members of these classes act on merged OCR spans, so they read OCR lines only.
_OCR_STAGES = (Suppressor, AfterMergeRecognizer)


class Registry:
    """An ordered, user-extensible set of recognizers keyed by rule id, and the OCR
    rewrites its members read on OCR lines. ``limits`` says how long a value is read
    whole (longer ones are read in windows, see phidetect.text.windows)."""

    def __init__(self, recognizers: Iterable[Recognizer] = (), rewrites: Iterable[OcrRewrite] = (),
                 limits: ResourceLimits = DEFAULT_LIMITS) -> None:
        self._by_rule: dict[str, Recognizer] = {}
        self.rewrites: tuple[OcrRewrite, ...] = tuple(rewrites)
        self.limits = limits
        self._members: dict[tuple, tuple[Recognizer, ...]] = {}
        #: Counts changes: whoever keeps answers of this registry (the element memo) starts again.
        self.version = 0
        for recognizer in recognizers:
            self.add(recognizer)
        self._cached = lru_cache(maxsize=65536)(self._analyze_static)
        self._cached_long = lru_cache(maxsize=32)(self._windowed_static)

    def __getstate__(self) -> dict:
        # the cache is a function object: processes of a pool get the recognizers, not the cache
        return {"_by_rule": self._by_rule, "rewrites": self.rewrites, "limits": self.limits}

    def __setstate__(self, state: dict) -> None:
        self._by_rule = state["_by_rule"]
        self.rewrites = state.get("rewrites", ())
        self.limits = state.get("limits", DEFAULT_LIMITS)
        self._members = {}
        self.version = 0
        self._cached = lru_cache(maxsize=65536)(self._analyze_static)
        self._cached_long = lru_cache(maxsize=32)(self._windowed_static)

    def add(self, recognizer: Recognizer) -> Registry:
        """Add (or replace, by rule id) a recognizer."""
        if isinstance(recognizer, _OCR_STAGES) and not recognizer.kinds <= {OCR}:
            raise ValueError(f"{recognizer.rule}: suppressors and after-merge members read OCR lines only")
        self._by_rule[recognizer.rule] = recognizer
        self._changed()
        return self

    def remove(self, rule: str) -> Registry:
        """Switch a rule off (by registry id), in element values and OCR lines alike."""
        self._by_rule.pop(rule, None)
        self._changed()
        return self

    def forget(self) -> None:
        """Drop every remembered answer, as a change of the registry does (a benchmark's
        first pass; a long-running notebook that wants its memory back)."""
        self._changed()

    def _changed(self) -> None:
        self._members = {}
        self.version = getattr(self, "version", 0) + 1
        cached = getattr(self, "_cached", None)
        if cached is not None:
            cached.cache_clear()
            self._cached_long.cache_clear()

    @property
    def rules(self) -> list[str]:
        return list(self._by_rule)

    def __iter__(self) -> Iterator[Recognizer]:
        return iter(self._by_rule.values())

    def __getitem__(self, rule: str) -> Recognizer:
        return self._by_rule[rule]

    def __len__(self) -> int:
        return len(self._by_rule)

    def _select(self, kind: str, stage: str, needs_identity: bool | None = None,
                reads_rewrites: bool | None = None) -> tuple[Recognizer, ...]:
        """Members reading ``kind`` in a stage ("find", "suppress", "after_merge"), in
        registry order; worked out once per change of the registry."""
        key = (kind, stage, needs_identity, reads_rewrites)
        members = self._members.get(key)
        if members is None:
            members = tuple(r for r in self._by_rule.values() if kind in r.kinds and _stage(r) == stage
                            and needs_identity in (None, r.needs_identity)
                            and reads_rewrites in (None, r.reads_rewrites))
            self._members[key] = members
        return members

    def _analyze_static(self, text: str, kind: str, rewrite_readers: bool = False) -> tuple[Span, ...]:
        spans: list[Span] = []
        for recognizer in self._select(kind, "find", False, True if rewrite_readers else None):
            spans.extend(recognizer.analyze(text))
        return tuple(spans)

    def analyze(self, text: str, kind: str = "free", identity=None) -> list[Span]:
        """All spans every applicable recognizer finds in ``text`` (not merged); a value
        longer than ``limits.whole_scan_chars`` is read in overlapping windows, so the cost
        stays linear in its length whatever the rules do."""
        if not text or not text.strip():
            return []
        limits = self.limits
        if len(text) <= limits.whole_scan_chars:
            return self._analyze_part(text, kind, identity, self._cached)
        spans = list(self._cached_long(text, kind))  # long values repeat across a sweep too
        if identity is not None:
            spans += self.analyze_identity(text, kind, identity)
        return spans

    def analyze_identity(self, text: str, kind: str, identity) -> list[Span]:
        """What the members that need the file's identity (cross-reference) find in ``text``,
        long values in windows as :meth:`analyze` reads them: analyze(text, kind) plus this
        equals analyze(text, kind, identity), so the part that holds for every file can be
        remembered apart from it."""
        if not text or not text.strip():
            return []
        if len(text) <= self.limits.whole_scan_chars:
            return self._identity_spans(text, kind, identity)
        return analyze_windowed(text, lambda part: self._identity_spans(part, kind, identity),
                                self.limits.window_chars, self.limits.window_overlap)

    def _windowed_static(self, text: str, kind: str) -> tuple[Span, ...]:
        # the windows themselves bypass the per-value cache: a long value would fill it with its pieces
        return tuple(analyze_windowed(text, lambda part: list(self._analyze_static(part, kind)),
                                      self.limits.window_chars, self.limits.window_overlap))

    def _identity_spans(self, text: str, kind: str, identity) -> list[Span]:
        spans: list[Span] = []
        for recognizer in self._select(kind, "find", True):
            spans.extend(recognizer.analyze(text, identity))
        return spans

    def _analyze_part(self, text: str, kind: str, identity,
                      static: Callable[[str, str], tuple[Span, ...]]) -> list[Span]:
        spans = list(static(text, kind))
        if identity is not None:
            spans += self._identity_spans(text, kind, identity)
        return spans

    def _read_rewritable(self, text: str, identity, identity_rules: set[str]) -> list[Span]:
        """Spans of the OCR members that read rewrites, in ``text`` (as read or rewritten)."""
        spans = list(self._cached(text, OCR, True))
        if identity is not None:
            for recognizer in self._select(OCR, "find", True, True):
                found = recognizer.analyze(text, identity)
                identity_rules.update(s.rule for s in found)
                spans += found
        return spans

    def analyze_ocr(self, text: str, identity=None) -> list[Span]:
        """PHI spans in one OCR line, merged: the members that read rewrites on the text as
        read and on each distinct rewrite (spans mapped back), then the others on the text
        as read, in registry order; merged; suppressors drop spans; after-merge members add
        theirs and the result is merged again."""
        if not text or not text.strip():
            return []
        identity_rules: set[str] = set()
        spans = self._read_rewritable(text, identity, identity_rules)
        seen = {text}
        for rewrite in self.rewrites:
            rewritten = rewrite.function(text)
            if rewritten not in seen:
                seen.add(rewritten)
                spans += rewrite.spans_back(self._read_rewritable(rewritten, identity, identity_rules), text)
        for recognizer in self._select(OCR, "find", reads_rewrites=False):
            if not recognizer.needs_identity:
                spans += recognizer.analyze(text)
            elif identity is not None:
                found = recognizer.analyze(text, identity)
                identity_rules.update(s.rule for s in found)
                spans += found
        merged = merge_spans(spans, text)
        suppressors = self._select(OCR, "suppress")
        if suppressors:
            merged = [s for s in merged if not any(p.suppresses(text, s) for p in suppressors)]
        line = MergedLine(text, tuple(merged), frozenset(identity_rules))
        for recognizer in self._select(OCR, "after_merge"):
            merged += recognizer.find_after_merge(line)
        return merge_spans(merged, text)


def _stage(recognizer: Recognizer) -> str:
    if isinstance(recognizer, Suppressor):
        return "suppress"
    return "after_merge" if isinstance(recognizer, AfterMergeRecognizer) else "find"
