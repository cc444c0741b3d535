"""What the reading stage hands to detection and redaction: typed records, one per
plane and view of a frame that was read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from phidetect.geometry import ALL_FRAMES, AllFrames, Box
from phidetect.ocr.engine import OcrLine
from phidetect.planes import Plane, View

#: A line of a FrameRead: (region index, line index).
LineRef = tuple[int, int]


@dataclass(frozen=True)
class RegionRead:
    """The OCR lines read in one text region (``box`` None: the engine's own detector read
    the whole frame). A line shared by overlapping regions belongs to the first only."""

    box: Box | None
    lines: tuple[OcrLine, ...]


@dataclass(frozen=True, eq=False)
class FrameRead:
    """One plane of one frame in one view, with what OCR read in it. ``frame`` is the
    stored frame (for overlays: the image frame they apply to), or ALL_FRAMES for the
    steady view, which stands for every frame of a cine; ``image`` the uint8 view that was
    read (boxes are in its pixel grid)."""

    frame: int | AllFrames
    plane: Plane
    view: View
    image: np.ndarray
    regions: tuple[RegionRead, ...]

    @property
    def number(self) -> int:
        """The frame number findings report (the steady view's text: frame 0)."""
        return 0 if self.frame is ALL_FRAMES else int(self.frame)

    def lines(self) -> Iterator[tuple[LineRef, OcrLine]]:
        """Every line read, with its reference."""
        for r, region in enumerate(self.regions):
            for i, line in enumerate(region.lines):
                yield (r, i), line

    def read_lines(self) -> list[OcrLine]:
        """The lines that hold text."""
        return [line for region in self.regions for line in region.lines if line.text.strip()]
