"""Blanking across frames and views: text seen only in the full-range view joins the
unsafe text of its block, and a cine's unsure text counts only where it recurs."""

from __future__ import annotations

import math

import numpy as np

from phidetect.geometry import ALL_FRAMES, Box, covered_share
from phidetect.ocr.ink_extent import widen_to_ink
from phidetect.planes import Plane
from phidetect.redact.blanking import BlankingParameters, Reason, UnsafeBox


def _same_image(a: UnsafeBox, b: UnsafeBox) -> bool:
    """One plane of one frame (the steady view's boxes: every frame)."""
    return a.box.plane is b.box.plane and (a.box.frame == b.box.frame or ALL_FRAMES in (a.box.frame, b.box.frame))


def _stacked(a: UnsafeBox, b: UnsafeBox, p: BlankingParameters) -> bool:
    """Two boxes stacked as lines of one text block: heights within ``stack_heights`` of
    each other, touching vertically (boxes are padded by a quarter of a line: the lines of
    a block are less than half a line apart), left or right edges within a line height."""
    if not _same_image(a, b):
        return False
    x1, y1, w1, h1 = a.box.box
    x2, y2, w2, h2 = b.box.box
    high, low = max(h1, h2), min(h1, h2)
    if high > p.stack_heights * low:
        return False
    gap = max(y1 - (y2 + h2), y2 - (y1 + h1))
    if not -high / 2 < gap <= 0:
        return False
    return abs(x1 - x2) <= high or abs((x1 + w1) - (x2 + w2)) <= high


def _continues(a: UnsafeBox, b: UnsafeBox) -> bool:
    """``a`` continues line ``b`` along its row: one frame and plane, overlapping by half
    the lower one vertically, at most a line height apart horizontally."""
    if not _same_image(a, b):
        return False
    x1, y1, w1, h1 = a.box.box
    x2, y2, w2, h2 = b.box.box
    if min(y1 + h1, y2 + h2) - max(y1, y2) < min(h1, h2) / 2:
        return False
    return max(x1 - (x2 + w2), x2 - (x1 + w1)) <= max(h1, h2)


def _admitted(item: UnsafeBox, block: list[UnsafeBox], p: BlankingParameters) -> Reason | None:
    """Why a full-range candidate joins the unsafe text of ``block``, or None."""
    if any(_continues(item, other) for other in block if other.reason is Reason.LINE_HOLDS_PHI):
        return Reason.CONTINUES_PHI_LINE
    if item.reason is not Reason.READ_SURELY and any(_stacked(item, other, p) for other in block):
        return Reason.STACKED
    return None


def stacked_with_unsafe(candidates: list[UnsafeBox], unsafe: list[UnsafeBox],
                        p: BlankingParameters) -> list[UnsafeBox]:
    """The ``candidates`` (text seen only in the full-range view) that belong with
    ``unsafe`` text: unsure or unread text in a text block with it, line by line (a line of
    a patient block the display window hides is PHI as often as its neighbours, while
    stretched anatomy rarely lines up with a block's edge at a block's line height), and
    any text that continues a line holding PHI along its row (the end of a date over
    bright bone that the display view lost)."""
    block, rest, admitted = list(unsafe), list(candidates), []
    grown = True
    while grown:
        grown = False
        for item in list(rest):
            reason = _admitted(item, block, p)
            if reason is not None:
                rest.remove(item)
                item = item.because(reason)
                block.append(item)
                admitted.append(item)
                grown = True
    return admitted


def recurring(unsafe: list[UnsafeBox], frames: int, p: BlankingParameters) -> list[UnsafeBox]:
    """In a multi-frame image of ``frames`` image frames, unsure or unread text counts only
    where it is found at the same place (``same_place`` of it covered by what was found in
    a frame: a region may merge with its neighbours in one frame and not in another) in
    ``recur_share`` of them and at least two: burned-in text is there in every frame,
    while a patch of anatomy that passed the steadiness test in a few frames is not (a
    redactor would fill it in every frame). Lines holding PHI and what the steady view
    found (every frame) always count; a single frame is left as it is."""
    if frames < 2:
        return unsafe
    needed = max(2, math.ceil(p.recur_share * frames))
    by_frame: dict[int, list[Box]] = {}
    for other in unsafe:
        if other.box.plane is Plane.IMAGE and other.box.frame is not ALL_FRAMES:
            by_frame.setdefault(other.box.frame, []).append(other.box.box)
    kept = []
    for item in unsafe:
        if item.reason is Reason.LINE_HOLDS_PHI or item.box.plane is not Plane.IMAGE or item.box.frame is ALL_FRAMES:
            kept.append(item)
            continue
        seen = sum(covered_share(item.box.box, boxes) >= p.same_place for boxes in by_frame.values())
        if seen >= needed:
            kept.append(item)
    return kept


def followed_in_full_range(item: UnsafeBox, views: dict[int, np.ndarray], p: BlankingParameters) -> UnsafeBox:
    """A line holding PHI in the display view, also followed along its ink in the
    full-range view of its frame (grey ``views`` by frame), by at most
    ``full_range_growth`` line heights: white text over bright bone, which the display
    view cannot follow to its end, shows there."""
    gray = views.get(item.box.frame) if item.box.frame is not ALL_FRAMES else None
    if gray is None or item.box.plane is not Plane.IMAGE:
        return item
    x, y, w, h = widen_to_ink(gray, item.box.box, p.full_range_growth)
    return UnsafeBox(item.box._replace(x=x, y=y, width=w, height=h), item.reason)
