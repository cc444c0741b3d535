"""The findings table: one schema shared by scanning, evaluation, redaction and reports.

The columns and their meaning are fixed by ``docs/findings-schema.md``; other tools
read them, so names and types here must never drift from that document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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

ERROR_COLUMNS: dict[str, str] = {"file": "string", "error": "string"}


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


@dataclass
class FileError:
    """A file that could not be scanned, and why (shown to the user verbatim)."""

    file: str
    error: str
    extra: dict = field(default_factory=dict)


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


def errors_frame(errors: list[FileError]) -> pd.DataFrame:
    """File problems as a (file, error) table, sorted by file."""
    frame = pd.DataFrame([{"file": e.file, "error": e.error} for e in errors],
                         columns=list(ERROR_COLUMNS))
    return typed_frame(frame, ERROR_COLUMNS).sort_values("file", kind="stable").reset_index(drop=True)
