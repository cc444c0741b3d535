"""Display frames for OCR: every real file pydicom decodes comes out as uint8 on its own
grid, encodings of the same image agree, and synthetic burned-in text (a bright rectangle,
an overlay bit pattern) ends up bright and exactly where it was put, whatever the encoding,
bit depth, sign, rescale, window or photometric interpretation."""

from __future__ import annotations

import copy
import json
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES, new_dataset
from pixel_images import (
    BRIGHT,
    COLUMNS,
    ROWS,
    TEXT,
    add_transform,
    assert_text_is_brightest,
    encode,
    grey_dataset,
    round_trip,
    text_image,
)
from pydicom.dataset import Dataset
from pydicom.pixels import convert_color_space, get_decoder, get_encoder
from pydicom.sequence import Sequence
from pydicom.uid import (
    ExplicitVRBigEndian,
    JPEGBaseline8Bit,
    JPEGLSLossless,
)

from phidetect.datasets.packaged import deid_ultrasounds, package_folder, packaged_files
from phidetect.dicom.pixels import DisplayFrame, PixelDecodeError, display_frames, display_image, frame_count
from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.planes import Plane

#: Real files whose test takes about a second or more (big JPEG 2000, 120 JPEG frames).
SLOW_FILES = {"color3d_jpeg_baseline.dcm", "RG1_J2KR.dcm"}


# --- real files -----------------------------------------------------------------------------------

def _real_files() -> list[tuple[str, Path]]:
    """(id, path) of every file shipped by pydicom, pydicom-data, deid-data's ultrasounds and the samples."""
    found = []
    for package in ("pydicom", "data_store"):
        folder = package_folder(package)
        found += [(f"{package}/{p.relative_to(folder).as_posix()}", p) for p in packaged_files(package)]
    found += [(f"deid_data/{p.name}", p) for p in deid_ultrasounds()]
    found += [(f"samples/{p.name}", p) for p in sorted(SAMPLES.glob("*.dcm"))]
    return found


def _params(files: list[tuple[str, Path]]) -> list:
    return [pytest.param(path, id=name, marks=[pytest.mark.slow] if path.name in SLOW_FILES else [])
            for name, path in files]


def _find(name: str) -> Path:
    """A real file by name, wherever it is installed (skips when its package is not)."""
    folders = [package_folder("data_store"), package_folder("pydicom"), SAMPLES]
    folders += [p.parent for p in deid_ultrasounds()[:1]]
    for folder in folders:
        if folder is not None and (folder / name).is_file():
            return folder / name
    pytest.skip(f"{name} is not installed")


@lru_cache(maxsize=64)
def _shown(name: str) -> tuple[np.ndarray, ...]:
    """The image frames of a real file, display-ready (cached: pairs share references)."""
    ds = read_dicom(_find(name), headers_only=False)
    return tuple(f.image for f in display_frames(ds, overlays=False, icon=False))


@pytest.mark.parametrize("path", _params(_real_files()))
def test_real_file_frames(path: Path):
    """Every plane has the stored grid and uint8; a file we cannot decode, pydicom cannot either."""
    try:
        ds = read_dicom(path, headers_only=False)
    except DicomReadError:
        return  # not DICOM (a README in a DICOMDIR tree): nothing to display
    try:
        frames = list(display_frames(ds))
    except PixelDecodeError as exc:
        assert str(exc).startswith("cannot decode")
        with warnings.catch_warnings(), pytest.raises(Exception):  # noqa: B017 - whatever its plugin raised
            warnings.simplefilter("ignore")
            _ = ds.pixel_array
        return
    count = frame_count(ds)
    images = [f for f in frames if f.plane == Plane.IMAGE]
    assert [f.frame for f in images] == list(range(count))
    colour = ds.get("SamplesPerPixel", 1) == 3 or ds.get("PhotometricInterpretation") == "PALETTE COLOR"
    for f in frames:
        assert isinstance(f, DisplayFrame)
        assert f.image.dtype == np.uint8
        assert f.image.ndim == 2 or (f.image.ndim == 3 and f.image.shape[2] == 3)
        if f.plane == Plane.ICON:
            icon = ds.IconImageSequence[0]
            assert f.image.shape[:2] == (icon.Rows, icon.Columns)
        else:
            assert f.image.shape[:2] == (ds.Rows, ds.Columns)
        if f.plane == Plane.IMAGE:
            assert (f.image.ndim == 3) == colour
        else:
            assert f.plane == Plane.ICON or f.plane.is_overlay
    if count:
        assert display_image(ds, count - 1).shape == images[-1].image.shape


