"""Cross-reference: the file's own identity values sought in every other text value.

The header says who the patient is; the same name, ID, birth date or hospital typed
into a description, a comment or a private tag is PHI for certain. Matching is
case-insensitive and format-aware: name parts in any order ("DOE^JOHN", "John Doe",
"DOE, JOHN", "J. Doe"), dates in any written format, IDs as whole tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

from phidetect.text.dates import find_dates
from phidetect.text.folding import fold
from phidetect.text.name_lexicon import lexicon
from phidetect.text.recognizer import Recognizer
from phidetect.text.spans import Span

#: Name parts this short, or these honorifics, are never sought on their own.
_SKIP_PARTS = {"mr", "mrs", "ms", "dr", "md", "jr", "sr", "ii", "iii", "iv", "phd", "rn", "do"}
_WORD = re.compile(r"(?<![^\W_])[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*(?![^\W_])", re.UNICODE)
#: Two-letter Latin name parts (Li, Wu) collide with codes (CT, MD, OB): sought from three
#: letters. Names in other scripts (山田, 김희중) are sought at any length above one.
MIN_NAME_PART = 3
#: The rule ids cross-reference spans carry: which identity value they matched (the names
#: and ID rule ids come with the Identity, as phidetect.dicom.identity assigns them).
CROSSREF_RULES = ("crossref.patient_name", "crossref.person_name", "crossref.patient_id",
                  "crossref.accession_number", "crossref.other_id", "crossref.birth_date", "crossref.institution")
_Derived = TypeVar("_Derived")


@dataclass(frozen=True)
class PersonName:
    """One person's name split into parts (lowercase), and the rule id its matches carry.

    ``weak`` parts are words that are also imaging vocabulary or two-letter codes
    (STONE, COLON, LI): they count only right beside a strong part ("Lisa Stone"),
    so a phantom called "Pancreas" does not flag every description."""

    parts: tuple[str, ...]
    rule: str
    weak: tuple[str, ...] = ()

    @classmethod
    def from_parts(cls, parts: list[str], rule: str) -> PersonName | None:
        words = []
        for part in parts:
            words.extend(w.lower() for w in _WORD.findall(part or ""))
        generic = lexicon().not_names
        words = [w for w in words if (len(w) > 1 or not w.isascii()) and w not in _SKIP_PARTS]
        strong = tuple(w for w in words if (len(w) >= MIN_NAME_PART or not w.isascii() and len(w) > 1)
                       and w not in generic)
        weak = tuple(w for w in words if w not in strong)
        return cls(strong, rule, weak) if strong or weak else None


@dataclass
class Identity:
    """The identity values of one file, taken from its header (see dicom.identity)."""

    names: list[PersonName] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # value -> rule id
    birth_dates: set[date] = field(default_factory=set)
    institutions: list[str] = field(default_factory=list)
    #: tag_paths the values came from: an element is not cross-referenced with itself
    sources: set[str] = field(default_factory=set)
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, build: Callable[[Identity], _Derived]) -> _Derived:
        """``build(self)``, made once per Identity object (an index a recognizer keeps of the
        values, used for every line of the file)."""
        value = self._derived.get(build)
        if value is None:
            value = self._derived[build] = build(self)
        return value

    @cached_property
    def ids_only(self) -> Identity:
        """The same file's IDs alone: coded values (CS, AE) can hold an ID, never a name."""
        return Identity(ids=self.ids, sources=self.sources)

    def key(self) -> tuple:
        """The values as one hashable key: files of one series share it."""
        return (tuple(self.names), tuple(self.ids.items()), frozenset(self.birth_dates),
                tuple(self.institutions), frozenset(self.sources))

    def is_empty(self) -> bool:
        return not (self.names or self.ids or self.birth_dates or self.institutions)

    @cached_property
    def matcher(self) -> _Matcher:
        return _Matcher.build(self)


MIN_ID_LENGTH = 4
_INITIAL_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z])\.\s?$")
_NAME_GAP = re.compile(r"[\s,^.]{0,3}")
_NON_SPACE = re.compile(r"\S+")


