"""pattern.national_id: national identity numbers of many countries, each validated by
python-stdnum's ``is_valid`` (check digits, birth dates, issuing codes; never a checksum
written here).

A table of written forms drives the rule. A form written with the separators of its
national format (``12345-1234567-1``, ``943 476 5919``) or with letters in fixed places
(codice fiscale, DNI) is specific enough alone. A bare run of digits whose only check is
a weak one (Luhn, mod 11: passed by chance by one number in ten) is taken only after a
cue word (NHS, Aadhaar, CNIC, PESEL, ...): otherwise every tenth MRN or phone number
would be somebody's national ID.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from phidetect.text.context import has_context
from phidetect.text.kinds import FREE_AND_CODED
from phidetect.text.recognizer import Recognizer
from phidetect.text.spans import Span, clamp

#: Cue words that say any national identity number follows, whatever the country.
GENERIC_ID_CUES = ("national id", "national identity", "national identification", "identity number",
                   "identity no", "identity card", "id card", "id no", "id number", "id #", "nin", "nid")
#: How far before a number its cue word may stand.
NATIONAL_ID_CUE_REACH = 40
#: Score of a valid number in its national written form with no cue; a cue adds CUE_BOOST.
BASE_SCORE = 0.9
CUE_BOOST = 0.08
#: Score of a bare number with a strong check and no cue (see NationalIdFormat.alone).
ALONE_SCORE = 0.7


@dataclass(frozen=True)
class NationalIdFormat:
    """One written form of one country's identity number."""

    country: str              #: ISO 3166 alpha-2 code
    module: str               #: the python-stdnum module whose ``is_valid`` checks it
    shape: str                #: regular expression of the written form (case-sensitive)
    needs_cue: bool           #: True: only after a cue word (bare digits, weak or no check)
    cues: tuple[str, ...] = ()
    min_digits: int = 6       #: fewer digits in a value: this form is not sought there
    #: Score of a bare form with no cue where its check is strong (a birth date and check
    #: digits: one random number in a thousand passes); 0.0: the form needs its cue.
    alone: float = 0.0


_SSN = ("ssn", "social security", "ss#", "ss no")
_NHS = ("nhs", "nhs no", "nhs number")
_SIN = ("sin", "social insurance")
_BSN = ("bsn", "burgerservicenummer", "sofinummer")
_NIR = ("nir", "insee", "securite sociale", "sécurité sociale", "n° ss")
_SE = ("personnummer", "personnr", "pnr")
_DK = ("cpr", "cpr-nr", "cpr nr", "personnummer")
_NO = ("fødselsnummer", "fodselsnummer", "fnr", "personnummer")
_AADHAAR = ("aadhaar", "aadhar", "adhaar", "uid", "uidai", "uid no")
_CNIC = ("cnic", "nic", "snic", "nicop", "nadra")
_ZA = ("sa id", "rsa id", "id nr", "identity document")
_TR = ("tc", "t.c.", "tckn", "tc no", "tc kimlik", "kimlik", "kimlik no", "tc kimlik no")
_BE = ("rijksregisternummer", "numéro national", "numero national", "insz", "niss", "nn", "rrn")
_DE = ("steuer-id", "steuerid", "steuer id", "idnr", "identifikationsnummer", "steuer-identifikationsnummer")
_AT = ("svnr", "vsnr", "sv-nr", "sv nr", "sozialversicherungsnummer", "versicherungsnummer")
_CZ = ("rč", "rc", "rodné číslo", "rodne cislo", "rodné čislo")
_CH = ("ahv", "avs", "ahv-nr", "avs no", "ahvn13")

