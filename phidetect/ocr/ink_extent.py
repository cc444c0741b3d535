"""Widen a text box along its row to where the line's ink ends.

An OCR box stops where the reader stopped: a truncated read ("MORVAN AS" of
"MORVAN, ASTRID"), or a text region cut short where the text crosses bright anatomy,
leaves the rest of the line on the image. A redactor blanking that line must reach its
real ends, so the box is grown left and right over stroke-like pixels of the same
polarity and contrast as the text inside it, until a gap wider than a word space.
"""

from __future__ import annotations

import cv2
import numpy as np

Box = tuple[int, int, int, int]

#: A run of ink-free columns longer than this many line heights ends the line (word spaces
#: are ~0.3-0.6 of the height; the gap between two banner fields is wider).
GAP_HEIGHTS = 1.0
#: The box grows by at most this many line heights on each side, so texture next to the
#: text cannot carry it across the image.
MAX_GROWTH_HEIGHTS = 10.0
#: Below this contrast (grey levels) the box has no measurable strokes to follow.
MIN_STROKE_CONTRAST = 20
#: A column holds ink when a stroke reaches this share of the text's contrast inside the
#: box: low, since the same white text over bright anatomy keeps only a fraction of it.
INK_SHARE = 0.15


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


def widen_to_ink(gray: np.ndarray, box: Box, max_growth_heights: float = MAX_GROWTH_HEIGHTS) -> Box:
    """``box`` (x, y, w, h) grown left and right to the ends of its line's ink in the uint8
    greyscale ``gray``, by at most ``max_growth_heights`` line heights on each side;
    unchanged when the box shows no strokes."""
    x, y, w, h = box
    rows, cols = gray.shape[:2]
    x, y = max(0, x), max(0, y)
    w, h = min(w, cols - x), min(h, rows - y)
    if w <= 0 or h <= 0:
        return box
    reach = int(max_growth_heights * h) + 1
    left_edge, right_edge = max(0, x - reach), min(cols, x + w + reach)
    top, bottom = max(0, y - h), min(rows, y + 2 * h)   # context above and below for the top-hat
    bright, dark = stroke_response(gray[top:bottom, left_edge:right_edge], h)
    band = slice(y - top, y - top + h)
    inside = slice(x - left_edge, x - left_edge + w)
    levels = [float(np.percentile(r[band, inside], 95)) for r in (bright, dark)]
    polarity = int(np.argmax(levels))
    if levels[polarity] < MIN_STROKE_CONTRAST:
        return x, y, w, h
    ink = ((bright, dark)[polarity][band] > max(MIN_STROKE_CONTRAST, INK_SHARE * levels[polarity])).any(axis=0)
    max_gap = int(GAP_HEIGHTS * h)
    grow_right = _last_ink(ink[inside.stop:], max_gap)
    grow_left = _last_ink(ink[:inside.start][::-1], max_gap)
    return x - grow_left, y, w + grow_left + grow_right, h
