"""Burned-in text: display frames -> OCR lines -> the same text rules as the header ->
pixel findings with a box around just the PHI words.

Speed comes from two cheap classical steps before OCR: a text-presence test that skips
frames with no text at all, and text-region detection whose boxes are handed to the OCR
recogniser instead of a full-frame detector. A region whose pixels are identical to one
already read (the same overlay on every frame of a cine) is not read again, but its
findings are reported on every frame, since a redactor needs them all.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from phidetect.dicom.pixels import DisplayFrame
from phidetect.findings import Finding
from phidetect.geometry import covered_share
from phidetect.ocr.engine import OcrEngine, OcrLine
from phidetect.ocr.ink_extent import widen_to_ink
from phidetect.ocr.textness import has_text, text_regions, to_gray
from phidetect.ocr_settings import OcrOptions
from phidetect.text.crossref import Identity
from phidetect.text.merge import merge_spans
from phidetect.text.ocr_tolerant import (
    OcrIdentityRecognizer,
    burned_in_ids,
    caret_names,
    comma_names,
    demographic_markers,
    digits_normalised,
    glyphs_normalised,
    is_technical,
    is_technical_line,
    labelled_dates,
    month_dates,
    spacing_normalised,
    span_back,
    unglued,
)
from phidetect.text.recognizer import Registry
from phidetect.text.spans import Span

Box = tuple[int, int, int, int]
#: Pixels added around a PHI box on each side: OCR boxes hug the glyphs.
BOX_MARGIN = 2


def line_spans(line_text: str, registry: Registry, identity: Identity | None,
               ocr_identity: OcrIdentityRecognizer | None) -> list[Span]:
    """PHI spans in one OCR line: the header rules on the text as read and with digit
    look-alikes fixed, the OCR-tolerant identity match, burned-in ID numbers. Technical
    settings (kVp 120, W:400 L:40, 5.0mm) never count."""
    spans = registry.analyze(line_text, "free", identity)
    for fixed in {digits_normalised(line_text), spacing_normalised(line_text), glyphs_normalised(line_text)} \
            - {line_text}:
        spans += registry.analyze(fixed, "free", identity)
    spaced, origin = unglued(line_text)
    if spaced != line_text:
        spans += [span_back(span, origin) for span in registry.analyze(spaced, "free", identity)]
    if ocr_identity is not None:
        spans += list(ocr_identity.find(line_text))
    spans += list(burned_in_ids(line_text))
    spans += list(labelled_dates(line_text))
    spans += list(month_dates(line_text))
    spans += list(comma_names(line_text))
    spans += list(caret_names(line_text))
    merged = [s for s in merge_spans(spans, line_text) if not is_technical(line_text[s.start:s.end])]
    return merge_spans(merged + list(demographic_markers(line_text, merged)), line_text)


def _combined_confidence(rule_score: float, ocr_confidence: float) -> float:
    """The rule's score, lowered when OCR itself was unsure of the text (at most by 40 %)."""
    return round(rule_score * (0.6 + 0.4 * max(0.0, min(1.0, ocr_confidence))), 4)


def _padded(box: Box, shape: tuple[int, ...], margin: int = BOX_MARGIN) -> Box:
    x, y, w, h = box
    x0, y0 = max(0, x - margin), max(0, y - margin)
    x1, y1 = min(shape[1], x + w + margin), min(shape[0], y + h + margin)
    return x0, y0, x1 - x0, y1 - y0


