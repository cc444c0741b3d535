"""The vocabulary of burned-in text blanking: why a box is filled, the box with its
reason, and the thresholds that decide it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from phidetect.geometry import FrameBox


class Reason(Enum):
    """Why a redactor fills a box beyond the PHI words (the boxes table's ``reason``)."""

    LINE_HOLDS_PHI = "line holds PHI"
    READ_UNSURELY = "read too unsurely to judge"
    READ_IN_PART = "line read only in part"
    REGION_NOT_READ = "text region not read"
    STACKED = "stacked with unsafe text"
    CONTINUES_PHI_LINE = "continues a line holding PHI"
    #: a full-range candidate read surely: carried until admitted for another reason
    READ_SURELY = "read surely"


@dataclass(frozen=True)
class UnsafeBox:
    """Burned-in text a redactor should blank although no rule found PHI words in it, or
    more of it than the PHI words."""

    box: FrameBox
    reason: Reason

    def because(self, reason: Reason) -> UnsafeBox:
        return UnsafeBox(self.box, reason)


@dataclass(frozen=True)
class BlankingParameters:
    """Tuned thresholds of the blanking policy, with the values they were measured at.

    ``sure_read``: easyocr and tesseract give garbled reads of small or blurred text
    confidences well below this (0.0-0.4 on synthetic 5-9 px text), clean reads 0.5-1.0.
    ``max_line_height``: taller than this, an unsurely read "line" is anatomy or a graphic
    (overlay text runs 5-40 px; a 32 px font gives ~40-50 px line boxes).
    ``min_unsure_chars``: an unsure read of fewer characters is a glyph-like edge of the
    anatomy or a sliver of a line already read far more often than text.
    ``small_line_height`` and ``wide_line``: a line at most that tall and this many times
    as wide as tall holds several glyphs, however few OCR read in it.
    ``line_pad``: boxes are padded by this share of their height (at least ``min_pad``
    pixels): italic and anti-aliased glyphs overhang an OCR box more as fonts grow.
    ``full_range_growth``: in the full-range view a line holding PHI follows its ink by at
    most this many line heights (further out, stretched anatomy reads as ink).
    ``unread_heights``: a read line whose ink runs on unread this many line heights was
    read only in part. ``align_heights``: a line holding PHI is carried to the edge of a
    line stacked with it by at most this many line heights. ``stack_heights``: lines of
    one block differ in height by at most this factor. ``same_place``: share of a box that
    other boxes of a frame must cover for it to be found there again. ``recur_share``:
    share of a cine's frames in which unsure or unread text must be found at one place.
    """

    sure_read: float = 0.5
    max_line_height: int = 64
    min_unsure_chars: int = 3
    small_line_height: int = 12
    wide_line: float = 2.5
    line_pad: float = 0.25
    min_pad: int = 2
    full_range_growth: float = 2.0
    unread_heights: float = 1.5
    align_heights: float = 5.0
    stack_heights: float = 1.5
    same_place: float = 0.8
    recur_share: float = 0.25
