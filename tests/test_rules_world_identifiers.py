"""Identifiers of the world in free text: national identity numbers (pattern.national_id),
phone numbers (pattern.phone), record numbers (pattern.record_id, pattern.record_number,
pattern.long_number), street lines and postcodes (pattern.street_line, pattern.postcode),
labelled addresses and the newer date forms, each beside the look-alikes of a radiology
report that are none of them.

Valid identity numbers are completed here by python-stdnum's own ``is_valid`` (check
characters tried until one passes) and made invalid the same way; phone numbers are
phonenumbers' example numbers. The names, streets and places were written for these tests.
"""

from __future__ import annotations

import importlib
import itertools
import string

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from phidetect.text.addresses import LabelledAddressRecognizer
from phidetect.text.dates import DateRecognizer
from phidetect.text.merge import merge_spans
from phidetect.text.national_ids import (
    ALONE_SCORE,
    BASE_SCORE,
    CUE_BOOST,
    NATIONAL_ID_CUE_REACH,
    NationalIdRecognizer,
)
from phidetect.text.phones import HOME_REGIONS, PhoneRecognizer
from phidetect.text.record_numbers import (
    LONG_NUMBER_ID_DIGITS,
    PREFIXED_MIN_DIGITS,
    LongNumberParameters,
    LongNumberRecognizer,
    record_id_recognizer,
    record_number_recognizer,
)
from phidetect.text.registry import default_registry
from phidetect.text.spans import Span
from phidetect.text.street_lines import StreetLineParameters, StreetLineRecognizer, postcode_recognizer

#: The default sweep threshold (docs/rules.md): a finding at or above it is reported.
FAIL_ON = 0.5
REGISTRY = default_registry()
DIGITS = string.digits
LETTERS = string.ascii_uppercase


def complete(prefix: str, module: str, alphabet: str = DIGITS, width: int = 1) -> str:
    """``prefix`` and the first ``width`` characters of ``alphabet`` that python-stdnum accepts."""
    is_valid = importlib.import_module(module).is_valid
    for tail in itertools.product(alphabet, repeat=width):
        if is_valid(prefix + "".join(tail)):
            return prefix + "".join(tail)
    raise ValueError(f"no valid {module} number starts with {prefix}")


def corrupt(number: str, module: str) -> str:
    """``number`` with one character changed (the check character first, then backwards
    to the birth date or the issuing code) so that python-stdnum rejects it."""
    is_valid = importlib.import_module(module).is_valid
    for index in reversed(range(len(number))):
        char = number[index]
        if not char.isalnum():
            continue
        for other in DIGITS if char.isdigit() else LETTERS:
            candidate = number[:index] + other + number[index + 1:]
            if other != char and not is_valid(candidate):
                return candidate
    raise ValueError(f"no change makes {number} invalid")


def found(rule: str, text: str) -> list[tuple[str, str, float]]:
    """(span text, phi_type, score) of each span one rule finds on its own."""
    return [(text[s.start:s.end], s.phi_type, s.score) for s in REGISTRY[rule].analyze(text)]


def found_texts(rule: str, text: str) -> list[str]:
    return [t for t, _, _ in found(rule, text)]


def merged(text: str) -> list[Span]:
    """Every rule's spans on ``text`` as free text, merged the way findings are."""
    return merge_spans(REGISTRY.analyze(text, "free"), text)


def reported(text: str) -> list[tuple[str, str, float]]:
    """(span text, phi_type, score) of each merged finding at or above FAIL_ON."""
    return [(text[s.start:s.end], s.phi_type, s.score) for s in merged(text) if s.score >= FAIL_ON]


def only_span(rule: str, text: str, expected: str) -> tuple[str, str, float]:
    """The one span ``rule`` finds, which must cover exactly ``expected``."""
    spans = found(rule, text)
    assert [t for t, _, _ in spans] == [expected], spans
    return spans[0]


# --- pattern.national_id -------------------------------------------------------------

