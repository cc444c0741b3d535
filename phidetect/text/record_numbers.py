"""Record numbers: MRNs, accession, file and registration numbers, written by hospitals
everywhere in their own shapes.

Three rules. ``pattern.record_id`` takes the value right after a cue word (MRN, UHID,
IP No, Hosp no., NIN, CCCD, Citizenship No., ...): the cue says what it is, so any shape
with three digits will do. ``pattern.record_number`` needs no cue: a hospital's letter
prefix joined to digit groups (``ABC/56828/14``, ``KNH-897268``, ``AIIMS/2019/123456``,
``MRN12345678``) is an identifier's shape, unless the prefix names a standard, a registry
or a catalogue (``ISO-9001``, ``NCT01234567``, ``IEC 60601``). ``pattern.long_number``
is a bare run of 8+ digits inside prose: often an MRN, also often a code, so it scores low.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from phidetect.text.context import has_context
from phidetect.text.kinds import FREE_AND_CODED
from phidetect.text.recognizer import FREE_TEXT, PatternRecognizer, Recognizer
from phidetect.text.spans import Span

#: Cue words after which a value is a record or identity number, whatever its shape.
RECORD_CUES = (
    r"MRN|MR\s?#|MR\s?No\.?|Med(?:ical)?\s+Rec(?:ord)?(?:\s+(?:No\.?|Number|#))?",
    r"Acc(?:ession)?(?:\s*(?:No\.?|Number|#))?|Chart(?:\s*(?:No\.?|#))?",
    r"(?:Patient|Pt|Subject|Case|Exam|Study|Order|Visit|Encounter|Account|Acct|Admission|Adm|Hosp(?:ital)?"
    r"|Reg(?:istration)?|File|Folder|Card|Record|Ref(?:erence)?|Inpatient|Outpatient|IP|OP|IPD|OPD|CR|UH"
    r"|Unit|Clinic|Ward)\.?\s*(?:ID|No\.?|Number|#)",
    r"UHID|UMRN|URN|IPD|OPD|NHI|CHI|NIN|NID|NIC|CCCD|CMND(?:/CCCD)?|S[ốo]\s+CCCD|SSS(?:\s*No\.?)?|TIN"
    r"|PhilHealth(?:\s*No\.?)?|UMID|Passport(?:\s*(?:No\.?|Number))?"
    r"|Citizenship(?:\s+(?:Certificate|Cert\.?))?(?:\s*(?:No\.?|Number))?|Nagarikta(?:\s*(?:No\.?|Number))?"
    r"|National\s+ID(?:\s*(?:No\.?|Number))?|Identity\s+(?:No\.?|Number)",
    r"ID",
)
_CUE = "(?:" + "|".join(RECORD_CUES) + r")(?:\s*(?:No\.?|Number|#))?"
#: The value after a cue: letters, digits and the separators record numbers use, 3+ digits.
_CUED_VALUE = r"(?=[A-Z0-9/.-]*\d[A-Z0-9/.-]*\d[A-Z0-9/.-]*\d)[A-Z0-9][A-Z0-9/.-]{2,24}[A-Z0-9]"

#: A number written in groups of digits after its cue: "NIN 4821 3977 561", "CCCD 079 188 004 512".
_GROUPED_VALUE = r"\d{2,5}(?: \d{2,6}){1,4}(?![\d])"

#: "Protocol ID: 5001", "Coil ID 1234": identifiers of things, not of the patient.
THING_WORDS = frozenset({
    "protocol", "series", "image", "instance", "software", "version", "device", "station", "sequence", "slice",
    "frame", "coil", "probe", "lot", "batch", "model", "part", "catalog", "detector", "plate", "cassette",
    "gantry", "transducer", "template", "code"})
_THING_CUES = tuple(sorted(THING_WORDS))
#: Prefixes of standards, registries, catalogues and versions: "ISO-9001", "NCT01234567".
NOT_RECORD_PREFIXES = frozenset({
    "ISO", "IEC", "EN", "DIN", "BS", "ANSI", "ASTM", "NEMA", "AAPM", "ACR", "IEEE", "CEI", "JIS", "GB", "UL", "CSA",
    "ICD", "CPT", "HCPCS", "LOINC", "SNOMED", "RXNORM", "ATC", "NDC", "CAS", "UDI", "GTIN", "EAN", "UPC", "NCT",
    "ISRCTN", "EUDRACT", "CTRI", "ACTRN", "DRKS", "PMID", "PMCID", "DOI", "ISBN", "ISSN", "ORCID", "REF", "LOT",
    "SN", "FW", "SW", "HW", "VER", "REV", "RFC", "CVE", "DICOM", "IHE", "HL", "FDA", "CE", "CFR", "TG", "IAEA",
    "TRS", "ICRP", "ICRU", "NCRP", "WHO", "COVID", "SARS", "CA", "CD", "HLA", "HPV", "HIV", "HSV", "MK", "BMS",
    "GSK", "LY", "AZD", "BAY", "RO", "PF", "IMG", "DSC", "DSCN", "PIC", "IMAGE", "FILE", "TMP", "VID", "MOV",
    "LP", "LA", "LG", "LL", "RID", "RPID", "CID", "DCM", "SRT", "UMLS", "MTHU", "MEDDRA", "OMIM", "HGNC", "ORPHA",
})
_PREFIXED = (r"(?-i:(?<![\w/.-])(?P<prefix>[A-Z]{2,6})(?:(?P<sep>[/.-])(?:[A-Z]{2,4}(?P=sep))?\d{2,}(?:(?P=sep)\d{2,})*"
             r"|\d{6,12}))(?![\w/-]|\.\d)")
#: Digit groups joined by dashes around a long middle one (SSS 34-1234567-8, file 2019-004512-3):
#: an identifier's shape, never a phone's (whose groups are short) nor a date's.
_DASHED = r"(?<![\w/.-])(?P<prefix>)\d{2,5}-\d{5,8}-\d{1,3}(?![\w/-]|\.\d)"
#: Digits a prefixed number must hold ("XYZ-12345" may be a part number; six is a file's).
PREFIXED_MIN_DIGITS = 6


#: A decimal number.
_DECIMAL = re.compile(r"\d+\.\d+")


def _not_equipment_id(match: re.Match[str]) -> bool:
    """The word before the cue is not a thing's ("Coil ID 1234")."""
    before = match.string[:match.start()].split()
    return not before or before[-1].lower().strip(":#.") not in THING_WORDS


