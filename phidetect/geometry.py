"""Box arithmetic shared by detection, redaction and evaluation: boxes are (x, y, width,
height) in image pixels, origin top-left."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

Box = tuple[int, int, int, int]


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
