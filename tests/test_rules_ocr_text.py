"""OCR text rules: the header's identity found through OCR slips, burned-in IDs, and
technical overlay text that must never become a finding."""

from __future__ import annotations

from datetime import date

import pytest

from phidetect.dicom.identity import _pn_parts
from phidetect.text.crossref import Identity, PersonName
from phidetect.text.merge import merge_spans
from phidetect.text.ocr_identity import OcrIdentityIndex
from phidetect.text.ocr_rewrites import (
    digits_normalised,
    glyphs_normalised,
    separators_normalised,
    spacing_normalised,
    span_back,
    unglued,
)
from phidetect.text.ocr_tolerant import is_technical, is_technical_line
from phidetect.text.recognizer import MergedLine
from phidetect.text.registry import default_registry
from phidetect.text.spans import Span

REGISTRY = default_registry()


def burned_in_ids(text: str) -> list[Span]:
    return REGISTRY["ocr.long_number"].analyze(text)


def labelled_dates(text: str) -> list[Span]:
    return REGISTRY["ocr.labelled_birth_date"].analyze(text) + REGISTRY["ocr.labelled_date"].analyze(text)


def month_dates(text: str) -> list[Span]:
    return REGISTRY["ocr.month_date"].analyze(text)


def comma_names(text: str) -> list[Span]:
    return REGISTRY["ocr.comma_name"].analyze(text)


def caret_names(text: str) -> list[Span]:
    return REGISTRY["ocr.caret_name"].analyze(text)


@pytest.fixture(scope="module")
def recognizer() -> OcrIdentityIndex:
    identity = Identity(
        names=[PersonName.from_parts(_pn_parts("OKAFOR^CHIDINMA^A")[0], "crossref.patient_name"),
               PersonName.from_parts(_pn_parts("ZZZ TEST PATIENTFIVE^NEW^P^")[0], "crossref.person_name")],
        ids={"5550193847": "crossref.patient_id", "A77812": "crossref.accession_number"},
        birth_dates={date(1958, 2, 3)},
        institutions=["Lakeside Regional Medical Center"],
    )
    return OcrIdentityIndex(identity)


def found(recognizer: OcrIdentityIndex, text: str) -> list[tuple[str, str]]:
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


@pytest.mark.parametrize(("text", "fixed"), [
    ("2010-02.13 15.50", "2010-02-13 15.50"), ("13.02-2010", "13.02.2010"), ("10:37.59 10/27/13", "10:37:59 10/27/13"),
    ("10.37:59", "10:37:59"),
    ("1.5-2.0 mm", "1.5-2.0 mm"), ("v4.0.12412818", "v4.0.12412818"), ("2010-02.13.5", "2010-02.13.5"),  # not stamps
])
def test_a_stamps_misread_second_separator_is_made_its_first(text, fixed) -> None:
    assert separators_normalised(text) == fixed and len(fixed) == len(text)


def test_sex_marker_joins_the_identity_banner() -> None:
    demographics = REGISTRY["ocr.demographics"]
    text = "DAVIDSON DOUGLAS [M] 01.09.2012"
    name = Span(0, 16, "NAME", 0.95, "crossref.patient_name")
    line = MergedLine(text, (name,), frozenset({"crossref.patient_name"}))
    assert [text[s.start:s.end] for s in demographics.find_after_merge(line)] == ["[M]"]
    assert list(demographics.find_after_merge(MergedLine("ABDOMEN [M] 3.5 MHz", (), frozenset()))) == []
    # a name no member reading the header's identity found does not make a banner
    assert list(demographics.find_after_merge(MergedLine(text, (name,), frozenset()))) == []