#: (reference, other, largest mean absolute difference): lossless encodings are identical,
#: lossy ones (and YBR, converted with rounding) close.
AGREE = [
    *[("emri_small.dcm", n, 0) for n in ("emri_small_RLE.dcm", "emri_small_jpeg_2k_lossless.dcm",
                                          "emri_small_jpeg_ls_lossless.dcm", "emri_small_big_endian.dcm")],
    *[("MR_small.dcm", n, 0) for n in ("MR_small_RLE.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm",
                                        "MR_small_implicit.dcm", "MR_small_jp2klossless.dcm",
                                        "MR_small_jpeg_ls_lossless.dcm", "MR_small_padded.dcm")],
    *[("SC_rgb.dcm", n, 0) for n in ("SC_rgb_expb.dcm", "SC_rgb_rle.dcm", "SC_rgb_jpeg_gdcm.dcm", "SC_rgb_16bit.dcm",
                                      "SC_rgb_32bit.dcm", "SC_rgb_rle_16bit.dcm", "SC_rgb_rle_32bit.dcm",
                                      "SC_rgb_expb_16bit.dcm", "SC_rgb_expb_32bit.dcm",
                                      "SC_rgb_gdcm2k_uncompressed.dcm", "SC_rgb_gdcm_KY.dcm")],
    *[("SC_rgb_2frame.dcm", n, 0) for n in ("SC_rgb_rle_2frame.dcm", "SC_rgb_expb_2frame.dcm",
                                             "SC_rgb_16bit_2frame.dcm", "SC_rgb_rle_16bit_2frame.dcm",
                                             "SC_rgb_32bit_2frame.dcm", "SC_rgb_rle_32bit_2frame.dcm",
                                             "SC_rgb_expb_32bit_2frame.dcm")],
    # YBR (uncompressed and JPEG baseline) against RGB, and against dcmtk's own decompression
    *[("SC_rgb.dcm", n, 1.0) for n in ("SC_ybr_full_uncompressed.dcm", "SC_ybr_full_422_uncompressed.dcm",
                                        "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_jls_lossy_line.dcm",
                                        "SC_rgb_jls_lossy_sample.dcm", "SC_rgb_dcmtk_+eb+cr.dcm",
                                        "SC_rgb_dcmtk_+eb+cy+n2.dcm", "SC_rgb_dcmtk_+eb+cy+s2.dcm",
                                        "SC_rgb_dcmtk_+eb+cy+s4.dcm")],
    *[("SC_rgb.dcm", n, 3.5) for n in ("SC_rgb_dcmtk_+eb+cy+n1.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm",
                                        "SC_rgb_jpeg_lossy_gdcm.dcm")],
    *[(f"SC_rgb_dcmtk_eb{d}_dcmd.dcm", f"SC_rgb_dcmtk_+eb+{j}.dcm", 0)
      for d, j in (("cr", "cr"), ("cyn1", "cy+n1"), ("cyn2", "cy+n2"), ("cynp", "cy+np"), ("cys2", "cy+s2"),
                   ("cys4", "cy+s4"))],
    ("SC_rgb_jpeg_dcmd.dcm", "SC_rgb_jpeg.dcm", 0),
    ("SC_rgb_jpeg_dcmd.dcm", "SC_jpeg_no_color_transform.dcm", 0),
    ("SC_rgb_jpeg_app14_dcmd.dcm", "SC_jpeg_no_color_transform_2.dcm", 0),
    ("SC_rgb_small_odd.dcm", "SC_rgb_small_odd_big_endian.dcm", 0),
    ("SC_rgb_small_odd.dcm", "SC_rgb_small_odd_jpeg.dcm", 2.0),
    *[(f"{s}_UNCR.dcm", f"{s}_J2KR.dcm", 0) for s in ("US1", "RG1", "RG3", "MR2", "693")],
    *[(f"{s}_UNCI.dcm", f"{s}_J2KI.dcm", 0) for s in ("US1", "RG1", "RG3", "MR2", "693")],
    # lossy against the original (693 is left out: its lossy noise fills a narrow CT window)
    *[(f"{s}_UNCR.dcm", f"{s}_J2KI.dcm", 2.0) for s in ("US1", "RG1", "RG3", "MR2")],
    *[("OBXXXX1A.dcm", n, 0) for n in ("OBXXXX1A_expb.dcm", "OBXXXX1A_rle.dcm")],
    *[("OBXXXX1A_2frame.dcm", n, 0) for n in ("OBXXXX1A_expb_2frame.dcm", "OBXXXX1A_rle_2frame.dcm")],
    ("gdcm-US-ALOKA-16.dcm", "gdcm-US-ALOKA-16_big.dcm", 0),
    ("liver.dcm", "liver_expb.dcm", 0),
    ("liver_1frame.dcm", "liver_expb_1frame.dcm", 0),
    ("rtdose.dcm", "rtdose_expb.dcm", 0),
    ("rtdose.dcm", "rtdose_rle.dcm", 0),
    ("JPEG2000_UNC.dcm", "JPEG2000.dcm", 0),
    ("color-pl.dcm", "color-px.dcm", 0),
]


