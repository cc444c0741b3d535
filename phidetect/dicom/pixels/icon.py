"""Icon: the Icon Image Sequence thumbnail, decoded like its parent image."""

from __future__ import annotations

from collections.abc import Iterator

from pydicom.dataset import Dataset

from phidetect.dicom.pixels.base import PIXEL_KEYWORDS, DisplayFrame
from phidetect.dicom.pixels.colour import DisplayPipeline
from phidetect.dicom.pixels.decoding import (
    declared_syntax,
    decode_errors,
    decoder_for,
    icon_syntax,
    quiet_decoders,
    read_syntax,
)
from phidetect.dicom.pixels.guards import check_pixel_data
from phidetect.planes import Plane


def icon_frames(ds: Dataset) -> Iterator[DisplayFrame]:
    """The Icon Image Sequence thumbnail, on its own grid, encoded like its parent image;
    public so a caller can read the icon alone without decoding any image frame."""
    sequence = ds.get("IconImageSequence")
    if not sequence:
        return
    item = sequence[0]
    if not any(keyword in item for keyword in PIXEL_KEYWORDS):
        return
    uid = icon_syntax(item, declared_syntax(ds) or read_syntax(ds))
    check_pixel_data(item, uid, frames=1)
    decoder = decoder_for(uid)
    with decode_errors(uid), quiet_decoders():
        arr, _ = decoder.as_array(item, index=0, number_of_frames=1)
    yield DisplayFrame(0, DisplayPipeline(item, uid.is_little_endian).render(arr, 0), Plane.ICON)

