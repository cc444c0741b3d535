"""The cues and shapes that name a person in clinical free text the world over: sign-offs,
dictation lines, initials, "Surname, Given", FAMILY Given, a name in brackets, titles in
capitals, and names written in scripts without letter case.

Names written by hand for these tests; none comes from a list that detection reads or from
the benchmark's generators.
"""

from __future__ import annotations

import pytest
from test_rules_people import FAIL_ON, REGISTRY
from test_rules_people import person_texts as names_in

from phidetect.text.merge import merge_spans
from phidetect.text.script_names import ScriptNameParameters, ScriptNameRecognizer


@pytest.mark.parametrize(("text", "name"), [
    ("Kind regards, Chukwudi Anyanwu", "Chukwudi Anyanwu"),
    ("Thanks, Oluwaseun.", "Oluwaseun"),
    ("Many thanks, Priyamvada", "Priyamvada"),
    ("Transcribed by Bolanle.", "Bolanle"),
    ("TRANSCRIBED BY ADETOKUNBO.", "ADETOKUNBO"),
    ("Booked by Wairimu Njeri from the day unit.", "Wairimu Njeri"),
])
def test_a_sign_off_or_a_dictation_line_names_its_writer(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(("text", "name"), [
    ("Dictated by R. Thangavelu, typed by the office.", "R. Thangavelu"),
    ("Reported by K. Sembiring; verified later.", "K. Sembiring"),
    ("DICTATED BY O. ADEBAYO-COLE", "O. ADEBAYO-COLE"),
])
def test_initials_lead_the_name_they_belong_to(text: str, name: str) -> None:
    assert names_in(text) == [name]


@pytest.mark.parametrize(("text", "name"), [
    ("Per Nwosu, Chinonso, metformin stopped.", "Nwosu, Chinonso"),
    ("Reading radiologist: Pillai, Anirudh", "Pillai, Anirudh"),
    ("Referred by Dr Wahyudi, Bambang from the district clinic.", "Wahyudi, Bambang"),
])
def test_surname_comma_given_after_a_cue_is_one_person(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(("text", "name"), [
    ("OKONKWO Chiamaka to be called with the results.", "OKONKWO Chiamaka"),
    ("CT - SETIAWAN Budiarti", "SETIAWAN Budiarti"),
    ("Next visit: KHUMALO Nomvula.", "KHUMALO Nomvula"),
])
def test_a_family_name_in_capitals_then_a_given_name_is_the_records_order(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(("text", "name"), [
    ("Results phoned to Sister Gonzalez, on call.", "Gonzalez"),
    ("HANDED OVER TO MRS PRICE AT 8PM", "PRICE"),
    ("US PELVIS - DR MASHININI", "MASHININI"),
    ("Handed over to BS. Hải at shift change.", "Hải"),
    ("Report sent to Mrs Ní Bhriain by post.", "Ní Bhriain"),
    ("Nurse in charge: Tendai Moyo", "Tendai Moyo"),
])
def test_a_title_or_a_role_label_names_the_one_word_after_it(text: str, name: str) -> None:
    assert any(name in found for found in names_in(text))


@pytest.mark.parametrize(("text", "name"), [
    ("Per Ifeanyichukwu, patient fasted overnight.", "Ifeanyichukwu"),
    ("CT KUB per Thandiwe", "Thandiwe"),
    ("XR KNEE (Wanyama)", "Wanyama"),
    ("Bongani Ndlovu (physio) to mobilise after surgery.", "Bongani Ndlovu"),
    ("NWANKWO CHIDI TO BE CALLED ON DISCHARGE", "NWANKWO CHIDI"),
])
def test_a_closed_clause_a_bracket_or_a_verb_after_says_a_person(text: str, name: str) -> None:
    assert any(name in found for found in names_in(text))


@pytest.mark.parametrize("text", [
    "Premedicated with Ondansetron.", "On apixaban and Lipitor.", "Discussed with NICU.",
    "DISCUSSED WITH PAEDIATRICS AND THE ON-CALL TEAM", "Attn orthopaedics", "cc: Cardiology, Oncology",
    "Spaniel Kennel dog breed", "Lantheus axial projection", "MR ANGIOGRAPHY CIRCLE OF WILLIS",
    "MR ENTEROGRAPHY", "DR PORTABLE CHEST", "MS PLAQUES STABLE", "XR CHEST (Portable)", "CT HEAD (Left)",
    "SON BORN 1990", "Attn the HIV clinic", "Abdominal Radiology follow-up", "Per RECIST 1.1, stable disease.",
    "Kind regards, Radiology", "Thanks, team.", "Nazareth catheter 14 Fr", "Per protocol, Gadovist given.",
])
def test_look_alikes_around_the_cues_name_no_one(text: str) -> None:
    assert names_in(text) == []


def test_a_department_after_a_comma_is_a_persons_role_not_an_institution() -> None:
    text = "Kind regards, Dr Ifunanya Ekwueme, radiology registrar"
    spans = merge_spans(REGISTRY.analyze(text, "free"), text)
    assert [(text[s.start:s.end], s.phi_type) for s in spans] == [("Ifunanya Ekwueme", "NAME")]


def test_an_accent_folded_header_name_that_is_an_english_word_is_weak() -> None:
    """A patient called Thế must not make every "the" a match of crossref.patient_name."""
    from phidetect.text.crossref import Identity, PersonName

    identity = Identity(names=[PersonName.from_parts(["Nguyễn", "Thế", "Vinh"], "crossref.patient_name")])
    text = "Compared with the previous study of Thế Vinh."
    spans = [s for s in REGISTRY.analyze(text, "free", identity) if s.rule == "crossref.patient_name"]
    assert sorted(text[s.start:s.end] for s in spans) == ["Thế", "Vinh"]


@pytest.mark.parametrize(("text", "name", "cued"), [
    ("Escorted by niece সুমাইয়া আক্তার.", "সুমাইয়া আক্তার", True),
    ("Supervising consultant শেখ^রাফিয়া", "শেখ^রাফিয়া", True),
    ("Dictated by ম. হোসেন, typed later.", "ম. হোসেন", True),
    ("Witness present: मीना थापा", "मीना थापा", True),
    ("Family friend محمد حسن brought the patient in.", "محمد حسن", True),
    ("Images of محمد حسن from 2019 compared.", "محمد حسن", False),
])
def test_a_name_in_a_caseless_script_inside_english_text_is_a_person(text: str, name: str, cued: bool) -> None:
    parameters = ScriptNameParameters()
    spans = list(ScriptNameRecognizer().find(text))
    assert [(text[s.start:s.end], s.score) for s in spans] == [
        (name, parameters.cued if cued else parameters.uncued)]


@pytest.mark.parametrize("text", [
    "患者は東京都の病院に入院した。",          # a text in that script: not judged here
    "Lives at गिरी मार्ग 12, ललितपुर",        # a run before a number: an address line
    "Circle of Willis normal",                # Latin only
])
def test_caseless_script_runs_that_are_no_names_are_left_alone(text: str) -> None:
    assert list(ScriptNameRecognizer().find(text)) == []


@pytest.mark.parametrize(("line", "expected"), [
    ("Interp: Kennedy Obiero", ("Kennedy Obiero", "NAME")),
    ("Dr Simon 0 Ceidigh", ("Simon 0 Ceidigh", "NAME")),        # OCR reads the Irish Ó as a zero
    ("Sonographer Nkiruka Udeh", ("Nkiruka Udeh", "NAME")),
    ("PPS No. 7177264M", ("7177264M", "ID")),                  # seven digits and a letter: no 7 km
    ("NIC 25062-1837911-1", ("25062-1837911-1", "ID")),
    ("Hosp no POJ/2018/709640", ("POJ/2018/709640", "ID")),     # not a phone inside a record number
    ("Tel +234 802 819 5591", ("+234 802 819 5591", "PHONE")),
])
def test_burned_in_lines_of_other_countries_give_their_phi(line: str, expected: tuple[str, str]) -> None:
    from phidetect.burned_in import line_spans
    from phidetect.text.crossref import Identity

    spans = [s for s in line_spans(line, REGISTRY, Identity()) if s.score >= FAIL_ON]
    assert [(line[s.start:s.end], s.phi_type) for s in spans] == [expected]