@dataclass
class _Matcher:
    """One file's identity values compiled once, then run over each of its text values."""

    strong: dict[str, str]
    weak: dict[str, str]
    fuzzy: list[tuple[str, str]]
    scripts: dict[str, str]
    initials: set[str]
    id_rules: dict[str, str]  # lowercase ID -> rule id
    institutions: list[str]  # lowercase names

    @classmethod
    def build(cls, identity: Identity) -> _Matcher:
        strong: dict[str, str] = {}
        weak: dict[str, str] = {}
        english = lexicon().english
        for name in identity.names:  # patients' names come first and keep their rule id
            for part in name.parts:
                strong.setdefault(part, name.rule)
                folded = fold(part)  # "dorschner" for DÖRSCHNER; but "the" for Thế is a word: weak
                (weak if folded != part and folded in english else strong).setdefault(folded, name.rule)
            for part in name.weak:
                weak.setdefault(part, name.rule)
                weak.setdefault(fold(part), name.rule)
        ids = {v: r for v, r in identity.ids.items() if len(v) >= MIN_ID_LENGTH}
        institutions = [fold(" ".join(i.lower().split())) for i in identity.institutions if len(i) >= MIN_ID_LENGTH]
        return cls(
            strong=strong, weak=weak,
            fuzzy=[(p, r) for p, r in strong.items() if len(p) >= 6 and p.isascii()],
            scripts={p: r for p, r in strong.items() if not p.isascii()},
            initials={p[0] for p in [*strong, *weak]},
            id_rules={v.lower(): r for v, r in ids.items()},
            institutions=institutions,
        )

    def _strong_rule(self, word: str) -> str | None:
        rule = self.strong.get(word)
        if rule is None and len(word) >= 5:
            for part, part_rule in self.fuzzy:  # one edit: a typo or an OCR slip
                if abs(len(part) - len(word)) <= 1 and Levenshtein.distance(part, word, score_cutoff=1) <= 1:
                    return part_rule
        return rule

    def could_hold_a_name(self, lower: str) -> bool:
        """Cheap test before tokenising: a part, or for a fuzzy match (one edit) the first or
        last three letters of a long part, must occur in the text."""
        return any(p in lower for p in self.strong) or any(
            p[:3] in lower or p[-3:] in lower for p, _ in self.fuzzy)

    def name_spans(self, text: str) -> Iterator[Span]:
        lower = text.lower()
        if not (self.could_hold_a_name(fold(lower)) or self.could_hold_a_name(lower)):
            return
        typed = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
        words = [(start, end, fold(lower)) for start, end, lower in typed]
        # a word written with the name's own accents ("LÓPEZ" for López) is the name, even
        # where its folded form is also an English word ("lopez", "clement"): weak only unaccented
        rules = [(self.strong.get(lower) or self._strong_rule(w)) if len(w) > 1 else None
                 for (_, _, lower), (_, _, w) in zip(typed, words, strict=True)]
        for index, (start, end, word) in enumerate(words):
            rule = rules[index]
            if rule is None and word in self.weak and self._beside_strong(text, words, rules, index):
                rule = self.weak[word]
            if rule is None:
                continue
            initial = _INITIAL_BEFORE.search(text[max(0, start - 4):start])
            if initial and initial.group(1).lower() in self.initials:
                start -= len(initial.group(0))
            yield Span(start, end, "NAME", 0.95, rule)
        single = {p for p in self.weak if len(p) == 1}  # one-character surnames: 王, 李
        for part, rule in self.scripts.items():  # scripts written without spaces (山田太郎様)
            for start in _starts(text, part):  # str.find: a regex per part would be compiled per file
                end = start + len(part)
                while start > 0 and text[start - 1] in single:
                    start -= 1
                while end < len(text) and text[end] in single:
                    end += 1
                yield Span(start, end, "NAME", 0.95, rule)

    @staticmethod
    def _beside_strong(text: str, words: list, rules: list, index: int) -> bool:
        for other in (index - 1, index + 1):
            if 0 <= other < len(words) and rules[other] is not None:
                left, right = sorted((words[index], words[other]))
                if _NAME_GAP.fullmatch(text[left[1]:right[0]]):
                    return True
        return False


def _starts(text: str, value: str) -> Iterator[int]:
    """Every offset where ``value`` occurs in ``text`` (overlapping ones included)."""
    start = text.find(value)
    while start != -1:
        yield start
        start = text.find(value, start + 1)


def whole_token_starts(text: str, value: str, touching: Callable[[str], bool] = str.isalnum) -> Iterator[int]:
    """Offsets where ``value`` stands in ``text`` with no ``touching`` character (a letter
    or digit) beside it."""
    for start in _starts(text, value):
        end = start + len(value)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (touching(before) or touching(after)):
            yield start


def _is_word_char(char: str) -> bool:
    """What regular expressions call a word character (letters, digits, underscore)."""
    return char.isalnum() or char == "_"


def _collapsed_offsets(text: str) -> list[int]:
    """For each character of ``" ".join(text.split())``, its offset in ``text``: a name
    found with its spaces collapsed is reported where it stands."""
    offsets: list[int] = []
    for word in _NON_SPACE.finditer(text):
        if offsets:
            offsets.append(word.start() - 1)  # the collapsed space stands for the gap
        offsets.extend(range(word.start(), word.end()))
    return offsets


class CrossReferenceRecognizer(Recognizer):
    """crossref.*: this file's names, IDs, birth date and institution in any other value."""

    rule = "crossref"
    phi_type = "OTHER"
    needs_identity = True
    kinds = frozenset({"free", "coded", "name", "date", "ocr"})
    rule_ids = CROSSREF_RULES

    def find(self, text: str, identity: Identity | None = None) -> Iterator[Span]:
        if identity is None or identity.is_empty():
            return
        matcher = identity.matcher
        yield from matcher.name_spans(text)
        lower = text.lower()
        for value, rule in matcher.id_rules.items():
            for start in whole_token_starts(lower, value):
                yield Span(start, start + len(value), "ID", 0.95, rule)
        if matcher.institutions:
            lower = fold(lower)  # "Szpital Miejski Zagan" for Żagań
            folded = " ".join(lower.split())
            offsets: list[int] | None = None
            for institution in matcher.institutions:
                if institution not in folded:
                    continue
                if offsets is None:
                    offsets = _collapsed_offsets(lower)
                for start in whole_token_starts(folded, institution, _is_word_char):
                    end = start + len(institution)
                    yield Span(offsets[start], offsets[end - 1] + 1, "INSTITUTION", 0.9, "crossref.institution")
        if identity.birth_dates and any(ch.isdigit() for ch in text):
            for found in find_dates(text):
                if found.value in identity.birth_dates:
                    yield Span(found.start, found.end, "DATE", 0.97, "crossref.birth_date")
