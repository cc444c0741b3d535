"""Reading a DICOM file safely: with or without preamble, headers only, clear errors.

Every way a parse can fail becomes :class:`DicomReadError`: pydicom and its plugins raise
anything (zlib.error, struct.error, BytesLengthException, NotImplementedError...), and a
sweep must name the file and go on. The file meta group is decoded here, so a broken one
is a read error rather than a fault later.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from pathlib import Path

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset, FileDataset
from pydicom.errors import InvalidDicomError

from phidetect.boundary import describe
from phidetect.findings import ErrorKind

#: Groups a DICOM data set without a preamble starts with (file meta, directory, identity).
_FIRST_GROUPS = {0x0002, 0x0004, 0x0008, 0x0010}
_UNDEFINED_LENGTH = 0xFFFFFFFF
_PREAMBLE = 128


class DicomReadError(Exception):
    """A file that is not DICOM or cannot be read; the message names the problem and
    ``kind`` says which (ErrorKind.NOT_DICOM, READ or NOT_REGULAR)."""

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


#: Bytes of the shortest element header: pydicom stops quietly when fewer are left.
_HEADER_BYTES = 8


def _cut_in_a_header(path: Path, dataset: Dataset) -> bool:
    """True when the file ends 1-7 bytes after the last element read: it was cut inside the
    next element's header, which pydicom drops without a word. (A read that stops before
    the pixel data leaves that element's whole header and more.)"""
    last = next(reversed(dataset.keys()), None) if len(dataset) else None
    raw = dataset.get_item(last) if last is not None else None
    if not isinstance(raw, RawDataElement) or raw.length == _UNDEFINED_LENGTH:
        return False
    left = path.stat().st_size - (raw.value_tell + raw.length)
    return 0 < left < _HEADER_BYTES


