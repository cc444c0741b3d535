"""pattern.person_context: people whom no name list knows, found from the words and their context.

The names here were written by hand for these tests (people of Nigeria, India, Viet Nam,
Indonesia, the Philippines, Turkey, Ireland, Kenya, South Africa, Pakistan, Bangladesh
and Nepal); the benchmark benchmarks/bench_world.py measures recall on names drawn from
Faker's locales, which no detector reads.
"""

from __future__ import annotations

import pickle

import pytest

from phidetect.burned_in import line_spans
from phidetect.text.merge import merge_spans
from phidetect.text.people import PersonContextRecognizer, Word
from phidetect.text.registry import default_registry

FAIL_ON = 0.5
REGISTRY = default_registry()


def person_texts(text: str, kind: str = "free") -> list[str]:
    """NAME texts at or above the fail-on threshold, after the registry merged every rule."""
    spans = merge_spans(REGISTRY.analyze(text, kind), text)
    return [text[s.start:s.end] for s in spans if s.phi_type == "NAME" and s.score >= FAIL_ON]


@pytest.mark.parametrize(("text", "name"), [
    ("f/u with Ngozi Nwachukwu in 6 weeks", "Ngozi Nwachukwu"),
    ("Consent obtained from daughter Harini Shroff.", "Harini Shroff"),
    ("interpreter Phúc Dương present throughout", "Phúc Dương"),
    ("cc Donagh Ó Grianna", "Donagh Ó Grianna"),
    ("CONSENT BY DAUGHTER HARINI SHROFF", "HARINI SHROFF"),
    ("Report dictated by Adaeze Eze-Okonjo, MBBS", "Adaeze Eze-Okonjo"),
    ("Seen with Siti binti Abdullah (interpreter)", "Siti binti Abdullah"),
    ("Husband Emeka Obi present for the scan", "Emeka Obi"),
    ("attn: Wanjiru Kamau", "Wanjiru Kamau"),
    ("Otieno Kamau was present during the procedure", "Otieno Kamau"),
    ("Scanned by Bishnu Shrestha", "Bishnu Shrestha"),
    ("Nguyễn Thị Hoa accompanied the patient", "Nguyễn Thị Hoa"),
    ("Referred by Aylin Yılmaz for staging", "Aylin Yılmaz"),
    ("Pieter van der Merwe, RN", "Pieter van der Merwe"),
    ("Discussed with Thandeka Dlamini on the ward", "Thandeka Dlamini"),
    ("results to Juan dela Cruz", "Juan dela Cruz"),
    ("Mother: Oluwaseun", "Oluwaseun"),
    ("Tanvir Hossain, MBBS", "Tanvir Hossain"),
    ("Follow Up With Ngozi Nwachukwu In 6 Weeks", "Ngozi Nwachukwu"),
    ("Spoke with Gulalai Yousafzai by phone", "Gulalai Yousafzai"),
    ("Shri Ramesh Gurung requested a copy", "Ramesh Gurung"),
    ("Ibu Wulan Sulistyowati escorted the patient", "Wulan Sulistyowati"),
    ("Prior images from Chiamaka Adeyemi's clinic", "Chiamaka Adeyemi"),
    ("Seen with Seyyide Akçay (interpreter)", "Seyyide Akçay"),
    ("Attn: S'fiso Sibindi", "S'fiso Sibindi"),
    ("Priscilla Ó Dubhshláine, RN", "Priscilla Ó Dubhshláine"),
    ("Accompanied by husband Purity Osoro.", "Purity Osoro"),
])
def test_a_person_no_list_knows_is_found_from_context(text: str, name: str) -> None:
    assert name in person_texts(text)