#: Every form sought, specific forms first (a span found twice is reported once).
NATIONAL_IDS: tuple[NationalIdFormat, ...] = (
    NationalIdFormat("US", "stdnum.us.ssn", r"\d{3}-\d{2}-\d{4}", False, _SSN),
    NationalIdFormat("US", "stdnum.us.ssn", r"\d{9}", True, _SSN),
    NationalIdFormat("GB", "stdnum.gb.nhs", r"\d{3} \d{3} \d{4}", False, _NHS),
    NationalIdFormat("GB", "stdnum.gb.nhs", r"\d{3}-\d{3}-\d{4}|\d{10}", True, _NHS),
    NationalIdFormat("CA", "stdnum.ca.sin", r"\d{3}[- ]\d{3}[- ]\d{3}", False, _SIN),
    NationalIdFormat("CA", "stdnum.ca.sin", r"\d{9}", True, _SIN),
    NationalIdFormat("NL", "stdnum.nl.bsn", r"\d{4}\.\d{2}\.\d{3}", False, _BSN),
    NationalIdFormat("NL", "stdnum.nl.bsn", r"\d{9}", True, _BSN),
    NationalIdFormat("FR", "stdnum.fr.nir", r"[12] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}", False, _NIR),
    NationalIdFormat("FR", "stdnum.fr.nir", r"[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}", True, _NIR),
    NationalIdFormat("SE", "stdnum.se.personnummer", r"(?:19|20)?\d{6}[-+]\d{4}", False, _SE),
    NationalIdFormat("SE", "stdnum.se.personnummer", r"(?:19|20)?\d{10}", True, _SE),
    NationalIdFormat("DK", "stdnum.dk.cpr", r"\d{6}-?\d{4}", True, _DK),  # a birth date, no check digit
    NationalIdFormat("NO", "stdnum.no.fodselsnummer", r"\d{6} ?\d{5}", True, _NO),
    NationalIdFormat("FI", "stdnum.fi.hetu", r"\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]", False, ("hetu", "henkilötunnus")),
    NationalIdFormat("IT", "stdnum.it.codicefiscale", r"[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]", False,
                     ("codice fiscale", "cf"), min_digits=7),
    NationalIdFormat("ES", "stdnum.es.dni", r"\d{8}-?[A-Z]", False, ("dni",), min_digits=8),
    NationalIdFormat("ES", "stdnum.es.nie", r"[XYZ]-?\d{7}-?[A-Z]", False, ("nie",), min_digits=7),
    NationalIdFormat("IE", "stdnum.ie.pps", r"\d{7}[A-W][A-IW]?", False, ("pps", "ppsn"), min_digits=7),
    NationalIdFormat("IN", "stdnum.in_.aadhaar", r"[2-9]\d{3} \d{4} \d{4}|[2-9]\d{3}-\d{4}-\d{4}", False, _AADHAAR),
    NationalIdFormat("IN", "stdnum.in_.aadhaar", r"[2-9]\d{11}", True, _AADHAAR),
    NationalIdFormat("IN", "stdnum.in_.pan", r"[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]", True,
                     ("pan", "pan no", "pan card", "permanent account number"), min_digits=4),
    NationalIdFormat("PK", "stdnum.pk.cnic", r"\d{5}-\d{7}-\d", False, _CNIC),
    NationalIdFormat("PK", "stdnum.pk.cnic", r"\d{13}", True, _CNIC),
    NationalIdFormat("ZA", "stdnum.za.idnr", r"\d{6} \d{4} \d{3}", False, _ZA),
    NationalIdFormat("ZA", "stdnum.za.idnr", r"\d{13}", True, _ZA, alone=ALONE_SCORE),
    NationalIdFormat("TR", "stdnum.tr.tckimlik", r"[1-9]\d{10}", True, _TR, alone=ALONE_SCORE),
    NationalIdFormat("KE", "stdnum.ke.pin", r"[AP]\d{9}[A-Z]", False, ("kra", "kra pin", "pin", "pin no")),
    NationalIdFormat("BE", "stdnum.be.nn", r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}", False, _BE),
    NationalIdFormat("BE", "stdnum.be.nn", r"\d{11}", True, _BE),
    NationalIdFormat("DE", "stdnum.de.idnr", r"\d{2} \d{3} \d{3} \d{3}|\d{11}", True, _DE),
    NationalIdFormat("PL", "stdnum.pl.pesel", r"\d{11}", True, ("pesel",)),
    NationalIdFormat("EE", "stdnum.ee.ik", r"[1-6]\d{10}", True, ("isikukood", "ik")),
    NationalIdFormat("LT", "stdnum.lt.asmens", r"[1-6]\d{10}", True, ("asmens kodas", "ak")),
    NationalIdFormat("PT", "stdnum.pt.cc", r"\d{8} ?\d ?[A-Z]{2}\d", False, ("cc", "cartão de cidadão", "cartao de cidadao")),
    NationalIdFormat("AT", "stdnum.at.vnr", r"\d{4} ?\d{6}", True, _AT),
    NationalIdFormat("CZ", "stdnum.cz.rc", r"\d{6}/\d{3,4}", False, _CZ),
    NationalIdFormat("CZ", "stdnum.cz.rc", r"\d{9,10}", True, _CZ),
    NationalIdFormat("RO", "stdnum.ro.cnp", r"[1-9]\d{12}", True, ("cnp",), alone=ALONE_SCORE),
    NationalIdFormat("BG", "stdnum.bg.egn", r"\d{10}", True, ("egn", "егн")),
    NationalIdFormat("HR", "stdnum.hr.oib", r"\d{11}", True, ("oib",)),
    NationalIdFormat("SI", "stdnum.si.emso", r"\d{13}", True, ("emšo", "emso")),
    NationalIdFormat("GR", "stdnum.gr.amka", r"\d{11}", True, ("amka",)),
    NationalIdFormat("IS", "stdnum.is_.kennitala", r"\d{6}-?\d{4}", True, ("kennitala", "kt")),
    NationalIdFormat("CH", "stdnum.ch.ssn", r"756\.\d{4}\.\d{4}\.\d{2}", False, _CH),
    NationalIdFormat("CH", "stdnum.ch.ssn", r"756\d{10}", True, _CH),
    NationalIdFormat("BR", "stdnum.br.cpf", r"\d{3}\.\d{3}\.\d{3}-\d{2}", False, ("cpf",)),
    NationalIdFormat("BR", "stdnum.br.cpf", r"\d{11}", True, ("cpf",)),
    NationalIdFormat("KR", "stdnum.kr.rrn", r"\d{6}-\d{7}", False, ("rrn", "주민등록번호")),
    NationalIdFormat("MY", "stdnum.my.nric", r"\d{6}-\d{2}-\d{4}", False, ("nric", "mykad", "ic", "ic no")),
    NationalIdFormat("MX", "stdnum.mx.curp", r"[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d", False, ("curp",)),
    NationalIdFormat("CL", "stdnum.cl.rut", r"\d{1,2}\.\d{3}\.\d{3}-[\dkK]", False, ("rut", "run")),
    NationalIdFormat("CN", "stdnum.cn.ric", r"\d{17}[\dX]", True, alone=ALONE_SCORE, cues= ("ric", "resident identity", "身份证", "身份证号")),
    NationalIdFormat("ID", "stdnum.id.nik", r"\d{16}", True, ("nik", "ktp"), alone=ALONE_SCORE),
    NationalIdFormat("TH", "stdnum.th.pin", r"\d-\d{4}-\d{5}-\d{2}-\d", False, ("pin", "เลขประจำตัวประชาชน")),
    NationalIdFormat("IL", "stdnum.il.idnr", r"\d{9}", True, ("teudat zehut", "t.z.", "ת.ז")),
)

