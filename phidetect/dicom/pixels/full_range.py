"""A second view of a greyscale image for OCR: every stored value made visible.

A viewer shows 10-16-bit images through a window, and text burned in at a value the
window clips (grey letters on bright bone, white letters just above the window's top)
disappears from the display image OCR reads, while another window, or another viewer,
shows it. This view maps every stored value, minimum to maximum, onto 0-255 and then
equalises contrast tile by tile (OpenCV's CLAHE), so two values close together in a
bright or dark region (letters on bone) come apart and such text stands out again.
"""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset

from phidetect.dicom.pixels.base import DisplayFrame
from phidetect.dicom.pixels.decoding import (
    decode_errors,
    decode_options,
    decoder_for,
    number_of_frames,
    quiet_decoders,
    transfer_syntax,
)
from phidetect.dicom.pixels.guards import check_pixel_data
from phidetect.dicom.pixels.overlays import mask_unused_bits, overlay_specs
from phidetect.dicom.pixels.values import as_int
from phidetect.planes import Plane, View

#: Images with at most this many bits show every stored value in any display already.
DISPLAY_BITS = 8
#: OpenCV CLAHE: contrast limit and tiles per side; moderate, so noise is not blown up.
CLAHE_CLIP = 3.0
CLAHE_TILES = 8


def has_hidden_range(ds: Dataset) -> bool:
    """Greyscale pixel data with more stored bits than a display shows at once."""
    photometric = str(ds.get("PhotometricInterpretation", "") or "").strip().upper()
    return photometric in ("MONOCHROME1", "MONOCHROME2") and as_int(ds.get("BitsStored")) > DISPLAY_BITS \
        and "PixelData" in ds


def full_range_frame(ds: Dataset, frame: int = 0) -> DisplayFrame | None:
    """Frame ``frame`` of ``ds`` as the full-range view (uint8, the stored grid), or None
    when the image holds nothing a display could hide (colour, 8-bit) or is flat."""
    import cv2  # the ocr extra

    if not has_hidden_range(ds):
        return None
    syntax = transfer_syntax(ds)
    check_pixel_data(ds, syntax)
    embedded = any(spec.embedded for spec in overlay_specs(ds))
    with decode_errors(syntax), quiet_decoders():
        arr, _ = decoder_for(syntax).as_array(ds, index=frame, **decode_options(ds, number_of_frames(ds), raw_bits=embedded))
    if embedded:
        arr = mask_unused_bits(arr, ds)
    values = np.asarray(arr)
    if values.ndim != 2 or values.dtype.kind not in "iuf":
        return None
    low, high = float(values.min()), float(values.max())
    if not high > low:
        return None
    # every stored value kept (no percentile clipping: burned-in text is often the very
    # brightest or darkest value), then each tile's histogram equalised so values close
    # together in a bright or dark region (letters on bone) come apart
    stretched = ((values.astype(np.float32) - low) * (255.0 / (high - low))).astype(np.uint8)
    equalised = cv2.createCLAHE(clipLimit=CLAHE_CLIP, tileGridSize=(CLAHE_TILES, CLAHE_TILES)).apply(stretched)
    return DisplayFrame(frame, equalised, Plane.IMAGE, View.FULL_RANGE)
