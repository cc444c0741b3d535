"""Sampled frames of a cine, to tell burned-in text from moving anatomy: text strokes come
back at the same place with the same brightness in other frames, speckle does not."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from phidetect.geometry import Box
from phidetect.ocr_settings import ReadingParameters


def grey(image: np.ndarray) -> np.ndarray:
    """A colour frame's brightest channel (text is bright in at least one), else the frame."""
    return image if image.ndim == 2 else image.max(axis=2)


class StaticReference:
    """Sampled frames of a multi-frame image. Text shown on only some frames still counts,
    as long as two sampled frames carry it. Thresholds: :class:`ReadingParameters`."""

    def __init__(self, images: list[np.ndarray], parameters: ReadingParameters | None = None) -> None:
        self.images = images
        self.parameters = parameters or ReadingParameters()
        self.stack = np.stack([grey(i) for i in images]).astype(np.int16)

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

    def fits(self, image: np.ndarray) -> bool:
        """Whether ``image`` lies on the sampled frames' grid (an overlay or icon may not)."""
        return self.shape == image.shape[:2]

    def holds_text(self, image: np.ndarray, box: Box) -> bool:
        """Half or more of the stroke pixels of ``box`` in ``image`` match at least two
        sampled frames (the frame itself may be one), or the place is :meth:`plain` in the
        sampled frames (text shown on a few frames only, over a blank part of the image,
        which the samples may all miss)."""
        p = self.parameters
        x, y, w, h = box
        crop = grey(image[y:y + h, x:x + w]).astype(np.int16)
        strokes = np.abs(crop - np.median(crop)) > p.stroke_contrast
        if not strokes.any():
            return False
        matches = (np.abs(self.stack[:, y:y + h, x:x + w] - crop) <= p.static_tolerance).sum(axis=0)
        return float((matches[strokes] >= 2).mean()) >= 0.5 or self.plain(box)

    def plain(self, box: Box) -> bool:
        """Whether ``box`` is plain background in the sampled frames' temporal median: at
        most ``plain_spread`` grey levels from its median in 95 % of its pixels. Moving
        anatomy leaves its blur there; a border where text comes and goes does not."""
        x, y, w, h = box
        typical = self.typical[y:y + h, x:x + w]
        if typical.size == 0:
            return False
        return float(np.percentile(np.abs(typical - np.median(typical)), 95)) <= self.parameters.plain_spread

    def shows_typical(self, image: np.ndarray, box: Box) -> tuple[bool, bool]:
        """(shows, only): whether ``image`` shows in ``box`` the text of the sampled frames'
        temporal median (the median has strokes there, and nearly all, ``steady_share``, of
        them are in this frame within ``static_tolerance``), and whether it shows only that
        (nearly all of the frame's own strokes there are the median's too: a cine's banner
        under frame noise; not a clock, a counter or a caption that changes on this frame,
        nor anatomy that moves in). One pass: a cine asks this of every region, every frame."""
        p = self.parameters
        x, y, w, h = box
        typical = self.typical[y:y + h, x:x + w]
        if typical.size == 0:
            return False, False
        crop = grey(image[y:y + h, x:x + w]).astype(np.int16)
        expected = np.abs(typical - np.median(typical)) > p.stroke_contrast
        if not expected.any():
            return False, False
        close = np.abs(crop - typical) <= p.static_tolerance
        if float(close[expected].mean()) < p.steady_share:
            return False, False
        own = np.abs(crop - np.median(crop)) > p.stroke_contrast
        return True, not own.any() or float(close[own].mean()) >= p.steady_share

    def steady(self, box: Box) -> bool:
        """Stricter than :meth:`holds_text`, for text no rule has read as PHI: the strokes
        of the sampled frames' temporal median (random noise averages out of it, steady
        text does not) are where they are, within ``static_tolerance``, for nearly all
        (``steady_share``) of their pixels in at least half of the sampled frames.
        Burned-in text is; echo speckle and valves that come back to about the same place
        are not."""
        p = self.parameters
        x, y, w, h = box
        stack = self.stack[:, y:y + h, x:x + w]
        if stack.size == 0:
            return False
        typical = np.median(stack, axis=0)
        strokes = np.abs(typical - np.median(typical)) > p.stroke_contrast
        if not strokes.any():
            return False
        per_frame = (np.abs(stack - typical) <= p.static_tolerance)[:, strokes].mean(axis=1)
        return float((per_frame >= p.steady_share).mean()) >= 0.5


def static_reference(images: list[np.ndarray], parameters: ReadingParameters | None = None) -> StaticReference | None:
    """A :class:`StaticReference` of the sampled frames; None for a single frame (nothing
    to compare)."""
    return StaticReference(images, parameters) if len(images) >= 2 else None


def sampled_frames(count: int, sample: int) -> list[int]:
    """``sample`` frame indices spread evenly over ``count`` frames (first and last included)."""
    return sorted({round(i * (count - 1) / (sample - 1)) for i in range(sample)})