@pytest.mark.parametrize("text,expected", [
    ("DOB: 04-Apr- 2 01", "04-Apr- 2 01"),        # a misread date after the label
    ("DOB 22-Oct-196", "22-Oct-196"),              # cut at the image edge
    ("Born 5/8/05", "5/8/05"),
    ("D.O.B.: 1990-09-21", "1990-09-21"),
    ("DOB 8/18/95  MRN: 123", "8/18/95"),          # ends at the next field
    ("Geb. 12.03.1950 Sex: M", "12.03.1950"),
])
def test_the_value_after_a_birth_date_label_is_a_date(text, expected) -> None:
    found = list(labelled_dates(text))
    assert [(text[s.start:s.end], s.rule) for s in found] == [(expected, "ocr.labelled_birth_date")]


@pytest.mark.parametrize("text", ["DOB: unknown", "Reborn 12 34", "Newborn screening", "DOB:"])
def test_birth_date_labels_without_a_date(text) -> None:
    assert list(labelled_dates(text)) == []


@pytest.mark.parametrize("text,expected", [
    ("MIELWARSKA, HELGARD", "MIELWARSKA, HELGARD"),
    ("Quarshie, Abena  ID: 4055", "Quarshie, Abena"),
])
def test_surname_comma_given_banner(text, expected) -> None:
    assert [text[s.start:s.end] for s in comma_names(text)] == [expected]


@pytest.mark.parametrize("text", ["HEAD, NECK", "AXIAL, CONTRAST", "Abdomen, Pelvis", "SIEMENS, PHILIPS",
                                  "Circle of Willis, Crohn disease", "Series 3, Image 12", "Rt, Lt", "CT, MR"])
def test_comma_lists_of_words_are_not_names(text) -> None:
    assert list(comma_names(text)) == []


@pytest.mark.parametrize("text", ["W:400 L:40", "kVp 120 mAs 250", "5.0mm 18Hz", "MI 0.9 TIS 0.4"])
def test_technical_lines(text) -> None:
    assert is_technical_line(text)


@pytest.mark.parametrize("text", ["W:400 SMITH", "kVp 120 03/02/2017", "", "Hccu Mke"])
def test_lines_with_more_than_settings_are_not_technical(text) -> None:
    assert not is_technical_line(text)


def test_a_distinctive_word_of_the_institution_is_found_alone() -> None:
    recognizer = OcrIdentityIndex(Identity(institutions=["St. Quellenhof Krankenhaus"]))
    text = "MR  Quellenhcf"   # the rest of the name cut off, a letter misread
    assert [(text[s.start:s.end], s.rule) for s in recognizer.find(text)] == [
        ("Quellenhcf", "crossref.institution_word")]
    assert list(recognizer.find("Krankenhaus")) == []
    generic = OcrIdentityIndex(Identity(institutions=["Regional Medical Center"]))
    assert list(generic.find("Medical Center")) == []   # no word of it says which one


@pytest.mark.parametrize("text,expected", [
    ("Exam: 03/16/2818", "03/16/2818"),          # a 0 read as 8: no calendar date, still the visit
    ("~Exam: 10.02 2010", "10.02 2010"),          # a separator lost
    ("Study Date: 2019-04-12", "2019-04-12"),
    ("Date: 14 Mar 2019", "14 Mar 2019"),
])
def test_a_date_shaped_value_after_a_date_label(text, expected) -> None:
    assert [text[s.start:s.end] for s in labelled_dates(text)] == [expected]


@pytest.mark.parametrize("text", ["Series: 3", "Exam: CT HEAD", "kVp: 120", "Scan: 5.0 mm", "Acq: 12.5 s",
                                  "Date: 12/2019"])
def test_date_labels_without_a_date_shaped_value(text) -> None:
    assert list(labelled_dates(text)) == []


def test_a_stray_space_before_a_comma_moves_after_it() -> None:
    text = "Exan: December 21 , 2015"
    fixed = spacing_normalised(text)
    assert fixed == "Exan: December 21,  2015" and len(fixed) == len(text)
    assert spacing_normalised("W:400 L:40") == "W:400 L:40"


