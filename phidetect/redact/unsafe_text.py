"""What a redactor blanks beyond the PHI words, from the reading stage's records: the
whole line holding PHI (OCR may have read only part of it), lines read too unsurely to
judge or only in part, and text regions OCR read nothing in — in a cine only where that
text is steady through the frames and recurs.

:class:`UnsafeTextCollector` takes a file's FrameReads one by one (with the lines
detection found PHI in) and gives the boxes with their reasons at the end.
"""

from __future__ import annotations

import numpy as np

from phidetect.geometry import ALL_FRAMES, Box, FrameBox, centre_in, padded
from phidetect.ocr.engine import OcrLine
from phidetect.ocr.ink_extent import widen_to_ink
from phidetect.ocr.textness import to_gray
from phidetect.pixel_reading.records import FrameRead, LineRef
from phidetect.pixel_reading.static import StaticReference
from phidetect.planes import Plane, View
from phidetect.redact.blanking import BlankingParameters, Reason, UnsafeBox
from phidetect.redact.text_blocks import followed_in_full_range, recurring, stacked_with_unsafe
from phidetect.text.ocr_tolerant import is_technical_line


def _line_box(line: OcrLine) -> Box:
    return line.x, line.y, line.width, line.height


def _line_extent(line: OcrLine, region: Box | None) -> Box:
    """The line's box widened to its text region's left and right edges (a region is one
    line of text; OCR may have read only part of it) and to the region's height when the
    region holds just this line."""
    x, y, w, h = _line_box(line)
    if region is None:
        return x, y, w, h
    rx, ry, rw, rh = region
    left, right = min(x, rx), max(x + w, rx + rw)
    top, bottom = (min(y, ry), max(y + h, ry + rh)) if rh <= 2 * h else (y, y + h)
    return left, top, right - left, bottom - top


def _chars(text: str) -> int:
    return len("".join(text.split()))


def _may_be_text(line: OcrLine, extent: Box, p: BlankingParameters) -> bool:
    """Whether an unsurely read line looks like text rather than anatomy (a read of a
    character or two over small, wide type counts: OCR could not take it apart) and is
    not a technical setting."""
    chars = _chars(line.text)
    small_type = extent[3] <= p.small_line_height and extent[2] >= p.wide_line * extent[3]
    many = chars >= p.min_unsure_chars or (chars >= 1 and small_type)
    return many and extent[3] <= p.max_line_height and not is_technical_line(line.text)


def _read_in_part(gray: np.ndarray, line: OcrLine, read: list[OcrLine], p: BlankingParameters) -> bool:
    """Whether the ink of ``line``'s row runs on for ``unread_heights`` line heights or
    more where no line was read: OCR read a fragment ("nn Krar" of "St. Aumann
    Krankenhaus"), and what it did not read cannot be shown free of PHI."""
    if line.height > p.max_line_height or _chars(line.text) < p.min_unsure_chars:
        return False
    x, y, w, h = widen_to_ink(gray, _line_box(line))
    unread = np.ones(w, dtype=bool)
    for other in read:
        if min(other.y + other.height, y + h) - max(other.y, y) >= h / 2:   # the same row
            unread[max(0, other.x - x):max(0, other.x + other.width - x)] = False
    runs = np.diff(np.flatnonzero(np.diff(np.concatenate(([0], unread.astype(np.int8), [0])))))[::2]
    return bool(runs.size) and int(runs.max()) >= p.unread_heights * h


def _aligned_to_block(box: Box, line: OcrLine, read: list[OcrLine], p: BlankingParameters) -> Box:
    """``box`` of a line holding PHI carried to the left (right) edge of a line stacked
    directly above or below it that starts further left (ends further right), by at most
    ``align_heights`` line heights: a corner block's lines share their left or right edge,
    and both OCR and the ink lose a line's start where it crosses bright anatomy."""
    x, y, w, h = box
    left, right, reach = x, x + w, p.align_heights * line.height
    for other in read:
        if other is line or not 0.5 <= other.height / line.height <= 2:
            continue
        gap = max(other.y - (line.y + line.height), line.y - (other.y + other.height))
        if not -line.height / 2 < gap <= line.height:   # stacked: not the same row, not far
            continue
        if x - reach <= other.x < left:
            left = other.x
        if right < other.x + other.width <= x + w + reach:
            right = other.x + other.width
    return left, y, right - left, h