class RegionCache:
    """OCR lines per (region, pixel content): identical regions are read once per file."""

    def __init__(self) -> None:
        self._lines: dict[tuple, list[OcrLine]] = {}

    @staticmethod
    def key(image: np.ndarray, box: Box) -> tuple:
        x, y, w, h = box
        crop = np.ascontiguousarray(image[y:y + h, x:x + w])
        return box, hashlib.blake2b(crop.tobytes(), digest_size=16).digest()

    def read_regions(self, engine: OcrEngine, image: np.ndarray, boxes: list[Box]) -> list[tuple[Box, list[OcrLine]]]:
        """(region, the lines whose centre lies in it) for every region; a line shared by
        overlapping regions is given to the first only."""
        keys = [self.key(image, box) for box in boxes]
        missing = [(k, b) for k, b in zip(keys, boxes, strict=True) if k not in self._lines]
        if missing:
            lines = engine.read(image, boxes=[b for _, b in missing])
            for key, box in missing:
                self._lines[key] = [ln for ln in lines if _centre_in(ln, box)]
        seen: set[int] = set()
        result: list[tuple[Box, list[OcrLine]]] = []
        for key, box in zip(keys, boxes, strict=True):
            fresh = [line for line in self._lines[key] if id(line) not in seen]
            seen.update(id(line) for line in fresh)
            result.append((box, fresh))
        return result


def _centre_in(line: OcrLine, box: Box) -> bool:
    x, y, w, h = box
    cx, cy = line.x + line.width / 2, line.y + line.height / 2
    return x <= cx <= x + w and y <= cy <= y + h


#: Frames sampled to tell burned-in text (the same pixels on every frame) from moving anatomy.
STATIC_SAMPLE = 8
#: A stroke pixel matches another frame when their grey levels differ by at most this much:
#: loose enough for anti-aliased glyph edges over changing noise and a display stretch that
#: moves a few grey levels per frame, tight enough to tell moving speckle apart.
STATIC_TOLERANCE = 24
#: Share of a box's stroke pixels that must match in a frame for :meth:`StaticReference.steady`.
STEADY_SHARE = 0.8
#: Grey levels a plain background may spread over in the frames' median (noise left after
#: the median of 8 frames is a few levels; glyph strokes and anatomy blur are tens).
PLAIN_SPREAD = 16
#: The view name of :meth:`StaticReference.steady_frame`.
STEADY_VIEW = "steady"


def _grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else image.max(axis=2)


class StaticReference:
    """Sampled frames of a multi-frame image, to tell burned-in text from moving anatomy:
    text strokes come back at the same place with the same brightness in other frames,
    speckle does not. Text shown on only some frames still counts, as long as two sampled
    frames carry it."""

    def __init__(self, images: list[np.ndarray]) -> None:
        self.images = images
        self.stack = np.stack([_grey(i) for i in images]).astype(np.int16)

    @cached_property
    def typical(self) -> np.ndarray:
        """The grey temporal median (made when :meth:`plain` first asks)."""
        return np.median(self.stack, axis=0)

    @cached_property
    def typical_image(self) -> np.ndarray:
        """The temporal median in colour (made only for the steady view)."""
        return np.median(np.stack(self.images), axis=0).astype(np.uint8)

    @property
    def shape(self) -> tuple[int, int]:
        return self.stack.shape[1:]

    def holds_text(self, image: np.ndarray, box: Box) -> bool:
        """Half or more of the stroke pixels (far from the region's median) of ``box`` in
        ``image`` match at least two sampled frames (the frame itself may be one), or the
        place is :meth:`plain` in the sampled frames (text shown on a few frames only, over
        a blank part of the image, which the samples may all miss)."""
        x, y, w, h = box
        crop = _grey(image[y:y + h, x:x + w]).astype(np.int16)
        strokes = np.abs(crop - np.median(crop)) > 40
        if not strokes.any():
            return False
        matches = (np.abs(self.stack[:, y:y + h, x:x + w] - crop) <= STATIC_TOLERANCE).sum(axis=0)
        return float((matches[strokes] >= 2).mean()) >= 0.5 or self.plain(box)

    def plain(self, box: Box) -> bool:
        """Whether ``box`` is plain background in the sampled frames' temporal median: no
        strokes, at most PLAIN_SPREAD grey levels from its median in 95 % of its pixels.
        Moving anatomy leaves its blur there; a border where text comes and goes does not."""
        x, y, w, h = box
        typical = self.typical[y:y + h, x:x + w]
        if typical.size == 0:
            return False
        return float(np.percentile(np.abs(typical - np.median(typical)), 95)) <= PLAIN_SPREAD

    def steady_frame(self) -> DisplayFrame:
        """The temporal median of the sampled frames as a frame to read (view "steady",
        numbered as the first frame): burned-in text stays crisp in it while speckle, noise
        and moving anatomy blur out, so small text the single frames garble reads there,
        and its regions are found where they touch moving anatomy."""
        return DisplayFrame(0, self.typical_image, "image", STEADY_VIEW)

    def steady(self, box: Box) -> bool:
        """Stricter than :meth:`holds_text`, for text no rule has read as PHI: the strokes
        of the sampled frames' temporal median (random noise averages out of it, steady
        text does not) are where they are, within STATIC_TOLERANCE, for nearly all
        (STEADY_SHARE) of their pixels in at least half of the sampled frames. Burned-in
        text is; echo speckle and valves that come back to about the same place are not."""
        x, y, w, h = box
        stack = self.stack[:, y:y + h, x:x + w]
        if stack.size == 0:
            return False
        typical = np.median(stack, axis=0)
        strokes = np.abs(typical - np.median(typical)) > 40
        if not strokes.any():
            return False
        per_frame = (np.abs(stack - typical) <= STATIC_TOLERANCE)[:, strokes].mean(axis=1)
        return float((per_frame >= STEADY_SHARE).mean()) >= 0.5


