"""pattern.street_line: a street address as the world writes it, read segment by segment.

Where the US writes "12 Oak Street, Springfield, IL 62704", Indonesia writes "Jl. Merdeka
No. 5, Sorong 98411", India "H.No. 885, Iyengar Road, Kollam-736945", Viet Nam "Số 6 Ngõ
59, phường Tân Phú, Thành phố Hà Nội", Turkey "Atatürk Cad. No: 12, Çankaya". No single
order holds, so a line is read from an anchor (a house number, a house-number cue, or a
word that comes before a street's name) over words, numbers and commas, and kept when it
holds a number and one more sign of an address: a street or locality word of some
country, a postal code after a place, or three places in a row. Words of the clinical
vocabulary (Siemens, Tesla, Slice) are not places, so "3 Tesla MRI, Siemens, 2019" is
no address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from phidetect.text.addresses import CLINICAL_SUFFIXES
from phidetect.text.kinds import ADDRESS_KINDS
from phidetect.text.name_lexicon import lexicon
from phidetect.text.place_words import CONNECTORS, ENGLISH_PLACE_WORDS, LOCALITY, STREET_FIRST, STREET_LAST
from phidetect.text.recognizer import PatternRecognizer, Recognizer
from phidetect.text.spans import Span

#: A house or unit number with its cue: "House No. 9", "H.No. 885", "Holding No. 82", "Số 6".
_HOUSE = re.compile(r"(?<!\w)(?:house|h\.\s?no|holding|building|bldg|flat|door|d\.\s?no|apartment|apt|số|nhà|daire)"
                    r"\.?\s*(?:no\.?|#|:)?\s*\d+[A-Za-z]?(?:/\d+)*", re.IGNORECASE)
_TOKEN = re.compile(r"(?P<num>\d+(?:[/-]\d+)*[A-Za-z]?(?![\w]))|(?P<word>[^\W\d_][\w'’]*(?:[.-][^\W\d_][\w'’]*)*\.?)"
                    r"|(?P<comma>,)|(?P<stop>[;|()\[\]!?\n:])|(?P<other>\S)")
#: Postal codes of fixed national shape: UK, Ireland (Eircode), Canada; case-sensitive.
POSTCODE = re.compile(
    r"(?<![\w-])(?:(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"
    r"|(?:(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?(?=[0-9AC-FHKNPRTV-Y]{0,3}[AC-FHKNPRTV-Y])(?=[0-9AC-FHKNPRTV-Y]{0,3}\d)"
    r"[0-9AC-FHKNPRTV-Y]{4})|(?:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d))(?![\w-])")
_ROMAN = re.compile(r"[IVXLC]+")
#: Street words written in lower case before the name, always with a full stop.
LOWER_CASE_FIRST = frozenset({"ul", "al", "os", "pl", "str"})
#: Street words after the name that no report uses: a capitalised word before one starts a line.
NAME_FIRST_STREET_WORDS = frozenset({"cad", "caddesi", "cd", "sok", "sokak", "sokağı", "sk", "bulvarı", "blv", "bulvar",
                                     "mah", "mahallesi", "mh", "marg", "nagar", "road", "rd", "street", "avenue",
                                     "lane", "drive", "close", "crescent", "colony", "indlela", "umgwaqo"})
#: Most tokens one line may span.
MAX_LINE_TOKENS = 24


#: "F-18", "Tc-99m": a number after a letter and a hyphen is no house number.
_MASS_NUMBER_PREFIX = re.compile(r"[A-Za-z]-$")

#: Words before a number that say it counts images or equipment.
_TECHNICAL_NUMBER_CUE = re.compile(r"(?:series|image|slice|level|lot|ref|serial|model|sn)[\s:#]*$")


@dataclass(frozen=True)
class StreetLineParameters:
    """Scores: a line with a street or locality word; one with a postal code as well."""

    line_score: float = 0.8
    with_postcode_score: float = 0.88


def _bare(word: str) -> str:
    return word.lower().rstrip(".")


def _place_word(word: str, lists: frozenset[str]) -> bool:
    """``word`` is in ``lists``; an English one only when capitalised; an abbreviation that
    reports use too (CT, DR, PT, ST) not in capitals."""
    bare = _bare(word)
    if bare not in lists or (bare in CLINICAL_SUFFIXES and word.isupper()):
        return False
    return word[0].isupper() or bare not in ENGLISH_PLACE_WORDS


#: Unions the line reader asks for each word, made once (not per token).
_STREET_WORDS = STREET_FIRST | STREET_LAST
_LINE_END_WORDS = STREET_LAST | LOCALITY
_PLACE_WORDS = STREET_FIRST | STREET_LAST | LOCALITY


@dataclass
class _Line:
    start: int
    end: int = 0
    numbers: int = 0
    street: int = 0
    locality: int = 0
    places: int = 0      # capitalised words that are no vocabulary: names of places
    segments: int = 1
    postcode: bool = False


class StreetLineRecognizer(Recognizer):
    """pattern.street_line: street lines of many countries (see the module docstring)."""

    rule = "pattern.street_line"
    phi_type = "ADDRESS"
    kinds = ADDRESS_KINDS

    def __init__(self, parameters: StreetLineParameters = StreetLineParameters()) -> None:
        self.parameters = parameters

    def find(self, text: str, identity=None) -> Iterator[Span]:
        if not any(ch.isdigit() for ch in text):
            return
        tokens = list(_TOKEN.finditer(text))
        index, covered = 0, -1
        while index < len(tokens):
            token = tokens[index]
            if token.start() > covered and self._is_anchor(text, tokens, index):
                line = self._read(text, tokens, index)
                if line is not None and self._is_address(line):
                    covered = line.end
                    score = self.parameters.with_postcode_score if line.postcode else self.parameters.line_score
                    yield Span(line.start, line.end, self.phi_type, score, self.rule)
            index += 1

    @staticmethod
    def _is_anchor(text: str, tokens: list[re.Match[str]], index: int) -> bool:
        """A house number, a house-number cue, a street word that comes first ("Jalan", "ul."), or
        the first of up to three capitalised words before one that comes last ("Atatürk Cad.")."""
        token = tokens[index]
        if token.lastgroup == "num":  # not the mass number of "F-18", "Tc-99m", nor "3V" (three views)
            return not _MASS_NUMBER_PREFIX.search(text[max(0, token.start() - 3):token.start()]) \
                and token.group()[-1] not in "Vv"
        if token.lastgroup != "word":
            return False
        word = token.group()
        if (word[0].isupper() and _bare(word) in STREET_FIRST) or _HOUSE.match(text, token.start()) is not None:
            return True
        if word.endswith(".") and _bare(word) in LOWER_CASE_FIRST:
            return True  # Polish "ul. Długa 14", "al. Jana Pawła II 5"
        if not word[0].isupper() or (index and tokens[index - 1].lastgroup == "word"
                                     and tokens[index - 1].group()[0].isupper()):
            return False
        for later in tokens[index + 1:index + 4]:
            value = later.group()
            if later.lastgroup != "word" or not value[0].isupper():
                return False
            if _bare(value) in NAME_FIRST_STREET_WORDS:
                return True
        return False

    def _read(self, text: str, tokens: list[re.Match[str]], first: int) -> _Line | None:
        """The line from ``tokens[first]`` to its last place, number or street word."""
        words = lexicon()
        line = _Line(tokens[first].start())
        last_end = 0
        for token in tokens[first:first + MAX_LINE_TOKENS]:
            kind, value = token.lastgroup, token.group()
            if kind == "stop":
                if value == ":" and _bare(text[:token.start()].split()[-1]) in CONNECTORS:
                    continue  # "No: 12"
                break
            if kind == "other":
                if value in "-/#&'’":
                    continue
                break
            if kind == "comma":
                line.segments += 1
                continue
            if kind == "num":
                line.numbers += 1
                digits = sum(c.isdigit() for c in value)
                line.postcode |= 4 <= digits <= 6 and value.isdigit() and line.places > 0 and token.start() > line.start
                last_end = token.end()
                continue
            bare = _bare(value)
            if _place_word(value, _STREET_WORDS):
                line.street += 1
            elif _place_word(value, LOCALITY):
                line.locality += 1
            elif bare in CONNECTORS:
                continue
            elif _HOUSE.match(text, token.start()):
                line.street += 1  # "House No. 9" inside a line
            elif value[0].isupper():
                if POSTCODE.fullmatch(value.rstrip(".")) and line.places:
                    line.postcode = True
                elif not words.is_vocabulary(bare) and len(bare) > 1 and not _ROMAN.fullmatch(value.rstrip(".")) \
                        and not (value.isupper() and len(value) <= 3):
                    line.places += 1  # not "Tesla", "Siemens", "MRI", "VIII": a report's words are no places
            else:
                break  # a lower-case word of prose ends the line
            last_end = token.end() - (1 if value.endswith(".") and bare not in _LINE_END_WORDS else 0)
            if value.endswith(".") and len(bare) > 3 and bare not in _PLACE_WORDS \
                    and not _HOUSE.match(text, token.start()):
                break  # "Sorong. Next visit": a full stop after a word ends the line
        if not last_end:
            return None
        line.end = last_end
        return line

    @staticmethod
    def _is_address(line: _Line) -> bool:
        if not line.numbers:
            return False
        if not line.places:
            return line.street >= 2  # "Flat 3B, Marine Drive, Kochi 682031": places that are words too
        if line.street or line.locality:
            return True
        return (line.postcode and line.segments >= 2) or line.segments >= 3


def postcode_recognizer() -> PatternRecognizer:
    """pattern.postcode: a UK postcode, an Eircode or a Canadian postal code alone."""
    return PatternRecognizer(
        rule="pattern.postcode", phi_type="ADDRESS", base_score=0.6, kinds=ADDRESS_KINDS, flags=0,
        patterns=(POSTCODE.pattern,), context_words=("postcode", "post code", "postal code", "eircode", "zip"),
        context_boost=0.3, validator=_not_in_a_code)


#: A TNM stage (T2N1M0) has a Canadian postal code's shape.
_TNM = re.compile(r"T[0-4X][a-d]?N[0-3X]M[01X]", re.IGNORECASE)


def _not_in_a_code(match: re.Match[str]) -> bool:
    """"MR 1SA" needs its digit; "SE2 9XY" inside "CASE2 9XY" is not one: whole words only,
    and not right after a sequence or vertebra letter pair ("T2 ", "L4 ")."""
    if _TNM.fullmatch(match.group(0).replace(" ", "")):
        return False
    before = match.string[max(0, match.start() - 12):match.start()].lower()
    return not _TECHNICAL_NUMBER_CUE.search(before)
