"""Reading a DICOM file safely: with or without preamble, headers only, clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pydicom
from pydicom.dataset import FileDataset
from pydicom.errors import InvalidDicomError

#: Groups a DICOM data set without a preamble starts with (file meta, directory, identity).
_FIRST_GROUPS = {0x0002, 0x0004, 0x0008, 0x0010}


class DicomReadError(Exception):
    """A file that is not DICOM or cannot be read; the message names the problem."""


def read_dicom(path: str | os.PathLike, *, headers_only: bool = True) -> FileDataset:
    """Read ``path`` without ever writing to it. Files without the 128-byte preamble are
    accepted when they start like a DICOM data set; anything else raises DicomReadError."""
    path = Path(path)
    try:
        try:
            return pydicom.dcmread(path, stop_before_pixels=headers_only)
        except InvalidDicomError:
            dataset = pydicom.dcmread(path, stop_before_pixels=headers_only, force=True)
    except PermissionError as exc:
        raise DicomReadError(f"permission denied: {exc.strerror or exc}") from exc
    except IsADirectoryError as exc:
        raise DicomReadError("is a folder, not a file") from exc
    except FileNotFoundError as exc:
        raise DicomReadError("no such file") from exc
    except (OSError, EOFError, ValueError, KeyError, TypeError, OverflowError, NotImplementedError) as exc:
        raise DicomReadError(f"truncated or corrupt DICOM: {exc}") from exc
    first = next(iter(dataset.keys()), None)
    if first is None and not dataset.file_meta:
        size = path.stat().st_size
        raise DicomReadError("empty file (0 bytes)" if size == 0 else "not a DICOM file (no data elements)")
    if first is not None and first.group not in _FIRST_GROUPS and not dataset.file_meta:
        raise DicomReadError("not a DICOM file (no preamble, no file meta and no DICOM data set at the start)")
    return dataset