def static_reference(images: list[np.ndarray]) -> StaticReference | None:
    """A :class:`StaticReference` of the sampled frames; None for a single frame (nothing
    to compare)."""
    return StaticReference(images) if len(images) >= 2 else None


#: Distinct frames per file the detector looks at (it costs ~0.5-2 s a frame on a CPU): a
#: cine's burned-in text is on its first frames, and a redactor fills a box in every frame.
DETECTOR_FRAMES = 2
#: A detector box this much covered by classical text regions is read through those.
COVERED = 0.6


def detector_boxes(engine: OcrEngine, image: np.ndarray, regions: list[Box], cache: dict) -> list[Box]:
    """Lines the engine's own detector finds that the classical ``regions`` do not cover
    (detection cached per frame content, in ``cache``; on the first DETECTOR_FRAMES
    distinct frames of the file only)."""
    digest = b"detect" + hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=16).digest()
    if digest not in cache:
        runs = cache.setdefault(b"detector runs", [0])
        if runs[0] >= DETECTOR_FRAMES:
            return []
        runs[0] += 1
        cache[digest] = engine.detect(image)
    return [b for b in cache[digest] if covered_share(b, regions) < COVERED]


def frame_regions(frame: DisplayFrame, engine: OcrEngine, options: OcrOptions, cache: RegionCache,
                  file_cache: dict[bytes, list],
                  static: StaticReference | None = None) -> list[tuple[Box | None, list[OcrLine]]]:
    """The OCR lines of one display frame grouped by the text region they were read in
    (region None: the engine's own detector read the whole frame), using the pre-filter
    and caches as configured (``file_cache``: one file's whole-frame reads and detector
    results, by frame content). ``static`` (multi-frame images): regions whose strokes move
    with the anatomy are not read."""
    image = frame.image
    if options.prefilter and frame.view != "full range" and not has_text(image):
        return []  # (the full-range view is read whenever asked for: text there is faint by nature)
    if options.regions:
        boxes = text_regions(image)
        if options.detector_regions and hasattr(engine, "detect"):
            boxes += detector_boxes(engine, image, boxes, file_cache)
        if static is not None and frame.plane == "image" and static.shape == image.shape[:2]:
            boxes = [b for b in boxes if static.holds_text(image, b)]
        return list(cache.read_regions(engine, image, boxes)) if boxes else []
    digest = hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=16).digest()
    if digest not in file_cache:
        file_cache[digest] = engine.read(image)
    return [(None, file_cache[digest])]


