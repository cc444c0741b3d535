"""Overlay planes, icons and undecodable pixel data: an overlay's bit pattern lands at its
origin on the right frames, icons come with compressed images, and data no decoder can
read is a decode error naming the transfer syntax or package, never a crash."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from pixel_images import COLUMNS, ROWS, assert_text_is_brightest, encode, grey_dataset, round_trip, text_image
from pydicom.dataset import Dataset
from pydicom.encaps import encapsulate
from pydicom.pixels import get_decoder
from pydicom.sequence import Sequence
from pydicom.uid import (
    UID,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    RLELossless,
)

from phidetect.dicom.pixels import PixelDecodeError, display_frames, display_image, frame_count
from phidetect.planes import Plane

# --- overlays and icon ----------------------------------------------------------------------------

def _add_overlay(ds: Dataset, group: int, pattern: np.ndarray, origin: tuple[int, int], *,
                 image_frame_origin: int | None = None) -> None:
    """Overlay Data packed the DICOM way: 1 bit a pixel, little bit order, frames back to back."""
    frames, rows, columns = pattern.shape if pattern.ndim == 3 else (1, *pattern.shape)
    packed = np.packbits(pattern.astype(np.uint8).ravel(), bitorder="little").tobytes()
    ds.add_new((group, 0x0010), "US", rows)
    ds.add_new((group, 0x0011), "US", columns)
    ds.add_new((group, 0x0040), "CS", "G")
    ds.add_new((group, 0x0050), "SS", list(origin))
    ds.add_new((group, 0x0100), "US", 1)
    ds.add_new((group, 0x0102), "US", 0)
    if frames > 1:
        ds.add_new((group, 0x0015), "IS", frames)
    if image_frame_origin is not None:
        ds.add_new((group, 0x0051), "US", image_frame_origin)
    ds.add_new((group, 0x3000), "OW", packed + b"\0" * (len(packed) % 2))


def _expected_overlay(pattern: np.ndarray, origin: tuple[int, int], grid: tuple[int, int]) -> np.ndarray:
    canvas = np.zeros((grid[0] + 64, grid[1] + 64), dtype=np.uint8)  # room on every side
    top, left = origin[0] - 1 + 32, origin[1] - 1 + 32
    canvas[top:top + pattern.shape[0], left:left + pattern.shape[1]] = pattern * 255
    return canvas[32:32 + grid[0], 32:32 + grid[1]]


def test_overlay_bit_pattern_lands_at_its_origin(tmp_path):
    pattern = np.random.default_rng(7).integers(0, 2, (9, 13)).astype(np.uint8)  # 117 bits: not byte aligned
    ds = grey_dataset(text_image(12, False, False), 12, False, False)
    _add_overlay(ds, 0x6000, pattern, (5, 7))
    _add_overlay(ds, 0x6002, pattern, (-2, COLUMNS - 5))  # partly outside: cut off
    ds = round_trip(ds, tmp_path)
    frames = list(display_frames(ds))
    assert [(f.frame, f.plane) for f in frames] == [(0, Plane.IMAGE), (0, Plane.OVERLAY_6000), (0, Plane.OVERLAY_6002)]
    assert np.array_equal(frames[1].image, _expected_overlay(pattern, (5, 7), (ROWS, COLUMNS)))
    assert np.array_equal(frames[1].image[4:13, 6:19], pattern * 255)
    assert np.array_equal(frames[2].image, _expected_overlay(pattern, (-2, COLUMNS - 5), (ROWS, COLUMNS)))
    assert np.array_equal(frames[2].image[0:6, COLUMNS - 6:], pattern[3:, :6] * 255)
    assert frames[1].image.dtype == np.uint8 and set(np.unique(frames[1].image)) <= {0, 255}


def test_multiframe_overlay_maps_to_image_frames(tmp_path):
    """Three overlay frames starting at image frame 2 (1-based) of four: frames 1, 2, 3."""
    rng = np.random.default_rng(11)
    patterns = rng.integers(0, 2, (3, 5, 7)).astype(np.uint8)  # 35 bits a frame
    arr = np.stack([text_image(12, False, False)] * 4)
    ds = grey_dataset(arr, 12, False, False, frames=4)
    _add_overlay(ds, 0x6000, patterns, (10, 20), image_frame_origin=2)
    ds = round_trip(ds, tmp_path)
    frames = list(display_frames(ds))
    assert [(f.frame, f.plane) for f in frames] == [
        (0, Plane.IMAGE), (1, Plane.IMAGE), (1, Plane.OVERLAY_6000), (2, Plane.IMAGE), (2, Plane.OVERLAY_6000),
        (3, Plane.IMAGE), (3, Plane.OVERLAY_6000)]
    overlays = [f for f in frames if f.plane == Plane.OVERLAY_6000]
    for f, pattern in zip(overlays, patterns, strict=True):
        assert np.array_equal(f.image, _expected_overlay(pattern, (10, 20), (ROWS, COLUMNS)))
    reference = ds.overlay_array(0x6000)
    assert np.array_equal(reference, patterns)


def test_overlay_of_a_big_endian_file(tmp_path):
    """Big endian OW Overlay Data holds 16-bit words high byte first: swapped back to bits."""
    pattern = np.random.default_rng(3).integers(0, 2, (7, 11)).astype(np.uint8)
    ds = grey_dataset(text_image(12, False, False), 12, False, False, transfer_syntax=ExplicitVRBigEndian)
    _add_overlay(ds, 0x6000, pattern, (20, 30))
    little = ds[0x60003000].value
    ds[0x60003000].value = np.frombuffer(little, dtype="<u2").astype(">u2").tobytes()
    ds = round_trip(ds, tmp_path)
    overlay = next(f for f in display_frames(ds) if f.plane == Plane.OVERLAY_6000)
    assert np.array_equal(overlay.image, _expected_overlay(pattern, (20, 30), (ROWS, COLUMNS)))


def test_damaged_overlays_do_not_explode(tmp_path):
    """A huge frame count, huge rows and short data: bounded work, zeros where data is missing."""
    ds = grey_dataset(text_image(12, False, False), 12, False, False)
    _add_overlay(ds, 0x6000, np.ones((4, 8), dtype=np.uint8), (1, 1))
    ds.add_new(0x60000015, "IS", 10**9)  # Number of Frames in Overlay
    _add_overlay(ds, 0x6002, np.ones((4, 8), dtype=np.uint8), (1, 1))
    ds[0x60020010].value = 60000  # Overlay Rows: 60000 x 8 bits of which 32 are stored
    ds = round_trip(ds, tmp_path)
    planes = [f for f in display_frames(ds) if f.plane != Plane.IMAGE]
    assert [(f.frame, f.plane) for f in planes] == [(0, Plane.OVERLAY_6000), (0, Plane.OVERLAY_6002)]
    expected = _expected_overlay(np.ones((4, 8), dtype=np.uint8), (1, 1), (ROWS, COLUMNS))
    for f in planes:
        assert np.array_equal(f.image, expected)


def test_embedded_overlay_in_unused_high_bits(tmp_path):
    """Retired: overlay bits stored in bit 15 of 12-bit pixels; the image ignores them."""
    arr = text_image(12, False, False)
    pattern = np.zeros((ROWS, COLUMNS), dtype=np.uint16)
    pattern[2:6, 40:60] = 1
    ds = grey_dataset(arr | (pattern << 15), 12, False, False)
    ds.add_new(0x60000010, "US", ROWS)
    ds.add_new(0x60000011, "US", COLUMNS)
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 16)
    ds.add_new(0x60000102, "US", 15)
    ds = round_trip(ds, tmp_path)
    image, overlay = display_frames(ds)
    assert overlay.plane == Plane.OVERLAY_6000
    assert np.array_equal(overlay.image, pattern.astype(np.uint8) * 255)
    plain = display_image(round_trip(grey_dataset(arr, 12, False, False), tmp_path), 0)
    assert np.array_equal(image.image, plain)
    assert np.array_equal(display_image(ds, 0), plain)


def test_icon_of_a_compressed_image(tmp_path):
    """The icon is stored uncompressed inside an RLE file: it is decoded as native data."""
    ds = grey_dataset(text_image(12, False, False), 12, False, False)
    icon = Dataset()
    small = text_image(8, False, False, rows=16, columns=24, text_at=np.s_[2:5, 3:20])
    for keyword, value in dict(Rows=16, Columns=24, SamplesPerPixel=1, PhotometricInterpretation="MONOCHROME2",
                               BitsAllocated=8, BitsStored=8, HighBit=7, PixelRepresentation=0).items():
        setattr(icon, keyword, value)
    icon.PixelData = small.tobytes()
    icon["PixelData"].VR = "OB"
    ds.IconImageSequence = Sequence([icon])
    ds = round_trip(encode(ds, "rle"), tmp_path)
    frames = list(display_frames(ds))
    assert [(f.frame, f.plane) for f in frames] == [(0, Plane.IMAGE), (0, Plane.ICON)]
    assert np.array_equal(frames[1].image, small)
    assert_text_is_brightest(frames[0].image)


# --- decode errors --------------------------------------------------------------------------------

def _compressed(transfer_syntax: str, payload: bytes = b"\xff\x0a\x00\x01garbage!") -> Dataset:
    ds = grey_dataset(text_image(8, False, False), 8, False, False, transfer_syntax=ExplicitVRLittleEndian)
    ds.file_meta.TransferSyntaxUID = UID(transfer_syntax)
    ds.PixelData = encapsulate([payload])
    ds["PixelData"].is_undefined_length = True
    return ds


@pytest.mark.parametrize(("uid", "named"), [
    ("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
    ("1.2.840.10008.1.2.4.112", "JPEG XL"),
    ("1.2.840.10008.1.2.4.102", "MPEG-4"),
    ("1.2.3.4.5.6.7", "1.2.3.4.5.6.7"),
])
def test_transfer_syntax_without_decoder(uid: str, named: str):
    ds = _compressed(uid)
    assert frame_count(ds) == 1
    with pytest.raises(PixelDecodeError, match=f"cannot decode {named}"):
        list(display_frames(ds))
    with pytest.raises(PixelDecodeError, match=uid.replace(".", r"\.")):
        display_image(ds, 0)


def test_overlays_and_icon_still_come_when_the_image_cannot_be_decoded():
    pattern = np.eye(6, 10, dtype=np.uint8)
    ds = _compressed("1.2.840.10008.1.2.4.110")
    _add_overlay(ds, 0x6000, pattern, (3, 4))
    seen = []
    with pytest.raises(PixelDecodeError, match="JPEG XL Lossless"):
        for frame in display_frames(ds):
            seen.append(frame)
    assert [(f.frame, f.plane) for f in seen] == [(0, Plane.OVERLAY_6000)]
    assert np.array_equal(seen[0].image, _expected_overlay(pattern, (3, 4), (ROWS, COLUMNS)))


def test_missing_codec_names_the_package(monkeypatch):
    decoder = get_decoder(JPEG2000Lossless)
    monkeypatch.setattr(decoder, "_available", {})
    monkeypatch.setattr(decoder, "_unavailable", {"pylibjpeg": ("pylibjpeg-openjpeg",)})
    with pytest.raises(PixelDecodeError) as caught:
        list(display_frames(_compressed(JPEG2000Lossless)))
    assert "cannot decode JPEG 2000 Lossless" in str(caught.value)
    assert "install pylibjpeg-openjpeg or python-gdcm" in str(caught.value)


def test_corrupt_compressed_data_is_a_decode_error():
    with pytest.raises(PixelDecodeError, match="cannot decode RLE Lossless"):
        list(display_frames(_compressed(RLELossless, b"\x00" * 10)))


def test_truncated_native_pixel_data_is_a_decode_error(tmp_path):
    ds = grey_dataset(text_image(12, False, False), 12, False, False)
    ds.PixelData = ds.PixelData[:-200]
    with pytest.raises(PixelDecodeError, match="cannot decode Explicit VR Little Endian"):
        list(display_frames(ds))


def test_compressed_data_without_a_transfer_syntax():
    ds = _compressed(RLELossless)
    del ds.file_meta.TransferSyntaxUID
    with pytest.raises(PixelDecodeError, match="names no transfer syntax"):
        list(display_frames(ds))


def test_file_without_meta_is_read_by_its_encoding(tmp_path):
    """A bare data set (no preamble, no file meta) still displays, in the encoding it was read."""
    arr = text_image(12, True, False)
    ds = grey_dataset(arr, 12, True, False)
    path = tmp_path / "bare.dcm"
    plain = Dataset()
    plain.update(ds)
    pydicom.dcmwrite(path, plain, implicit_vr=True, little_endian=True)
    assert path.read_bytes()[128:132] != b"DICM"
    bare = pydicom.dcmread(path, force=True)
    assert "TransferSyntaxUID" not in getattr(bare, "file_meta", {})
    assert_text_is_brightest(display_image(bare, 0))
