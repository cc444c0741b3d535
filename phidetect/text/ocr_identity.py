"""The header's own identity values sought in OCR text with OCR's typical slips forgiven:
O/0, I/1/l, S/5, B/8, dropped punctuation and spaces, words cut at the image edge
("PATIENTFI"). Its spans carry the crossref.* rule ids of the header's cross-reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from phidetect.text.crossref import CROSSREF_RULES, Identity
from phidetect.text.dates import find_dates
from phidetect.text.folding import fold
from phidetect.text.institutions import KIND_OF_PLACE_WORDS
from phidetect.text.ocr_rewrites import OCR_TOKEN, TO_DIGITS, TO_LETTERS, digits_normalised
from phidetect.text.recognizer import OCR, Recognizer
from phidetect.text.spans import Span

MIN_PREFIX = 5  # a name cut at the image edge still has at least this many letters


def _name_match(token: str, part: str) -> tuple[int, int, float] | None:
    """(start, end, score) of ``part`` inside an OCR token, forgiving one slip per five letters,
    a lost space (DAVIDSONDOUGLAS) or a cut end (PATIENTFI, or PATIENTFL where the ellipsis
    after it was read as a letter)."""
    if token == part:
        return 0, len(token), 0.95
    index = token.find(part)
    if index >= 0 and len(part) >= 4:
        return index, index + len(part), 0.9
    if len(token) >= 4 and abs(len(token) - len(part)) <= 2:
        allowed = 1 if len(part) < 8 else 2
        if Levenshtein.distance(token, part, score_cutoff=allowed) <= allowed:
            return 0, len(token), 0.85
    if len(token) >= MIN_PREFIX and part.startswith(token):
        return 0, len(token), 0.8
    if len(token) > MIN_PREFIX + 1 and part.startswith(token[:-1]):
        return 0, len(token), 0.75  # cut with an ellipsis that OCR read as a letter: "PATIENTFL" (PATIENTFI…)
    return None


def _id_windows(text: str) -> tuple[str, list[int]]:
    """The letters and digits of ``text`` (confusions mapped to digits), and where each stood:
    "ID 292-821 506" -> ("id292821506", offsets), so separators OCR adds or drops do not matter."""
    mapped = text.translate(TO_DIGITS).lower()
    positions = [i for i, c in enumerate(mapped) if c.isalnum()]
    return "".join(mapped[i] for i in positions), positions


class OcrIdentityIndex:
    """One file's identity values prepared for OCR text (folded, look-alikes mapped), built
    once per Identity and sought in every line of the file."""

    def __init__(self, identity: Identity) -> None:
        self.parts: dict[str, str] = {}
        self.weak: dict[str, str] = {}
        for name in identity.names:
            for part in map(fold, name.parts):  # OCR reads DÖRSCHNER as DORSCHNER
                if part.isascii() and len(part) >= 3:
                    self.parts.setdefault(part, name.rule)
            for part in name.weak:
                self.weak.setdefault(part, name.rule)
                self.weak.setdefault(fold(part), name.rule)
        self.institutions = [fold(" ".join(i.lower().split())) for i in identity.institutions if len(i) >= 4]
        self.institution_words = {word for institution in self.institutions for word in _distinctive(institution)}
        self.ids = {re.sub(r"[^0-9a-z]", "", v.lower()).translate(TO_DIGITS): rule
                    for v, rule in identity.ids.items() if len(v) >= 4}
        self.birth_dates = identity.birth_dates

    def _id_spans(self, text: str) -> Iterator[Span]:
        compact, positions = _id_windows(text)
        for value, rule in self.ids.items():
            sizes = (len(value),) if len(value) < 6 else (len(value), len(value) - 1, len(value) + 1)
            for size in sizes:
                for start in range(0, len(compact) - size + 1):
                    window = compact[start:start + size]
                    exact = window == value
                    if not exact and (size == len(value) and len(value) < 6 or
                                      Levenshtein.distance(window, value, score_cutoff=1) > 1):
                        continue
                    first, last = positions[start], positions[start + size - 1] + 1
                    if (first > 0 and text[first - 1].isalnum()) or (last < len(text) and text[last].isalnum()):
                        continue  # part of a longer word or number
                    yield Span(first, last, "ID", 0.95 if exact else 0.85, rule)

    def _name_spans(self, text: str) -> list[Span]:
        letters = fold(text.lower()).translate(TO_LETTERS)
        tokens = list(OCR_TOKEN.finditer(letters))
        spans: list[Span] = []
        strong_tokens: set[int] = set()
        for index, match in enumerate(tokens):
            token = match.group(0)
            if len(token) < 3:
                continue
            for part, rule in self.parts.items():  # every part: DAVIDSONDOUGLAS holds two
                found = _name_match(token, part)
                if found is not None:
                    start, end, score = found
                    spans.append(Span(match.start() + start, match.start() + end, "NAME", score, rule))
                    strong_tokens.add(index)
        for index, match in enumerate(tokens):  # "ZZZ TEST PATIENTFI": a weak part beside a strong one
            rule = self.weak.get(match.group(0))
            if rule and index not in strong_tokens and (index - 1 in strong_tokens or index + 1 in strong_tokens):
                spans.append(Span(match.start(), match.end(), "NAME", 0.8, rule))
        return spans

    def _institution_spans(self, text: str) -> Iterator[Span]:
        """The institution, or the start of it where the image cut it ("CCHS CLEVELAN...")."""
        lower = fold(text.lower())
        for institution in self.institutions:
            for size in range(len(institution), min(len(institution), 8) - 1, -1):
                alignment = fuzz.partial_ratio_alignment(institution[:size], lower, score_cutoff=90)
                if alignment is None or alignment.dest_end - alignment.dest_start < 0.9 * size:
                    continue  # the text must hold (nearly) the whole prefix, not the prefix a word of it
                start, end = alignment.dest_start, alignment.dest_end
                while start < end and not text[start].isalnum():
                    start += 1
                while end > start and not text[end - 1].isalnum():  # "MEDI..." ends at the I
                    end -= 1
                yield Span(start, end, "INSTITUTION", 0.9 if size == len(institution) else 0.8,
                           "crossref.institution")
                break

    def _institution_word_spans(self, text: str) -> Iterator[Span]:
        """A word that names which institution ("Weinhold" of "St. Weinhold Krankenhaus"),
        read on its own where the rest of the name was cut or misread ("Weinhcld Krankenhau:")."""
        letters = fold(text.lower()).translate(TO_LETTERS)
        for match in OCR_TOKEN.finditer(letters):
            token = match.group(0)
            if len(token) >= MIN_DISTINCTIVE and any(
                    fuzz.ratio(token, word, score_cutoff=85) for word in self.institution_words):
                yield Span(match.start(), match.end(), "INSTITUTION", 0.75, "crossref.institution_word")

    def find(self, text: str) -> Iterator[Span]:
        yield from self._name_spans(text)
        if self.institutions:
            whole = list(self._institution_spans(text))
            yield from whole
            for word in self._institution_word_spans(text):
                if not any(s.start <= word.start and word.end <= s.end for s in whole):
                    yield word
        if self.ids:
            yield from self._id_spans(text)
        if self.birth_dates:
            for found in find_dates(digits_normalised(text)):
                if found.value in self.birth_dates:
                    yield Span(found.start, found.end, "DATE", 0.95, "crossref.birth_date")


#: Shorter institution words ("Polo", "Myga") match too many misread words to stand alone.
MIN_DISTINCTIVE = 5


def _distinctive(institution: str) -> list[str]:
    """The words of a (lower-case) institution name that say which one it is: not
    "hospital", "regional", "st", "de" (phidetect.text.institutions' kind-of-place words)."""
    return [w for w in re.findall(r"[a-z]+", institution) if len(w) >= MIN_DISTINCTIVE and w not in KIND_OF_PLACE_WORDS]


class OcrIdentityRecognizer(Recognizer):
    """crossref.ocr_identity: the file's names, IDs, birth date and institution in an OCR
    line, OCR slips forgiven. Reads the line as read: the rewrites' slips are its own."""

    rule = "crossref.ocr_identity"
    phi_type = "OTHER"
    needs_identity = True
    kinds = frozenset({OCR})
    reads_rewrites = False
    rule_ids = (*CROSSREF_RULES, "crossref.institution_word")

    def find(self, text: str, identity: Identity | None = None) -> Iterator[Span]:
        if identity is None or identity.is_empty():
            return iter(())
        return identity.derived(OcrIdentityIndex).find(text)
