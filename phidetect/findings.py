"""The findings table: one schema shared by scanning, evaluation, redaction and reports.

The columns and their meaning are fixed by ``docs/findings-schema.md``; other tools
read them, so names and types here must never drift from that document.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

import pandas as pd

PHI_TYPES: tuple[str, ...] = (
    "NAME", "DATE", "AGE", "ID", "ADDRESS", "PHONE", "EMAIL",
    "INSTITUTION", "UID", "DEVICE", "OTHER",
)

#: Column name -> pandas dtype, in schema order. ``private_creator`` and ``plane`` are extra
#: columns (the private creator of a private element; for pixel findings the plane the text
#: was read from: "image", "overlay:6000" or "icon").
COLUMNS: dict[str, str] = {
    "file": "string",
    "sop_instance_uid": "string",
    "source": "string",
    "tag_path": "string",
    "keyword": "string",
    "vr": "string",
    "phi_type": "string",
    "text": "string",
    "start": "int64",
    "end": "int64",
    "confidence": "float64",
    "rule": "string",
    "frame": "int64",
    "x": "int64",
    "y": "int64",
    "width": "int64",
    "height": "int64",
    "private_creator": "string",
    "plane": "string",
}

#: The errors table: which file, what kind of problem (:class:`ErrorKind`'s value) and the
#: message a person reads.
ERROR_COLUMNS: dict[str, str] = {"file": "string", "kind": "string", "error": "string"}


class Finding(NamedTuple):
    """One piece of PHI at one location (an element span or a pixel box). A NamedTuple:
    a sweep makes millions, and tuples are the cheapest to build and to pickle."""

    file: str
    sop_instance_uid: str
    source: str
    phi_type: str
    text: str
    confidence: float
    rule: str
    tag_path: str = ""
    keyword: str = ""
    vr: str = ""
    start: int = -1
    end: int = -1
    frame: int = -1
    x: int = -1
    y: int = -1
    width: int = -1
    height: int = -1
    private_creator: str = ""
    plane: str = ""

    def as_row(self) -> dict:
        return self._asdict()


class ErrorKind(Enum):
    """What went wrong with a file; the errors table's ``kind`` column (see docs/errors.md).
    Code decides on the kind, never on the message."""

    LISTING = "listing"            # a path named for the scan that could not be listed
    NOT_DICOM = "not DICOM"        # no DICOM structure at all (empty, no data elements)
    READ = "read"                  # DICOM that pydicom could not parse (truncated, corrupt)
    ELEMENT = "element"            # one element could not be decoded; the rest was scanned
    LIMIT = "resource limit"       # an element scanned only in part (too long) or a sequence too deep to walk
    SCAN = "scan"                  # the data set was read but could not be walked
    PIXEL_DECODE = "pixel decode"  # pixel data that could not be decoded: burned-in text unchecked
    OCR = "ocr"                    # the OCR engine failed on the file's frames
    REDACT = "redact"              # a de-identified copy could not be made
    OUTPUT = "output"              # a copy that could not be planned or written
    NOT_REGULAR = "not a regular file"  # a FIFO, device or socket (or a link to one): never opened
    TIMEOUT = "timeout"            # the file ran past the per-file time limit; its worker was stopped
    WORKER_DIED = "worker died"    # the process working on the file died (a codec abort, the OOM killer)
    CRASH = "crash"                # an unexpected fault at the file boundary: the file is not checked


@dataclass(frozen=True)
class FileError:
    """A problem with one file: its kind, the message shown to the user verbatim, and the
    element it concerns (``tag_path``, for ``ELEMENT``)."""

    file: str
    kind: ErrorKind
    message: str
    tag_path: str = ""


def typed_frame(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """``frame`` with exactly ``columns`` (missing ones added empty), in order, with their dtypes."""
    for name, dtype in columns.items():
        if name not in frame.columns:
            frame[name] = pd.Series(dtype=dtype)
    return frame.astype(columns)[list(columns)]


def findings_frame(rows: list[dict] | list[Finding]) -> pd.DataFrame:
    """Rows (dicts or Finding) -> a DataFrame with exactly the schema's columns and dtypes,
    sorted by file, then tag_path, then position, so output is stable across runs."""
    if rows and all(isinstance(r, Finding) for r in rows):
        frame = pd.DataFrame.from_records(rows, columns=list(Finding._fields))
    else:
        frame = pd.DataFrame([r.as_row() if isinstance(r, Finding) else r for r in rows], columns=list(COLUMNS))
    frame = typed_frame(frame, COLUMNS)
    frame = frame.sort_values(
        ["file", "source", "tag_path", "start", "frame", "y", "x"], kind="stable"
    )
    return frame.reset_index(drop=True)


def printable(text: str) -> str:
    """``text`` with the undecodable bytes of a file name (os.fsdecode's surrogate escapes)
    written ``\\xNN``, other lone surrogates ``\\uNNNN``: tables (Arrow strings), CSV
    files and terminals cannot hold surrogates."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff"
                   else f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in text)


def errors_frame(errors: list[FileError]) -> pd.DataFrame:
    """File problems as a (file, kind, error) table, sorted by file."""
    frame = pd.DataFrame([{"file": printable(e.file), "kind": e.kind.value, "error": printable(e.message)}
                          for e in errors],
                         columns=list(ERROR_COLUMNS))
    return typed_frame(frame, ERROR_COLUMNS).sort_values("file", kind="stable").reset_index(drop=True)
