"""Decoding: the transfer syntax of the pixel data, pydicom's decoder for it, frames decoded
one at a time, and PixelDecodeError messages that name what to install."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.pixels import get_decoder
from pydicom.pixels.decoders.base import Decoder
from pydicom.uid import (
    UID,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000TransferSyntaxes,
    JPEGLSTransferSyntaxes,
)

from phidetect.dicom.pixels.base import PIXEL_KEYWORDS, PixelDecodeError

#: Short transfer syntax names for messages (pydicom 3.0 does not know the JPEG XL ones).
_TS_NAMES = {
    "1.2.840.10008.1.2.4.50": "JPEG Baseline",
    "1.2.840.10008.1.2.4.51": "JPEG Extended",
    "1.2.840.10008.1.2.4.57": "JPEG Lossless",
    "1.2.840.10008.1.2.4.70": "JPEG Lossless SV1",
    "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless",
    "1.2.840.10008.1.2.4.81": "JPEG-LS Near-Lossless",
    "1.2.840.10008.1.2.4.90": "JPEG 2000 Lossless",
    "1.2.840.10008.1.2.4.91": "JPEG 2000",
    "1.2.840.10008.1.2.4.92": "JPEG 2000 Part 2 Multi-component Lossless",
    "1.2.840.10008.1.2.4.93": "JPEG 2000 Part 2 Multi-component",
    "1.2.840.10008.1.2.4.110": "JPEG XL Lossless",
    "1.2.840.10008.1.2.4.111": "JPEG XL JPEG Recompression",
    "1.2.840.10008.1.2.4.112": "JPEG XL",
    "1.2.840.10008.1.2.4.201": "HTJ2K Lossless",
    "1.2.840.10008.1.2.4.202": "HTJ2K Lossless RPCL",
    "1.2.840.10008.1.2.4.203": "HTJ2K",
    "1.2.840.10008.1.2.5": "RLE Lossless",
    "1.2.840.10008.1.2.8.1": "Deflated Image Frame Compression",
}
_JPEG = "install pylibjpeg-libjpeg, pillow or python-gdcm"
_JPEG_LOSSLESS = "install pylibjpeg-libjpeg or python-gdcm"
_JPEG_LS = "install pylibjpeg-libjpeg, pyjpegls or python-gdcm"
_J2K = "install pylibjpeg-openjpeg or python-gdcm"
_HTJ2K = "install pylibjpeg-openjpeg (2.0 or later)"
_VIDEO = "a video transfer syntax: pydicom has no decoder; extract the frames with a video library (e.g. PyAV)"
#: What to install (or why nothing helps) per transfer syntax, for PixelDecodeError messages.
_INSTALL = {
    "1.2.840.10008.1.2.4.50": _JPEG, "1.2.840.10008.1.2.4.51": _JPEG,
    "1.2.840.10008.1.2.4.57": _JPEG_LOSSLESS, "1.2.840.10008.1.2.4.70": _JPEG_LOSSLESS,
    "1.2.840.10008.1.2.4.80": _JPEG_LS, "1.2.840.10008.1.2.4.81": _JPEG_LS,
    "1.2.840.10008.1.2.4.90": _J2K, "1.2.840.10008.1.2.4.91": _J2K,
    "1.2.840.10008.1.2.4.201": _HTJ2K, "1.2.840.10008.1.2.4.202": _HTJ2K, "1.2.840.10008.1.2.4.203": _HTJ2K,
    "1.2.840.10008.1.2.5": "install pylibjpeg-rle",
    **{f"1.2.840.10008.1.2.4.{n}": _VIDEO for n in range(100, 109)},
    "1.2.840.10008.1.2.4.94": "JPIP Referenced: the pixels are on a JPIP server, not in the file",
    "1.2.840.10008.1.2.4.95": "JPIP Referenced: the pixels are on a JPIP server, not in the file",
}
_NO_DECODER = f"pydicom {pydicom.__version__} has no decoder for this transfer syntax"


def _ts_name(uid: UID) -> str:
    """A short readable name of a transfer syntax (the UID itself when unknown)."""
    return _TS_NAMES.get(str(uid)) or uid.name


def _cannot(uid: UID, reason: str) -> PixelDecodeError:
    name = _ts_name(uid)
    label = name if name == str(uid) else f"{name} ({uid})"
    return PixelDecodeError(f"cannot decode {label}: {reason}")


def _install_hint(uid: UID) -> str:
    return _INSTALL.get(str(uid), _NO_DECODER)


def declared_syntax(ds: Dataset) -> UID | None:
    """The file meta's Transfer Syntax UID, if the data set has one."""
    meta = getattr(ds, "file_meta", None)
    value = meta.get("TransferSyntaxUID") if meta else None
    return UID(str(value).strip("\0 ")) if value else None