ZA_ID = complete("850612012308", "stdnum.za.idnr")
TR_KIMLIK = complete("370281549", "stdnum.tr.tckimlik", width=2)
ID_NIK = complete("327301550588012", "stdnum.id.nik")
CN_RIC = complete("11010519880514123", "stdnum.cn.ric", DIGITS + "X")
RO_CNP = complete("285091340123", "stdnum.ro.cnp")
PESEL = complete("8803140581", "stdnum.pl.pesel")
CA_SIN = complete("54651891", "stdnum.ca.sin")
AADHAAR = complete("49731860225", "stdnum.in_.aadhaar")
NHS = complete("401023213", "stdnum.gb.nhs")

#: Bare numbers whose check is strong (a birth date or a region and check digits), with
#: the module that checks them and a cue word of their country.
STRONG_BARE = [
    (ZA_ID, "stdnum.za.idnr", "RSA ID"),
    (TR_KIMLIK, "stdnum.tr.tckimlik", "T.C. Kimlik No:"),
    (ID_NIK, "stdnum.id.nik", "NIK:"),
    (CN_RIC, "stdnum.cn.ric", "身份证号"),
    (RO_CNP, "stdnum.ro.cnp", "CNP"),
]


def _cnic(n: str) -> str:
    return f"{n[:5]}-{n[5:12]}-{n[12:]}"


def _cpf(n: str) -> str:
    return f"{n[:3]}.{n[3:6]}.{n[6:9]}-{n[9:]}"


def _rut(n: str) -> str:
    return f"{n[:2]}.{n[2:5]}.{n[5:8]}-{n[8:]}"


def _th_pin(n: str) -> str:
    return f"{n[0]}-{n[1:5]}-{n[5:10]}-{n[10:12]}-{n[12]}"


#: Numbers in their national written form (separators or letters in fixed places), which
#: are specific enough with no cue word.
WRITTEN_FORMS = [
    pytest.param(f"{AADHAAR[:4]} {AADHAAR[4:8]} {AADHAAR[8:]}", "stdnum.in_.aadhaar", id="IN-aadhaar"),
    pytest.param(_cnic(complete("610112345678", "stdnum.pk.cnic")), "stdnum.pk.cnic", id="PK-cnic"),
    pytest.param(complete("RSSGNN85C41H501", "stdnum.it.codicefiscale", LETTERS), "stdnum.it.codicefiscale",
                 id="IT-codice-fiscale"),
    pytest.param(_cpf(complete("528417093", "stdnum.br.cpf", width=2)), "stdnum.br.cpf", id="BR-cpf"),
    pytest.param(_th_pin(complete("110050012345", "stdnum.th.pin")), "stdnum.th.pin", id="TH-pin"),
    pytest.param(_rut(complete("16348572", "stdnum.cl.rut", DIGITS + "K")), "stdnum.cl.rut", id="CL-rut"),
]


@pytest.mark.parametrize(("number", "module", "cue"), STRONG_BARE)
def test_a_bare_number_with_a_strong_check_is_found_without_a_cue(number: str, module: str, cue: str) -> None:
    """ZA ID, T.C. Kimlik, NIK, RIC, CNP: a random run of digits passes one in a thousand,
    so the number alone is reported; its cue word makes it surer still."""
    text = f"Request form lists {number} beside the signature"
    assert only_span("pattern.national_id", text, number) == (number, "ID", ALONE_SCORE)
    assert ALONE_SCORE >= FAIL_ON
    assert (number, "ID") in [(t, phi) for t, phi, _ in reported(text)]
    cued = f"{cue} {number}"
    assert only_span("pattern.national_id", cued, number)[2] == pytest.approx(BASE_SCORE + CUE_BOOST)


@pytest.mark.parametrize(("number", "module", "cue"), STRONG_BARE)
def test_an_invalid_variant_of_a_strongly_checked_number_is_no_national_id(number: str, module: str,
                                                                           cue: str) -> None:
    bad = corrupt(number, module)
    assert NationalIdRecognizer().analyze(f"Request form lists {bad} beside the signature") == []


