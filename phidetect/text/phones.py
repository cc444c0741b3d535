"""pattern.phone: telephone numbers of any country, validated by phonenumbers.

Three passes, widest evidence first. Numbers valid in the home regions (``regions``) are
found anywhere; a number written internationally (``+234 803 123 4567``, ``00 91 98765
43210``) is found whatever its country, since the country code says which plan checks it;
a number in another country's national format (``0803 123 4567``) is found only near a
phone cue word, where it is checked against the plans of ``cued_regions``: without a cue,
every tenth record number would be valid somewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import phonenumbers

from phidetect.text.context import has_context
from phidetect.text.kinds import FREE_AND_CODED
from phidetect.text.recognizer import Recognizer
from phidetect.text.spans import Span, clamp

#: How far before a number its cue may stand: "Contact: mateusz.szalata@gmail.com, 578 440 720".
PHONE_CUE_REACH = 64
PHONE_CUES = ("tel", "telephone", "phone", "ph", "fax", "mobile", "mob", "cell", "call", "called", "pager",
              "contact", "contactable", "reachable", "whatsapp", "sms", "text", "ring", "landline", "hp",
              "no. hp", "điện thoại", "đt", "sđt", "telefon", "cep", "gsm", "téléphone", "teléfono", "telefone")
#: Regions whose numbers are found anywhere (valid numbers only).
HOME_REGIONS = ("US", "GB", "DE", "FR", "CA")
#: Regions whose national formats are tried near a cue: the world's most populous dialling
#: plans and those of this project's users; a number must be valid in one of them.
CUED_REGIONS = (
    "ES", "IT", "PL", "NL", "AU", "CH", "AT", "BE", "IE", "NZ", "SE", "NO", "DK", "FI", "PT", "GR", "CZ",
    "RO", "HU", "TR", "IL", "SA", "AE", "EG", "MA", "NG", "GH", "KE", "UG", "TZ", "ET", "ZA", "ZW", "IN",
    "PK", "BD", "NP", "LK", "CN", "HK", "TW", "JP", "KR", "VN", "TH", "MY", "SG", "ID", "PH", "BR", "MX",
    "AR", "CO", "CL", "PE", "RU", "UA", "IR", "IQ",
)
#: A cued number of another plan must hold at least this many digits (short ones are codes).
CUED_MIN_DIGITS = 9
#: Without a phone cue or a '+', a number must hold this many digits ("0400 0040", "555 0123":
#: too short to be sure).
UNCUED_MIN_DIGITS = 9

_VERSION_LIKE = re.compile(r"\d{1,2}\.\d{1,2}\.")
#: A North American number as written: (555) 123-4567, 555-123-4567, 555.123.4567.
_NANP_SHAPE = re.compile(r"(?<![\w.-])(?:\+?1[-. ])?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")
#: 0.703125 is a pixel spacing, even where a region's dialling plan would accept it.
_DECIMAL = re.compile(r"\d+[.,]\d+")
_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00\s?)[1-9]")
#: Digits with the punctuation phone numbers are written with (phonenumbers' own, roughly):
#: a number lies in one such run, so a text with no run of 7 digits holds none.
_DIALLED = re.compile(r"[+(\[]?\d[\d \t\-./()\[\]~]*")
#: A run of digits with the separators numbers are written with: a candidate to parse.
_CANDIDATE = re.compile(r"(?<![\w+.])\(?\d[\d ().-]{6,22}\d")
#: Words that say an identity or record number follows ("SSS No.: 02-6991570-3").
ID_CUES = ("id", "no", "no.", "number", "#", "mrn", "sss", "nin", "nid", "cccd", "cmnd", "citizenship", "nagarikta",
           "passport", "nhs", "file", "record", "reg", "ref", "hosp", "uhid", "cnic", "aadhaar", "kimlik", "nik")
#: How far before a number an identity cue makes it an identity number.
ID_CUE_REACH = 20
#: An identifier's grouping: a long middle group between short ones; no dialling plan ends so.
_ID_GROUPING = re.compile(r"\d{2,5}-\d{5,8}-\d{1,3}")


#: A digit group starting with 0 ("0803", "(0)30"): where a national number of a trunk-0 plan can begin.
_ZERO_LED = re.compile(r"(?<!\d)0")


#: A letter and a slash or hyphen right before a number: a record's prefix.
_RECORD_PREFIX = re.compile(r"[A-Za-z][/-]$")


def _dials_trunk_zero(region: str) -> bool:
    """Whether ``region``'s national numbers are dialled after a trunk 0 (GB, DE, FR...)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return metadata is not None and metadata.national_prefix == "0"


