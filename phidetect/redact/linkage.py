"""The linkage map: which copy each original became, for a curator who must answer
queries about a release and audit it without keeping the secret next to the data.

One row per input file: its path and its copy's (relative to IN and OUT), the status,
and the original and new SOP Instance, Study Instance and Series Instance UIDs, Patient
ID and the date shift applied. The values are the ones the redaction itself used,
read from the data set before and after its header actions in the worker that wrote the
copy (phidetect.redact.file_job), never computed a second time. Files that were not
copied get a row with their status and error. The map re-identifies the release, so it
is written atomically with owner-only permissions and refused inside the output folder
unless asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from phidetect.findings import FileError, printable, typed_frame
from phidetect.output import FORMATS, write_table
from phidetect.redact.writer import inside

#: The identity values a map row holds, by column stem -> DICOM keyword.
IDENTITY_KEYWORDS = {
    "sop_instance_uid": "SOPInstanceUID",
    "study_instance_uid": "StudyInstanceUID",
    "series_instance_uid": "SeriesInstanceUID",
    "patient_id": "PatientID",
}
#: The key under which a files-table row carries its linkage values from the worker
#: (phidetect.redact.result.files_frame keeps only its own columns, so it never shows).
ROW_KEY = "link"
#: Columns of ``RedactionResult.linkage`` and of ``phidetect redact --map-out``. The first
#: two are what ``phidetect audit --map`` reads (original -> new SOPInstanceUID).
LINK_COLUMNS: dict[str, str] = {
    "original_sop_instance_uid": "string",
    "new_sop_instance_uid": "string",
    "original_path": "string",       # the input, relative to IN (as in the files table)
    "copy_path": "string",           # the copy, relative to OUT ("" when none was written)
    "status": "string",              # written, skipped, exists, error (as in the files table)
    "error": "string",               # why, in words ("" when written)
    "original_study_instance_uid": "string",
    "new_study_instance_uid": "string",
    "original_series_instance_uid": "string",
    "new_series_instance_uid": "string",
    "original_patient_id": "string",
    "new_patient_id": "string",
    "date_shift_days": "Int64",      # days added to the patient's dates (negative); empty when not shifted
}


def identity(ds: Dataset) -> dict[str, str]:
    """The identity values of ``ds`` now (called before and after the header actions)."""
    return {name: _text(ds, keyword) for name, keyword in IDENTITY_KEYWORDS.items()}


def _text(ds: Dataset, keyword: str) -> str:
    try:
        value = ds.get(keyword)
    except Exception:  # noqa: BLE001 - a value pydicom cannot convert: the copy does not hold it either
        return ""
    if value is None:
        return ""
    text = "\\".join(str(v) for v in value) if isinstance(value, (MultiValue, list, tuple)) else str(value)
    return printable(text.strip("\0 "))


def link_values(before: dict[str, str], after: dict[str, str], shift: int | None) -> dict:
    """The map's identity columns of one written copy."""
    values: dict = {}
    for name in IDENTITY_KEYWORDS:
        values[f"original_{name}"] = before.get(name, "")
        values[f"new_{name}"] = after.get(name, "")
    values["date_shift_days"] = shift
    return values


def _relative(path: str, root: Path) -> str:
    if not path:
        return ""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def linkage_frame(rows: Iterable[dict], unplanned: Iterable[FileError], out: Path) -> pd.DataFrame:
    """The map: one row per files-table row (its worker's linkage values where a copy
    was written), plus one per input that never became a job (``unplanned``: files that
    could not be listed, planned or opened), sorted by original path."""
    empty = {name: "" if dtype == "string" else None for name, dtype in LINK_COLUMNS.items()}
    records = []
    for row in rows:
        records.append({**empty, "original_path": row["input"], "copy_path": _relative(row["output"], out),
                        "status": row["status"], "error": row["error"], **(row.get(ROW_KEY) or {})})
    for problem in unplanned:
        records.append({**empty, "original_path": problem.file, "status": "error",
                        "error": f"{problem.kind.value}: {problem.message}"})
    frame = typed_frame(pd.DataFrame(records, columns=list(LINK_COLUMNS)), LINK_COLUMNS)
    return frame.sort_values("original_path", kind="stable").reset_index(drop=True)


def check_map_path(map_out: str | os.PathLike, source: Path, out: Path, *, inside_output: bool = False,
                   overwrite: bool = False) -> Path:
    """``map_out`` as a Path, or ValueError saying why it may not be written there: a
    format we do not write, inside OUT (the map re-identifies the copies: it must not
    travel with them unless ``inside_output``), inside IN (inputs are only read), or an
    existing map (it may be the only link to an earlier release) without ``overwrite``."""
    path = Path(map_out)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"{path}: the linkage map must end in .csv or .parquet")
    if path.exists() and path.is_dir():
        raise ValueError(f"{path}: the linkage map must be a file, not a folder")
    if (inside(out, path) or path.resolve() == out.resolve()) and not inside_output:
        raise ValueError(f"{path}: the linkage map re-identifies the copies and must not lie inside the output "
                         f"folder {out} (pass --map-inside-output / map_inside_output=True to put it there anyway)")
    if inside(source, path) or path.resolve() == source.resolve():
        raise ValueError(f"{path}: the linkage map must not be written inside the input {source}")
    if path.exists() and not overwrite:
        raise ValueError(f"{path}: exists (pass overwrite to replace the linkage map)")
    return path


def read_map(path: str | os.PathLike) -> pd.DataFrame:
    """A map written by :func:`write_map`, every text column as text (a Patient ID
    ``00315811`` must not come back as the number 315811)."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        return typed_frame(pd.read_parquet(path), LINK_COLUMNS)
    text = {name: str for name, dtype in LINK_COLUMNS.items() if dtype == "string"}
    return typed_frame(pd.read_csv(path, dtype=text, keep_default_na=False, na_values={"date_shift_days": [""]}),
                       LINK_COLUMNS)


def write_map(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write the map atomically (a temporary name beside it, then a rename: never half a
    map), readable by its owner only (the temporary file's 0600 mode is kept)."""
    try:
        return write_table(frame, path)
    except OSError as exc:
        raise OSError(f"{path}: cannot write the linkage map: {exc.strerror or exc}") from exc
