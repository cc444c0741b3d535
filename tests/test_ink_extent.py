"""widen_to_ink: a truncated OCR box grows to the ends of its line, over dark or bright
backgrounds, and stops at a gap wider than a word space or where there is no ink."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from phidetect.ocr.ink_extent import widen_to_ink

#: Faint anti-aliased edge pixels may be left: the pixel finding's 2 px and the redaction's
#: 4 px margins cover them.
EDGE = 4


def text_image(background: np.ndarray, text: str, org: tuple[int, int], colour: int) -> np.ndarray:
    image = background.copy()
    cv2.putText(image, text, org, cv2.FONT_HERSHEY_PLAIN, 1.0, colour, 1, cv2.LINE_AA)
    return image


def ink_columns(image: np.ndarray, background: np.ndarray) -> tuple[int, int]:
    cols = np.flatnonzero((np.abs(image.astype(int) - background.astype(int)) > 30).any(axis=0))
    return int(cols.min()), int(cols.max())


@pytest.mark.parametrize("background_level,colour", [(0, 255), (255, 0), (150, 255)])
def test_a_box_over_part_of_a_line_reaches_both_ends(background_level, colour):
    background = np.full((60, 400), background_level, dtype=np.uint8)
    image = text_image(background, "QUIMBY, ROSALIND 1961", (40, 30), colour)
    left, right = ink_columns(image, background)
    x, y, w, h = widen_to_ink(image, (100, 19, 60, 14))  # a read that stopped mid-line
    # to within the faint anti-aliased edge pixels, which the redaction margin covers
    assert x <= left + EDGE and x + w >= right + 1 - EDGE
    assert (y, h) == (19, 14)


def test_text_over_a_brightening_background_is_followed_to_its_end():
    ramp = np.tile(np.linspace(40, 200, 400).astype(np.uint8), (60, 1))
    image = text_image(ramp, "Quimby Imaging Center", (20, 30), 255)
    left, right = ink_columns(image, ramp)
    x, _, w, _ = widen_to_ink(image, (20, 19, 60, 14))
    assert x + w >= right - 2


def test_a_field_beyond_a_wide_gap_is_not_taken():
    background = np.zeros((60, 500), dtype=np.uint8)
    image = text_image(background, "ROSALIND", (20, 30), 255)
    image = text_image(image, "kVp 120", (330, 30), 255)   # a separate field far to the right
    _, right = ink_columns(image[:, :200], background[:, :200])
    x, _, w, _ = widen_to_ink(image, (20, 19, 40, 14))
    assert right + 1 <= x + w < 330


def test_a_box_without_strokes_is_left_as_it_is():
    flat = np.full((60, 200), 90, dtype=np.uint8)
    assert widen_to_ink(flat, (50, 20, 30, 12)) == (50, 20, 30, 12)


def test_parameters_are_passed_down():
    """The default parameters are what a plain call uses; other ones change the answer."""
    from phidetect.ocr.ink_extent import DEFAULT_INK, InkParameters

    background = np.zeros((60, 400), dtype=np.uint8)
    image = text_image(background, "QUIMBY, ROSALIND 1961", (40, 30), 255)
    box = (100, 19, 60, 14)
    assert widen_to_ink(image, box) == widen_to_ink(image, box, params=DEFAULT_INK)
    assert widen_to_ink(image, box, params=InkParameters(min_contrast=256)) == box      # no strokes this strong
    near = widen_to_ink(image, box, params=InkParameters(max_growth_heights=1.0))
    assert near == widen_to_ink(image, box, 1.0) and near[2] < widen_to_ink(image, box)[2]