def _pair_params() -> list:
    return [pytest.param(a, b, tol, id=f"{a}~{b}",
                         marks=[pytest.mark.slow] if {a, b} & SLOW_FILES else [])
            for a, b, tol in AGREE]


@pytest.mark.parametrize(("reference", "other", "tolerance"), _pair_params())
def test_encodings_of_one_image_agree(reference: str, other: str, tolerance: float):
    """The same pixels stored another way display the same (lossless: bit for bit)."""
    first, second = _shown(reference), _shown(other)
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert a.shape == b.shape
        difference = np.abs(a.astype(np.int16) - b.astype(np.int16))
        if tolerance == 0:
            assert not difference.any()
        else:
            assert difference.mean() <= tolerance


def test_first_frames_of_multiframe_match_single_frame_files():
    assert np.array_equal(_shown("OBXXXX1A_2frame.dcm")[0], _shown("OBXXXX1A.dcm")[0])
    assert np.array_equal(_shown("SC_rgb_2frame.dcm")[0], _shown("SC_rgb.dcm")[0])
    assert np.array_equal(_shown("liver.dcm")[0], _shown("liver_1frame.dcm")[0])


@pytest.mark.parametrize("name", ["SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_dcmtk_+eb+cy+s2.dcm", "examples_ybr_color.dcm",
                                  "color3d_jpeg_baseline.dcm"])
def test_jpeg_ybr_matches_another_decoder(name: str):
    """YBR JPEG shown as RGB once (not converted twice, not left as YBR): GDCM, which does
    its own colour conversion, decodes the first frame to nearly the same image."""
    decoder = get_decoder(JPEGBaseline8Bit)
    if "gdcm" not in decoder.available_plugins:
        pytest.skip("python-gdcm is not installed")
    ds = read_dicom(_find(name), headers_only=False)
    theirs, meta = decoder.as_array(ds, index=0, decoding_plugin="gdcm")
    if meta["photometric_interpretation"] in ("YBR_FULL", "YBR_FULL_422"):
        theirs = convert_color_space(theirs, "YBR_FULL", "RGB")
    ours = display_image(ds, 0)
    assert ours.shape == theirs.shape
    assert np.abs(ours.astype(np.int16) - theirs.astype(np.int16)).mean() < 2.0


