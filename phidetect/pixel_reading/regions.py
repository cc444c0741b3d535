"""Which parts of a frame are read, and reading them once: classical text regions (plus,
thorough, the engine's own detector's lines), dropped where their strokes move with a
cine's anatomy; identical regions (a cine's banner) read once per file, and a cine's
steady text read once, in the temporal median of its frames, for every frame that shows it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import numpy as np

from phidetect.dicom.pixels import DisplayFrame
from phidetect.geometry import Box, centre_in, covered_share, overlap_ratio
from phidetect.ocr.engine import EngineCapability, OcrEngine, OcrLine
from phidetect.ocr.textness import DEFAULT_REGION_FINDER, has_text, text_regions
from phidetect.ocr_settings import OcrOptions, ReadingParameters
from phidetect.pixel_reading.records import RegionRead
from phidetect.pixel_reading.small_text import reread_small_text
from phidetect.pixel_reading.static import StaticReference
from phidetect.planes import Plane, View


def _digest(image: np.ndarray) -> bytes:
    return hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=16).digest()


@dataclass(frozen=True, eq=False)
class SteadyText:
    """The temporal median of a cine's sampled frames, those of its text regions that one
    frame shows (read in the median), and ``ReadingParameters.same_region``."""

    image: np.ndarray
    boxes: list[Box]
    same_region: float


def _line_box(line: OcrLine) -> Box:
    return (line.x, line.y, line.width, line.height)


def _read_there(line: OcrLine, given: list[OcrLine], same_region: float) -> bool:
    """Whether ``given`` lines cover ``line`` (share ``same_region`` of its box): the same
    text, read again, however the two reads cut it into lines."""
    return covered_share(_line_box(line), [_line_box(other) for other in given]) >= same_region


#: The region finder for the full-range view, whose text is faint by nature (what the
#: display window hid: thin 7-9 px type 50-60 levels over black once stretched) and falls
#: apart into specks at the plain threshold: strokes grown from their brightest pixels too
#: (RegionFinderParameters.strokes.grow_share, lines of grow_min_glyphs or more). Measured
#: on fresh 24-file synthetic seeds, ``scan --ocr``: pixel misses 6 -> 2 on one (a CT
#: banner the window hid), four others unchanged, one 4 -> 5 (a garbled read changed). In every view it found more there but lost 6 px type on 8-bit SC
#: frames, added a false alarm and cost 15-21 % more time.
FULL_RANGE_FINDER = replace(DEFAULT_REGION_FINDER, strokes=replace(DEFAULT_REGION_FINDER.strokes, grow_share=0.6))


class FileReadCache:
    """One file's reads: OCR lines per (region, pixel content), whole-frame reads and
    detector results per frame content, and how many frames the detector has seen."""

    def __init__(self, parameters: ReadingParameters | None = None) -> None:
        self.parameters = parameters or ReadingParameters()
        self._lines: dict[tuple, list[OcrLine]] = {}
        self._whole: dict[bytes, list[OcrLine]] = {}
        self._detected: dict[bytes, list[Box]] = {}
        self._steady: list[Box] | None = None
        self.display_reads: dict[int, list[RegionRead]] = {}  # what each display frame's regions read
        self.detector_runs = 0

    def steady_regions(self, static: StaticReference) -> list[Box]:
        """Text regions of the cine's temporal median, where steady text is crisp and moving
        anatomy blurred (found once per file)."""
        if self._steady is None:
            self._steady = text_regions(static.typical_image)
        return self._steady

    def _read_missing(self, engine: OcrEngine, image: np.ndarray, boxes: list[Box]) -> list[tuple]:
        """Read the regions of ``image`` not read before (one engine call, and small type
        read again: phidetect.pixel_reading.small_text); their keys."""
        keys = [(box, _digest(image[box[1]:box[1] + box[3], box[0]:box[0] + box[2]])) for box in boxes]
        missing = [(k, b) for k, b in zip(keys, boxes, strict=True) if k not in self._lines]
        if missing:
            lines = engine.read(image, boxes=[b for _, b in missing])
            first = [RegionRead(box, tuple(ln for ln in lines if centre_in((ln.x, ln.y, ln.width, ln.height), box)))
                     for _, box in missing]
            # small type read again here, once per region and content like the first read
            for (key, _), read in zip(missing, reread_small_text(image, first, engine.name, self.parameters),
                                      strict=True):
                self._lines[key] = list(read.lines)
        return keys

    def read_regions(self, engine: OcrEngine, image: np.ndarray, boxes: list[Box],
                     steady: SteadyText | None = None) -> list[RegionRead]:
        """Every region with the lines whose centre lies in it; a line shared by
        overlapping regions is given to the first only. ``steady``: the cine's median
        regions this frame shows, read there (once per file) and given first; a frame
        line that their lines cover (share ``same_region``) is the same text read again
        through the frame's noise, and is dropped."""
        keys = self._read_missing(engine, image, boxes)
        given: list[OcrLine] = []
        if steady is not None:
            keys = self._read_missing(engine, steady.image, steady.boxes) + keys
            boxes = steady.boxes + boxes
            given = [line for key in keys[:len(steady.boxes)] for line in self._lines[key]]
        seen: set[int] = set()
        result: list[RegionRead] = []
        for index, (key, box) in enumerate(zip(keys, boxes, strict=True)):
            fresh = [line for line in self._lines[key] if id(line) not in seen]
            if given and index >= len(steady.boxes):
                fresh = [line for line in fresh if not _read_there(line, given, steady.same_region)]
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
    boxes = text_regions(image, FULL_RANGE_FINDER if frame.view is View.FULL_RANGE else DEFAULT_REGION_FINDER)
    if options.detector_regions and EngineCapability.DETECT_REGIONS in engine.capabilities:
        boxes += cache.detector_boxes(engine, image, boxes, parameters)
    if frame.plane is Plane.IMAGE and frame.view is View.FULL_RANGE:
        boxes = _not_read_in_display(boxes, cache.display_reads.get(frame.frame, []), parameters)
    steady = None
    if static is not None and frame.plane is Plane.IMAGE and static.fits(image):
        boxes = [b for b in boxes if static.holds_text(image, b)]
        steady, boxes = _steady_text(image, boxes, static, cache, parameters)
    if not boxes and steady is None:
        return []
    reads = cache.read_regions(engine, image, boxes, steady)
    if frame.plane is Plane.IMAGE and frame.view is View.DISPLAY:
        cache.display_reads[frame.frame] = reads
    return reads


