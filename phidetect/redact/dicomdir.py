"""DICOMDIR files in the input: rebuilt for the copies, or left out; never copied.

A DICOMDIR (Media Storage Directory, PS3.10) lists its patients by name and ID in its
directory records and points at files by their names. De-identified like an image (what
redact did before this module) it loses names and IDs, but its record offsets no longer
match the shortened records and a File ID part that is a patient ID is cut out, so
pydicom cannot read it back: a broken DICOMDIR. So a file named DICOMDIR never goes to a
worker; once every file is copied, a new one is made from the copies it references
(phidetect.redact.dicomdir_records), or, where that cannot be done safely, none, with
the reason in the files table, the errors and the run's notes. A Media Storage Directory
under another name is refused by the worker (phidetect.redact.file_job).
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pydicom
from pydicom.dataset import Dataset
from pydicom.filereader import read_file_meta_info
from pydicom.fileset import FileSet, is_conformant_file_id

from phidetect.boundary import describe
from phidetect.findings import ErrorKind, FileError, printable
from phidetect.redact.dicomdir_records import DirectoryEntry, DirectoryError, write_directory
from phidetect.redact.linkage import ROW_KEY
from phidetect.redact.uids import UidMapper
from phidetect.redact.writer import OutputExists

if TYPE_CHECKING:  # file_job refuses a Media Storage Directory with is_directory: no import back
    from phidetect.redact.file_job import Job

#: Media Storage Directory Storage: the SOP class of a DICOMDIR.
MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"
#: The one name PS3.10 gives a DICOMDIR.
DICOMDIR_NAME = "DICOMDIR"
#: Findings at or above this confidence in the original's Referenced File IDs mean the
#: folder or file names hold PHI (a folder named by the Patient ID).
PATH_PHI_CONFIDENCE = 0.5
#: The four-level hierarchy a DICOMDIR is rebuilt with (the leaf's ancestors, nearest first).
FOUR_LEVELS = ["SERIES", "STUDY", "PATIENT"]
#: The shortest original Patient ID that is looked for in the copies' names.
MIN_ID_LENGTH = 3
#: The error column of a worker's refusal (a Media Storage Directory under another name).
NOT_NAMED = ("a DICOMDIR (Media Storage Directory) not named DICOMDIR: its directory records name patients, "
             "so it is not copied (only a file named DICOMDIR is rebuilt from the copies)")


class LeftOut(Exception):
    """The DICOMDIR is not rebuilt; the message says why (it never holds PHI)."""


def is_directory(ds: Dataset) -> bool:
    """True for a Media Storage Directory (a DICOMDIR), whatever its name."""
    meta = getattr(ds, "file_meta", None)
    return str(getattr(meta, "MediaStorageSOPClassUID", "") or ds.get("SOPClassUID", "")) == MEDIA_STORAGE_DIRECTORY


def _is_directory_file(path: Path) -> bool:
    if path.name.upper() != DICOMDIR_NAME:
        return False
    try:
        return str(read_file_meta_info(path).get("MediaStorageSOPClassUID", "")) == MEDIA_STORAGE_DIRECTORY
    except Exception:  # noqa: BLE001 - not readable here: the worker reads it and says why
        return False


def split_directories(jobs: list[Job]) -> tuple[list[Job], list[Job]]:
    """(the jobs for workers, the DICOMDIRs to rebuild after them)."""
    directories = [job for job in jobs if _is_directory_file(job.path)]
    return [job for job in jobs if job not in directories], directories


def _row(job: Job, status: str, error: str = "", output: str = "", link: dict | None = None,
         started: float = 0.0) -> dict:
    """A files-table row (phidetect.redact.result.FILE_COLUMNS) for a DICOMDIR."""
    return {"input": job.display, "output": printable(output), "status": status, "error": printable(error),
            "n_header_actions": 0, "n_boxes": 0, "decompressed": False, "pixels_cleaned": False,
            "seconds": time.perf_counter() - started if started else 0.0, "input_syntax": "", "output_syntax": "",
            "bytes_in": _size(job.path), "bytes_out": _size(Path(output)) if output else 0, "syntax_note": "",
            ROW_KEY: link or {}}


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def rebuild_directories(directories: list[Job], jobs: list[Job], rows: list[dict], *, secret: bytes,
                        overwrite: bool = False, rename: bool = False) -> tuple[list[dict], list[FileError], list[str]]:
    """(files-table rows, errors, notes) of the DICOMDIRs, each rebuilt from the copies
    of the files it references (``jobs`` and their ``rows``) or left out."""
    if not directories:
        return [], [], []
    by_path = {job.path.resolve(): job for job in jobs}
    by_input = {row["input"]: row for row in rows}
    out_rows, errors, notes = [], [], []
    for job in directories:
        row = _rebuild(job, by_path, by_input, secret=secret, overwrite=overwrite, rename=rename)
        out_rows.append(row)
        if row["status"] == "written":
            notes.append(f"DICOMDIR {job.display}: rebuilt from the de-identified copies it references")
            continue
        kind = ErrorKind.OUTPUT if row["status"] == "exists" else ErrorKind.REDACT
        errors.append(FileError(job.display, kind, row["error"]))
        notes.append(f"DICOMDIR {job.display}: {row['error']}")
    return out_rows, errors, notes


def _rebuild(job: Job, by_path: dict[Path, Job], by_input: dict[str, dict], *, secret: bytes, overwrite: bool,
             rename: bool) -> dict:
    started = time.perf_counter()
    uids = UidMapper(secret)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            original = FileSet(job.path)  # only read: FileSet writes nothing until asked to
        file_set_uid = str(original.UID)
    except Exception as exc:  # noqa: BLE001 - pydicom raises anything for a bad DICOMDIR
        return _row(job, "error", f"cannot read the DICOMDIR: {describe(exc)}", started=started)
    link = {"original_sop_instance_uid": file_set_uid, "new_sop_instance_uid": uids.map(file_set_uid)}
    try:
        entries = _entries(job, original, by_path, by_input, rename=rename)
        write_directory(entries, job.output, file_set_uid=uids.map(file_set_uid), overwrite=overwrite)
    except (LeftOut, DirectoryError) as exc:
        return _row(job, "skipped", f"left out: {exc}", link=link, started=started)
    except OutputExists as exc:
        return _row(job, "exists", str(exc), link=link, started=started)
    except Exception as exc:  # noqa: BLE001 - one DICOMDIR, not the batch
        return _row(job, "error", f"cannot rebuild the DICOMDIR: {describe(exc)}", link=link, started=started)
    return _row(job, "written", output=str(job.output), link=link, started=started)


def _entries(job: Job, original: FileSet, by_path: dict[Path, Job], by_input: dict[str, dict], *,
             rename: bool) -> list[DirectoryEntry]:
    """What the new DICOMDIR references: the copy of every file the original does.
    LeftOut when that cannot be done without PHI or without breaking the DICOMDIR."""
    if rename:
        raise LeftOut("the copies are named by keyed hashes (--rename), which are no DICOM File IDs "
                      "(8 characters A-Z, 0-9, _ per part)")
    entries, not_copied, patient_ids = [], [], set()
    for instance in original:
        types = [node.record_type for node in instance.node.ancestors]
        if types != FOUR_LEVELS:
            raise LeftOut(f"it holds records other than PATIENT/STUDY/SERIES/{instance.node.record_type} "
                          f"({'/'.join(reversed(types)) or 'none'} above one), which are not rebuilt")
        copy_job = by_path.get(Path(instance.path).resolve())
        row = by_input.get(copy_job.display) if copy_job is not None else None
        if copy_job is None or row is None or row["status"] != "written":
            not_copied.append(row["status"] if row is not None else "not among the inputs")
            continue
        patient_ids.add((row.get(ROW_KEY) or {}).get("original_patient_id", ""))
        try:
            file_id = copy_job.output.relative_to(job.output.parent)
        except ValueError:
            raise LeftOut(f"{copy_job.display}: its copy lies outside the DICOMDIR's folder") from None
        entries.append(DirectoryEntry(copy_job.output, file_id.parts, instance.node.record_type))
    if not_copied:
        reasons = ", ".join(sorted(set(not_copied)))
        raise LeftOut(f"{len(not_copied)} of the {len(not_copied) + len(entries)} files it references were not "
                      f"copied ({reasons})")
    _check_names(job.path, entries, patient_ids)
    return entries


def _check_names(path: Path, entries: list[DirectoryEntry], patient_ids: set[str]) -> None:
    """LeftOut when the copies' File IDs would carry PHI (detection finds some in the
    original's File IDs, or they hold a referenced file's Patient ID) or are no File IDs."""
    from phidetect.scan import scan_dataset  # the detector: only when a DICOMDIR is rebuilt

    findings = scan_dataset(pydicom.dcmread(path))
    in_names = findings[(findings["keyword"] == "ReferencedFileID") & (findings["confidence"] >= PATH_PHI_CONFIDENCE)]
    ids = {pid.upper() for pid in patient_ids if len(pid) >= MIN_ID_LENGTH}
    holding = [e for e in entries if any(pid in part.upper() for part in e.file_id for pid in ids)]
    if len(in_names) or holding:
        kinds = ", ".join(sorted(set(in_names["phi_type"].astype(str)) | ({"ID"} if holding else set())))
        raise LeftOut(f"its File IDs hold PHI ({kinds}): the copies' folder or file names hold it too; rename "
                      "them before redacting (--rename leaves the DICOMDIR out as well)")
    for entry in entries:
        if not is_conformant_file_id(Path(*entry.file_id)):
            raise LeftOut(f"{Path(*entry.file_id).as_posix()}: not a DICOM File ID (up to 8 parts of up to 8 "
                          "characters A-Z, 0-9, _), as the copy's name would have to be")
