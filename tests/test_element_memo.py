"""The element memo: answers remembered across the files of a series must be exactly the
answers worked out afresh, and never one file's answer given to another patient's file."""

from __future__ import annotations

from pydicom.dataset import Dataset

from phidetect import element_memo
from phidetect.dicom.elements import ElementText
from phidetect.header import header_findings
from phidetect.text.recognizer import PatternRecognizer
from phidetect.text.registry import default_registry


def _file(patient: str, description: str, instance: int) -> Dataset:
    dataset = Dataset()
    dataset.PatientName = patient
    dataset.PatientID = "MRN0042"
    dataset.StudyDescription = description
    dataset.SOPInstanceUID = f"1.2.826.0.1.3680043.2.1125.{instance}"
    dataset.InstanceNumber = instance
    return dataset


def _rows(dataset: Dataset, registry) -> list[tuple]:
    return sorted((f.tag_path, f.text, f.phi_type, f.rule, f.start, f.end)
                  for f in header_findings(dataset, "f.dcm", registry, []))


def test_second_instance_of_a_series_gets_the_same_findings_as_the_first() -> None:
    registry = default_registry()
    first = _rows(_file("Okonkwo^Chiamaka", "CT head for Chiamaka Okonkwo", 1), registry)
    second = _rows(_file("Okonkwo^Chiamaka", "CT head for Chiamaka Okonkwo", 2), registry)
    afresh = _rows(_file("Okonkwo^Chiamaka", "CT head for Chiamaka Okonkwo", 2), default_registry())
    assert second == afresh
    assert [r for r in first if r[0] != "(0008,0018)"] == [r for r in second if r[0] != "(0008,0018)"]
    assert any(r[0] == "(0008,1030)" and "Okonkwo" in r[1] for r in second)


def test_a_value_shared_by_two_patients_is_judged_with_each_ones_identity() -> None:
    """The same description names the patient of one file and not the other's."""
    registry = default_registry()
    text = "Seen with Mr Ilunga today"
    named = _rows(_file("Ilunga^Patrice", text, 1), registry)
    other = _rows(_file("Marchetti^Giulia", text, 2), registry)
    assert any(r[0] == "(0008,1030)" and r[3].startswith("crossref.patient_name") for r in named)
    assert not any(r[0] == "(0008,1030)" and "crossref.patient_name" in r[3] for r in other)


def test_a_changed_registry_does_not_reuse_old_answers() -> None:
    registry = default_registry()
    dataset = _file("Doe^Jane", "Protocol KESTREL-7", 1)
    before = _rows(dataset, registry)
    registry.add(PatternRecognizer(rule="pattern.trial_code", phi_type="ID", patterns=(r"KESTREL-\d",),
                                   base_score=0.9, kinds=frozenset({"free"})))
    after = _rows(dataset, registry)
    assert not any(r[3] == "pattern.trial_code" for r in before)
    assert any(r[3] == "pattern.trial_code" and r[1] == "KESTREL-7" for r in after)


def test_memo_stays_bounded(monkeypatch) -> None:
    monkeypatch.setattr(element_memo, "MEMO_ENTRIES", 10)
    memo = element_memo.ElementMemo(version=0)
    calls = []

    def compute(element: ElementText) -> tuple:
        calls.append(element.text)
        return ()

    token = memo.token("identity")
    for index in range(35):
        memo.answer(token, ElementText("(0008,1030)", 0x00081030, "StudyDescription", "LO", f"v{index}", "free"),
                    compute)
    assert len(memo._answers) <= 10
    element = ElementText("(0008,1030)", 0x00081030, "StudyDescription", "LO", "again", "free")
    memo.answer(token, element, compute)
    memo.answer(token, element, compute)
    assert calls.count("again") == 1


def test_memo_stays_bounded_in_characters_too(monkeypatch) -> None:
    """Long values keep their strings alive: the memo starts again past a character budget."""
    monkeypatch.setattr(element_memo, "MEMO_TOTAL_CHARS", 10_000)
    memo = element_memo.ElementMemo(version=0)
    token = memo.token("identity")
    for index in range(40):
        memo.answer(token, ElementText("(0008,4000)", 0x00084000, "", "LT", f"{index:04d}" + "x" * 996, "free"),
                    lambda element: ())
    assert sum(len(element.text) for _, element in memo._answers) <= 10_000


def test_a_value_shared_by_two_patients_goes_through_the_text_rules_once() -> None:
    """Only cross-reference depends on the patient: the text rules' answer for a value is
    kept for every file, so a new series of the same protocol costs no second reading."""
    registry = default_registry()
    seen: list[str] = []

    def counting(match) -> bool:
        seen.append(match.group(0))
        return True

    registry.add(PatternRecognizer(rule="pattern.trial_code", phi_type="ID", patterns=(r"KESTREL-\d",),
                                   base_score=0.9, kinds=frozenset({"free"}), validator=counting))
    first = _rows(_file("Ilunga^Patrice", "Protocol KESTREL-7 for Mr Ilunga", 1), registry)
    second = _rows(_file("Marchetti^Giulia", "Protocol KESTREL-7 for Mr Ilunga", 2), registry)
    assert seen == ["KESTREL-7"]
    assert any(r[3] == "pattern.trial_code" for r in second)
    assert any("crossref.patient_name" in r[3] for r in first if r[0] == "(0008,1030)")
    assert not any("crossref.patient_name" in r[3] for r in second if r[0] == "(0008,1030)")
