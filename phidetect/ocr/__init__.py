"""Burned-in text reading: OCR engines behind one small interface (``engine``), and
classical text detection (``textness``) that decides which frames and regions are worth
an OCR call. Tuned thresholds live in ``parameters``. Engines and their models load only
when first used."""

from phidetect.ocr.engine import (
    EngineCannot,
    EngineCapability,
    OcrEngine,
    OcrLine,
    OcrUnavailable,
    OcrWord,
    get_engine,
    require,
)
from phidetect.ocr.parameters import (
    DEFAULT_INK,
    DEFAULT_REGION_FINDER,
    EasyOcrParameters,
    InkParameters,
    RegionFinderParameters,
    TesseractParameters,
    WordBoxParameters,
)

__all__ = ["DEFAULT_INK", "DEFAULT_REGION_FINDER", "EasyOcrParameters", "EngineCannot", "EngineCapability",
           "InkParameters", "OcrEngine", "OcrLine", "OcrUnavailable", "OcrWord", "RegionFinderParameters",
           "TesseractParameters", "WordBoxParameters", "get_engine", "require"]
