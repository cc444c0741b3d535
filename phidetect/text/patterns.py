"""Pattern recognizers: e-mail, URLs, IP addresses, phone numbers, national IDs,
record numbers near their cue words, ages over 89, street addresses and ZIP codes
(institution names: phidetect.text.institutions).

Scores are documented in docs/rules.md; they are the chance, on the data we have
seen, that a match is PHI. Validators come from the field's libraries (phonenumbers,
python-stdnum, ipaddress), never hand-written checksums.
"""

from __future__ import annotations

import importlib
import ipaddress
import re
from collections.abc import Iterator

import phonenumbers

from phidetect.text.context import has_context
from phidetect.text.recognizer import FREE_TEXT, PatternRecognizer, Recognizer
from phidetect.text.spans import Span, clamp

#: Free text, OCR lines and short values: what e-mail, phone and ID shapes can stand in.
FREE_AND_CODED = frozenset({"free", "coded", "name", "ocr"})


def email_recognizer() -> PatternRecognizer:
    return PatternRecognizer(
        rule="pattern.email", phi_type="EMAIL", base_score=0.95, kinds=FREE_AND_CODED,
        patterns=(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])",),
    )


#: Hosts of standards bodies and public code: their URLs name schemas and software, not people.
PUBLIC_HOSTS = ("w3.org", "nema.org", "hl7.org", "ihe.net", "loinc.org", "snomed.org", "xmlsoap.org",
                "purl.org", "dicomstandard.org", "github.com", "gitlab.com", "sourceforge.net", "pypi.org")


def _private_url(match: re.Match[str]) -> bool:
    host = re.sub(r"^(?:https?|ftp)://", "", match.group(0).lower()).split("/")[0].split(":")[0]
    return not any(host == h or host.endswith("." + h) for h in PUBLIC_HOSTS)


def url_recognizer() -> PatternRecognizer:
    return PatternRecognizer(
        rule="pattern.url", phi_type="OTHER", base_score=0.7, kinds=FREE_AND_CODED, validator=_private_url,
        patterns=(r"\b(?:https?|ftp)://[^\s<>\"'\\]+", r"(?<![\w.@/])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s<>\"'\\]*)?"),
    )


def _is_ip(match: re.Match[str]) -> bool:
    """A valid address; a dotted quad of mostly one-digit parts is a version ("2.6.3.6")
    unless a cue word says otherwise."""
    try:
        address = ipaddress.ip_address(match.group(0))
    except ValueError:
        return False
    if address.is_unspecified:
        return False
    if address.version == 4 and sum(len(p) > 1 for p in match.group(0).split(".")) < 2:
        return has_context(match.string, match.start(), match.end(), IP_CUES)
    return True


IP_CUES = ("ip", "ipv4", "ipv6", "host", "address", "addr", "server")


def ip_recognizer() -> PatternRecognizer:
    """IPv4 only when it cannot be part of a longer dotted number (UIDs, versions)."""
    return PatternRecognizer(
        rule="pattern.ip_address", phi_type="OTHER", base_score=0.6, kinds=FREE_AND_CODED,
        context_words=IP_CUES, context_boost=0.3,
        patterns=(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]|\.\d)",
                  r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])",
                  r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}(?::[0-9A-Fa-f]{1,4}){1,6}(?![\w:])"),
        validator=_is_ip,
    )


#: How far before a number its cue may stand: "Contact: mateusz.szalata@gmail.com, 578 440 720".
PHONE_CUE_REACH = 64
PHONE_CUES = ("tel", "telephone", "phone", "ph", "fax", "mobile", "cell", "call", "pager", "contact")


