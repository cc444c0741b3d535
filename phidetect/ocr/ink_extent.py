"""Widen a text box along its row to where the line's ink ends.

An OCR box stops where the reader stopped: a truncated read ("MORVAN AS" of
"MORVAN, ASTRID"), or a text region cut short where the text crosses bright anatomy,
leaves the rest of the line on the image. A redactor blanking that line must reach its
real ends, so the box is grown left and right over stroke-like pixels of the same
polarity and contrast as the text inside it, until a gap wider than a word space.
Thresholds: :class:`InkParameters`.
"""

from __future__ import annotations

import cv2
import numpy as np

from phidetect.geometry import Box
from phidetect.ocr.parameters import DEFAULT_INK, InkParameters

__all__ = ["DEFAULT_INK", "InkParameters", "stroke_response", "widen_to_ink"]


def stroke_response(gray: np.ndarray, height: int) -> tuple[np.ndarray, np.ndarray]:
    """(bright strokes, dark strokes): white and black top-hats with a kernel about one
    line high, which keep glyph strokes and drop the slowly varying background."""
    size = max(3, height | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    return cv2.morphologyEx(gray, cv2.MORPH_TOPHAT, kernel), cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel)


def _last_ink(columns: np.ndarray, max_gap: int) -> int:
    """How many leading entries of ``columns`` the line reaches: up to the last ink column
    before a gap longer than ``max_gap``."""
    reached, gap = 0, 0
    for i, ink in enumerate(columns):
        if ink:
            reached, gap = i + 1, 0
        else:
            gap += 1
            if gap > max_gap:
                break
    return reached


def widen_to_ink(gray: np.ndarray, box: Box, max_growth_heights: float | None = None, *,
                 params: InkParameters = DEFAULT_INK) -> Box:
    """``box`` (x, y, w, h) grown left and right to the ends of its line's ink in the uint8
    greyscale ``gray``, by at most ``max_growth_heights`` line heights on each side
    (default: ``params.max_growth_heights``); unchanged when the box shows no strokes."""
    growth = params.max_growth_heights if max_growth_heights is None else max_growth_heights
    x, y, w, h = box
    rows, cols = gray.shape[:2]
    x, y = max(0, x), max(0, y)
    w, h = min(w, cols - x), min(h, rows - y)
    if w <= 0 or h <= 0:
        return box
    reach = int(growth * h) + 1
    left_edge, right_edge = max(0, x - reach), min(cols, x + w + reach)
    top, bottom = max(0, y - h), min(rows, y + 2 * h)   # a line of context above and below for the top-hat
    bright, dark = stroke_response(gray[top:bottom, left_edge:right_edge], h)
    band = slice(y - top, y - top + h)
    inside = slice(x - left_edge, x - left_edge + w)
    levels = [float(np.percentile(r[band, inside], params.level_percentile)) for r in (bright, dark)]
    polarity = int(np.argmax(levels))
    if levels[polarity] < params.min_contrast:
        return x, y, w, h
    floor = max(params.min_contrast, params.ink_share * levels[polarity])
    ink = ((bright, dark)[polarity][band] > floor).any(axis=0)
    max_gap = int(params.gap_heights * h)
    grow_right = _last_ink(ink[inside.stop:], max_gap)
    grow_left = _last_ink(ink[:inside.start][::-1], max_gap)
    return x - grow_left, y, w + grow_left + grow_right, h
