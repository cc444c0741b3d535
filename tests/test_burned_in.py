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
from phidetect.planes import Plane
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
