"""Faint thin type: 7-9 px anti-aliased strokes some 45-55 levels over black, as a
stretched full-range view shows what the display window hid. At the plain stroke
threshold they fall apart into specks; the full-range view's region finder grows strokes
from their brightest pixels (hysteresis) and finds the whole line. The display view keeps
the plain finder (grown strokes cost 6 px type on 8-bit frames there, and false alarms)."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from phidetect.dicom.pixels import DisplayFrame
from phidetect.ocr.engine import OcrLine
from phidetect.ocr.textness import text_regions
from phidetect.ocr_settings import OcrOptions, ReadingParameters
from phidetect.pixel_reading.regions import FULL_RANGE_FINDER, FileReadCache, read_frame
from phidetect.planes import Plane, View

LINE = "Quillon, Bert 07/14/1969"   # not from detection's word lists


def faint_line(level: int, scale: float) -> tuple[np.ndarray, tuple[int, int]]:
    """A black frame with LINE drawn thin at ``level``; (first, last) column of the text."""
    image = np.full((60, 320), 5, np.uint8)
    cv2.putText(image, LINE, (10, 25), cv2.FONT_HERSHEY_PLAIN, scale, level, 1, cv2.LINE_AA)
    (width, _), _ = cv2.getTextSize(LINE, cv2.FONT_HERSHEY_PLAIN, scale, 1)
    return image, (10, 10 + width)


@pytest.mark.parametrize(("level", "scale"), [(48, 0.7), (52, 0.6), (56, 0.6)])
def test_faint_thin_type_is_one_line_in_the_full_range_finder_and_none_in_the_plain(level, scale) -> None:
    image, (first, last) = faint_line(level, scale)
    assert text_regions(image) == []
    boxes = text_regions(image, FULL_RANGE_FINDER)
    assert len(boxes) == 1
    x, _, w, _ = boxes[0]
    assert x <= first + 2 and x + w >= last - 6      # the whole line, not a word of it


@pytest.mark.parametrize("speck", ["Qb7", "x2", "Wm"])
def test_a_few_grown_specks_are_not_a_line(speck: str) -> None:
    """Grown anatomy edges make lines of one to three specks, which redaction would blank
    as unsure text: the grown pass keeps lines of ``grow_min_glyphs`` glyphs or more."""
    image = np.full((60, 320), 5, np.uint8)
    cv2.putText(image, speck, (10, 25), cv2.FONT_HERSHEY_PLAIN, 0.6, 52, 1, cv2.LINE_AA)
    any_length = replace(FULL_RANGE_FINDER, strokes=replace(FULL_RANGE_FINDER.strokes, grow_min_glyphs=1))
    assert len(text_regions(image, any_length)) == 1     # the grown pass sees it ...
    assert text_regions(image, FULL_RANGE_FINDER) == []  # ... and keeps it out


def test_grown_strokes_do_not_change_what_the_plain_pass_finds_whole() -> None:
    image = np.full((60, 320), 5, np.uint8)
    cv2.putText(image, LINE, (10, 25), cv2.FONT_HERSHEY_PLAIN, 1.0, 200, 1, cv2.LINE_AA)
    assert text_regions(image, FULL_RANGE_FINDER) == text_regions(image)


class AskedEngine:
    """Reads nothing; records the boxes it was asked to read."""

    name = "asked"
    capabilities = frozenset()

    def __init__(self) -> None:
        self.asked: list[list] = []

    def read(self, image: np.ndarray, boxes=None) -> list[OcrLine]:
        self.asked.append(list(boxes or []))
        return []


@pytest.mark.parametrize(("view", "read"), [(View.FULL_RANGE, True), (View.DISPLAY, False)])
def test_only_the_full_range_view_reads_faint_thin_type(view: View, read: bool) -> None:
    image, _ = faint_line(52, 0.6)
    engine = AskedEngine()
    parameters = ReadingParameters()
    read_frame(DisplayFrame(0, image, Plane.IMAGE, view), engine, OcrOptions(), parameters,
               FileReadCache(parameters))
    assert (engine.asked == [text_regions(image, FULL_RANGE_FINDER)]) is read
