"""Stored pixels to what a person would see: uint8 display images for burned-in text OCR.

Every plane that can carry burned-in text (the image frames, the overlay planes, the icon)
comes out as a uint8 image on the stored image's own pixel grid, so a box that OCR finds
is a box in the DICOM's rows and columns. Frames are decoded one at a time with pydicom's
decoders. Greyscale values go through pydicom's modality LUT / rescale and VOI LUT / first
window, evaluated once over every value a frame can store and then applied to each frame
as one table look-up: the result is the same as transforming every pixel, far faster.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pydicom
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.pixels import get_decoder
from pydicom.pixels.decoders.base import Decoder
from pydicom.pixels.processing import apply_color_lut, apply_modality_lut, apply_voi_lut
from pydicom.uid import (
    UID,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000TransferSyntaxes,
    JPEGLSTransferSyntaxes,
)

#: Percentiles of the stretch used when the file gives no window (robust to a few hot pixels).
LOW_PERCENTILE, HIGH_PERCENTILE = 0.5, 99.5
PIXEL_KEYWORDS = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")
#: The repeating overlay groups 6000-601E (even groups only; odd ones are private).
OVERLAY_GROUPS = tuple(range(0x6000, 0x6020, 2))
_VOI_FUNCTIONS = ("LINEAR", "LINEAR_EXACT", "SIGMOID")
_MAX_STRETCH_SAMPLE = 1 << 20  # pixels a float frame's percentiles are estimated from
#: What pydicom's apply_* raise on a malformed LUT or window (the transform is then skipped).
_LUT_ERRORS = (ValueError, TypeError, AttributeError, IndexError, KeyError, NotImplementedError, OverflowError)
#: Red, Green, Blue, Alpha Palette Color Lookup Table Data
_PALETTE_DATA = (0x00281201, 0x00281202, 0x00281203, 0x00281204)

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


@dataclass(frozen=True)
class DisplayFrame:
    """One display-ready plane that may carry burned-in text.

    ``frame`` is the 0-based frame of the stored image (for overlays: the image frame they
    apply to); ``image`` is uint8 HxW or HxWx3 on the stored image's grid (the icon: its
    own grid); ``plane`` is ``"image"``, ``"overlay:6000"`` (the overlay's group) or ``"icon"``.
    """

    frame: int
    image: np.ndarray
    plane: str


class PixelDecodeError(Exception):
    """Pixel data that cannot be decoded; the message names the transfer syntax and, for a
    missing codec, the package to install."""


def frame_count(ds: Dataset) -> int:
    """Image frames stored in ``ds``: 0 without pixel data, else Number of Frames (1 when
    absent or invalid, as pydicom reads it)."""
    if not any(keyword in ds for keyword in PIXEL_KEYWORDS):
        return 0
    return _number_of_frames(ds)


def display_frames(ds: Dataset, *, overlays: bool = True, icon: bool = True) -> Iterator[DisplayFrame]:
    """Every plane of ``ds`` as a person would see it, one frame decoded at a time: each image
    frame followed by the overlays that apply to it, then overlays of frames the image does
    not have (or of a data set without pixels), then the icon.

    Pixel data that cannot be decoded raises PixelDecodeError, but only after the overlays
    and the icon have been yielded: text in them is still there to be read."""
    specs = _overlay_specs(ds) if overlays else []
    pending: dict[int, list[_Overlay]] = {}
    for spec in specs:
        if not spec.embedded:
            pending.setdefault(spec.frame, []).append(spec)
    grid = _grid(ds)
    failure: PixelDecodeError | None = None
    if frame_count(ds):
        try:
            yield from _image_planes(ds, [spec for spec in specs if spec.embedded], pending, grid)
        except PixelDecodeError as exc:
            failure = exc
    for index in sorted(pending):
        for spec in pending[index]:
            yield DisplayFrame(index, _overlay_plane(ds, spec, grid), spec.plane)
    if icon:
        try:
            yield from _icon_frames(ds)
        except PixelDecodeError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure


def _image_planes(ds: Dataset, embedded: list[_Overlay], pending: dict[int, list[_Overlay]],
                  grid: tuple[int, int] | None) -> Iterator[DisplayFrame]:
    """The image frames, each followed by its overlays (taken out of ``pending``)."""
    count = frame_count(ds)
    transfer_syntax = _transfer_syntax(ds)
    decoder = _decoder(transfer_syntax)
    display = _Display(ds)
    options = _options(ds, count, raw_bits=bool(embedded))
    for index, arr in enumerate(_iter_decoded(ds, decoder, transfer_syntax, options)):
        planes = [(spec, _embedded_plane(arr, spec, ds, grid)) for spec in embedded]
        if embedded:
            arr = _mask_unused_bits(arr, ds)
        yield DisplayFrame(index, display.render(arr, index), "image")
        for spec, plane in planes:
            yield DisplayFrame(index, plane, spec.plane)
        for spec in pending.pop(index, ()):
            yield DisplayFrame(index, _overlay_plane(ds, spec, grid), spec.plane)


def display_image(ds: Dataset, frame: int) -> np.ndarray:
    """Image frame ``frame`` (0-based) alone, display-ready, decoding only that frame where the
    transfer syntax allows; IndexError when the data set has no such frame."""
    count = frame_count(ds)
    if not 0 <= frame < count:
        raise IndexError(f"frame {frame} out of range: the data set has {count} image frame(s)")
    transfer_syntax = _transfer_syntax(ds)
    decoder = _decoder(transfer_syntax)
    embedded = any(spec.embedded for spec in _overlay_specs(ds))
    options = _options(ds, count, raw_bits=embedded)
    with _translated(transfer_syntax), _quiet():
        arr, _ = decoder.as_array(ds, index=frame, **options)
    if embedded:
        arr = _mask_unused_bits(arr, ds)
    return _Display(ds).render(arr, frame)


# --- decoding -----------------------------------------------------------------------------------

def _ts_name(uid: UID) -> str:
    """A short readable name of a transfer syntax (the UID itself when unknown)."""
    return _TS_NAMES.get(str(uid)) or uid.name


def _cannot(uid: UID, reason: str) -> PixelDecodeError:
    name = _ts_name(uid)
    label = name if name == str(uid) else f"{name} ({uid})"
    return PixelDecodeError(f"cannot decode {label}: {reason}")


def _install_hint(uid: UID) -> str:
    return _INSTALL.get(str(uid), _NO_DECODER)


def _declared_syntax(ds: Dataset) -> UID | None:
    """The file meta's Transfer Syntax UID, if the data set has one."""
    meta = getattr(ds, "file_meta", None)
    value = meta.get("TransferSyntaxUID") if meta else None
    return UID(str(value).strip("\0 ")) if value else None


def _read_syntax(ds: Dataset) -> UID:
    """The native transfer syntax matching how the data set was read (default: little endian)."""
    implicit, little = ds.original_encoding
    if little is False:
        return ExplicitVRBigEndian
    return ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian


def _encapsulated(ds: Dataset) -> bool:
    keyword = next((k for k in PIXEL_KEYWORDS if k in ds), None)
    return keyword is not None and bool(ds[keyword].is_undefined_length)


def _transfer_syntax(ds: Dataset) -> UID:
    """The transfer syntax of the pixel data: the file meta's, or for a data set without one
    (read with force) the native one it was read with."""
    declared = _declared_syntax(ds)
    if declared is not None:
        return declared
    if _encapsulated(ds):
        raise PixelDecodeError("cannot decode compressed pixel data: the file names no transfer syntax")
    return _read_syntax(ds)


def _icon_syntax(item: Dataset, parent: UID) -> UID:
    """An icon is native in its parent's byte order, or compressed like its parent (PS3.5 8.2)."""
    known = parent.is_transfer_syntax
    if _encapsulated(item):
        if known and parent.is_encapsulated:
            return parent
        raise PixelDecodeError("cannot decode the icon: compressed pixel data in a native data set")
    return ExplicitVRBigEndian if known and not parent.is_little_endian else ExplicitVRLittleEndian


def _decoder(uid: UID) -> Decoder:
    """pydicom's decoder for ``uid``, or PixelDecodeError saying what is missing."""
    try:
        decoder = get_decoder(uid)
    except NotImplementedError:
        raise _cannot(uid, _install_hint(uid)) from None
    if not decoder.is_available:
        missing = "; ".join(decoder.missing_dependencies)
        raise _cannot(uid, _install_hint(uid) + (f" (pydicom: {missing})" if missing else ""))
    return decoder


def _options(ds: Dataset, count: int, *, raw_bits: bool) -> dict[str, Any]:
    """Decoding options: the frame count we trust, and the unused high bits kept when they
    hold embedded overlays (masked afterwards by _mask_unused_bits)."""
    options: dict[str, Any] = {"number_of_frames": count}
    if raw_bits:
        options["correct_unused_bits"] = False
    return options


@contextmanager
def _quiet() -> Iterator[None]:
    """pydicom warns about every non-conformant detail; a scan of many files wants none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@contextmanager
def _translated(uid: UID) -> Iterator[None]:
    """Any failure inside a decoder becomes PixelDecodeError naming the transfer syntax."""
    try:
        yield
    except (PixelDecodeError, MemoryError):
        raise
    except Exception as exc:  # decoder plugins raise anything: RuntimeError, ValueError, OSError...
        raise _cannot(uid, f"{type(exc).__name__}: {exc}".strip()) from exc


def _iter_decoded(ds: Dataset, decoder: Decoder, uid: UID,
                  options: dict[str, Any]) -> Iterator[np.ndarray]:
    """The stored frames one at a time from pydicom (warnings silenced per frame, never across
    a yield), no more than Number of Frames. JPEG 2000 and JPEG-LS go frame by index: pydicom's
    streaming path corrects their signedness in place on a read-only buffer and fails."""
    count = options["number_of_frames"]
    indices = range(count) if uid in JPEG2000TransferSyntaxes or uid in JPEGLSTransferSyntaxes else None
    frames = decoder.iter_array(ds, indices=indices, **options)
    for _index in range(count):
        with _translated(uid), _quiet():
            try:
                arr, _properties = next(frames)
            except StopIteration:
                return
        yield arr


def _number_of_frames(ds: Dataset) -> int:
    try:
        with _quiet():
            count = int(ds.get("NumberOfFrames") or 1)
    except (TypeError, ValueError):
        return 1
    return max(count, 1)


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _number(value: Any) -> float | None:
    """A finite float from a DS/IS/FD value (the first of several), else None."""
    if isinstance(value, (MultiValue, list, tuple)):
        value = value[0] if len(value) else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _native(arr: np.ndarray) -> np.ndarray:
    return arr if arr.dtype.isnative else arr.astype(arr.dtype.newbyteorder("="))


def _keys(arr: np.ndarray) -> np.ndarray:
    """Stored values as unsigned table indices of the same width (signed values wrap)."""
    return arr.view(np.dtype(f"u{arr.dtype.itemsize}"))


def _domain(dtype: np.dtype) -> np.ndarray:
    """Every value ``dtype`` can hold, in the order of _keys: one table entry per stored value."""
    keys = np.dtype(f"u{dtype.itemsize}")
    return np.arange(1 << (8 * dtype.itemsize), dtype=keys).view(dtype)


def _tabulable(arr: np.ndarray) -> bool:
    """Integers of at most 16 bits: small enough to tabulate every value they can hold."""
    return arr.dtype.kind in "iu" and arr.dtype.itemsize <= 2


# --- greyscale ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Transforms:
    """What pydicom's apply_* functions read for one frame, cleaned of invalid values."""

    view: Dataset
    key: tuple
    modality: bool
    voi: bool
    #: Bits Stored of unsigned data of at most 8 bits with no transform: shown by its bit range
    small_bits: int


def _functional_items(ds: Dataset, index: int) -> list[Dataset]:
    """The shared and then this frame's functional group items of an enhanced image."""
    items = []
    for keyword, position in (("SharedFunctionalGroupsSequence", 0), ("PerFrameFunctionalGroupsSequence", index)):
        sequence = ds.get(keyword)
        if sequence and len(sequence) > position:
            items.append(sequence[position])
    return items


def _first_item(ds: Dataset, keyword: str) -> Dataset | None:
    sequence = ds.get(keyword)
    return sequence[0] if sequence else None


def _valid_lut(item: Dataset | None) -> bool:
    descriptor = item.get("LUTDescriptor") if item is not None else None
    return (descriptor is not None and len(descriptor) == 3 and item.get("LUTData") is not None
            and _int(descriptor[2]) > 0)


def _transforms(ds: Dataset, index: int, little_endian: bool) -> _Transforms:
    """Modality and VOI transforms of frame ``index``: the image's own, overridden by the
    enhanced multi-frame functional groups. Numbers go into the view as FD so pydicom reads
    clean floats and nothing of the caller's data set is changed."""
    view = Dataset()
    view.set_original_encoding(False, little_endian)
    pi = str(ds.get("PhotometricInterpretation", "") or "").strip().upper()
    view.PhotometricInterpretation = "MONOCHROME1" if pi == "MONOCHROME1" else "MONOCHROME2"
    view.add_new(0x00280101, "US", _int(ds.get("BitsStored"), 0) or _int(ds.get("BitsAllocated"), 16))
    view.add_new(0x00280103, "US", 1 if _int(ds.get("PixelRepresentation")) == 1 else 0)

    modality_lut = ds.get("ModalityLUTSequence")
    slope, intercept = _number(ds.get("RescaleSlope")), _number(ds.get("RescaleIntercept"))
    voi_lut = ds.get("VOILUTSequence")
    center, width, function = ds.get("WindowCenter"), ds.get("WindowWidth"), ds.get("VOILUTFunction")
    for item in _functional_items(ds, index):
        pixel_values = _first_item(item, "PixelValueTransformationSequence")
        if pixel_values is not None and "RescaleSlope" in pixel_values:
            slope, intercept = _number(pixel_values.get("RescaleSlope")), _number(pixel_values.get("RescaleIntercept"))
        frame_voi = _first_item(item, "FrameVOILUTSequence")
        if frame_voi is not None:
            center, width = frame_voi.get("WindowCenter"), frame_voi.get("WindowWidth")
            function = frame_voi.get("VOILUTFunction")
            voi_lut = frame_voi.get("VOILUTSequence") or voi_lut

    key: list[Any] = []
    modality = False
    if modality_lut and _valid_lut(modality_lut[0]):
        view["ModalityLUTSequence"] = DataElement(0x00283000, "SQ", [modality_lut[0]])
        modality = True
        key.append(("mlut", id(modality_lut[0])))
    elif slope is not None and intercept is not None and (slope, intercept) != (1.0, 0.0) and slope != 0:
        view.add_new(0x00281053, "FD", slope)
        view.add_new(0x00281052, "FD", intercept)
        modality = True
        key.append(("rescale", slope, intercept))

    voi = False
    if voi_lut and _valid_lut(voi_lut[0]) and _int(voi_lut[0].LUTDescriptor[2]) in (8, *range(10, 17)):
        view["VOILUTSequence"] = DataElement(0x00283010, "SQ", [voi_lut[0]])
        voi = True
        key.append(("vlut", id(voi_lut[0])))
    else:
        center, width = _number(center), _number(width)
        name = str(function or "LINEAR").strip().upper()
        name = name if name in _VOI_FUNCTIONS else "LINEAR"
        if center is not None and width is not None and width > 0:
            if name == "LINEAR" and width < 1:
                name = "LINEAR_EXACT"  # pydicom refuses LINEAR below 1; the two differ by half a unit
            view.add_new(0x00281050, "FD", center)
            view.add_new(0x00281051, "FD", width)
            view.add_new(0x00281056, "CS", name)
            voi = True
            key.append(("window", center, width, name))
    bits = view[0x00280101].value
    small = not modality and not voi and 0 < bits <= 8 and view[0x00280103].value == 0
    return _Transforms(view, (pi == "MONOCHROME1", *key), modality, voi, bits if small else 0)


def _apply_modality(values: np.ndarray, transforms: _Transforms) -> np.ndarray:
    """Rescale or Modality LUT; a LUT pydicom cannot read is skipped (stored values shown)."""
    if not transforms.modality:
        return values
    try:
        with _quiet():
            return apply_modality_lut(values, transforms.view)
    except _LUT_ERRORS:
        return values


def _voi_to_uint8(values: np.ndarray, transforms: _Transforms) -> np.ndarray | None:
    """uint8 after the VOI LUT or the first window; None when there is none or pydicom
    cannot apply it (the caller stretches instead)."""
    if not transforms.voi:
        return None
    view = transforms.view
    try:
        with _quiet(), np.errstate(over="ignore", invalid="ignore"):
            if "VOILUTSequence" in view:
                item = view.VOILUTSequence[0]
                entries, first = _int(item.LUTDescriptor[0]) or 65536, _int(item.LUTDescriptor[1])
                table = apply_voi_lut(np.arange(first, first + entries, dtype=np.int64), view)
                low, high = float(table.min()), float(table.max())
                if values.dtype.kind == "f":
                    values = np.rint(np.nan_to_num(values)).astype(np.int64)
            else:
                low, high = (float(v) for v in apply_voi_lut(np.array([-1e300, 1e300]), view))
            out = apply_voi_lut(values, view)
    except _LUT_ERRORS:
        return None
    if high == low:
        return None
    return _scale(out, low, high)


def _scale(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Linear map of [low, high] onto 0..255 (low > high inverts), NaN to 0."""
    out = (np.asarray(values, dtype=np.float64) - low) * (255.0 / (high - low))
    np.clip(out, 0, 255, out=out)
    return np.nan_to_num(np.rint(out), copy=False).astype(np.uint8)


def _stretch_bounds(sorted_values: np.ndarray, cumulative: np.ndarray) -> tuple[float, float]:
    """The LOW/HIGH percentiles of a value histogram (values sorted, counts cumulated),
    falling back to min/max when they coincide."""
    total = cumulative[-1]
    last = len(sorted_values) - 1
    low = sorted_values[min(int(np.searchsorted(cumulative, total * LOW_PERCENTILE / 100)), last)]
    high = sorted_values[min(int(np.searchsorted(cumulative, total * HIGH_PERCENTILE / 100)), last)]
    if high <= low:
        low, high = sorted_values[0], sorted_values[-1]
    return float(low), float(high)


class _GreyTable:
    """Stored value -> uint8 for one set of transforms of one stored dtype (<= 16 bits)."""

    def __init__(self, transforms: _Transforms, dtype: np.dtype, mono1: bool) -> None:
        domain = _domain(dtype)
        self.values = np.asarray(_apply_modality(domain, transforms), dtype=np.float64)
        self.mono1 = mono1
        self.fixed: np.ndarray | None = None
        if transforms.small_bits:
            self.fixed = _scale(self.values, 0, 2.0**transforms.small_bits - 1)
        else:
            self.fixed = _voi_to_uint8(self.values, transforms)
        if self.fixed is not None and mono1:
            self.fixed = 255 - self.fixed

    def apply(self, arr: np.ndarray) -> np.ndarray:
        keys = _keys(arr)
        if self.fixed is not None:
            out = self.fixed[keys]
            if out.min() != out.max() or arr.min() == arr.max():
                return out
            # a window that blanks the whole frame hides the text a person would look for: stretch
        counts = np.bincount(keys.ravel(), minlength=len(self.values))
        present = np.flatnonzero(counts)
        values = self.values[present]
        order = np.argsort(values, kind="stable")
        low, high = _stretch_bounds(values[order], np.cumsum(counts[present][order]))
        table = np.zeros(len(self.values), dtype=np.uint8) if high == low else _scale(self.values, low, high)
        if self.mono1:
            table = 255 - table
        return table[keys]


def _grey_direct(arr: np.ndarray, transforms: _Transforms, mono1: bool) -> np.ndarray:
    """Float and 32-bit frames: the transforms applied to the pixels themselves."""
    values = np.asarray(_apply_modality(arr, transforms), dtype=np.float64)
    out = _voi_to_uint8(values, transforms)
    finite = values[np.isfinite(values)]
    if out is None or (out.min() == out.max() and finite.size and finite.min() != finite.max()):
        out = _stretch(values, finite)
    return 255 - out if mono1 else out


def _stretch(values: np.ndarray, finite: np.ndarray) -> np.ndarray:
    """LOW..HIGH percentiles (of at most _MAX_STRETCH_SAMPLE finite values) onto 0..255."""
    if finite.size == 0:
        return np.zeros(values.shape, dtype=np.uint8)
    sample = finite[:: max(1, finite.size // _MAX_STRETCH_SAMPLE)]
    low, high = (float(v) for v in np.percentile(sample, [LOW_PERCENTILE, HIGH_PERCENTILE]))
    if high <= low:
        low, high = float(finite.min()), float(finite.max())
    return np.zeros(values.shape, dtype=np.uint8) if high == low else _scale(values, low, high)


# --- colour ---------------------------------------------------------------------------------------

def _colour_to_uint8(arr: np.ndarray, bits_stored: int) -> np.ndarray:
    """RGB samples of any depth to 8 bits by their stored range (no windowing for colour)."""
    if arr.dtype == np.uint8:
        return arr
    if arr.dtype.kind == "f":
        return _stretch(arr, arr[np.isfinite(arr)])
    bits = bits_stored if 0 < bits_stored <= 8 * arr.dtype.itemsize else 8 * arr.dtype.itemsize
    low = -(2.0 ** (bits - 1)) if arr.dtype.kind == "i" else 0.0
    return _scale(arr, low, low + 2.0**bits - 1)


def _palette_source(ds: Dataset, little_endian: bool) -> Dataset:
    """The data set apply_color_lut should read: pydicom takes OW palette data as little
    endian, so a big endian file's words are swapped first (in a copy of group 0028)."""
    if little_endian or not any(tag in ds for tag in _PALETTE_DATA):
        return ds
    view = Dataset()
    view.set_original_encoding(False, False)
    for elem in ds.group_dataset(0x0028):
        view.add(elem)
    for tag in _PALETTE_DATA:
        elem = ds.get(tag)
        if elem is not None and elem.VR == "OW" and isinstance(elem.value, bytes) and len(elem.value) % 2 == 0:
            view.add(DataElement(tag, "OW", np.frombuffer(elem.value, dtype=">u2").astype("<u2").tobytes()))
    return view


def _palette_table(ds: Dataset, dtype: np.dtype, little_endian: bool) -> np.ndarray | None:
    """RGB uint8 for every stored value through the Palette Color LUT, or None when the
    LUT is missing or unusable (the image is then shown as greyscale)."""
    try:
        with _quiet():
            rgb = apply_color_lut(_domain(dtype), _palette_source(ds, little_endian))[..., :3]
    except _LUT_ERRORS:
        return None
    if rgb.dtype == np.uint8:
        return rgb
    nominal = _int(ds.RedPaletteColorLookupTableDescriptor[2], 16)
    if nominal <= 8 or rgb.max() <= 255:  # 8-bit entries stored in 16-bit words
        return np.clip(rgb, 0, 255).astype(np.uint8)
    return _scale(rgb, 0, 65535)


class _Display:
    """Decoded frames of one image (the main one or the icon) to display images."""

    def __init__(self, ds: Dataset, little_endian: bool | None = None) -> None:
        self.ds = ds
        self.pi = str(ds.get("PhotometricInterpretation", "") or "").strip().upper()
        self.bits_stored = _int(ds.get("BitsStored"))
        if little_endian is None:
            little_endian = _transfer_syntax_is_little(ds)
        self.little_endian = little_endian
        self.per_frame = "PerFrameFunctionalGroupsSequence" in ds
        self._transforms: dict[int, _Transforms] = {}
        self._tables: dict[tuple, _GreyTable] = {}
        self._palettes: dict[str, np.ndarray | None] = {}

    def render(self, arr: np.ndarray, index: int) -> np.ndarray:
        """Frame ``index`` as uint8, grey or RGB, on its stored grid."""
        arr = _native(arr)
        if arr.ndim == 3:
            if arr.shape[-1] == 1:
                arr = arr[..., 0]
            else:  # pydicom has already turned YBR_FULL / YBR_FULL_422 into RGB (as_rgb)
                return _colour_to_uint8(arr[..., :3], self.bits_stored)
        if self.pi == "PALETTE COLOR" and _tabulable(arr):
            table = self._palette(arr.dtype)
            if table is not None:
                return table[_keys(arr)]
        return self._grey(arr, index)

    def _palette(self, dtype: np.dtype) -> np.ndarray | None:
        if dtype.str not in self._palettes:
            self._palettes[dtype.str] = _palette_table(self.ds, dtype, self.little_endian)
        return self._palettes[dtype.str]

    def _grey(self, arr: np.ndarray, index: int) -> np.ndarray:
        slot = index if self.per_frame else 0
        transforms = self._transforms.get(slot)
        if transforms is None:
            transforms = self._transforms[slot] = _transforms(self.ds, index, self.little_endian)
        mono1 = self.pi == "MONOCHROME1"
        if arr.dtype == np.bool_:
            arr = arr.view(np.uint8)
        if not _tabulable(arr):
            return _grey_direct(arr, transforms, mono1)
        key = (transforms.key, arr.dtype.str)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = _GreyTable(transforms, arr.dtype, mono1)
        return table.apply(arr)


def _transfer_syntax_is_little(ds: Dataset) -> bool:
    uid = _declared_syntax(ds) or _read_syntax(ds)
    return uid.is_little_endian if uid.is_transfer_syntax else True


# --- overlays -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Overlay:
    """One overlay frame: its group, the image frame it applies to, its index in the group."""

    group: int
    frame: int
    part: int
    embedded: bool

    @property
    def plane(self) -> str:
        return f"overlay:{self.group:04X}"


def _overlay_specs(ds: Dataset) -> list[_Overlay]:
    """Overlay frames of ``ds``: (60xx,3000) planes, mapped to image frames by Image Frame
    Origin, and the retired overlays embedded in unused high bits of the pixel data."""
    specs = []
    has_pixels = any(keyword in ds for keyword in PIXEL_KEYWORDS)
    for group in OVERLAY_GROUPS:
        if (group, 0x0010) not in ds or (group, 0x0011) not in ds:
            continue
        if (group, 0x3000) in ds:
            frames = _overlay_frames(ds, group)
            origin = max(_int(_value(ds, group, 0x0051), 1), 1)
            specs += [_Overlay(group, origin - 1 + part, part, False) for part in range(frames)]
        elif (has_pixels and _int(_value(ds, group, 0x0100), 1) > 1
              and (group, 0x0102) in ds and _int(ds.get("SamplesPerPixel"), 1) == 1):
            specs.append(_Overlay(group, -1, 0, True))  # in every frame's pixel data
    return specs


def _value(ds: Dataset, group: int, element: int) -> Any:
    elem = ds.get((group, element))
    if elem is None:
        return None
    value = elem.value
    if isinstance(value, (MultiValue, list)):
        return value[0] if len(value) else None
    return value


def _grid(ds: Dataset) -> tuple[int, int] | None:
    rows, columns = _int(ds.get("Rows")), _int(ds.get("Columns"))
    return (rows, columns) if rows > 0 and columns > 0 else None


def _origin(ds: Dataset, group: int) -> tuple[int, int]:
    """Overlay Origin as a 0-based (row, column); may be negative (above or left of the image)."""
    origin = ds.get((group, 0x0050))
    values = list(origin.value) if origin is not None and isinstance(origin.value, (MultiValue, list)) else []
    return (_int(values[0], 1) - 1, _int(values[1], 1) - 1) if len(values) == 2 else (0, 0)


def _canvas(shape: tuple[int, int], top: int, left: int, grid: tuple[int, int] | None) -> tuple[
        np.ndarray, int, int]:
    """The image-grid canvas an overlay of ``shape`` at (top, left) is drawn on, and the span
    of its rows that falls inside (the rest is cut off)."""
    if grid is None:
        grid = (max(top, 0) + shape[0], max(left, 0) + shape[1])
    return np.zeros(grid, dtype=np.uint8), max(0, -top), min(shape[0], grid[0] - top)


def _draw(canvas: np.ndarray, rows: np.ndarray, top: int, left: int) -> np.ndarray:
    """Overlay ``rows`` (0/1, starting at canvas row ``top``) drawn as 255, cut to the canvas."""
    c0, c1 = max(left, 0), min(left + rows.shape[1], canvas.shape[1])
    if rows.size and c1 > c0:
        canvas[top:top + rows.shape[0], c0:c1] = rows[:, c0 - left:c1 - left] * np.uint8(255)
    return canvas


def _overlay_frames(ds: Dataset, group: int) -> int:
    """Number of Frames in Overlay, but no more than its Overlay Data holds (a corrupt count
    must not make millions of blank planes)."""
    frames = max(_int(_value(ds, group, 0x0015), 1), 1)
    size = _int(_value(ds, group, 0x0010)) * _int(_value(ds, group, 0x0011))
    data = ds[(group, 0x3000)].value or b""
    return min(frames, max(1, -(-len(data) * 8 // size))) if size > 0 else 1


def _overlay_plane(ds: Dataset, spec: _Overlay, grid: tuple[int, int] | None) -> np.ndarray:
    """One frame of (60xx,3000) Overlay Data on the image grid. Only the rows that fall on the
    grid are unpacked; data too short for them is taken as zeros (a damaged overlay may still
    show text)."""
    group = spec.group
    rows, columns = _int(_value(ds, group, 0x0010)), _int(_value(ds, group, 0x0011))
    top, left = _origin(ds, group)
    canvas, first, last = _canvas((max(rows, 0), max(columns, 0)), top, left, grid)
    if rows <= 0 or columns <= 0 or last <= first:
        return canvas
    element = ds[(group, 0x3000)]
    data = element.value or b""
    start = spec.part * rows * columns + first * columns  # first bit drawn
    count = (last - first) * columns
    low, high = start // 8, (start + count + 7) // 8
    if element.VR == "OW" and not _transfer_syntax_is_little(ds):  # big endian words: swap to bytes
        low_word, high_word = low - low % 2, high + high % 2
        chunk = np.frombuffer(data[low_word:high_word], dtype=np.uint8)
        chunk = chunk[: chunk.size // 2 * 2].reshape(-1, 2)[:, ::-1].ravel()[low - low_word:]
    else:
        chunk = np.frombuffer(data[low:high], dtype=np.uint8)
    bits = np.unpackbits(chunk, bitorder="little")[start % 8: start % 8 + count]
    if bits.size < count:
        bits = np.concatenate([bits, np.zeros(count - bits.size, dtype=np.uint8)])
    return _draw(canvas, bits.reshape(last - first, columns), top + first, left)


def _embedded_plane(arr: np.ndarray, spec: _Overlay, ds: Dataset, grid: tuple[int, int] | None) -> np.ndarray:
    """A retired overlay held in bit (60xx,0102) of every stored pixel."""
    position = _int(_value(ds, spec.group, 0x0102))
    arr = _native(arr)
    if arr.ndim != 2 or arr.dtype.kind not in "iu" or not 0 <= position < 8 * arr.dtype.itemsize:
        return np.zeros(grid or arr.shape[:2], dtype=np.uint8)
    top, left = _origin(ds, spec.group)
    canvas, first, last = _canvas(arr.shape, top, left, grid)
    bits = ((_keys(arr[first:max(last, first)]) >> position) & 1).astype(np.uint8)
    return _draw(canvas, bits, top + first, left)


def _mask_unused_bits(arr: np.ndarray, ds: Dataset) -> np.ndarray:
    """What pydicom's correct_unused_bits does (kept off to read embedded overlays first):
    drop the bits above Bits Stored, sign-extending signed values."""
    arr = _native(arr)
    stored = _int(ds.get("BitsStored"))
    width = 8 * arr.dtype.itemsize
    if arr.dtype.kind not in "iu" or not 0 < stored < width:
        return arr
    shift = width - stored
    arr = arr.copy()
    np.left_shift(arr, shift, out=arr)
    np.right_shift(arr, shift, out=arr)
    return arr


# --- icon -----------------------------------------------------------------------------------------

def _icon_frames(ds: Dataset) -> Iterator[DisplayFrame]:
    """The Icon Image Sequence thumbnail, on its own grid, encoded like its parent image."""
    sequence = ds.get("IconImageSequence")
    if not sequence:
        return
    item = sequence[0]
    if not any(keyword in item for keyword in PIXEL_KEYWORDS):
        return
    uid = _icon_syntax(item, _declared_syntax(ds) or _read_syntax(ds))
    decoder = _decoder(uid)
    with _translated(uid), _quiet():
        arr, _ = decoder.as_array(item, index=0, number_of_frames=1)
    yield DisplayFrame(0, _Display(item, uid.is_little_endian).render(arr, 0), "icon")

