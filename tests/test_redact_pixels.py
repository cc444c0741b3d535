"""Pixel blackout: every box displays black in every frame it applies to, whatever the
photometric interpretation, rescale or window, compressed or not; nothing else changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
import pytest
from conftest import new_dataset, write_dicom
from pydicom.data import get_testdata_file
from pydicom.uid import RLELossless

from phidetect.dicom.pixels import display_image, frame_count
from phidetect.redact import Policy, redact, top_rows
from phidetect.redact.syntax_families import LOSSLESS

BOX = {"x": 10, "y": 5, "width": 20, "height": 8}
MARGIN = 2


def _image(path: Path, frames: np.ndarray, photometric: str, *, bits_stored: int | None = None,
           compress: bool = False, **elements) -> Path:
    ds = new_dataset(**elements)
    samples = 3 if frames.ndim == 4 else 1
    ds.set_pixel_data(frames if len(frames) > 1 else frames[0], photometric,
                      bits_stored or 8 * frames.dtype.itemsize, generate_instance_uid=False)
    if len(frames) > 1:
        ds.NumberOfFrames = len(frames)
    if compress:
        ds.compress(RLELossless, generate_instance_uid=False)
    assert ds.SamplesPerPixel == samples
    return write_dicom(path, ds)


def _pixel_finding(file: str, frame: int, plane: str = "image", **box) -> dict:
    return {"file": file, "source": "pixel", "frame": frame, "plane": plane, "confidence": 0.9,
            "tag_path": "", "start": -1, "end": -1, "phi_type": "NAME", "text": "DOE", "rule": "test",
            **(box or BOX)}


def _redact_one(path: Path, out: Path, *, findings=None, boxes=None, **options):
    """Redact the folder ``path`` is in (findings name files relative to it)."""
    result = redact(path if path.is_dir() else path.parent, out, ocr=False, secret="k", workers=1, progress=False, margin=MARGIN,
                    findings=pd.DataFrame(findings) if findings else None, boxes=boxes, **options)
    row = result.files.iloc[0]
    assert row.status == "written", row.error
    return pydicom.dcmread(row.output), row


def _inside(arr: np.ndarray, box: dict = BOX, margin: int = MARGIN) -> np.ndarray:
    """Mask over the last two image axes: True inside the box grown by the margin."""
    rows, columns = arr.shape[-2], arr.shape[-1]
    mask = np.zeros((rows, columns), dtype=bool)
    mask[max(0, box["y"] - margin):box["y"] + box["height"] + margin,
         max(0, box["x"] - margin):box["x"] + box["width"] + margin] = True
    return mask


def _assert_dark(ds, frames, box: dict = BOX, limit: int = 3):
    for index in frames:
        shown = display_image(ds, index)
        mask = _inside(shown if shown.ndim == 2 else shown[..., 0], box)
        assert shown[mask].max() <= limit, (index, shown[mask].max())


def _grey_frames(count: int, dtype=np.uint16, low: int = 500, high: int = 4000, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(low, high, size=(count, 40, 48)).astype(dtype)


def test_multiframe_box_dark_in_every_frame_rest_unchanged(tmp_path):
    frames = _grey_frames(5)
    path = _image(tmp_path / "in" / "cine.dcm", frames, "MONOCHROME2", bits_stored=12,
                  WindowCenter="2000", WindowWidth="1000", RescaleSlope="1", RescaleIntercept="-1024")
    # the same banner reported on two frames: one region, filled in every frame
    findings = [_pixel_finding("cine.dcm", 2), _pixel_finding("cine.dcm", 3)]
    out, row = _redact_one(path, tmp_path / "out", findings=findings)
    assert row.n_boxes == 1 and not row.decompressed and not row.pixels_cleaned
    after = out.pixel_array
    assert after.shape == frames.shape
    _assert_dark(out, range(5))
    mask = _inside(after)
    np.testing.assert_array_equal(after[:, ~mask], frames[:, ~mask])
    assert "BurnedInAnnotation" not in out  # no OCR ran: nobody checked the rest of the pixels


def test_only_the_frame_found_when_asked(tmp_path):
    frames = _grey_frames(4)
    path = _image(tmp_path / "in" / "cine.dcm", frames, "MONOCHROME2", bits_stored=12)
    out, _ = _redact_one(path, tmp_path / "out", findings=[_pixel_finding("cine.dcm", 1)], every_frame=False)
    after = out.pixel_array
    _assert_dark(out, [1])
    for index in (0, 2, 3):
        np.testing.assert_array_equal(after[index], frames[index])


@pytest.mark.parametrize("photometric, dtype, extra", [
    ("MONOCHROME1", np.uint16, {}),
    ("MONOCHROME2", np.int16, {"RescaleSlope": "1", "RescaleIntercept": "-1024"}),
    ("MONOCHROME2", np.uint16, {"WindowCenter": "40", "WindowWidth": "400", "RescaleIntercept": "-1024",
                                "RescaleSlope": "1"}),
    ("MONOCHROME1", np.uint16, {"WindowCenter": "3000", "WindowWidth": "800"}),
    ("MONOCHROME2", np.uint8, {}),
])
def test_black_whatever_the_grey_display(tmp_path, photometric, dtype, extra):
    low, high = (-800, 900) if dtype == np.int16 else (10, 250) if dtype == np.uint8 else (600, 3900)
    frames = _grey_frames(1, dtype, low, high)
    path = _image(tmp_path / "in" / "g.dcm", frames, photometric, bits_stored=12 if dtype != np.uint8 else 8, **extra)
    out, _ = _redact_one(path, tmp_path / "out", findings=[_pixel_finding("g.dcm", 0)])
    _assert_dark(out, [0])
    mask = _inside(out.pixel_array)
    np.testing.assert_array_equal(out.pixel_array[~mask], frames[0][~mask])


@pytest.mark.parametrize("keep_compression", [True, False])
def test_compressed_colour_cine_stays_rle_or_is_written_uncompressed(tmp_path, keep_compression):
    rng = np.random.default_rng(2)
    frames = rng.integers(30, 255, size=(3, 40, 48, 3)).astype(np.uint8)
    path = _image(tmp_path / "in" / "rgb.dcm", frames, "RGB", compress=True)
    before = pydicom.dcmread(path)
    assert before.file_meta.TransferSyntaxUID == RLELossless
    out, row = _redact_one(path, tmp_path / "out", findings=[_pixel_finding("rgb.dcm", 0)],
                           keep_compression=keep_compression)
    assert row.decompressed is not keep_compression
    assert out.file_meta.TransferSyntaxUID == (RLELossless if keep_compression else "1.2.840.10008.1.2.1")
    assert out.PhotometricInterpretation == "RGB" and out.PlanarConfiguration == 0 and out.NumberOfFrames == 3
    after = out.pixel_array
    mask = _inside(after[..., 0])
    assert (after[:, mask] == 0).all()
    np.testing.assert_array_equal(after[:, ~mask], frames[:, ~mask])


def test_ybr_is_blacked_in_its_own_colour_space(tmp_path):
    frames = np.full((1, 40, 48, 3), 200, dtype=np.uint8)
    path = _image(tmp_path / "in" / "ybr.dcm", frames, "YBR_FULL")
    out, _ = _redact_one(path, tmp_path / "out", findings=[_pixel_finding("ybr.dcm", 0)])
    assert out.PhotometricInterpretation == "YBR_FULL"
    _assert_dark(out, [0])


def test_jpeg_ybr_422_becomes_rgb(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(get_testdata_file("SC_rgb_dcmtk_+eb+cy+np.dcm"), source / "jpeg.dcm")
    out, row = _redact_one(source, tmp_path / "out", findings=[_pixel_finding("jpeg.dcm", 0)])
    # RGB, or RGB through JPEG 2000's reversible colour transform (decoded as RGB)
    assert out.PhotometricInterpretation in ("RGB", "YBR_RCT") and out.LossyImageCompression == "01"
    syntax = out.file_meta.TransferSyntaxUID
    assert syntax in LOSSLESS or not syntax.is_compressed  # never lossy again
    _assert_dark(out, [0])


def test_palette_colour(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(get_testdata_file("examples_palette.dcm"), source / "pal.dcm")
    out, _ = _redact_one(source, tmp_path / "out", findings=[_pixel_finding("pal.dcm", 0)])
    assert out.PhotometricInterpretation == "PALETTE COLOR"
    _assert_dark(out, [0], limit=10)


def test_overlays_holding_text_are_removed(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(get_testdata_file("examples_overlay.dcm"), source / "ov.dcm")
    default, _ = _redact_one(source, tmp_path / "a")
    assert not any(elem.tag.group == 0x6000 for elem in default)  # Basic Profile: overlays X
    graphics = Policy(clean_graphics=True)
    kept, _ = _redact_one(source, tmp_path / "b", policy=graphics)
    assert (0x6000, 0x3000) in kept
    found = _pixel_finding("ov.dcm", 0, plane="overlay:6000")
    cleaned, _ = _redact_one(source, tmp_path / "c", policy=graphics, findings=[found])
    assert not any(elem.tag.group == 0x6000 for elem in cleaned)


def test_extra_boxes_for_every_file_reach_the_edges(tmp_path):
    frames = _grey_frames(2)
    path = _image(tmp_path / "in" / "us.dcm", frames, "MONOCHROME2", bits_stored=12)
    out, row = _redact_one(path, tmp_path / "out", boxes=top_rows(6))
    assert row.n_boxes == 1
    top = {"x": 0, "y": 0, "width": 48, "height": 6}
    _assert_dark(out, range(2), top)
    np.testing.assert_array_equal(out.pixel_array[:, 6 + MARGIN:], frames[:, 6 + MARGIN:])


def test_undecodable_pixels_are_not_written(tmp_path):
    ds = new_dataset(PatientName="DOE^JOHN")
    ds.Rows, ds.Columns, ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 8, 8, 7
    ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PixelRepresentation = 1, "MONOCHROME2", 0
    ds.PixelData = b"\0" * 10  # far too short for 8 x 8
    path = write_dicom(tmp_path / "in" / "bad.dcm", ds)
    result = redact(path, tmp_path / "out", ocr=False, workers=1, progress=False, boxes=top_rows(2))
    assert result.files.loc[0, "status"] == "error" and "pixel data" in result.files.loc[0, "error"]
    assert not (tmp_path / "out" / "bad.dcm").exists()


def test_frame_count_unchanged_for_one_frame_multiframe(tmp_path):
    frames = _grey_frames(1)
    ds = new_dataset()
    ds.set_pixel_data(frames[0], "MONOCHROME2", 12, generate_instance_uid=False)
    ds.NumberOfFrames = 1
    path = write_dicom(tmp_path / "in" / "one.dcm", ds)
    out, _ = _redact_one(path, tmp_path / "out", boxes=top_rows(3))
    assert out.NumberOfFrames == 1 and frame_count(out) == 1


def test_boxes_from_an_earlier_scan_table_on_disk(tmp_path):
    from phidetect.findings import Finding, findings_frame
    from phidetect.output import read_table, write_table

    frames = _grey_frames(1)
    path = _image(tmp_path / "in" / "a.dcm", frames, "MONOCHROME2", bits_stored=12)
    earlier = findings_frame([Finding("a.dcm", "", "pixel", "NAME", "DOE", 0.9, "ocr.easyocr", frame=0,
                                      plane="image", **BOX)])
    table = write_table(earlier, tmp_path / "scan.csv")
    out, row = _redact_one(path, tmp_path / "out", findings=None, boxes=read_table(table))
    assert row.n_boxes == 1
    _assert_dark(out, [0])


def test_blank_text_regions_darkens_text_ocr_never_read(tmp_path):
    """The conservative mode blanks text that no finding names, and only around it."""
    cv2 = pytest.importorskip("cv2")
    frame = np.full((120, 200), 30, dtype=np.uint8)
    cv2.putText(frame, "ZX 0417", (20, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 230, 2)
    path = _image(tmp_path / "in" / "text.dcm", frame[None], "MONOCHROME2")
    out, row = _redact_one(path, tmp_path / "out", blank_text_regions=True)
    after = out.pixel_array
    assert row.n_boxes >= 1
    assert after[20:45, 20:120].max() <= 30  # the text is gone
    np.testing.assert_array_equal(after[80:, :], frame[80:, :])  # far from it, nothing changed
