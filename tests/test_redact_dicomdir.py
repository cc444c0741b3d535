"""A DICOMDIR in the input is rebuilt for the copies from their de-identified headers, or
left out with the reason; never copied with the patients' names inside. Real sets first
(pydicom's TINY_ALPHA and dicomdirtests file-sets), then synthetic ones."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pydicom
import pytest
from conftest import fingerprint, new_dataset
from pydicom.data import get_testdata_file
from pydicom.fileset import FileSet

import phidetect
from phidetect.redact import redact, verify
from phidetect.redact.dicomdir import MEDIA_STORAGE_DIRECTORY
from phidetect.redact.linkage import read_map

SECRET = "dicomdir secret"
FAIL_ON = 0.5


def _file_set(path: Path) -> FileSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FileSet(path)


def _dicomdirtests() -> Path:
    path = get_testdata_file("DICOMDIR")
    assert path is not None, "pydicom's test DICOMDIR is not installed"
    return Path(path).parent


def _copy_file_set(dicomdir: Path, target: Path) -> Path:
    """The DICOMDIR and the files it references, copied with their relative paths."""
    target.mkdir(parents=True)
    shutil.copy(dicomdir, target / "DICOMDIR")
    for instance in _file_set(dicomdir):
        relative = Path(instance.path).relative_to(dicomdir.parent.resolve())
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(instance.path, target / relative)
    return target


def _identities(dicomdir: Path) -> set[str]:
    """Names, IDs and UIDs the original DICOMDIR's records hold (none may reach the copy)."""
    found: set[str] = set()
    for record in pydicom.dcmread(dicomdir).DirectoryRecordSequence:
        for keyword in ("PatientName", "PatientID", "StudyInstanceUID", "SeriesInstanceUID",
                        "ReferencedSOPInstanceUIDInFile", "StudyID", "AccessionNumber", "StudyDate"):
            value = str(record.get(keyword, "") or "")
            if len(value) >= 4:
                found.add(value)
                found.update(part for part in value.split("^") if len(part) >= 4)
    return found


def _run(source: Path, out: Path, **options):
    options.setdefault("secret", SECRET)
    return redact(source, out, ocr=False, workers=1, progress=False, **options)


@pytest.fixture(scope="module")
def tiny_alpha(tmp_path_factory):
    """pydicom's TINY_ALPHA file-set (50 CT images of Citizen^Jan, pydicom's own layout), redacted."""
    source = _copy_file_set(_dicomdirtests() / "TINY_ALPHA" / "DICOMDIR", tmp_path_factory.mktemp("tiny") / "in")
    before = fingerprint(source)
    out = tmp_path_factory.mktemp("tiny-out") / "out"
    return source, out, _run(source, out), before


def test_real_file_set_rebuilt_from_the_copies(tiny_alpha):
    source, out, result, _ = tiny_alpha
    row = result.files.set_index("input").loc["DICOMDIR"]
    assert (row["status"], row["output"]) == ("written", str(out / "DICOMDIR")), row["error"]
    rebuilt = _file_set(out / "DICOMDIR")
    copies = {str((out / p).resolve()) for p in result.files.loc[result.files["status"] == "written", "output"]}
    assert len(rebuilt) == len(_file_set(source / "DICOMDIR")) == 50
    for instance in rebuilt:  # every record points at an existing copy, with that copy's own UIDs
        assert Path(instance.path).is_file() and instance.path in copies
        copy = pydicom.dcmread(instance.path, stop_before_pixels=True)
        assert instance.SOPInstanceUID == copy.SOPInstanceUID
        assert instance.StudyInstanceUID == copy.StudyInstanceUID
        assert instance.SeriesInstanceUID == copy.SeriesInstanceUID
        assert instance.StudyDate == copy.StudyDate  # the copies' shifted date, not the original's
    assert any("rebuilt" in note for note in result.notes)


def test_rebuilt_dicomdir_holds_no_original_name_id_or_uid(tiny_alpha):
    source, out, _, _ = tiny_alpha
    raw = (out / "DICOMDIR").read_bytes()
    identities = _identities(source / "DICOMDIR")
    assert {"Citizen^Jan", "12345678"} <= identities
    assert [value for value in identities if value.encode() in raw] == []
    found = phidetect.scan(out / "DICOMDIR", progress=False).at_least(FAIL_ON)
    assert set(found["phi_type"]) <= {"DATE"}  # no NAME, no ID: only the copies' own (shifted) study dates
    copy_dates = {str(pydicom.dcmread(p, stop_before_pixels=True).get("StudyDate", ""))
                  for p in out.rglob("IM*")} | {"000000", "161900"}
    assert set(found["text"]) <= copy_dates
    assert verify(out / "DICOMDIR", ocr=False, policy="research", progress=False).at_least(FAIL_ON).empty


