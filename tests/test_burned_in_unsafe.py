"""What a redactor blanks beyond the PHI words (phidetect.redact.unsafe_text): the rest
of a line holding PHI, lines read too unsurely to judge, text regions read as nothing;
and what it leaves: surely read text without PHI, technical settings, anatomy read as a
letter or two."""

from __future__ import annotations

import numpy as np
from pixel_reads import detect, unsafe_in

from phidetect.dicom.pixels import DisplayFrame
from phidetect.geometry import ALL_FRAMES, FrameBox
from phidetect.ocr.engine import EngineCapability, OcrLine
from phidetect.ocr_settings import OcrOptions
from phidetect.pixel_reading import StaticReference
from phidetect.planes import Plane, View
from phidetect.redact.blanking import BlankingParameters, Reason, UnsafeBox
from phidetect.redact.text_blocks import recurring, stacked_with_unsafe
from phidetect.redact.unsafe_text import _aligned_to_block
from phidetect.text.crossref import Identity, PersonName
from phidetect.text.registry import default_registry

REGISTRY = default_registry()
IDENTITY = Identity(names=[PersonName.from_parts(["OYELARAN", "TEMITOPE"], "crossref.patient_name")])


class ScriptedEngine:
    """Returns its lines whose centre lies in a requested box; counts detector calls."""

    name = "scripted"
    capabilities = frozenset({EngineCapability.DETECT_REGIONS})

    def __init__(self, lines: list[OcrLine], detected: list[tuple[int, int, int, int]] | None = None) -> None:
        self.lines, self.detected, self.detect_calls = lines, detected or [], 0

    def read(self, image, boxes=None):
        if boxes is None:
            return list(self.lines)
        return [ln for ln in self.lines for (x, y, w, h) in boxes
                if x <= ln.x + ln.width / 2 <= x + w and y <= ln.y + ln.height / 2 <= y + h]

    def detect(self, image):
        self.detect_calls += 1
        return list(self.detected)


def frame_with_rows(rows: list[tuple[int, int, int]], shape=(240, 400)) -> DisplayFrame:
    """Bright glyph-like strokes (3 px wide bars, 4 px apart) in each (y, x0, x1) row band,
    12 px tall: what the classical region finder takes for a line of text."""
    image = np.zeros(shape, dtype=np.uint8)
    for y, x0, x1 in rows:
        for x in range(x0, x1, 7):
            image[y:y + 12, x:x + 2] = 230
            image[y:y + 2, x:x + 5] = 230
    return DisplayFrame(frame=0, image=image, plane=Plane.IMAGE)


def line(text: str, x: int, y: int, w: int, confidence: float, h: int = 12) -> OcrLine:
    return OcrLine(text=text, x=x, y=y, width=w, height=h, confidence=confidence)


def unsafe_for(frame: DisplayFrame, engine: ScriptedEngine, options: OcrOptions | None = None):
    return detect([frame], engine, registry=REGISTRY, identity=IDENTITY,
                  options=options or OcrOptions(prefilter=False), collect=True)


def covers(item: UnsafeBox, x0: int, x1: int, y: int) -> bool:
    box = item.box
    return box.x <= x0 and box.x + box.width >= x1 and box.y <= y and box.y + box.height >= y + 12


def unsafe(frame, x: int, y: int, w: int, h: int, reason: Reason) -> UnsafeBox:
    return UnsafeBox(FrameBox(frame, x, y, w, h, Plane.IMAGE), reason)


P = BlankingParameters()


def test_a_line_holding_phi_is_blanked_whole_including_what_ocr_did_not_read():
    frame = frame_with_rows([(20, 10, 300)])
    # OCR read only the first part of the line; the name is there, the rest was not read
    engine = ScriptedEngine([line("Pt: OYELARAN TEMI", 10, 20, 150, 0.9)])
    findings, unsafe = unsafe_for(frame, engine)
    assert [f.text for f in findings] == ["OYELARAN"]
    assert findings[0].x > 10  # the finding is the PHI words only
    [whole] = [u for u in unsafe if u.reason is Reason.LINE_HOLDS_PHI]
    assert covers(whole, 10, 298, 20), whole  # widened along the ink to the line's end


