"""Classical text detection: where in a frame are there glyph-like strokes?

OCR is slow (seconds per frame on a CPU) and most frames of a study carry no burned-in
text at all, so a frame is first tested with cheap morphology (a few milliseconds) and
only the line-shaped regions found here are handed to the recogniser. The detector is
tuned to miss nothing: an extra region only costs a recogniser call, a missed one is PHI
left in the pixels.

Method: a white and a black top-hat pick out thin bright (or dark) strokes on their
local background, whatever the background is (black ultrasound margins, bright bone).
Stroke pixels above a noise-adaptive contrast threshold form connected components;
those with a glyph's size and ink density are kept and chained left to right into
lines. A line of two or more glyphs of similar height is text; so is a single glyph that
is large and clean enough to be a marker or a sex letter.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]

#: Glyph component height range in pixels: a 9 px font has 5-6 px capitals and 4 px
#: lower case; a 40 px font's bracket or descender letter reaches ~50 px.
MIN_GLYPH_H = 4
MAX_GLYPH_H = 60
#: Top-hat structuring element: wider than the thickest stroke of a 40 px bold font.
TOPHAT_SIZE = 11
#: Smallest stroke contrast (grey levels of 255) that counts, before noise adaptation.
MIN_CONTRAST = 40
#: Contrast must also exceed this many robust noise sigmas of the frame.
NOISE_SIGMAS = 4.0
#: Widest stroke a glyph may have: this fraction of its height, or this many pixels.
MAX_STROKE_RATIO = 0.6
MAX_STROKE_PX = 6.0
#: Big bold lettering (a "Semi-Upright" or "L" marker on a radiograph): glyphs this tall,
#: with strokes at least this wide, are also looked for with a top-hat element this wide.
BIG_GLYPH_H = 28
BIG_STROKE_PX = 5.0
BIG_TOPHAT_SIZE = 31
#: Single-glyph lines are kept only from this height (an isolated "M", "L", "F").
MIN_SINGLE_H = 8


@dataclass
class _Glyph:
    x: int
    y: int
    w: int
    h: int
    fill: float


def to_gray(image: np.ndarray) -> np.ndarray:
    """A uint8 greyscale view: RGB by luminance; other dtypes stretched min..max (display
    images are uint8 already; this only keeps odd inputs from failing)."""
    img = np.asarray(image)
    if img.ndim == 3:
        if img.shape[2] == 1:
            img = img[..., 0]
        else:
            img = img[..., :3]
            if img.dtype != np.uint8:
                img = _stretch(img)
            img = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_RGB2GRAY)
    if img.dtype != np.uint8:
        img = _stretch(img)
    return np.ascontiguousarray(img)


def _stretch(img: np.ndarray) -> np.ndarray:
    lo, hi = float(np.min(img)), float(np.max(img))
    if hi <= lo:
        return np.zeros(img.shape, dtype=np.uint8)
    return ((img.astype(np.float32) - lo) * (255.0 / (hi - lo))).astype(np.uint8)


def _threshold(gray: np.ndarray) -> int:
    """Stroke contrast threshold: MIN_CONTRAST, raised on noisy frames (robust sigma of a
    3x3 high-pass, from a subsample of pixels to stay cheap)."""
    sub = gray[::2, ::2]
    high = cv2.absdiff(sub, cv2.blur(sub, (3, 3)))
    sigma = 1.4826 * float(np.median(high)) * 1.2  # MAD-like; the 3x3 mean removes ~1/9 of the noise
    return int(max(MIN_CONTRAST, NOISE_SIGMAS * sigma))


def _glyphs(mask: np.ndarray, min_h: int = MIN_GLYPH_H, min_stroke: float = 0.0) -> list[_Glyph]:
    """Connected components of a stroke mask that could be glyphs or glued glyph runs:
    glyph-sized, not too solid, and made of strokes thin for their height (a bright blob or
    a vessel cross-section is as thick as it is tall)."""
    # Outer contours of every component (RETR_CCOMP keeps glyphs inside a framed box);
    # far cheaper than connectedComponentsWithStats on a mostly empty mask.
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    dist: np.ndarray | None = None
    glyphs = []
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0], strict=True):
        if parent >= 0:
            continue
        gx, gy, gw, gh = cv2.boundingRect(contour)
        if not (min_h <= gh <= MAX_GLYPH_H and 2 <= gw <= 25 * gh):
            continue
        # ink share of the box (a neighbour's ink reaching into the box counts too: fine here)
        fill = cv2.countNonZero(mask[gy:gy + gh, gx:gx + gw]) / (gw * gh)
        if gw > 0.45 * gh and not 0.12 <= fill <= 0.88:   # a thin bar (I, l, 1) may be solid
            continue
        if dist is None:
            dist = cv2.distanceTransform(mask, cv2.DIST_L2, 3)
        stroke = 2.0 * float(dist[gy:gy + gh, gx:gx + gw].max())
        if min_stroke <= stroke <= max(MAX_STROKE_PX, MAX_STROKE_RATIO * gh):
            glyphs.append(_Glyph(gx, gy, gw, gh, fill))
    return glyphs


def _lines(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Chain glyphs into lines: similar height, overlapping rows, gap under ~1.2 heights."""
    glyphs = sorted(glyphs, key=lambda g: g.x)
    lines: list[list[_Glyph]] = []
    ends: list[tuple[int, int, int, int]] = []  # per line: right edge, top, bottom, ref height
    for g in glyphs:
        best, best_gap = -1, None
        for i, (right, top, bottom, ref_h) in enumerate(ends):
            gap = g.x - right
            hmax = max(ref_h, g.h)
            if gap > 1.2 * hmax + 2 or gap < -0.5 * hmax:
                continue
            overlap = min(bottom, g.y + g.h) - max(top, g.y)
            if overlap < 0.5 * min(ref_h, g.h):
                continue
            if not 0.4 <= g.h / ref_h <= 2.5:
                continue
            if best_gap is None or gap < best_gap:
                best, best_gap = i, gap
        if best < 0:
            lines.append([g])
            ends.append((g.x + g.w, g.y, g.y + g.h, g.h))
        else:
            lines[best].append(g)
            right, top, bottom, ref_h = ends[best]
            ends[best] = (max(right, g.x + g.w), min(top, g.y), max(bottom, g.y + g.h), max(ref_h, g.h))
    return lines


