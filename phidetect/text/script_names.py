"""pattern.script_name: people named in a script without letter case (Bengali, Devanagari,
Arabic, Chinese, Thai...) inside text written in the Latin alphabet.

A Bangladeshi hospital writes its notes in English and its patients' relatives in Bengali:
"Escorted by aunt মুনতাকিম সাহা". Capitals, the evidence the person rule reads, do not
exist there, and no name list of those scripts ships with phidetect; but in English prose a
run of another script is almost always a proper noun, a person's or a place's. So a run of
up to four such words (initials and the caret of DICOM PN included) is a person; surer
after a person cue. A run followed by a number is the start of an address ("ঘর 5") and is
left to the address rules; text written mostly in that script is not judged here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from phidetect.text.name_cues import ROLE_NOUNS, STRONG_PHRASES, TITLES, WEAK_CUES
from phidetect.text.recognizer import FREE_TEXT, Recognizer
from phidetect.text.spans import Span

_JOINERS = {"\u200c", "\u200d"}  # zero-width (non-)joiners inside Indic words
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z/'.:-]*")


#: A number right after a name.
_DIGIT_NEXT = re.compile(r"[\s,:-]{0,2}\d")

#: Text that ends a field or a sentence.
_FIELD_END = re.compile(r"[.;|]\s*$")


@dataclass(frozen=True)
class ScriptNameParameters:
    """Scores of pattern.script_name."""

    #: After a title, a role, a phrase like "dictated by", or before "(interpreter)".
    cued: float = 0.8
    #: With no cue: a proper noun of another script, a person more often than a place.
    uncued: float = 0.6
    #: Most words in one name.
    max_words: int = 4


def _caseless_letter(ch: str) -> bool:
    return ch.isalpha() and ch.lower() == ch.upper() and ord(ch) > 0x2FF


def _word_char(ch: str) -> bool:
    return _caseless_letter(ch) or ch in _JOINERS or unicodedata.category(ch) in ("Mn", "Mc")


def _words(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of caseless-script letters and their marks."""
    words, i = [], 0
    while i < len(text):
        if _caseless_letter(text[i]):
            j = i + 1
            while j < len(text) and _word_char(text[j]):
                j += 1
            words.append((i, j))
            i = j
        else:
            i += 1
    return words


def _runs(text: str, words: list[tuple[int, int]], max_words: int) -> Iterator[tuple[int, int]]:
    """Words joined by one space, a caret, or an initial's full stop: one name."""
    i = 0
    while i < len(words):
        start, end = words[i]
        j = i
        while j + 1 < len(words) and j - i + 1 < max_words and text[end:words[j + 1][0]] in (" ", "^", ". ", "."):
            j += 1
            end = words[j][1]
        yield start, end
        i = j + 1


class ScriptNameRecognizer(Recognizer):
    """pattern.script_name: names in caseless scripts inside Latin-script text."""

    rule = "pattern.script_name"
    phi_type = "NAME"
    kinds = FREE_TEXT
    reads_rewrites = False

    def __init__(self, parameters: ScriptNameParameters = ScriptNameParameters()) -> None:
        self.parameters = parameters

    def find(self, text: str, identity=None) -> Iterator[Span]:
        if text.isascii():
            return
        words = _words(text)
        if not words:
            return
        caseless = sum(end - start for start, end in words)
        latin = sum(ch.isalpha() and ch.isascii() for ch in text)
        if caseless > latin:
            return  # a text in that script: its words are not foreign to it
        for start, end in _runs(text, words, self.parameters.max_words):
            if _DIGIT_NEXT.match(text[end:end + 3]):
                continue  # "ঘর 5", "वडा 542": an address line
            score = self.parameters.cued if self._cued(text, start, end) else self.parameters.uncued
            yield Span(start, end, self.phi_type, score, self.rule)

    @staticmethod
    def _cued(text: str, start: int, end: int) -> bool:
        before = _LATIN_WORD.findall(text[max(0, start - 40):start])
        if before and _FIELD_END.search(text[:start]) is None:
            one = before[-1].lower().rstrip(":.")
            two = " ".join(w.lower() for w in before[-2:]).rstrip(":")
            if one in TITLES or before[-1].lower() in TITLES or one in ROLE_NOUNS or one in WEAK_CUES \
                    or one in STRONG_PHRASES or two in STRONG_PHRASES:
                return True
            if text[:start].rstrip().endswith(":") and any(w.lower().rstrip(":") in ROLE_NOUNS for w in before[-3:]):
                return True  # "Witness present: ...", "Interpreter service: ..."
        after = _LATIN_WORD.findall(text[end:end + 24])
        return bool(after) and after[0].lower().strip("().,") in ROLE_NOUNS and "(" in text[end:end + 3]