class PhoneRecognizer(Recognizer):
    """pattern.phone: phonenumbers' own matcher (valid numbers only). A run of bare digits
    with no separator, '+' or cue word is more often an ID or a date, so it scores low."""

    rule = "pattern.phone"
    phi_type = "PHONE"
    base_score = 0.85
    bare_digits_score = 0.35
    possible_score = 0.7
    kinds = FREE_AND_CODED

    def __init__(self, regions: tuple[str, ...] = ("US", "GB", "DE", "FR", "CA"),
                 cued_regions: tuple[str, ...] = ("ES", "IT", "PL", "NL", "AU", "CH", "AT", "BE")) -> None:
        self.regions = regions
        self.cued_regions = regions + cued_regions

    def _matches(self, text: str) -> Iterator[tuple[int, int, str, bool]]:
        """(start, end, raw, valid): numbers valid in one of the regions; where a phone cue
        is near, also numbers of 9+ digits merely possible in a wider set of regions
        (unassigned area codes are still somebody's contact detail as typed), and the NANP
        shape 555-123-4567."""
        for region in self.regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                yield match.start, match.end, match.raw_string, True
        if not has_context(text, len(text), len(text), PHONE_CUES, before=len(text)):
            return
        for region in self.cued_regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
                if has_context(text, match.start, match.end, PHONE_CUES, before=PHONE_CUE_REACH) \
                        and sum(c.isdigit() for c in match.raw_string) >= 9:
                    yield match.start, match.end, match.raw_string, False
        for match in _NANP_SHAPE.finditer(text):
            yield match.start(), match.end(), match.group(0), False

    def find(self, text: str, identity=None) -> Iterator[Span]:
        if sum(ch.isdigit() for ch in text) < 7:
            return
        seen: set[tuple[int, int]] = set()
        for start, end, raw, valid in self._matches(text):
            if (start, end) in seen:
                continue
            seen.add((start, end))
            cued = has_context(text, start, end, PHONE_CUES, before=PHONE_CUE_REACH)
            if not cued and not raw.startswith("+") and sum(c.isdigit() for c in raw) < 9:
                continue  # "0400 0040" (a window), "555 0123": too short to be sure without a cue
            if _inside_dotted_number(text, start, end) or _VERSION_LIKE.match(raw) or _DECIMAL.fullmatch(raw):
                continue
            formatted = raw.startswith("+") or any(c in raw for c in " -.()/")
            score = (self.base_score if valid else self.possible_score) if formatted else self.bare_digits_score
            boost = (0.25 if not formatted else 0.1) if cued else 0.0  # "Contact: 01255963044"
            yield Span(start, end, self.phi_type, clamp(score + boost), self.rule)


_VERSION_LIKE = re.compile(r"\d{1,2}\.\d{1,2}\.")
#: A North American number as written: (555) 123-4567, 555-123-4567, 555.123.4567.
_NANP_SHAPE = re.compile(r"(?<![\w.-])(?:\+?1[-. ])?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")
#: 0.703125 is a pixel spacing, even where a region's dialling plan would accept it.
_DECIMAL = re.compile(r"\d+[.,]\d+")


def _inside_dotted_number(text: str, start: int, end: int) -> bool:
    """A version or UID part ("4.0.12412818") is not a phone number."""
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return (len(before) == 2 and before[1] == "." and before[0].isdigit()) or \
        (len(after) == 2 and after[0] == "." and after[1].isdigit())


