"""Small type read a second way. easyocr's recogniser garbles text five to nine pixels
tall ("JoCe AoCjesnea?", "Raciclceie Mla"), which banners of small CR and US frames use;
tesseract, shown the region upscaled to its preferred cap height and dark on light
(phidetect.ocr.tesseract_engine), reads most of it ("Stey, Sad", "Exam: 12/31/2010").
So a region whose lines are all that small and unsurely read is read again by tesseract
where it is installed, and keeps whichever read is surer. Without tesseract, reads are
as the first engine made them."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np

from phidetect.geometry import centre_in
from phidetect.ocr.engine import OcrEngine, OcrLine, OcrUnavailable
from phidetect.ocr_settings import ReadingParameters
from phidetect.pixel_reading.records import RegionRead

SECOND_ENGINE = "tesseract"


@lru_cache(maxsize=1)
def second_reader() -> OcrEngine | None:
    """The engine that reads small type again (tesseract), or None where it cannot run here."""
    from phidetect.ocr.tesseract_engine import TesseractEngine

    engine = TesseractEngine()
    try:
        engine.check()
    except OcrUnavailable:
        return None
    return engine


def _mean_confidence(lines: tuple[OcrLine, ...] | list[OcrLine]) -> float:
    return sum(line.confidence for line in lines) / len(lines)


def _unsure_small(read: RegionRead, parameters: ReadingParameters) -> bool:
    """A region whose lines are all at most ``small_text_height`` px tall, one of them read
    below ``small_reread_below``."""
    return read.box is not None and bool(read.lines) \
        and all(line.height <= parameters.small_text_height for line in read.lines) \
        and min(line.confidence for line in read.lines) < parameters.small_reread_below


def reread_small_text(image: np.ndarray, reads: list[RegionRead], first_engine: str,
                      parameters: ReadingParameters, second: OcrEngine | None = None) -> list[RegionRead]:
    """``reads`` with each region of unsure small type read again by ``second`` (default:
    :func:`second_reader`) in one call, and given the second read's lines where their mean
    confidence is higher than the first read's (marked as that engine's: findings name it)."""
    unsure = [i for i, read in enumerate(reads) if _unsure_small(read, parameters)]
    if not unsure or first_engine == SECOND_ENGINE:
        return reads
    second = second if second is not None else second_reader()
    if second is None:
        return reads
    lines = second.read(image, boxes=[reads[i].box for i in unsure])
    out = list(reads)
    for i in unsure:
        box = reads[i].box
        theirs = [ln for ln in lines if centre_in((ln.x, ln.y, ln.width, ln.height), box)]
        if theirs and _mean_confidence(theirs) > _mean_confidence(reads[i].lines):
            out[i] = RegionRead(box, tuple(replace(ln, engine=second.name) for ln in theirs))
    return out