class _FrameBlanking:
    """The unsafe text of one FrameRead (see the module docstring)."""

    def __init__(self, read: FrameRead, static: StaticReference | None, p: BlankingParameters) -> None:
        self.frame, self.static, self.p = read, static, p
        # a contrast-stretched view makes anatomy look like text: there, PHI lines only
        self.looks = read.view is not View.FULL_RANGE
        self.read = read.read_lines()
        self._gray: np.ndarray | None = None

    def gray(self) -> np.ndarray:
        if self._gray is None:
            self._gray = to_gray(self.frame.image)
        return self._gray

    def box(self, box: Box, reason: Reason, line: OcrLine | None = None) -> UnsafeBox:
        if self.looks:
            box = widen_to_ink(self.gray(), box)
        elif reason is Reason.LINE_HOLDS_PHI:
            box = widen_to_ink(self.gray(), box, self.p.full_range_growth)
        if line is not None and reason is Reason.LINE_HOLDS_PHI:
            box = _aligned_to_block(box, line, self.read, self.p)
        x, y, w, h = padded(box, self.frame.image.shape, max(self.p.min_pad, round(self.p.line_pad * box[3])))
        return UnsafeBox(FrameBox(self.frame.frame, x, y, w, h, self.frame.plane), reason)

    def steady(self, box: Box) -> bool:
        """Steady text, or text over a place that is plain background in most frames (shown
        on a few frames only; :func:`recurring` still asks for it in a quarter of them)."""
        static = self.static
        if static is None or self.frame.plane is not Plane.IMAGE or not static.fits(self.frame.image):
            return True
        around = padded(box, self.frame.image.shape, self.p.min_pad)
        return static.steady(around) or static.plain(around)

    def collect(self, phi_lines: frozenset[LineRef]) -> tuple[list[UnsafeBox], list[UnsafeBox]]:
        """(unsafe text, full-range candidates that count only next to unsafe text)."""
        found: list[UnsafeBox] = []
        later: list[UnsafeBox] = []
        p, looks = self.p, self.looks
        for r, region in enumerate(self.frame.regions):
            box = region.box
            if box is not None and box[3] <= p.max_line_height and \
                    not any(centre_in(_line_box(ln), box) for ln in self.read):
                if looks and self.steady(box):
                    found.append(self.box(box, Reason.REGION_NOT_READ))
                elif not looks:
                    later.append(self.box(box, Reason.REGION_NOT_READ))
            for i, line in enumerate(region.lines):
                # the full-range view's regions merge with stretched anatomy: the line's own box there
                extent = _line_extent(line, box) if looks else _line_box(line)
                unsure = line.confidence < p.sure_read and _may_be_text(line, extent, p)
                if (r, i) in phi_lines:
                    found.append(self.box(extent, Reason.LINE_HOLDS_PHI, line))
                elif looks and unsure and self.steady(extent):
                    found.append(self.box(extent, Reason.READ_UNSURELY))
                elif looks and line.text.strip() and _read_in_part(self.gray(), line, self.read, p) \
                        and self.steady(extent):
                    found.append(self.box(extent, Reason.READ_IN_PART))
                elif not looks and unsure:
                    later.append(self.box(extent, Reason.READ_UNSURELY))
                elif not looks and line.text.strip():
                    grown = widen_to_ink(self.gray(), extent, p.full_range_growth)
                    later.append(self.box(grown, Reason.READ_SURELY))
        return found, later


class UnsafeTextCollector:
    """A file's unsafe text, gathered frame by frame (:meth:`add`) and settled at the end
    (:meth:`finish`): display-view PHI lines followed in the full-range view, full-range
    candidates admitted beside unsafe text, a cine's unsure text kept where it recurs."""

    def __init__(self, static: StaticReference | None = None, parameters: BlankingParameters | None = None) -> None:
        self.static = static
        self.p = parameters or BlankingParameters()
        self.collected: list[UnsafeBox] = []
        self.candidates: list[UnsafeBox] = []
        self.full_range: dict[int, np.ndarray] = {}   # grey full-range views, by frame
        self.shown: list[int] = []                    # indices in ``collected`` of display-view PHI lines
        self.image_frames: set[int] = set()

    def add(self, read: FrameRead, phi_lines: frozenset[LineRef]) -> None:
        if read.plane is Plane.IMAGE:
            self.image_frames.add(read.number)
        blanking = _FrameBlanking(read, self.static, self.p)
        found, later = blanking.collect(phi_lines)
        if read.view is View.FULL_RANGE and read.frame is not ALL_FRAMES:
            self.full_range[int(read.frame)] = blanking.gray()
        else:
            self.shown += [len(self.collected) + i for i, item in enumerate(found)
                           if item.reason is Reason.LINE_HOLDS_PHI]
        self.collected += found
        self.candidates += later

    def finish(self) -> list[UnsafeBox]:
        collected = list(self.collected)
        for i in self.shown:
            collected[i] = followed_in_full_range(collected[i], self.full_range, self.p)
        admitted = stacked_with_unsafe(self.candidates, collected, self.p)
        return recurring(collected + admitted, len(self.image_frames), self.p)