@pytest.mark.parametrize(("number", "module"), WRITTEN_FORMS)
def test_a_national_id_in_its_written_form_is_found_without_a_cue(number: str, module: str) -> None:
    text = f"Copy of {number} kept on the ward"
    assert only_span("pattern.national_id", text, number) == (number, "ID", BASE_SCORE)
    assert (number, "ID") in [(t, phi) for t, phi, _ in reported(text)]


@pytest.mark.parametrize(("number", "module"), WRITTEN_FORMS)
def test_a_written_form_with_a_wrong_check_is_no_national_id(number: str, module: str) -> None:
    bad = corrupt(number, module)
    assert NationalIdRecognizer().analyze(f"Copy of {bad} kept on the ward") == []


@pytest.mark.parametrize(("cue", "number"), [
    ("PESEL", PESEL), ("Aadhaar", AADHAAR), ("NHS number", NHS),
])
def test_a_bare_number_with_a_weak_check_needs_its_cue(cue: str, number: str) -> None:
    """Luhn, mod 11 and the like pass one number in ten: without the cue every tenth MRN
    would be somebody's national ID."""
    assert found("pattern.national_id", f"Value {number} copied from the old chart") == []
    text = f"{cue} {number}"
    assert only_span("pattern.national_id", text, number)[2] == pytest.approx(BASE_SCORE + CUE_BOOST)


@pytest.mark.parametrize(("cue", "number"), [("National ID:", PESEL), ("ID no.", CA_SIN)])
def test_a_generic_identity_cue_serves_every_country(cue: str, number: str) -> None:
    assert found_texts("pattern.national_id", f"{cue} {number}") == [number]


def test_a_cue_beyond_its_reach_does_not_count() -> None:
    gap = " and" * (NATIONAL_ID_CUE_REACH // 4 + 1)
    assert found("pattern.national_id", f"PESEL{gap} {PESEL}") == []
    assert found_texts("pattern.national_id", f"PESEL and {PESEL}") == [PESEL]


# --- pattern.phone -------------------------------------------------------------------

def example(region: str, kind: int = PhoneNumberType.MOBILE,
            written: int = PhoneNumberFormat.INTERNATIONAL) -> str:
    return phonenumbers.format_number(phonenumbers.example_number_for_type(region, kind), written)


def phones(text: str) -> list[str]:
    return [text[s.start:s.end] for s in PhoneRecognizer().find(text)]


@pytest.mark.parametrize("region", ["NG", "KE", "IN", "VN", "BR"])
def test_an_international_number_of_any_country_is_a_phone(region: str) -> None:
    number = example(region)
    text = f"Daughter on {number} evenings"
    span = only_span("pattern.phone", text, number)
    assert span[1] == "PHONE" and span[2] >= FAIL_ON


@pytest.mark.parametrize("region", ["IN", "TR"])
def test_an_international_number_written_with_00_is_a_phone(region: str) -> None:
    number = "00 " + example(region).removeprefix("+")
    text = f"Daughter on {number} evenings"
    assert [(t, phi) for t, phi, _ in reported(text)] == [(number, "PHONE")]


@pytest.mark.parametrize("region", ["TR", "NP", "MX"])
def test_a_national_number_of_another_country_needs_a_phone_cue(region: str) -> None:
    """Valid in no home region: near "Mobile" it is checked against the cued regions' plans."""
    number = example(region, written=PhoneNumberFormat.NATIONAL)
    assert phones(f"seen {number} today") == []
    span = only_span("pattern.phone", f"Mobile: {number}", number)
    assert span[1] == "PHONE" and span[2] >= FAIL_ON


@pytest.mark.parametrize("region", HOME_REGIONS)
def test_a_home_region_number_is_a_phone_anywhere(region: str) -> None:
    number = example(region, PhoneNumberType.FIXED_LINE, PhoneNumberFormat.NATIONAL)
    span = only_span("pattern.phone", f"Next of kin {number} evenings", number)
    assert span[1] == "PHONE" and span[2] >= FAIL_ON


@pytest.mark.parametrize(("text", "value"), [
    ("SSS No.: 34-1234567-8", "34-1234567-8"),
    ("Citizenship No. 13-05-63-89536", "13-05-63-89536"),
    ("UMID 0111-2233445-6", "0111-2233445-6"),
    ("Filed under 2019-004512-3 in the archive", "2019-004512-3"),
])
def test_an_identity_number_is_not_a_phone(text: str, value: str) -> None:
    """An ID cue word or an identifier's grouping (a long middle group between short ones)
    says it is an identity number, reported as such."""
    assert phones(text) == []
    assert [(t, phi) for t, phi, _ in reported(text)] == [(value, "ID")]


def test_a_phone_shaped_number_after_an_id_cue_is_not_a_phone() -> None:
    assert phones(f"SSS No.: {example('NG', written=PhoneNumberFormat.NATIONAL)}") == []


# --- pattern.record_id ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("MRN: 20457781", "20457781"),
    ("UHID-PK4471203", "PK4471203"),
    ("IP No: 2023/45871", "2023/45871"),
    ("NIN 48213977561", "48213977561"),
    ("CCCD: 079188004512", "079188004512"),
    ("Số CCCD 001089004321", "001089004321"),
    ("SSS No.: 34-1234567-8", "34-1234567-8"),
    ("Nagarikta No. 31-02-75-11223", "31-02-75-11223"),
    ("PhilHealth No. 12-050123456-7", "12-050123456-7"),
    ("Folder No. KBTH/4471/22", "KBTH/4471/22"),
    ("Reg No - 4471/19", "4471/19"),
])
def test_the_value_after_a_record_cue_is_an_id(text: str, value: str) -> None:
    """The value only, not its cue, whatever its shape and whichever separator follows the cue."""
    assert only_span("pattern.record_id", text, value) == (value, "ID", record_id_recognizer().base_score)
    assert [(t, phi) for t, phi, _ in reported(text)] == [(value, "ID")]


