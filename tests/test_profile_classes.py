"""Attributes are classed by PS3.15 Table E.1-1, its option columns, the VR, and decisions
written down per attribute, never by what a keyword looks like."""

from __future__ import annotations

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset

import phidetect
from phidetect.dicom import profile
from phidetect.dicom.ps315 import table_e1_1
from phidetect.findings import PHI_TYPES
from phidetect.redact.policy import Policy

CATEGORIES = {"identifier", "descriptor", "characteristic", "structure"}
TYPE_OF_PATIENT_ID = 0x00100022


def test_every_row_of_the_table_is_decided_by_the_table_the_vr_or_a_written_decision():
    undecided = [e.keyword for e in profile.profile_entries().values() if e.basis.startswith("undecided")]
    assert undecided == []
    assert set(profile.profile_entries()) == set(table_e1_1())


def test_each_written_decision_names_a_listed_attribute_with_a_known_class_and_a_reason():
    listed = table_e1_1()
    for tag, decision in profile.decisions().items():
        assert tag in listed, f"{tag:08X} is not in E.1-1"
        assert decision.category in CATEGORIES
        assert decision.reason.strip()
        if decision.category == "identifier":
            assert decision.phi_type in PHI_TYPES and 0 < decision.confidence <= 1
        else:
            assert decision.phi_type == "" and decision.confidence == 0


def test_an_attribute_the_table_does_not_list_has_no_class():
    assert TYPE_OF_PATIENT_ID not in table_e1_1()
    assert TYPE_OF_PATIENT_ID not in profile.profile_entries()
    assert Policy().action_for(TYPE_OF_PATIENT_ID) is None


def test_the_class_is_the_written_decision_not_the_keyword(monkeypatch):
    study_id = 0x00200010  # StudyID: an identifier by its written decision
    assert profile.profile_entries()[study_id].phi_type == "ID"
    changed = dict(profile.decisions())
    changed[study_id] = profile.Decision("descriptor", "", 0.0, "test: decided otherwise")
    profile.profile_entries.cache_clear()
    monkeypatch.setattr(profile, "decisions", lambda: changed)
    try:
        assert profile.profile_entries()[study_id].category == "descriptor"
    finally:
        monkeypatch.undo()
        profile.profile_entries.cache_clear()


@pytest.mark.parametrize(("keyword", "basis"), [
    ("PatientName", "decided"), ("ReferringPhysicianName", "VR PN"), ("StudyDate", "VR DA"),
    ("StationName", "option rtnDevIdOpt"), ("PatientSex", "option rtnPatCharsOpt"),
    ("StudyDescription", "option cleanDescOpt"), ("SOPInstanceUID", "VR UI"),
])
def test_the_basis_of_a_class_is_recorded(keyword, basis):
    entry = next(e for e in profile.profile_entries().values() if e.keyword == keyword)
    assert entry.basis.startswith(basis)


def _real_file_with(**values) -> Dataset:
    dataset = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    for keyword, value in values.items():
        setattr(dataset, keyword, value)
    return dataset


def test_a_real_file_keeps_an_unlisted_code_and_reports_an_order_number_by_its_decision():
    dataset = _real_file_with(TypeOfPatientID="TEXT", PlacerOrderNumberImagingServiceRequest="ORD-55231",
                              StudyDescription="Circle of Willis", Manufacturer="SIEMENS")
    found = phidetect.scan_dataset(dataset)
    by_keyword = dict(zip(found["keyword"], found["phi_type"], strict=False))
    assert "TypeOfPatientID" not in by_keyword
    assert by_keyword.get("PlacerOrderNumberImagingServiceRequest") == "ID"
    assert "StudyDescription" not in by_keyword and "Manufacturer" not in by_keyword


def test_redaction_keeps_an_unlisted_attribute_and_acts_on_listed_ones_by_the_table(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    dataset = _real_file_with(TypeOfPatientID="TEXT", PlacerOrderNumberImagingServiceRequest="ORD-55231")
    dataset.save_as(source / "ct.dcm")
    before = (source / "ct.dcm").read_bytes()
    phidetect.redact(source, tmp_path / "out", ocr=False, progress=False)
    copy = pydicom.dcmread(next((tmp_path / "out").rglob("*.dcm")))
    assert copy.TypeOfPatientID == "TEXT"
    assert Policy().action_for(0x00402016) == "Z"
    assert not copy.get("PlacerOrderNumberImagingServiceRequest")
    assert (source / "ct.dcm").read_bytes() == before


def test_unlisted_uids_are_kept_where_a_written_decision_says_they_name_a_kind(tmp_path):
    """A vendor's own SOP class UID in ReferencedSOPClassUID (a kind: kept as written) and an
    unlisted instance UID (replaced, like every instance UID, so references stay consistent)."""
    from phidetect.redact.uids import kind_uid_tags

    referenced_class, multi_frame_source = 0x00081150, 0x00081167
    assert referenced_class not in table_e1_1() and multi_frame_source not in table_e1_1()
    assert referenced_class in kind_uid_tags() and multi_frame_source not in kind_uid_tags()
    source = tmp_path / "in"
    source.mkdir()
    dataset = _real_file_with(ReferencedSOPClassUID="1.3.12.2.1107.5.9.1",
                              MultiFrameSourceSOPInstanceUID="1.2.3.4.5.6.7.8.9")
    dataset.save_as(source / "ct.dcm")
    phidetect.redact(source, tmp_path / "out", ocr=False, progress=False)
    copy = pydicom.dcmread(next((tmp_path / "out").rglob("*.dcm")))
    assert copy.ReferencedSOPClassUID == "1.3.12.2.1107.5.9.1"
    assert copy.MultiFrameSourceSOPInstanceUID.startswith("2.25.")
