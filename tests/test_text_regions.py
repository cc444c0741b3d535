"""Classical text detection (phidetect.ocr.textness): text_regions and the has_text
pre-filter, on real images first (the Pseudo-PHI CT and CR samples' ground-truth boxes,
deid-data's ultrasounds), then synthetic lines on dark, bright, noisy and anatomy-like
backgrounds; and their parameters. How fast they are is measured in
benchmarks/bench_ocr.py, never asserted here."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

pytest.importorskip("cv2", reason="the OCR extra is not installed: pip install -e '.[ocr]'")

from ocr_images import (  # noqa: E402 - after the skip
    FONTS,
    LINES,
    SAMPLES,
    background,
    contained,
    display,
    draw_line,
    ground_truth,
    overlap,
    ultrasound,
)

from phidetect.geometry import Box  # noqa: E402
from phidetect.ocr.parameters import (  # noqa: E402
    DEFAULT_REGION_FINDER,
    ContrastParameters,
    GlyphParameters,
    RegionFinderParameters,
    StrokeParameters,
)
from phidetect.ocr.textness import has_text, text_regions  # noqa: E402

# ---------------------------------------------------------------- text detection: real images


@pytest.mark.parametrize(("name", "key"), [("2_ORIGINAL.dcm", "sample_data/2_ORIGINAL.dcm"),
                                           ("0_ORIGINAL_compressed.dcm", "sample_data/0_ORIGINAL.dcm")])
def test_text_regions_cover_ground_truth(name: str, key: str) -> None:
    image = display(SAMPLES / name)
    regions = text_regions(image)
    assert has_text(image)
    for label, box in ground_truth(key):
        assert contained(box, regions), (label, box, regions)


def test_text_regions_find_big_radiograph_lettering() -> None:
    image = display(SAMPLES / "0_ORIGINAL_compressed.dcm")
    regions = text_regions(image)
    # "Semi-Upright", "Portable" and the "L" marker: bold, 36-51 px, strokes ~12 px wide
    for box in [(1749, 19, 343, 46), (1895, 103, 221, 36), (2038, 178, 29, 51)]:
        assert contained(box, regions), (box, regions)


@pytest.mark.parametrize(("name", "lines"), [
    # (x, y, w, h) of text lines seen on the images: patient banner, settings, depth
    ("GREYSCALE_IMAGE.dcm", [(9, 6, 272, 13), (393, 6, 291, 13), (824, 6, 184, 13), (14, 26, 124, 17),
                             (16, 181, 79, 19), (857, 700, 61, 15)]),
    ("RGB_IMAGE.dcm", [(4, 8, 222, 15), (505, 8, 210, 15), (776, 8, 105, 15), (5, 36, 130, 15),
                       (505, 36, 263, 15), (929, 65, 88, 14), (519, 743, 172, 25)]),
])
def test_text_regions_cover_ultrasound_text(name: str, lines: list[Box]) -> None:
    image = ultrasound(name)
    regions = text_regions(image)
    assert has_text(image)
    for box in lines:
        assert contained(box, regions), (box, [r for r in regions if overlap(r, box)])
    assert len(regions) < 40                                 # lines, not fragments


def test_text_free_pet_gives_few_regions() -> None:
    assert len(text_regions(display(SAMPLES / "RGB_ORIGINAL.dcm"))) <= 3


def test_has_text_agrees_with_text_regions() -> None:
    """The pre-filter is the region finder stopping at its first line: it says "text"
    exactly when text_regions finds some (a frame it passes is read; one it stops is not)."""
    frames = [ultrasound("GREYSCALE_IMAGE.dcm"), ultrasound("RGB_IMAGE.dcm"), display(SAMPLES / "2_ORIGINAL.dcm"),
              display(SAMPLES / "RGB_ORIGINAL.dcm"), background("speckle", 768, 1024), background("anatomy", 768, 1024)]
    seen = set()
    for frame in frames:
        found = bool(text_regions(frame))
        assert has_text(frame) is found
        seen.add(found)
    assert seen == {True, False}                               # both answers are exercised


# ---------------------------------------------------------------- text detection: synthetic


@pytest.mark.parametrize("kind", ["dark", "bright", "noisy", "speckle", "anatomy"])
@pytest.mark.parametrize("px", [9, 10, 12, 14, 16, 20, 24, 32, 40])
def test_text_regions_find_synthetic_lines(kind: str, px: int) -> None:
    for i, font in enumerate(FONTS):
        text = LINES[(px + i) % len(LINES)]
        image, box = draw_line(text, px, kind, font, seed=px + i)
        regions = text_regions(image)
        assert contained(box, regions), (font, text, box, regions)
        assert has_text(image)


@pytest.mark.parametrize("kind", ["dark", "bright", "noisy", "speckle", "anatomy"])
def test_no_text_on_text_free_backgrounds(kind: str) -> None:
    for seed in range(3):
        image = background(kind, 480, 640, seed)
        assert text_regions(image) == [] and not has_text(image), (kind, seed)


@pytest.mark.parametrize("sigma", [5, 15, 30, 60])
def test_no_text_in_noise(sigma: float) -> None:
    image = np.clip(np.random.default_rng(sigma).normal(128, sigma, (480, 640)), 0, 255).astype(np.uint8)
    assert not has_text(image)
    uniform = np.random.default_rng(sigma).integers(0, 256, (480, 640), dtype=np.uint8)
    assert not has_text(uniform)


def test_blank_and_gradient_frames() -> None:
    ramp = np.tile(np.linspace(0, 255, 640).astype(np.uint8), (480, 1))
    for image in (np.zeros((480, 640), np.uint8), np.full((480, 640, 3), 200, np.uint8), ramp,
                  np.zeros((3, 3), np.uint8), np.zeros((0, 0), np.uint8)):
        assert text_regions(image) == [] and not has_text(image)


# ---------------------------------------------------------------- parameters


def test_default_parameters_are_the_tuned_values() -> None:
    p = RegionFinderParameters()
    assert p == DEFAULT_REGION_FINDER
    assert (p.glyphs.min_height, p.glyphs.max_height, p.strokes.tophat_size, p.strokes.min_contrast) == (4, 60, 11, 40)
    assert (p.big.min_height, p.big.tophat_size, p.big.min_contrast) == (28, 31, 120)
    assert (p.contrast.strong_contrast, p.contrast.min_sharpness, p.lone.letter_min_height) == (90, 0.3, 8)
    with pytest.raises(AttributeError):
        p.glyphs.max_height = 80                                # frozen: shared defaults cannot drift


def test_parameters_are_passed_down() -> None:
    """Explicit parameters reach every stage: the same frame, other thresholds, other boxes."""
    image = display(SAMPLES / "0_ORIGINAL_compressed.dcm")
    marker: Box = (2038, 178, 29, 51)                           # the bold "L" marker, 51 px tall
    assert contained(marker, text_regions(image))
    no_big = replace(DEFAULT_REGION_FINDER, big=replace(DEFAULT_REGION_FINDER.big, min_contrast=256))
    assert not contained(marker, text_regions(image, no_big))  # found by the big-lettering pass only
    line, box = draw_line(LINES[0], 16, "dark", "hershey")
    assert has_text(line) and contained(box, text_regions(line))
    blind = RegionFinderParameters(strokes=StrokeParameters(min_contrast=255))
    assert not has_text(line, blind) and text_regions(line, params=blind) == []
    short = RegionFinderParameters(glyphs=GlyphParameters(max_height=10))
    assert not contained(box, text_regions(line, short))      # 16 px glyphs are too tall now
    unsharp = RegionFinderParameters(contrast=ContrastParameters(min_sharpness=5.0))
    assert not has_text(line, unsharp)