@pytest.mark.parametrize("text", [
    "MRN: ANON", "Ward No. 12", "Series ID 4412", "Coil ID 1234567",
])
def test_a_cue_before_a_word_a_short_number_or_a_thing_is_no_record_id(text: str) -> None:
    assert found("pattern.record_id", text) == []


# --- pattern.record_number -----------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("Seen at RMH/56828/14 in March", "RMH/56828/14"),
    ("Prior films KBTH/2019/123456 reviewed", "KBTH/2019/123456"),
    ("Compared with KMC-897268 from last year", "KMC-897268"),
    ("Old images under MRN12345678 retrieved", "MRN12345678"),
    ("Card 34-1234567-8 shown at the desk", "34-1234567-8"),
])
def test_an_institution_prefixed_number_is_a_record_number_without_a_cue(text: str, value: str) -> None:
    span = only_span("pattern.record_number", text, value)
    assert span[1] == "ID" and span[2] >= record_number_recognizer().base_score >= FAIL_ON


@pytest.mark.parametrize("prefix", ["ISO", "IEC", "NCT", "ICD", "LOT"])
def test_a_standard_registry_or_catalogue_prefix_is_no_record_number(prefix: str) -> None:
    assert found("pattern.record_number", f"See {prefix}-897268 and {prefix}/2019/123456 attached") == []
    assert found_texts("pattern.record_number", "See KMC-897268 attached") == ["KMC-897268"]


def test_a_prefixed_number_needs_enough_digits() -> None:
    """"XYZ-12345" may be a part number; six digits are a file's."""
    short, enough = "KMC-" + "4" * (PREFIXED_MIN_DIGITS - 1), "KMC-" + "4" * PREFIXED_MIN_DIGITS
    assert found("pattern.record_number", f"See {short} attached") == []
    assert found_texts("pattern.record_number", f"See {enough} attached") == [enough]


