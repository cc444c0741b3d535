"""One bad file never stops a sweep (issue 13): each becomes one error row, with its kind,
while the good files around it are scanned, redacted and verified; a worker process that
dies costs one row; exit codes say when a sweep is incomplete; inputs stay byte-identical."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pydicom
import pytest
from conftest import fingerprint, write_dicom
from pydicom.data import get_testdata_file
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.tag import Tag

from phidetect.cli import EXIT_CLEAN, EXIT_INCOMPLETE, EXIT_PHI, main
from phidetect.findings import ErrorKind
from phidetect.pool import run_pool
from phidetect.redact.run import redact
from phidetect.scan import scan, scan_dataset, scan_file

DEFECTS = Path(__file__).parent / "data" / "fuzz-defects"
DEFECT_NAMES = sorted(p.name for p in DEFECTS.glob("*.dcm"))
SURROGATE = os.fsdecode(b"bad\xff\xfename.dcm")


def _zeroed_magic(path: Path) -> Path:
    """CT_small with its 'DICM' magic (and preamble) zeroed: the data set after it intact."""
    data = Path(get_testdata_file("CT_small.dcm")).read_bytes()
    path.write_bytes(b"\0" * 132 + data[132:])
    return path


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """The three defects, a zeroed magic, a FIFO, a link to /dev/zero, a file name that is
    not UTF-8, and two good files."""
    root = tmp_path / "in"
    root.mkdir()
    for name in DEFECT_NAMES:
        shutil.copy(DEFECTS / name, root / name)
    shutil.copy(get_testdata_file("CT_small.dcm"), root / "ct.dcm")
    shutil.copy(get_testdata_file("CT_small.dcm"), os.path.join(os.fsencode(root), os.fsencode(SURROGATE)))
    _zeroed_magic(root / "zero-magic.dcm")
    os.mkfifo(root / "fifo")
    (root / "zero-link").symlink_to("/dev/zero")
    return root


def _errors_by_file(errors) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in errors.itertuples():
        out.setdefault(str(row.file), []).append(str(row.kind))
    return out


@pytest.mark.parametrize("name", DEFECT_NAMES)
def test_each_defect_alone_is_one_read_error(name: str) -> None:
    before = fingerprint(DEFECTS)
    found, errors = scan_file(DEFECTS / name)
    assert found == [] and len(errors) == 1 and errors[0].kind is ErrorKind.READ
    assert "\n" not in errors[0].message and "Traceback" not in errors[0].message
    assert fingerprint(DEFECTS) == before


@pytest.mark.parametrize("workers", [1, 2])
def test_mixed_folder_every_file_accounted_for(mixed: Path, workers: int) -> None:
    before = fingerprint(mixed)
    result = scan(mixed, workers=workers, progress=False)
    errors = _errors_by_file(result.errors)
    for name in DEFECT_NAMES:
        assert errors[name] == ["read"]
    assert errors["fifo"] == ["not a regular file"] and errors["zero-link"] == ["not a regular file"]
    assert errors["zero-magic.dcm"] == ["read"]  # reported damaged, and still scanned:
    scanned = set(result["file"].astype(str))
    assert {"ct.dcm", "zero-magic.dcm", r"bad\xff\xfename.dcm"} <= scanned
    assert "NAME" in set(result.loc[result["file"] == "zero-magic.dcm", "phi_type"])
    listed = set(os.listdir(os.fsencode(mixed)))
    assert len(listed) == len(scanned | set(errors))  # every file listed is in findings or errors
    assert fingerprint(mixed) == before


def test_zeroed_magic_is_an_error_and_its_phi_is_found(tmp_path: Path) -> None:
    found, errors = scan_file(_zeroed_magic(tmp_path / "z.dcm"))
    assert [e.kind for e in errors] == [ErrorKind.READ] and "magic" in errors[0].message
    assert {"PatientName", "PatientID"} <= {f.keyword for f in found}


def test_scan_dataset_never_raises_for_a_bad_element() -> None:
    ds = Dataset()
    ds.PatientName = "DOE^JOHN"
    ds[Tag(0x00100020)] = RawDataElement(Tag(0x00100020), "ZZ", 4, b"1234", 0, False, True)
    result = scan_dataset(ds, file="x")
    assert result.errors["file"].tolist() == ["x"] * len(result.errors)


def test_exit_codes(mixed: Path, tmp_path: Path, capsys) -> None:
    assert main(["scan", str(mixed), "--no-progress"]) == EXIT_PHI  # PHI found: 1, whatever else
    defects = tmp_path / "defects"
    shutil.copytree(DEFECTS, defects)
    assert main(["scan", str(defects), "--no-progress"]) == EXIT_INCOMPLETE  # README is not DICOM: no matter
    assert "INCOMPLETE" in capsys.readouterr().out
    clean = tmp_path / "clean"
    write_dicom(clean / "a.dcm", Modality="OT")
    assert main(["scan", str(clean), "--no-progress", "--fail-on", "1.0"]) == EXIT_CLEAN
    shutil.copy(DEFECTS / DEFECT_NAMES[0], clean / "bad.dcm")
    assert main(["scan", str(clean), "--no-progress", "--fail-on", "1.0"]) == EXIT_INCOMPLETE
    assert main(["redact", str(clean), str(tmp_path / "out"), "--no-ocr", "--no-progress"]) == EXIT_INCOMPLETE


def test_redact_mixed_folder(mixed: Path, tmp_path: Path) -> None:
    before = fingerprint(mixed)
    out = tmp_path / "out"
    result = redact(mixed, out, ocr=False, workers=1, progress=False)
    status = dict(zip(result.files["input"].astype(str), result.files["status"].astype(str), strict=True))
    for name in DEFECT_NAMES:
        assert status[name] == "error"
    assert status["ct.dcm"] == status["zero-magic.dcm"] == status[r"bad\xff\xfename.dcm"] == "written"
    errors = _errors_by_file(result.errors)
    assert all(errors[name] == ["read"] for name in DEFECT_NAMES)
    assert errors["fifo"] == errors["zero-link"] == ["not a regular file"]
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(["ct.dcm", "zero-magic.dcm", "bad__name.dcm"])  # no half-written temp file
    assert str(pydicom.dcmread(out / "zero-magic.dcm").PatientName) != "CompressedSamples^CT1"
    assert fingerprint(mixed) == before


def _die_on_three(item: int) -> int:
    """Work whose process dies on item 3, as a codec's abort would."""
    if item == 3:
        os._exit(70)
    return item