def test_unsure_reads_are_blanked_and_sure_text_without_phi_is_kept():
    frame = frame_with_rows([(20, 10, 200), (60, 10, 200), (100, 10, 120), (140, 10, 150)])
    engine = ScriptedEngine([
        line("Hccu Mke Oaaes", 10, 20, 190, 0.12),       # tiny text OCR cannot read
        line("Circle of Willis", 10, 60, 190, 0.95),     # read surely, no PHI
        line("W:400 L:40", 10, 100, 110, 0.3),           # a technical setting, however read
        line("Crohn disease", 10, 140, 140, 0.92),
    ])
    findings, unsafe = unsafe_for(frame, engine)
    assert findings == []
    assert [(u.reason, u.box.y <= 20 < u.box.y + u.box.height) for u in unsafe] == [(Reason.READ_UNSURELY, True)]


def test_anatomy_read_as_a_letter_or_two_is_not_blanked():
    frame = frame_with_rows([(20, 10, 80)])
    engine = ScriptedEngine([line("Oc", 10, 20, 70, 0.04, h=14)])
    assert unsafe_for(frame, engine)[1] == []


def test_a_text_region_read_as_nothing_is_blanked():
    frame = frame_with_rows([(30, 40, 260)])
    _, unsafe = unsafe_for(frame, ScriptedEngine([]))
    assert [u.reason for u in unsafe] == [Reason.REGION_NOT_READ]
    assert covers(unsafe[0], 42, 256, 30)


def test_detector_regions_add_text_the_classical_finder_missed():
    frame = frame_with_rows([(20, 10, 200)])
    missed = line("OYELARAN", 250, 200, 60, 0.8)  # where no classical region is (no strokes drawn)
    engine = ScriptedEngine([line("kVp 120", 10, 20, 190, 0.9), missed], detected=[(248, 198, 66, 16)])
    without, _ = unsafe_for(frame, engine)
    assert without == [] and engine.detect_calls == 0
    with_detector, unsafe = unsafe_for(frame, engine, OcrOptions(prefilter=False, detector_regions=True))
    assert [f.text for f in with_detector] == ["OYELARAN"]
    assert engine.detect_calls == 1
    assert [u.reason for u in unsafe] == [Reason.LINE_HOLDS_PHI]


def test_findings_are_the_same_whether_or_not_unsafe_text_is_collected():
    frame = frame_with_rows([(20, 10, 300)])
    engine = ScriptedEngine([line("OYELARAN TEMITOPE 12/03/1961", 10, 20, 290, 0.9)])
    collected, _ = unsafe_for(frame, engine)
    plain, _ = detect([frame], engine, registry=REGISTRY, identity=IDENTITY, options=OcrOptions(prefilter=False))
    assert collected == plain


def test_in_the_full_range_view_only_lines_holding_phi_are_blanked():
    shown = frame_with_rows([(20, 10, 300), (60, 10, 200)])
    view = DisplayFrame(frame=0, image=shown.image, plane=Plane.IMAGE, view=View.FULL_RANGE)
    engine = ScriptedEngine([line("Pt: OYELARAN TEMI", 10, 20, 150, 0.9), line("Hccu Mke Oaaes", 10, 60, 190, 0.1)])
    _, unsafe = unsafe_for(view, engine)
    assert [u.reason for u in unsafe] == [Reason.LINE_HOLDS_PHI]  # the unsure line is left to the display view


def test_in_a_cine_unsure_text_counts_only_where_it_comes_back():
    text = [unsafe(f, 10, 10, 80, 12, Reason.READ_UNSURELY) for f in (0, 1, 2)]
    anatomy = unsafe(1, 150, 200, 90, 20, Reason.REGION_NOT_READ)   # one frame only
    phi = unsafe(2, 10, 60, 80, 12, Reason.LINE_HOLDS_PHI)
    assert recurring([*text, anatomy, phi], 3, P) == [*text, phi]
    assert recurring([*text, anatomy, phi], 16, P) == [phi]   # 3 of 16 frames: not steady text
    assert recurring([anatomy], 1, P) == [anatomy]  # a single frame: nothing to compare with


def test_steady_tells_burned_in_text_from_moving_speckle():
    rng = np.random.default_rng(3)
    frames = []
    for _ in range(6):
        image = rng.integers(0, 60, (120, 200)).astype(np.uint8)
        image[10:22, 10:90] = 0
        image[12:20, 12:88:4] = 230              # the same glyph strokes in every frame
        image[60:100, 100:180] = rng.integers(0, 255, (40, 80)).astype(np.uint8)   # speckle
        frames.append(image)
    static = StaticReference(frames)
    assert static.steady((8, 8, 84, 16))
    assert not static.steady((100, 60, 80, 40))


