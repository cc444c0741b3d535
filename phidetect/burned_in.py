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
from collections.abc import Iterable

import numpy as np

from phidetect.dicom.pixels import DisplayFrame
from phidetect.findings import Finding
from phidetect.ocr.engine import OcrEngine, OcrLine
from phidetect.ocr.textness import has_text, text_regions
from phidetect.ocr_settings import OcrOptions
from phidetect.text.crossref import Identity
from phidetect.text.merge import merge_spans
from phidetect.text.ocr_tolerant import (
    OcrIdentityRecognizer,
    burned_in_ids,
    demographic_markers,
    digits_normalised,
    is_technical,
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
    fixed = digits_normalised(line_text)
    if fixed != line_text:
        spans += registry.analyze(fixed, "free", identity)
    if ocr_identity is not None:
        spans += list(ocr_identity.find(line_text))
    spans += list(burned_in_ids(line_text))
    merged = [s for s in merge_spans(spans, line_text) if not is_technical(line_text[s.start:s.end])]
    return merge_spans(merged + list(demographic_markers(line_text, merged)), line_text)


def _combined_confidence(rule_score: float, ocr_confidence: float) -> float:
    """The rule's score, lowered when OCR itself was unsure of the text (at most by 40 %)."""
    return round(rule_score * (0.6 + 0.4 * max(0.0, min(1.0, ocr_confidence))), 4)


def _padded(box: Box, shape: tuple[int, ...]) -> Box:
    x, y, w, h = box
    x0, y0 = max(0, x - BOX_MARGIN), max(0, y - BOX_MARGIN)
    x1, y1 = min(shape[1], x + w + BOX_MARGIN), min(shape[0], y + h + BOX_MARGIN)
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

    def read(self, engine: OcrEngine, image: np.ndarray, boxes: list[Box]) -> list[OcrLine]:
        keys = [self.key(image, box) for box in boxes]
        missing = [(k, b) for k, b in zip(keys, boxes, strict=True) if k not in self._lines]
        if missing:
            lines = engine.read(image, boxes=[b for _, b in missing])
            for key, box in missing:
                self._lines[key] = [ln for ln in lines if _centre_in(ln, box)]
        seen: set[int] = set()
        result: list[OcrLine] = []
        for key in keys:
            for line in self._lines[key]:
                if id(line) not in seen:
                    seen.add(id(line))
                    result.append(line)
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


def _grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else image.max(axis=2)


class StaticReference:
    """Sampled frames of a multi-frame image, to tell burned-in text from moving anatomy:
    text strokes come back at the same place with the same brightness in other frames,
    speckle does not. Text shown on only some frames still counts, as long as two sampled
    frames carry it."""

    def __init__(self, images: list[np.ndarray]) -> None:
        self.stack = np.stack([_grey(i) for i in images]).astype(np.int16)

    @property
    def shape(self) -> tuple[int, int]:
        return self.stack.shape[1:]

    def holds_text(self, image: np.ndarray, box: Box) -> bool:
        """Half or more of the stroke pixels (far from the region's median) of ``box`` in
        ``image`` match at least two sampled frames (the frame itself may be one)."""
        x, y, w, h = box
        crop = _grey(image[y:y + h, x:x + w]).astype(np.int16)
        strokes = np.abs(crop - np.median(crop)) > 40
        if not strokes.any():
            return False
        matches = (np.abs(self.stack[:, y:y + h, x:x + w] - crop) <= STATIC_TOLERANCE).sum(axis=0)
        return float((matches[strokes] >= 2).mean()) >= 0.5


def static_reference(images: list[np.ndarray]) -> StaticReference | None:
    """A :class:`StaticReference` of the sampled frames; None for a single frame (nothing
    to compare)."""
    return StaticReference(images) if len(images) >= 2 else None


def frame_lines(frame: DisplayFrame, engine: OcrEngine, options: OcrOptions, cache: RegionCache,
                whole_frames: dict[bytes, list[OcrLine]], static: StaticReference | None = None) -> list[OcrLine]:
    """The OCR lines of one display frame, using the pre-filter and caches as configured.
    ``static`` (multi-frame images): regions whose strokes move with the anatomy are not read."""
    image = frame.image
    if options.prefilter and not has_text(image):
        return []
    if options.regions:
        boxes = text_regions(image)
        if static is not None and frame.plane == "image" and static.shape == image.shape[:2]:
            boxes = [b for b in boxes if static.holds_text(image, b)]
        return cache.read(engine, image, boxes) if boxes else []
    digest = hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=16).digest()
    if digest not in whole_frames:
        whole_frames[digest] = engine.read(image)
    return whole_frames[digest]


def pixel_findings(frames: Iterable[DisplayFrame], *, file: str, sop_instance_uid: str, engine: OcrEngine,
                   registry: Registry, identity: Identity | None,
                   options: OcrOptions | None = None, static: StaticReference | None = None) -> list[Finding]:
    """Findings (source="pixel") for every PHI span read in every frame. ``static``: see
    :func:`static_reference`, for multi-frame images."""
    options = options or OcrOptions()
    ocr_identity = OcrIdentityRecognizer(identity) if identity is not None and not identity.is_empty() else None
    cache, whole_frames = RegionCache(), {}
    rule_suffix = f"ocr.{engine.name}"
    findings: list[Finding] = []
    for frame in frames:
        for line in frame_lines(frame, engine, options, cache, whole_frames, static):
            for span in line_spans(line.text, registry, identity, ocr_identity):
                x, y, w, h = _padded(line.char_box(span.start, span.end), frame.image.shape)
                findings.append(Finding(
                    file=file, sop_instance_uid=sop_instance_uid, source="pixel", phi_type=span.phi_type,
                    text=line.text[span.start:span.end],
                    confidence=_combined_confidence(span.score, line.confidence),
                    rule=f"{span.rule}+{rule_suffix}", frame=frame.frame, x=x, y=y, width=w, height=h,
                    plane=frame.plane,
                ))
    return findings
