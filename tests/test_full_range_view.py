"""The full-range view: text burned in at stored values the display window clips is
invisible in the display image and visible in phidetect.dicom.pixels.full_range."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import new_dataset
from pydicom.uid import ExplicitVRLittleEndian

from phidetect.dicom.pixels import display_image
from phidetect.dicom.pixels.full_range import full_range_frame, has_hidden_range
from phidetect.planes import Plane, View

cv2 = pytest.importorskip("cv2")


def ct_with_hidden_label() -> tuple:
    """A 16-bit CT whose window (40/400: up to 240 HU) shows a soft-tissue phantom; a label
    burned in at 1500 and 1700 HU, both far above the window, so the display shows one
    white block, and the letters only in the stored values."""
    values = np.full((200, 300), 1024 + 40, dtype=np.uint16)  # 40 HU everywhere
    values[40:180, 40:260] = 1024 + 80
    label = np.zeros((30, 200), dtype=np.uint8)
    cv2.putText(label, "QUARSHIE", (4, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 255, 2)
    values[5:35, 50:250] = np.where(label > 0, 1024 + 1700, 1024 + 1500)
    ds = new_dataset(ExplicitVRLittleEndian, Modality="CT", Rows=200, Columns=300, BitsAllocated=16,
                     BitsStored=12, HighBit=11, PixelRepresentation=0, SamplesPerPixel=1,
                     PhotometricInterpretation="MONOCHROME2", RescaleIntercept=-1024, RescaleSlope=1,
                     WindowCenter=40, WindowWidth=400)
    ds.PixelData = values.tobytes()
    return ds, label > 0


def test_text_the_window_hides_is_visible_in_the_full_range_view():
    ds, letters = ct_with_hidden_label()
    shown = display_image(ds, 0)[5:35, 50:250]
    assert shown.min() == shown.max() == 255  # the display: one white block
    view = full_range_frame(ds)
    assert view is not None and view.view is View.FULL_RANGE and view.frame == 0 and view.plane is Plane.IMAGE
    crop = view.image[5:35, 50:250].astype(int)
    assert crop[letters].mean() - crop[~letters].mean() > 20  # the letters stand out


@pytest.mark.ocr
def test_ocr_reads_the_hidden_label_in_the_full_range_view():
    from phidetect.ocr.easyocr_engine import EasyOcrEngine

    ds, _ = ct_with_hidden_label()
    engine = EasyOcrEngine()
    assert [line.text for line in engine.read(display_image(ds, 0))] == []
    assert "QUARSHIE" in [line.text for line in engine.read(full_range_frame(ds).image)]


def test_images_a_display_shows_whole_have_no_full_range_view():
    eight_bit = new_dataset(ExplicitVRLittleEndian, Rows=4, Columns=4, BitsAllocated=8, BitsStored=8, HighBit=7,
                            PixelRepresentation=0, SamplesPerPixel=1, PhotometricInterpretation="MONOCHROME2",
                            PixelData=bytes(16))
    rgb = new_dataset(ExplicitVRLittleEndian, Rows=4, Columns=4, BitsAllocated=8, BitsStored=8, HighBit=7,
                      PixelRepresentation=0, SamplesPerPixel=3, PhotometricInterpretation="RGB",
                      PlanarConfiguration=0, PixelData=bytes(48))
    assert not has_hidden_range(eight_bit) and full_range_frame(eight_bit) is None
    assert not has_hidden_range(rgb) and full_range_frame(rgb) is None
    flat, _ = ct_with_hidden_label()
    flat.PixelData = np.full((200, 300), 7, dtype=np.uint16).tobytes()
    assert full_range_frame(flat) is None


@pytest.mark.ocr
def test_scan_thorough_finds_the_patients_name_the_window_hides(tmp_path, capsys):
    from phidetect.cli import main
    from phidetect.output import read_table

    ds, _ = ct_with_hidden_label()
    ds.PatientName = "QUARSHIE^ABENA"
    ds.save_as(tmp_path / "ct.dcm", enforce_file_format=True)
    found = {}
    for name, extra in (("plain", []), ("thorough", ["--thorough"])):
        out = tmp_path / f"{name}.csv"
        main(["scan", str(tmp_path / "ct.dcm"), "--ocr", "--no-progress", "--workers", "1", "--out", str(out), *extra])
        table = read_table(out)
        found[name] = list(table.loc[table["source"] == "pixel", "text"])
    capsys.readouterr()
    assert found["plain"] == []
    assert any("QUARSHIE" in text for text in found["thorough"]), found


@pytest.mark.ocr
def test_redaction_reads_the_thorough_way_only_when_asked(tmp_path):
    from phidetect.ocr_settings import THOROUGH, OcrSettings
    from phidetect.redact import redact

    ds, _ = ct_with_hidden_label()
    ds.PatientName = "QUARSHIE^ABENA"
    (tmp_path / "in").mkdir()
    ds.save_as(tmp_path / "in" / "ct.dcm", enforce_file_format=True)
    filled = {}
    for name, ocr in (("default", True), ("thorough", OcrSettings(options=THOROUGH))):
        result = redact(tmp_path / "in", tmp_path / name, ocr=ocr, workers=1, progress=False)
        assert list(result.files["status"]) == ["written"]
        filled[name] = result.boxes
    assert filled["default"].empty  # only easyocr's detector finds the grey-on-grey label
    label = filled["thorough"]
    assert (label["reason"] == "PHI NAME").any() and (label["y"] < 35).all(), label
