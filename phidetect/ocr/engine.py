"""The OCR interface the burned-in text pipeline codes against.

Engines differ (easyocr reads whole lines with a neural recogniser, tesseract gives word
boxes), so results are normalised into lines of words with pixel boxes: the text rules
run on a line's text, and a PHI span found in it maps back to a redaction box through
``OcrLine.char_box``. What an engine can do beyond reading is declared, not guessed: its
``capabilities`` (see :class:`EngineCapability` and :func:`require`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol, runtime_checkable

import numpy as np

from phidetect.geometry import Box, union_box

__all__ = ["ENGINES", "Box", "CheckedEngine", "EngineCannot", "EngineCapability", "OcrEngine", "OcrLine", "OcrUnavailable",
           "OcrWord", "RegionDetector", "TextBox", "engines_with", "get_engine", "require", "union_box"]


class OcrUnavailable(RuntimeError):
    """The engine, its model weights or its binary are missing or corrupt; the message
    says how to get them (nothing is ever downloaded at run time)."""


class EngineCapability(Enum):
    """What an engine can do beyond reading text in the boxes it is given (every engine
    reads given boxes, and whole frames with its own layout analysis)."""

    #: Finds text lines itself over a whole frame, without reading them (``detect``): a
    #: second opinion beside the classical text regions (easyocr's CRAFT detector).
    DETECT_REGIONS = "find text regions itself"
    #: Measures each word's box itself; without it, word boxes are estimated from the
    #: line's ink (tesseract boxes words; easyocr's recogniser reads whole lines).
    WORD_BOXES = "box words itself"
    #: Runs on a CUDA GPU when torch sees one (easyocr).
    GPU = "run on a GPU"


class EngineCannot(OcrUnavailable):
    """The engine works but cannot do what was asked of it (see :func:`require`)."""


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
    texts joined by single spaces give ``text``). ``engine``: the engine that read it, where
    not the one the file was read with (small type read again by a second engine)."""

    words: tuple[OcrWord, ...] = ()
    engine: str = ""

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


@runtime_checkable
class OcrEngine(Protocol):
    """Reads text lines from a uint8 HxW or HxWx3 image. With ``boxes`` (candidate text
    regions (x, y, w, h) from classical detection) only those regions are read: much
    faster than the engine's own full-frame detector. ``capabilities``: what else it can
    do; an engine with ``DETECT_REGIONS`` is also a :class:`RegionDetector`."""

    name: str
    capabilities: frozenset[EngineCapability]

    def read(self, image: np.ndarray, boxes: list[Box] | None = None) -> list[OcrLine]: ...


@runtime_checkable
class CheckedEngine(OcrEngine, Protocol):
    """An engine that can say, without loading its model, whether it can run here
    (``check`` raises :class:`OcrUnavailable` naming what is missing): the built-in engines."""

    def check(self) -> None: ...


@runtime_checkable
class RegionDetector(Protocol):
    """What :attr:`EngineCapability.DETECT_REGIONS` promises: boxes (x, y, w, h) of the
    text lines found over a whole frame, without reading them."""

    def detect(self, image: np.ndarray) -> list[Box]: ...


ENGINES = ("easyocr", "tesseract")


def _engine_class(key: str) -> type:
    if key == "easyocr":
        from phidetect.ocr.easyocr_engine import EasyOcrEngine

        return EasyOcrEngine
    if key == "tesseract":
        from phidetect.ocr.tesseract_engine import TesseractEngine

        return TesseractEngine
    raise ValueError(f"unknown OCR engine {key!r}: choose one of {', '.join(ENGINES)}")


def engine_class(name: str) -> type:
    """The class of a built-in engine by name, to read its declared capabilities (no model
    is loaded)."""
    key = name.strip().lower()
    if key not in ENGINES:
        raise ValueError(f"unknown OCR engine {name!r}: choose one of {', '.join(ENGINES)}")
    return _engine_class(key)


def get_engine(name: str = "easyocr", **options) -> OcrEngine:
    """A new engine by name ("easyocr" or "tesseract"); ``options`` go to its constructor.
    Models load lazily, on the first ``read``."""
    return engine_class(name)(**options)


def engines_with(capability: EngineCapability) -> list[str]:
    """Names of the built-in engines that declare ``capability`` (no model is loaded)."""
    return [name for name in ENGINES if capability in _engine_class(name).capabilities]


def require(engine: OcrEngine, capability: EngineCapability, purpose: str) -> None:
    """Raise :class:`EngineCannot` unless ``engine`` declares ``capability``; the message
    names what it cannot do, what needed it (``purpose``, e.g. "thorough reading") and
    which engines can, e.g. "tesseract cannot find text regions itself; thorough reading
    needs easyocr". An engine that declares no ``capabilities`` can do nothing extra."""
    if capability in getattr(engine, "capabilities", frozenset()):
        return
    able = [name for name in engines_with(capability) if name != getattr(engine, "name", "")]
    needs = " or ".join(able) if able else f"an engine that can {capability.value}"
    raise EngineCannot(f"{getattr(engine, 'name', type(engine).__name__)} cannot {capability.value}; "
                       f"{purpose} needs {needs}")
