"""Synthetic images for the display tests: a ramp with a rectangle a person sees as white
(the "burned-in text"), wrapped in a data set of any bit depth, sign, photometric
interpretation and encoding, and the check that the rectangle alone is shown brightest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import new_dataset, write_dicom
from pydicom.dataset import Dataset
from pydicom.pixels import get_encoder
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, JPEG2000Lossless, JPEGLSLossless, RLELossless

from phidetect.dicom.reader import read_dicom

ROWS, COLUMNS = 48, 64
TEXT = (slice(30, 38), slice(12, 44))  # the "burned-in text" rectangle of the synthetic images
BRIGHT = 250


def stored_range(bits: int, signed: bool) -> tuple[int, int]:
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


def text_image(bits: int, signed: bool, mono1: bool, *, text_at: tuple[slice, slice] = TEXT,
                rows: int = ROWS, columns: int = COLUMNS) -> np.ndarray:
    """A background ramp over part of the stored range and a rectangle at the extreme that a
    person sees as white (the highest value, or the lowest for MONOCHROME1)."""
    low, high = stored_range(bits, signed)
    span = high - low
    start, stop = (0.40, 0.95) if mono1 else (0.05, 0.60)
    ramp = low + span * np.linspace(start, stop, rows * columns).reshape(rows, columns)
    arr = np.rint(ramp).astype(np.int64)
    arr[text_at] = low if mono1 else high
    dtype = np.dtype(f"{'i' if signed else 'u'}{1 if bits <= 8 else 2}")
    return arr.astype(dtype)


def grey_dataset(arr: np.ndarray, bits: int, signed: bool, mono1: bool, *, frames: int = 1,
                  transfer_syntax: str = ExplicitVRLittleEndian) -> Dataset:
    ds = new_dataset(transfer_syntax, Rows=arr.shape[-2], Columns=arr.shape[-1], SamplesPerPixel=1,
                     PhotometricInterpretation="MONOCHROME1" if mono1 else "MONOCHROME2",
                     BitsAllocated=8 * arr.dtype.itemsize, BitsStored=bits, HighBit=bits - 1,
                     PixelRepresentation=int(signed))
    if frames > 1:
        ds.NumberOfFrames = frames
    big = transfer_syntax == ExplicitVRBigEndian
    if big:
        ds.set_original_encoding(False, False)
    ds.PixelData = arr.astype(arr.dtype.newbyteorder(">" if big else "<")).tobytes()
    return ds


def add_transform(ds: Dataset, transform: str, bits: int, signed: bool) -> None:
    """Rescale and/or a window (or a VOI LUT) that spans the whole rescaled range."""
    low, high = stored_range(bits, signed)
    slope, intercept = (2.0, -100.0) if "rescale" in transform else (1.0, 0.0)
    if "rescale" in transform:
        ds.RescaleSlope, ds.RescaleIntercept = slope, intercept
    out_low, out_high = low * slope + intercept, high * slope + intercept
    if "window" in transform:
        ds.WindowCenter = [(out_low + out_high) / 2, 40]  # the first of several windows applies
        ds.WindowWidth = [out_high - out_low + 1, 80]
    if transform == "voilut":
        item = Dataset()
        entries = high - low + 1
        item.LUTDescriptor = [entries if entries < 65536 else 0, low, 16]
        ramp = np.linspace(0, 65535, entries).astype(np.uint16)
        item.LUTData = ramp.astype("<u2").tobytes() if entries > 4096 else ramp.tolist()
        item["LUTDescriptor"].VR = "SS" if signed else "US"
        item["LUTData"].VR = "OW" if entries > 4096 else "US"  # both encodings of LUT Data
        ds.VOILUTSequence = Sequence([item])


def encode(ds: Dataset, encoding: str) -> Dataset:
    if encoding == "native":
        return ds
    uid = {"rle": RLELossless, "j2k": JPEG2000Lossless, "jls": JPEGLSLossless}[encoding]
    if not get_encoder(uid).is_available:
        pytest.skip(f"no {uid.name} encoder installed")
    ds.compress(uid)
    return ds


def round_trip(ds: Dataset, tmp_path: Path) -> Dataset:
    """Written to disk and read back the way the scanner reads files."""
    return read_dicom(write_dicom(tmp_path / "synthetic.dcm", ds), headers_only=False)


def assert_text_is_brightest(image: np.ndarray, text_at: tuple[slice, slice] = TEXT) -> None:
    """The rectangle, and nothing else, is shown white: the bright pixels' bounding box is it."""
    grey = image if image.ndim == 2 else image.min(axis=2)
    bright = np.argwhere(grey >= BRIGHT)
    assert bright.size, "nothing is bright"
    (top, left), (bottom, right) = bright.min(axis=0), bright.max(axis=0)
    assert (top, bottom + 1, left, right + 1) == (text_at[0].start, text_at[0].stop,
                                                 text_at[1].start, text_at[1].stop)
    assert (grey[text_at] >= BRIGHT).all()