#: What may not touch a form on either side: letters, digits, or a separator that makes
#: it part of a longer number (UID components, versions, ranges, dates).
_BEFORE = r"(?<![\w\-./:,+])"
_AFTER = r"(?![\w\-]|[./:,+]\d)"


#: A written number: digits joined by the separators national forms use (letters between
#: them end it; a form with letters holds its digits in such runs too).
_DIGIT_RUN = re.compile(r"\d(?:[ .\-/]?\d)*")
_OPTIONAL = re.compile(r"\((?:\?:)?[^()]*\)\?")
_DIGITS = re.compile(r"\\d\{(\d+)(?:,\d*)?\}|\\d")
_CLASS = re.compile(r"\[[^\]]*\]")


def _class_as(match: re.Match[str]) -> str:
    r"""A character class as the counting sees it: digits only ("[2-9]") a digit, letters only
    ("[A-W]") a letter that ends a run, separators ("[- ]") or digits or letters ("[\dX]") neither."""
    inner = match.group(0)[1:-1]
    if re.fullmatch(r"(?:\d(?:-\d)?)+", inner):
        return r"\d"
    if re.fullmatch(r"[-+ ./]+", inner):
        return ""
    return "A" if "\\d" not in inner and not re.search(r"\d", inner) else ""


def _least_digits(shape: str) -> int:
    """The fewest digits that one written number matching ``shape`` must hold, counted
    cautiously (optional groups and the other alternatives left out): a form is skipped only
    where no run of digits in the text is that long."""
    alternatives = [shape] if "(" in shape else shape.split("|")
    counts = []
    for alternative in alternatives:
        plain = _CLASS.sub(_class_as, _OPTIONAL.sub("", alternative))
        counts.append(max(sum(int(m.group(1)) if m.group(1) else 1 for m in _DIGITS.finditer(run))
                          for run in re.split(r"[A-Z]", plain)))
    return min(counts)


