"""Redacting real files: the pseudo-PHI samples, deid-data's humans, cookies and animals,
and pydicom test files in several encodings. Every copy is readable with the same pixel
shape, no header PHI is left, inputs are untouched, and bad inputs never stop the batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from conftest import SAMPLES, fingerprint, new_dataset, write_dicom
from pydicom.data import get_testdata_file

import phidetect
from phidetect.datasets.packaged import package_folder
from phidetect.redact import redact, verify

PYDICOM_FILES = ("CT_small.dcm", "MR_small_bigendian.dcm", "JPEG2000.dcm", "SC_rgb_rle_2frame.dcm",
                 "examples_palette.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm", "MR_small_implicit.dcm", "rtdose.dcm")


@pytest.fixture(scope="module")
def real_tree(tmp_path_factory) -> Path:
    """Real files in a nested tree, as a hospital export would have them."""
    root = tmp_path_factory.mktemp("real") / "in"
    shutil.copytree(SAMPLES, root / "pseudo-phi")
    deid = package_folder("deid_data")
    assert deid is not None, "deid-data is not installed"
    for folder in ("humans", "dicom-cookies", "animals"):
        shutil.copytree(deid / folder, root / "deid" / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in PYDICOM_FILES:
        path = get_testdata_file(name)
        assert path is not None, name
        (root / "pydicom").mkdir(exist_ok=True)
        shutil.copy(path, root / "pydicom" / name)
    return root


@pytest.fixture(scope="module")
def redacted(real_tree, tmp_path_factory):
    before = fingerprint(real_tree)
    out = tmp_path_factory.mktemp("real-out") / "out"
    result = redact(real_tree, out, ocr=False, secret="k", workers=1, progress=False)
    return real_tree, out, result, before


def test_every_dicom_is_written(redacted):
    _, out, result, _ = redacted
    files = result.files.set_index("input")
    assert set(files.loc[files["status"] != "written"].index) == {"pseudo-phi/README.md",
                                                                  "pseudo-phi/ground_truth.json"}
    assert (files.loc[files["status"] == "skipped", "error"].str.startswith("not a DICOM")).all()
    assert result.counts()["written"] == 4 + 2 + 7 + 1 + len(PYDICOM_FILES)
    assert not (out / "pseudo-phi" / "README.md").exists()  # only de-identified DICOM goes out


def test_inputs_are_unchanged(redacted):
    source, _, _, before = redacted
    assert fingerprint(source) == before


def test_no_header_phi_left_on_rescan(redacted):
    _, out, _, _ = redacted
    residual = verify(out, ocr=False, workers=1, progress=False)
    assert residual.at_least(0.5).empty, residual.at_least(0.5)[["file", "tag_path", "text", "rule"]]
    assert residual.errors.empty


def test_copies_are_readable_with_the_same_pixels(redacted):
    source, out, result, _ = redacted
    for row in result.files[result.files["status"] == "written"].itertuples():
        before = pydicom.dcmread(source / row.input)
        after = pydicom.dcmread(row.output)
        assert after.file_meta.TransferSyntaxUID.is_little_endian
        if "PixelData" not in before:
            continue
        assert after.pixel_array.shape == before.pixel_array.shape, row.input
        if not before.file_meta.TransferSyntaxUID.is_compressed:
            np.testing.assert_array_equal(after.pixel_array, before.pixel_array)


def test_big_endian_becomes_little_endian(redacted):
    source, out, _, _ = redacted
    before = pydicom.dcmread(source / "pydicom" / "MR_small_bigendian.dcm")
    after = pydicom.dcmread(out / "pydicom" / "MR_small_bigendian.dcm")
    assert after.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    for keyword in ("Rows", "Columns", "PixelSpacing", "SliceThickness", "WindowCenter", "ImagePositionPatient"):
        assert after.get(keyword) == before.get(keyword), keyword
    np.testing.assert_array_equal(after.pixel_array, before.pixel_array)


def test_study_uids_match_across_the_samples(redacted):
    source, out, _, _ = redacted
    pairs = [(pydicom.dcmread(source / "pseudo-phi" / n), pydicom.dcmread(out / "pseudo-phi" / n))
             for n in ("0_ORIGINAL_compressed.dcm", "0_ORIGINAL_no_pixels.dcm")]
    (in_a, out_a), (in_b, out_b) = pairs
    assert in_a.StudyInstanceUID == in_b.StudyInstanceUID
    assert out_a.StudyInstanceUID == out_b.StudyInstanceUID != in_a.StudyInstanceUID


def test_refuses_to_overwrite_unless_asked(redacted, tmp_path):
    source, _, _, _ = redacted
    out = tmp_path / "out"
    redact(source / "deid", out, ocr=False, secret="k", workers=1, progress=False)
    stamps = fingerprint(out)
    again = redact(source / "deid", out, ocr=False, secret="k", workers=1, progress=False)
    assert set(again.files["status"]) == {"exists"} and fingerprint(out) == stamps
    assert len(again.errors) == len(again.files)
    forced = redact(source / "deid", out, ocr=False, secret="k", workers=1, progress=False, overwrite=True)
    assert set(forced.files["status"]) == {"written"}


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path):
    source = tmp_path / "in"
    good = write_dicom(source / "good.dcm", new_dataset(PatientName="DOE^JOHN"))
    (source / "empty.dcm").write_bytes(b"")
    (source / "garbage.dcm").write_bytes(b"\x01\x02" * 300)
    data = good.read_bytes()
    truncated = new_dataset(PatientName="DOE^JANE")
    truncated.PixelData = b"\0" * 4096
    truncated.Rows = truncated.Columns = 64
    write_dicom(source / "cut.dcm", truncated)
    (source / "cut.dcm").write_bytes((source / "cut.dcm").read_bytes()[:-1000])
    result = redact(source, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    status = dict(zip(result.files["input"], result.files["status"], strict=True))
    assert status == {"good.dcm": "written", "empty.dcm": "skipped", "garbage.dcm": "skipped", "cut.dcm": "error"}
    assert set(result.errors["file"]) == {"empty.dcm", "garbage.dcm", "cut.dcm"}
    assert "truncated" in result.errors.set_index("file").loc["cut.dcm", "error"]
    assert good.read_bytes() == data


def test_names_are_sanitised_and_stay_inside(tmp_path):
    source = tmp_path / "in"
    write_dicom(source / "sub dir" / "a;b c.dcm", new_dataset())
    write_dicom(source / "x" / "CON", new_dataset())
    result = redact(source, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False)
    outputs = sorted(Path(p).relative_to(tmp_path / "out").as_posix() for p in result.files["output"])
    assert outputs == ["sub_dir/a_b_c.dcm", "x/_CON"]


def test_renamed_outputs_hide_the_names(tmp_path):
    source = tmp_path / "in"
    write_dicom(source / "DOE_JOHN" / "DOE_JOHN_CT.dcm", new_dataset())
    result = redact(source, tmp_path / "out", ocr=False, secret="k", workers=1, progress=False, rename=True)
    assert "DOE" not in result.files.loc[0, "output"] and result.files.loc[0, "output"].endswith(".dcm")


def test_never_in_place(tmp_path):
    source = tmp_path / "in"
    write_dicom(source / "a.dcm", new_dataset())
    with pytest.raises(ValueError):
        redact(source, source, ocr=False, workers=1, progress=False)
    single = redact(source / "a.dcm", source, ocr=False, workers=1, progress=False)
    assert single.files.empty and "replace the input" in single.errors.loc[0, "error"]
    inside = redact(source, source / "clean", ocr=False, secret="k", workers=1, progress=False)
    assert list(inside.files["input"]) == ["a.dcm"]
    again = redact(source, source / "clean", ocr=False, secret="k", workers=1, progress=False, overwrite=True)
    assert list(again.files["input"]) == ["a.dcm"]  # the copies inside IN are not read as inputs


def test_header_scan_of_copies_finds_no_patient_values(redacted):
    _, out, _, _ = redacted
    found = phidetect.scan(out, workers=1, progress=False)
    assert not found["rule"].str.contains("crossref").any()
    assert not found["phi_type"].isin(["NAME", "ID", "ADDRESS", "PHONE", "INSTITUTION"]).any(), \
        found[found["phi_type"].isin(["NAME", "ID", "ADDRESS", "PHONE", "INSTITUTION"])]
