"""Cross-reference: the file's own identity values sought in every other text value.

The header says who the patient is; the same name, ID, birth date or hospital typed
into a description, a comment or a private tag is PHI for certain. Matching is
case-insensitive and format-aware: name parts in any order ("DOE^JOHN", "John Doe",
"DOE, JOHN", "J. Doe"), dates in any written format, IDs as whole tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import Levenshtein

from phidetect.text.dates import find_dates
from phidetect.text.names import lexicon
from phidetect.text.recognizer import Recognizer
from phidetect.text.spans import Span

#: Name parts this short, or these honorifics, are never sought on their own.
_SKIP_PARTS = {"mr", "mrs", "ms", "dr", "md", "jr", "sr", "ii", "iii", "iv", "phd", "rn", "do"}
_WORD = re.compile(r"(?<![^\W_])[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*(?![^\W_])", re.UNICODE)
#: Two-letter Latin name parts (Li, Wu) collide with codes (CT, MD, OB): sought from three
#: letters. Names in other scripts (山田, 김희중) are sought at any length above one.
MIN_NAME_PART = 3


@dataclass(frozen=True)
class PersonName:
    """One person's name, split into its parts, and the rule id its matches carry."""

    parts: tuple[str, ...]  # family, given, middle, ... (lowercase)
    rule: str

    @classmethod
    def from_parts(cls, parts: list[str], rule: str) -> PersonName | None:
        words = []
        for part in parts:
            words.extend(w.lower() for w in _WORD.findall(part or ""))
        generic = lexicon().not_names
        kept = tuple(w for w in words if (len(w) >= MIN_NAME_PART or not w.isascii())
                     and w not in _SKIP_PARTS and w not in generic)
        return cls(kept, rule) if kept else None


@dataclass
class Identity:
    """The identity values of one file, taken from its header (see dicom.identity)."""

    names: list[PersonName] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # value -> rule id
    birth_dates: set[date] = field(default_factory=set)
    institutions: list[str] = field(default_factory=list)
    #: tag_paths the values came from: an element is not cross-referenced with itself
    sources: set[str] = field(default_factory=set)

    def ids_only(self) -> Identity:
        """The same file's IDs alone: coded values (CS, AE) can hold an ID, never a name."""
        return Identity(ids=self.ids, sources=self.sources)

    def is_empty(self) -> bool:
        return not (self.names or self.ids or self.birth_dates or self.institutions)


def _name_spans(text: str, name: PersonName) -> Iterator[Span]:
    """Each word of ``text`` equal to a name part (one edit allowed for parts of 6+ letters);
    an initial right before a matched part is taken in ("J. Doe")."""
    initials = {p[0] for p in name.parts}
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if len(word) < 2:
            continue
        hit = word in name.parts or any(
            len(part) >= 6 and abs(len(part) - len(word)) <= 1 and Levenshtein.distance(part, word) <= 1
            for part in name.parts)
        if not hit:
            continue
        start = match.start()
        before = text[max(0, start - 3):start]
        initial = re.fullmatch(r"([A-Za-z])\.\s?", before[-3:]) or re.fullmatch(r"([A-Za-z])\.", before[-2:])
        if initial and initial.group(1).lower() in initials:
            start -= len(initial.group(0))
        yield Span(start, match.end(), "NAME", 0.95, name.rule)
    # scripts written without spaces (山田太郎様): a part is found anywhere in the text
    for part in name.parts:
        if part.isascii():
            continue
        for match in re.finditer(re.escape(part), text):
            yield Span(match.start(), match.end(), "NAME", 0.95, name.rule)


def _token_spans(text: str, value: str, phi_type: str, rule: str, score: float) -> Iterator[Span]:
    pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(value) + r"(?![A-Za-z0-9])", re.IGNORECASE)
    for match in pattern.finditer(text):
        yield Span(match.start(), match.end(), phi_type, score, rule)


class CrossReferenceRecognizer(Recognizer):
    """crossref.*: this file's names, IDs, birth date and institution in any other value."""

    rule = "crossref"
    phi_type = "OTHER"
    needs_identity = True
    kinds = frozenset({"free", "coded", "name", "date"})
    min_id_length = 4

    def find(self, text: str, identity: Identity | None = None) -> Iterator[Span]:
        if identity is None or identity.is_empty():
            return
        for name in identity.names:
            yield from _name_spans(text, name)
        for value, rule in identity.ids.items():
            if len(value) >= self.min_id_length:
                yield from _token_spans(text, value, "ID", rule, 0.95)
        for institution in identity.institutions:
            if len(institution) >= self.min_id_length:
                flexible = r"\s+".join(re.escape(w) for w in institution.split())
                for match in re.finditer(rf"(?<!\w){flexible}(?!\w)", text, re.IGNORECASE):
                    yield Span(match.start(), match.end(), "INSTITUTION", 0.9, "crossref.institution")
        if identity.birth_dates and any(ch.isdigit() for ch in text):
            for found in find_dates(text):
                if found.value in identity.birth_dates:
                    yield Span(found.start, found.end, "DATE", 0.97, "crossref.birth_date")