def test_a_prefixed_number_after_a_thing_word_is_no_record_number() -> None:
    assert found("pattern.record_number", "Protocol KBTH/2019/123456 was used") == []


# --- pattern.long_number -------------------------------------------------------------

@pytest.mark.parametrize(("digits", "long"), [
    (8, False), (LONG_NUMBER_ID_DIGITS - 1, False), (LONG_NUMBER_ID_DIGITS, True),
])
def test_a_long_number_in_prose_scores_by_its_length(digits: int, long: bool) -> None:
    """8-9 digits are as often a code as an MRN (below FAIL_ON); 10+ are a person's number."""
    number = "".join(str((3 + 7 * i) % 10) for i in range(digits))
    text = f"Called about {number} this morning"
    parameters = LongNumberParameters()
    score = parameters.long_score if long else parameters.short_score
    assert only_span("pattern.long_number", text, number) == (number, "ID", score)
    assert (score >= FAIL_ON) is long


@pytest.mark.parametrize("text", ["4417229018", "  4417229018  ", "12345678"])
def test_a_number_that_is_the_whole_value_is_no_long_number(text: str) -> None:
    assert found("pattern.long_number", text) == []


def test_long_number_scores_come_from_its_parameters() -> None:
    recognizer = LongNumberRecognizer(LongNumberParameters(short_score=0.3, long_score=0.65))
    text = "Called about 12345678 and 1234567890 today"
    assert [(text[s.start:s.end], s.score) for s in recognizer.find(text)] == [("12345678", 0.3),
                                                                               ("1234567890", 0.65)]


# --- pattern.street_line -------------------------------------------------------------

@pytest.mark.parametrize(("text", "address", "postcode"), [
    ("Lives in Flat 12, Marine Drive, Ernakulam 682031 with family", "Flat 12, Marine Drive, Ernakulam 682031", True),
    ("Jl. Kenanga No. 9, Kec. Cibinong, Kab. Bogor 16911", "Jl. Kenanga No. 9, Kec. Cibinong, Kab. Bogor 16911", True),
    ("Gg. Melati No. 3 RT 04 RW 07, Depok", "Gg. Melati No. 3 RT 04 RW 07, Depok", False),
    ("Số 22 đường Lê Lợi, phường Bến Thành, quận 1, TP. Hồ Chí Minh",
     "Số 22 đường Lê Lợi, phường Bến Thành, quận 1, TP. Hồ Chí Minh", False),
    ("Seen at 45 Bahariye Caddesi, Kadıköy, İstanbul", "45 Bahariye Caddesi, Kadıköy, İstanbul", False),
    ("Holding No. 12, Road 7, Mirpur, Dhaka 1216", "Holding No. 12, Road 7, Mirpur, Dhaka 1216", True),
    ("14 Umgeni Road, Greyville, Durban 4001", "14 Umgeni Road, Greyville, Durban 4001", True),
    ("Brgy. San Roque, Purok 3, Tagum City", "Brgy. San Roque, Purok 3, Tagum City", False),
    ("Taman Melati, Jalan Dahlia 3, 53100 Kuala Lumpur", "Taman Melati, Jalan Dahlia 3, 53100 Kuala Lumpur", True),
])
def test_a_street_line_of_the_world_is_an_address(text: str, address: str, postcode: bool) -> None:
    parameters = StreetLineParameters()
    score = parameters.with_postcode_score if postcode else parameters.line_score
    spans = [(text[s.start:s.end], s.phi_type, s.score) for s in StreetLineRecognizer().find(text)]
    assert spans == [(address, "ADDRESS", score)]
    assert score >= FAIL_ON


def test_a_full_stop_after_a_place_ends_the_street_line() -> None:
    text = "Jl. Kenanga No. 9, Bogor. Kontrol ulang dua minggu"
    assert found_texts("pattern.street_line", text) == ["Jl. Kenanga No. 9, Bogor"]