class _Skipped(io.RawIOBase):
    """A file read from ``offset`` on, as if the bytes before it were not there."""

    def __init__(self, raw: io.BufferedReader, offset: int) -> None:
        super().__init__()
        self._raw, self._offset = raw, offset
        self.name = raw.name  # pydicom names the data set after its file
        raw.seek(offset)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        return self._raw.readinto(buffer)

    def seek(self, position: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            position += self._offset
        return self._raw.seek(position, whence) - self._offset

    def tell(self) -> int:
        return self._raw.tell() - self._offset


#: File meta VRs whose ASCII bytes convert without fail: left raw (converting each costs a tenth of a read).
_ASCII_SAFE_VRS = frozenset({"UI", "SH", "AE"})


def _decode_file_meta(file_meta: Dataset) -> None:
    """Convert the file meta's elements now, so that a broken one is a read error and not a
    fault later; plain ASCII UIDs and names are safe as they are and stay raw."""
    for tag in list(file_meta.keys()):
        raw = file_meta.get_item(tag)
        if isinstance(raw, RawDataElement) and raw.VR in _ASCII_SAFE_VRS and isinstance(raw.value, bytes) \
                and raw.value.isascii():
            continue
        file_meta[tag]


def _read(source: Path | io.BufferedReader, headers_only: bool, force: bool) -> FileDataset:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")  # pydicom warns about every non-conformant value
        warnings.filterwarnings("always", message="End of file reached")
        dataset = pydicom.dcmread(source, stop_before_pixels=headers_only, force=force)
        _decode_file_meta(dataset.file_meta)
    for warning in caught:
        if "End of file reached" in str(warning.message):
            raise DicomReadError(f"truncated DICOM: {warning.message}")
    return dataset


def _plausible(dataset: Dataset) -> bool:
    first = next(iter(dataset.keys()), None)
    return first is not None and (first.group in _FIRST_GROUPS or bool(dataset.file_meta))


def _after_bad_magic(path: Path, headers_only: bool) -> FileDataset | None:
    """The data set after a 128-byte preamble whose 'DICM' magic is wrong, when one follows
    (None when the bytes after it are no DICOM data set either)."""
    with path.open("rb") as handle:
        head = handle.read(_PREAMBLE + 4)
        if len(head) < _PREAMBLE + 4 or head[_PREAMBLE:] == b"DICM":
            return None
        if int.from_bytes(head[:2], "little") in _FIRST_GROUPS:  # a data set without preamble: read from 0
            return None
        try:
            dataset = _read(io.BufferedReader(_Skipped(handle, _PREAMBLE + 4)), headers_only, force=True)
        except Exception:  # nothing DICOM there either: the caller reads from byte 0
            return None
    return dataset if _plausible(dataset) and not _cut_short(dataset) else None


def _regular(path: Path) -> None:
    """Refuse anything but a regular file before opening it: a FIFO blocks, /dev/zero never ends."""
    try:
        mode = os.stat(path).st_mode  # follows links: a link to /dev/zero is /dev/zero
    except FileNotFoundError as exc:
        raise DicomReadError("no such file (a broken link)" if os.path.islink(path) else "no such file") from exc
    except OSError as exc:
        raise DicomReadError(f"cannot read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(mode):
        raise DicomReadError("is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise DicomReadError("a FIFO, device or socket, not a regular file: never opened", ErrorKind.NOT_REGULAR)


def read_dicom(path: str | os.PathLike, *, headers_only: bool = True,
               problems: list[DicomReadError] | None = None) -> FileDataset:
    """Read ``path`` without ever writing to it. Files without the 128-byte preamble are
    accepted when they start like a DICOM data set; anything else raises DicomReadError.

    A preamble whose 'DICM' magic is wrong, followed by a real data set, is a damaged file
    that may still hold PHI: with ``problems`` given, the data set is returned (to be
    scanned) and the bad magic appended there as a READ error; without, it raises.
    """
    path = Path(path)
    _regular(path)
    try:
        try:
            dataset = _read(path, headers_only, force=False)
        except InvalidDicomError:
            salvaged = _after_bad_magic(path, headers_only)
            if salvaged is not None:
                problem = DicomReadError("bad DICM magic at byte 128 (a damaged file): the data set after it "
                                         "was read")
                if problems is None:
                    raise problem from None
                problems.append(problem)
                return salvaged
            dataset = _read(path, headers_only, force=True)
    except DicomReadError:
        raise
    except PermissionError as exc:
        raise DicomReadError(f"permission denied: {exc.strerror or exc}") from exc
    except IsADirectoryError as exc:
        raise DicomReadError("is a folder, not a file") from exc
    except FileNotFoundError as exc:
        raise DicomReadError("no such file") from exc
    except RecursionError as exc:
        raise DicomReadError("corrupt DICOM: nesting too deep to read") from exc
    except Exception as exc:  # pydicom and its plugins raise anything for a corrupt file
        raise DicomReadError(f"truncated or corrupt DICOM: {describe(exc)}") from exc
    first = next(iter(dataset.keys()), None)
    if first is None:
        if path.stat().st_size == 0:
            raise DicomReadError("empty file (0 bytes)", ErrorKind.NOT_DICOM)
        if dataset.file_meta:
            raise DicomReadError("truncated DICOM: file meta but no data set after it")
        raise DicomReadError("not a DICOM file (no data elements)", ErrorKind.NOT_DICOM)
    if not _plausible(dataset):
        raise DicomReadError("not a DICOM file (no preamble, no file meta and no DICOM data set at the start)",
                             ErrorKind.NOT_DICOM)
    if _cut_short(dataset) or _cut_short(dataset.file_meta):
        raise DicomReadError("truncated DICOM: the last element is shorter than its declared length")
    if _cut_in_a_header(path, dataset):
        problem = DicomReadError("truncated DICOM: the file ends inside an element's header; the elements "
                                 "before it were read")
        if problems is None:
            raise problem
        problems.append(problem)  # read anyway: the elements before the cut may hold PHI
    return dataset
