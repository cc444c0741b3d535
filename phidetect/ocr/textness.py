"""Classical text detection: where in a frame are there printed glyphs?

OCR is slow (a second or more per frame on a CPU) and most frames of a study carry no
burned-in text, so a frame is first tested with cheap morphology (milliseconds) and only
the line-shaped regions found here are handed to the recogniser. The detector is tuned
not to miss text: an extra region costs one recogniser call, a missed one leaves PHI in
the pixels. Every threshold is a field of :class:`RegionFinderParameters`.

Method. A white and a black top-hat pick out thin bright (or dark) strokes on their
local background, whatever that is (black ultrasound margins, bright bone). Stroke
pixels above a noise-adaptive contrast threshold form components; those with a glyph's
size, ink density and stroke width are chained left to right into lines. A line counts
as text when its strokes stand out from the background around it with crisp edges, and
either the contrast is strong (overlay text is drawn at full contrast) or the glyphs are
regular (several glyphs of similar height sharing a baseline or cap line). A second pass
at half resolution with a wider top-hat catches big bold lettering ("L" markers on
radiographs) whose strokes the first top-hat removes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from phidetect.geometry import Box, union_box
from phidetect.ocr.parameters import DEFAULT_REGION_FINDER, RegionFinderParameters

__all__ = ["DEFAULT_REGION_FINDER", "RegionFinderParameters", "has_text", "text_regions", "to_gray"]

_K3 = np.ones((3, 3), np.uint8)
_UPPER_LEFT = np.array([[1, 1, 1], [1, 0, 0]], np.uint8)   # with anchor (1, 1): the 8-neighbours already scanned


@dataclass(frozen=True)
class _Glyph:
    x: int
    y: int
    w: int
    h: int
    fill: float


@dataclass(frozen=True)
class _Pass:
    """One top-hat pass: its element size and what it asks of glyphs and lines (the
    second pass, for big lettering, runs at half resolution)."""

    tophat_size: int
    min_height: int
    min_stroke: float
    min_contrast: float


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


def _threshold(gray: np.ndarray, p: RegionFinderParameters) -> int:
    """Stroke contrast threshold: ``min_contrast``, raised on noisy frames (a robust sigma
    from the median deviation from the 3x3 mean, on every other pixel to stay cheap)."""
    sub = gray[::2, ::2]
    high = cv2.absdiff(sub, cv2.blur(sub, (3, 3)))
    # robust sigma: median absolute deviation (x 1.4826), measured from a 3x3 mean that
    # includes the pixel itself (x sqrt(9/8) ~ 1.06)
    sigma = 1.4826 * float(np.median(high)) * 1.06
    return int(max(p.strokes.min_contrast, p.strokes.noise_sigmas * sigma))


def _grown(hat: np.ndarray, t: int, grow_share: float) -> np.ndarray:
    """Pixels above ``t``, and those above ``grow_share * t`` connected to them."""
    strong = hat > t
    if grow_share >= 1.0 or not strong.any():
        return strong.view(np.uint8)
    weak = (hat > int(grow_share * t)).view(np.uint8)
    count, labels = cv2.connectedComponents(weak, connectivity=8)
    keep = np.zeros(count, bool)
    keep[labels[strong]] = True
    keep[0] = False
    return keep[labels].view(np.uint8)


def _top_hats(gray: np.ndarray, size: int) -> list[tuple[bool, np.ndarray]]:
    """(bright, top-hat) for bright and for dark strokes narrower than ``size``."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    return [(bright, cv2.morphologyEx(gray, op, kernel))
            for bright, op in ((True, cv2.MORPH_TOPHAT), (False, cv2.MORPH_BLACKHAT))]