def test_burned_in_text_of_monochrome1_cr_is_bright():
    """RLE, MONOCHROME1, 10-bit: the burned-in name (stored 0, shown white) comes out at
    255 on a dark band, where the ground truth boxes are."""
    ds = read_dicom(SAMPLES / "0_ORIGINAL_compressed.dcm", headers_only=False)
    truth = json.loads((SAMPLES / "ground_truth.json").read_text())["sample_data/0_ORIGINAL.dcm"]
    [frame] = list(display_frames(ds))
    assert (frame.frame, frame.plane, frame.image.shape) == (0, Plane.IMAGE, (1760, 2140))
    stored = ds.pixel_array
    for box in truth:
        left, top = box["left"] - 25, box["top"] - 25
        area = np.s_[top:top + box["height"], left:left + box["width"]]
        text = stored[area] == 0
        assert 0.2 < text.mean() < 0.5, box["label"]
        assert (frame.image[area][text] == 255).all(), box["label"]
        assert frame.image[area][~text].mean() < 60, box["label"]


def test_burned_in_text_of_monochrome2_ct_is_bright():
    ds = read_dicom(SAMPLES / "2_ORIGINAL.dcm", headers_only=False)
    truth = json.loads((SAMPLES / "ground_truth.json").read_text())["sample_data/2_ORIGINAL.dcm"]
    image = display_image(ds, 0)
    for box in truth:
        left, top = box["left"] - 25, box["top"] - 25
        area = image[top:top + box["height"], left:left + box["width"]]
        assert 0.2 < (area >= BRIGHT).mean() < 0.5, box["label"]
        assert np.median(area) < 60, box["label"]


def test_siemens_overlay_and_icon():
    """The MedCom overlay is pydicom's overlay_array at its origin (1,1); the palette icon is RGB 64x64."""
    ds = read_dicom(_find("MR-SIEMENS-DICOM-WithOverlays.dcm"), headers_only=False)
    frames = list(display_frames(ds))
    assert [(f.plane, f.frame) for f in frames] == [(Plane.IMAGE, 0), (Plane.OVERLAY_6000, 0), (Plane.ICON, 0)]
    assert np.array_equal(frames[1].image, ds.overlay_array(0x6000) * 255)
    assert frames[2].image.shape == (64, 64, 3)
    assert frames[2].image.std() > 10  # a picture, not a blank
    assert [f.plane for f in display_frames(ds, overlays=False, icon=False)] == [Plane.IMAGE]


def test_overlay_survives_without_pixels():
    """Headers only (the pixel data never read): no image, the overlay still shows."""
    path = SAMPLES / "RGB_ORIGINAL.dcm"
    full = read_dicom(path, headers_only=False)
    headers = read_dicom(path, headers_only=True)
    assert frame_count(headers) == 0
    frames = list(display_frames(headers))
    assert [(f.plane, f.frame) for f in frames] == [(Plane.OVERLAY_6000, 0)]
    assert np.array_equal(frames[0].image, full.overlay_array(0x6000) * 255)
    with pytest.raises(IndexError):
        display_image(headers, 0)


def test_ultrasound_frames_are_the_stored_rgb_in_order():
    """8-bit RGB needs no transform: each display frame is the stored frame, in order."""
    ds = read_dicom(_find("ultrasound-multiframe.dcm"), headers_only=False)
    stored = ds.pixel_array
    frames = list(display_frames(ds))
    assert [f.frame for f in frames] == list(range(30))
    for f in frames:
        assert np.array_equal(f.image, stored[f.frame])
    assert np.array_equal(display_image(ds, 17), stored[17])


@pytest.mark.parametrize("name", ["GREYSCALE_IMAGE.dcm", "RGB_IMAGE.dcm"])
def test_ultrasound_stills_show_their_burned_in_banner(name: str):
    """The deid-data stills carry a text banner in their top rows: bright pixels are there."""
    image = _shown(name)[0]
    grey = image if image.ndim == 2 else image.max(axis=2)
    assert image.shape[:2] == (768, 1024)
    assert (grey[:40] >= 200).mean() > 0.005


