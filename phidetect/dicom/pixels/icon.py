"""Icon: the Icon Image Sequence thumbnail, decoded like its parent image."""

from __future__ import annotations

from collections.abc import Iterator

from pydicom.dataset import Dataset

from phidetect.dicom.pixels.base import PIXEL_KEYWORDS, DisplayFrame
from phidetect.dicom.pixels.colour import _Display
from phidetect.dicom.pixels.decoding import _declared_syntax, _decoder, _icon_syntax, _quiet, _read_syntax, _translated


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