# --- pattern.postcode ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "postcode", "cued"), [
    ("Postcode: LS2 9JT", "LS2 9JT", True),
    ("Moved near EH8 9AG last year", "EH8 9AG", False),
    ("Eircode D02 X285", "D02 X285", True),
    ("Family in H91 E2K3 now", "H91 E2K3", False),
    ("postal code M5V 3L9", "M5V 3L9", True),
])
def test_a_uk_irish_or_canadian_postcode_is_an_address(text: str, postcode: str, cued: bool) -> None:
    recognizer = postcode_recognizer()
    score = recognizer.base_score + (recognizer.context_boost if cued else 0.0)
    assert only_span("pattern.postcode", text, postcode) == (postcode, "ADDRESS", pytest.approx(score))
    assert score >= FAIL_ON


@pytest.mark.parametrize("text", [
    "Staged T3N0M0 at surgery", "Staged T2N 1M0", "Series SE2 9XY", "level L4 5AB",
])
def test_a_tnm_stage_or_a_series_code_is_no_postcode(text: str) -> None:
    assert found("pattern.postcode", text) == []


# --- pattern.labelled_address --------------------------------------------------------

@pytest.mark.parametrize(("text", "address"), [
    ("Lives at 48 Willow Lane, Bramford. Seen with daughter.", "48 Willow Lane, Bramford"),
    ("Resides at 7 Birch Close, Ashby. CT head normal.", "7 Birch Close, Ashby"),
    ("Alamat: Jl. Kenanga No. 9, Bogor. Pasien puasa.", "Jl. Kenanga No. 9, Bogor"),
    ("Address: No. 14, Temple Road, Galle. Reviewed today.", "No. 14, Temple Road, Galle"),
    ("Lives at 9 Elm Rd. Thornbury", "9 Elm Rd. Thornbury"),
])
def test_a_labelled_address_ends_with_its_sentence_not_at_an_abbreviation(text: str, address: str) -> None:
    """A full stop before a capital ends the address; after Jl., No. or Rd. it does not."""
    assert only_span("pattern.labelled_address", text, address) == (address, "ADDRESS", LabelledAddressRecognizer.base_score)


# --- pattern.date --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("Seen Jan-12-96 in clinic", "Jan-12-96"),
    ("Sept-03-01 follow-up scan", "Sept-03-01"),
    ("Born 24 Feb '48 in Eldoret", "24 Feb '48"),
    ("Feb 24 ’48 per the mother", "Feb 24 ’48"),
    ("Admitted on the 12th of January 1996", "12th of January 1996"),
    ("3 Sept 2001 CT head", "3 Sept 2001"),
])
def test_the_newer_date_forms_are_dates(text: str, value: str) -> None:
    assert only_span("pattern.date", text, value) == (value, "DATE", DateRecognizer.base_score)


@pytest.mark.parametrize("text", ["Feb-30-96", "Apr-31-01 clinic", "Jan 12 96 patients", "Jan-12-96-4"])
def test_impossible_dates_and_counts_are_no_dates(text: str) -> None:
    """No 30 February; "Jan 12 96" without hyphens is a count; a fourth group makes a code."""
    assert found("pattern.date", text) == []


# --- look-alikes: nothing reported ---------------------------------------------------

@pytest.mark.parametrize("text", [
    "kVp 120", "ISO-9001:2015", "IEC 60601-1", "BI-RADS 4", "L4-L5", "COVID-19", "T2 FLAIR 3 mm",
    "3 Tesla MRI, Siemens, 2019", "Series 3, Image 45, Slice 12", "Enrolled in trial NCT01234567 in 2019.",
    "F-18 FDG PET/CT", "Tc-99m MAG3", "AJCC T2N1M0", "Gleason 3+4=7", "Bed 4, Ward 7", "DLP 1234 mGy.cm",
    "Window 400/40", "ID 1.2.840.10008.5.1.4.1.1.2", "4417229018", "REF-554213 coil",
])
def test_radiology_look_alikes_are_not_phi(text: str) -> None:
    assert reported(text) == []
