"""Which parts of a frame are read, and reading them once: classical text regions (plus,
thorough, the engine's own detector's lines), dropped where their strokes move with a
cine's anatomy; identical regions (a cine's banner) read once per file."""

from __future__ import annotations

import hashlib

import numpy as np

from phidetect.dicom.pixels import DisplayFrame
from phidetect.geometry import Box, centre_in, covered_share
from phidetect.ocr.engine import EngineCapability, OcrEngine, OcrLine
from phidetect.ocr.textness import has_text, text_regions
from phidetect.ocr_settings import OcrOptions, ReadingParameters
from phidetect.pixel_reading.records import RegionRead
from phidetect.pixel_reading.static import StaticReference
from phidetect.planes import Plane, View


def _digest(image: np.ndarray) -> bytes:
    return hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=16).digest()


class FileReadCache:
    """One file's reads: OCR lines per (region, pixel content), whole-frame reads and
    detector results per frame content, and how many frames the detector has seen."""

    def __init__(self) -> None:
        self._lines: dict[tuple, list[OcrLine]] = {}
        self._whole: dict[bytes, list[OcrLine]] = {}
        self._detected: dict[bytes, list[Box]] = {}
        self.detector_runs = 0

    def read_regions(self, engine: OcrEngine, image: np.ndarray, boxes: list[Box]) -> list[RegionRead]:
        """Every region with the lines whose centre lies in it; a line shared by
        overlapping regions is given to the first only."""
        keys = [(box, _digest(image[box[1]:box[1] + box[3], box[0]:box[0] + box[2]])) for box in boxes]
        missing = [(k, b) for k, b in zip(keys, boxes, strict=True) if k not in self._lines]
        if missing:
            lines = engine.read(image, boxes=[b for _, b in missing])
            for key, box in missing:
                self._lines[key] = [ln for ln in lines if centre_in((ln.x, ln.y, ln.width, ln.height), box)]
        seen: set[int] = set()
        result: list[RegionRead] = []
        for key, box in zip(keys, boxes, strict=True):
            fresh = [line for line in self._lines[key] if id(line) not in seen]
            seen.update(id(line) for line in fresh)
            result.append(RegionRead(box, tuple(fresh)))
        return result

    def read_whole(self, engine: OcrEngine, image: np.ndarray) -> list[RegionRead]:
        digest = _digest(image)
        if digest not in self._whole:
            self._whole[digest] = engine.read(image)
        return [RegionRead(None, tuple(self._whole[digest]))]

    def detector_boxes(self, engine: OcrEngine, image: np.ndarray, regions: list[Box],
                       parameters: ReadingParameters) -> list[Box]:
        """Lines the engine's own detector finds that the classical ``regions`` do not
        cover, on the first ``detector_frames`` distinct frames of the file only."""
        digest = _digest(image)
        if digest not in self._detected:
            if self.detector_runs >= parameters.detector_frames:
                return []
            self.detector_runs += 1
            self._detected[digest] = engine.detect(image)
        return [b for b in self._detected[digest] if covered_share(b, regions) < parameters.covered]


def read_frame(frame: DisplayFrame, engine: OcrEngine, options: OcrOptions, parameters: ReadingParameters,
               cache: FileReadCache, static: StaticReference | None = None) -> list[RegionRead]:
    """The OCR lines of one display frame grouped by the region they were read in, using
    the pre-filter and caches as configured. ``static`` (multi-frame images): regions
    whose strokes move with the anatomy are not read."""
    image = frame.image
    if options.prefilter and frame.view is not View.FULL_RANGE and not has_text(image):
        return []  # (the full-range view is read whenever asked for: text there is faint by nature)
    if not options.regions:
        return cache.read_whole(engine, image)
    boxes = text_regions(image)
    if options.detector_regions and EngineCapability.DETECT_REGIONS in engine.capabilities:
        boxes += cache.detector_boxes(engine, image, boxes, parameters)
    if static is not None and frame.plane is Plane.IMAGE and static.fits(image):
        boxes = [b for b in boxes if static.holds_text(image, b)]
    return cache.read_regions(engine, image, boxes) if boxes else []
