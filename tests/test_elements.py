"""Where PHI hides in a header: nested sequences, private blocks, UN bytes, multiple
values, file meta and character sets. Data sets are built here and written to disk."""

from __future__ import annotations

import pydicom
import pytest
from conftest import new_dataset, rows, value_text, write_dicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import ImplicitVRLittleEndian

import phidetect
from phidetect.datasets.packaged import package_folder

NAME_NOTE = "Seen by Dr. Robert Johnson"
NESTED_NOTE = "Reviewed with Robert Johnson"


def scan_one(path):
    result = phidetect.scan(path, workers=1, progress=False)
    assert result.errors.empty, result.errors.values.tolist()
    return result


def only(result, tag_path):
    found = rows(result, tag_path=tag_path)
    assert len(found) == 1, f"{tag_path}: {found[['text', 'rule']].values.tolist()}"
    return found.iloc[0]


def three_levels() -> pydicom.FileDataset:
    """A name three sequences deep, in a second item at two of the levels."""
    innermost = Dataset()
    innermost.TextValue = NESTED_NOTE
    innermost.PersonName = "Johnson^Robert"
    protocol = Dataset()
    protocol.ContentSequence = Sequence([Dataset(), innermost])
    protocol.ContentSequence[0].ValueType = "TEXT"
    request = Dataset()
    request.ScheduledProtocolCodeSequence = Sequence([protocol])
    first = Dataset()
    first.RequestedProcedureID = "RP1"
    return new_dataset(RequestAttributesSequence=Sequence([first, request]))


def test_name_three_sequences_deep(tmp_path):
    """tag_path names every level with 0-based items; offsets point into the innermost value."""
    path = write_dicom(tmp_path / "deep.dcm", three_levels())
    result = scan_one(path)
    prefix = "(0040,0275)[1].(0040,0008)[0].(0040,A730)[1]."
    pn = only(result, prefix + "(0040,A123)")
    assert (pn.keyword, pn.vr, pn.phi_type, pn.text, pn.start, pn.end) == (
        "PersonName", "PN", "NAME", "Johnson^Robert", 0, 14)
    note = only(result, prefix + "(0040,A160)")
    assert (note.keyword, note.phi_type, note.text) == ("TextValue", "NAME", "Robert Johnson")
    assert (note.start, note.end) == (14, 28)
    ds = pydicom.dcmread(path)
    assert value_text(ds, note.tag_path)[note.start:note.end] == note.text


@pytest.mark.parametrize("with_pn", [False, True], ids=["text-only", "with-PersonName"])
def test_title_before_name_never_splits_a_word(tmp_path, with_pn):
    """'Seen by Dr. Robert Johnson': the span is the name (the title may be kept, never 'r.')."""
    extra = {"PersonName": "Johnson^Robert"} if with_pn else {}
    path = write_dicom(tmp_path / "title.dcm", ImageComments=NAME_NOTE, **extra)
    found = only(scan_one(path), "(0020,4000)")
    assert found.text in ("Robert Johnson", "Dr. Robert Johnson")
    assert NAME_NOTE[found.start:found.end] == found.text and found.end == len(NAME_NOTE)


def test_name_in_sequence_item_cross_referenced(tmp_path):
    """(0040,0275)[0].(0032,1060) 'CT HEAD for John Smith' with PatientName Smith^John."""
    item = Dataset()
    item.RequestedProcedureDescription = "CT HEAD for John Smith"
    path = write_dicom(tmp_path / "req.dcm", PatientName="Smith^John", RequestAttributesSequence=Sequence([item]))
    found = only(scan_one(path), "(0040,0275)[0].(0032,1060)")
    assert (found.text, found.start, found.end, found.phi_type) == ("John Smith", 12, 22, "NAME")
    assert found.keyword == "RequestedProcedureDescription"


def private_dataset(transfer_syntax=None, charset=None, vr="LO", values=(NAME_NOTE, "call 617-555-0142")):
    ds = new_dataset(PatientName="Doe^Jane") if transfer_syntax is None else new_dataset(
        transfer_syntax, PatientName="Doe^Jane")
    if charset:
        ds.SpecificCharacterSet = charset
    block = ds.private_block(0x0009, "ACME PRIVATE", create=True)
    for offset, value in enumerate(values, start=1):
        if vr == "UN":
            raw = value.encode("utf-8")
            block.add_new(offset, "UN", raw + b" " * (len(raw) % 2))
        else:
            block.add_new(offset, vr, value)
    return ds


