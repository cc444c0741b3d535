"""How burned-in text is read: settings that travel to worker processes. Kept apart from
the OCR code so a header-only scan never imports torch or OpenCV."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OcrOptions:
    """``prefilter``: skip frames without text-like strokes; ``regions``: OCR only the
    classical text regions (False: the engine's own detector over the whole frame);
    ``detector_regions``: with ``regions``, also read the lines the engine's own detector
    finds that no classical region covers (text over anatomy, thin strokes; slower: the
    detector runs on the first two distinct frames); ``full_range``: single-frame images
    of more than 8 bits are also read in a view of every stored value
    (phidetect.dicom.pixels.full_range), for text the display window hides;
    ``steady_view``: cines are also read in the temporal median of their sampled frames,
    where burned-in text stays crisp while moving anatomy and noise blur out of it."""

    prefilter: bool = True
    regions: bool = True
    detector_regions: bool = False
    full_range: bool = False
    steady_view: bool = False


@dataclass(frozen=True)
class OcrSettings:
    """Which engine ("easyocr", "tesseract") and how frames are read."""

    engine: str = "easyocr"
    options: OcrOptions = field(default_factory=OcrOptions)