#: (python-stdnum module, written form, cue words). Written forms with separators are
#: specific enough alone; bare digit runs need a cue word before them.
NATIONAL_IDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("stdnum.us.ssn", r"\d{3}-\d{2}-\d{4}|\d{9}", ("ssn", "social security", "ss#", "ss no")),
    ("stdnum.gb.nhs", r"\d{3} \d{3} \d{4}|\d{10}", ("nhs", "nhs no", "nhs number")),
    ("stdnum.ca.sin", r"\d{3}[- ]\d{3}[- ]\d{3}|\d{9}", ("sin", "social insurance")),
    ("stdnum.nl.bsn", r"\d{4}\.\d{2}\.\d{3}|\d{9}", ("bsn", "burgerservicenummer")),
    ("stdnum.fr.nir", r"[12] ?\d{2} ?\d{2} ?\d{2} ?\d{3} ?\d{3} ?\d{2}", ("nir", "insee", "securite sociale", "sécurité sociale")),
    ("stdnum.se.personnummer", r"(?:19|20)?\d{6}[-+]\d{4}", ("personnummer",)),
    ("stdnum.dk.cpr", r"\d{6}-\d{4}", ("cpr",)),
    ("stdnum.no.fodselsnummer", r"\d{11}", ("fødselsnummer", "fodselsnummer")),
    ("stdnum.fi.hetu", r"\d{6}[-+A]\d{3}[0-9A-Z]", ("hetu", "henkilötunnus")),
    ("stdnum.it.codicefiscale", r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]", ("codice fiscale", "cf")),
    ("stdnum.es.dni", r"\d{8}-?[A-Z]", ("dni",)),
    ("stdnum.ie.pps", r"\d{7}[A-W][A-IW]?", ("pps", "ppsn")),
)
_SEPARATED = re.compile(r"[- .+]|[A-Z]")


class NationalIdRecognizer(Recognizer):
    """pattern.national_id: SSN and other national identifiers, validated by python-stdnum."""

    rule = "pattern.national_id"
    phi_type = "ID"
    base_score = 0.9
    kinds = FREE_AND_CODED

    def __init__(self) -> None:
        self._checks = []
        for module_name, written, cues in NATIONAL_IDS:
            is_valid = importlib.import_module(module_name).is_valid  # a function: pickles by name
            pattern = re.compile(rf"(?<![\w-])(?:{written})(?![\w-])")
            self._checks.append((is_valid, pattern, cues))

    def find(self, text: str, identity=None) -> Iterator[Span]:
        if sum(ch.isdigit() for ch in text) < 6:
            return
        for is_valid, pattern, cues in self._checks:
            for match in pattern.finditer(text):
                value = match.group(0)
                if not is_valid(value):
                    continue
                cued = has_context(text, match.start(), match.end(), cues)
                if not cued and not _SEPARATED.search(value):
                    continue
                yield Span(match.start(), match.end(), self.phi_type,
                           clamp(self.base_score + (0.08 if cued else 0.0)), self.rule)


def record_id_recognizer() -> PatternRecognizer:
    """pattern.record_id: an MRN, accession or chart number right after its cue word.
    The value must hold at least three digits, so "ID: CHEST" is not an ID."""
    cue = (r"(?:MRN|MR\s?#|MR\s?No\.?|Med(?:ical)?\s+Rec(?:ord)?(?:\s+(?:No\.?|Number|#))?|"
           r"Acc(?:ession)?(?:\s*(?:No\.?|Number|#))?|Chart(?:\s*(?:No\.?|#))?|"
           r"(?:Patient|Pt|Subject|Case|Exam|Study|Order|Visit|Encounter|Account|Acct)\s*(?:ID|No\.?|Number|#)|"
           r"ID)")
    return PatternRecognizer(
        rule="pattern.record_id", phi_type="ID", base_score=0.8, kinds=FREE_AND_CODED,
        patterns=(rf"(?<![\w-]){cue}\s*[:#=.]?\s*(?P<id>(?=[A-Z0-9-]*\d[A-Z0-9-]*\d[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{{2,24}}[A-Z0-9])(?![\w.])",),
        group="id", validator=_not_equipment_id,
    )


#: "Protocol ID: 5001", "Coil ID 1234": identifiers of things, not of the patient.
_THING_WORDS = {"protocol", "series", "image", "instance", "software", "version", "device", "station",
                "sequence", "slice", "frame", "coil", "probe", "lot", "batch", "model", "part", "catalog",
                "detector", "plate", "cassette", "gantry", "transducer", "template", "code"}


def _not_equipment_id(match: re.Match[str]) -> bool:
    before = match.string[:match.start()].split()
    return not before or before[-1].lower().strip(":#.") not in _THING_WORDS


