"""Boxes of every text-like line in an image, for the conservative pixel mode.

OCR misses small, faint or blurred text (a miss is a leak); the classical text-region
finder over-reports instead. Blanking every region it finds trades image area for
certainty, the way fixed-region blanking of known scanner layouts does, but without a
per-vendor table. Ultrasound and secondary capture lose little; CT and MR may lose
anatomy edges, so the mode is opt-in.
"""

from __future__ import annotations

from pydicom.dataset import Dataset

from phidetect.dicom.pixels import display_frames
from phidetect.geometry import FrameBox


def text_region_boxes(ds: Dataset) -> list[FrameBox]:
    """One box per text-like region of every image frame (overlays are handled as planes,
    the icon is dropped by the blackout anyway)."""
    from phidetect.ocr.textness import text_regions  # needs OpenCV: the ocr extra

    boxes: list[FrameBox] = []
    for frame in display_frames(ds, overlays=True, icon=False):
        boxes += [FrameBox(frame.frame, x, y, w, h, frame.plane) for x, y, w, h in text_regions(frame.image)]
    return boxes
