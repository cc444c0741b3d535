"""Retain Safe Private (``--private safe``): exactly the private elements that PS3.15 Table
E.3.10-1 (or a user's list) names survive, their blocks' creators with them, cleaned of
what detection finds; every other private element goes. Real vendor blocks first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydicom
import pytest
from cli_runs import redact_cli
from conftest import fingerprint, new_dataset, write_dicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import ImplicitVRLittleEndian
from testdata import pydicom_file

from phidetect.redact import Policy, redact, verify
from phidetect.redact.marking import codes_of, methods_of
from phidetect.redact.policy import PRIVATE_CLEAN_METHOD
from phidetect.redact.safe_private import SafePrivateError, packaged_entries, read_safe_private, safe_private_list

RETAIN_SAFE_PRIVATE = "113111"
SAFE = Policy(private="safe")
#: What survives of CT_small.dcm's nine GE blocks (179 private elements): three blocks
#: with elements the table lists, their creators, nothing of GEMS_IDEN_01, GEMS_PATI_01...
CT_SMALL_KEPT = {0x00190010, 0x00191023, 0x00191024, 0x00191027, 0x00250010, 0x00251007, 0x00430010, 0x00431027}
#: The GE HELIOS CT of pydicom's DICOMDIR tests also keeps its detector geometry.
HELIOS_KEPT = {0x00190010, 0x00191023, 0x00191024, 0x00191027, 0x00430010, 0x00431027, 0x00450010, 0x00451001,
               0x00451002}
#: pydicom-data's Philips file: of 22 private elements only Examination Source (2001,xx63).
PHILIPS_KEPT = {0x20010010, 0x20011063}




def _copy_in(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(pydicom_file(name), folder / (name if name.endswith(".dcm") else name + ".dcm"))
    return folder


def _redact(source: Path, out: Path, policy: Policy = SAFE):
    result = redact(source, out, policy=policy, ocr=False, secret="k", workers=1, progress=False)
    assert result.counts()["written"] >= 1 and not result.counts()["error"], result.errors
    return result


def _private_tags(ds: Dataset) -> set[int]:
    return {int(e.tag) for e in ds if e.tag.is_private}


def _raw(path: Path, tag: int) -> bytes:
    """The element's value bytes as the file holds them (read afresh: nothing converted)."""
    return pydicom.dcmread(path).get_item(tag).value


@pytest.mark.parametrize(("name", "kept"), [("CT_small.dcm", CT_SMALL_KEPT), ("17106", HELIOS_KEPT),
                                            ("2062", HELIOS_KEPT),
                                            ("JPGLosslessP14SV1_1s_1f_8b.dcm", PHILIPS_KEPT)])
def test_real_vendor_files_keep_exactly_the_listed_private_elements_byte_for_byte(tmp_path, name, kept):
    source = _copy_in(tmp_path, name)
    before = fingerprint(source)
    _redact(source, tmp_path / "out")
    stem = name if name.endswith(".dcm") else name + ".dcm"
    original = pydicom.dcmread(source / stem)
    copy = pydicom.dcmread(tmp_path / "out" / stem)
    assert _private_tags(copy) == kept
    assert len(_private_tags(original)) > len(kept)
    for tag in kept:
        assert _raw(tmp_path / "out" / stem, tag) == _raw(source / stem, tag)
    assert not any(e.tag.is_private for e in copy.iterall() if int(e.tag) not in kept)
    assert RETAIN_SAFE_PRIVATE in codes_of(copy)
    assert fingerprint(source) == before


def test_implicit_vr_files_match_by_creator_and_element(tmp_path):
    original = pydicom.dcmread(pydicom_file("CT_small.dcm"))
    implicit = new_dataset(ImplicitVRLittleEndian)
    for elem in original:
        implicit.add(elem)
    path = write_dicom(tmp_path / "in" / "implicit.dcm", implicit)
    assert pydicom.dcmread(path).get_item(0x00191023).VR is None  # the file says no VR
    _redact(tmp_path / "in", tmp_path / "out")
    copy = pydicom.dcmread(tmp_path / "out" / "implicit.dcm")
    assert _private_tags(copy) == CT_SMALL_KEPT
    assert _raw(tmp_path / "out" / "implicit.dcm", 0x00431027) == _raw(path, 0x00431027) == b"/1.0:1"


