"""Reading a DICOM file safely: with or without preamble, headers only, clear errors."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset, FileDataset
from pydicom.errors import InvalidDicomError

from phidetect.findings import ErrorKind

#: Groups a DICOM data set without a preamble starts with (file meta, directory, identity).
_FIRST_GROUPS = {0x0002, 0x0004, 0x0008, 0x0010}
_UNDEFINED_LENGTH = 0xFFFFFFFF


class DicomReadError(Exception):
    """A file that is not DICOM or cannot be read; the message names the problem and
    ``kind`` says which (ErrorKind.NOT_DICOM or ErrorKind.READ)."""

    def __init__(self, message: str, kind: ErrorKind = ErrorKind.READ) -> None:
        super().__init__(message)
        self.kind = kind


def _cut_short(dataset: Dataset) -> bool:
    """True when the last element read holds fewer bytes than its header declares: pydicom
    stops quietly at the end of a truncated file, keeping what it had."""
    last = next(reversed(dataset.keys()), None) if len(dataset) else None
    if last is None:
        return False
    raw = dataset.get_item(last)
    return (isinstance(raw, RawDataElement) and isinstance(raw.value, bytes)
            and raw.length != _UNDEFINED_LENGTH and len(raw.value) < raw.length)


def _read(path: Path, headers_only: bool, force: bool) -> FileDataset:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")  # pydicom warns about every non-conformant value
        warnings.filterwarnings("always", message="End of file reached")
        dataset = pydicom.dcmread(path, stop_before_pixels=headers_only, force=force)
    for warning in caught:
        if "End of file reached" in str(warning.message):
            raise DicomReadError(f"truncated DICOM: {warning.message}")
    return dataset


def read_dicom(path: str | os.PathLike, *, headers_only: bool = True) -> FileDataset:
    """Read ``path`` without ever writing to it. Files without the 128-byte preamble are
    accepted when they start like a DICOM data set; anything else raises DicomReadError."""
    path = Path(path)
    try:
        try:
            dataset = _read(path, headers_only, force=False)
        except InvalidDicomError:
            dataset = _read(path, headers_only, force=True)
    except DicomReadError:
        raise
    except PermissionError as exc:
        raise DicomReadError(f"permission denied: {exc.strerror or exc}") from exc
    except IsADirectoryError as exc:
        raise DicomReadError("is a folder, not a file") from exc
    except FileNotFoundError as exc:
        raise DicomReadError("no such file") from exc
    except (OSError, EOFError, ValueError, KeyError, TypeError, OverflowError, NotImplementedError) as exc:
        raise DicomReadError(f"truncated or corrupt DICOM: {exc}") from exc
    first = next(iter(dataset.keys()), None)
    if first is None:
        if path.stat().st_size == 0:
            raise DicomReadError("empty file (0 bytes)", ErrorKind.NOT_DICOM)
        if dataset.file_meta:
            raise DicomReadError("truncated DICOM: file meta but no data set after it")
        raise DicomReadError("not a DICOM file (no data elements)", ErrorKind.NOT_DICOM)
    if first.group not in _FIRST_GROUPS and not dataset.file_meta:
        raise DicomReadError("not a DICOM file (no preamble, no file meta and no DICOM data set at the start)",
                             ErrorKind.NOT_DICOM)
    if _cut_short(dataset) or _cut_short(dataset.file_meta):
        raise DicomReadError("truncated DICOM: the last element is shorter than its declared length")
    return dataset