@pytest.mark.parametrize(("text", "spaced"), [("CHUde Lyon-Sud", "CHU de Lyon-Sud"), ("MorvanAstrid", "Morvan Astrid"),
                                              ("kVp 120", "kVp 120"), ("McDonald", "McDonald")])
def test_words_ocr_glued_together_are_spaced_again(text, spaced) -> None:
    assert unglued(text)[0] == spaced


def test_spans_of_the_spaced_text_map_back_to_the_text_as_read() -> None:
    text = "~CHUde Lyon-Sud"
    assert [text[s.start:s.end] for s in REGISTRY.analyze_ocr(text)] == ["CHUde Lyon-Sud"]
    spaced, origin = unglued("xMorvanAstrid")
    back = span_back(Span(spaced.index("Astrid"), len(spaced), "NAME", 0.9, "r"), origin)
    assert "xMorvanAstrid"[back.start:back.end] == "Astrid"
    for lookalike in ("SIEMENS", "CTAngio Head", "Circle of Willis", "kVp 120"):
        assert REGISTRY.analyze_ocr(lookalike) == []


@pytest.mark.parametrize(("text", "expected"), [("18 August 2818", "18 August 2818"),
                                                ("Exam August 18, 2818", "August 18, 2818"),
                                                ("14-MAR-1961", "14-MAR-1961"), ("3rd Dec 2019", "3rd Dec 2019")])
def test_a_spelled_month_date_counts_whatever_its_year_was_read_as(text, expected) -> None:
    assert [text[s.start:s.end] for s in month_dates(text)] == [expected]


@pytest.mark.parametrize("text", ["May 2020 protocol", "Circle of Willis", "5 mm", "Series 3 Mar", "kVp 120",
                                  "12 March"])
def test_no_month_date_without_day_month_and_four_digits(text) -> None:
    assert list(month_dates(text)) == []


def test_letters_read_as_punctuation_are_put_back() -> None:
    assert glyphs_normalised("(linique Rossi") == "Clinique Rossi"
    assert glyphs_normalised("~(linique Rossi") == "~Clinique Rossi"   # after OCR's stray mark
    assert glyphs_normalised("Pat|ent") == "PatIent"
    for unchanged in ("(CT) HEAD", "W:400 | L:40", "f(x)"):
        assert glyphs_normalised(unchanged) == unchanged


def test_a_comma_read_as_a_semicolon_still_makes_a_banner_name() -> None:
    assert [("SHAW; ASHLEY"[s.start:s.end]) for s in comma_names("SHAW; ASHLEY")] == ["SHAW; ASHLEY"]
    assert list(comma_names("HEAD; NECK")) == []


def test_a_long_number_after_a_setting_letter_is_not_a_setting() -> None:
    assert is_technical("C 40") and is_technical("W:65535") and is_technical("L:-1000")
    assert not is_technical("C5217676")


@pytest.mark.parametrize(("text", "expected"), [("PISZCZ^", ["PISZCZ^"]), ("^BŁAŻEJ", ["^BŁAŻEJ"]),
                                                ("mm^2", []), ("Area 3 cm^2", []), ("x^y", []), ("^", [])])
def test_half_a_person_name_with_its_caret(text, expected) -> None:
    assert [text[s.start:s.end] for s in caret_names(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("TORRES^ JENNIFER ID: 00713924", ["TORRES^ JENNIFER"]), ("TORRES ^JENNIFER", ["TORRES ^JENNIFER"]),
    ("Kowalski ^ Anna", ["Kowalski ^ Anna"]),
    ("TORRES^ ID: 00713924", ["TORRES^"]),          # the next field's label is no given name
    ("torres^ jennifer", []), ("Area 3 cm ^2", []), ("x ^ y", []), ("mm^ 2", [])])
def test_a_caret_read_with_a_space_beside_it_still_joins_the_two_halves(text, expected) -> None:
    found = [text[s.start:s.end] for s in caret_names(text)]
    assert [f for f in found if not any(f != g and f in g for g in found)] == expected