def test_inputs_never_modified(tiny_alpha):
    source, _, _, before = tiny_alpha
    assert fingerprint(source) == before


def test_same_secret_same_dicomdir(tiny_alpha, tmp_path):
    source, out, _, _ = tiny_alpha
    _run(source, tmp_path / "again")
    assert (tmp_path / "again" / "DICOMDIR").read_bytes() == (out / "DICOMDIR").read_bytes()


def test_dicomdir_row_in_the_linkage_map(tiny_alpha):
    source, _, result, _ = tiny_alpha
    row = result.linkage.set_index("original_path").loc["DICOMDIR"]
    assert row["copy_path"] == "DICOMDIR" and row["status"] == "written"
    assert row["original_sop_instance_uid"] == str(_file_set(source / "DICOMDIR").UID)
    assert row["new_sop_instance_uid"] == str(_file_set(Path(result.files.set_index("input").loc["DICOMDIR", "output"])).UID)


def test_real_dicomdir_whose_folders_are_patient_ids_left_out(tmp_path):
    """dicomdirtests/DICOMDIR: a folder per Patient ID (77654033/CR1/6154). Before, redact
    de-identified it like an image and wrote a DICOMDIR pydicom could not read back."""
    source = _copy_file_set(_dicomdirtests() / "DICOMDIR", tmp_path / "in")
    result = _run(source, tmp_path / "out")
    row = result.files.set_index("input").loc["DICOMDIR"]
    assert row["status"] == "skipped" and row["error"].startswith("left out: its File IDs hold PHI")
    assert "77654033" not in row["error"]
    assert not (tmp_path / "out" / "DICOMDIR").exists()
    assert result.counts()["written"] == 31 and result.counts()["error"] == 0
    assert any(note.startswith("DICOMDIR DICOMDIR: left out") for note in result.notes)


def _synthetic_file_set(root: Path, patients: dict[str, str], per_patient: int = 2) -> Path:
    """A file-set written by pydicom (PT000000/... layout) of synthetic images with names and IDs."""
    file_set = FileSet()
    for index, (name, patient_id) in enumerate(patients.items()):
        for number in range(per_patient):
            ds = new_dataset(PatientName=name, PatientID=patient_id, StudyDate="20190314", StudyTime="101500",
                             StudyID="S1", AccessionNumber=f"ACC{index}77", StudyDescription="CT CHEST",
                             StudyInstanceUID=f"1.2.3.{index}", SeriesInstanceUID=f"1.2.3.{index}.1",
                             SeriesNumber="1", InstanceNumber=str(number + 1), Modality="CT")
            file_set.add(ds)
    file_set.write(root)
    return root


def test_synthetic_file_set_in_a_subfolder(tmp_path):
    source = tmp_path / "in"
    _synthetic_file_set(source / "cd1", {"Quimby^Ernestine": "QX778812", "Hadley^Rosalind": "QX991203"})
    result = _run(source, tmp_path / "out", policy="basic")
    rebuilt = _file_set(tmp_path / "out" / "cd1" / "DICOMDIR")
    assert len(rebuilt) == 4
    assert {Path(i.path).parent.parent.parent.parent.name for i in rebuilt} == {"cd1"}
    raw = (tmp_path / "out" / "cd1" / "DICOMDIR").read_bytes()
    for secret_text in (b"Quimby", b"Rosalind", b"QX778812", b"QX991203", b"ACC077", b"1.2.3.0", b"20190314"):
        assert secret_text not in raw
    # the Basic Profile removes study dates: the record's Type 1 date is the D action's dummy
    assert verify(tmp_path / "out", ocr=False, policy="basic", progress=False).at_least(FAIL_ON).empty
    assert result.counts()["written"] == 5