def _cued_value(match: re.Match[str]) -> bool:
    """A record number after its cue, not a UID ("ID 1.2.840.10008.1"), nor a decimal."""
    value = match.group("id")
    if value.count(".") > 2 or _DECIMAL.fullmatch(value):
        return False
    return _not_equipment_id(match)


def record_id_recognizer() -> PatternRecognizer:
    """pattern.record_id: a record or identity number right after its cue word (3+ digits,
    so "ID: CHEST" is not an ID)."""
    return PatternRecognizer(
        rule="pattern.record_id", phi_type="ID", base_score=0.8, kinds=FREE_AND_CODED,
        patterns=(rf"(?<![\w-]){_CUE}(?:\s*[:#=.\-–]){{0,3}}\s*(?P<id>{_GROUPED_VALUE}|{_CUED_VALUE})(?![\w]|[./-]\w)",),
        group="id", validator=_cued_value,
    )


def _record_shaped(match: re.Match[str]) -> bool:
    """Enough digits, a prefix that is no standard's, and not a thing's number."""
    text = match.group(0)
    if not _embedded(match) and match.group("sep") is None:
        return False  # a whole value run together ("FPT1926069" in a CodeValue) is a code of its element
    if (match.group("prefix") or "") in NOT_RECORD_PREFIXES or sum(c.isdigit() for c in text) < PREFIXED_MIN_DIGITS:
        return False
    return not has_context(match.string, match.start(), match.end(), _THING_CUES, before=12)


def record_number_recognizer() -> PatternRecognizer:
    """pattern.record_number: an institution-prefixed record number with no cue."""
    return PatternRecognizer(
        rule="pattern.record_number", phi_type="ID", base_score=0.7, kinds=FREE_TEXT,
        patterns=(_PREFIXED, _DASHED), validator=_record_shaped, context_boost=0.15, context_window=24,
        context_words=("mrn", "record", "file", "hosp", "hospital", "reg", "registration", "ref", "no", "number",
                       "ip", "op", "uhid", "admission", "chart", "case", "folder", "filed"),
    )


def _embedded(match: re.Match[str]) -> bool:
    """A number that is the whole value is a code of its element; one inside prose is not."""
    return len(match.string.strip()) > len(match.group(0)) + 3


#: Digits from which a lone number in prose is more likely a person's number than a code.
LONG_NUMBER_ID_DIGITS = 10


@dataclass(frozen=True)
class LongNumberParameters:
    """Scores of pattern.long_number: 8-9 digits are as often a code (SNOMED, a lot, a
    device) as an MRN; 10 or more in a sentence are an identity, record or phone number."""

    short_score: float = 0.4
    long_score: float = 0.55


class LongNumberRecognizer(Recognizer):
    """pattern.long_number: a run of 8 or more digits standing alone inside free text
    (identity numbers with no public check, NIN, CCCD, NID, are found so without a cue)."""

    rule = "pattern.long_number"
    phi_type = "ID"
    kinds = FREE_TEXT
    _PATTERN = re.compile(r"(?<![\w.,:/-])\d{8,20}(?![\w.,:/-])")

    def __init__(self, parameters: LongNumberParameters = LongNumberParameters()) -> None:
        self.parameters = parameters

    def find(self, text: str, identity=None) -> Iterator[Span]:
        for match in self._PATTERN.finditer(text):
            if _embedded(match):
                digits = match.end() - match.start()
                score = self.parameters.long_score if digits >= LONG_NUMBER_ID_DIGITS else self.parameters.short_score
                yield Span(match.start(), match.end(), self.phi_type, score, self.rule)


def long_number_recognizer() -> LongNumberRecognizer:
    return LongNumberRecognizer()