def test_a_sure_read_of_part_of_a_line_leaves_the_rest_unjudged():
    frame = frame_with_rows([(20, 10, 300), (60, 10, 120)])
    # a fragment read surely; the ink goes on for ~200 px that OCR did not read
    engine = ScriptedEngine([line("nn Krar", 120, 20, 50, 0.8), line("SUPINE", 10, 60, 110, 0.99)])
    findings, unsafe = unsafe_for(frame, engine)
    assert findings == []
    assert [u.reason for u in unsafe] == [Reason.READ_IN_PART]
    assert covers(unsafe[0], 12, 296, 20)


def test_a_line_read_in_pieces_is_not_a_partial_read():
    frame = frame_with_rows([(20, 10, 300)])
    engine = ScriptedEngine([line("Circle of Willis", 10, 20, 140, 0.95), line("Crohn disease", 152, 20, 146, 0.9)])
    assert unsafe_for(frame, engine)[1] == []


def test_boxes_are_padded_in_proportion_to_the_text_height():
    frame = frame_with_rows([(40, 100, 200)])
    _, unsafe = unsafe_for(frame, ScriptedEngine([line("Hccu Mke", 100, 40, 100, 0.1)]))
    [item] = unsafe
    assert item.box.y <= 40 - 3 and item.box.y + item.box.height >= 40 + 12 + 3   # 0.25 of a 12 px line


def test_a_phi_line_is_carried_to_the_left_edge_of_its_block():
    name = line("JUAN MANUEL", 100, 10, 60, 0.99, h=15)      # OCR lost "GIMENO^" over bright anatomy
    below = line("18Y M", 15, 28, 40, 0.9, h=15)
    assert _aligned_to_block((90, 10, 80, 15), name, [name, below], P) == (15, 10, 155, 15)
    same_row = line("Exam: 01.02.2016", 300, 10, 90, 0.9, h=15)
    far_below = line("SL 3.0", 15, 200, 40, 0.9, h=15)
    assert _aligned_to_block((90, 10, 80, 15), name, [name, same_row, far_below], P) == (90, 10, 80, 15)
    too_far = line("PID 1", 5, 28, 40, 0.9, h=8)   # more than ALIGN_HEIGHTS line heights away
    assert _aligned_to_block((300, 10, 80, 15), name, [too_far], P) == (300, 10, 80, 15)


def test_full_range_text_counts_only_in_a_block_with_unsafe_text():
    phi = unsafe(0, 8, 18, 60, 16, Reason.LINE_HOLDS_PHI)
    above = unsafe(0, 10, 4, 40, 15, Reason.READ_UNSURELY)     # the block's first line
    top = unsafe(0, 9, -8, 50, 14, Reason.REGION_NOT_READ)     # and one more above it
    bone = unsafe(0, 150, 120, 70, 40, Reason.READ_UNSURELY)   # stretched anatomy
    other_frame = unsafe(3, 10, 4, 40, 15, Reason.READ_UNSURELY)
    admitted = stacked_with_unsafe([bone, top, above, other_frame], [phi], P)
    assert [(u.box.y, u.reason) for u in admitted] == [(4, Reason.STACKED), (-8, Reason.STACKED)]


def test_in_a_cine_text_found_inside_a_wider_box_of_another_frame_recurs():
    banner = unsafe(0, 140, 0, 100, 34, Reason.READ_UNSURELY)
    merged = unsafe(1, 0, 0, 384, 46, Reason.READ_UNSURELY)   # merged with its neighbours
    steady_view = unsafe(ALL_FRAMES, 4, 19, 55, 9, Reason.READ_UNSURELY)
    assert recurring([banner, merged, steady_view], 8, P) == [banner, steady_view]


def test_text_shown_on_one_frame_over_a_plain_border_is_read():
    rng = np.random.default_rng(5)
    frames = [rng.integers(0, 12, (120, 200)).astype(np.uint8) for _ in range(4)]
    for image in frames:
        image[60:110, 40:160] = rng.integers(60, 255, (50, 120))   # moving speckle in every frame
    shown = frames[2].copy()
    shown[12:20, 12:88:4] = 230                                       # text on this frame only
    static = StaticReference([frames[0], frames[1], frames[3]])
    assert static.holds_text(shown, (8, 8, 84, 16))
    speckle = frames[2]
    assert not static.holds_text(speckle, (50, 70, 80, 30))