#: easyocr and tesseract give garbled reads of small or blurred text confidences well below
#: this (0.0-0.4 on synthetic 5-9 px text), clean reads 0.5-1.0: text read less surely than
#: this cannot be shown free of PHI.
SURE_READ = 0.5
#: Taller than this, an unsurely read "line" is anatomy or a graphic the region finder took
#: for text (overlay text runs 5-40 px tall; a 32 px font gives ~40-50 px line boxes).
MAX_LINE_H = 64
#: An unsure read of one or two characters is a glyph-like edge of the anatomy, or a
#: sliver of a line already read, far more often than text.
MIN_UNSURE_CHARS = 3
#: A line of small type (at most SMALL_LINE_H tall) this many times as wide as it is tall
#: holds several glyphs, however few OCR read in it.
WIDE_LINE = 2.5
SMALL_LINE_H = 12
#: Unsafe boxes are padded by this share of their height on each side (BOX_MARGIN at
#: least): italic glyphs and anti-aliased edges overhang an OCR box more as fonts grow.
LINE_PAD = 0.25
#: In the full-range view a line holding PHI follows its ink by at most this many line
#: heights on each side: further out, stretched anatomy reads as ink.
FULL_RANGE_GROWTH = 2.0
#: A read line whose ink runs on unread for this many line heights was read only in part.
UNREAD_HEIGHTS = 1.5
#: A line holding PHI is carried to the edge of a line stacked with it by at most this
#: many line heights.
ALIGN_HEIGHTS = 5.0
#: Lines of one block differ in height by at most this factor.
STACK_HEIGHTS = 1.5
#: The reason a full-range candidate read surely carries until it is admitted.
READ_SURELY = "read surely"


@dataclass(frozen=True)
class UnsafeText:
    """Burned-in text a redactor should blank although no rule found PHI words in it, or
    more of it than the PHI words: a line holding PHI (blanked whole, since OCR may have
    read only part of it), a line read too unsurely to judge (``SURE_READ``), a text region
    OCR read nothing in."""

    frame: int
    plane: str
    x: int
    y: int
    width: int
    height: int
    reason: str


def _line_extent(line: OcrLine, region: Box | None) -> Box:
    """The line's box widened to its text region's left and right edges (a region is one
    line of text; OCR may have read only part of it) and to the region's height when the
    region holds just this line."""
    x, y, w, h = line.x, line.y, line.width, line.height
    if region is None:
        return x, y, w, h
    rx, ry, rw, rh = region
    left, right = min(x, rx), max(x + w, rx + rw)
    top, bottom = (min(y, ry), max(y + h, ry + rh)) if rh <= 2 * h else (y, y + h)
    return left, top, right - left, bottom - top


def _may_be_text(line: OcrLine, extent: Box) -> bool:
    """Whether an unsurely read line looks like text rather than anatomy (see MAX_LINE_H,
    MIN_UNSURE_CHARS; a read of a character or two over a line at most SMALL_LINE_H tall
    and WIDE_LINE times as wide is small type OCR could not take apart) and is not a
    technical setting."""
    chars = len("".join(line.text.split()))
    small_type = extent[3] <= SMALL_LINE_H and extent[2] >= WIDE_LINE * extent[3]
    many = chars >= MIN_UNSURE_CHARS or (chars >= 1 and small_type)
    return many and extent[3] <= MAX_LINE_H and not is_technical_line(line.text)