def long_number_recognizer() -> PatternRecognizer:
    """pattern.long_number: a run of 8 or more digits standing alone inside free text.
    Often an MRN or account number, but also a code: low score, reported not failed."""
    return PatternRecognizer(
        rule="pattern.long_number", phi_type="ID", base_score=0.4, kinds=FREE_TEXT,
        patterns=(r"(?<![\w.,:/-])\d{8,20}(?![\w.,:/-])",),
        validator=_embedded,
    )


def _embedded(match: re.Match[str]) -> bool:
    """A number that is the whole value is a code of its element; one inside prose is not."""
    return len(match.string.strip()) > len(match.group(0)) + 3


_AGE_WORDS = r"(?:-?years?-old|years?(?:\s+old)?|yrs?\.?(?:\s+old)?|y/?o|yo)"


def _over_89(match: re.Match[str]) -> bool:
    return 89 < int(match.group("age")) < 130


def age_recognizer() -> PatternRecognizer:
    """pattern.age: ages over 89 (HIPAA), as DICOM AS (092Y) or in prose ("92 y/o", "age 95")."""
    return PatternRecognizer(
        rule="pattern.age", phi_type="AGE", base_score=0.9, validator=_over_89,
        kinds=frozenset({"free", "coded", "age", "ocr"}),
        patterns=(r"(?<![\w.])0?(?P<age>\d{2,3})Y(?:(?=[MFO](?![\w]))|(?![\w]))",  # "097Y", "97YM" (+ sex)
                  rf"(?<![\w.])(?P<age>\d{{2,3}})\s*-?\s*{_AGE_WORDS}(?![\w])",
                  r"(?<![\w])(?:age[d:]?|aged)\s*(?P<age>\d{2,3})(?![\w.])"),
    )


#: USPS Publication 28, Appendix C1 street suffixes (common forms and abbreviations);
#: "View" is left out: "2 VIEW", "4 Chamber View" are radiograph and echo views.
STREET_SUFFIXES = (
    "alley", "aly", "avenue", "ave", "av", "boulevard", "blvd", "bypass", "causeway", "center", "ctr",
    "circle", "cir", "court", "ct", "cove", "cv", "creek", "crescent", "cres", "crossing", "xing",
    "drive", "dr", "estates", "est", "expressway", "expy", "extension", "ext", "freeway", "fwy",
    "gardens", "gdns", "glen", "green", "grn", "grove", "grv", "harbor", "hbr", "heights", "hts",
    "highway", "hwy", "hill", "hills", "inlet", "island", "junction", "jct", "lake", "lakes", "landing",
    "lane", "ln", "loop", "manor", "mnr", "meadow", "meadows", "mews", "mill", "mills", "motorway",
    "mount", "mountain", "orchard", "oval", "park", "parkway", "pkwy", "pass", "path", "pike",
    "pine", "pines", "place", "pl", "plaza", "plz", "point", "pt", "port", "ridge", "rdg", "road", "rd",
    "route", "rte", "row", "run", "square", "sq", "station", "sta", "street", "st", "strasse", "straße",
    "summit", "terrace", "ter", "trace", "trail", "trl", "turnpike", "tpke", "valley", "vly",
    "village", "vlg", "ville", "vista", "walk", "way", "wells", "wy",
)
#: Street suffixes that clinical text also uses ("pt" patient, "Dr" doctor, "ext" extension,
#: "run", "pass", "path", "station"): they mark an address only in capitalised text.
CLINICAL_SUFFIXES = frozenset({"pt", "dr", "st", "ct", "cir", "est", "ext", "sta", "run", "pass", "path", "row",
                               "park", "point", "station", "green", "center", "mill", "lake", "loop", "walk",
                               "mount", "port", "trace", "pike", "pine", "oval"})
US_STATES = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"]


