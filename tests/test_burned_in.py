"""The burned-in text pipeline with a scripted OCR engine: which frames are read, which
regions are read again, where the boxes go and what counts as PHI. The real engines
are tested on real images in test_burned_in_real.py."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from pixel_reads import detect

from phidetect.burned_in import line_spans
from phidetect.dicom.pixels import DisplayFrame
from phidetect.ocr.engine import OcrLine, OcrWord
from phidetect.ocr_settings import OcrOptions
from phidetect.pixel_reading import StaticReference
from phidetect.planes import Plane, View
from phidetect.text.crossref import Identity, PersonName
from phidetect.text.registry import default_registry

REGISTRY = default_registry()
IDENTITY = Identity(names=[PersonName.from_parts(["NAKAMURA", "HIROSHI"], "crossref.patient_name")],
                    ids={"8812345": "crossref.patient_id"}, birth_dates={date(1949, 11, 2)})


class ScriptedEngine:
    """Answers every read with the lines it was given (those whose centre lies in a
    requested box), and counts how often it was asked."""

    name = "scripted"
    capabilities = frozenset()

    def __init__(self, lines: list[OcrLine]) -> None:
        self.lines, self.calls, self.boxes_read = lines, 0, 0

    def read(self, image: np.ndarray, boxes=None) -> list[OcrLine]:
        self.calls += 1
        if boxes is None:
            return list(self.lines)
        self.boxes_read += len(boxes)
        return [ln for ln in self.lines for (x, y, w, h) in boxes
                if x <= ln.x + ln.width / 2 <= x + w and y <= ln.y + ln.height / 2 <= y + h]


def banner_frame(index: int, noise_seed: int) -> DisplayFrame:
    """A 200x400 frame: white text-like strokes in the top banner, changing noise below."""
    image = np.zeros((200, 400), dtype=np.uint8)
    for x in range(10, 300, 12):  # glyph-like vertical strokes
        image[8:22, x:x + 3] = 255
        image[8:10, x:x + 8] = 255
    rng = np.random.default_rng(noise_seed)
    image[120:180, 50:350] = rng.integers(0, 90, (60, 300), dtype=np.uint8)
    return DisplayFrame(frame=index, image=image, plane=Plane.IMAGE)


BANNER = OcrLine(
    text="NAKAMURA HIROSHI 11/02/1949 kVp 120", x=10, y=8, width=290, height=14, confidence=0.9,
    words=(OcrWord("NAKAMURA", 10, 8, 80, 14, 0.9), OcrWord("HIROSHI", 96, 8, 70, 14, 0.9),
           OcrWord("11/02/1949", 172, 8, 80, 14, 0.9), OcrWord("kVp", 258, 8, 20, 14, 0.9),
           OcrWord("120", 282, 8, 18, 14, 0.9)))


def test_every_frame_gets_its_findings_but_identical_regions_are_read_once() -> None:
    engine = ScriptedEngine([BANNER])
    frames = [banner_frame(i, noise_seed=i) for i in range(5)]
    found, _ = detect(frames, engine, file="cine.dcm", sop_instance_uid="1.2.3", registry=REGISTRY,
                      identity=IDENTITY, options=OcrOptions())
    by_frame = {}
    for f in found:
        by_frame.setdefault(f.frame, []).append(f.text)
    assert sorted(by_frame) == [0, 1, 2, 3, 4]
    assert all(texts == ["NAKAMURA HIROSHI", "11/02/1949"] for texts in by_frame.values()), by_frame
    assert engine.calls <= 2  # the banner region is identical on every frame


class ImageRecordingEngine(ScriptedEngine):
    """A ScriptedEngine that also keeps each image it was asked to read, with the boxes."""

    def __init__(self, lines: list[OcrLine]) -> None:
        super().__init__(lines)
        self.reads: list[tuple[np.ndarray, list]] = []

    def read(self, image: np.ndarray, boxes=None) -> list[OcrLine]:
        self.reads.append((image, list(boxes or [])))
        return super().read(image, boxes)


def noisy_banner_frame(index: int, caption_changed: bool = False) -> DisplayFrame:
    """banner_frame with its own faint noise over the banner too (a video-captured cine:
    no two frames' banners are byte for byte the same), the glyphs redrawn elsewhere on
    the frame whose caption changed."""
    frame = banner_frame(index, noise_seed=index)
    image = frame.image.astype(np.int16)
    image[0:30, :] += np.random.default_rng(100 + index).integers(0, 8, (30, 400), dtype=np.int16)
    if caption_changed:
        image[8:22, 10:300] = np.roll(image[8:22, 10:300], 6, axis=1)
    return DisplayFrame(frame=index, image=image.clip(0, 255).astype(np.uint8), plane=Plane.IMAGE)


def test_a_cines_steady_banner_under_frame_noise_is_read_once_in_the_frames_median() -> None:
    frames = [noisy_banner_frame(i) for i in range(6)]
    static = StaticReference([f.image for f in frames])
    engine = ImageRecordingEngine([BANNER])
    found, _ = detect(frames, engine, registry=REGISTRY, identity=IDENTITY, static=static)
    by_frame: dict[int, list[str]] = {}
    for f in found:
        by_frame.setdefault(f.frame, []).append(f.text)
    assert by_frame == {i: ["NAKAMURA HIROSHI", "11/02/1949"] for i in range(6)}, by_frame
    banner_reads = [image for image, boxes in engine.reads if any(y < 30 for _, y, _, _ in boxes)]
    assert len(banner_reads) == 1 and banner_reads[0] is static.typical_image  # once, for all six frames


def test_a_caption_that_changes_on_some_frames_is_read_in_those_frames() -> None:
    frames = [noisy_banner_frame(i, caption_changed=i in (3, 4)) for i in range(6)]
    static = StaticReference([f.image for f in frames])
    engine = ImageRecordingEngine([BANNER])
    detect(frames, engine, registry=REGISTRY, identity=IDENTITY, static=static)
    banner_reads = [image for image, boxes in engine.reads if any(y < 30 for _, y, _, _ in boxes)]
    assert any(image is frames[3].image for image in banner_reads)
    assert any(image is frames[4].image for image in banner_reads)
    assert not any(image is frames[2].image for image in banner_reads)


def test_the_full_range_view_reads_only_what_the_display_frame_did_not() -> None:
    display = banner_frame(0, noise_seed=0)
    stretched = display.image.copy()
    for x in range(10, 200, 12):  # a label the display window hid, lower down
        stretched[60:74, x:x + 3] = 200
        stretched[60:62, x:x + 8] = 200
    hidden = OcrLine("NAKAMURA HIROSHI", 10, 60, 190, 14, 0.9)
    engine = ImageRecordingEngine([BANNER, hidden])
    full_range = DisplayFrame(0, stretched, Plane.IMAGE, View.FULL_RANGE)
    found, _ = detect([display, full_range], engine, registry=REGISTRY, identity=IDENTITY)
    assert OcrOptions().full_range  # the default reading looks there too
    assert [f.y for f in found if f.phi_type == "NAME"] == [8 - 2, 60 - 2]
    read_there = [box for image, boxes in engine.reads if image is stretched for box in boxes]
    assert len(read_there) == 1 and read_there[0][1] > 40  # the hidden label; not the banner again


def test_a_line_the_display_frame_read_unsurely_is_read_again_in_the_full_range_view() -> None:
    display = banner_frame(0, noise_seed=0)
    unsure = OcrLine("NAKAMURA HIR0SHl 11/02/1949", 10, 8, 290, 14, 0.55)
    engine = ImageRecordingEngine([unsure])
    full_range = DisplayFrame(0, (display.image * 0.9).astype(np.uint8), Plane.IMAGE, View.FULL_RANGE)
    detect([display, full_range], engine, registry=REGISTRY, identity=IDENTITY)
    read_there = [box for image, boxes in engine.reads if image is full_range.image for box in boxes]
    assert [box[1] < 30 for box in read_there] == [True]  # the banner, a second time


def test_box_covers_just_the_phi_words() -> None:
    engine = ScriptedEngine([BANNER])
    found, _ = detect([banner_frame(0, 0)], engine, registry=REGISTRY, identity=IDENTITY,
                      options=OcrOptions(prefilter=False, regions=False))
    name = next(f for f in found if f.phi_type == "NAME")
    date_ = next(f for f in found if f.phi_type == "DATE")
    assert (name.x, name.width) == (10 - 2, 156 + 4)          # NAKAMURA..HIROSHI, padded by 2
    assert date_.x == 172 - 2 and date_.x + date_.width <= 258  # not into "kVp 120"
    assert all(f.source == "pixel" and f.tag_path == "" and f.start == -1 for f in found)
    assert all(f.rule.endswith("+ocr.scripted") for f in found)


def test_prefilter_skips_frames_without_text() -> None:
    engine = ScriptedEngine([BANNER])
    blank = DisplayFrame(frame=0, image=np.zeros((200, 400), dtype=np.uint8), plane=Plane.IMAGE)
    assert detect([blank], engine, registry=REGISTRY, identity=IDENTITY,
                  options=OcrOptions(prefilter=True, regions=False))[0] == []
    assert engine.calls == 0


def test_low_ocr_confidence_lowers_the_finding() -> None:
    sure = OcrLine("NAKAMURA", 10, 8, 80, 14, 1.0)
    unsure = OcrLine("NAKAMURA", 10, 8, 80, 14, 0.1)
    scores = []
    for line in (sure, unsure):
        found, _ = detect([banner_frame(0, 0)], ScriptedEngine([line]), registry=REGISTRY, identity=IDENTITY,
                          options=OcrOptions(prefilter=False, regions=False))
        scores.append(found[0].confidence)
    assert scores[0] > scores[1] >= 0.5 * scores[0]


@pytest.mark.parametrize("text", ["kVp 120 mAs 250", "W:400 L:40", "5.0mm 18Hz MI 0.9 TIS 0.4", "R", "L12-5 Adv Breast",
                                  "SIEMENS 6C1 HD", "Philips Healthcare C5-1", "Asc Ao Diam 3.3 cm", "65bpm 16cm"])
def test_technical_overlay_text_is_not_phi(text: str) -> None:
    assert [s for s in line_spans(text, REGISTRY, IDENTITY) if s.score >= 0.5] == []


@pytest.mark.parametrize("text,expected", [
    ("NAKAMURA, HIROSHI", ["NAKAMURA, HIROSHI"]),
    ("ID 88l2345", ["88l2345"]),
    ("DOB 02.11.1949", ["02.11.1949"]),
    ("Acc 20231107559921", ["20231107559921"]),
])
def test_phi_in_ocr_lines(text: str, expected: list[str]) -> None:
    spans = line_spans(text, REGISTRY, IDENTITY)
    assert [text[s.start:s.end] for s in spans] == expected


def test_a_date_time_stamp_is_one_box_over_date_and_time() -> None:
    """"20.08.2021 11:03:23 AM" is blanked whole: a box over the date alone leaves the time."""
    stamp = OcrLine(
        text="20.08.2021 11:03:23 AM", x=200, y=8, width=180, height=14, confidence=0.9,
        words=(OcrWord("20.08.2021", 200, 8, 80, 14, 0.9), OcrWord("11:03:23", 286, 8, 64, 14, 0.9),
               OcrWord("AM", 356, 8, 24, 14, 0.9)))
    found, _ = detect([banner_frame(0, 0)], ScriptedEngine([stamp]), registry=REGISTRY, identity=IDENTITY,
                      options=OcrOptions(prefilter=False, regions=False))
    dates = [f for f in found if f.phi_type == "DATE"]
    assert len(dates) == 1 and dates[0].text == "20.08.2021 11:03:23 AM"
    assert dates[0].x <= 200 and dates[0].x + dates[0].width >= 380


@pytest.mark.parametrize("text,expected", [
    ("01/22/2020 08:21:04 PM", ["01/22/2020 08:21:04 PM"]),
    ("Study 11:03 20.08.2021", ["11:03 20.08.2021"]),
])
def test_date_time_stamps_in_ocr_lines(text: str, expected: list[str]) -> None:
    spans = line_spans(text, REGISTRY, IDENTITY)
    assert [text[s.start:s.end] for s in spans if s.phi_type == "DATE"] == expected
