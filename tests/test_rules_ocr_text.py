"""OCR text rules: the header's identity found through OCR slips, burned-in IDs, and
technical overlay text that must never become a finding."""

from __future__ import annotations

from datetime import date

import pytest

from phidetect.dicom.identity import _pn_parts
from phidetect.text.crossref import Identity, PersonName
from phidetect.text.merge import merge_spans
from phidetect.text.ocr_tolerant import OcrIdentityRecognizer, burned_in_ids, digits_normalised, is_technical


@pytest.fixture(scope="module")
def recognizer() -> OcrIdentityRecognizer:
    identity = Identity(
        names=[PersonName.from_parts(_pn_parts("OKAFOR^CHIDINMA^A")[0], "crossref.patient_name"),
               PersonName.from_parts(_pn_parts("ZZZ TEST PATIENTFIVE^NEW^P^")[0], "crossref.person_name")],
        ids={"5550193847": "crossref.patient_id", "A77812": "crossref.accession_number"},
        birth_dates={date(1958, 2, 3)},
        institutions=["Lakeside Regional Medical Center"],
    )
    return OcrIdentityRecognizer(identity)


def found(recognizer: OcrIdentityRecognizer, text: str) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.rule) for s in merge_spans(list(recognizer.find(text)), text)]


@pytest.mark.parametrize("text,expected", [
    ("OKAFOR CHIDINMA", "OKAFOR CHIDINMA"),            # as written
    ("OKAF0R, CHIDlNMA", "OKAF0R, CHIDlNMA"),          # O/0 and I/l slips, LAST, FIRST
    ("Chidinma Okafor", "Chidinma Okafor"),            # any order and case
    ("OKAFORCHIDINMA", "OKAFORCHIDINMA"),              # the space lost
    ("PT: OKAFOR CHIDIN", "OKAFOR CHIDIN"),            # cut at the image edge
    ("ZZZ TEST PATIENTFI...", "ZZZ TEST PATIENTFI"),   # a weak part between strong ones
    ("ZZZ TEST PATIENTFL 00079241539", "ZZZ TEST PATIENTFL"),  # the ellipsis read as a letter
])
def test_names_through_ocr_slips(recognizer, text, expected) -> None:
    assert [t for t, rule in found(recognizer, text) if "name" in rule] == [expected]


@pytest.mark.parametrize("text,expected", [
    ("MRN 5550193847", "5550193847"),
    ("MRN 555-019-3847", "555-019-3847"),
    ("MRN 555O19384Z", "555O19384Z"),   # two OCR slips of the same kind: O->0, Z->2? still one edit away
    ("ACC A77812", "A77812"),
])
def test_ids_through_ocr_slips(recognizer, text, expected) -> None:
    assert expected in [t for t, rule in found(recognizer, text) if rule.startswith("crossref.")]


def test_id_inside_a_longer_number_is_not_the_id(recognizer) -> None:
    assert found(recognizer, "REF 95550193847123") == []


@pytest.mark.parametrize("text", ["DOB 02/03/1958", "DOB O2.O3.l958", "3-FEB-1958", "1958-02-03"])
def test_birth_date_in_any_format(recognizer, text) -> None:
    assert [rule for _, rule in found(recognizer, text)] == ["crossref.birth_date"]


@pytest.mark.parametrize("text,expected", [
    ("LAKESIDE REGIONAL MEDICAL CENTER", "LAKESIDE REGIONAL MEDICAL CENTER"),
    ("M  LAKESIDE REGIONAL MEDI...", "LAKESIDE REGIONAL MEDI"),
])
def test_institution_even_when_cut(recognizer, text, expected) -> None:
    assert [t for t, rule in found(recognizer, text) if rule == "crossref.institution"] == [expected]


@pytest.mark.parametrize("text", ["REGIONAL", "MEDICAL CENTER", "Adv Breast", "L12-5", "TIS0.0 MI 0.6"])
def test_parts_of_words_are_not_the_identity(recognizer, text) -> None:
    assert found(recognizer, text) == []


@pytest.mark.parametrize("text,expected", [
    ("00079241539", "00079241539"),
    ("ID: 4417 2290 18", "4417 2290 18"),
    ("MRN 88O1234", "88O1234"),
])
def test_long_numbers_on_the_image_are_ids(text, expected) -> None:
    assert [text[s.start:s.end] for s in burned_in_ids(text)] == [expected]


@pytest.mark.parametrize("text", ["03/02/2017", "05:24:57PM", "kVp 120", "1.5T", "12345", "Frame 00123"])
def test_dates_times_and_short_numbers_are_not_burned_in_ids(text) -> None:
    assert list(burned_in_ids(text)) == []


@pytest.mark.parametrize("text", ["kVp 120", "W:400", "L:40", "5.0mm", "18Hz", "MI 0.9", "R", "TIS 0.1", "36Hz"])
def test_technical_text(text) -> None:
    assert is_technical(text)


@pytest.mark.parametrize("text", ["SMITH", "03/02/2017", "00079241539"])
def test_phi_is_not_technical(text) -> None:
    assert not is_technical(text)


def test_digit_normalising_keeps_length_and_words() -> None:
    text = "O1/O9/2O12 SMITH BOB"
    fixed = digits_normalised(text)
    assert fixed == "01/09/2012 SMITH BOB" and len(fixed) == len(text)


def test_sex_marker_joins_the_identity_banner() -> None:
    from phidetect.text.ocr_tolerant import demographic_markers
    from phidetect.text.spans import Span

    text = "DAVIDSON DOUGLAS [M] 01.09.2012"
    name = Span(0, 16, "NAME", 0.95, "crossref.patient_name")
    assert [text[s.start:s.end] for s in demographic_markers(text, [name])] == ["[M]"]
    assert list(demographic_markers("ABDOMEN [M] 3.5 MHz", [])) == []
