"""Rules for text that came out of OCR only, as registry members: burned-in ID numbers,
dates after their label or with a spelled month however misread, banner names
("SURNAME, GIVEN", half a PN with its caret), the sex marker of an identity banner, and
the suppression of technical settings text ("kVp 120", "W:400 L:40").

They read the line as read (``reads_rewrites`` False): each forgives OCR's slips itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from phidetect.text.dates import MONTHS, find_dates
from phidetect.text.name_lexicon import lexicon
from phidetect.text.ocr_rewrites import digits_normalised
from phidetect.text.recognizer import (
    OCR,
    AfterMergeRecognizer,
    MergedLine,
    PatternRecognizer,
    Recognizer,
    Suppressor,
)
from phidetect.text.spans import Span

OCR_ONLY = frozenset({OCR})


#: A run of six or more digits on the image: in corner text it is an MRN, accession or
#: account number even when the header holds another ID.
_LONG_DIGITS = re.compile(r"(?<![\w.:])(?:[A-Z]{0,2}\d[\d -]{4,}\d)(?![\w.:])")


class BurnedInIdRecognizer(Recognizer):
    """ocr.long_number: 6+ digits (spaces and dashes allowed inside), not a date: in corner
    text it is an MRN, accession or account number even when the header holds another ID."""

    rule = "ocr.long_number"
    phi_type = "ID"
    base_score = 0.75
    kinds = OCR_ONLY
    reads_rewrites = False

    def find(self, text: str, identity=None) -> Iterator[Span]:
        normalised = digits_normalised(text)
        dates = find_dates(normalised)
        for match in _LONG_DIGITS.finditer(normalised):
            if sum(c.isdigit() for c in match.group(0)) < 6:
                continue
            if any(d.start <= match.start() and match.end() <= d.end for d in dates):
                continue
            yield Span(match.start(), match.end(), self.phi_type, self.base_score, self.rule)


#: A birth-date label on an image; what follows it is the date, however badly read
#: ("DOB: 04-Apr- 2 01", "DOB 22-Oct-196").
_BIRTH_LABEL = re.compile(
    r"(?<![\w])(?:D\.?\s?O\.?\s?B\.?|birth\s?date|date\s+of\s+birth|born|geb(?:\.|urtsdatum)|"
    r"n[ée]{1,2}\s+le|f\.?\s?nac\.?|fecha\s+de\s+nacimiento|data\s+urodzenia|data\s+di\s+nascita)"
    r"\s*[:.=]?\s*(?P<value>[\w][\w/.,\- ]{2,20}?)(?=\s{2,}|\s*[\"'`~|]*\s*$|\s+[A-Za-z]+\s*:)",
    re.IGNORECASE)


#: A date label on an image (exam, study, scan, acquisition date) and a value shaped like a
#: date, however misread: "Exam: 03/16/2818" (a 0 read as 8), "Exam: 10.02 2010", and the
#: label's D read as its look-alike O or 0 ("Oate: 68/02/2013" in 6 px type).
_DATE_LABEL = re.compile(
    r"(?<![\w])(?:exam|study|scan|acq(?:uisition)?|visit|[d0o]ate|datum|fecha|data)(?:\s+date)?\s*[:.=]\s*"
    r"(?P<value>\d{1,4}\s?[./-]\s?\d{1,2}\s?[./ -]\s?\d{2,4}|"
    r"(?:\d{1,2}\s?)?[A-Za-z]{3,9}\.?\s?\d{1,2}\s?,?\s?\d{2,4})(?![\w])",
    re.IGNORECASE)



@dataclass
class LabelledDateRecognizer(Recognizer):
    """The value after a date label, when it holds two or more digits. Valid dates or not:
    OCR turns 0 into 8 and drops separators, and a misread date still identifies the
    patient or the visit. Matched with digit look-alikes fixed (same length: spans index
    the text as read)."""

    label: re.Pattern[str]
    rule: str = "ocr.labelled_date"
    base_score: float = 0.7
    phi_type: str = "DATE"
    kinds: frozenset[str] = OCR_ONLY
    reads_rewrites: bool = False

    def find(self, text: str, identity=None) -> Iterator[Span]:
        for match in self.label.finditer(digits_normalised(text)):
            if sum(c.isdigit() for c in match.group("value")) >= 2:
                yield Span(match.start("value"), match.end("value"), self.phi_type, self.base_score, self.rule)


def labelled_birth_date_recognizer() -> LabelledDateRecognizer:
    """ocr.labelled_birth_date: after DOB, Born, Geb., né le...: the date identifies the patient."""
    return LabelledDateRecognizer(_BIRTH_LABEL, "ocr.labelled_birth_date", 0.8)


def labelled_date_recognizer() -> LabelledDateRecognizer:
    """ocr.labelled_date: a date-shaped value after an exam or study date label: the visit."""
    return LabelledDateRecognizer(_DATE_LABEL, "ocr.labelled_date", 0.7)


_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
#: Where a day starts: after no letter or digit, or after the time of day before it, which
#: is part of the stamp, spaced or glued ("10.51.2116-Oct-2008": small type lost the space).
_DAY_START = r"(?:(?<![\w.:])(?:\d{1,2}:\d\d(?::\d\d)?|\d{1,2}\.\d\d\.\d\d)\s?(?=\d)|(?<![\w]))"
#: A spelled month between a day and a four-digit year, or before day and year.
MONTH_DATE = (rf"(?:{_DAY_START}\d{{1,2}}(?:st|nd|rd|th)?[\s-]?(?:{_MONTH_NAMES})\.?[\s,-]*\d{{4}}|"
              rf"(?<![\w])(?:{_MONTH_NAMES})\.?[\s-]*\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}})(?![\w])")

#: Letters small type makes look alike, either way round (not "r"/"s": "3 mAs 1200" is no
#: misread March).
LOOKALIKE_LETTERS = ("oc", "oe", "o0", "oa", "ou", "od", "ce", "ae", "un", "nh", "nr", "li", "l1", "i1", "tf",
                     "tl", "uv", "vy", "mn")


def month_lookalikes() -> list[str]:
    """The three-letter month abbreviations with one letter read as a look-alike ("cct",
    "0ct", "dee"), real month names left out."""
    swaps: dict[str, set[str]] = {}
    for a, b in LOOKALIKE_LETTERS:
        swaps.setdefault(a, set()).add(b)
        swaps.setdefault(b, set()).add(a)
    variants = {month[:i] + other + month[i + 1:]
                for month in MONTHS if len(month) == 3
                for i, letter in enumerate(month) for other in swaps.get(letter, ())}
    return sorted(variants - set(MONTHS))


#: A month misread by one look-alike letter, between a day and a year of this or the last
#: century, each set off by a space or hyphen ("16-Cct-2008"): the stamp's shape says date.
MONTH_LOOKALIKE_DATE = (rf"{_DAY_START}\d{{1,2}}[\s-](?:{'|'.join(month_lookalikes())})[\s-](?:19|20)\d\d(?![\w])")


#: Long month names with their first letter lost or misread ("lugust 7,1995": the A of
#: small type read as l): what is left of the name is still no word, and with a day and a
#: four-digit year it is a date. Not March, May, June or July: too little is left of them.
MONTH_TAILS = ("anuary", "ebruary", "pril", "ugust", "eptember", "ctober", "ovember", "ecember")
#: The tail after one letter that is the month's own is MONTH_DATE's, not a cut name.
_CUT = rf"(?!{'|'.join(m for m in MONTHS if len(m) > 4)})[A-Za-z]?(?:{'|'.join(MONTH_TAILS)})"
MONTH_CUT_DATE = (rf"(?:{_DAY_START}\d{{1,2}}\s{_CUT}\.?[\s,]*\d{{4}}|"
                  rf"(?<![A-Za-z\d]){_CUT}\.?\s*\d{{1,2}},?\s*(?:19|20)\d\d)(?![\w])")


def month_date_recognizer() -> PatternRecognizer:
    """ocr.month_date: day, spelled month and a four-digit year in either order, whatever
    the year's digits ("10 August 2818": 0 read as 8), or a month misread by one look-alike
    letter ("16-Cct-2008") or with its first letter lost ("lugust 7,1995"). A spelled
    month between numbers is a date on an image; a misread year or month does not make it
    less one."""
    return PatternRecognizer(rule="ocr.month_date", phi_type="DATE", base_score=0.7,
                             patterns=(MONTH_DATE, MONTH_LOOKALIKE_DATE, MONTH_CUT_DATE), kinds=OCR_ONLY,
                             reads_rewrites=False)


#: "MIELCAREK, SIGLINDE", "Peck, Jennifer": the surname-comma-given form patient banners use.
#: OCR reads a small comma as a semicolon often enough ("SHAW; ASHLEY") to take both.
_COMMA_NAME = re.compile(r"(?<![\w,;])([A-Z][A-Za-z'\-]{1,30})[,;]\s?([A-Z][A-Za-z'\-]{1,30})(?:\s[A-Z]\.?)?(?![\w,;])")


class CommaNameRecognizer(Recognizer):
    """ocr.comma_name: "SURNAME, GIVEN" on an image, both words names rather than words
    (anatomy, views, series names are in the name lexicon's not-names list); stronger
    when the lexicon knows either word as a name."""

    rule = "ocr.comma_name"
    phi_type = "NAME"
    base_score = 0.6
    known_score = 0.7
    kinds = OCR_ONLY
    reads_rewrites = False

    def find(self, text: str, identity=None) -> Iterator[Span]:
        lex = lexicon()
        for match in _COMMA_NAME.finditer(text):
            words = [match.group(1).lower(), match.group(2).lower()]
            if max(map(len, words)) < 3 or any(w in lex.not_names for w in words):
                continue
            if re.search(r"\b(?:of|de|von|van)\s+$", text[:match.start()], re.IGNORECASE):
                continue  # "Circle of Willis, Crohn disease": an eponym, not a banner
            known = words[0] in lex.surnames or words[1] in lex.given
            yield Span(match.start(), match.end(), self.phi_type, self.known_score if known else self.base_score,
                       self.rule)


#: Half of a DICOM person name with its caret, the other half read as a line of its own or
#: lost ("PISZCZ^" + "BEAZEJ"): the caret is how PN values are written, not words.
_CARET_PART = re.compile(r"(?<![\w^])([^\W\d_][^\W\d_'’-]{1,30})\^(?![\w^])|(?<![\w^])\^([^\W\d_][^\W\d_'’-]{1,30})(?![\w^])")


#: Both halves with a space OCR put beside the caret ("TORRES^ JENNIFER", "TORRES ^JENNIFER"):
#: still one name, not the surname alone. A second half followed by a colon is the next
#: field's label ("TORRES^ ID: 0071"): then the first half stands alone.
_CARET_SPACED = re.compile(r"(?<![\w^])([^\W\d_][^\W\d_'’-]{1,30})(?: \^ ?| ?\^ )[^\W\d_][^\W\d_'’-]{1,30}"
                           r"(?![\w^])(?!\s*:)")


def _capitalised(match: re.Match[str]) -> bool:
    first = next((group for group in match.groups() if group), "")  # the first name part matched
    return first[:1].isupper()


def caret_name_recognizer() -> PatternRecognizer:
    """ocr.caret_name: a capitalised word with a caret before or after it, alone, or two
    words joined by a caret OCR read with a space beside it."""
    return PatternRecognizer(rule="ocr.caret_name", phi_type="NAME", base_score=0.7,
                             patterns=(_CARET_SPACED.pattern, _CARET_PART.pattern), flags=0, validator=_capitalised,
                             kinds=OCR_ONLY, reads_rewrites=False)


#: Text a scanner writes that is never PHI: settings and measurements (a setting's value
#: has at most five digits: "C5217676" is an ID, not a window centre).
TECHNICAL = re.compile(
    r"^(?:[RLAPSIHF]|\d{1,5}(?:[.,]\d+)?\s?(?:mm|cm|m|hz|khz|mhz|db|%|fps|kv|kvp|ma|mas|ms|s|bpm|t|cm/s|mm/s)"
    r"|(?:kvp|ma|mas|mi|tis|tib|tic|gain|dr|fr|frq|freq|depth|w|l|c|wl|ww|zoom|fov)\s*[:=]?\s*-?\d{1,5}(?:[.,]\d+)?"
    r")$", re.IGNORECASE)


def is_technical(text: str) -> bool:
    """True for "kVp 120", "W:400", "5.0mm", "18Hz", "MI 0.9", "R"."""
    return bool(TECHNICAL.match(text.strip()))


def is_technical_line(text: str) -> bool:
    """True when a whole line is technical settings: "W:400 L:40", "kVp 120 mAs 250"."""
    tokens, i = text.split(), 0
    while i < len(tokens):
        if is_technical(tokens[i]):
            i += 1
        elif i + 1 < len(tokens) and is_technical(f"{tokens[i]} {tokens[i + 1]}"):
            i += 2
        else:
            return False
    return bool(tokens)


class TechnicalTextSuppressor(Suppressor):
    """ocr.technical: a merged span whose text is a scanner setting or measurement is no
    finding ("kVp 120" is not an ID, "R" not a name). Removing the member turns it off."""

    rule = "ocr.technical"

    def suppresses(self, text: str, span: Span) -> bool:
        return is_technical(text[span.start:span.end])


#: A sex marker in a demographics banner: "[M]", "(F)", "M", "Female".
_SEX_MARKER = re.compile(r"(?<![\w\[(])(?:[\[(]\s*[MFOU]\s*[\])]|[MF]|male|female)(?![\w\])])", re.IGNORECASE)


class DemographicsRecognizer(AfterMergeRecognizer):
    """ocr.demographics: on a line where a member reading the header's identity found the
    patient's name or birth date, the sex marker belongs to the same identity banner
    ("DAVIDSON DOUGLAS [M] 01.09.2012")."""

    rule = "ocr.demographics"
    phi_type = "OTHER"
    base_score = 0.6

    def find_after_merge(self, line: MergedLine) -> Iterator[Span]:
        if not any(s.phi_type in ("NAME", "DATE") and line.from_identity(s) for s in line.spans):
            return
        for match in _SEX_MARKER.finditer(line.text):
            if not any(s.start <= match.start() < s.end for s in line.spans):
                yield Span(match.start(), match.end(), self.phi_type, self.base_score, self.rule)


def ocr_only_recognizers() -> list[Recognizer]:
    """The members of this module, in the order the default registry holds them."""
    return [BurnedInIdRecognizer(), labelled_birth_date_recognizer(), labelled_date_recognizer(),
            month_date_recognizer(), CommaNameRecognizer(), caret_name_recognizer(), TechnicalTextSuppressor(),
            DemographicsRecognizer()]
