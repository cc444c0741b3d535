"""Colour: RGB and Palette Color frames to uint8, and DisplayPipeline, which renders a decoded
frame of one image (the main one or the icon) as colour or, through grey, as greyscale."""

from __future__ import annotations

import numpy as np
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.pixels.processing import apply_color_lut

from phidetect.dicom.pixels.decoding import is_little_endian, quiet_decoders
from phidetect.dicom.pixels.grey import (
    LUT_ERRORS,
    GreyTable,
    Transforms,
    frame_transforms,
    grey_direct,
    scale_to_uint8,
    stretch_to_uint8,
)
from phidetect.dicom.pixels.values import as_int, every_value, native_order, table_keys, tabulable

#: Red, Green, Blue, Alpha Palette Color Lookup Table Data
_PALETTE_DATA = (0x00281201, 0x00281202, 0x00281203, 0x00281204)


def _colour_to_uint8(arr: np.ndarray, bits_stored: int) -> np.ndarray:
    """RGB samples of any depth to 8 bits by their stored range (no windowing for colour)."""
    if arr.dtype == np.uint8:
        return arr
    if arr.dtype.kind == "f":
        return stretch_to_uint8(arr, arr[np.isfinite(arr)])
    bits = bits_stored if 0 < bits_stored <= 8 * arr.dtype.itemsize else 8 * arr.dtype.itemsize
    low = -(2.0 ** (bits - 1)) if arr.dtype.kind == "i" else 0.0
    return scale_to_uint8(arr, low, low + 2.0**bits - 1)


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
        with quiet_decoders():
            rgb = apply_color_lut(every_value(dtype), _palette_source(ds, little_endian))[..., :3]
    except LUT_ERRORS:
        return None
    if rgb.dtype == np.uint8:
        return rgb
    nominal = as_int(ds.RedPaletteColorLookupTableDescriptor[2], 16)
    if nominal <= 8 or rgb.max() <= 255:  # 8-bit entries stored in 16-bit words
        return np.clip(rgb, 0, 255).astype(np.uint8)
    return scale_to_uint8(rgb, 0, 65535)


class DisplayPipeline:
    """Decoded frames of one image (the main one or the icon) to display images: modality and
    VOI transforms, MONOCHROME1, palette or colour, each tabulated once per image. Public
    because redaction asks it which stored value displays darkest."""

    def __init__(self, ds: Dataset, little_endian: bool | None = None) -> None:
        self.ds = ds
        self.pi = str(ds.get("PhotometricInterpretation", "") or "").strip().upper()
        self.bits_stored = as_int(ds.get("BitsStored"))
        if little_endian is None:
            little_endian = is_little_endian(ds)
        self.little_endian = little_endian
        self.per_frame = "PerFrameFunctionalGroupsSequence" in ds
        self._transforms: dict[int, Transforms] = {}
        self._tables: dict[tuple, GreyTable] = {}
        self._palettes: dict[str, np.ndarray | None] = {}

    def render(self, arr: np.ndarray, index: int) -> np.ndarray:
        """Frame ``index`` as uint8, grey or RGB, on its stored grid."""
        arr = native_order(arr)
        if arr.ndim == 3:
            if arr.shape[-1] == 1:
                arr = arr[..., 0]
            else:  # pydicom has already turned YBR_FULL / YBR_FULL_422 into RGB (as_rgb)
                return _colour_to_uint8(arr[..., :3], self.bits_stored)
        if self.pi == "PALETTE COLOR" and tabulable(arr):
            table = self._palette(arr.dtype)
            if table is not None:
                return table[table_keys(arr)]
        return self._grey(arr, index)

    def _palette(self, dtype: np.dtype) -> np.ndarray | None:
        if dtype.str not in self._palettes:
            self._palettes[dtype.str] = _palette_table(self.ds, dtype, self.little_endian)
        return self._palettes[dtype.str]

    def _grey(self, arr: np.ndarray, index: int) -> np.ndarray:
        slot = index if self.per_frame else 0
        transforms = self._transforms.get(slot)
        if transforms is None:
            transforms = self._transforms[slot] = frame_transforms(self.ds, index, self.little_endian)
        mono1 = self.pi == "MONOCHROME1"
        if arr.dtype == np.bool_:
            arr = arr.view(np.uint8)
        if not tabulable(arr):
            return grey_direct(arr, transforms, mono1)
        key = (transforms.key, arr.dtype.str)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = GreyTable(transforms, arr.dtype, mono1)
        return table.apply(arr)
