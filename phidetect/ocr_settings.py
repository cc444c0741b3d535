"""How burned-in text is read: settings that travel to worker processes. Kept apart from
the OCR code so a header-only scan never imports torch or OpenCV."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class OcrOptions:
    """``prefilter``: skip frames without text-like strokes; ``regions``: OCR only the
    classical text regions (False: the engine's own detector over the whole frame);
    ``detector_regions``: with ``regions``, also read the lines the engine's own detector
    finds that no classical region covers (text over anatomy, thin strokes; slower: the
    detector runs on the first two distinct frames); ``full_range``: single-frame images
    of more than 8 bits are also read in a view of every stored value
    (phidetect.dicom.pixels.full_range), for text the display window hides (only the
    regions the display frame did not already read: a few regions more, where the window
    hid text, which was the default reading's most common miss on CT and MR);
    ``steady_view``: cines are also read in the temporal median of their sampled frames,
    where burned-in text stays crisp while moving anatomy and noise blur out of it."""

    prefilter: bool = True
    regions: bool = True
    detector_regions: bool = False
    full_range: bool = True
    steady_view: bool = False

    def thorough(self) -> OcrOptions:
        """These options read the thorough way (:data:`THOROUGH`'s extra passes)."""
        return replace(self, detector_regions=True, full_range=True, steady_view=True)

    @property
    def is_thorough(self) -> bool:
        return self.detector_regions and self.full_range and self.steady_view


#: The thorough preset (``phidetect scan --thorough``, and how redaction reads): the
#: engine's own detector beside the classical regions, and cines' steady view, beside the
#: full-range view of >8-bit images that the default reads too. About 2-3x slower, a few
#: points more burned-in recall.
THOROUGH = OcrOptions().thorough()


@dataclass(frozen=True)
class ReadingParameters:
    """Tuned thresholds of the reading stage (phidetect.pixel_reading), with the values
    they were measured at.

    ``static_sample``: frames sampled to tell burned-in text (the same pixels on every
    frame) from moving anatomy. ``static_tolerance``: grey levels by which a stroke pixel
    may differ in another frame and still match it (anti-aliased glyph edges over changing
    noise, a display stretch moving a few levels a frame; moving speckle differs by more).
    ``stroke_contrast``: grey levels from a box's median that make a pixel a stroke.
    ``steady_share``: share of a box's stroke pixels that must match in a frame for
    "steady" text. ``plain_spread``: grey levels a plain background spreads over in the
    frames' median (noise left after a median of 8 frames is a few levels, glyphs and
    anatomy blur tens). ``detector_frames``: distinct frames per file the engine's own
    detector looks at (~0.5-2 s a frame on a CPU; a cine's text is on its first frames).
    ``covered``: a detector box this much covered by classical regions is read through
    those. ``box_margin``: pixels added around a PHI finding's box (OCR boxes hug glyphs).
    ``same_region``: overlap (intersection over union) at which a cine frame's text region
    is the temporal median's region there, read once in the median for every frame that
    shows it (region boxes move a pixel or two with the noise under them).
    ``already_read``: share of a full-range region that the display frame's surely read
    regions (each widened by ``box_margin``) must hold for it to count as read there (the
    window showed that text); the rest, text the window hides or shows only in part, is
    read. ``reread_below``: a display region with a line read at a lower confidence is not
    surely read (a date dimmed by the window read "July 6'2004" at 0.55, and its
    full-range read was the one that parsed). ``small_text_height``, ``small_reread_below``:
    a region whose lines are all at most this many pixels tall, one read below this
    confidence, is read again by tesseract where it is installed, and the surer read kept
    (phidetect.pixel_reading.small_text; easyocr garbles 5-9 px type that tesseract reads).
    """

    static_sample: int = 8
    static_tolerance: int = 24
    stroke_contrast: int = 40
    steady_share: float = 0.8
    plain_spread: int = 16
    detector_frames: int = 2
    covered: float = 0.6
    box_margin: int = 2
    same_region: float = 0.7
    already_read: float = 0.9
    reread_below: float = 0.9
    small_text_height: int = 10
    small_reread_below: float = 0.5


@dataclass(frozen=True)
class OcrSettings:
    """Which engine ("easyocr", "tesseract"), how frames are read, the reading stage's
    thresholds, and the device the model runs on (``auto``, ``cpu``, ``cuda``: see
    phidetect.ocr.devices). The device is not part of what findings depend on: two
    settings that differ in it compare equal, and a sweep resumed on a GPU is the same sweep."""

    engine: str = "easyocr"
    options: OcrOptions = field(default_factory=OcrOptions)
    parameters: ReadingParameters = field(default_factory=ReadingParameters)
    device: str = field(default="auto", compare=False, repr=False)

    def __post_init__(self) -> None:
        from phidetect.ocr.devices import Device

        object.__setattr__(self, "device", Device(self.device).value)  # "gpu" or a typo fails here


def ocr_settings(ocr: bool | str | OcrSettings | None) -> OcrSettings | None:
    """What callers pass as ``ocr=`` (True for easyocr, an engine name, OcrSettings, or
    False/None for header only) as OcrSettings or None."""
    if isinstance(ocr, OcrSettings):
        return ocr
    if isinstance(ocr, str):
        return OcrSettings(engine=ocr)
    return OcrSettings() if ocr else None
