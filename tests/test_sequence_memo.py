"""A sequence still in its encoded bytes is walked once per distinct value and replayed for
the next file that holds the same bytes (the slices of a series): the replay must give
exactly what a fresh walk gives, at any depth, and a changed byte must be read afresh."""

from __future__ import annotations

import warnings
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from phidetect.datasets.packaged import packaged_files
from phidetect.dicom import elements
from phidetect.dicom.elements import SEQUENCES, SequenceMemo, iter_elements
from phidetect.dicom.reader import DicomReadError, read_dicom

FILES = [p for package in ("pydicom", "deid_data") for p in packaged_files(package)]


def _walk(path: Path) -> tuple[list, list]:
    errors: list = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = list(iter_elements(read_dicom(path), errors=errors))
    return found, errors


def _fresh(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    with monkeypatch.context() as patch:
        patch.setattr(elements, "SEQUENCES", SequenceMemo())
        return _walk(path)


def test_replayed_sequences_equal_a_fresh_walk_of_every_packaged_file(monkeypatch: pytest.MonkeyPatch) -> None:
    walked = 0
    for path in FILES:
        try:
            first = _fresh(path, monkeypatch)
        except DicomReadError:
            continue
        _walk(path)  # fills the process's memo
        assert _walk(path) == first, path.name
        walked += 1
    assert walked > 50


def _nested(name: str) -> Dataset:
    """A file whose sequences are written with explicit lengths (so they stay encoded
    bytes until walked), one nested in the other, with a person's name at the bottom."""
    inner = Dataset()
    inner.PersonName = name
    middle = Dataset()
    middle.CodeMeaning = "Chest CT"
    middle.ReferencedStudySequence = Sequence([inner])
    outer = Dataset()
    outer.PatientID = "A1"
    outer.RequestAttributesSequence = Sequence([middle])
    outer.ensure_file_meta()
    outer.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
    outer.SOPClassUID = pydicom.uid.SecondaryCaptureImageStorage
    outer.SOPInstanceUID = pydicom.uid.generate_uid()
    outer.file_meta.MediaStorageSOPInstanceUID = outer.SOPInstanceUID
    for sequence in (outer["RequestAttributesSequence"], middle["ReferencedStudySequence"]):
        sequence.is_undefined_length = False
        for item in sequence.value:
            item.is_undefined_length_sequence_item = False
    return outer


def test_a_nested_sequence_replays_with_its_own_path_and_a_changed_name_is_read_again(tmp_path: Path) -> None:
    paths = []
    for index, name in enumerate(["Rossi^Giulia", "Rossi^Giulia", "Rossi^Giulio"]):
        paths.append(tmp_path / f"{index}.dcm")
        _nested(name).save_as(paths[-1], enforce_file_format=True)
    found = [[(e.tag_path, e.text) for e in _walk(path)[0] if e.vr == "PN"] for path in paths]
    path = "(0040,0275)[0].(0008,1110)[0].(0040,A123)"
    assert found[0] == found[1] == [(path, "Rossi^Giulia")]
    assert found[2] == [(path, "Rossi^Giulio")]


def test_the_memo_stays_within_its_bounds() -> None:
    memo = SequenceMemo()
    for index in range(SequenceMemo.MAX_ENTRIES + 10):
        memo.keep(("key", index), 10, ())
    assert len(memo._found) <= SequenceMemo.MAX_ENTRIES
    memo.keep(("big",), SequenceMemo.MAX_BYTES + 1, ())
    assert memo.get(("big",)) is None
    assert SEQUENCES is elements.SEQUENCES
