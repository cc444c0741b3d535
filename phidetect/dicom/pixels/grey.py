"""Greyscale: modality LUT / rescale and VOI LUT / window to uint8, tabulated over every
stored value (<= 16 bits) or applied directly (float and 32-bit frames), with a percentile
stretch when the file gives no usable window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.pixels.processing import apply_modality_lut, apply_voi_lut

from phidetect.dicom.pixels.decoding import quiet_decoders
from phidetect.dicom.pixels.values import as_int, as_number, every_value, table_keys

#: Percentiles of the stretch used when the file gives no window (robust to a few hot pixels).
LOW_PERCENTILE, HIGH_PERCENTILE = 0.5, 99.5
_VOI_FUNCTIONS = ("LINEAR", "LINEAR_EXACT", "SIGMOID")
_MAX_STRETCH_SAMPLE = 1 << 20  # pixels a float frame's percentiles are estimated from
#: What pydicom's apply_* raise on a malformed LUT or window (the transform is then skipped).
LUT_ERRORS = (ValueError, TypeError, AttributeError, IndexError, KeyError, NotImplementedError, OverflowError)


@dataclass(frozen=True)
class Transforms:
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
            and as_int(descriptor[2]) > 0)


def frame_transforms(ds: Dataset, index: int, little_endian: bool) -> Transforms:
    """Modality and VOI transforms of frame ``index``: the image's own, overridden by the
    enhanced multi-frame functional groups. Numbers go into the view as FD so pydicom reads
    clean floats and nothing of the caller's data set is changed."""
    view = Dataset()
    view.set_original_encoding(False, little_endian)
    pi = str(ds.get("PhotometricInterpretation", "") or "").strip().upper()
    view.PhotometricInterpretation = "MONOCHROME1" if pi == "MONOCHROME1" else "MONOCHROME2"
    view.add_new(0x00280101, "US", as_int(ds.get("BitsStored"), 0) or as_int(ds.get("BitsAllocated"), 16))
    view.add_new(0x00280103, "US", 1 if as_int(ds.get("PixelRepresentation")) == 1 else 0)

    modality_lut = ds.get("ModalityLUTSequence")
    slope, intercept = as_number(ds.get("RescaleSlope")), as_number(ds.get("RescaleIntercept"))
    voi_lut = ds.get("VOILUTSequence")
    center, width, function = ds.get("WindowCenter"), ds.get("WindowWidth"), ds.get("VOILUTFunction")
    for item in _functional_items(ds, index):
        pixel_values = _first_item(item, "PixelValueTransformationSequence")
        if pixel_values is not None and "RescaleSlope" in pixel_values:
            slope, intercept = as_number(pixel_values.get("RescaleSlope")), as_number(pixel_values.get("RescaleIntercept"))
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
    if voi_lut and _valid_lut(voi_lut[0]) and as_int(voi_lut[0].LUTDescriptor[2]) in (8, *range(10, 17)):
        view["VOILUTSequence"] = DataElement(0x00283010, "SQ", [voi_lut[0]])
        voi = True
        key.append(("vlut", id(voi_lut[0])))
    else:
        center, width = as_number(center), as_number(width)
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
    return Transforms(view, (pi == "MONOCHROME1", *key), modality, voi, bits if small else 0)


def _apply_modality(values: np.ndarray, transforms: Transforms) -> np.ndarray:
    """Rescale or Modality LUT; a LUT pydicom cannot read is skipped (stored values shown)."""
    if not transforms.modality:
        return values
    try:
        with quiet_decoders():
            return apply_modality_lut(values, transforms.view)
    except LUT_ERRORS:
        return values


def _voi_to_uint8(values: np.ndarray, transforms: Transforms) -> np.ndarray | None:
    """uint8 after the VOI LUT or the first window; None when there is none or pydicom
    cannot apply it (the caller stretches instead)."""
    if not transforms.voi:
        return None
    view = transforms.view
    try:
        with quiet_decoders(), np.errstate(over="ignore", invalid="ignore"):
            if "VOILUTSequence" in view:
                item = view.VOILUTSequence[0]
                entries, first = as_int(item.LUTDescriptor[0]) or 65536, as_int(item.LUTDescriptor[1])
                table = apply_voi_lut(np.arange(first, first + entries, dtype=np.int64), view)
                low, high = float(table.min()), float(table.max())
                if values.dtype.kind == "f":
                    values = np.rint(np.nan_to_num(values)).astype(np.int64)
            else:
                low, high = (float(v) for v in apply_voi_lut(np.array([-1e300, 1e300]), view))
            out = apply_voi_lut(values, view)
    except LUT_ERRORS:
        return None
    if high == low:
        return None
    return scale_to_uint8(out, low, high)


def scale_to_uint8(values: np.ndarray, low: float, high: float) -> np.ndarray:
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


class GreyTable:
    """Stored value -> uint8 for one set of transforms of one stored dtype (<= 16 bits)."""

    def __init__(self, transforms: Transforms, dtype: np.dtype, mono1: bool) -> None:
        domain = every_value(dtype)
        self.values = np.asarray(_apply_modality(domain, transforms), dtype=np.float64)
        self.mono1 = mono1
        self.fixed: np.ndarray | None = None
        if transforms.small_bits:
            self.fixed = scale_to_uint8(self.values, 0, 2.0**transforms.small_bits - 1)
        else:
            self.fixed = _voi_to_uint8(self.values, transforms)
        if self.fixed is not None and mono1:
            self.fixed = 255 - self.fixed

    def apply(self, arr: np.ndarray) -> np.ndarray:
        keys = table_keys(arr)
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
        table = np.zeros(len(self.values), dtype=np.uint8) if high == low else scale_to_uint8(self.values, low, high)
        if self.mono1:
            table = 255 - table
        return table[keys]


def grey_direct(arr: np.ndarray, transforms: Transforms, mono1: bool) -> np.ndarray:
    """Float and 32-bit frames: the transforms applied to the pixels themselves."""
    values = np.asarray(_apply_modality(arr, transforms), dtype=np.float64)
    out = _voi_to_uint8(values, transforms)
    finite = values[np.isfinite(values)]
    if out is None or (out.min() == out.max() and finite.size and finite.min() != finite.max()):
        out = stretch_to_uint8(values, finite)
    return 255 - out if mono1 else out


def stretch_to_uint8(values: np.ndarray, finite: np.ndarray) -> np.ndarray:
    """LOW..HIGH percentiles (of at most _MAX_STRETCH_SAMPLE finite values) onto 0..255."""
    if finite.size == 0:
        return np.zeros(values.shape, dtype=np.uint8)
    sample = finite[:: max(1, finite.size // _MAX_STRETCH_SAMPLE)]
    low, high = (float(v) for v in np.percentile(sample, [LOW_PERCENTILE, HIGH_PERCENTILE]))
    if high <= low:
        low, high = float(finite.min()), float(finite.max())
    return np.zeros(values.shape, dtype=np.uint8) if high == low else scale_to_uint8(values, low, high)