@pytest.mark.parametrize("implicit", [False, True], ids=["explicit", "implicit-UN"])
def test_private_elements_with_creator(tmp_path, implicit):
    """(0009,1001): keyword '', private_creator filled; implicit VR files deliver UN bytes."""
    ds = private_dataset(ImplicitVRLittleEndian if implicit else None)
    path = write_dicom(tmp_path / "private.dcm", ds)
    stored_vr = "UN" if implicit else "LO"
    read_vr = pydicom.dcmread(path)[0x00091001].VR
    assert read_vr == stored_vr
    result = scan_one(path)
    name = only(result, "(0009,1001)")
    assert (name.keyword, name.private_creator, name.phi_type, name.text) == (
        "", "ACME PRIVATE", "NAME", "Robert Johnson")
    assert (name.start, name.end, name.vr) == (12, 26, stored_vr)
    phone = only(result, "(0009,1002)")
    assert (phone.phi_type, phone.text, phone.start, phone.end, phone.private_creator) == (
        "PHONE", "617-555-0142", 5, 17, "ACME PRIVATE")
    assert rows(result, tag_path="(0009,0010)").empty  # the creator's own value is not PHI
    assert set(rows(result, private_creator="ACME PRIVATE").tag_path) == {"(0009,1001)", "(0009,1002)"}


@pytest.mark.parametrize("text", ["Call 617-555-0142 – Müller", "Dr. ÖZTÜRK, tel 617-555-0142"])
def test_un_private_text_in_utf8_is_read(tmp_path, text):
    """UN bytes of a UTF-8 data set (dashes, capital umlauts: bytes 0x80-0x9F) are still text."""
    ds = private_dataset(ImplicitVRLittleEndian, "ISO_IR 192", vr="UN", values=(text,))
    path = write_dicom(tmp_path / "utf8_un.dcm", ds)
    assert pydicom.dcmread(path)[0x00091001].VR == "UN"
    found = rows(scan_one(path), tag_path="(0009,1001)")
    phones = found[found.phi_type == "PHONE"]
    assert len(phones) == 1
    assert (phones.iloc[0].text, phones.iloc[0].start) == ("617-555-0142", text.index("617"))


def test_multi_valued_offsets_in_backslash_joined_value(tmp_path):
    """Two OtherPatientIDs and a two-valued private LO: offsets index 'A\\B'."""
    ds = private_dataset(values=())
    ds.OtherPatientIDs = ["MRN12345", "ZX998877"]
    ds.private_block(0x0009, "ACME PRIVATE").add_new(0x01, "LO", ["CHEST", "call 617-555-0142"])
    path = write_dicom(tmp_path / "multi.dcm", ds)
    result = scan_one(path)
    read = pydicom.dcmread(path)
    ids = rows(result, tag_path="(0010,1000)")
    joined = value_text(read, "(0010,1000)")
    assert joined == "MRN12345\\ZX998877"
    for r in ids.itertuples():
        assert joined[r.start:r.end] == r.text and r.phi_type == "ID"
    for value in ("MRN12345", "ZX998877"):
        at = joined.index(value)
        assert any(r.start <= at and at + len(value) <= r.end for r in ids.itertuples()), value
    phone = only(result, "(0009,1001)")
    assert value_text(read, "(0009,1001)") == "CHEST\\call 617-555-0142"
    assert (phone.text, phone.start, phone.end) == ("617-555-0142", 11, 23)


def test_file_meta_elements_are_scanned(tmp_path):
    """Group 0002 is walked: the instance UID, and text hidden in PrivateInformation."""
    ds = new_dataset(PatientName="Doe^Jane")
    ds.file_meta.PrivateInformationCreatorUID = "1.2.3.4"
    ds.file_meta.PrivateInformation = b"owner tel 617-555-0142 "
    path = write_dicom(tmp_path / "meta.dcm", ds)
    result = scan_one(path)
    uid = only(result, "(0002,0003)")
    assert (uid.keyword, uid.phi_type, uid.text) == ("MediaStorageSOPInstanceUID", "UID", ds.SOPInstanceUID)
    assert uid.sop_instance_uid == ds.SOPInstanceUID
    phone = only(result, "(0002,0102)")
    assert (phone.phi_type, phone.text, phone.start, phone.end) == ("PHONE", "617-555-0142", 10, 22)