def test_copies_of_real_files_verify_clean_and_keep_no_phi(tmp_path):
    source = _copy_in(tmp_path, "CT_small.dcm", "17106", "JPGLosslessP14SV1_1s_1f_8b.dcm")
    _redact(source, tmp_path / "out")
    residual = verify(tmp_path / "out", ocr=False, workers=1, progress=False)
    assert residual.empty, residual[["file", "tag_path", "phi_type", "text"]]


def _siemens(**elements) -> Dataset:
    """A data set with a SIEMENS MR HEADER block and another vendor's block, like a DWI scan."""
    ds = new_dataset(PatientName="DOE^JOHN", PatientID="PID-778899", **elements)
    block = ds.private_block(0x0019, "SIEMENS MR HEADER", create=True)
    block.add_new(0x0C, "IS", "1000")            # B Value: listed
    block.add_new(0x0E, "FD", [0.0, 0.7071, 0.7071])  # Diffusion Gradient Direction: listed
    block.add_new(0x08, "CS", "IMAGE NUM 4")     # Image type text: not listed
    other = ds.private_block(0x0029, "SIEMENS CSA HEADER", create=True)
    other.add_new(0x0C, "IS", "1000")            # the same element byte, another creator
    return ds


def test_listed_element_kept_unlisted_and_other_creator_removed(tmp_path):
    path = write_dicom(tmp_path / "in" / "dwi.dcm", _siemens())
    before = fingerprint(tmp_path / "in")
    _redact(tmp_path / "in", tmp_path / "out")
    out = tmp_path / "out" / "dwi.dcm"
    copy = pydicom.dcmread(out)
    assert _private_tags(copy) == {0x00190010, 0x0019100C, 0x0019100E}
    assert _raw(out, 0x0019100C) == _raw(path, 0x0019100C) and _raw(out, 0x0019100E) == _raw(path, 0x0019100E)
    assert 0x00290010 not in copy  # its block kept nothing: the creator goes too
    assert fingerprint(tmp_path / "in") == before


def test_creator_padding_is_trimmed_but_its_spelling_must_match(tmp_path):
    padded = new_dataset()
    padded.add_new(0x00190010, "LO", "SIEMENS MR HEADER ")
    padded.add_new(0x0019100C, "IS", "1000")
    lower = new_dataset()
    lower.add_new(0x00190010, "LO", "Siemens MR Header")
    lower.add_new(0x0019100C, "IS", "1000")
    write_dicom(tmp_path / "in" / "padded.dcm", padded)
    write_dicom(tmp_path / "in" / "lower.dcm", lower)
    _redact(tmp_path / "in", tmp_path / "out")
    assert _private_tags(pydicom.dcmread(tmp_path / "out" / "padded.dcm")) == {0x00190010, 0x0019100C}
    assert _private_tags(pydicom.dcmread(tmp_path / "out" / "lower.dcm")) == set()


def test_an_explicit_vr_other_than_the_listed_one_is_removed(tmp_path):
    ds = new_dataset()
    block = ds.private_block(0x0019, "SIEMENS MR HEADER", create=True)
    block.add_new(0x0C, "LO", "1000 for DOE")  # B Value is IS: a vendor block that is not the listed one
    write_dicom(tmp_path / "in" / "a.dcm", ds)
    _redact(tmp_path / "in", tmp_path / "out")
    assert _private_tags(pydicom.dcmread(tmp_path / "out" / "a.dcm")) == set()