def _core_stroke(hat: np.ndarray, core_share: float) -> float:
    """Stroke width of a component's core (top-hat above ``core_share`` of its peak): the
    faint anti-aliasing that glues small high-contrast glyphs into thick blobs drops out."""
    core = (hat > core_share * float(hat.max())).view(np.uint8)
    core = cv2.copyMakeBorder(core, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    return 2.0 * float(cv2.distanceTransform(core, cv2.DIST_L2, 3).max())


def _component_boxes(mask: np.ndarray, many: int) -> np.ndarray:
    """(x, y, w, h) rows of a mask's components. Outer contours (RETR_CCOMP keeps glyphs
    inside a framed box) are far cheaper than connectedComponentsWithStats on a sparse
    mask and far dearer on a speckled one; the number of component starts (set pixels
    with no set neighbour above or to the left) tells which mask this is."""
    starts = cv2.countNonZero(cv2.subtract(mask, cv2.dilate(mask, _UPPER_LEFT, anchor=(1, 1))))
    if starts > many:
        return cv2.connectedComponentsWithStats(mask, connectivity=8)[2][1:, :4]
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return np.zeros((0, 4), np.int32)
    outer = np.flatnonzero(hierarchy[0][:, 3] < 0)     # holes have a parent
    return np.array([cv2.boundingRect(contours[i]) for i in outer]).reshape(-1, 4)


def _glyphs(mask: np.ndarray, hat: np.ndarray, run: _Pass, p: RegionFinderParameters) -> list[_Glyph]:
    """Components of a stroke mask that could be glyphs or glued runs of glyphs: glyph
    sized, neither solid nor wispy, with strokes thin for their height. The pass's
    ``min_stroke`` keeps only bold ones (the wide top-hat pass looks for nothing else)."""
    g = p.glyphs
    rects = _component_boxes(mask, p.strokes.many_components)
    w, h = rects[:, 2], rects[:, 3]
    keep = (h >= run.min_height) & (h <= g.max_height) & (w >= g.min_width) & (w <= g.max_aspect * h)
    dist: np.ndarray | None = None
    glyphs = []
    for gx, gy, gw, gh in rects[keep].tolist():
        # ink share of the box (a neighbour's ink reaching into the box counts too: fine here)
        fill = cv2.countNonZero(mask[gy:gy + gh, gx:gx + gw]) / (gw * gh)
        if gw > g.solid_aspect * gh and not g.min_fill <= fill <= g.max_fill:   # a thin bar may be solid
            continue
        if dist is None:
            dist = cv2.distanceTransform(mask, cv2.DIST_L2, 3)
        stroke = 2.0 * float(dist[gy:gy + gh, gx:gx + gw].max())
        # glyphs glued into a run thicken where they touch: allow them more
        limit = max(g.max_stroke_px, (g.max_stroke_share if gw < g.glued_aspect * gh else g.glued_stroke_share) * gh)
        if stroke > limit:
            stroke = _core_stroke(hat[gy:gy + gh, gx:gx + gw], g.core_share)
        if run.min_stroke <= stroke <= limit:
            glyphs.append(_Glyph(gx, gy, gw, gh, fill))
    return glyphs


def _lines(glyphs: list[_Glyph], p: RegionFinderParameters) -> list[list[_Glyph]]:
    """Chain glyphs left to right into lines: overlapping rows, similar heights, gaps up
    to ~1.2 glyph heights (word spaces included, column gaps not)."""
    c = p.chain
    lines: list[list[_Glyph]] = []
    ends: list[tuple[int, int, int, int]] = []  # per line: right edge, top, bottom, tallest glyph
    active: list[int] = []                      # lines a glyph further right could still join
    reach = c.max_gap_heights * p.glyphs.max_height + c.gap_slack_px
    for g in sorted(glyphs, key=lambda g: g.x):
        active = [i for i in active if g.x - ends[i][0] <= reach]
        best, best_gap = -1, 0
        for i in active:
            right, top, bottom, ref_h = ends[i]
            gap = g.x - right
            hmax = max(ref_h, g.h)
            if gap > c.max_gap_heights * hmax + c.gap_slack_px or gap < -c.max_overlap_heights * hmax:
                continue
            if min(bottom, g.y + g.h) - max(top, g.y) < c.min_row_overlap * min(ref_h, g.h):
                continue
            if not c.min_height_ratio <= g.h / ref_h <= c.max_height_ratio:
                continue
            if best < 0 or gap < best_gap:
                best, best_gap = i, gap
        if best < 0:
            lines.append([g])
            ends.append((g.x + g.w, g.y, g.y + g.h, g.h))
            active.append(len(lines) - 1)
        else:
            lines[best].append(g)
            right, top, bottom, ref_h = ends[best]
            ends[best] = (max(right, g.x + g.w), min(top, g.y), max(bottom, g.y + g.h), max(ref_h, g.h))
    return lines


def _tight(line: list[_Glyph]) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around the line's glyphs (corners, not a Box)."""
    return (min(g.x for g in line), min(g.y for g in line),
            max(g.x + g.w for g in line), max(g.y + g.h for g in line))


def _shape_ok(line: list[_Glyph], p: RegionFinderParameters) -> bool:
    """A lone component must look like a letter (or a glued word of a small font)."""
    if len(line) >= 2:
        return True
    g, lone = line[0], p.lone
    if g.w > lone.word_aspect * g.h:
        return g.h >= lone.word_min_height and lone.word_min_fill <= g.fill <= lone.word_max_fill
    return (g.h >= lone.letter_min_height and lone.letter_min_fill <= g.fill <= lone.letter_max_fill
            and g.w >= lone.letter_min_aspect * g.h)


def _regular(line: list[_Glyph], p: RegionFinderParameters) -> bool:
    """Printed text: most glyphs share a baseline or a cap line and have similar heights
    (x-height, capitals and descenders differ by well under 2x)."""
    if len(line) < 2:
        return False
    r = p.regularity
    hs = np.array([g.h for g in line], dtype=float)
    h = float(np.median(hs))
    if float(np.std(hs)) > r.max_height_spread * float(np.mean(hs)):
        return False
    bottoms = np.array([g.y + g.h for g in line], dtype=float)
    tops = np.array([g.y for g in line], dtype=float)
    if len(line) == 2:          # two specks of noise line up easily: ask for more
        tol = max(1.0, r.pair_align_tolerance * h)
        if max(hs) < r.pair_min_height:
            return False
        return (min(hs) >= r.pair_height_ratio * max(hs)
                and (abs(bottoms[0] - bottoms[1]) <= tol or abs(tops[0] - tops[1]) <= tol))
    tol = max(1.0, r.align_tolerance * h)
    on_base = np.abs(bottoms - np.median(bottoms)) <= tol
    on_cap = np.abs(tops - np.median(tops)) <= tol
    return max(on_base.mean(), on_cap.mean()) >= r.min_aligned_share


def _contrast(gray: np.ndarray, hat: np.ndarray, mask: np.ndarray, line: list[_Glyph], bright: bool,
              p: RegionFinderParameters) -> float:
    """Stroke contrast against the ring of background around the line, in the line's
    polarity. The other polarity's top-hat also fires on the gaps between real strokes;
    a gap between white letters is no darker than the background beyond it: no contrast.
    (Counters, the holes of an "O", do pass: their boxes lie inside the line's box and
    are merged into it.)"""
    x0, y0, x1, y1 = _tight(line)
    pad = max(p.contrast.ring_min_px, max(g.h for g in line) // p.contrast.ring_divisor)
    X0, Y0 = max(0, x0 - pad), max(0, y0 - pad)
    X1, Y1 = min(gray.shape[1], x1 + pad), min(gray.shape[0], y1 + pad)
    ink_mask = mask[y0:y1, x0:x1] > 0
    ink = gray[y0:y1, x0:x1][ink_mask]
    if ink.size == 0:
        return 0.0
    strips = [gray[Y0:y0, X0:X1], gray[y1:Y1, X0:X1], gray[y0:y1, X0:x0], gray[y0:y1, x1:X1]]
    ring = np.concatenate([s.ravel() for s in strips])
    if ring.size == 0:   # the line fills the frame: judge by the top-hat alone
        return float(np.median(hat[y0:y1, x0:x1][ink_mask]))
    diff = float(np.median(ink)) - float(np.median(ring))
    return diff if bright else -diff


def _sharpness(gray: np.ndarray, hat: np.ndarray, mask: np.ndarray, line: list[_Glyph],
               p: RegionFinderParameters) -> float:
    """Edge sharpness: the median 3x3 gradient on stroke borders over the strokes'
    top-hat level. Printed glyphs step up within a pixel or two; anatomy (a vessel, a
    bright blob) rises over many."""
    x0, y0, x1, y1 = _tight(line)
    X0, Y0 = max(0, x0 - 1), max(0, y0 - 1)
    X1, Y1 = min(gray.shape[1], x1 + 1), min(gray.shape[0], y1 + 1)
    sub_mask = mask[Y0:Y1, X0:X1]
    border = sub_mask > cv2.erode(sub_mask, _K3)
    grad = cv2.morphologyEx(gray[Y0:Y1, X0:X1], cv2.MORPH_GRADIENT, _K3)[border]
    levels = hat[Y0:Y1, X0:X1][sub_mask > 0]
    if grad.size == 0 or levels.size == 0:
        return 0.0
    k = int(p.contrast.peak_quantile * (levels.size - 1))
    peak = float(np.partition(levels, k)[k])
    return float(np.median(grad)) / peak if peak > 0 else 0.0


def _is_text(gray: np.ndarray, hat: np.ndarray, mask: np.ndarray, line: list[_Glyph], bright: bool, t: int,
             run: _Pass, p: RegionFinderParameters) -> bool:
    """Cheapest tests first: shape, contrast, regularity, then edge sharpness."""
    if not _shape_ok(line, p):
        return False
    c = p.contrast
    contrast = _contrast(gray, hat, mask, line, bright, p)
    # half the pixel threshold on clean frames; on noisy ones (t = 4 sigma) about 3 sigma
    if contrast < max(c.threshold_share * t, c.noisy_threshold_share * t - c.noisy_offset, run.min_contrast):
        return False
    if contrast < max(c.strong_contrast, c.strong_threshold_share * t) and not _regular(line, p):
        return False
    return _sharpness(gray, hat, mask, line, p) >= c.min_sharpness


def _line_box(line: list[_Glyph], shape: tuple[int, ...], p: RegionFinderParameters) -> Box:
    """The line's box with a margin (OCR recognisers read better with some background)."""
    x0, y0, x1, y1 = _tight(line)
    h = max(g.h for g in line)
    b = p.boxes
    mx, my = int(b.margin_x_heights * h) + b.margin_px, int(b.margin_y_heights * h) + b.margin_px
    x0, y0 = max(0, x0 - mx), max(0, y0 - my)
    x1, y1 = min(shape[1], x1 + mx), min(shape[0], y1 + my)
    return x0, y0, x1 - x0, y1 - y0


def _merge(boxes: list[Box], p: RegionFinderParameters) -> list[Box]:
    """Union boxes of one text row that overlap or nearly touch (text found in both
    polarities or both passes; a word split where a glyph failed the glyph tests), and
    boxes lying inside another (counters of big glyphs, read in the other polarity)."""
    boxes = sorted(boxes)
    changed = True
    while changed:
        changed = False
        out: list[Box] = []
        for b in boxes:
            for i, o in enumerate(out):
                if _same_row(o, b, p):
                    out[i] = union_box((o, b))
                    changed = True
                    break
            else:
                out.append(b)
        boxes = out
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _same_row(a: Box, b: Box, p: RegionFinderParameters) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = min(ax + aw, bx + bw) - max(ax, bx)
    iy = min(ay + ah, by + bh) - max(ay, by)
    if ix > 0 and iy > 0 and ix * iy >= p.boxes.contained_share * min(aw * ah, bw * bh):
        return True     # one inside the other: the same line found twice, or a counter
    return ix > -p.boxes.max_gap_heights * min(ah, bh) and iy >= p.boxes.row_overlap * max(ah, bh)


def _inside(a: Box, b: Box) -> bool:
    """Whether ``b`` lies within ``a``: a line the plain pass found whole."""
    return a[0] <= b[0] and a[1] <= b[1] and b[0] + b[2] <= a[0] + a[2] and b[1] + b[3] <= a[1] + a[3]


def _pass_lines(gray: np.ndarray, t: int, run: _Pass, p: RegionFinderParameters,
                hats: list[tuple[bool, np.ndarray]] | None = None, grow_share: float = 1.0,
                min_glyphs: int = 1) -> Iterator[Box]:
    """Text lines (as boxes) of at least ``min_glyphs`` glyphs from one top-hat pass,
    bright and dark text alike, lazily; ``hats``: the pass's top-hats where already made."""
    for bright, hat in hats if hats is not None else _top_hats(gray, run.tophat_size):
        mask = _grown(hat, t, grow_share)
        for line in _lines(_glyphs(mask, hat, run, p), p):
            if len(line) >= min_glyphs and _is_text(gray, hat, mask, line, bright, t, run, p):
                yield _line_box(line, gray.shape, p)


def _all_lines(image: np.ndarray, p: RegionFinderParameters) -> Iterator[Box]:
    gray = to_gray(image)
    if gray.size == 0 or min(gray.shape) < p.glyphs.min_height:
        return
    t = _threshold(gray, p)
    first = _Pass(p.strokes.tophat_size, p.glyphs.min_height, 0.0, 0.0)
    grow = p.strokes.grow_share < 1.0
    hats = _top_hats(gray, first.tophat_size) if grow else None  # both passes read them
    found: list[Box] = []
    for box in _pass_lines(gray, t, first, p, hats):
        found.append(box)
        yield box
    if grow:
        # faint thin type: its strokes grown from their brightest pixels; small lines only
        # (grown anatomy makes big ones); a line the plain pass found whole is not found
        # again (_merge joins the rest to the plain boxes)
        for box in _pass_lines(gray, t, first, p, hats, p.strokes.grow_share, p.strokes.grow_min_glyphs):
            if box[3] <= p.strokes.grow_max_height and not any(_inside(other, box) for other in found):
                yield box
    big = p.big
    if min(gray.shape) >= 2 * big.min_height:
        # big lettering at half resolution: a quarter of the pixels, and its strokes stay bold
        half = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
        run = _Pass(big.tophat_size // 2, big.min_height // 2, big.min_stroke_px / 2, big.min_contrast)
        for x, y, w, h in _pass_lines(half, t, run, p):
            yield 2 * x, 2 * y, min(2 * w, gray.shape[1] - 2 * x), min(2 * h, gray.shape[0] - 2 * y)


def text_regions(image: np.ndarray, params: RegionFinderParameters = DEFAULT_REGION_FINDER) -> list[Box]:
    """Boxes (x, y, w, h) of text-like lines, with a small margin, top to bottom, bright
    and dark text alike: one box per line, so a line recogniser can read each. Meant to
    over-report rather than miss."""
    return _merge(list(_all_lines(image, params)), params)


def has_text(image: np.ndarray, params: RegionFinderParameters = DEFAULT_REGION_FINDER) -> bool:
    """True when the frame has any text-like line: the cheap gate before OCR (the same
    finder as ``text_regions``, stopping at the first line found)."""
    return next(_all_lines(image, params), None) is not None
