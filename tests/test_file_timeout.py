"""A file that runs past the per-file time limit becomes a 'timeout' error row, its
worker is stopped and replaced, and the sweep goes on (no assertion on speed: the limit
is generous against the work, and the hang is endless)."""

from __future__ import annotations

import time
from pathlib import Path

import pydicom
from pydicom.data import get_testdata_file

import phidetect
from phidetect.findings import ErrorKind
from phidetect.limits import FILE_TIMEOUT_HEADERS, FILE_TIMEOUT_OCR, file_timeout
from phidetect.pool import run_pool
from phidetect.text.recognizer import Recognizer

HANG = "HANGS^FOREVER"


def _hang_on_three(item: int) -> int:
    if item == 3:
        time.sleep(3600)
    return item


def _hang_in_chunk(chunk: list[int]) -> list[int]:
    if 2 in chunk:
        time.sleep(3600)
    return chunk


def test_an_item_past_the_limit_is_lost_as_timeout_and_the_rest_complete() -> None:
    results = list(run_pool(_hang_on_three, range(6), workers=2, total=6, progress=False, desc="t",
                            lost=lambda item, kind, message: (item, kind, message), limit=3, grace=60))
    lost = [r for r in results if isinstance(r, tuple)]
    assert sorted(r for r in results if isinstance(r, int)) == [0, 1, 2, 4, 5]
    assert [(item, kind) for item, kind, _ in lost] == [(3, ErrorKind.TIMEOUT)]
    assert "time limit of 3 s" in lost[0][2]


def test_a_chunk_past_its_limit_is_split_and_only_the_culprit_times_out() -> None:
    results = list(run_pool(_hang_in_chunk, [[0, 1], [2, 3], [4]], workers=1, total=5, progress=False, desc="t",
                            lost=lambda chunk, kind, message: ("lost", chunk, kind),
                            split=lambda chunk: [[i] for i in chunk], isolate=True, limit=2, weight=len,
                            grace=10))
    assert sorted(map(str, results)) == sorted(map(str, [[0, 1], [3], [4], ("lost", [2], ErrorKind.TIMEOUT)]))


class Hangs(Recognizer):
    """A rule that never ends on one value: a stand-in for a file that hangs a sweep."""

    rule = "test.hangs"
    phi_type = "NAME"

    def find(self, text: str, identity=None):
        if HANG in text:
            time.sleep(3600)
        return iter(())


def test_a_hanging_file_is_a_timeout_row_in_a_scan(tmp_path: Path) -> None:
    source = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    for index in range(16):
        # a free-text value: one the profile flags whole (PatientName) is not read by text rules
        source.StudyDescription = HANG if index == 5 else f"CT HEAD {index}"
        source.save_as(tmp_path / f"f{index:02d}.dcm")
    registry = phidetect.default_registry().add(Hangs())
    result = phidetect.scan(tmp_path, workers=2, progress=False, registry=registry, file_timeout=10)
    assert list(result.errors.itertuples(index=False, name=None)) == [
        ("f05.dcm", "timeout", "ran past the per-file time limit of 10 s; its worker was stopped")]
    assert set(result["file"]) == {f"f{i:02d}.dcm" for i in range(16)} - {"f05.dcm"}


def test_default_limits() -> None:
    assert file_timeout(None, ocr=False) == FILE_TIMEOUT_HEADERS
    assert file_timeout(None, ocr=True) == FILE_TIMEOUT_OCR
    assert file_timeout(0, ocr=True) is None and file_timeout(5, ocr=False) == 5


def test_a_hanging_file_is_a_timeout_row_on_a_dask_cluster(tmp_path: Path) -> None:
    """The same on ``--dask local:2``: the task is stopped (its worker restarted), its chunk
    run again file by file, and only the culprit is lost."""
    source = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    for index in range(6):
        source.StudyDescription = HANG if index == 4 else f"CT HEAD {index}"
        source.save_as(tmp_path / f"f{index:02d}.dcm")
    registry = phidetect.default_registry().add(Hangs())
    result = phidetect.scan_dask(tmp_path, address="local:2", registry=registry, file_timeout=2)
    assert list(result.errors.itertuples(index=False, name=None)) == [
        ("f04.dcm", "timeout", "ran past the per-file time limit of 2 s; its worker was stopped")]
    assert set(result["file"]) == {f"f{i:02d}.dcm" for i in range(6)} - {"f04.dcm"}
