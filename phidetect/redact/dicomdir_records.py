"""A DICOMDIR written for the de-identified copies, where they already lie.

The directory records are built from the copies' own headers (never from the original
DICOMDIR, whose PATIENT records hold names and IDs), and pydicom.fileset.FileSet
encodes them: records, offsets, File-set UID. FileSet always lays out the files it
writes in its own tree (PT000000/ST000000/...), while the copies keep the input's
names, so the DICOMDIR is made in two steps in a temporary folder: FileSet writes it
for header-only stand-ins of the copies; the stand-ins are moved to the copies' relative
paths, the records' Referenced File IDs set to those paths, and FileSet, loading that
DICOMDIR, writes it again keeping the existing structure (``use_existing``), which
recomputes every offset and checks that each record points at a file. The result is
then put beside the copies atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.fileset import DIRECTORY_RECORDERS, FileSet, RecordNode

from phidetect.redact.header_actions import DUMMIES
from phidetect.redact.writer import OutputExists, place_atomically

#: What a Type 1 record attribute gets when the copy's value is empty (de-identification
#: empties Patient ID and Study ID): the dummies of PS3.15's D action, which phidetect's
#: scan and verify read as placeholders.
PLACEHOLDERS = {"PatientID": DUMMIES["LO"], "StudyDate": DUMMIES["DA"], "StudyTime": DUMMIES["TM"],
                "StudyID": DUMMIES["SH"], "SeriesNumber": DUMMIES["IS"], "InstanceNumber": DUMMIES["IS"]}
#: Type 2 record attributes: present, empty when the copy has no value.
STUDY_TYPE2 = ("StudyDescription", "AccessionNumber")


class DirectoryError(ValueError):
    """The DICOMDIR cannot be rebuilt; the message names the copy and why."""


@dataclass(frozen=True)
class DirectoryEntry:
    """One copy the DICOMDIR will reference: where it is, its File ID (relative to the
    DICOMDIR's folder) and the record type the original DICOMDIR gave it (IMAGE, ...)."""

    copy: Path
    file_id: tuple[str, ...]
    record_type: str


def _value(ds: Dataset, keyword: str) -> object:
    """The copy's value, or the placeholder where it is empty (a Type 1 attribute)."""
    value = ds.get(keyword)
    if value in (None, "") or (hasattr(value, "__len__") and not isinstance(value, str) and len(value) == 0):
        return PLACEHOLDERS[keyword]
    return value


def _records(ds: Dataset, record_type: str) -> list[Dataset]:
    """PATIENT, STUDY, SERIES and leaf records for one copy, from its own header."""
    patient = Dataset()
    patient.DirectoryRecordType = "PATIENT"
    patient.PatientName = ds.get("PatientName", "")
    patient.PatientID = _value(ds, "PatientID")
    study = Dataset()
    study.DirectoryRecordType = "STUDY"
    for keyword in ("StudyDate", "StudyTime", "StudyID"):
        setattr(study, keyword, _value(ds, keyword))
    for keyword in STUDY_TYPE2:
        setattr(study, keyword, ds.get(keyword, ""))
    study.StudyInstanceUID = ds.StudyInstanceUID
    series = Dataset()
    series.DirectoryRecordType = "SERIES"
    series.Modality = ds.Modality
    series.SeriesInstanceUID = ds.SeriesInstanceUID
    series.SeriesNumber = _value(ds, "SeriesNumber")
    if record_type == "IMAGE":
        leaf = Dataset()
        leaf.InstanceNumber = _value(ds, "InstanceNumber")
    else:  # the standard's other leaves (RT DOSE, SR DOCUMENT, ...): pydicom's own definitions
        leaf = DIRECTORY_RECORDERS[record_type](ds)
    leaf.DirectoryRecordType = record_type
    leaf.ReferencedSOPClassUIDInFile = ds.SOPClassUID
    leaf.ReferencedSOPInstanceUIDInFile = ds.SOPInstanceUID
    leaf.ReferencedTransferSyntaxUIDInFile = ds.file_meta.TransferSyntaxUID
    records = [patient, study, series, leaf]
    if "SpecificCharacterSet" in ds:
        for record in records:
            record.SpecificCharacterSet = ds.SpecificCharacterSet
    return records


def _leaf(ds: Dataset, entry: DirectoryEntry) -> RecordNode:
    try:
        records = _records(ds, entry.record_type)
    except (AttributeError, KeyError, ValueError) as exc:  # a Type 1 value the copy lacks
        raise DirectoryError(f"{entry.copy}: no {entry.record_type} directory record can be made from the copy: "
                             f"{exc}") from exc
    nodes = [RecordNode(record) for record in records]
    for parent, child in zip(nodes, nodes[1:], strict=False):
        child.parent = parent
    return nodes[-1]


def _draft(entries: list[DirectoryEntry], file_set_uid: str, folder: Path) -> dict[str, tuple[str, ...]]:
    """FileSet's own DICOMDIR in ``folder``, for header-only stand-ins of the copies;
    returns each SOP Instance UID's File ID among the copies."""
    file_set = FileSet()
    file_set.UID = file_set_uid
    file_ids: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        ds = pydicom.dcmread(entry.copy, stop_before_pixels=True)
        uid = str(ds.SOPInstanceUID)
        if uid in file_ids:
            raise DirectoryError(f"{entry.copy}: holds the SOP Instance UID of another copy the DICOMDIR references")
        file_set.add_custom(ds, _leaf(ds, entry))
        file_ids[uid] = entry.file_id
    file_set.write(folder)
    return file_ids


def _relocate(draft: Path, final: Path, file_ids: dict[str, tuple[str, ...]]) -> None:
    """Move the stand-ins to the copies' File IDs and write the DICOMDIR again there."""
    for instance in FileSet(draft / "DICOMDIR"):
        target = final.joinpath(*file_ids[str(instance.SOPInstanceUID)])
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(instance.path, target)
    os.replace(draft / "DICOMDIR", final / "DICOMDIR")
    ds = pydicom.dcmread(final / "DICOMDIR")
    for record in ds.DirectoryRecordSequence:
        if "ReferencedFileID" in record:
            record.ReferencedFileID = list(file_ids[str(record.ReferencedSOPInstanceUIDInFile)])
    file_set = FileSet(ds)
    if file_set.is_staged:  # File IDs other than FileSet's own layout: the DICOMDIR changes
        file_set.write(use_existing=True)  # offsets recomputed; reloaded: every record's file must exist
    FileSet(final / "DICOMDIR")  # read back as a check (raises on a broken one)


def write_directory(entries: list[DirectoryEntry], target: Path, *, file_set_uid: str,
                    overwrite: bool = False) -> int:
    """Write the DICOMDIR of ``entries`` at ``target`` (atomically; OutputExists when it
    is there and ``overwrite`` is not set); returns how many copies it references.
    Raises DirectoryError when a copy gives no record."""
    if not overwrite and target.exists():
        raise OutputExists(f"{target}: exists (pass overwrite to replace it)")
    with tempfile.TemporaryDirectory(prefix="phidetect-dicomdir-") as work, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom warns about layouts that are not its own
        draft, final = Path(work) / "draft", Path(work) / "final"
        draft.mkdir()
        final.mkdir()
        file_ids = _draft(entries, file_set_uid, draft)
        _relocate(draft, final, file_ids)
        _place(final / "DICOMDIR", target, overwrite=overwrite)
    return len(file_ids)


def _place(source: Path, target: Path, *, overwrite: bool) -> None:
    """``source`` copied into place atomically: never half a DICOMDIR, never one replaced unasked."""
    place_atomically(target, lambda temp: shutil.copyfile(source, temp), overwrite=overwrite)
