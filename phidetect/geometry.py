"""Box arithmetic shared by detection, redaction and evaluation: boxes are (x, y, width,
height) in image pixels, origin top-left."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import NamedTuple

import numpy as np

from phidetect.planes import Plane

#: (x, y, width, height): the one box type of the package.
Box = tuple[int, int, int, int]


class AllFrames(Enum):
    """The one value that means "every frame of the image" (a cine's banner is filled in
    each of them). Tables write it as frame -1; a finding with no frame at all (a tag
    finding) is :data:`NO_FRAME` there, a different thing."""

    ALL = "all frames"


#: Every frame (see :class:`AllFrames`).
ALL_FRAMES = AllFrames.ALL
#: The findings table's frame of a tag finding: it has no frame.
NO_FRAME = -1
#: How tables (boxes, truth) write :data:`ALL_FRAMES`.
ALL_FRAMES_IN_TABLES = -1


class FrameBox(NamedTuple):
    """A box in one frame (or every frame) of one plane: what a redactor fills."""

    frame: int | AllFrames
    x: int
    y: int
    width: int
    height: int
    plane: Plane = Plane.IMAGE

    @property
    def box(self) -> Box:
        return self.x, self.y, self.width, self.height

    @property
    def table_frame(self) -> int:
        """The frame as tables write it (-1 for every frame)."""
        return ALL_FRAMES_IN_TABLES if self.frame is ALL_FRAMES else int(self.frame)

    def applies_to(self, frame: int) -> bool:
        return self.frame is ALL_FRAMES or self.frame == frame

    def bounds(self, rows: int, columns: int, margin: int) -> tuple[int, int, int, int] | None:
        """(top, bottom, left, right) grown by ``margin`` and clipped to the image; None if
        empty. A width or height of 0 or less reaches the image's edge."""
        left = max(0, self.x) - margin
        top = max(0, self.y) - margin
        right = columns if self.width <= 0 else max(0, self.x) + self.width + margin
        bottom = rows if self.height <= 0 else max(0, self.y) + self.height + margin
        top, bottom = max(0, top), min(rows, bottom)
        left, right = max(0, left), min(columns, right)
        return (top, bottom, left, right) if bottom > top and right > left else None


def frame_from_table(value: object) -> int | AllFrames:
    """A table's frame number as a FrameBox frame (-1: every frame)."""
    number = int(value)
    return ALL_FRAMES if number == ALL_FRAMES_IN_TABLES else number


def padded(box: Box, shape: tuple[int, ...], margin: int) -> Box:
    """``box`` grown by ``margin`` on each side, clipped to an image of ``shape``."""
    x, y, w, h = box
    x0, y0 = max(0, x - margin), max(0, y - margin)
    x1, y1 = min(shape[1], x + w + margin), min(shape[0], y + h + margin)
    return x0, y0, x1 - x0, y1 - y0


def union_box(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all ``boxes``."""
    boxes = list(boxes)
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return x0, y0, x1 - x0, y1 - y0


def centre_in(inner: Box, outer: Box) -> bool:
    """Whether the centre of ``inner`` lies in ``outer``."""
    x, y, w, h = outer
    cx, cy = inner[0] + inner[2] / 2, inner[1] + inner[3] / 2
    return x <= cx <= x + w and y <= cy <= y + h


def covered_share(box: Box, others: Iterable[Box]) -> float:
    """Share of ``box``'s area covered by the union of ``others`` (0 for an empty box).
    A mask, not a sum of overlaps: overlapping others are not counted twice."""
    x, y, w, h = (int(v) for v in box)
    if w <= 0 or h <= 0:
        return 0.0
    mask = np.zeros((h, w), dtype=bool)  # boxes here are text lines: small masks
    for ox, oy, ow, oh in others:
        c0, c1 = max(int(ox) - x, 0), min(int(ox) + int(ow) - x, w)
        r0, r1 = max(int(oy) - y, 0), min(int(oy) + int(oh) - y, h)
        if c1 > c0 and r1 > r0:
            mask[r0:r1, c0:c1] = True
    return float(mask.mean())


def overlap_ratio(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (0 when either is empty)."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0
