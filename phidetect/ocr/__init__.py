"""Burned-in text reading: OCR engines behind one small interface (``engine``), and
classical text detection (``textness``) that decides which frames and regions are worth
an OCR call. Engines and their models load only when first used."""

from phidetect.ocr.engine import OcrEngine, OcrLine, OcrUnavailable, OcrWord, get_engine

__all__ = ["OcrEngine", "OcrLine", "OcrUnavailable", "OcrWord", "get_engine"]
