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
    assert changed.size and changed[:, 0].max() < 40  # only the banner rows at the top changed
    assert display_image(after, 0)[:40].mean() < display_image(before, 0)[:40].mean()
    # every box filled is listed with its reason: the PHI words, and the rest of their lines
    reasons = set(result.boxes["reason"])
    assert {"line holds PHI"} <= reasons and any(r.startswith("PHI ") for r in reasons), result.boxes
    assert (result.boxes["file"] == image.name).all() and (result.boxes["y"] < 40).all()
