"""How the easyocr engine splits a tall region into lines before recognising it: the
magnified CRAFT search, four times the cost, runs only where the crop shows a line at its
own scale. A fake reader stands in for easyocr: it records the magnifications asked for."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from phidetect.ocr.easyocr_engine import _lines_inside
from phidetect.ocr.parameters import EasyOcrParameters


class MagnificationRecordingReader:
    """easyocr.Reader's ``detect`` as far as the split uses it: the lines it answers per
    magnification (crop coordinates), and each magnification asked for."""

    def __init__(self, lines_at: dict[float, list[list[int]]]) -> None:
        self.lines_at = lines_at
        self.asked: list[float] = []

    def detect(self, crop: np.ndarray, **options) -> tuple[list[list[list[int]]], list[list]]:
        self.asked.append(options["mag_ratio"])
        return [self.lines_at.get(options["mag_ratio"], [])], [[]]


FRAME = np.zeros((300, 400), np.uint8)
TALL_BOX = [100, 300, 50, 150]  # x0, x1, y0, y1: 200 x 100 px, under magnify_below


def test_crop_without_a_line_at_its_own_scale_is_not_searched_magnified():
    reader = MagnificationRecordingReader({2.0: [[10, 90, 5, 20]]})
    assert _lines_inside(reader, FRAME, TALL_BOX, EasyOcrParameters()) == [TALL_BOX]
    assert reader.asked == [1.0]


def test_crop_with_a_line_at_its_own_scale_is_split_where_the_magnified_search_says():
    reader = MagnificationRecordingReader({1.0: [[0, 150, 0, 40]], 2.0: [[10, 150, 5, 20], [10, 120, 30, 45]]})
    lines = _lines_inside(reader, FRAME, TALL_BOX, EasyOcrParameters())
    assert reader.asked == [1.0, 2.0]
    assert lines == [[110, 250, 55, 70], [110, 220, 80, 95]]  # crop coordinates moved into the frame


def test_without_the_screen_the_magnified_search_alone_runs():
    reader = MagnificationRecordingReader({2.0: [[10, 150, 5, 20]]})
    lines = _lines_inside(reader, FRAME, TALL_BOX, replace(EasyOcrParameters(), screen_unmagnified=False))
    assert reader.asked == [2.0]
    assert lines == [[110, 250, 55, 70]]


def test_large_crop_is_searched_once_at_its_own_scale():
    reader = MagnificationRecordingReader({1.0: [[10, 150, 5, 20]]})
    box = [0, 900, 0, 200]  # longer side over magnify_below: never magnified
    assert _lines_inside(reader, np.zeros((300, 1000), np.uint8), box, EasyOcrParameters()) == [[10, 150, 5, 20]]
    assert reader.asked == [1.0]
