"""Small type read a second way: a region whose lines are all a few pixels tall and
unsurely read is read again by the second engine, and the surer read is kept. Scripted
engines stand in for easyocr and tesseract; the real tesseract reads a rendered banner."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from phidetect.ocr.engine import OcrLine
from phidetect.ocr_settings import ReadingParameters
from phidetect.pixel_reading.records import RegionRead
from phidetect.pixel_reading.small_text import reread_small_text, second_reader

IMAGE = np.zeros((60, 200), np.uint8)
PARAMETERS = ReadingParameters()


class ScriptedSecondEngine:
    """Answers with its lines whose centre lies in a requested box; records the boxes."""

    name = "second"

    def __init__(self, lines: list[OcrLine]) -> None:
        self.lines, self.asked = lines, []

    def read(self, image: np.ndarray, boxes=None) -> list[OcrLine]:
        self.asked.append(list(boxes))
        return [ln for ln in self.lines for (x, y, w, h) in boxes
                if x <= ln.x + ln.width / 2 <= x + w and y <= ln.y + ln.height / 2 <= y + h]


def line(text: str, y: int, height: int, confidence: float) -> OcrLine:
    return OcrLine(text, 4, y, 90, height, confidence)


def test_unsurely_read_small_type_takes_the_surer_second_read() -> None:
    first = RegionRead((2, 4, 100, 12), (line("Swney Uocomick", 6, 6, 0.11),))
    second = ScriptedSecondEngine([line("Sydney Mccormick", 6, 8, 0.61)])
    reads = reread_small_text(IMAGE, [first], "easyocr", PARAMETERS, second)
    assert [(ln.text, ln.engine) for ln in reads[0].lines] == [("Sydney Mccormick", "second")]
    assert reads[0].box == first.box
    assert second.asked == [[first.box]]


def test_a_less_sure_second_read_leaves_the_first() -> None:
    first = RegionRead((2, 4, 100, 12), (line("Exm 12/51/2010", 6, 6, 0.45),))
    reads = reread_small_text(IMAGE, [first], "easyocr", PARAMETERS,
                              ScriptedSecondEngine([line("Em 1251 2016", 6, 8, 0.2)]))
    assert reads == [first]


@pytest.mark.parametrize("first", [
    RegionRead((2, 20, 100, 30), (line("NAKAMURA HIROSHI", 22, 20, 0.2),)),   # not small type
    RegionRead((2, 4, 100, 12), (line("ABDOMEN", 6, 7, 0.93),)),              # small but surely read
    RegionRead((2, 4, 100, 12), ()),                                          # nothing read there
], ids=["tall", "sure", "empty"])
def test_regions_that_are_not_unsure_small_type_are_not_read_again(first: RegionRead) -> None:
    second = ScriptedSecondEngine([line("anything", 6, 8, 0.99)])
    assert reread_small_text(IMAGE, [first], "easyocr", PARAMETERS, second) == [first]
    assert second.asked == []


def test_tesseracts_own_reads_are_not_read_by_it_again() -> None:
    first = RegionRead((2, 4, 100, 12), (line("Swney", 6, 6, 0.1),))
    second = ScriptedSecondEngine([line("Sydney", 6, 8, 0.9)])
    assert reread_small_text(IMAGE, [first], "tesseract", PARAMETERS, second) == [first]


def test_tesseract_reads_a_six_pixel_banner_line() -> None:
    engine = second_reader()
    if engine is None:
        pytest.skip("tesseract is not installed here (apt-get install tesseract-ocr)")
    image = np.zeros((30, 200), np.uint8)
    cv2.putText(image, "Exam: 12/31/2010", (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.3, 255, 1, cv2.LINE_AA)
    first = RegionRead((0, 5, 110, 16), (line("Em_ 12/51/2010", 6, 7, 0.3),))
    reads = reread_small_text(image, [first], "easyocr", PARAMETERS, engine)
    assert "12/31/2010" in " ".join(ln.text for ln in reads[0].lines)


def test_a_finding_in_a_line_read_again_names_the_engine_that_read_it() -> None:
    from phidetect.burned_in import frame_findings
    from phidetect.pixel_reading.records import FrameRead
    from phidetect.planes import Plane, View
    from phidetect.text.registry import default_registry

    again = OcrLine("Exam: 12/31/2010", 4, 6, 90, 8, 0.8, engine="tesseract")
    read = FrameRead(0, Plane.IMAGE, View.DISPLAY, IMAGE, (RegionRead((2, 4, 100, 12), (again,)),))
    found = frame_findings(read, file="f.dcm", sop_instance_uid="", engine_name="easyocr",
                           registry=default_registry(), identity=None).findings
    assert [(f.text, f.rule.split("+")[-1]) for f in found] == [("12/31/2010", "ocr.tesseract")]


def test_small_type_repeated_on_every_frame_is_read_again_once(monkeypatch) -> None:
    from phidetect.pixel_reading import small_text
    from phidetect.pixel_reading.regions import FileReadCache

    class FirstEngine:
        name = "first"

        def read(self, image, boxes=None):
            return [line("Swney Uocomick", 6, 6, 0.11)]

    second = ScriptedSecondEngine([line("Sydney Mccormick", 6, 8, 0.61)])
    monkeypatch.setattr(small_text, "second_reader", lambda: second)
    cache = FileReadCache()
    for _ in range(3):  # a cine's frames: the same region, the same pixels
        reads = cache.read_regions(FirstEngine(), IMAGE, [(2, 4, 100, 12)])
        assert [ln.text for ln in reads[0].lines] == ["Sydney Mccormick"]
    assert len(second.asked) == 1
