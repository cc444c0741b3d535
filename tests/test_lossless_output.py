"""Lossless output: a compressed input whose pixels are blanked is written back in its
family's lossless syntax (else another installed one, else uncompressed, with a note
saying why); a lossy input is never re-encoded lossily and stays marked lossy; pixels
outside the boxes decode byte for byte as before; untouched pixel data is copied as it
was; the run says how big the copies are. Real compressed files first (pydicom's test
files, pydicom-data, deid-data)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
import pytest
from cli_runs import redact_cli
from conftest import fingerprint
from pydicom.uid import (
    JPEG2000,
    UID,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    RLELossless,
)
from testdata import pydicom_file

from phidetect.commands import redact_command
from phidetect.datasets.packaged import package_folder
from phidetect.dicom.pixels import display_image
from phidetect.redact import recompress, redact, top_rows
from phidetect.redact.sizes import SIZE_COLUMNS
from phidetect.redact.syntax_families import targets, was_lossy

ROWS = 6       # the top rows blanked in every frame
DARK = 3       # displayed grey level (of 255) a blanked pixel may reach




def _folder(tmp_path: Path, *names: str) -> Path:
    source = tmp_path / "in"
    source.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(pydicom_file(name), source / name)
    return source


def _redact(source: Path, out: Path, **options):
    return redact(source, out, ocr=False, secret="k", workers=1, progress=False, margin=0, **options)


def _written(result, name: str):
    row = result.files.set_index("input").loc[name]
    assert row.status == "written", row.error
    return row, pydicom.dcmread(row.output)


def _needs_encoder(syntax: UID) -> None:
    if recompress.encoder_for(syntax) is None:
        pytest.skip(f"no encoder for {syntax.name} installed")


def _assert_blank_and_rest_identical(before: pydicom.Dataset, after: pydicom.Dataset) -> None:
    """The top ROWS display black in every frame; every other stored value is as decoded from the input."""
    frames = int(before.get("NumberOfFrames", 1) or 1)
    old, new = before.pixel_array, after.pixel_array
    if frames == 1:
        old, new = old[np.newaxis], new[np.newaxis]
    assert new.shape == old.shape
    np.testing.assert_array_equal(new[:, ROWS:], old[:, ROWS:])
    for index in range(frames):
        assert display_image(after, index)[:ROWS].max() <= DARK, index


LOSSLESS_CASES = [
    ("MR_small_RLE.dcm", RLELossless),
    ("emri_small_RLE.dcm", RLELossless),               # 10 frames
    ("SC_rgb_rle_2frame.dcm", RLELossless),            # colour, 2 frames
    ("SC_rgb_rle_32bit_2frame.dcm", RLELossless),      # 32 bits: kept although PS3.5 8.2 lists 8 and 16 only
    ("MR_small_jp2klossless.dcm", JPEG2000Lossless),
    ("examples_jpeg2k.dcm", JPEG2000Lossless),         # YBR_RCT colour
    ("MR_small_jpeg_ls_lossless.dcm", JPEGLSLossless),
    ("SC_rgb_jpeg_gdcm.dcm", JPEGLosslessSV1),
    ("JPEG-LL.dcm", JPEGLosslessSV1),                  # pydicom-data
]


@pytest.mark.parametrize(("name", "expected"), LOSSLESS_CASES)
def test_blanked_copy_keeps_its_lossless_family(tmp_path, name, expected):
    _needs_encoder(expected)
    source = _folder(tmp_path, name)
    before = fingerprint(source)
    result = _redact(source, tmp_path / "out", boxes=top_rows(ROWS))
    row, after = _written(result, name)
    assert after.file_meta.TransferSyntaxUID == expected
    assert row.output_syntax == expected and not row.decompressed and row.syntax_note == ""
    _assert_blank_and_rest_identical(pydicom.dcmread(source / name), after)
    assert fingerprint(source) == before


LOSSY_CASES = [
    ("JPEG2000.dcm", JPEG2000Lossless),                    # JPEG 2000 marked lossy, ratio given
    ("JPEGLSNearLossless_16.dcm", JPEGLSLossless),         # no lossy attributes at all
    ("SC_rgb_dcmtk_+eb+cy+np.dcm", JPEG2000Lossless),      # JPEG Baseline YBR_FULL_422 -> RGB -> YBR_RCT
]


@pytest.mark.parametrize(("name", "expected"), LOSSY_CASES)
def test_lossy_input_is_written_lossless_and_stays_marked_lossy(tmp_path, name, expected):
    _needs_encoder(expected)
    source = _folder(tmp_path, name)
    original = pydicom.dcmread(source / name)
    row, after = _written(_redact(source, tmp_path / "out", boxes=top_rows(ROWS)), name)
    assert after.file_meta.TransferSyntaxUID == expected
    assert after.LossyImageCompression == "01"
    assert row.syntax_note.startswith("lossy input")
    if "LossyImageCompressionRatio" in original:   # history kept as it was, nothing invented beside it
        assert after.LossyImageCompressionRatio == original.LossyImageCompressionRatio
        assert after.get("LossyImageCompressionMethod") == original.get("LossyImageCompressionMethod")
    else:                                          # the ratio it had and the method it was, as a pair
        assert float(after.LossyImageCompressionRatio) > 1
        assert after.LossyImageCompressionMethod in ("ISO_14495_1", "ISO_10918_1", "ISO_15444_1")
    _assert_blank_and_rest_identical(original, after)


def test_lossy_deid_ct_is_written_lossless(tmp_path):
    folder = package_folder("deid_data")
    path = folder / "humans" / "ctbrain1.dcm" if folder else None
    if path is None or not path.is_file():
        pytest.skip("deid-data not installed")
    assert pydicom.dcmread(path, stop_before_pixels=True).file_meta.TransferSyntaxUID == JPEGBaseline8Bit
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(path, source / "ct.dcm")
    row, after = _written(_redact(source, tmp_path / "out", boxes=top_rows(ROWS)), "ct.dcm")
    assert UID(row.output_syntax) in (JPEGLosslessSV1, JPEGLSLossless, JPEG2000Lossless, RLELossless)
    assert after.LossyImageCompression == "01"
    _assert_blank_and_rest_identical(pydicom.dcmread(path), after)


@pytest.mark.parametrize("name", ["MR_small_jp2klossless.dcm", "JPEGLSNearLossless_16.dcm", "emri_small_RLE.dcm"])
def test_untouched_compressed_pixels_are_copied_as_they_were(tmp_path, name):
    source = _folder(tmp_path, name)
    row, after = _written(_redact(source, tmp_path / "out"), name)
    before = pydicom.dcmread(source / name)
    assert after.file_meta.TransferSyntaxUID == before.file_meta.TransferSyntaxUID
    assert after.PixelData == before.PixelData   # the encapsulated bytes, fragment for fragment
    assert after.get("LossyImageCompression") == before.get("LossyImageCompression")
    assert row.syntax_note == "" and not row.decompressed


def _without(monkeypatch, *missing: UID) -> None:
    """Simulate encoders that are not installed."""
    real = recompress.encoder_for
    monkeypatch.setattr(recompress, "encoder_for", lambda uid: None if uid in missing else real(uid))


def test_missing_encoder_falls_back_to_another_lossless_syntax_and_says_why(tmp_path, monkeypatch):
    _needs_encoder(JPEG2000Lossless)
    _without(monkeypatch, JPEGLSLossless)
    name = "MR_small_jpeg_ls_lossless.dcm"
    source = _folder(tmp_path, name)
    row, after = _written(_redact(source, tmp_path / "out", boxes=top_rows(ROWS)), name)
    assert after.file_meta.TransferSyntaxUID == JPEG2000Lossless   # next in FALLBACK_ORDER
    assert "JPEG-LS Lossless Image Compression: no encoder installed" in row.syntax_note
    assert "JPEG 2000 Image Compression (Lossless Only)" in row.syntax_note
    _assert_blank_and_rest_identical(pydicom.dcmread(source / name), after)


def test_no_encoder_at_all_writes_uncompressed_and_says_why(tmp_path, monkeypatch):
    _without(monkeypatch, *targets(RLELossless))
    name = "MR_small_RLE.dcm"
    source = _folder(tmp_path, name)
    result = _redact(source, tmp_path / "out", boxes=top_rows(ROWS))
    row, after = _written(result, name)
    assert after.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian and row.decompressed
    assert row.syntax_note.startswith("written as Explicit VR Little Endian (RLE Lossless: no encoder installed")
    _assert_blank_and_rest_identical(pydicom.dcmread(source / name), after)
    assert result.sizes().iloc[0]["noted"] == 1


class _LosingEncoder:
    """A plugin that silently changes a pixel: what the round-trip check is there for."""

    def __init__(self, real) -> None:
        self.real = real

    def iter_encode(self, arr, **options):
        changed = np.array(arr)
        changed.flat[-1] ^= 1
        return self.real.iter_encode(changed, **options)


def test_encoder_that_loses_a_bit_is_never_written(tmp_path, monkeypatch):
    _needs_encoder(JPEG2000Lossless)
    real = recompress.encoder_for
    monkeypatch.setattr(recompress, "encoder_for",
                        lambda uid: _LosingEncoder(real(uid)) if uid == JPEG2000Lossless else real(uid))
    name = "MR_small_jp2klossless.dcm"
    source = _folder(tmp_path, name)
    row, after = _written(_redact(source, tmp_path / "out", boxes=top_rows(ROWS)), name)
    assert after.file_meta.TransferSyntaxUID != JPEG2000Lossless
    assert "does not decode to the pixels encoded" in row.syntax_note
    _assert_blank_and_rest_identical(pydicom.dcmread(source / name), after)


def test_keep_compression_false_writes_uncompressed_and_keeps_lossy_history(tmp_path):
    name = "JPEGLSNearLossless_16.dcm"
    source = _folder(tmp_path, name)
    row, after = _written(_redact(source, tmp_path / "out", boxes=top_rows(ROWS), keep_compression=False), name)
    assert after.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian and row.decompressed
    assert after.LossyImageCompression == "01"
    assert "written uncompressed, as asked" in row.syntax_note


def test_sizes_are_summed_per_transfer_syntax(tmp_path):
    names = ("MR_small_RLE.dcm", "emri_small_RLE.dcm", "MR_small_jp2klossless.dcm", "JPEG2000.dcm")
    source = _folder(tmp_path, *names)
    result = _redact(source, tmp_path / "out", boxes=top_rows(ROWS))
    sizes = result.sizes()
    assert list(sizes.columns) == list(SIZE_COLUMNS)
    assert sizes["files"].sum() == len(names)
    assert sizes["bytes_in"].sum() == sum((source / n).stat().st_size for n in names)
    assert sizes["bytes_out"].sum() == sum(Path(p).stat().st_size for p in result.files["output"])
    rle = sizes.set_index("input_syntax").loc["RLE Lossless"]
    assert rle["files"] == 2 and rle["output_syntax"] == "RLE Lossless" and rle["noted"] == 0
    assert rle["ratio"] == pytest.approx(rle["bytes_out"] / rle["bytes_in"], abs=1e-3)
    # written decompressed, as before, every family's copies are larger
    uncompressed = _redact(source, tmp_path / "plain", boxes=top_rows(ROWS), keep_compression=False).sizes()
    grown = uncompressed.set_index("input_syntax")["bytes_out"] > sizes.set_index("input_syntax")["bytes_out"]
    assert grown.all(), grown



def _cli(capsys, *args) -> tuple[int, str]:
    run = redact_cli(capsys, *args)
    return run[0], run[1]


def test_cli_reports_sizes_and_fallbacks_and_logs_the_syntaxes(tmp_path, capsys, monkeypatch):
    _without(monkeypatch, RLELossless)
    source = _folder(tmp_path, "MR_small_RLE.dcm", "MR_small_jp2klossless.dcm")
    log = tmp_path / "log.csv"
    code, out = _cli(capsys, source, tmp_path / "out", "--no-ocr", "--blank-top-rows", ROWS, "--workers", 1,
                     "--no-progress", "--log", log)
    assert code == 0
    assert re.search(r"^size: [\d.]+ kB in, [\d.]+ kB out \(\d+ %\)$", out, re.MULTILINE), out
    assert "RLE Lossless -> JPEG-LS Lossless Image Compression" in out or "RLE Lossless -> JPEG 2000" in out
    assert "note (1 files): written as" in out and "RLE Lossless: no encoder installed" in out
    table = pd.read_csv(log, keep_default_na=False)
    rle = table.set_index("input").loc["MR_small_RLE.dcm"]
    assert rle["input_syntax"] == RLELossless and rle["output_syntax"] != RLELossless
    assert rle["bytes_in"] == (source / "MR_small_RLE.dcm").stat().st_size


def test_cli_decompress_writes_uncompressed(tmp_path, capsys):
    source = _folder(tmp_path, "MR_small_RLE.dcm")
    code, out = _cli(capsys, source, tmp_path / "out", "--no-ocr", "--blank-top-rows", ROWS, "--workers", 1,
                     "--no-progress", "--decompress")
    assert code == 0 and "decompressed: 1" in out
    assert pydicom.dcmread(tmp_path / "out" / "MR_small_RLE.dcm").file_meta.TransferSyntaxUID == ExplicitVRLittleEndian


def test_truncated_compressed_input_is_an_error_naming_it_and_the_batch_goes_on(tmp_path):
    source = _folder(tmp_path, "MR_small_RLE.dcm")
    data = pydicom_file("MR_small_jp2klossless.dcm").read_bytes()
    (source / "cut.dcm").write_bytes(data[:len(data) - 2000])
    result = _redact(source, tmp_path / "out", boxes=top_rows(ROWS))
    files = result.files.set_index("input")
    assert files.loc["cut.dcm", "status"] == "error" and files.loc["cut.dcm", "output"] == ""
    assert "cut.dcm" in set(result.errors["file"])
    assert not (tmp_path / "out" / "cut.dcm").exists()
    _, after = _written(result, "MR_small_RLE.dcm")
    assert after.file_meta.TransferSyntaxUID == RLELossless


def test_lossy_means_what_the_syntax_and_the_header_say():
    plain = pydicom.Dataset()
    flagged = pydicom.Dataset()
    flagged.LossyImageCompression = "00"
    assert was_lossy(plain, JPEGBaseline8Bit) and was_lossy(flagged, JPEGBaseline8Bit)  # DCT is never lossless
    assert was_lossy(plain, JPEG2000) and not was_lossy(flagged, JPEG2000)
    assert was_lossy(plain, JPEGLSNearLossless) and not was_lossy(plain, JPEGLSLossless)
    assert not was_lossy(plain, RLELossless)
    # a DCT JPEG has no lossless twin: the smallest copy, JPEG-LS for grey and JPEG 2000 for colour
    assert targets(JPEGBaseline8Bit)[0] == JPEGLSLossless and targets(JPEGBaseline8Bit, 3)[0] == JPEG2000Lossless
    assert targets(JPEG2000)[0] == JPEG2000Lossless and targets("1.2.840.10008.1.2.4.57")[0] == JPEGLosslessSV1
    assert targets(RLELossless) == [RLELossless, JPEGLSLossless, JPEG2000Lossless, JPEGLosslessSV1]


def test_no_temporary_file_is_left_beside_the_copies(tmp_path):
    """No temporary file is left beside the copies (writer.write_dataset links a finished file)."""
    source = _folder(tmp_path, "MR_small_RLE.dcm", "MR_small_jp2klossless.dcm")
    _redact(source, tmp_path / "out", boxes=top_rows(ROWS))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["MR_small_RLE.dcm", "MR_small_jp2klossless.dcm"]


def test_summary_text_of_a_run(tmp_path):
    source = _folder(tmp_path, "MR_small_RLE.dcm")
    result = _redact(source, tmp_path / "out", boxes=top_rows(ROWS))
    text = io.StringIO()
    redact_command.print_report(result, 0.5, out=text)
    assert "RLE Lossless -> RLE Lossless: 1 files" in text.getvalue()
