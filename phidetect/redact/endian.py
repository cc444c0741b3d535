"""Big endian input to little endian output.

pydicom will not write a data set read as big endian in another byte order, and the
retired Explicit VR Big Endian syntax is best not propagated. Every element is
converted from its raw bytes while the data set still knows the byte order it was read
in, binary word values (OW, OF, OL, OD, OV) are swapped, and the data set then says it
is little endian. Pixel data is left to the pixel step, which writes it little endian.
"""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian

_WORD_SIZES = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
_PIXEL_TAGS = {0x7FE00010, 0x7FE00008, 0x7FE00009}


def is_big_endian(ds: Dataset) -> bool:
    meta = getattr(ds, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    if syntax is not None and syntax.is_transfer_syntax:
        return not syntax.is_little_endian
    return ds.original_encoding[1] is False


def _swap(value: bytes, size: int) -> bytes:
    usable = len(value) - len(value) % size
    words = np.frombuffer(value[:usable], dtype=f">u{size}")
    return words.astype(f"<u{size}").tobytes() + value[usable:]


def _convert(ds: Dataset) -> None:
    for tag in list(ds.keys()):
        elem = ds[tag]  # parsed now, in the byte order the data set was read in
        if elem.VR == "SQ":
            for item in elem.value or []:
                _convert(item)
                item.set_original_encoding(False, True)
        elif int(tag) not in _PIXEL_TAGS and elem.VR in _WORD_SIZES and isinstance(elem.value, bytes):
            elem.value = _swap(elem.value, _WORD_SIZES[elem.VR])


def to_little_endian(ds: Dataset) -> None:
    """Convert ``ds`` in place; its pixel data must already be little endian (or absent)."""
    _convert(ds)
    ds.set_original_encoding(False, True)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