def address_recognizer() -> PatternRecognizer:
    """pattern.address: "<number> <one to four words> <street suffix>", PO boxes, and
    "City, ST 12345" with a real US state code (that part case-sensitive)."""
    spelled = "|".join(sorted((x for x in STREET_SUFFIXES if len(x) >= 4 and x not in CLINICAL_SUFFIXES),
                              key=len, reverse=True))
    short = "|".join(sorted((x.capitalize() for x in STREET_SUFFIXES), key=len, reverse=True))
    states = "|".join(US_STATES)
    number = r"(?<![\w.])\d{1,6}(?:[A-UW-Z](?![\w]))?"  # "12B", never "2V" (two views)
    unit = r"(?:\s+(?:Apt\.?|Suite|Ste\.?|Unit|#)\s*\w+)?"
    return PatternRecognizer(
        rule="pattern.address", phi_type="ADDRESS", base_score=0.8, kinds=frozenset({"free", "coded", "ocr"}),
        patterns=(rf"{number}\s+(?:[A-Z][\w'.-]*\s+){{1,3}}(?:{spelled})\b\.?{unit}",
                  # abbreviations and words that clinical text uses too ("pt", "Dr", "run"):
                  # only after capitalised words, themselves capitalised or in capitals
                  rf"(?-i:{number}\s+(?:[A-Z][\w'.-]*\s+){{1,3}}(?:{short}|{short.upper()})\b\.?){unit}",
                  r"\bP\.?\s?O\.?\s+Box\s+\d+\b",
                  rf"(?-i:(?:[A-Z][A-Za-z.'-]+\s){{0,2}}[A-Z][A-Za-z.'-]+,?\s+(?:{states})\s+\d{{5}}(?:-\d{{4}})?)(?!\d)"),
        validator=_not_an_ordinal,
    )


class LabelledAddressRecognizer(Recognizer):
    """pattern.labelled_address, an address in a labelled field: "Address: 70, chemin de Arnaud, 46399 Germain-la-
    Forêt". Street layouts differ by country (number first or last, "ul.", "chemin"); the
    label says what follows, so the value up to the next field is taken whole when it holds
    a number (a house number or postal code; "Address: see chart" is no address)."""

    rule = "pattern.labelled_address"
    phi_type = "ADDRESS"
    base_score = 0.85
    kinds = FREE_AND_CODED
    _LABELLED = re.compile(
        r"(?<!ip )(?<!mac )(?<!email )(?<!e-mail )(?<!web )\b(?:address|addr\.?|home address|adresse|anschrift|wohnort|domicile|domicilio|direcci[oó]n|indirizzo|"
        r"adres|lives at|resides at)\s*[:#-]?\s+(?P<value>[^\n;]+?)"
        r"(?=\.?\s*(?:[;\n]|$)|\.\s+[A-Z][\w ]{0,24}:|\s+(?:tel|phone|e-?mail|dob|mrn)\b)", re.IGNORECASE)

    def find(self, text: str, identity=None) -> Iterator[Span]:
        for match in self._LABELLED.finditer(text):
            value = match.group("value")
            if any(c.isdigit() for c in value) and sum(c.isalpha() for c in value) >= 3:
                yield Span(match.start("value"), match.end("value"), self.phi_type, self.base_score, self.rule)


def _not_an_ordinal(match: re.Match[str]) -> bool:
    """"21 st" or "3 Dr" alone is an ordinal or an abbreviation, not a street."""
    return not re.fullmatch(r"\d+\s+(?:st|pt|dr|ct)\b\.?", match.group(0), re.IGNORECASE)


def zip_recognizer() -> PatternRecognizer:
    return PatternRecognizer(
        rule="pattern.zip", phi_type="ADDRESS", base_score=0.7, requires_context=True,
        kinds=frozenset({"free", "coded", "ocr"}), context_words=("zip", "zip code", "postal code", "postcode"),
        context_boost=0.0, patterns=(r"(?<![\w.-])\d{5}(?:-\d{4})?(?![\w.-])",),
    )
