"""Burned-in text planted in synthetic DICOMs of every photometric interpretation, bit
depth and transfer syntax, read back through phidetect.scan(ocr=True).

Names come from Faker (test data only; detection never reads Faker's lists) and are
written with OpenCV's Hershey fonts at known places; the findings' boxes must land there.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pydicom
import pytest
from faker import Faker
from pydicom.dataset import FileMetaDataset
from pydicom.pixels import convert_color_space
from pydicom.uid import JPEG2000Lossless, RLELossless, generate_uid

import phidetect

pytestmark = [pytest.mark.ocr]
ROWS, COLS = 240, 420
FONTS = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_TRIPLEX]


def identity(seed: int) -> dict:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    born = fake.date_of_birth(minimum_age=20, maximum_age=85)
    return {"last": fake.last_name().upper(), "first": fake.first_name().upper(), "born": born,
            "id": str(fake.random_number(digits=8, fix_len=True))}


def text_mask(person: dict, seed: int) -> tuple[np.ndarray, dict[str, tuple[int, int, int, int]]]:
    """A white-on-black mask with two lines of text, and where each piece was written."""
    mask = np.zeros((ROWS, COLS), dtype=np.uint8)
    font = FONTS[seed % len(FONTS)]
    pieces = {"name": (f"{person['last']}, {person['first']}", (12, 32)),
              "dob": (f"DOB {person['born']:%m/%d/%Y}", (12, 64)),
              "id": (f"ID {person['id']}", (230, 64))}
    boxes = {}
    for key, (text, (x, y)) in pieces.items():
        (w, h), base = cv2.getTextSize(text, font, 0.6, 1)
        cv2.putText(mask, text, (x, y), font, 0.6, 255, 1, cv2.LINE_AA)
        boxes[key] = (x, y - h, w, h + base)
    return mask, boxes


def anatomy(seed: int) -> np.ndarray:
    """A smooth phantom below the text: an ellipse with soft texture."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:ROWS, 0:COLS]
    inside = ((yy - 170) / 55.0) ** 2 + ((xx - 210) / 160.0) ** 2 < 1
    return np.where(inside, 0.45 + 0.1 * rng.random((ROWS, COLS)), 0.05)


def base_dataset(person: dict) -> pydicom.Dataset:
    ds = pydicom.Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = f"{person['last']}^{person['first']}"
    ds.PatientID, ds.PatientBirthDate = person["id"], f"{person['born']:%Y%m%d}"
    ds.Modality, ds.Rows, ds.Columns = "OT", ROWS, COLS
    return ds


def grey(ds: pydicom.Dataset, values: np.ndarray, bits: int, signed: bool, photometric: str) -> None:
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, photometric
    ds.BitsAllocated = 8 if bits == 8 else 16
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits - 1, int(signed)
    dtype = {(8, False): np.uint8, (16, False): np.uint16, (16, True): np.int16}[(ds.BitsAllocated, signed)]
    ds.PixelData = values.astype(dtype).tobytes()


def build(kind: str, seed: int) -> tuple[pydicom.Dataset, dict, dict]:
    person = identity(seed)
    mask, boxes = text_mask(person, seed)
    scene = np.maximum(anatomy(seed), mask / 255.0)  # 0..1, text brightest
    ds = base_dataset(person)
    if kind == "MONOCHROME2-8":
        grey(ds, scene * 255, 8, False, "MONOCHROME2")
    elif kind == "MONOCHROME2-16s-rescale-window":  # CT-like: HU from -1024, window on soft tissue
        hu = scene * 1400 - 1024
        ds.RescaleIntercept, ds.RescaleSlope, ds.WindowCenter, ds.WindowWidth = -1024, 1, 40, 400
        grey(ds, hu + 1024, 16, True, "MONOCHROME2")
    elif kind == "MONOCHROME1-12":  # stored dark = displayed bright
        grey(ds, (1 - scene) * 4095, 12, False, "MONOCHROME1")
    elif kind in ("RGB", "YBR_FULL"):
        rgb = np.stack([scene * 255, scene * 230, scene * 200], axis=-1).astype(np.uint8)
        if kind == "YBR_FULL":
            rgb = convert_color_space(rgb, "RGB", "YBR_FULL")
        ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PlanarConfiguration = 3, kind, 0
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
        ds.PixelData = rgb.tobytes()
    elif kind == "PALETTE":
        grey(ds, scene * 255, 8, False, "PALETTE COLOR")
        ramp = (np.arange(256, dtype=np.uint16) * 257).tobytes()
        for colour in ("Red", "Green", "Blue"):
            setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [256, 0, 16])
            setattr(ds, f"{colour}PaletteColorLookupTableData", ramp)
    elif kind == "multiframe":
        frames = np.stack([np.maximum(anatomy(seed + f), mask / 255.0) * 255 for f in range(3)])
        ds.NumberOfFrames = 3
        grey(ds, frames, 8, False, "MONOCHROME2")
    else:
        raise ValueError(kind)
    return ds, person, boxes


def overlaps(finding, box: tuple[int, int, int, int]) -> bool:
    x, y, w, h = box
    return finding.x < x + w and x < finding.x + finding.width and finding.y < y + h and y < finding.y + finding.height


KINDS = ["MONOCHROME2-8", "MONOCHROME2-16s-rescale-window", "MONOCHROME1-12", "RGB", "YBR_FULL", "PALETTE",
         "multiframe"]


@pytest.mark.parametrize("syntax", ["native", "rle", "j2k"])
@pytest.mark.parametrize("kind", KINDS)
def test_planted_text_found_where_it_was_written(tmp_path: Path, kind: str, syntax: str) -> None:
    seed = KINDS.index(kind) * 7 + len(syntax)
    ds, person, boxes = build(kind, seed)
    if syntax == "rle":
        ds.compress(RLELossless)
    elif syntax == "j2k":
        if kind in ("YBR_FULL", "PALETTE", "MONOCHROME2-16s-rescale-window"):
            pytest.skip("JPEG 2000 lossless is written here for 8-bit grey, 12-bit and RGB only")
        try:
            ds.compress(JPEG2000Lossless)
        except (RuntimeError, ValueError, NotImplementedError) as exc:
            pytest.skip(f"no JPEG 2000 encoder installed: {exc}")
    path = tmp_path / f"{kind}-{syntax}.dcm"
    ds.save_as(path, enforce_file_format=True)
    result = phidetect.scan(path, workers=1, progress=False, ocr=True)
    assert result.errors.empty, result.errors
    pixel = result[(result["source"] == "pixel") & (result["confidence"] >= 0.5)]
    frames = int(ds.get("NumberOfFrames", 1))
    assert sorted(set(pixel["frame"])) == list(range(frames))
    for frame in range(frames):
        here = pixel[pixel["frame"] == frame]
        for key, phi_type in (("name", "NAME"), ("dob", "DATE"), ("id", "ID")):
            hits = [f for f in here.itertuples() if f.phi_type == phi_type and overlaps(f, boxes[key])]
            assert hits, (kind, syntax, frame, key, person, list(here[["phi_type", "text", "x", "y"]].itertuples()))
