"""Bad input never stops a batch: each bad file is an error row naming the file and the
problem, and the good files beside it still give their findings."""

from __future__ import annotations

import os
import random
import shutil

import pydicom
import pytest
from conftest import SAMPLES, new_dataset, rows, write_dicom
from pydicom.dataelem import RawDataElement
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ImplicitVRLittleEndian

import phidetect
from phidetect.scan import scan_file

ROOT = os.geteuid() == 0


def scan(path):
    return phidetect.scan(path, workers=1, progress=False)


def error_for(result, name):
    found = result.errors[result.errors.file == name]
    assert len(found) >= 1, f"{name} is not in errors: {result.errors.values.tolist()}"
    return " ".join(found.error).lower()


@pytest.fixture
def mixed(tmp_path):
    """A folder of good and bad files, a good one in a subfolder."""
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    real = (SAMPLES / "0_ORIGINAL_no_pixels.dcm").read_bytes()
    (folder / "empty.dcm").write_bytes(b"")
    (folder / "notes.txt").write_text("Patient John Smith called, not a DICOM file\n")
    (folder / "truncated.dcm").write_bytes(real[:900])
    (folder / "random.bin").write_bytes(random.Random(1).randbytes(4096))
    shutil.copy(SAMPLES / "2_ORIGINAL.dcm", folder / "sub" / "good.dcm")
    write_dicom(folder / "synthetic.dcm", PatientName="Roe^Richard", PatientID="PID7788")
    return folder


def test_mixed_folder(mixed):
    """Four bad files, four error rows; both good files are fully scanned."""
    result = scan(mixed)
    assert result.files_scanned == 6
    assert set(result.errors.file) == {"empty.dcm", "notes.txt", "truncated.dcm", "random.bin"}
    assert "empty" in error_for(result, "empty.dcm")
    assert "not a dicom" in error_for(result, "notes.txt")
    assert "truncat" in error_for(result, "truncated.dcm")
    alone = scan(SAMPLES / "2_ORIGINAL.dcm")
    good = rows(result, file="sub/good.dcm")
    assert good[["tag_path", "text", "start", "end"]].values.tolist() == \
        alone[["tag_path", "text", "start", "end"]].values.tolist()
    assert "Roe^Richard" in set(rows(result, file="synthetic.dcm").text)


@pytest.mark.parametrize(("name", "size"), [
    ("0_ORIGINAL_no_pixels.dcm", 900),
    ("RGB_ORIGINAL.dcm", 900),
    ("2_ORIGINAL.dcm", 600),
    ("2_ORIGINAL.dcm", 1000),
    ("RGB_ORIGINAL.dcm", 200),
])
def test_truncated_header_is_an_error(tmp_path, name, size):
    """A real file cut inside its header: an error row that says so, never a silent partial scan."""
    cut = tmp_path / f"cut_{size}_{name}"
    cut.write_bytes((SAMPLES / name).read_bytes()[:size])
    result = scan(cut)
    assert "truncat" in error_for(result, str(cut))


@pytest.mark.parametrize("body", [b"", b"hello world, this is no data set " * 40, b"\xff" * 2000],
                         ids=["nothing", "text", "0xff"])
def test_preamble_and_dicm_then_garbage_is_an_error(tmp_path, body):
    """128 zero bytes, 'DICM', then no valid data set: reported, not scanned as clean."""
    path = tmp_path / "fake.dcm"
    path.write_bytes(b"\0" * 128 + b"DICM" + body)
    found, errors = scan_file(path)
    assert found == [] and len(errors) == 1 and errors[0].file == str(path)


def test_without_preamble_is_read(tmp_path):
    """A real file without its 128-byte preamble and 'DICM' (starts at the meta group): read."""
    bare = tmp_path / "bare.dcm"
    bare.write_bytes((SAMPLES / "0_ORIGINAL_no_pixels.dcm").read_bytes()[132:])
    result = scan(bare)
    assert result.errors.empty
    assert "DAVIDSON^DOUGLAS" in set(result.text) and "Douglas Davidson" in set(result.text)
    assert len(result) == len(scan(SAMPLES / "0_ORIGINAL_no_pixels.dcm"))


def test_without_preamble_or_file_meta_is_read(tmp_path):
    """A bare implicit-VR data set (no preamble, no 'DICM', no group 0002): read."""
    ds = new_dataset(ImplicitVRLittleEndian, PatientName="Roe^Richard", PatientID="PID7788")
    ds.preamble = None
    ds.file_meta = FileMetaDataset()
    path = tmp_path / "raw.dcm"
    ds.save_as(path, enforce_file_format=False, implicit_vr=True, little_endian=True)
    assert path.read_bytes()[:2] == b"\x08\x00"
    result = scan(path)
    assert result.errors.empty
    assert {"Roe^Richard", "PID7788"} <= set(result.text)