def _windows(text: str, cued: bool) -> list[tuple[int, int]]:
    """Stretches of ``text`` that can hold a number it keeps: each run of dialled digits
    long enough (7, or UNCUED_MIN_DIGITS in a text with no phone cue, where shorter numbers
    are dropped anyway), widened to the whitespace around it (the matcher reads the
    characters beside a number); the matcher's cost grows with what it is given."""
    spans: list[tuple[int, int]] = []
    for run in _DIALLED.finditer(text):
        digits = _digits(run.group(0))
        if digits < 7 or digits < UNCUED_MIN_DIGITS and not cued and not run.group(0).startswith("+"):
            continue
        left, right = run.start(), run.end()
        while left > 0 and not text[left - 1].isspace():
            left -= 1
        while right < len(text) and not text[right].isspace():
            right += 1
        left = max(0, left - 1)
        if spans and left <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(right, spans[-1][1]))
        else:
            spans.append((left, right))
    return spans


#: Digits a number as dialled at home may hold beyond its national number: a trunk prefix
#: and, in Argentina, a mobile token ("011 15 2345-6789").
NATIONAL_PREFIX_DIGITS = 3


@cache
def _national_lengths(region: str) -> tuple[int, int]:
    """The shortest and longest national number of ``region``'s plan (phonenumbers' metadata)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    lengths = tuple(metadata.general_desc.possible_length or ()) if metadata is not None else ()
    return (min(lengths), max(lengths)) if lengths else (0, 99)


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    """``raw`` read in ``region``'s plan, or None where that plan cannot read it."""
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


def _digits(raw: str) -> int:
    return sum(c.isdigit() for c in raw)


def _inside_dotted_number(text: str, start: int, end: int) -> bool:
    """A version or UID part ("4.0.12412818") is not a phone number."""
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return (len(before) == 2 and before[1] == "." and before[0].isdigit()) or \
        (len(after) == 2 and after[0] == "." and after[1].isdigit())