def _read_in_part(gray: np.ndarray, line: OcrLine, read: list[OcrLine]) -> bool:
    """Whether the ink of ``line``'s row runs on for UNREAD_HEIGHTS line heights or more
    where no line was read: OCR read a fragment ("nn Krar" of "St. Aumann Krankenhaus"),
    and what it did not read cannot be shown free of PHI."""
    if line.height > MAX_LINE_H or len("".join(line.text.split())) < MIN_UNSURE_CHARS:
        return False
    x, y, w, h = widen_to_ink(gray, (line.x, line.y, line.width, line.height))
    unread = np.ones(w, dtype=bool)
    for other in read:
        if min(other.y + other.height, y + h) - max(other.y, y) >= h / 2:   # the same row
            unread[max(0, other.x - x):max(0, other.x + other.width - x)] = False
    runs = np.diff(np.flatnonzero(np.diff(np.concatenate(([0], unread.astype(np.int8), [0])))))[::2]
    return bool(runs.size) and int(runs.max()) >= UNREAD_HEIGHTS * h


def _aligned_to_block(box: Box, line: OcrLine, read: list[OcrLine]) -> Box:
    """``box`` of a line holding PHI carried to the left (right) edge of a line stacked
    directly above or below it that starts further left (ends further right), by at most
    ALIGN_HEIGHTS line heights: a corner block's lines share their left or right edge,
    and both OCR and the ink lose a line's start where it crosses bright anatomy."""
    x, y, w, h = box
    left, right, reach = x, x + w, ALIGN_HEIGHTS * line.height
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


def unsafe_text(frame: DisplayFrame, regions: list[tuple[Box | None, list[OcrLine]]],
                phi_lines: set[int], static: StaticReference | None = None,
                candidates: list[UnsafeText] | None = None) -> list[UnsafeText]:
    """What :class:`UnsafeText` describes, for one frame; ``phi_lines``: ids of the lines
    in which PHI was found. ``static`` (multi-frame images): unsure or unread text counts
    only where it is steady through the frames (:meth:`StaticReference.steady`), since a
    redactor fills each box in every frame. ``candidates``: when given, receives the
    full-range view's unsure and unread text, which counts only next to other unsafe text
    (:func:`stacked_with_unsafe`). Boxes of the steady view have frame -1 (every frame)."""
    found: list[UnsafeText] = []
    gray: list[np.ndarray] = []   # made once, when the first box needs it
    # a contrast-stretched view makes anatomy look like text: there, PHI lines only
    looks = frame.view != "full range"
    read = [line for _, lines in regions for line in lines if line.text.strip()]

    def grey() -> np.ndarray:
        if not gray:
            gray.append(to_gray(frame.image))
        return gray[0]

    def add(box: Box, reason: str, line: OcrLine | None = None, into: list[UnsafeText] = found) -> None:
        if looks:
            box = widen_to_ink(grey(), box)
        elif reason == "line holds PHI":
            box = widen_to_ink(grey(), box, FULL_RANGE_GROWTH)
        if line is not None and reason == "line holds PHI":
            box = _aligned_to_block(box, line, read)
        x, y, w, h = _padded(box, frame.image.shape, max(BOX_MARGIN, round(LINE_PAD * box[3])))
        number = -1 if frame.view == STEADY_VIEW else frame.frame
        into.append(UnsafeText(number, frame.plane, x, y, w, h, reason))

    def steady(box: Box) -> bool:
        """Steady text, or text over a place that is plain background in most frames (shown
        on a few frames only; :func:`recurring` still asks for it in a quarter of them)."""
        if static is None or frame.plane != "image" or static.shape != frame.image.shape[:2]:
            return True
        padded = _padded(box, frame.image.shape)
        return static.steady(padded) or static.plain(padded)

    later = candidates if candidates is not None and not looks else None
    for region, lines in regions:
        if region is not None and region[3] <= MAX_LINE_H and not any(_centre_in(ln, region) for ln in read):
            if looks and steady(region):
                add(region, "text region not read")
            elif later is not None:
                add(region, "text region not read", into=later)
        for line in lines:
            # the full-range view's regions merge with stretched anatomy: the line's own box there
            extent = _line_extent(line, region) if looks else (line.x, line.y, line.width, line.height)
            unsure = line.confidence < SURE_READ and _may_be_text(line, extent)
            if id(line) in phi_lines:
                add(extent, "line holds PHI", line)
            elif looks and unsure and steady(extent):
                add(extent, "read too unsurely to judge")
            elif looks and line.text.strip() and _read_in_part(grey(), line, read) and steady(extent):
                add(extent, "line read only in part")
            elif later is not None and unsure:
                add(extent, "read too unsurely to judge", into=later)
            elif later is not None and line.text.strip():
                add(widen_to_ink(grey(), extent, FULL_RANGE_GROWTH), READ_SURELY, into=later)
    return found