# ---- character sets ----------------------------------------------------------------

CHARSETS = [
    ("ISO_IR 100", "Müller^Jürgen", "Jürgen Müller", "latin-1"),
    ("ISO_IR 192", "Żółć^Łukasz", "Łukasz Żółć", "utf-8"),
    ("GB18030", "Wang^XiaoDong=王^小东", "王小东", "gb18030"),
    (["", "ISO 2022 IR 87"], "Yamada^Tarou=山田^太郎=やまだ^たろう", "山田太郎", "iso2022_jp"),
]


@pytest.mark.parametrize(("charset", "name", "mention", "codec"), CHARSETS, ids=lambda v: str(v)[:14])
def test_specific_character_set_written_here(tmp_path, charset, name, mention, codec):
    """Names stored in Latin-1, UTF-8, GB18030 and ISO 2022 (JIS) come back decoded."""
    ds = new_dataset(ImplicitVRLittleEndian, SpecificCharacterSet=charset, PatientName=name,
                     StudyDescription=f"CT for {mention}")
    path = write_dicom(tmp_path / "charset.dcm", ds)
    assert mention.encode(codec)[-4:] in path.read_bytes()  # really stored in that encoding
    result = scan_one(path)
    patient = only(result, "(0010,0010)")
    assert patient.text == name and patient.end == len(name)
    study = only(result, "(0008,1030)")
    assert mention in study.text and study.phi_type == "NAME"
    assert f"CT for {mention}"[study.start:study.end] == study.text


CHARSET_FILES = [
    ("chrGerm.dcm", "(0010,0010)", "Äneas^Rüdiger"),
    ("chrFren.dcm", "(0010,0010)", "Buc^Jérôme"),
    ("chrRuss.dcm", "(0010,0010)", "Люкceмбypг"),
    ("chrGreek.dcm", "(0010,0010)", "Διονυσιος"),
    ("chrX1.dcm", "(0010,0010)", "Wang^XiaoDong=王^小東"),
    ("chrX2.dcm", "(0010,0010)", "Wang^XiaoDong=王^小东"),
    ("chrH31.dcm", "(0010,0010)", "Yamada^Tarou=山田^太郎=やまだ^たろう"),
    ("chrH32.dcm", "(0010,0010)", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
    ("chrI2.dcm", "(0010,0010)", "Hong^Gildong=洪^吉洞=홍^길동"),
    ("chrSQEncoding.dcm", "(0032,1064)[0].(0010,0010)", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
]


@pytest.mark.parametrize(("name", "tag_path", "expected"), CHARSET_FILES)
def test_pydicom_charset_files(name, tag_path, expected):
    """pydicom's own charset test files: the decoded name is the finding's text."""
    path = package_folder("pydicom").parent / "charset_files" / name
    found = only(scan_one(path), tag_path)
    assert (found.text, found.phi_type, found.start, found.end) == (expected, "NAME", 0, len(expected))


def test_scan_dataset_in_memory():
    """scan_dataset on a plain Dataset (no file meta, never written)."""
    ds = Dataset()
    ds.PatientName = "Doe^Jane"
    ds.PatientID = "MRN0042"
    ds.ImageComments = "Discussed with Dr. Robert Johnson"
    ds.Modality = "MR"
    result = phidetect.scan_dataset(ds, file="memory")
    assert isinstance(result, phidetect.Findings) and list(result.columns) == list(phidetect.COLUMNS)
    got = {(r.tag_path, r.text) for r in result.itertuples()}
    assert got == {("(0010,0010)", "Doe^Jane"), ("(0010,0020)", "MRN0042"), ("(0020,4000)", "Robert Johnson")}
    assert set(result.file) == {"memory"} and set(result.sop_instance_uid) == {""}
    assert list(result.errors.columns) == ["file", "kind", "error"] and result.errors.empty
    strong = phidetect.scan_dataset(ds, min_confidence=0.99)
    assert set(strong.tag_path) == {"(0010,0010)", "(0010,0020)"}
