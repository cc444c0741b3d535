"""Tuned thresholds of the OCR package, in one place, with the values they were tuned at.

Each stage takes its parameters explicitly (``text_regions(image, params)``,
``widen_to_ink(gray, box, params=...)``, an engine's ``params=``); the defaults here are
what every measurement in the README was made with. Sizes are in pixels and contrasts in
grey levels of 255 unless a name says otherwise; "heights" are multiples of a glyph's or
line's height, "share" a fraction 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------- classical text regions


@dataclass(frozen=True)
class StrokeParameters:
    """Stroke pixels: a white and a black top-hat over the frame, thresholded.

    ``tophat_size``: the structuring element, wider than the strokes of a 40 px bold font.
    ``min_contrast``: the smallest stroke contrast that counts ... ``noise_sigmas``: ...
    raised to this many robust noise sigmas on noisy frames. ``many_components``: above
    about this many components in a mask, boxes come from connectedComponentsWithStats
    (cheaper on speckle) instead of contours (cheaper on sparse masks); speed only.
    ``grow_share``: a second pass where stroke pixels above this share of the threshold
    join a component that holds a pixel above the threshold (hysteresis): a thin, faint
    font's anti-aliased strokes (7-9 px type at 50-60 levels over black) otherwise fall
    apart into specks. Its lines join the plain pass's (1.0: no such pass; the reading
    stage runs it in the full-range view, see phidetect.pixel_reading.regions), where
    their boxes are at most ``grow_max_height`` px tall: grown strokes of anatomy make big
    ones, which cost a read each (a seed with no such text took 40 % longer with boxes of any height),
    and hold at least ``grow_min_glyphs`` glyphs: grown anatomy edges make lines of one to
    three specks, which redaction then blanked as unsure text (a faint banner's lines
    held 4-13 glyphs, anatomy's 1-3 on the synthetic CT and MR frames looked at).
    """

    tophat_size: int = 11
    min_contrast: int = 40
    noise_sigmas: float = 4.0
    many_components: int = 1500
    grow_share: float = 1.0
    grow_max_height: int = 16
    grow_min_glyphs: int = 4


@dataclass(frozen=True)
class GlyphParameters:
    """Which stroke components could be glyphs (or runs of glyphs glued by anti-aliasing).

    ``min_height`` / ``max_height``: a 9 px font has 5-6 px capitals and 4 px lower case;
    a 40 px font's bracket or descender glyph reaches ~50 px. ``min_width`` and
    ``max_aspect`` (width over height: a glued run of a small font is long). Ink share of
    the box between ``min_fill`` and ``max_fill`` (neither solid nor wispy), except for a
    component narrower than ``solid_aspect`` heights (a bar: I, l, 1 may be solid).
    Widest stroke: ``max_stroke_share`` of the height or ``max_stroke_px``, whichever is
    larger (a blob or a vessel cross-section is about as thick as it is tall), or
    ``glued_stroke_share`` for a component wider than ``glued_aspect`` heights (glyphs
    thicken where they touch). A component failing that is measured again on its core,
    the top-hat above ``core_share`` of its peak (faint anti-aliasing drops out).
    """

    min_height: int = 4
    max_height: int = 60
    min_width: int = 2
    max_aspect: float = 25.0
    min_fill: float = 0.12
    max_fill: float = 0.88
    solid_aspect: float = 0.45
    max_stroke_share: float = 0.6
    max_stroke_px: float = 6.0
    glued_aspect: float = 1.5
    glued_stroke_share: float = 0.8
    core_share: float = 0.5


@dataclass(frozen=True)
class ChainParameters:
    """How glyphs chain left to right into lines.

    A glyph joins a line when the gap to it is at most ``max_gap_heights`` of the taller
    glyph plus ``gap_slack_px`` (word spaces included, column gaps not), they overlap
    horizontally by at most ``max_overlap_heights``, their rows overlap by at least
    ``min_row_overlap`` of the shorter one, and its height is ``min_height_ratio`` to
    ``max_height_ratio`` of the line's tallest glyph.
    """

    max_gap_heights: float = 1.2
    gap_slack_px: int = 2
    max_overlap_heights: float = 0.5
    min_row_overlap: float = 0.5
    min_height_ratio: float = 0.4
    max_height_ratio: float = 2.5


@dataclass(frozen=True)
class LoneGlyphParameters:
    """A line of one component must look like a letter (a "M" sex letter, an "L" marker)
    or, wider than ``word_aspect`` heights, like a glued word of a small font.

    Letter: at least ``letter_min_height`` tall, ink share ``letter_min_fill`` to
    ``letter_max_fill``, at least ``letter_min_aspect`` heights wide. Word: at least
    ``word_min_height`` tall, ink share ``word_min_fill`` to ``word_max_fill``.
    """

    word_aspect: float = 2.0
    word_min_height: int = 5
    word_min_fill: float = 0.15
    word_max_fill: float = 0.75
    letter_min_height: int = 8
    letter_min_fill: float = 0.2
    letter_max_fill: float = 0.7
    letter_min_aspect: float = 0.3


@dataclass(frozen=True)
class RegularityParameters:
    """Printed text: glyphs of similar height sharing a baseline or a cap line.

    Heights may spread (standard deviation) by ``max_height_spread`` of their mean; at
    least ``min_aligned_share`` of the glyphs lie within ``align_tolerance`` of the median
    height (at least 1 px) of the median baseline or cap line. Two glyphs line up easily
    by chance, so a pair must be at least ``pair_min_height`` tall, the shorter at least
    ``pair_height_ratio`` of the taller, aligned within ``pair_align_tolerance``.
    """

    max_height_spread: float = 0.35
    align_tolerance: float = 0.12
    min_aligned_share: float = 0.6
    pair_min_height: int = 6
    pair_height_ratio: float = 0.6
    pair_align_tolerance: float = 0.1


@dataclass(frozen=True)
class ContrastParameters:
    """A line's strokes against the ring of background around it, and their edges.

    The ring is a ``ring_divisor``-th of the tallest glyph wide, at least ``ring_min_px``.
    A line needs contrast of ``threshold_share`` of the stroke threshold t on clean frames
    and ``noisy_threshold_share`` t less ``noisy_offset`` on noisy ones (about 3 sigma
    when t is 4 sigma). At ``strong_contrast``, or ``strong_threshold_share`` t, it needs
    no regularity (overlay text is usually drawn at full white or black; anatomy texture
    rarely stands out this much). Edges: the median 3x3 gradient on stroke borders over
    the ``peak_quantile`` of the strokes' top-hat must reach ``min_sharpness`` (overlay
    text scores 0.4-1.0, blurred small text ~0.4; smooth anatomy under 0.2).
    """

    ring_divisor: int = 4
    ring_min_px: int = 2
    threshold_share: float = 0.5
    noisy_threshold_share: float = 0.75
    noisy_offset: float = 10.0
    strong_contrast: float = 90.0
    strong_threshold_share: float = 1.5
    min_sharpness: float = 0.3
    peak_quantile: float = 0.9


@dataclass(frozen=True)
class BigLetteringParameters:
    """The second pass, at half resolution with a wider top-hat, for big bold lettering
    ("L" markers on radiographs) whose strokes the first top-hat removes. In
    full-resolution pixels: glyphs at least ``min_height`` tall with strokes at least
    ``min_stroke_px`` wide, a ``tophat_size`` element, and only at ``min_contrast``
    (such lettering is drawn at full white or black). Frames under two ``min_height``
    on a side skip the pass."""

    min_height: int = 28
    min_stroke_px: float = 5.0
    tophat_size: int = 31
    min_contrast: float = 120.0


@dataclass(frozen=True)
class RegionBoxParameters:
    """A line's box and the merging of boxes of one text row.

    Margin around the glyphs (OCR recognisers read better with some background):
    ``margin_x_heights`` / ``margin_y_heights`` of the tallest glyph plus ``margin_px``.
    Two boxes merge when one lies ``contained_share`` inside the other (the same line
    found twice, a counter read in the other polarity), or they share a row by
    ``row_overlap`` of the taller and the gap between them is under ``max_gap_heights``
    of the shorter (a word split where a glyph failed the glyph tests).
    """

    margin_x_heights: float = 0.3
    margin_y_heights: float = 0.2
    margin_px: int = 2
    contained_share: float = 0.8
    row_overlap: float = 0.6
    max_gap_heights: float = 0.8


@dataclass(frozen=True)
class RegionFinderParameters:
    """Everything the classical text-region finder (``text_regions``) and the OCR
    pre-filter (``has_text``, the same finder stopping at its first line) decide with.
    Tuned not to miss text: an extra region costs one recogniser call, a missed one
    leaves PHI in the pixels."""

    strokes: StrokeParameters = field(default_factory=StrokeParameters)
    glyphs: GlyphParameters = field(default_factory=GlyphParameters)
    chain: ChainParameters = field(default_factory=ChainParameters)
    lone: LoneGlyphParameters = field(default_factory=LoneGlyphParameters)
    regularity: RegularityParameters = field(default_factory=RegularityParameters)
    contrast: ContrastParameters = field(default_factory=ContrastParameters)
    big: BigLetteringParameters = field(default_factory=BigLetteringParameters)
    boxes: RegionBoxParameters = field(default_factory=RegionBoxParameters)


DEFAULT_REGION_FINDER = RegionFinderParameters()


# ---------------------------------------------------------------- a line's ink


@dataclass(frozen=True)
class InkParameters:
    """How ``widen_to_ink`` follows a line's ink beyond its box.

    A run of ink-free columns longer than ``gap_heights`` line heights ends the line (word
    spaces are ~0.3-0.6 of the height; the gap between two banner fields is wider). The
    box grows by at most ``max_growth_heights`` on each side, so texture next to the text
    cannot carry it across the image. The text's contrast is the ``level_percentile`` of
    the stroke response inside the box; below ``min_contrast`` there are no strokes to
    follow. A column holds ink when a stroke reaches ``ink_share`` of that contrast (low:
    the same white text over bright anatomy keeps only a fraction of it).
    """

    gap_heights: float = 1.0
    max_growth_heights: float = 10.0
    min_contrast: float = 20.0
    ink_share: float = 0.15
    level_percentile: float = 95.0


DEFAULT_INK = InkParameters()


@dataclass(frozen=True)
class WordBoxParameters:
    """How a recognised line's words get boxes from its pixels (engines that read whole
    lines, easyocr).

    Ink: pixels differing from the crop's border median by more than ``ink_share`` of the
    largest difference and at least ``min_contrast``; a crop whose largest difference is
    under ``min_peak`` has none. The line's own rows: the run of rows holding at least
    ``band_row_share`` of the most inked row's ink, widened by a ``band_growth_divisor``-th
    of its height for ascenders and descenders; a band under ``min_band_share`` of the box
    height is an edge of the anatomy behind the text, not text. An ink extent narrower than
    ``min_char_width_heights`` of the box height per character read is not the line's ink
    either (a bright band of anatomy crossing faint text outshines it): the words are then
    placed along the box read, by character count. Measured: "Lake Jason" (10 characters,
    italic grey over a CR's noise and a bright vertical band, box 78 x 22 px) had an ink
    extent of 15 px; condensed fonts give each character 0.3 of the box height or more.
    """

    min_peak: int = 25
    min_contrast: int = 20
    ink_share: float = 0.5
    band_row_share: float = 0.15
    band_growth_divisor: int = 3
    min_band_share: float = 0.4
    min_char_width_heights: float = 0.2


DEFAULT_WORD_BOXES = WordBoxParameters()


# ---------------------------------------------------------------- engines


@dataclass(frozen=True)
class EasyOcrParameters:
    """How the easyocr engine prepares what it reads (its readtext options for full
    frames are ``EasyOcrEngine.readtext_options``).

    ``edge_pad``: background added beyond the frame's edge for regions that touch it.
    ``max_one_line_height``: a region taller than this may hold several lines (or a line
    on anatomy); the recogniser reads one line per box, so easyocr's detector first
    splits it into lines. That split: crops under ``split_min_crop`` on a side are read
    as they are; crops whose longer side is under ``magnify_below`` are magnified
    ``magnify`` times so 6-10 px text is seen; CRAFT runs with ``split_min_size``,
    ``split_canvas_size`` and ``split_width_ths``. ``screen_unmagnified``: a crop to be
    magnified is first searched at its own scale (a quarter of the cost), and read as it is
    where CRAFT finds no line there; measured on the 35 tall crops of phidetect synth seed
    55221 (default mode), every crop with lines at 2x showed lines at 1x too; the search
    took 2.7 s at 1x against 10.7 s at 2x over all 35, and the 19 with no line (anatomy the
    region finder took for text) are spared the 2x search.
    ``gpu_batch``: recogniser batch size on a GPU (1 on a CPU: measured 0.95x at 4 and
    0.75x at 16 there, same texts). ``words``: how word boxes are measured.
    """

    edge_pad: int = 6
    max_one_line_height: int = 40
    split_min_crop: int = 8
    magnify: float = 2.0
    magnify_below: int = 800
    split_min_size: int = 8
    split_canvas_size: int = 1600
    split_width_ths: float = 1.5
    screen_unmagnified: bool = True
    gpu_batch: int = 16
    words: WordBoxParameters = field(default_factory=WordBoxParameters)


@dataclass(frozen=True)
class TesseractParameters:
    """How regions are shown to tesseract, whose LSTM reads best with dark text on a light
    background and capitals some 20-30 px tall.

    Regions are scaled so their height (text plus margin) is about ``target_line_height``,
    by at most ``max_scale``; whole frames whose longer side is under ``small_frame`` are
    doubled. Stacked regions are ``row_gap`` white rows apart; a whole frame gets a
    ``border`` (tesseract misreads glyphs touching the edge). A region whose border median
    is under ``dark_below`` is inverted; each is stretched between its
    ``stretch_percentiles``. Ink touching a region's top or bottom that is shorter than
    ``fragment_share`` of it (neighbouring lines' descenders) is painted out, in regions
    at least ``fragment_min_height`` tall. Page segmentation modes: ``whole_frame_psm``
    (sparse text) and ``regions_psm`` (a block of lines).
    """

    target_line_height: int = 48
    max_scale: float = 4.0
    small_frame: int = 1200
    row_gap: int = 16
    border: int = 10
    dark_below: float = 128.0
    stretch_percentiles: tuple[float, float] = (2.0, 98.0)
    fragment_share: float = 0.45
    fragment_min_height: int = 8
    whole_frame_psm: int = 11
    regions_psm: int = 6