def _not_read_in_display(boxes: list[Box], display: list[RegionRead], parameters: ReadingParameters) -> list[Box]:
    """The full-range view's regions that the frame's surely read display regions (each
    widened by ``box_margin``) do not already hold (share ``already_read``). A display
    region counts where every line in it was read at ``reread_below`` or more: text the
    window showed plainly. What the window hides, shows only in part or dims into an
    unsure read ("DOB July 6'2004" at 0.55) is read again here."""
    m = parameters.box_margin
    sure = [(x - m, y - m, w + 2 * m, h + 2 * m) for (x, y, w, h), lines in
            ((r.box, r.lines) for r in display if r.box is not None)
            if lines and min(line.confidence for line in lines) >= parameters.reread_below]
    if not sure:
        return boxes
    return [b for b in boxes if covered_share(b, sure) < parameters.already_read]


def _steady_text(image: np.ndarray, boxes: list[Box], static: StaticReference, cache: FileReadCache,
                 parameters: ReadingParameters) -> tuple[SteadyText | None, list[Box]]:
    """The median's text regions this frame shows (None: none), and the frame's regions
    still to read. Those regions are read in the median, once for the whole cine and free
    of the frame's noise and moving anatomy. A median region counts as shown where the
    frame holds its strokes and nothing else (StaticReference.shows_typical's ``only``), or
    holds its strokes beside other ink that the frame's own region there takes in (text
    with anatomy moving over it); a frame region that is one of the first kind (overlap
    ``same_region``) is not read again."""
    shown, alone = [], []
    for box in cache.steady_regions(static):
        shows, only = static.shows_typical(image, box)
        if only:
            alone.append(box)
        if only or shows and any(overlap_ratio(box, own) > 0 for own in boxes):
            shown.append(box)
    if not shown:
        return None, boxes
    rest = [b for b in boxes if all(overlap_ratio(b, s) < parameters.same_region for s in alone)]
    return SteadyText(static.typical_image, shown, parameters.same_region), rest
