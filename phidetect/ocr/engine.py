"""The OCR interface the burned-in text pipeline codes against.

Engines differ (easyocr reads whole lines with a neural recogniser, tesseract gives word
boxes), so results are normalised into lines of words with pixel boxes: the text rules
run on a line's text, and a PHI span found in it maps back to a redaction box through
``OcrLine.char_box``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

Box = tuple[int, int, int, int]


class OcrUnavailable(RuntimeError):
    """The engine, its model weights or its binary are missing or corrupt; the message
    says how to get them (nothing is ever downloaded at run time)."""


@dataclass(frozen=True)
class TextBox:
    """Text read in a box of image pixels (origin top-left), with the engine's confidence 0..1."""

    text: str
    x: int
    y: int
    width: int
    height: int
    confidence: float


@dataclass(frozen=True)
class OcrWord(TextBox):
    """One word."""


@dataclass(frozen=True)
class OcrLine(TextBox):
    """One line of text with its box and, when known, its words (in reading order; their
    texts joined by single spaces give ``text``)."""

    words: tuple[OcrWord, ...] = ()

    def char_box(self, start: int, end: int) -> Box:
        """(x, y, w, h) of ``text[start:end]``: the union of the words the span touches
        when words are known, else a proportional split of the line box by character
        position. Meant for a redaction box: callers pad it by a pixel or two."""
        n = len(self.text)
        start, end = max(0, min(start, n)), max(0, min(end, n))
        if end <= start or n == 0:
            return self.x, self.y, 0, self.height
        if self.words:
            boxes = [(w.x, w.y, w.width, w.height)
                     for w, (ws, we) in zip(self.words, self._word_spans(), strict=True)
                     if ws < end and we > start]
            if boxes:
                return union_box(boxes)
        x0 = self.x + self.width * start / n
        x1 = self.x + self.width * end / n
        left, right = int(np.floor(x0)), int(np.ceil(x1))
        return left, self.y, max(1, right - left), self.height

    def _word_spans(self) -> list[tuple[int, int]]:
        """Character span of each word in ``text`` (found left to right, so repeated words
        map to their own occurrence)."""
        spans, pos = [], 0
        for word in self.words:
            at = self.text.find(word.text, pos) if word.text else -1
            if at < 0:          # text and words disagree: give the word no characters
                spans.append((pos, pos))
                continue
            spans.append((at, at + len(word.text)))
            pos = at + len(word.text)
        return spans


def union_box(boxes: list[Box]) -> Box:
    """The smallest box holding all ``boxes``."""
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return x0, y0, x1 - x0, y1 - y0


@runtime_checkable
class OcrEngine(Protocol):
    """Reads text lines from a uint8 HxW or HxWx3 image. With ``boxes`` (candidate text
    regions (x, y, w, h) from classical detection) only those regions are read: much
    faster than the engine's own full-frame detector."""

    name: str

    def read(self, image: np.ndarray, boxes: list[Box] | None = None) -> list[OcrLine]: ...


ENGINES = ("easyocr", "tesseract")


def get_engine(name: str = "easyocr", **options) -> OcrEngine:
    """A new engine by name ("easyocr" or "tesseract"); ``options`` go to its constructor.
    Models load lazily, on the first ``read``."""
    key = name.strip().lower()
    if key == "easyocr":
        from phidetect.ocr.easyocr_engine import EasyOcrEngine

        return EasyOcrEngine(**options)
    if key == "tesseract":
        from phidetect.ocr.tesseract_engine import TesseractEngine

        return TesseractEngine(**options)
    raise ValueError(f"unknown OCR engine {name!r}: choose one of {', '.join(ENGINES)}")
