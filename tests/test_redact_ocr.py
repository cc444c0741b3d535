"""Burned-in text on a real ultrasound: OCR finds it, the copy has it blacked out, a
rescan with OCR finds nothing left, and the copy says its pixels were cleaned."""

from __future__ import annotations

import shutil

import numpy as np
import pydicom
import pytest

from phidetect.datasets.packaged import deid_ultrasounds
from phidetect.dicom.pixels import display_image
from phidetect.redact import redact

pytestmark = [pytest.mark.ocr, pytest.mark.slow]


def test_ultrasound_text_blacked_out_and_verified(tmp_path):
    image = next((p for p in deid_ultrasounds() if p.name == "GREYSCALE_IMAGE.dcm"), None)
    assert image is not None, "deid-data is not installed"
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(image, source / image.name)
    result = redact(source, tmp_path / "out", secret="k", workers=1, progress=False, verify=True)
    row = result.files.iloc[0]
    assert row.status == "written" and row.pixels_cleaned and row.n_boxes >= 3
    assert result.residual.at_least(0.5).empty, result.residual
    before, after = pydicom.dcmread(image), pydicom.dcmread(row.output)
    assert after.BurnedInAnnotation == "NO"
    assert "113101" in [item.CodeValue for item in after.DeidentificationMethodCodeSequence]
    changed = np.argwhere(before.pixel_array != after.pixel_array)
    assert changed.size and changed[:, 0].min() < 40   # the banner at the top
    assert display_image(after, 0)[:40].mean() < display_image(before, 0)[:40].mean()
    # every box filled is listed with its reason: the PHI words and the rest of their lines
    # in the banner; below it only small settings text OCR could not read ("Dyn R 58")
    boxes = result.boxes
    reasons = set(boxes["reason"])
    assert {"line holds PHI"} <= reasons and any(r.startswith("PHI ") for r in reasons), boxes
    assert (boxes["file"] == image.name).all()
    below = boxes[boxes["y"] >= 40]
    assert set(below["reason"]) <= {"read too unsurely to judge"} and (below["height"] <= 20).all(), below
    listed = np.zeros(before.pixel_array.shape[:2], dtype=bool)
    for box in boxes.itertuples():   # the margin (4 px) around each box
        listed[max(0, box.y - 4):box.y + box.height + 4, max(0, box.x - 4):box.x + box.width + 4] = True
    assert listed[changed[:, 0], changed[:, 1]].all()   # nothing changed outside the listed boxes