def _is_text(line: list[_Glyph]) -> bool:
    if len(line) >= 2:
        return True
    g = line[0]
    if g.w > 2.0 * g.h:                        # a glued run of glyphs: a word in a small font
        return g.h >= MIN_GLYPH_H + 1 and 0.15 <= g.fill <= 0.75
    return g.h >= MIN_SINGLE_H and 0.2 <= g.fill <= 0.7 and g.w >= 0.3 * g.h


def _tight(line: list[_Glyph]) -> tuple[int, int, int, int]:
    return (min(g.x for g in line), min(g.y for g in line),
            max(g.x + g.w for g in line), max(g.y + g.h for g in line))


def _right_polarity(gray: np.ndarray, mask: np.ndarray, line: list[_Glyph], bright: bool, t: int) -> bool:
    """The strokes must stand out from the ring of background around the line. The other
    polarity's top-hat also fires on the gaps and counters between real strokes (dark
    "glyphs" between white letters); those are as dark as their surroundings and fail."""
    x0, y0, x1, y1 = _tight(line)
    pad = max(2, max(g.h for g in line) // 4)
    X0, Y0 = max(0, x0 - pad), max(0, y0 - pad)
    X1, Y1 = min(gray.shape[1], x1 + pad), min(gray.shape[0], y1 + pad)
    strips = [gray[Y0:y0, X0:X1], gray[y1:Y1, X0:X1], gray[y0:y1, X0:x0], gray[y0:y1, x1:X1]]
    ring = np.concatenate([s.ravel() for s in strips])
    if ring.size == 0:
        return True
    box = gray[y0:y1, x0:x1]
    ink = box[mask[y0:y1, x0:x1] > 0]
    if ink.size == 0:
        return False
    background = float(np.median(ring))
    stroke = float(np.median(ink))
    contrast = stroke - background if bright else background - stroke
    return contrast >= 0.5 * t


def _line_box(line: list[_Glyph], shape: tuple[int, int]) -> Box:
    x0, y0, x1, y1 = _tight(line)
    h = max(g.h for g in line)
    mx, my = int(0.3 * h) + 2, int(0.2 * h) + 2
    x0, y0 = max(0, x0 - mx), max(0, y0 - my)
    x1, y1 = min(shape[1], x1 + mx), min(shape[0], y1 + my)
    return x0, y0, x1 - x0, y1 - y0


def _merge(boxes: list[Box]) -> list[Box]:
    """Union boxes of the same text row that overlap or nearly touch (a glyph outlined in
    both polarities, a word split where a glyph failed the glyph tests)."""
    boxes = sorted(boxes)
    changed = True
    while changed:
        changed = False
        out: list[Box] = []
        for b in boxes:
            for i, o in enumerate(out):
                if _same_row_overlap(o, b):
                    out[i] = _union(o, b)
                    changed = True
                    break
            else:
                out.append(b)
        boxes = out
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _same_row_overlap(a: Box, b: Box) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = min(ax + aw, bx + bw) - max(ax, bx)
    iy = min(ay + ah, by + bh) - max(ay, by)
    return ix > -0.8 * min(ah, bh) and iy >= 0.6 * max(ah, bh)


def _union(a: Box, b: Box) -> Box:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return x0, y0, x1 - x0, y1 - y0


def _stroke_masks(gray: np.ndarray, t: int, size: int = TOPHAT_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """Masks of bright and of dark strokes narrower than the ``size`` top-hat element."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    white = cv2.morphologyEx(gray, cv2.MORPH_TOPHAT, kernel)
    black = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel)
    return (white > t).view(np.uint8), (black > t).view(np.uint8)


def _pass_boxes(gray: np.ndarray, t: int, size: int = TOPHAT_SIZE, min_h: int = MIN_GLYPH_H,
                min_stroke: float = 0.0) -> list[Box]:
    """Line boxes from one top-hat size, bright and dark text alike."""
    boxes: list[Box] = []
    for bright, mask in zip((True, False), _stroke_masks(gray, t, size), strict=True):
        for line in _lines(_glyphs(mask, min_h, min_stroke)):
            if _is_text(line) and _right_polarity(gray, mask, line, bright, t):
                boxes.append(_line_box(line, gray.shape))
    return boxes


def text_regions(image: np.ndarray) -> list[Box]:
    """Boxes (x, y, w, h) of text-like lines, with a small margin, top to bottom: bright
    and dark strokes alike. Meant to over-report rather than miss; one box per line so a
    line recogniser can read each. A second pass with a wide top-hat element catches big
    bold lettering whose strokes the first one removes."""
    gray = to_gray(image)
    if gray.size == 0 or min(gray.shape) < MIN_GLYPH_H:
        return []
    t = _threshold(gray)
    boxes = _pass_boxes(gray, t)
    if min(gray.shape) >= BIG_GLYPH_H:
        boxes += _pass_boxes(gray, t, BIG_TOPHAT_SIZE, BIG_GLYPH_H, BIG_STROKE_PX)
    return _merge(boxes)


def has_text(image: np.ndarray) -> bool:
    """True when the frame has any text-like region: the cheap gate before OCR."""
    return bool(text_regions(image))
