"""Rules for text that came out of OCR: the header's own identity values sought with
OCR's typical slips forgiven, and burned-in ID numbers.

OCR confuses O/0, I/1/l, S/5, B/8, drops punctuation and spaces, and cuts words at the
image edge ("PATIENTFI"). Character maps here are one-to-one, so offsets found in the
normalised text are offsets in the OCR text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from phidetect.text.crossref import Identity
from phidetect.text.dates import find_dates
from phidetect.text.folding import fold
from phidetect.text.spans import Span

TO_LETTERS = str.maketrans({"0": "o", "1": "l", "5": "s", "8": "b", "|": "l", "!": "l", "$": "s", "2": "z"})
TO_DIGITS = str.maketrans({"o": "0", "O": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "i": "1", "|": "1",
                           "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6"})
_TOKEN = re.compile(r"[A-Za-z0-9|!$]+")
MIN_PREFIX = 5  # a name cut at the image edge still has at least this many letters


def digits_normalised(text: str) -> str:
    """Tokens that are mostly digits get their letter look-alikes turned into digits
    ("O1/O9/2O12" -> "01/09/2012"); other tokens are left alone. Same length as ``text``."""
    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        digits = sum(c.isdigit() for c in token)
        return token.translate(TO_DIGITS) if digits and digits >= 0.5 * len(token) else token
    return _TOKEN.sub(fix, text)


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


class OcrIdentityRecognizer:
    """crossref.* for OCR text: the file's names, IDs and birth date, OCR slips forgiven."""

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
        tokens = list(_TOKEN.finditer(letters))
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
        for match in _TOKEN.finditer(letters):
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
    "hospital", "regional", "st", "de" (phidetect.text.patterns' organisation words)."""
    from phidetect.text.patterns import GENERIC_ORG_WORDS, INSTITUTION_NOUNS, LEADING_INSTITUTION_NOUNS

    generic = GENERIC_ORG_WORDS | {w for n in INSTITUTION_NOUNS + LEADING_INSTITUTION_NOUNS for w in n.lower().split()}
    return [w for w in re.findall(r"[a-z]+", institution) if len(w) >= MIN_DISTINCTIVE and w not in generic]


#: "MIELCAREK, SIGLINDE", "Peck, Jennifer": the surname-comma-given form patient banners use.
#: OCR reads a small comma as a semicolon often enough ("SHAW; ASHLEY") to take both.
_COMMA_NAME = re.compile(r"(?<![\w,;])([A-Z][A-Za-z'\-]{1,30})[,;]\s?([A-Z][A-Za-z'\-]{1,30})(?:\s[A-Z]\.?)?(?![\w,;])")


def comma_names(text: str) -> Iterator[Span]:
    """ocr.comma_name: "SURNAME, GIVEN" on an image, both words names rather than words
    (anatomy, views, series names are in the name lexicon's not-names list); stronger
    when the lexicon knows either word as a name."""
    from phidetect.text.names import lexicon

    lex = lexicon()
    for match in _COMMA_NAME.finditer(text):
        words = [match.group(1).lower(), match.group(2).lower()]
        if max(map(len, words)) < 3 or any(w in lex.not_names for w in words):
            continue
        if re.search(r"\b(?:of|de|von|van)\s+$", text[:match.start()], re.IGNORECASE):
            continue  # "Circle of Willis, Crohn disease": an eponym, not a banner
        known = words[0] in lex.surnames or words[1] in lex.given
        yield Span(match.start(), match.end(), "NAME", 0.7 if known else 0.6, "ocr.comma_name")


#: Half of a DICOM person name with its caret, the other half read as a line of its own or
#: lost ("PISZCZ^" + "BEAZEJ"): the caret is how PN values are written, not words.
_CARET_PART = re.compile(r"(?<![\w^])([^\W\d_][^\W\d_'’-]{1,30})\^(?![\w^])|(?<![\w^])\^([^\W\d_][^\W\d_'’-]{1,30})(?![\w^])")


def caret_names(text: str) -> Iterator[Span]:
    """ocr.caret_name: a capitalised word with a caret before or after it, alone."""
    for match in _CARET_PART.finditer(text):
        word = match.group(1) or match.group(2)
        if word[0].isupper():
            yield Span(match.start(), match.end(), "NAME", 0.7, "ocr.caret_name")


#: A birth-date label on an image; what follows it is the date, however badly read
#: ("DOB: 04-Apr- 2 01", "DOB 22-Oct-196").
_BIRTH_LABEL = re.compile(
    r"(?<![\w])(?:D\.?\s?O\.?\s?B\.?|birth\s?date|date\s+of\s+birth|born|geb(?:\.|urtsdatum)|"
    r"n[ée]{1,2}\s+le|f\.?\s?nac\.?|fecha\s+de\s+nacimiento|data\s+urodzenia|data\s+di\s+nascita)"
    r"\s*[:.=]?\s*(?P<value>[\w][\w/.,\- ]{2,20}?)(?=\s{2,}|\s*[\"'`~|]*\s*$|\s+[A-Za-z]+\s*:)",
    re.IGNORECASE)


#: A date label on an image (exam, study, scan, acquisition date) and a value shaped like a
#: date, however misread: "Exam: 03/16/2818" (a 0 read as 8), "Exam: 10.02 2010".
_DATE_LABEL = re.compile(
    r"(?<![\w])(?:exam|study|scan|acq(?:uisition)?|visit|date|datum|fecha|data)(?:\s+date)?\s*[:.=]\s*"
    r"(?P<value>\d{1,4}\s?[./-]\s?\d{1,2}\s?[./ -]\s?\d{2,4}|"
    r"(?:\d{1,2}\s?)?[A-Za-z]{3,9}\.?\s?\d{1,2}\s?,?\s?\d{2,4})(?![\w])",
    re.IGNORECASE)


#: (label and value, confidence, rule): a birth date identifies the patient, an exam date the visit.
_DATE_LABELS = ((_BIRTH_LABEL, 0.8, "ocr.labelled_birth_date"), (_DATE_LABEL, 0.7, "ocr.labelled_date"))


def labelled_dates(text: str) -> Iterator[Span]:
    """ocr.labelled_birth_date: the value after a birth-date label when it holds two or
    more digits; ocr.labelled_date: a date-shaped value after an exam or study date label.
    Valid dates or not: OCR turns 0 into 8 and drops separators, and a misread date still
    identifies the patient or the visit."""
    normalised = digits_normalised(text)  # same length: spans index ``text`` too
    for pattern, score, rule in _DATE_LABELS:
        for match in pattern.finditer(normalised):
            if sum(c.isdigit() for c in match.group("value")) >= 2:
                yield Span(match.start("value"), match.end("value"), "DATE", score, rule)


def _month_names() -> str:
    from phidetect.text.dates import MONTHS

    return "|".join(sorted(MONTHS, key=len, reverse=True))


#: A spelled month between a day and a four-digit year, or before day and year.
_MONTH_DATE = re.compile(
    rf"(?<![\w])(?:\d{{1,2}}(?:st|nd|rd|th)?[\s-]?(?:{_month_names()})\.?[\s,-]*\d{{4}}|"
    rf"(?:{_month_names()})\.?[\s-]*\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}})(?![\w])", re.IGNORECASE)


def month_dates(text: str) -> Iterator[Span]:
    """ocr.month_date: day, spelled month and a four-digit year in either order, whatever
    the year's digits ("10 August 2818": 0 read as 8). A spelled month between numbers
    is a date on an image; a misread year does not make it less one."""
    for match in _MONTH_DATE.finditer(text):
        yield Span(match.start(), match.end(), "DATE", 0.7, "ocr.month_date")


#: A round bracket where a C was (monospace capitals: "(linique Rossi"), a bar where an I was.
_GLYPH_SLIPS = ((re.compile(r"(?<![^\s~\"'`])\((?=[a-z]{2})"), "C"), (re.compile(r"(?<=[A-Za-z])\|(?=[A-Za-z])"), "I"))


def glyphs_normalised(text: str) -> str:
    """Letters OCR read as punctuation put back ("(linique" -> "Clinique"). Same length."""
    for pattern, letter in _GLYPH_SLIPS:
        text = pattern.sub(letter, text)
    return text


def spacing_normalised(text: str) -> str:
    """OCR's stray space before a comma or full stop moved after it ("21 , 2015" ->
    "21,  2015"), so date and name rules see the usual form. Same length as ``text``."""
    return re.sub(r"(?<=\w) ([,.])(?=\s|$)", r"\1 ", text)


#: Where OCR of small type drops a space: an acronym glued to a lowercase word
#: ("CHUde Leroy"), a word glued to the next capitalised one ("LeroyJean").
_GLUED = re.compile(r"(?<=[A-Z]{2})(?=[a-z]{2})|(?<=[a-z]{2})(?=[A-Z][a-z])")


def unglued(text: str) -> tuple[str, list[int]]:
    """``text`` with a space put back where OCR glued two words, and for every character
    of the result its index in ``text`` (an inserted space: the next character's), so
    spans found in the result map back with :func:`span_back`."""
    cuts = [m.start() for m in _GLUED.finditer(text)]
    pieces, origin, last = [], [], 0
    for cut in cuts:
        pieces.append(text[last:cut] + " ")
        origin += [*range(last, cut), cut]
        last = cut
    pieces.append(text[last:])
    origin += list(range(last, len(text)))
    return "".join(pieces), origin


def span_back(span: Span, origin: list[int]) -> Span:
    """A span of :func:`unglued`'s text as a span of the original text."""
    start, end = origin[span.start], origin[span.end - 1] + 1
    return Span(start, end, span.phi_type, span.score, span.rule)


#: A run of six or more digits on the image: in corner text it is an MRN, accession or
#: account number even when the header holds another ID.
_LONG_DIGITS = re.compile(r"(?<![\w.:])(?:[A-Z]{0,2}\d[\d -]{4,}\d)(?![\w.:])")


def burned_in_ids(text: str) -> Iterator[Span]:
    """ocr.long_number: 6+ digits (spaces and dashes allowed inside), not a date."""
    normalised = digits_normalised(text)
    dates = find_dates(normalised)
    for match in _LONG_DIGITS.finditer(normalised):
        if sum(c.isdigit() for c in match.group(0)) < 6:
            continue
        if any(d.start <= match.start() and match.end() <= d.end for d in dates):
            continue
        yield Span(match.start(), match.end(), "ID", 0.75, "ocr.long_number")


#: Text a scanner writes that is never PHI: settings and measurements (a setting's value
#: has at most five digits: "C5217676" is an ID, not a window centre).
TECHNICAL = re.compile(
    r"^(?:[RLAPSIHF]|\d+(?:[.,]\d+)?\s?(?:mm|cm|m|hz|khz|mhz|db|%|fps|kv|kvp|ma|mas|ms|s|bpm|t|cm/s|mm/s)"
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


#: A sex marker in a demographics banner: "[M]", "(F)", "M", "Female".
_SEX_MARKER = re.compile(r"(?<![\w\[(])(?:[\[(]\s*[MFOU]\s*[\])]|[MF]|male|female)(?![\w\])])", re.IGNORECASE)


def demographic_markers(text: str, found: list[Span]) -> Iterator[Span]:
    """ocr.demographics: on a line that already names the patient (the header's name or birth
    date), the sex marker belongs to the same identity banner ("DAVIDSON DOUGLAS [M] 01.09.2012")."""
    if not any(s.phi_type in ("NAME", "DATE") and "crossref." in s.rule for s in found):
        return
    for match in _SEX_MARKER.finditer(text):
        if not any(s.start <= match.start() < s.end for s in found):
            yield Span(match.start(), match.end(), "OTHER", 0.6, "ocr.demographics")