@pytest.mark.parametrize("text", [
    "Circle of Willis", "Crohn disease", "SIEMENS", "kVp 120", "Weber B fracture of the lateral malleolus",
    "Bosniak IIF cyst", "Salter-Harris II", "Omnipaque 350 given", "with Gadavist contrast", "Magnetom Skyra 3T",
    "Discussed with radiology", "Hill-Sachs lesion", "Kerley B lines", "Morison pouch fluid", "follow up with MRI",
    "cc: ED", "Lutathera cycle 2", "referred from Aga Khan University Hospital", "CT Abdomen With Contrast",
    "Philips Ingenia 1.5T", "Toshiba Aquilion ONE", "Hashimoto thyroiditis", "Chiari I malformation",
    "Lisfranc injury", "Fleischner Society guidelines", "Glasgow Coma Scale 15", "Xarelto held for 48 hours",
    "Follow up with Oncology", "Seen with Cardiology", "injected with Lexiscan", "Budd-Chiari syndrome",
    "Monteggia fracture-dislocation", "Pancoast tumour", "Kawasaki disease", "Takayasu arteritis",
    "Ann Arbor stage II", "Stanford type A dissection", "Kellgren-Lawrence grade 3", "Greulich and Pyle atlas",
    "Valsalva manoeuvre", "Trendelenburg position", "Dixon sequence", "Ga-68 DOTATATE", "GE Signa Premier",
    "Performed on Siemens Biograph Vision", "Hologic Selenia Dimensions", "Varian TrueBeam", "PORT X-WISE",
    "pt INTUBATED", "MR  Quellenhof", "PatIent", "Clinique Rossi", "Ngong Road", "Allen Avenue, Ikeja",
])
def test_medical_look_alikes_are_not_people(text: str) -> None:
    assert person_texts(text) == []


def test_person_context_reads_ocr_lines_too() -> None:
    assert person_texts("DR. NWACHUKWU ADAEZE", "ocr") == ["NWACHUKWU ADAEZE"]
    assert person_texts("Sonographer: Wanjiru Kamau", "ocr") == ["Wanjiru Kamau"]


@pytest.mark.parametrize(("line", "name"), [
    ("Sonographer: Wanjiru Kamau", "Wanjiru Kamau"), ("REF DR ADAEZE NWACHUKWU", "ADAEZE NWACHUKWU"),
    ("Interpreter Phúc Dương", "Phúc Dương"), ("Tech: Bishnu Shrestha 14:02", "Bishnu Shrestha"),
])
def test_burned_in_lines_name_people_from_elsewhere(line: str, name: str) -> None:
    """The pixel path reads OCR lines with the same registry (burned_in.line_spans)."""
    spans = line_spans(line, REGISTRY, None)
    assert name in [line[s.start:s.end] for s in spans if s.phi_type == "NAME" and s.score >= FAIL_ON]


def test_two_unknown_words_without_a_cue_are_not_enough() -> None:
    """"Otieno Kamau" alone could be anything capitalised no list knows (a product, a place)."""
    assert PersonContextRecognizer().analyze("Otieno Kamau") == []


def test_a_capitalised_function_word_inside_a_name_continues_it() -> None:
    assert person_texts("NGUYEN Van An referred for review") == ["NGUYEN Van An"]


def test_a_title_in_capitals_without_a_full_stop_is_a_modality() -> None:
    recognizer = PersonContextRecognizer()
    assert recognizer.analyze("MR Nwachukwu") == []
    assert [s.score for s in recognizer.analyze("Mr. Nwachukwu")] == [0.75]


@pytest.mark.parametrize(("word", "kind"), [
    ("Ngozi", Word.UNKNOWN), ("Harini", Word.UNKNOWN), ("Donagh", Word.GIVEN), ("Nguyễn", Word.SURNAME),
    ("Omnipaque", Word.VOCABULARY), ("Stenosis", Word.VOCABULARY), ("Embolisation", Word.VOCABULARY),
    ("Hospital", Word.VOCABULARY), ("Daughter", Word.VOCABULARY), ("CTPA", Word.VOCABULARY),
])
def test_words_are_classed_as_evidence(word: str, kind: Word) -> None:
    assert PersonContextRecognizer._classify(word, False) == kind


def test_the_recognizer_pickles_for_worker_processes() -> None:
    recognizer = pickle.loads(pickle.dumps(PersonContextRecognizer()))
    assert [s.rule for s in recognizer.analyze("cc Donagh Ó Grianna")] == ["pattern.person_context"]
