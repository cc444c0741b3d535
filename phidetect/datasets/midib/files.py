"""The DICOM files under a folder, by their UIDs: how answer rows find their files.

Files are named as ``phidetect scan ROOT`` names them (POSIX path relative to ROOT), so
truth built here lines up with findings of a scan of the same folder.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from pydicom.dataset import Dataset

from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.files import collect_targets

#: Files a download holds beside its DICOM files (licences, manifests, keys): skipped quietly.
_NOT_DICOM = (".csv", ".txt", ".md", ".json", ".db", ".tcia", ".xlsx", ".zip", ".pdf")


@dataclass(frozen=True)
class DicomFile:
    """One readable DICOM file: its name in tables, where it is, its header."""

    name: str
    path: Path
    ds: Dataset

    def uid(self, keyword: str) -> str:
        return str(self.ds.get(keyword, "") or "").strip()


def index_dicoms(root: str | os.PathLike) -> list[DicomFile]:
    """Every readable DICOM file under ``root`` (headers only). Files that are not DICOM
    (licences, metadata.csv) are skipped; a warning says how many."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: folder not found")
    targets, problems = collect_targets([root])
    found: list[DicomFile] = []
    skipped = [path for path, _ in problems]
    for target in targets:
        try:
            ds = read_dicom(target.path, headers_only=True)
        except DicomReadError:
            skipped.append(target.display)
            continue
        found.append(DicomFile(target.display, target.path, ds))
    not_dicom = [s for s in skipped if not s.lower().endswith(_NOT_DICOM)
                 and not Path(s).name.upper().startswith(("LICENSE", "README"))]
    if not_dicom:
        warnings.warn(f"{root}: {len(not_dicom)} file(s) are not readable DICOM and were skipped, "
                      f"e.g. {not_dicom[0]}", stacklevel=2)
    return found


def by_uid(files: list[DicomFile], keyword: str) -> dict[str, list[DicomFile]]:
    """Files grouped by one UID (``SOPInstanceUID``, ``SeriesInstanceUID``...)."""
    groups: dict[str, list[DicomFile]] = {}
    for f in files:
        groups.setdefault(f.uid(keyword), []).append(f)
    return groups
