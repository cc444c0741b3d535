"""Header redaction on small synthetic studies: no PHI left on rescan, what holds no PHI
unchanged byte for byte, UIDs and dates consistent across files and runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pydicom
import pytest
from conftest import new_dataset, write_dicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import generate_uid

import phidetect
from phidetect.redact import Policy, redact, verify


def _uid() -> str:
    """A UID short enough to take a suffix (series .1, frame of reference .9)."""
    return generate_uid()[:56].rstrip(".")


STUDY = _uid()
#: Elements without PHI that must come out byte for byte as they went in.
UTILITY = ("Modality", "PixelSpacing", "SliceThickness", "KVP", "SeriesDescription", "Manufacturer",
           "Rows", "Columns", "BodyPartExamined", "PatientSex", "PatientWeight")


def _study_file(path: Path, *, patient: str, pid: str, study: str, study_date: str, sop: str,
                referenced: str | None = None, age: str = "045Y") -> Path:
    ds = new_dataset()
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = sop
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = patient, pid, "19610314"
    ds.PatientSex, ds.PatientAge, ds.PatientWeight = "M", age, "81.5"
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, study + ".1", study + ".9"
    ds.StudyDate, ds.SeriesDate, ds.StudyTime = study_date, study_date, "101500"
    ds.AccessionNumber, ds.StudyID = "ACC778899", "4455"
    ds.InstitutionName, ds.ReferringPhysicianName = "Mercy Hospital", "HOUSE^GREGORY"
    ds.StudyDescription = f"CT HEAD for {patient.split('^')[1].title()} {patient.split('^')[0].title()}"
    ds.SeriesDescription = "AXIAL 5mm BONE"
    ds.ImageComments = "call 617-555-0199 re MRN 4455667"
    ds.Modality, ds.BodyPartExamined, ds.Manufacturer = "CT", "HEAD", "ACME"
    ds.PixelSpacing, ds.SliceThickness, ds.KVP = ["0.488281", "0.488281"], "5.000000", "120"
    ds.DeviceSerialNumber, ds.StationName = "SN-001122", "CTROOM2"
    request = Dataset()
    request.RequestedProcedureDescription = f"Head CT, ordered by Dr. House for {pid}"
    request.RequestedProcedureID = "RP1234"
    ds.RequestAttributesSequence = Sequence([request])
    if referenced:
        ref = Dataset()
        ref.ReferencedSOPClassUID = ds.SOPClassUID
        ref.ReferencedSOPInstanceUID = referenced
        ds.ReferencedImageSequence = Sequence([ref])
    ds.add_new(0x00091010, "LO", "PHIDETECT TEST")
    ds.add_new(0x00091011, "LO", f"scanned for {patient}")
    ds.add_new(0x00091012, "DS", "1.5")
    ds.Rows, ds.Columns, ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 8, 8, 7
    ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PixelRepresentation = 1, "MONOCHROME2", 0
    ds.PixelData = np.arange(64, dtype=np.uint8).tobytes()
    return write_dicom(path, ds)


@pytest.fixture
def study(tmp_path) -> Path:
    """Two files of one study (the second references the first), one of another patient."""
    source = tmp_path / "in"
    first = _uid()
    _study_file(source / "pat1" / "a.dcm", patient="DOE^JOHN", pid="PID001", study=STUDY, study_date="20200115",
                sop=first)
    _study_file(source / "pat1" / "b.dcm", patient="DOE^JOHN", pid="PID001", study=STUDY, study_date="20200301",
                sop=_uid(), referenced=first, age="092Y")
    _study_file(source / "pat2" / "c.dcm", patient="ROE^JANE", pid="PID002", study=_uid(),
                study_date="20200115", sop=_uid())
    return source


def _read(path: Path):
    return pydicom.dcmread(path)


def test_no_header_phi_left(study, tmp_path):
    result = redact(study, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    assert result.counts()["written"] == 3
    residual = verify(tmp_path / "out", ocr=False, workers=1, progress=False)
    assert residual.empty, residual[["file", "tag_path", "text", "rule"]]
    # the plain rescan finds nothing strong but what the policy keeps: shifted dates, times, device identity
    rescan = phidetect.scan(tmp_path / "out", workers=1, progress=False).at_least(0.5)
    kept = rescan["vr"].isin(["DA", "TM", "DT"]) | rescan["keyword"].isin(["DeviceSerialNumber", "StationName"])
    assert kept.all(), rescan[~kept]
    for name in ("DOE", "JOHN", "PID001", "ACC778899", "Mercy", "HOUSE", "617-555", "4455667"):
        for path in (tmp_path / "out").rglob("*.dcm"):
            assert name.encode() not in path.read_bytes(), (name, path)


def test_kept_text_loses_only_its_phi(study, tmp_path):
    redact(study, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    out = _read(tmp_path / "out" / "pat1" / "a.dcm")
    assert out.StudyDescription == "CT HEAD for"
    assert "House" not in out.RequestAttributesSequence[0].RequestedProcedureDescription
    assert out.RequestAttributesSequence[0].RequestedProcedureDescription.startswith("Head CT")
    assert "ImageComments" in out and "617" not in out.ImageComments


def test_utility_elements_are_byte_identical(study, tmp_path):
    redact(study, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    before, after = _read(study / "pat1" / "a.dcm"), _read(tmp_path / "out" / "pat1" / "a.dcm")
    for keyword in UTILITY:
        tag = pydicom.datadict.tag_for_keyword(keyword)
        assert before.get_item(tag).value == after.get_item(tag).value, keyword
    assert after.DeviceSerialNumber == "SN-001122"  # Retain Device Identity (research preset)
    assert after.PixelData == before.PixelData


def test_uids_are_consistent_within_the_study(study, tmp_path):
    redact(study, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    a, b = _read(tmp_path / "out" / "pat1" / "a.dcm"), _read(tmp_path / "out" / "pat1" / "b.dcm")
    original = _read(study / "pat1" / "a.dcm")
    assert a.StudyInstanceUID == b.StudyInstanceUID != original.StudyInstanceUID
    assert a.FrameOfReferenceUID == b.FrameOfReferenceUID != original.FrameOfReferenceUID
    assert b.ReferencedImageSequence[0].ReferencedSOPInstanceUID == a.SOPInstanceUID
    assert b.ReferencedImageSequence[0].ReferencedSOPClassUID == original.SOPClassUID
    assert a.file_meta.MediaStorageSOPInstanceUID == a.SOPInstanceUID
    assert a.SOPClassUID == original.SOPClassUID
    assert all(len(uid) <= 64 and uid.startswith("2.25.") for uid in (a.SOPInstanceUID, a.StudyInstanceUID))


def test_same_secret_same_mapping_other_secret_other(study, tmp_path):
    for name, secret in (("one", "k"), ("two", "k"), ("three", "other")):
        redact(study, tmp_path / name, ocr=False, secret=secret, workers=1, progress=False)
    one, two, three = (_read(tmp_path / n / "pat1" / "b.dcm") for n in ("one", "two", "three"))
    assert one.SOPInstanceUID == two.SOPInstanceUID != three.SOPInstanceUID
    assert one.StudyDate == two.StudyDate
    for name in ("four", "five"):
        redact(study, tmp_path / name, ocr=False, workers=1, progress=False)
    a = _read(tmp_path / "four" / "pat1" / "a.dcm")
    b = _read(tmp_path / "five" / "pat1" / "a.dcm")
    assert a.StudyInstanceUID != b.StudyInstanceUID  # no secret: each run its own random key


def test_dates_move_together_per_patient(study, tmp_path):
    redact(study, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    a, b = _read(tmp_path / "out" / "pat1" / "a.dcm"), _read(tmp_path / "out" / "pat1" / "b.dcm")

    def day(text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))

    assert (day(b.StudyDate) - day(a.StudyDate)).days == (dt.date(2020, 3, 1) - dt.date(2020, 1, 15)).days
    assert a.StudyDate != "20200115" and a.SeriesDate == a.StudyDate
    assert a.StudyTime == "101500"  # times of day kept
    assert a.PatientBirthDate == "" and a.LongitudinalTemporalInformationModified == "MODIFIED"


def test_markers_and_characteristics(study, tmp_path):
    redact(study, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    a, b = _read(tmp_path / "out" / "pat1" / "a.dcm"), _read(tmp_path / "out" / "pat1" / "b.dcm")
    assert a.PatientIdentityRemoved == "YES"
    assert [i.CodeValue for i in a.DeidentificationMethodCodeSequence] == \
        ["113100", "113105", "113107", "113108", "113109"]  # no 113101: no OCR ran
    assert "BurnedInAnnotation" not in a
    assert a.PatientAge == "045Y" and a.PatientSex == "M"
    assert b.PatientAge == ""  # over 89: a finding, removed
    assert a.PatientName == "" and a.PatientID == "" and a.AccessionNumber == ""
    assert not any(elem.tag.is_private for elem in a.iterall())


def test_basic_profile(study, tmp_path):
    redact(study, tmp_path / "out", policy="basic", ocr=False, secret="k", workers=1, progress=False)
    a = _read(tmp_path / "out" / "pat1" / "a.dcm")
    assert "StudyDescription" not in a and "PatientAge" not in a and "RequestAttributesSequence" not in a
    assert a.StudyDate == "" and "SeriesDate" not in a and a.StationName == ""
    assert a.LongitudinalTemporalInformationModified == "REMOVED"
    assert a.Modality == "CT" and a.KVP == "120"
    assert verify(tmp_path / "out", ocr=False, workers=1, progress=False).empty


def test_private_clean_mode_keeps_what_holds_no_phi(study, tmp_path):
    redact(study, tmp_path / "out", policy=Policy(private="clean"), ocr=False, secret="k", workers=1,
           progress=False)
    a = _read(tmp_path / "out" / "pat1" / "a.dcm")
    assert a[0x00091010].value == "PHIDETECT TEST" and a[0x00091012].value == "1.5"
    assert 0x00091011 not in a  # held the patient's name
    assert "113111" not in [i.CodeValue for i in a.DeidentificationMethodCodeSequence]  # not Retain Safe Private
    assert verify(tmp_path / "out", ocr=False, workers=1, progress=False).empty


def test_kept_device_identity_still_loses_the_patients_name(tmp_path):
    ds = new_dataset(PatientName="DOE^JOHN", StationName="JOHN DOE WS", DeviceSerialNumber="SN-9")
    write_dicom(tmp_path / "in" / "a.dcm", ds)
    redact(tmp_path / "in", tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    out = _read(tmp_path / "out" / "a.dcm")
    assert "JOHN" not in out.StationName and "DOE" not in out.StationName  # merged with the profile
    assert out.DeviceSerialNumber == "SN-9"  # span into one whole-value finding: emptied