def test_a_listed_text_element_holding_the_patients_name_is_cleaned(tmp_path):
    ds = new_dataset(PatientName="DOE^JOHN", PatientID="PID-778899")
    block = ds.private_block(0x0019, "GEMS_ACQU_01", create=True)
    block.add_new(0x9E, "LO", "FSE for John Doe")  # Internal Pulse Sequence Name: listed, LO
    write_dicom(tmp_path / "in" / "a.dcm", ds)
    _redact(tmp_path / "in", tmp_path / "out")
    copy = pydicom.dcmread(tmp_path / "out" / "a.dcm")
    kept = copy[0x0019109E].value
    assert "FSE" in kept and "John" not in kept and "Doe" not in kept
    assert verify(tmp_path / "out", ocr=False, workers=1, progress=False).empty


def test_kept_private_sequences_are_walked(tmp_path):
    ds = new_dataset(PatientName="DOE^JOHN")
    item = Dataset()
    item.PatientName = "DOE^JOHN"
    inner = item.private_block(0x2001, "Philips Imaging DD 001", create=True)
    inner.add_new(0x35, "SS", 3)                  # Stack Slice Number: listed
    inner.add_new(0x5B, "LO", "Mercy Hospital")    # not listed
    block = ds.private_block(0x2001, "Philips Imaging DD 001", create=True)
    block.add_new(0x5F, "SQ", Sequence([item]))   # Stack Sequence: listed
    write_dicom(tmp_path / "in" / "a.dcm", ds)
    _redact(tmp_path / "in", tmp_path / "out")
    kept = pydicom.dcmread(tmp_path / "out" / "a.dcm")[0x2001105F].value[0]
    assert _private_tags(kept) == {0x20010010, 0x20011035}
    assert kept[0x20011035].value == 3
    assert kept.PatientName == ""  # a public attribute inside gets its own action (Z)


def test_listed_private_uids_are_replaced_like_public_ones(tmp_path):
    series = "1.2.826.0.1.3680043.2.1125.7.12345"
    ds = new_dataset()
    block = ds.private_block(0x0099, "NQHeader", create=True)
    block.add_new(0x02, "UI", series)  # Analyzed Series UID: listed
    write_dicom(tmp_path / "in" / "a.dcm", ds)
    _redact(tmp_path / "in", tmp_path / "out")
    mapped = pydicom.dcmread(tmp_path / "out" / "a.dcm")[0x00991002].value
    assert mapped.startswith("2.25.") and mapped != series
    assert verify(tmp_path / "out", ocr=False, workers=1, progress=False).empty


def test_only_safe_mode_claims_retain_safe_private():
    assert RETAIN_SAFE_PRIVATE in [c for c, _ in SAFE.codes(pixels_cleaned=False)]
    for mode in ("remove", "clean"):
        assert RETAIN_SAFE_PRIVATE not in [c for c, _ in Policy(private=mode).codes(pixels_cleaned=True)]
    assert PRIVATE_CLEAN_METHOD in Policy(private="clean").describe()
    assert PRIVATE_CLEAN_METHOD not in SAFE.describe()


def test_copies_say_which_private_mode_made_them(tmp_path):
    write_dicom(tmp_path / "in" / "a.dcm", _siemens())
    for mode in ("remove", "clean", "safe"):
        _redact(tmp_path / "in", tmp_path / mode, Policy(private=mode))
        copy = pydicom.dcmread(tmp_path / mode / "a.dcm")
        assert Policy.from_codes(codes_of(copy), methods_of(copy)).private == mode
        assert verify(tmp_path / mode, ocr=False, workers=1, progress=False).empty


def test_the_packaged_list_is_table_e_3_10_1():
    entries = packaged_entries()
    assert len(entries) == 479
    assert {e.source for e in entries} == {"PS3.15 2026d Table E.3.10-1"}
    listed = safe_private_list()
    assert listed.keeps(0x0019, "SIEMENS MR HEADER", 0x0C, "IS")
    assert listed.keeps(0x2001, "Philips Imaging DD 001", 0x7D, "OB") and listed.keeps(0x2001, "Philips Imaging DD 001",
                                                                                           0x7D, "OW")
    assert not listed.keeps(0x0019, "SIEMENS MR HEADER", 0x08, "CS")