def test_enhanced_ct_uses_shared_functional_group_window():
    """eCT_Supplemental keeps rescale and window in the Shared Functional Groups only."""
    ds = read_dicom(_find("eCT_Supplemental.dcm"), headers_only=False)
    stored = ds.pixel_array[0].astype(np.float64) - 1024  # rescale intercept -1024
    center, width = 49.0, 102.0
    expected = np.clip(((stored - (center - 0.5)) / (width - 1) + 0.5) * 255, 0, 255)
    assert np.abs(display_image(ds, 0).astype(np.float64) - expected).max() <= 1.0


def test_modality_and_voi_lut_sequences():
    """mlut_18 (Modality LUT) and vlut_04 (VOI LUT) are the same SMPTE pattern."""
    for name in ("mlut_18.dcm", "vlut_04.dcm"):
        image = _shown(name)[0]
        assert image.min() == 0 and image.max() == 255
    assert np.abs(_shown("mlut_18.dcm")[0].astype(int) - _shown("vlut_04.dcm")[0].astype(int)).max() <= 1


def test_display_does_not_change_the_data_set():
    for path in (_find("MR-SIEMENS-DICOM-WithOverlays.dcm"), SAMPLES / "0_ORIGINAL_compressed.dcm",
                 _find("OBXXXX1A_expb.dcm"), _find("eCT_Supplemental.dcm"), _find("mlut_18.dcm"),
                 _find("vlut_04.dcm"), _find("gdcm-US-ALOKA-16_big.dcm")):
        ds = read_dicom(path, headers_only=False)
        before = copy.deepcopy(ds)
        list(display_frames(ds))
        assert ds == before
        assert ds.file_meta == before.file_meta


ENCODINGS = ["native", "rle", "j2k"] + (["jls"] if get_encoder(JPEGLSLossless).is_available else [])


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("transform", ["none", "rescale", "window", "rescale+window", "voilut"])
@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize("bits", [8, 12, 16])
@pytest.mark.parametrize("mono1", [False, True], ids=["MONOCHROME2", "MONOCHROME1"])
def test_greyscale_text_is_brightest(tmp_path, mono1, bits, signed, transform, encoding):
    ds = grey_dataset(text_image(bits, signed, mono1), bits, signed, mono1)
    add_transform(ds, transform, bits, signed)
    ds = round_trip(encode(ds, encoding), tmp_path)
    [frame] = list(display_frames(ds))
    assert (frame.frame, frame.plane, frame.image.dtype, frame.image.shape) == (0, Plane.IMAGE, np.uint8, (ROWS, COLUMNS))
    assert_text_is_brightest(frame.image)


def test_jpeg_ls_encoder_present():
    """JPEG-LS joins the greyscale matrix above only where an encoder (pyjpegls) is installed."""
    if not get_encoder(JPEGLSLossless).is_available:
        pytest.skip("no JPEG-LS encoder installed (pyjpegls): JPEG-LS decoding is covered by the real files")


@pytest.mark.parametrize("mono1", [False, True], ids=["MONOCHROME2", "MONOCHROME1"])
def test_big_endian_and_sigmoid_window(tmp_path, mono1):
    ds = grey_dataset(text_image(12, True, mono1), 12, True, mono1, transfer_syntax=ExplicitVRBigEndian)
    ds.WindowCenter, ds.WindowWidth, ds.VOILUTFunction = 0, 1024, "SIGMOID"
    assert_text_is_brightest(display_image(round_trip(ds, tmp_path), 0))


def test_untransformed_8_bit_is_shown_as_stored_and_1_bit_as_black_and_white(tmp_path):
    arr = text_image(8, False, False)
    shown = display_image(round_trip(grey_dataset(arr, 8, False, False), tmp_path), 0)
    assert np.array_equal(shown, arr)
    bits = (arr == 255).astype(np.uint8)
    ds = new_dataset(Rows=ROWS, Columns=COLUMNS, SamplesPerPixel=1, PhotometricInterpretation="MONOCHROME2",
                     BitsAllocated=1, BitsStored=1, HighBit=0, PixelRepresentation=0)
    ds.PixelData = np.packbits(bits.ravel(), bitorder="little").tobytes()
    assert np.array_equal(display_image(round_trip(ds, tmp_path), 0), bits * 255)