def test_the_steady_view_keeps_text_and_blurs_speckle():
    rng = np.random.default_rng(7)
    frames = []
    for _ in range(8):
        image = rng.integers(0, 30, (120, 200)).astype(np.uint8)
        image[12:20, 12:88:4] = 230
        image[60:100, 100:180] = rng.integers(0, 255, (40, 80)).astype(np.uint8)
        frames.append(image)
    static = StaticReference(frames)
    steady = static.typical_image
    assert (steady[12:20, 12:88:4] == 230).all()
    assert steady[60:100, 100:180].std() < 0.6 * frames[0][60:100, 100:180].std()
    view = DisplayFrame(0, steady, Plane.IMAGE, View.STEADY)
    unsure = line("Hccu Mke", 12, 10, 76, 0.1, h=10)
    [item] = unsafe_in(view, [((8, 8, 84, 16), [unsure])], static=static)
    assert item.box.frame is ALL_FRAMES and item.reason is Reason.READ_UNSURELY   # every frame


def test_full_range_text_continuing_a_phi_line_counts_even_when_read_surely():
    dob = unsafe(0, 0, 59, 178, 37, Reason.LINE_HOLDS_PHI)      # "DOB: January 23,1"
    year = unsafe(0, 160, 62, 40, 22, Reason.READ_SURELY)        # "73", over bright bone
    label = unsafe(0, 0, 100, 60, 30, Reason.READ_SURELY)        # "SUPINE" stacked below: kept
    far = unsafe(0, 260, 62, 40, 22, Reason.READ_SURELY)         # another field of the row
    admitted = stacked_with_unsafe([year, label, far], [dob], P)
    assert [(u.box.x, u.reason) for u in admitted] == [(160, Reason.CONTINUES_PHI_LINE)]


def test_small_type_read_as_a_character_or_two_is_unsure_text():
    frame = frame_with_rows([(100, 10, 40)])
    tiny = line("e", 10, 102, 30, 0.05, h=8)
    frame.image[:] = 0
    frame.image[102:110, 10:40:3] = 230    # 8 px glyphs: a date OCR read as "e"
    engine = ScriptedEngine([tiny], detected=[(8, 100, 34, 12)])
    _, unsafe = unsafe_for(frame, engine, OcrOptions(prefilter=False, regions=False))
    assert [u.reason for u in unsafe] == [Reason.READ_UNSURELY]


def test_a_phi_line_is_followed_in_the_full_range_view_where_the_display_loses_its_ink():
    shown = frame_with_rows([(20, 10, 100)])                 # the end of the line is lost on bright bone
    stretched = frame_with_rows([(20, 10, 150)]).image        # and shows in the full-range view
    full = DisplayFrame(frame=0, image=stretched, plane=Plane.IMAGE, view=View.FULL_RANGE)

    class DisplayOnly(ScriptedEngine):
        def read(self, image, boxes=None):
            return super().read(image, boxes) if image is shown.image else []

    engine = DisplayOnly([line("Pt: OYELARAN TEMI", 10, 20, 90, 0.9)])
    _, found = detect([shown, full], engine, registry=REGISTRY, identity=IDENTITY,
                      options=OcrOptions(prefilter=False), collect=True)
    [whole] = [u for u in found if u.reason is Reason.LINE_HOLDS_PHI]
    assert covers(whole, 10, 146, 20), whole


def test_in_a_cine_unsure_text_over_a_plain_border_counts_though_shown_on_few_frames():
    rng = np.random.default_rng(9)
    frames = [rng.integers(0, 12, (120, 200)).astype(np.uint8) for _ in range(5)]
    for index in (0, 3):
        frames[index][100:108, 12:88:4] = 230       # text on two frames of five, over a plain border
    static = StaticReference(frames)
    view = DisplayFrame(frame=0, image=frames[0], plane=Plane.IMAGE)
    unsure = line("Kirg Memarial", 12, 99, 76, 0.2, h=10)
    [item] = unsafe_in(view, [((8, 96, 84, 16), [unsure])], static=static)
    assert item.reason is Reason.READ_UNSURELY