def test_missing_path_is_an_error_and_batch_goes_on(tmp_path):
    missing = tmp_path / "does-not-exist.dcm"
    result = phidetect.scan([missing, SAMPLES / "RGB_ORIGINAL.dcm"], workers=1, progress=False)
    assert "no such file" in error_for(result, str(missing))
    assert "RODGERS^SAMUEL" in set(result.text)
    found, errors = scan_file(missing)
    assert found == [] and "no such file" in errors[0].message.lower()


def test_directory_where_a_file_is_expected(tmp_path):
    """scan_file on a folder: one error row naming it, no exception."""
    found, errors = scan_file(tmp_path)
    assert found == [] and [e.file for e in errors] == [str(tmp_path)]
    assert "directory" in errors[0].message.lower() or "folder" in errors[0].message.lower()


def test_broken_symlink_is_an_error(tmp_path):
    (tmp_path / "link.dcm").symlink_to(tmp_path / "gone.dcm")
    write_dicom(tmp_path / "ok.dcm", PatientName="Roe^Richard")
    result = scan(tmp_path)
    assert "no such file" in error_for(result, "link.dcm")
    assert "Roe^Richard" in set(result.text)


@pytest.mark.skipif(ROOT, reason="root reads mode-000 files")
def test_unreadable_file_is_an_error(tmp_path):
    locked = write_dicom(tmp_path / "locked.dcm", PatientName="Roe^Richard")
    write_dicom(tmp_path / "ok.dcm", PatientName="Poe^Edgar")
    locked.chmod(0)
    try:
        result = scan(tmp_path)
    finally:
        locked.chmod(0o600)
    assert "permission" in error_for(result, "locked.dcm")
    assert "Poe^Edgar" in set(result.text)


@pytest.mark.skipif(ROOT, reason="root lists mode-000 folders")
def test_unlistable_folder_is_an_error(tmp_path):
    locked = tmp_path / "locked"
    write_dicom(locked / "a.dcm", PatientName="Roe^Richard")
    write_dicom(tmp_path / "ok.dcm", PatientName="Poe^Edgar")
    locked.chmod(0)
    try:
        result = scan(tmp_path)
    finally:
        locked.chmod(0o700)
    assert any("locked" in f for f in result.errors.file)
    assert "Poe^Edgar" in set(result.text)



def test_permission_error_becomes_an_error_row(tmp_path, monkeypatch):
    """Root reads mode-000 files, so the refusal is simulated where pydicom opens the file:
    the error row says 'permission denied' and the rest of the batch goes on."""
    import phidetect.dicom.reader as reader

    write_dicom(tmp_path / "locked.dcm", PatientName="Roe^Richard")
    write_dicom(tmp_path / "ok.dcm", PatientName="Poe^Edgar")
    real_dcmread = reader.pydicom.dcmread

    def refusing(path, *args, **kwargs):
        if str(path).endswith("locked.dcm"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_dcmread(path, *args, **kwargs)

    monkeypatch.setattr(reader.pydicom, "dcmread", refusing)
    result = scan(tmp_path)
    assert "permission denied" in error_for(result, "locked.dcm")
    assert "Poe^Edgar" in set(result.text)
    assert "Roe^Richard" not in set(result.text)


@pytest.mark.parametrize("left", [1, 6, 7])
def test_a_file_cut_inside_an_element_header_is_an_error_and_still_scanned(tmp_path, left):
    """pydicom drops a last element header of under 8 bytes without a word: the cut is an
    error row, and what was read before it is still scanned for PHI."""
    real = (SAMPLES / "0_ORIGINAL_no_pixels.dcm").read_bytes()
    whole = tmp_path / "whole.dcm"
    whole.write_bytes(real)
    ends = sorted({e.value_tell + e.length for e in pydicom.dcmread(whole, stop_before_pixels=True).values()
                   if isinstance(e, RawDataElement) and e.length != 0xFFFFFFFF})
    end = next(x for x in ends if x > 600)
    cut = tmp_path / "cut.dcm"
    cut.write_bytes(real[:end + left])
    result = scan(cut)
    assert "inside an element's header" in error_for(result, str(cut))
    assert len(result) > 0  # the elements before the cut were scanned