def test_rename_leaves_the_dicomdir_out(tmp_path):
    source = _synthetic_file_set(tmp_path / "in", {"Quimby^Ernestine": "QX778812"})
    result = _run(source, tmp_path / "out", rename=True)
    row = result.files.set_index("input").loc["DICOMDIR"]
    assert row["status"] == "skipped" and "--rename" in row["error"]
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file() and pydicom.dcmread(p).file_meta
                .MediaStorageSOPClassUID == MEDIA_STORAGE_DIRECTORY]
    assert result.counts()["written"] == 2


def test_failed_copy_leaves_the_dicomdir_out(tmp_path):
    source = _synthetic_file_set(tmp_path / "in", {"Quimby^Ernestine": "QX778812"})
    broken = next(p for p in source.rglob("IM*"))
    broken.write_bytes(broken.read_bytes()[:200])  # truncated: not copied
    result = _run(source, tmp_path / "out")
    row = result.files.set_index("input").loc["DICOMDIR"]
    assert row["status"] == "skipped" and "1 of the 2 files it references were not copied" in row["error"]
    assert not (tmp_path / "out" / "DICOMDIR").exists()
    assert "DICOMDIR" in set(result.errors["file"])


def test_directory_under_another_name_is_never_copied(tmp_path):
    source = _synthetic_file_set(tmp_path / "in", {"Quimby^Ernestine": "QX778812"})
    shutil.copy(source / "DICOMDIR", source / "INDEX")
    result = _run(source, tmp_path / "out")
    row = result.files.set_index("input").loc["INDEX"]
    assert row["status"] == "error" and "not named DICOMDIR" in row["error"]
    assert not (tmp_path / "out" / "INDEX").exists()
    assert result.files.set_index("input").loc["DICOMDIR", "status"] == "written"


def test_unreadable_dicomdir_is_an_error_and_the_batch_goes_on(tmp_path):
    source = _synthetic_file_set(tmp_path / "in", {"Quimby^Ernestine": "QX778812"})
    data = (source / "DICOMDIR").read_bytes()
    (source / "DICOMDIR").write_bytes(data[:len(data) - 120])  # records cut off
    result = _run(source, tmp_path / "out")
    row = result.files.set_index("input").loc["DICOMDIR"]
    assert row["status"] == "error" and "DICOMDIR" in row["error"]
    assert not (tmp_path / "out" / "DICOMDIR").exists()
    assert result.counts()["written"] == 2


def test_existing_dicomdir_kept_unless_overwrite(tmp_path):
    source = _synthetic_file_set(tmp_path / "in", {"Quimby^Ernestine": "QX778812"})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "DICOMDIR").write_bytes(b"mine")
    result = _run(source, tmp_path / "out")
    assert result.files.set_index("input").loc["DICOMDIR", "status"] == "exists"
    assert (tmp_path / "out" / "DICOMDIR").read_bytes() == b"mine"
    again = _run(source, tmp_path / "out", overwrite=True)
    assert again.files.set_index("input").loc["DICOMDIR", "status"] == "written"
    assert len(_file_set(tmp_path / "out" / "DICOMDIR")) == 2


def test_map_lists_the_dicomdir_left_out(tmp_path):
    source = _synthetic_file_set(tmp_path / "in", {"Quimby^Ernestine": "QX778812"})
    _run(source, tmp_path / "out", rename=True, map_out=tmp_path / "map.csv")
    row = read_map(tmp_path / "map.csv").set_index("original_path").loc["DICOMDIR"]
    assert row["status"] == "skipped" and row["copy_path"] == "" and "left out" in row["error"]


def test_real_files_of_two_record_types(tmp_path):
    """pydicom's CT_small and rtdose (given the Instance Number an RT DOSE record needs):
    an IMAGE and an RT DOSE record, each made from its copy."""
    file_set = FileSet()
    file_set.add(get_testdata_file("CT_small.dcm"))
    dose = pydicom.dcmread(get_testdata_file("rtdose.dcm"))
    dose.InstanceNumber = "1"
    file_set.add(dose)
    file_set.write(tmp_path / "in")
    result = _run(tmp_path / "in", tmp_path / "out")
    assert result.files.set_index("input").loc["DICOMDIR", "status"] == "written"
    rebuilt = _file_set(tmp_path / "out" / "DICOMDIR")
    assert sorted(i.DirectoryRecordType for i in rebuilt) == ["IMAGE", "RT DOSE"]
    assert all(i.PatientID == "REMOVED" for i in rebuilt)