def test_a_user_file_adds_entries(tmp_path):
    extra = tmp_path / "site.csv"
    extra.write_text("group,private_creator,element,vr,name\n0029,ACME LAB 1,xx01,DS,Coil temperature\n")
    ds = new_dataset()
    block = ds.private_block(0x0029, "ACME LAB 1", create=True)
    block.add_new(0x01, "DS", "21.5")
    block.add_new(0x02, "LO", "operator notes")
    write_dicom(tmp_path / "in" / "a.dcm", ds)
    _redact(tmp_path / "in", tmp_path / "packaged")
    _redact(tmp_path / "in", tmp_path / "extended", Policy(private="safe", safe_private=(str(extra),)))
    assert _private_tags(pydicom.dcmread(tmp_path / "packaged" / "a.dcm")) == set()
    assert _private_tags(pydicom.dcmread(tmp_path / "extended" / "a.dcm")) == {0x00290010, 0x00291001}


@pytest.mark.parametrize(("text", "line", "says"), [
    ("group,private_creator,element\n0029,ACME,01\n0018,ACME,02\n", 3, "not a private group"),
    ("group,private_creator,element,vr\n0029,ACME,01,XY\n", 2, "vr must be"),
    ("group,private_creator,element\n0029,,01\n", 2, "private_creator"),
    ("group,private_creator,element\n0029,ACME,1\n", 2, "element must be 2 hex digits"),
    ("group,creator,element\n0029,ACME,01\n", 1, "missing private_creator"),
])
def test_a_bad_user_file_names_the_file_and_the_line(tmp_path, text, line, says):
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    with pytest.raises(SafePrivateError) as caught:
        read_safe_private(bad)
    assert str(bad) in str(caught.value) and f"line {line}:" in str(caught.value) and says in str(caught.value)
    with pytest.raises(SafePrivateError):
        Policy(private="safe", safe_private=(str(bad),))


def test_a_user_file_needs_safe_mode_and_must_exist(tmp_path):
    with pytest.raises(ValueError, match="private='safe'"):
        Policy(private="clean", safe_private=("x.csv",))
    with pytest.raises(SafePrivateError, match="missing.csv"):
        Policy(private="safe", safe_private=(str(tmp_path / "missing.csv"),))



def _cli(capsys, *args) -> tuple[int, str]:
    run = redact_cli(capsys, *args)
    return run[0], run[2]


def test_cli_private_safe_with_a_user_file(tmp_path, capsys):
    extra = tmp_path / "site.csv"
    extra.write_text("group,private_creator,element,vr\n0031,ACME LAB 1,01,DS\n")
    ds = _siemens()
    ds.private_block(0x0031, "ACME LAB 1", create=True).add_new(0x01, "DS", "21.5")
    write_dicom(tmp_path / "in" / "a.dcm", ds)
    code, _ = _cli(capsys, tmp_path / "in", tmp_path / "out", "--private", "safe", "--safe-private", extra,
                   "--no-ocr", "--workers", 1, "--no-progress")
    assert code == 0
    assert _private_tags(pydicom.dcmread(tmp_path / "out" / "a.dcm")) == \
        {0x00190010, 0x0019100C, 0x0019100E, 0x00310010, 0x00311001}


def test_cli_bad_user_file_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("group,private_creator,element\n0029,ACME,zz\n")
    write_dicom(tmp_path / "in" / "a.dcm", _siemens())
    code, err = _cli(capsys, tmp_path / "in", tmp_path / "out", "--private", "safe", "--safe-private", bad,
                     "--no-ocr", "--no-progress")
    assert code == 2 and f"{bad}, line 2" in err
    assert not (tmp_path / "out").exists()