@dataclass(frozen=True)
class _Form:
    is_valid: object          # stdnum's is_valid: a module function, pickles by name
    pattern: re.Pattern[str]
    needs_cue: bool
    cues: tuple[str, ...]
    min_digits: int
    alone: float
    least_run: int  # the longest run of digits a match must hold (see _least_digits)


class NationalIdRecognizer(Recognizer):
    """pattern.national_id: the forms of :data:`NATIONAL_IDS`, each validated by python-stdnum."""

    rule = "pattern.national_id"
    phi_type = "ID"
    base_score = BASE_SCORE
    kinds = FREE_AND_CODED

    def __init__(self, formats: tuple[NationalIdFormat, ...] = NATIONAL_IDS) -> None:
        self.formats = formats
        self._forms = tuple(
            _Form(importlib.import_module(f.module).is_valid, re.compile(rf"{_BEFORE}(?:{f.shape}){_AFTER}"),
                  f.needs_cue, f.cues + GENERIC_ID_CUES, f.min_digits, f.alone, _least_digits(f.shape))
            for f in formats)
        self._least_digits = min((f.min_digits for f in self._forms), default=0)
        self._least_run = min((f.least_run for f in self._forms), default=0)

    def find(self, text: str, identity=None) -> Iterator[Span]:
        digits = sum(ch.isdigit() for ch in text)
        if digits < self._least_digits:
            return
        # the most digits one written number holds: a form needing a longer run is not tried
        longest = max((sum(c.isdigit() for c in run) for run in _DIGIT_RUN.findall(text)), default=0)
        if longest < self._least_run:
            return
        seen: set[tuple[int, int]] = set()
        for form in self._forms:
            if digits < form.min_digits or longest < form.least_run:
                continue
            for match in form.pattern.finditer(text):
                start, end = match.span()
                if (start, end) in seen or not form.is_valid(match.group(0)):
                    continue
                cued = has_context(text, start, end, form.cues, NATIONAL_ID_CUE_REACH)
                if form.needs_cue and not cued and not form.alone:
                    continue
                seen.add((start, end))
                score = self.base_score + CUE_BOOST if cued else form.alone if form.needs_cue else self.base_score
                yield Span(start, end, self.phi_type, clamp(score), self.rule)
