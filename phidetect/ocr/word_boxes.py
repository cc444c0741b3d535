"""Word boxes of a recognised line, measured from its pixels.

easyocr's recogniser reads a whole line and returns one box for it, but a PHI span is
often one word of the line ("DOB: 08/29/1951 M"): blanking the whole line would hide the
technical text beside it. So word gaps are found in the column profile of the line's
ink and matched to the spaces of the text read. Thresholds: :class:`WordBoxParameters`.
"""

from __future__ import annotations

import re

import numpy as np

from phidetect.geometry import Box
from phidetect.ocr.engine import OcrWord
from phidetect.ocr.parameters import DEFAULT_WORD_BOXES, WordBoxParameters

__all__ = ["word_boxes"]


def _ink(crop: np.ndarray, p: WordBoxParameters) -> np.ndarray:
    """Text pixels of a line crop: those far from the background level (the median of the
    crop's border), whichever the polarity."""
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]]).astype(np.int16)
    diff = np.abs(crop.astype(np.int16) - int(np.median(border)))
    peak = int(diff.max())
    if peak < p.min_peak:
        return np.zeros(crop.shape, dtype=bool)
    return diff > max(p.min_contrast, int(p.ink_share * peak))


def _text_band(ink: np.ndarray, p: WordBoxParameters) -> tuple[int, int]:
    """Rows of the line's own text inside a crop that may also catch the tops or bottoms
    of neighbouring lines: the run of well-inked rows around the most inked row, widened
    for ascenders and descenders."""
    counts = ink.sum(axis=1)
    peak = int(np.argmax(counts))
    strong = counts >= p.band_row_share * counts[peak]
    top, bottom = peak, peak + 1
    while top > 0 and strong[top - 1]:
        top -= 1
    while bottom < len(counts) and strong[bottom]:
        bottom += 1
    extra = max(1, (bottom - top) // p.band_growth_divisor)
    return max(0, top - extra), min(len(counts), bottom + extra)


def word_boxes(gray: np.ndarray, box: Box, text: str, confidence: float,
               params: WordBoxParameters = DEFAULT_WORD_BOXES) -> tuple[OcrWord, ...]:
    """Boxes of the whitespace-separated words of ``text`` read from ``box``. Word gaps
    are found in the column profile of the line's ink (see ``_word_cuts``); when the ink
    does not show them (noise, touching glyphs), the ink extent is split by character
    proportion instead, and where the ink is too narrow to hold the text read, along the
    whole box. Runs of spaces in ``text`` (easyocr keeps wide gaps as several)
    place the expected gaps better."""
    words = text.split()
    x, y, w, h = box
    crop = gray[y:y + h, x:x + w]
    if not words:
        return ()
    if crop.size == 0 or min(crop.shape) < 3:
        return _proportional(words, box, confidence)
    ink = _ink(crop, params)
    if not ink.any():
        return _proportional(words, box, confidence)
    band_top, band_bottom = _text_band(ink, params)
    if band_bottom - band_top < params.min_band_share * h:  # the band is an edge in the anatomy, not text
        return _proportional(words, box, confidence)
    ink[:band_top] = False
    ink[band_bottom:] = False
    has_ink = ink.any(axis=0)
    cols = np.flatnonzero(has_ink)
    ix0, ix1 = int(cols[0]), int(cols[-1]) + 1
    if ix1 - ix0 < params.min_char_width_heights * h * len(text.strip()):  # too narrow for what was read
        return _proportional(words, box, confidence)
    cuts = _word_cuts(has_ink, ix0, ix1, text.strip()) if len(words) > 1 else []
    if cuts is None:
        rows = np.flatnonzero(ink.any(axis=1))
        ink_box = (x + ix0, y + int(rows[0]), ix1 - ix0, int(rows[-1]) + 1 - int(rows[0]))
        return _proportional(words, ink_box, confidence)
    edges = [ix0, *cuts, ix1]
    out = []
    for word, a, b in zip(words, edges[:-1], edges[1:], strict=True):
        part = ink[:, a:b]
        pc = np.flatnonzero(part.any(axis=0))
        pr = np.flatnonzero(part.any(axis=1))
        if pc.size == 0:
            wx0, wx1, wy0, wy1 = a, b, band_top, band_bottom
        else:
            wx0, wx1, wy0, wy1 = a + int(pc[0]), a + int(pc[-1]) + 1, int(pr[0]), int(pr[-1]) + 1
        out.append(OcrWord(word, x + wx0, y + wy0, wx1 - wx0, wy1 - wy0, confidence))
    return tuple(out)


def _word_cuts(has_ink: np.ndarray, ix0: int, ix1: int, text: str) -> list[int] | None:
    """Columns splitting the words, or None when the ink shows too few gaps.

    Each run of spaces in ``text`` expects a gap where it falls by character count.
    Gaps are assigned to the runs in order so as to maximise the summed gap width less a
    penalty of one pixel per character of misplacement: word gaps are the widest ones,
    but a wide gap between glyphs ("1 9" in some fonts) is not taken far from a space."""
    gaps: list[tuple[int, int]] = []  # ink-free column runs inside the ink extent
    start = None
    for c in range(ix0, ix1):
        if not has_ink[c]:
            start = c if start is None else start
        elif start is not None:
            gaps.append((start, c))
            start = None
    char_w = (ix1 - ix0) / max(1, len(text))
    expected = [ix0 + char_w * (m.start() + m.end()) / 2 for m in re.finditer(r" +", text)]
    k, n = len(expected), len(gaps)
    if n < k:
        return None
    centres = [(a + b) / 2 for a, b in gaps]
    score = [[(b - a) - abs(c - e) / char_w for (a, b), c in zip(gaps, centres, strict=True)] for e in expected]
    # best[i][j]: best total placing separators 0..i with separator i on gap j
    best = [[-np.inf] * n for _ in range(k)]
    back = [[-1] * n for _ in range(k)]
    for j in range(n):
        best[0][j] = score[0][j]
    for i in range(1, k):
        run_max, run_arg = -np.inf, -1
        for j in range(n):
            if j - 1 >= 0 and best[i - 1][j - 1] > run_max:
                run_max, run_arg = best[i - 1][j - 1], j - 1
            if run_arg >= 0:
                best[i][j] = run_max + score[i][j]
                back[i][j] = run_arg
    j = int(np.argmax(best[k - 1]))
    if not np.isfinite(best[k - 1][j]):
        return None
    chosen = []
    for i in range(k - 1, -1, -1):
        chosen.append(j)
        j = back[i][j]
    return [int((gaps[g][0] + gaps[g][1]) // 2) for g in reversed(chosen)]


def _proportional(words: list[str], box: Box, confidence: float) -> tuple[OcrWord, ...]:
    """Word boxes by character position along ``box`` (monospace assumption)."""
    x, y, w, h = box
    n = max(1, sum(len(wd) for wd in words) + len(words) - 1)
    out, pos = [], 0
    for word in words:
        a = x + int(round(w * pos / n))
        b = x + int(round(w * (pos + len(word)) / n))
        out.append(OcrWord(word, a, y, max(1, b - a), h, confidence))
        pos += len(word) + 1
    return tuple(out)