def _abort_on_two(chunk: list[int]) -> list[int]:
    if 2 in chunk:
        os.abort()
    return chunk


def test_a_dying_worker_costs_its_item_only() -> None:
    results = list(run_pool(_die_on_three, range(8), workers=2, total=8, progress=False, desc="t",
                            lost=lambda item, kind, message: (item, kind, message)))
    lost = [r for r in results if isinstance(r, tuple)]
    assert sorted(r for r in results if isinstance(r, int)) == [0, 1, 2, 4, 5, 6, 7]
    assert [(item, kind) for item, kind, _ in lost] == [(3, ErrorKind.WORKER_DIED)]
    assert "70" in lost[0][2] or "died" in lost[0][2]


def test_a_dying_chunk_is_retried_file_by_file_in_isolation() -> None:
    chunks = [[0, 1], [2, 3], [4]]
    results = list(run_pool(_abort_on_two, chunks, workers=1, total=5, progress=False, desc="t",
                            lost=lambda chunk, kind, message: ("lost", chunk, kind),
                            split=lambda chunk: [[i] for i in chunk], isolate=True))
    assert sorted(map(str, results)) == sorted(map(str, [[0, 1], [3], [4], ("lost", [2], ErrorKind.WORKER_DIED)]))


def test_an_element_with_an_unknown_vr_costs_that_element_only(tmp_path: Path) -> None:
    """pydicom raises while converting an element whose VR bytes are garbage: the rest of
    the header (the patient's name) is still scanned."""
    source = Path(get_testdata_file("CT_small.dcm")).read_bytes()
    at = source.index(b"\x08\x00\x70\x00LO")   # Manufacturer, explicit VR little endian
    broken = tmp_path / "bad-vr.dcm"
    broken.write_bytes(source[:at + 4] + b"XX" + source[at + 6:])
    result = scan(broken, workers=1, progress=False)
    assert list(result.errors.kind) == ["element"] and "(0008,0070)" in result.errors.error[0]
    assert "PatientName" in set(result.keyword)