def test_window_that_blanks_everything_falls_back_to_a_stretch(tmp_path):
    """A window far from the data would show a black frame; the text must still be seen."""
    ds = grey_dataset(text_image(12, False, False), 12, False, False)
    ds.WindowCenter, ds.WindowWidth = 60000, 10
    assert_text_is_brightest(display_image(round_trip(ds, tmp_path), 0))


def test_invalid_window_and_rescale_values_are_ignored(tmp_path):
    ds = grey_dataset(text_image(16, False, False), 16, False, False)
    ds.WindowCenter, ds.WindowWidth, ds.RescaleSlope, ds.RescaleIntercept = 100, 0, 0, 5
    assert_text_is_brightest(display_image(round_trip(ds, tmp_path), 0))


def test_float_pixel_data(tmp_path):
    arr = text_image(16, False, False).astype(np.float32) / 7.0
    ds = new_dataset(Rows=ROWS, Columns=COLUMNS, SamplesPerPixel=1, PhotometricInterpretation="MONOCHROME2",
                     BitsAllocated=32)
    ds.FloatPixelData = arr.tobytes()
    [frame] = list(display_frames(round_trip(ds, tmp_path)))
    assert_text_is_brightest(frame.image)


def _rgb_text_image(text_at: tuple[slice, slice] = TEXT) -> np.ndarray:
    """Coloured, mid-bright background ramps; a white rectangle."""
    y, x = np.mgrid[0:ROWS, 0:COLUMNS]
    rgb = np.stack([40 + 3 * x, 30 + 2 * y, 180 - 2 * x], axis=-1).clip(0, 230).astype(np.uint8)
    rgb[text_at] = 255
    return rgb


def _rgb_dataset(arr: np.ndarray, photometric: str = "RGB", frames: int = 1) -> Dataset:
    ds = new_dataset(Rows=ROWS, Columns=COLUMNS, SamplesPerPixel=3, PhotometricInterpretation=photometric,
                     PlanarConfiguration=0, BitsAllocated=8, BitsStored=8, HighBit=7, PixelRepresentation=0)
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.PixelData = arr.tobytes()
    return ds


@pytest.mark.parametrize("encoding", ["native", "rle", "j2k"])
def test_rgb_is_shown_as_stored(tmp_path, encoding):
    arr = _rgb_text_image()
    ds = round_trip(encode(_rgb_dataset(arr), encoding), tmp_path)
    image = display_image(ds, 0)
    assert np.array_equal(image, arr)
    assert_text_is_brightest(image)


@pytest.mark.parametrize("encoding", ["native", "rle"])
def test_ybr_full_is_converted_to_rgb(tmp_path, encoding):
    arr = _rgb_text_image()
    ybr = convert_color_space(arr, "RGB", "YBR_FULL")
    ds = round_trip(encode(_rgb_dataset(ybr, "YBR_FULL"), encoding), tmp_path)
    image = display_image(ds, 0)
    assert np.abs(image.astype(np.int16) - arr).max() <= 2
    assert_text_is_brightest(image)


def test_rgb_16_bit_scales_by_bits_stored(tmp_path):
    arr = _rgb_text_image().astype(np.uint16) * 16  # 12 bits stored in 16
    ds = new_dataset(Rows=ROWS, Columns=COLUMNS, SamplesPerPixel=3, PhotometricInterpretation="RGB",
                     PlanarConfiguration=0, BitsAllocated=16, BitsStored=12, HighBit=11, PixelRepresentation=0)
    ds.PixelData = arr.tobytes()
    image = display_image(round_trip(ds, tmp_path), 0)
    assert np.abs(image.astype(np.int16) - _rgb_text_image()).max() <= 1


