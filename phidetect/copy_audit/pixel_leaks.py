"""Is an original's burned-in PHI still readable in its copy?

Each box of the original (a pixel finding: frame, x, y, width, height) is compared with the
same region of the same frame of the copy, both as a viewer displays them
(phidetect.dicom.pixels.display_image: decompressed, YBR shown as RGB, windowed), so a
decompressed or colour-converted copy is compared by what it shows. A region whose
display is the same within UNCHANGED_LEVEL grey levels (lossy re-compression moves a few)
is leaked, "pixels unchanged"; a blanked region (dark or uniform, the redaction
measurement's criterion) is removed; a region changed otherwise is read again with OCR
where OCR is on, and leaked only if the PHI text is still read there. A copy whose frames
have another shape or count cannot be compared box for box: its boxes are reported as
unchecked, with the two geometries, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydicom.dataset import Dataset

from phidetect.copy_audit.header_leaks import folded
from phidetect.dicom.pixels import display_image, frame_count
from phidetect.measure.pixel_residue import blanked

#: Mean absolute difference (of 255) under which a box counts as unchanged.
UNCHANGED_LEVEL = 4.0

#: Reads the text in a crop (display pixels) and returns it; None when OCR is off.
CropReader = Callable[[np.ndarray], str]


class Status:
    LEAKED = "leaked"
    KEPT = "kept"
    REMOVED = "removed"
    UNCHECKED = "unchecked"


@dataclass(frozen=True)
class Box:
    frame: int
    x: int
    y: int
    width: int
    height: int
    text: str


@dataclass(frozen=True)
class BoxVerdict:
    status: str
    evidence: str


class FrameCache:
    """Display frames of one file, decoded once each."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._frames: dict[int, np.ndarray] = {}
        self.count = frame_count(dataset) if "PixelData" in dataset else 0

    def get(self, frame: int) -> np.ndarray:
        if frame not in self._frames:
            self._frames[frame] = display_image(self.dataset, frame)
        return self._frames[frame]

    def shape(self) -> tuple[int, int]:
        return int(self.dataset.get("Rows", 0) or 0), int(self.dataset.get("Columns", 0) or 0)


def geometry_problem(original: FrameCache, copy: FrameCache) -> str:
    """Why the two files' frames cannot be compared box for box ("" when they can)."""
    if copy.count == 0:
        return "the copy has no pixel data"
    if original.shape() != copy.shape():
        (r0, c0), (r1, c1) = original.shape(), copy.shape()
        return f"frame size differs ({c0}x{r0} -> {c1}x{r1}): not compared box for box"
    if original.count != copy.count:
        return f"frame count differs ({original.count} -> {copy.count}): not compared box for box"
    return ""


def judge_box(box: Box, original: FrameCache, copy: FrameCache, read_text: CropReader | None) -> BoxVerdict:
    """The verdict of one box (see the module docstring)."""
    problem = geometry_problem(original, copy)
    if problem:
        return BoxVerdict(Status.REMOVED if copy.count == 0 else Status.UNCHECKED, problem)
    try:
        before, after = _grey(original.get(box.frame)), _grey(copy.get(box.frame))
    except Exception as exc:  # a copy whose pixels no longer decode
        return BoxVerdict(Status.UNCHECKED, f"frame {box.frame} could not be decoded: {exc}")
    top, left = max(box.y, 0), max(box.x, 0)
    region = (slice(top, max(top, box.y + box.height)), slice(left, max(left, box.x + box.width)))
    a, b = before[region], after[region]
    if a.size == 0:
        return BoxVerdict(Status.UNCHECKED, "the box lies outside the frame")
    change = float(np.mean(np.abs(a - b)))
    if change <= UNCHANGED_LEVEL:
        return BoxVerdict(Status.LEAKED, f"pixels unchanged (mean difference {change:.1f} of 255)")
    if blanked(copy.get(box.frame), box.x, box.y, box.width, box.height):
        return BoxVerdict(Status.REMOVED, "blanked")
    if read_text is None:
        return BoxVerdict(Status.REMOVED, f"pixels changed (mean difference {change:.1f}); not read again: OCR off")
    read = read_text(_crop(copy.get(box.frame), box))
    needle = folded(box.text)
    if needle and needle in folded(read):
        return BoxVerdict(Status.LEAKED, f"pixels changed but the text is still read there: {read!r}")
    return BoxVerdict(Status.REMOVED, f"pixels changed; OCR reads {read!r} there")


def _grey(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float32).mean(axis=2) if image.ndim == 3 else image.astype(np.float32)


def _crop(image: np.ndarray, box: Box, margin: int = 4) -> np.ndarray:
    top, left = max(box.y - margin, 0), max(box.x - margin, 0)
    return image[top:box.y + box.height + margin, left:box.x + box.width + margin]
