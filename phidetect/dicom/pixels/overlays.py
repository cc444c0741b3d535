"""Overlays: the (60xx,3000) overlay planes and the retired overlays embedded in unused high
bits of the pixel data, drawn as 0/255 on the image grid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from phidetect.dicom.pixels.base import PIXEL_KEYWORDS
from phidetect.dicom.pixels.decoding import is_little_endian
from phidetect.dicom.pixels.values import as_int, native_order, table_keys
from phidetect.geometry import ALL_FRAMES, AllFrames
from phidetect.planes import Plane

#: The repeating overlay groups 6000-601E (even groups only; odd ones are private).
OVERLAY_GROUPS = tuple(range(0x6000, 0x6020, 2))


@dataclass(frozen=True)
class OverlaySpec:
    """One overlay frame: its group, the image frame it applies to (ALL_FRAMES for an overlay
    embedded in every frame's pixel data), its index in the group."""

    group: int
    frame: int | AllFrames
    part: int
    embedded: bool

    @property
    def plane(self) -> Plane:
        return Plane.overlay(self.group)


def overlay_specs(ds: Dataset) -> list[OverlaySpec]:
    """Overlay frames of ``ds``: (60xx,3000) planes, mapped to image frames by Image Frame
    Origin, and the retired overlays embedded in unused high bits of the pixel data."""
    specs = []
    has_pixels = any(keyword in ds for keyword in PIXEL_KEYWORDS)
    for group in OVERLAY_GROUPS:
        if (group, 0x0010) not in ds or (group, 0x0011) not in ds:
            continue
        if (group, 0x3000) in ds:
            frames = _overlay_frames(ds, group)
            origin = max(as_int(_value(ds, group, 0x0051), 1), 1)
            specs += [OverlaySpec(group, origin - 1 + part, part, False) for part in range(frames)]
        elif (has_pixels and as_int(_value(ds, group, 0x0100), 1) > 1
              and (group, 0x0102) in ds and as_int(ds.get("SamplesPerPixel"), 1) == 1):
            specs.append(OverlaySpec(group, ALL_FRAMES, 0, True))  # in every frame's pixel data
    return specs


def _value(ds: Dataset, group: int, element: int) -> Any:
    elem = ds.get((group, element))
    if elem is None:
        return None
    value = elem.value
    if isinstance(value, (MultiValue, list)):
        return value[0] if len(value) else None
    return value


def image_grid(ds: Dataset) -> tuple[int, int] | None:
    """(Rows, Columns) of the stored image, the grid overlays are drawn on; None without one."""
    rows, columns = as_int(ds.get("Rows")), as_int(ds.get("Columns"))
    return (rows, columns) if rows > 0 and columns > 0 else None


def _origin(ds: Dataset, group: int) -> tuple[int, int]:
    """Overlay Origin as a 0-based (row, column); may be negative (above or left of the image)."""
    origin = ds.get((group, 0x0050))
    values = list(origin.value) if origin is not None and isinstance(origin.value, (MultiValue, list)) else []
    return (as_int(values[0], 1) - 1, as_int(values[1], 1) - 1) if len(values) == 2 else (0, 0)


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
    frames = max(as_int(_value(ds, group, 0x0015), 1), 1)
    size = as_int(_value(ds, group, 0x0010)) * as_int(_value(ds, group, 0x0011))
    data = ds[(group, 0x3000)].value or b""
    return min(frames, max(1, -(-len(data) * 8 // size))) if size > 0 else 1


def overlay_plane(ds: Dataset, spec: OverlaySpec, grid: tuple[int, int] | None) -> np.ndarray:
    """One frame of (60xx,3000) Overlay Data on the image grid. Only the rows that fall on the
    grid are unpacked; data too short for them is taken as zeros (a damaged overlay may still
    show text)."""
    group = spec.group
    rows, columns = as_int(_value(ds, group, 0x0010)), as_int(_value(ds, group, 0x0011))
    top, left = _origin(ds, group)
    canvas, first, last = _canvas((max(rows, 0), max(columns, 0)), top, left, grid)
    if rows <= 0 or columns <= 0 or last <= first:
        return canvas
    element = ds[(group, 0x3000)]
    data = element.value or b""
    start = spec.part * rows * columns + first * columns  # first bit drawn
    count = (last - first) * columns
    low, high = start // 8, (start + count + 7) // 8
    if element.VR == "OW" and not is_little_endian(ds):  # big endian words: swap to bytes
        low_word, high_word = low - low % 2, high + high % 2
        chunk = np.frombuffer(data[low_word:high_word], dtype=np.uint8)
        chunk = chunk[: chunk.size // 2 * 2].reshape(-1, 2)[:, ::-1].ravel()[low - low_word:]
    else:
        chunk = np.frombuffer(data[low:high], dtype=np.uint8)
    bits = np.unpackbits(chunk, bitorder="little")[start % 8: start % 8 + count]
    if bits.size < count:
        bits = np.concatenate([bits, np.zeros(count - bits.size, dtype=np.uint8)])
    return _draw(canvas, bits.reshape(last - first, columns), top + first, left)


def embedded_overlay_plane(arr: np.ndarray, spec: OverlaySpec, ds: Dataset, grid: tuple[int, int] | None) -> np.ndarray:
    """A retired overlay held in bit (60xx,0102) of every stored pixel."""
    position = as_int(_value(ds, spec.group, 0x0102))
    arr = native_order(arr)
    if arr.ndim != 2 or arr.dtype.kind not in "iu" or not 0 <= position < 8 * arr.dtype.itemsize:
        return np.zeros(grid or arr.shape[:2], dtype=np.uint8)
    top, left = _origin(ds, spec.group)
    canvas, first, last = _canvas(arr.shape, top, left, grid)
    bits = ((table_keys(arr[first:max(last, first)]) >> position) & 1).astype(np.uint8)
    return _draw(canvas, bits, top + first, left)


def mask_unused_bits(arr: np.ndarray, ds: Dataset) -> np.ndarray:
    """What pydicom's correct_unused_bits does (kept off to read embedded overlays first):
    drop the bits above Bits Stored, sign-extending signed values."""
    arr = native_order(arr)
    stored = as_int(ds.get("BitsStored"))
    width = 8 * arr.dtype.itemsize
    if arr.dtype.kind not in "iu" or not 0 < stored < width:
        return arr
    shift = width - stored
    arr = arr.copy()
    np.left_shift(arr, shift, out=arr)
    np.right_shift(arr, shift, out=arr)
    return arr
