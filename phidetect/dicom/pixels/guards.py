"""What the pixel data declares, checked against what it holds before any decoder sees it.

A decoder believes Rows, Columns, Samples per Pixel, Bits Allocated and Number of Frames:
a 2 KB RLE file declaring 65535 x 65535 pixels made it allocate 12.6 GB, and Bits
Allocated 64 in a JPEG file aborts python-gdcm (the whole process, not one file). These
checks raise :class:`PixelLimitError` (a PixelDecodeError, so the file gets a ``pixel
decode`` error row) for pixel data that is too large for the budget, inconsistent with
the bytes present, or declared in a way no decoder handles.
"""

from __future__ import annotations

import struct

from pydicom.dataset import Dataset
from pydicom.encaps import parse_fragments
from pydicom.uid import UID

from phidetect.dicom.pixels.base import PIXEL_KEYWORDS, PixelDecodeError
from phidetect.dicom.pixels.decoding import _ts_name, number_of_frames
from phidetect.dicom.pixels.values import as_int
from phidetect.limits import DEFAULT_LIMITS, ResourceLimits, size_text

#: PixelLimitError reasons: over the memory budget; declared sizes and the bytes present
#: disagree; a declaration no decoder handles (Bits Allocated 64 in JPEG, 0 rows).
TOO_LARGE, INCONSISTENT, UNSUPPORTED = "too large", "inconsistent", "unsupported"

#: The most bits per sample each compressed family encodes (JPEG and JPEG-LS: 16).
_MAX_BITS = {
    **{f"1.2.840.10008.1.2.4.{n}": 16 for n in (50, 51, 57, 70, 80, 81)},
    **{f"1.2.840.10008.1.2.4.{n}": 32 for n in (90, 91, 92, 93, 110, 111, 112, 201, 202, 203)},
}
RLE = "1.2.840.10008.1.2.5"
#: RLE's best case: a replicate run of 128 bytes costs 2 bytes; at most 15 segments a frame.
RLE_MAX_RATIO, RLE_MAX_SEGMENTS = 64, 15
_ITEM = b"\xfe\xff\x00\xe0"  # (FFFE,E000) little endian


class PixelLimitError(PixelDecodeError):
    """Pixel data refused before decoding; ``reason`` is TOO_LARGE, INCONSISTENT or UNSUPPORTED.
    The message reads like every PixelDecodeError's: "cannot decode <syntax>: <what>"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _label(uid: UID) -> str:
    name = _ts_name(uid)
    return name if name == str(uid) else f"{name} ({uid})"


def _declared(item: Dataset, keyword: str) -> tuple[int, int, int, int]:
    """(rows, columns, samples, bits allocated) as declared; float pixel data has fixed bits."""
    bits = {"FloatPixelData": 32, "DoubleFloatPixelData": 64}.get(keyword) or as_int(item.get("BitsAllocated"), -1)
    return as_int(item.get("Rows"), -1), as_int(item.get("Columns"), -1), \
        as_int(item.get("SamplesPerPixel"), 1), bits


def _fragments(value: bytes) -> int:
    """Fragments in encapsulated pixel data (after its Basic Offset Table)."""
    if len(value) < 8 or value[:4] != _ITEM:
        raise PixelLimitError("encapsulated pixel data does not start with a Basic Offset Table item", INCONSISTENT)
    offset = 8 + struct.unpack("<I", value[4:8])[0]
    try:
        return parse_fragments(value[offset:])[0]
    except Exception as exc:  # pydicom raises ValueError or struct.error on a broken item
        raise PixelLimitError(f"encapsulated pixel data is broken: {exc}", INCONSISTENT) from None


def check_pixel_data(item: Dataset, uid: UID, limits: ResourceLimits = DEFAULT_LIMITS,
                     frames: int | None = None) -> None:
    """Raise PixelLimitError unless ``item``'s pixel data (stored as ``uid``) can be decoded
    within ``limits``: sane declarations, one frame within the memory budget, and the bytes
    (native) or fragments (encapsulated) that the declared frames need. ``frames``: the
    count the caller decodes (default: Number of Frames as pydicom reads it)."""
    try:
        _check(item, uid, limits, frames)
    except PixelLimitError as exc:
        raise PixelLimitError(f"cannot decode {_label(uid)}: {exc}", exc.reason) from None


def _check(item: Dataset, uid: UID, limits: ResourceLimits, frames: int | None) -> None:
    keyword = next((k for k in PIXEL_KEYWORDS if k in item), None)
    if keyword is None:
        return
    rows, columns, samples, bits = _declared(item, keyword)
    count = number_of_frames(item) if frames is None else frames
    for name, value in (("Rows", rows), ("Columns", columns), ("Samples per Pixel", samples)):
        if value < 1:
            told = "no valid" if value < 0 else str(value)
            raise PixelLimitError(f"declares {told} {name}: nothing a decoder can read", UNSUPPORTED)
    if samples > 4:
        raise PixelLimitError(f"declares {samples} samples per pixel (at most 4 exist)", UNSUPPORTED)
    encapsulated = uid.is_transfer_syntax and uid.is_encapsulated
    if not (bits == 1 and not encapsulated) and not (bits % 8 == 0 and 8 <= bits <= 64):
        raise PixelLimitError(f"declares Bits Allocated {bits}: not 1 (native only) or a multiple of 8 up to 64",
                              UNSUPPORTED)
    most = _MAX_BITS.get(str(uid))
    if most is not None and bits > most:
        raise PixelLimitError(f"declares Bits Allocated {bits}; {uid.name} holds at most {most}", UNSUPPORTED)
    if str(uid) == RLE and samples * bits // 8 > RLE_MAX_SEGMENTS:
        raise PixelLimitError(f"declares {samples} sample(s) of {bits} bits: RLE holds at most "
                              f"{RLE_MAX_SEGMENTS} segments a frame", UNSUPPORTED)
    shape = f"{count} frame(s) of {rows} x {columns} x {samples} sample(s) of {bits} bits"
    decoded = rows * columns * samples * max(bits, 8) // 8  # 1-bit frames decode to a byte a pixel
    if decoded > limits.pixel_memory_budget:
        raise PixelLimitError(f"declares {shape} = {size_text(decoded)} a frame; budget "
                              f"{size_text(limits.pixel_memory_budget)}", TOO_LARGE)
    value = item.get_item(keyword).value
    if not isinstance(value, (bytes, bytearray)):
        return  # not read (a header-only read): nothing is decoded from it
    if not encapsulated:
        needed = (count * rows * columns * samples * bits + 7) // 8
        if samples == 3 and str(item.get("PhotometricInterpretation", "")).strip() == "YBR_FULL_422":
            needed = needed // 3 * 2  # two chroma values shared by each pair of pixels
        if len(value) < needed:
            raise PixelLimitError(f"declares {needed:,} bytes of pixel data ({shape}), holds {len(value):,}",
                                  INCONSISTENT)
        return
    fragments = _fragments(value)
    if fragments < count:
        raise PixelLimitError(f"declares {count} frame(s), holds {fragments} fragment(s) of pixel data", INCONSISTENT)
    if str(uid) == RLE and count * decoded > RLE_MAX_RATIO * len(value):
        raise PixelLimitError(f"declares {shape} = {size_text(count * decoded)}; its {len(value):,} bytes of RLE "
                              f"fragments hold at most {size_text(RLE_MAX_RATIO * len(value))}", INCONSISTENT)