class PhoneRecognizer(Recognizer):
    """pattern.phone: phonenumbers' own matcher (valid numbers only). A run of bare digits
    with no separator, '+' or cue word is more often an ID or a date, so it scores low."""

    rule = "pattern.phone"
    phi_type = "PHONE"
    base_score = 0.85
    bare_digits_score = 0.35
    possible_score = 0.7
    kinds = FREE_AND_CODED

    def __init__(self, regions: tuple[str, ...] = HOME_REGIONS, cued_regions: tuple[str, ...] = CUED_REGIONS) -> None:
        self.regions = regions
        self.cued_regions = tuple(dict.fromkeys(regions + cued_regions))
        # one matcher per calling code: the US one finds Canada's numbers too (one plan, +1);
        # every matcher finds numbers written with their country code, whatever the country
        by_code: dict[int, str] = {}
        for region in regions:
            by_code.setdefault(phonenumbers.country_code_for_region(region), region)
        self._matchers = tuple(by_code.values())
        # any one matcher finds the numbers written with a country code: the others are run
        # only where their national numbers can be, after their trunk 0 where they dial one
        self._trunk_zero = {region for region in self._matchers[1:] if _dials_trunk_zero(region)}

    def _matches(self, text: str) -> Iterator[tuple[int, int, str, bool]]:
        """(start, end, raw, valid): numbers valid in a home region; numbers written with a
        country code, valid in their country; near a phone cue, numbers of 9+ digits valid
        (or merely possible in a home region: unassigned area codes are still somebody's
        contact detail as typed) in a cued region, and the NANP shape 555-123-4567."""
        cued_text = has_context(text, len(text), len(text), PHONE_CUES, before=len(text))
        found: list[tuple[int, int]] = []
        for left, right in _windows(text, cued_text):
            part = text[left:right]
            zero_led = _ZERO_LED.search(part) is not None
            dialled_abroad = _INTERNATIONAL.search(part) is not None
            longest = max(map(_digits, _DIALLED.findall(part)), default=0)
            for region in self._matchers:
                if region in self._trunk_zero and not zero_led:
                    continue  # "49603703" read in Germany's plan is an ID, not a Berlin number
                if not dialled_abroad and longest < _national_lengths(region)[0]:
                    continue  # too short for this plan's national numbers (US: 10 digits)
                for match in phonenumbers.PhoneNumberMatcher(part, region, leniency=phonenumbers.Leniency.VALID):
                    found.append((left + match.start, left + match.end))
                    yield left + match.start, left + match.end, match.raw_string, True
        if not self._matchers and _INTERNATIONAL.search(text):  # no home region: country codes only
            for match in phonenumbers.PhoneNumberMatcher(text, None, leniency=phonenumbers.Leniency.VALID):
                yield match.start, match.end, match.raw_string, True
        if not cued_text:
            return
        yield from self._cued_national(text, found)
        for match in _NANP_SHAPE.finditer(text):
            yield match.start(), match.end(), match.group(0), False

    def _cued_national(self, text: str, found: list[tuple[int, int]]) -> Iterator[tuple[int, int, str, bool]]:
        """Digit groups right after a phone cue, valid in the national plan of a cued region.
        Only those candidates are parsed, one region after another (running the matcher over
        the whole text once per region cost more than the rest of a header scan), and not
        those inside a number a home plan already ``found``."""
        others = [r for r in self.cued_regions if r not in self.regions]
        for match in _CANDIDATE.finditer(text):
            raw = match.group(0).rstrip("-.) ")
            start, end = match.start(), match.start() + len(raw)
            if _digits(raw) < CUED_MIN_DIGITS or raw.startswith("+") \
                    or any(s <= start and end <= e for s, e in found) \
                    or not has_context(text, start, start, PHONE_CUES, before=PHONE_CUE_REACH):
                continue
            plan = self._plan_of(raw, others)
            if plan is not None:
                yield start, end, raw, plan

    def _plan_of(self, raw: str, others: list[str]) -> bool | None:
        """True: valid in a cued region's plan; False: merely possible in a home region's
        (an unassigned area code is still somebody's number as typed); None: neither.
        A plan whose numbers cannot be this long is not asked."""
        digits = _digits(raw)
        for region in others:
            shortest, longest = _national_lengths(region)
            if not shortest <= digits <= longest + NATIONAL_PREFIX_DIGITS:
                continue
            number = _parse(raw, region)
            if number is not None and phonenumbers.is_valid_number_for_region(number, region):
                return True
        for region in self.regions:
            number = _parse(raw, region)
            if number is not None and phonenumbers.is_possible_number(number):
                return False
        return None

    def find(self, text: str, identity=None) -> Iterator[Span]:
        if _digits(text) < 7 or max(map(_digits, _DIALLED.findall(text)), default=0) < 7:
            return  # no run of digits and dialling punctuation long enough for any number here
        seen: list[tuple[int, int]] = []
        for start, end, raw, valid in self._matches(text):
            if raw.startswith("["):  # phonenumbers keeps a bracket a number stands in: "[056303870290]"
                start, raw = start + 1, raw[1:]
            if any(s <= start and end <= e for s, e in seen):
                continue
            seen.append((start, end))
            cued = has_context(text, start, end, PHONE_CUES, before=PHONE_CUE_REACH)
            if not cued and not raw.startswith("+") and (
                    _ID_GROUPING.fullmatch(raw) or has_context(text, start, end, ID_CUES, before=ID_CUE_REACH)):
                continue  # "SSS No.: 02-6991570-3", "Citizenship No. 13-05-63-89536": identity numbers
            if not cued and not raw.startswith("+") and _digits(raw) < UNCUED_MIN_DIGITS:
                continue  # "0400 0040" (a window), "555 0123": too short to be sure without a cue
            if _inside_dotted_number(text, start, end) or _VERSION_LIKE.match(raw) or _DECIMAL.fullmatch(raw) \
                    or _RECORD_PREFIX.search(text[max(0, start - 2):start]):  # "POJ/2018/709640": a record
                continue
            formatted = raw.startswith("+") or any(c in raw for c in " -.()/")
            score = (self.base_score if valid else self.possible_score) if formatted else self.bare_digits_score
            boost = (0.25 if not formatted else 0.1) if cued else 0.0  # "Contact: 01255963044"
            yield Span(start, end, self.phi_type, clamp(score + boost), self.rule)