def _same_image(a: UnsafeText, b: UnsafeText) -> bool:
    """One plane of one frame (frame -1, the steady view: every frame)."""
    return a.plane == b.plane and (a.frame == b.frame or -1 in (a.frame, b.frame))


def _stacked(a: UnsafeText, b: UnsafeText) -> bool:
    """Two boxes of one frame and plane stacked as lines of one text block: heights within
    STACK_HEIGHTS of each other, touching vertically (boxes are padded by a quarter of a
    line: the lines of a block are less than half a line apart), left or right edges
    within a line height."""
    if not _same_image(a, b):
        return False
    high, low = max(a.height, b.height), min(a.height, b.height)
    if high > STACK_HEIGHTS * low:
        return False
    gap = max(a.y - (b.y + b.height), b.y - (a.y + a.height))
    if not -high / 2 < gap <= 0:
        return False
    return abs(a.x - b.x) <= high or abs((a.x + a.width) - (b.x + b.width)) <= high


def _continues(a: UnsafeText, b: UnsafeText) -> bool:
    """``a`` continues line ``b`` along its row: one frame and plane, overlapping by half
    the lower one vertically, at most a line height apart horizontally."""
    if not _same_image(a, b):
        return False
    if min(a.y + a.height, b.y + b.height) - max(a.y, b.y) < min(a.height, b.height) / 2:
        return False
    gap = max(a.x - (b.x + b.width), b.x - (a.x + a.width))
    return gap <= max(a.height, b.height)


def _admitted(item: UnsafeText, block: list[UnsafeText]) -> str | None:
    """Why a full-range candidate joins the unsafe text of ``block``, or None."""
    if any(_continues(item, other) for other in block if other.reason == "line holds PHI"):
        return "continues a line holding PHI"
    if item.reason != READ_SURELY and any(_stacked(item, other) for other in block):
        return "stacked with unsafe text"
    return None


def stacked_with_unsafe(candidates: list[UnsafeText], unsafe: list[UnsafeText]) -> list[UnsafeText]:
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
            reason = _admitted(item, block)
            if reason is not None:
                rest.remove(item)
                item = UnsafeText(item.frame, item.plane, item.x, item.y, item.width, item.height, reason)
                block.append(item)
                admitted.append(item)
                grown = True
    return admitted


#: Share of a box that other boxes of a frame must cover for it to be found there again.
SAME_PLACE = 0.8


def _box(item: UnsafeText) -> Box:
    return item.x, item.y, item.width, item.height


#: Share of a cine's frames in which unsure or unread text must be found at the same place.
RECUR_SHARE = 0.25