def read_syntax(ds: Dataset) -> UID:
    """The native transfer syntax matching how the data set was read (default: little endian)."""
    implicit, little = ds.original_encoding
    if little is False:
        return ExplicitVRBigEndian
    return ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian


def _encapsulated(ds: Dataset) -> bool:
    keyword = next((k for k in PIXEL_KEYWORDS if k in ds), None)
    return keyword is not None and bool(ds[keyword].is_undefined_length)


def transfer_syntax(ds: Dataset) -> UID:
    """The transfer syntax of the pixel data: the file meta's, or for a data set without one
    (read with force) the native one it was read with."""
    declared = declared_syntax(ds)
    if declared is not None:
        return declared
    if _encapsulated(ds):
        raise PixelDecodeError("cannot decode compressed pixel data: the file names no transfer syntax")
    return read_syntax(ds)


def icon_syntax(item: Dataset, parent: UID) -> UID:
    """An icon is native in its parent's byte order, or compressed like its parent (PS3.5 8.2)."""
    known = parent.is_transfer_syntax
    if _encapsulated(item):
        if known and parent.is_encapsulated:
            return parent
        raise PixelDecodeError("cannot decode the icon: compressed pixel data in a native data set")
    return ExplicitVRBigEndian if known and not parent.is_little_endian else ExplicitVRLittleEndian


def decoder_for(uid: UID) -> Decoder:
    """pydicom's decoder for ``uid``, or PixelDecodeError saying what is missing."""
    try:
        decoder = get_decoder(uid)
    except NotImplementedError:
        raise _cannot(uid, _install_hint(uid)) from None
    if not decoder.is_available:
        missing = "; ".join(decoder.missing_dependencies)
        raise _cannot(uid, _install_hint(uid) + (f" (pydicom: {missing})" if missing else ""))
    return decoder


def decode_options(ds: Dataset, count: int, *, raw_bits: bool) -> dict[str, Any]:
    """Decoding options: the frame count we trust, and the unused high bits kept when they
    hold embedded overlays (masked afterwards by mask_unused_bits)."""
    options: dict[str, Any] = {"number_of_frames": count}
    if raw_bits:
        options["correct_unused_bits"] = False
    return options


@contextmanager
def quiet_decoders() -> Iterator[None]:
    """pydicom warns about every non-conformant detail; a scan of many files wants none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@contextmanager
def decode_errors(uid: UID) -> Iterator[None]:
    """Any failure inside a decoder becomes PixelDecodeError naming the transfer syntax."""
    try:
        yield
    except (PixelDecodeError, MemoryError):
        raise
    except Exception as exc:  # decoder plugins raise anything: RuntimeError, ValueError, OSError...
        raise _cannot(uid, f"{type(exc).__name__}: {exc}".strip()) from exc


def iter_decoded(ds: Dataset, decoder: Decoder, uid: UID,
                  options: dict[str, Any]) -> Iterator[np.ndarray]:
    """The stored frames one at a time from pydicom (warnings silenced per frame, never across
    a yield), no more than Number of Frames. JPEG 2000 and JPEG-LS go frame by index: pydicom's
    streaming path corrects their signedness in place on a read-only buffer and fails."""
    count = options["number_of_frames"]
    indices = range(count) if uid in JPEG2000TransferSyntaxes or uid in JPEGLSTransferSyntaxes else None
    frames = decoder.iter_array(ds, indices=indices, **options)
    for _index in range(count):
        with decode_errors(uid), quiet_decoders():
            try:
                arr, _properties = next(frames)
            except StopIteration:
                return
        yield arr


def number_of_frames(ds: Dataset) -> int:
    """Number of Frames as pydicom reads it: 1 when absent, invalid or below 1."""
    try:
        with quiet_decoders():
            count = int(ds.get("NumberOfFrames") or 1)
    except (TypeError, ValueError):
        return 1
    return max(count, 1)


def is_little_endian(ds: Dataset) -> bool:
    """Whether the data set's values (OW overlay and palette words) are little endian."""
    uid = declared_syntax(ds) or read_syntax(ds)
    return uid.is_little_endian if uid.is_transfer_syntax else True