@pytest.mark.parametrize(("bits", "entries"), [(8, 256), (12, 4096)])
@pytest.mark.parametrize("encoding", ["native", "rle"])
def test_palette_color_text_is_white(tmp_path, bits, entries, encoding):
    """Indices through a palette whose last entry is white and the rest dark colours."""
    index = np.arange(entries)
    red, green, blue = (index * 37) % 20000, (index * 11) % 15000, (index * 5) % 25000
    red[-1] = green[-1] = blue[-1] = 65535
    arr = np.tile(np.linspace(0, entries - 2, COLUMNS).astype(np.int64), (ROWS, 1))
    arr[TEXT] = entries - 1
    arr = arr.astype(np.uint8 if bits == 8 else np.uint16)
    ds = new_dataset(Rows=ROWS, Columns=COLUMNS, SamplesPerPixel=1, PhotometricInterpretation="PALETTE COLOR",
                     BitsAllocated=8 * arr.dtype.itemsize, BitsStored=bits, HighBit=bits - 1, PixelRepresentation=0)
    for colour, values in (("Red", red), ("Green", green), ("Blue", blue)):
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [entries, 0, 16])
        setattr(ds, f"{colour}PaletteColorLookupTableData", values.astype("<u2").tobytes())
    ds.PixelData = arr.tobytes()
    image = display_image(round_trip(encode(ds, encoding), tmp_path), 0)
    assert image.shape == (ROWS, COLUMNS, 3)
    assert_text_is_brightest(image)
    assert np.array_equal(image[0, 0], [0, 0, 0])


def _moving_text(frame: int) -> tuple[slice, slice]:
    return slice(4 + 12 * frame, 10 + 12 * frame), slice(8 + 10 * frame, 30 + 10 * frame)


@pytest.mark.parametrize("encoding", ["native", "rle", "j2k"])
@pytest.mark.parametrize("mono1", [False, True], ids=["MONOCHROME2", "MONOCHROME1"])
def test_multiframe_text_moves_with_its_frame(tmp_path, encoding, mono1):
    arr = np.stack([text_image(12, False, mono1, text_at=_moving_text(i)) for i in range(3)])
    ds = round_trip(encode(grey_dataset(arr, 12, False, mono1, frames=3), encoding), tmp_path)
    assert frame_count(ds) == 3
    frames = list(display_frames(ds))
    assert [(f.frame, f.plane) for f in frames] == [(0, Plane.IMAGE), (1, Plane.IMAGE), (2, Plane.IMAGE)]
    for f in frames:
        assert_text_is_brightest(f.image, _moving_text(f.frame))
        assert np.array_equal(display_image(ds, f.frame), f.image)
    with pytest.raises(IndexError):
        display_image(ds, 3)


@pytest.mark.parametrize("encoding", ["native", "rle"])
def test_multiframe_rgb(tmp_path, encoding):
    arr = np.stack([_rgb_text_image(_moving_text(i)) for i in range(3)])
    ds = round_trip(encode(_rgb_dataset(arr, frames=3), encoding), tmp_path)
    for f in display_frames(ds):
        assert np.array_equal(f.image, arr[f.frame])


def test_per_frame_windows_of_an_enhanced_image(tmp_path):
    """Per-frame Frame VOI LUT items override the shared one, frame by frame."""
    arr = np.stack([text_image(12, False, False)] * 2)
    ds = grey_dataset(arr, 12, False, False, frames=2)
    ds.WindowCenter, ds.WindowWidth = 10, 2  # top level: overridden
    shared = Dataset()
    shared.FrameVOILUTSequence = Sequence([Dataset()])
    shared.FrameVOILUTSequence[0].WindowCenter, shared.FrameVOILUTSequence[0].WindowWidth = 2048, 4096
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    per_frame = [Dataset(), Dataset()]
    per_frame[1].FrameVOILUTSequence = Sequence([Dataset()])
    per_frame[1].FrameVOILUTSequence[0].WindowCenter, per_frame[1].FrameVOILUTSequence[0].WindowWidth = 1024, 2048
    ds.PerFrameFunctionalGroupsSequence = Sequence(per_frame)
    ds = round_trip(ds, tmp_path)
    first, second = (f.image for f in display_frames(ds))
    stored = arr[0].astype(np.float64)
    for image, (center, width) in ((first, (2048, 4096)), (second, (1024, 2048))):
        expected = np.clip(((stored - (center - 0.5)) / (width - 1) + 0.5) * 255, 0, 255)
        assert np.abs(image - expected).max() <= 1.0
    assert not np.array_equal(first, second)