def recurring(unsafe: list[UnsafeText], frames: int) -> list[UnsafeText]:
    """In a multi-frame image of ``frames`` image frames, unsure or unread text counts only
    where it is found at the same place (SAME_PLACE of it covered by what was found in a
    frame: a region may merge with its neighbours in one frame and not in another) in a
    quarter of them (RECUR_SHARE) and at least two: burned-in text is there in every
    frame, while a patch of anatomy that passed the steadiness test in a few frames is not
    (a redactor would fill it in every frame). Lines holding PHI and what the steady view
    found (frame -1) always count; a single frame is left as it is."""
    if frames < 2:
        return unsafe
    needed = max(2, math.ceil(RECUR_SHARE * frames))
    by_frame: dict[int, list[Box]] = {}
    for other in unsafe:
        if other.plane == "image" and other.frame >= 0:
            by_frame.setdefault(other.frame, []).append(_box(other))
    kept = []
    for item in unsafe:
        if item.reason == "line holds PHI" or item.plane != "image" or item.frame < 0:
            kept.append(item)
            continue
        seen = sum(covered_share(_box(item), boxes) >= SAME_PLACE for boxes in by_frame.values())
        if seen >= needed:
            kept.append(item)
    return kept


def pixel_findings(frames: Iterable[DisplayFrame], *, file: str, sop_instance_uid: str, engine: OcrEngine,
                   registry: Registry, identity: Identity | None,
                   options: OcrOptions | None = None, static: StaticReference | None = None,
                   unsafe: list[UnsafeText] | None = None) -> list[Finding]:
    """Findings (source="pixel") for every PHI span read in every frame. ``static``: see
    :func:`static_reference`, for multi-frame images. ``unsafe``: when a list is given,
    the :class:`UnsafeText` of every frame is appended to it (for a redactor)."""
    options = options or OcrOptions()
    ocr_identity = OcrIdentityRecognizer(identity) if identity is not None and not identity.is_empty() else None
    cache, file_cache = RegionCache(), {}
    rule_suffix = f"ocr.{engine.name}"
    findings: list[Finding] = []
    collected: list[UnsafeText] = []
    candidates: list[UnsafeText] = []
    full_range: dict[int, np.ndarray] = {}   # grey full-range views, by frame
    shown: list[int] = []                    # indices in ``collected`` of display-view lines holding PHI
    image_frames: set[int] = set()
    for frame in frames:
        if frame.plane == "image":
            image_frames.add(frame.frame)
        regions = frame_regions(frame, engine, options, cache, file_cache, static)
        phi_lines: set[int] = set()
        for line in (line for _, lines in regions for line in lines):
            for span in line_spans(line.text, registry, identity, ocr_identity):
                phi_lines.add(id(line))
                x, y, w, h = _padded(line.char_box(span.start, span.end), frame.image.shape)
                findings.append(Finding(
                    file=file, sop_instance_uid=sop_instance_uid, source="pixel", phi_type=span.phi_type,
                    text=line.text[span.start:span.end],
                    confidence=_combined_confidence(span.score, line.confidence),
                    rule=f"{span.rule}+{rule_suffix}", frame=frame.frame, x=x, y=y, width=w, height=h,
                    plane=frame.plane,
                ))
        if unsafe is not None:
            found = unsafe_text(frame, regions, phi_lines, static, candidates)
            if frame.view == "full range":
                full_range[frame.frame] = to_gray(frame.image)
            else:
                shown += [len(collected) + i for i, item in enumerate(found) if item.reason == "line holds PHI"]
            collected += found
    if unsafe is not None:
        for i in shown:
            collected[i] = followed_in_full_range(collected[i], full_range)
        unsafe += recurring(collected + stacked_with_unsafe(candidates, collected), len(image_frames))
    return findings


def followed_in_full_range(item: UnsafeText, views: dict[int, np.ndarray]) -> UnsafeText:
    """A line holding PHI in the display view, also followed along its ink in the
    full-range view of its frame (grey ``views`` by frame), by at most FULL_RANGE_GROWTH
    line heights: white text over bright bone, which the display view cannot follow to
    its end, shows there."""
    gray = views.get(item.frame)
    if gray is None or item.plane != "image":
        return item
    x, y, w, h = widen_to_ink(gray, (item.x, item.y, item.width, item.height), FULL_RANGE_GROWTH)
    return UnsafeText(item.frame, item.plane, x, y, w, h, item.reason)
