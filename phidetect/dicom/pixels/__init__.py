"""Stored pixels to what a person would see: uint8 display images for burned-in text OCR.

Every plane that can carry burned-in text (the image frames, the overlay planes, the icon)
comes out as a uint8 image on the stored image's own pixel grid, so a box that OCR finds
is a box in the DICOM's rows and columns. Frames are decoded one at a time with pydicom's
decoders. Greyscale values go through pydicom's modality LUT / rescale and VOI LUT / first
window, evaluated once over every value a frame can store and then applied to each frame
as one table look-up: the result is the same as transforming every pixel, far faster.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from pydicom.dataset import Dataset

from phidetect.dicom.pixels.base import PIXEL_KEYWORDS, DisplayFrame, PixelDecodeError
from phidetect.dicom.pixels.colour import DisplayPipeline
from phidetect.dicom.pixels.decoding import (
    decode_errors,
    decode_options,
    decoder_for,
    iter_decoded,
    number_of_frames,
    quiet_decoders,
    transfer_syntax,
)
from phidetect.dicom.pixels.guards import PixelLimitError, check_pixel_data
from phidetect.dicom.pixels.icon import icon_frames
from phidetect.dicom.pixels.overlays import (
    OverlaySpec,
    embedded_overlay_plane,
    image_grid,
    mask_unused_bits,
    overlay_plane,
    overlay_specs,
)
from phidetect.planes import Plane

__all__ = ["DisplayFrame", "PixelDecodeError", "PixelLimitError", "check_pixel_data", "display_frames",
           "display_image", "frame_count", "icon_frames"]


def frame_count(ds: Dataset) -> int:
    """Image frames stored in ``ds``: 0 without pixel data, else Number of Frames (1 when
    absent or invalid, as pydicom reads it)."""
    if not any(keyword in ds for keyword in PIXEL_KEYWORDS):
        return 0
    return number_of_frames(ds)


def display_frames(ds: Dataset, *, overlays: bool = True, icon: bool = True) -> Iterator[DisplayFrame]:
    """Every plane of ``ds`` as a person would see it, one frame decoded at a time: each image
    frame followed by the overlays that apply to it, then overlays of frames the image does
    not have (or of a data set without pixels), then the icon.

    Pixel data that cannot be decoded raises PixelDecodeError, but only after the overlays
    and the icon have been yielded: text in them is still there to be read."""
    specs = overlay_specs(ds) if overlays else []
    pending: dict[int, list[OverlaySpec]] = {}
    for spec in specs:
        if not spec.embedded:
            pending.setdefault(spec.frame, []).append(spec)
    grid = image_grid(ds)
    failure: PixelDecodeError | None = None
    if frame_count(ds):
        try:
            yield from _image_planes(ds, [spec for spec in specs if spec.embedded], pending, grid)
        except PixelDecodeError as exc:
            failure = exc
    for index in sorted(pending):
        for spec in pending[index]:
            yield DisplayFrame(index, overlay_plane(ds, spec, grid), spec.plane)
    if icon:
        try:
            yield from icon_frames(ds)
        except PixelDecodeError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure


def _image_planes(ds: Dataset, embedded: list[OverlaySpec], pending: dict[int, list[OverlaySpec]],
                  grid: tuple[int, int] | None) -> Iterator[DisplayFrame]:
    """The image frames, each followed by its overlays (taken out of ``pending``)."""
    count = frame_count(ds)
    syntax = transfer_syntax(ds)
    check_pixel_data(ds, syntax, frames=count)
    decoder = decoder_for(syntax)
    display = DisplayPipeline(ds)
    options = decode_options(ds, count, raw_bits=bool(embedded))
    for index, arr in enumerate(iter_decoded(ds, decoder, syntax, options)):
        planes = [(spec, embedded_overlay_plane(arr, spec, ds, grid)) for spec in embedded]
        if embedded:
            arr = mask_unused_bits(arr, ds)
        yield DisplayFrame(index, display.render(arr, index), Plane.IMAGE)
        for spec, plane in planes:
            yield DisplayFrame(index, plane, spec.plane)
        for spec in pending.pop(index, ()):
            yield DisplayFrame(index, overlay_plane(ds, spec, grid), spec.plane)


def display_image(ds: Dataset, frame: int) -> np.ndarray:
    """Image frame ``frame`` (0-based) alone, display-ready, decoding only that frame where the
    transfer syntax allows; IndexError when the data set has no such frame."""
    count = frame_count(ds)
    if not 0 <= frame < count:
        raise IndexError(f"frame {frame} out of range: the data set has {count} image frame(s)")
    syntax = transfer_syntax(ds)
    check_pixel_data(ds, syntax, frames=count)
    decoder = decoder_for(syntax)
    embedded = any(spec.embedded for spec in overlay_specs(ds))
    options = decode_options(ds, count, raw_bits=embedded)
    with decode_errors(syntax), quiet_decoders():
        arr, _ = decoder.as_array(ds, index=frame, **options)
    if embedded:
        arr = mask_unused_bits(arr, ds)
    return DisplayPipeline(ds).render(arr, frame)
