"""Resource guards (issue 13): pixel declarations checked before decoding, element values
read in part, sequence nesting bounded, long values scanned in windows. Each guard is a
typed problem a scan reports, never a crash and never a silent skip."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from phidetect.dicom.elements import ElementProblem, iter_elements
from phidetect.dicom.pixels import PixelDecodeError, display_frames, display_image
from phidetect.dicom.pixels.decoding import transfer_syntax
from phidetect.dicom.pixels.guards import INCONSISTENT, TOO_LARGE, UNSUPPORTED, PixelLimitError, check_pixel_data
from phidetect.header import analyse_header
from phidetect.limits import TOO_DEEP, TRUNCATED, ResourceLimits
from phidetect.text.merge import merge_spans
from phidetect.text.names import NameRecognizer
from phidetect.text.recognizer import Registry
from phidetect.text.registry import default_registry
from phidetect.text.windows import windows


def _altered(tmp_path: Path, name: str, **values) -> Dataset:
    """A packaged file with some elements changed, written and read back in full."""
    ds = pydicom.dcmread(get_testdata_file(name))
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    path = tmp_path / f"altered_{name}"
    ds.save_as(path)
    return pydicom.dcmread(path)


def _refused(ds: Dataset) -> PixelLimitError:
    with pytest.raises(PixelLimitError) as caught:
        list(display_frames(ds))
    with pytest.raises(PixelDecodeError):  # one frame alone is refused the same way
        display_image(ds, 0)
    assert str(caught.value).startswith("cannot decode")
    return caught.value


# --- pixels ---------------------------------------------------------------------------

def test_normal_files_pass_the_pixel_checks() -> None:
    for name in ("CT_small.dcm", "MR_small_RLE.dcm", "SC_rgb_rle.dcm", "JPEG-lossy.dcm", "SC_rgb_rle_2frame.dcm"):
        ds = pydicom.dcmread(get_testdata_file(name))
        check_pixel_data(ds, transfer_syntax(ds))


def test_huge_declared_dimensions_on_a_small_rle_file(tmp_path: Path) -> None:
    ds = _altered(tmp_path, "MR_small_RLE.dcm", Rows=65535, Columns=65535)
    error = _refused(ds)
    assert error.reason == TOO_LARGE
    assert "65535 x 65535" in str(error) and "8.0 GiB" in str(error) and "budget 2.0 GiB" in str(error)


def test_rle_fragments_too_small_for_the_declared_frame(tmp_path: Path) -> None:
    ds = _altered(tmp_path, "MR_small_RLE.dcm", Rows=8000, Columns=8000)  # 122 MiB from a few KB
    error = _refused(ds)
    assert error.reason == INCONSISTENT and "RLE" in str(error)


def test_frames_inconsistent_with_native_bytes(tmp_path: Path) -> None:
    ds = _altered(tmp_path, "CT_small.dcm", NumberOfFrames=10)
    error = _refused(ds)
    assert error.reason == INCONSISTENT
    assert "declares 327,680 bytes of pixel data" in str(error) and "holds 32,768" in str(error)


def test_more_frames_than_fragments(tmp_path: Path) -> None:
    ds = _altered(tmp_path, "SC_rgb_rle.dcm", NumberOfFrames=1000)
    error = _refused(ds)
    assert error.reason == INCONSISTENT and "1000 frame(s), holds 1 fragment(s)" in str(error)


@pytest.mark.parametrize("bits", [0, 12, 72])
def test_absurd_bits_allocated_native(tmp_path: Path, bits: int) -> None:
    error = _refused(_altered(tmp_path, "CT_small.dcm", BitsAllocated=bits))
    assert error.reason == UNSUPPORTED and f"Bits Allocated {bits}" in str(error)


def test_bits_allocated_64_on_jpeg_never_reaches_a_decoder(tmp_path: Path) -> None:
    error = _refused(_altered(tmp_path, "JPEG-lossy.dcm", BitsAllocated=64))
    assert error.reason == UNSUPPORTED and "at most 16" in str(error)


def test_a_refused_file_is_a_pixel_decode_row(tmp_path: Path) -> None:
    """The reading stage turns the refusal into a ``pixel decode`` problem; no OCR is asked."""
    pytest.importorskip("cv2")
    from phidetect.findings import ErrorKind
    from phidetect.ocr_settings import OcrSettings
    from phidetect.pixel_reading import PixelReading

    class NoEngine:
        name = "none"

        def read(self, image, boxes=None):
            raise AssertionError("a refused file must not reach OCR")

    ds = _altered(tmp_path, "MR_small_RLE.dcm", Rows=65535, Columns=65535)
    reading = PixelReading(ds, NoEngine(), OcrSettings(), "huge.dcm")
    assert list(reading.frames()) == []
    assert [p.kind for p in reading.problems] == [ErrorKind.PIXEL_DECODE]
    assert "8.0 GiB" in reading.problems[0].message


# --- element walk -----------------------------------------------------------------------

def _nested(depth: int) -> Dataset:
    """A data set whose sequence (0040,A730) nests ``depth`` deep; each item names someone."""
    ds = Dataset()
    ds.PatientName = "DOE^JOHN"
    item = ds
    for level in range(depth):
        child = Dataset()
        child.PersonName = f"SMITH^LEVEL{level + 1}"
        item.ContentSequence = Sequence([child])
        item = child
    return ds


def test_deep_nesting_stops_at_the_limit_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "deep.dcm"
    _nested(40).save_as(path, implicit_vr=False, little_endian=True, enforce_file_format=False)
    ds = pydicom.dcmread(path, force=True)
    problems: list[ElementProblem] = []
    texts = {e.text for e in iter_elements(ds, errors=problems)}
    assert "SMITH^LEVEL32" in texts and "SMITH^LEVEL33" not in texts
    assert [p.reason for p in problems] == [TOO_DEEP]
    assert problems[0].tag_path == "(0040,A730)[0]." * 32 + "(0040,A730)"
    assert "nested 33 deep" in problems[0].message and "limit of 32" in problems[0].message


def test_a_lower_depth_limit_is_kept(tmp_path: Path) -> None:
    problems: list[ElementProblem] = []
    texts = {e.text for e in iter_elements(_nested(10), errors=problems, limits=ResourceLimits(max_sequence_depth=4))}
    assert "SMITH^LEVEL4" in texts and "SMITH^LEVEL5" not in texts and problems[0].reason == TOO_DEEP


def _long_text_file(tmp_path: Path, text: str) -> Dataset:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.add_new(0x00204000, "UT", text)  # Image Comments, as UT: an LT value over 64 KB is not writable
    path = tmp_path / "long.dcm"
    ds.save_as(path)
    return pydicom.dcmread(path)


NAME_REGISTRY_LIMITS = ResourceLimits(max_scanned_chars=1 << 20)


def test_a_long_value_is_scanned_in_part_and_reported(tmp_path: Path) -> None:
    """5 MB: the first MiB is scanned (a name at its end and one across a window edge are
    found), the element is reported as truncated, the name after the cut is not claimed."""
    limit = NAME_REGISTRY_LIMITS.max_scanned_chars
    filler = "no acute findings. " * (5_000_000 // 19)
    edge = 7680 - 4  # a core boundary of the windows: "Mr John Smith" straddles it
    text = filler[:edge] + "Mr John Smith " + filler[:limit - edge - 40] + " Dr. Mary Jones " + filler + " Mr Peter Brown"
    ds = _long_text_file(tmp_path, text)
    registry = Registry([NameRecognizer()], limits=NAME_REGISTRY_LIMITS)
    problems: list[ElementProblem] = []
    findings, _ = analyse_header(ds, "long.dcm", registry, problems)
    names = {f.text for f in findings if f.keyword == "ImageComments"}
    assert {"John Smith", "Mary Jones"} <= names and "Peter Brown" not in names
    cut = [p for p in problems if p.reason == TRUNCATED]
    assert len(cut) == 1 and cut[0].tag_path == "(0020,4000)"
    assert f"only its first {limit:,} characters were scanned" in cut[0].message


def test_a_name_at_the_end_of_a_long_value_is_found_within_a_higher_limit(tmp_path: Path) -> None:
    text = "no acute findings. " * (5_000_000 // 19) + " Mr Peter Brown"
    ds = _long_text_file(tmp_path, text)
    registry = Registry([NameRecognizer()], limits=ResourceLimits(max_scanned_chars=8 << 20))
    problems: list[ElementProblem] = []
    findings, _ = analyse_header(ds, "long.dcm", registry, problems)
    assert "Peter Brown" in {f.text for f in findings} and problems == []


def test_long_un_text_is_read_in_part_not_skipped(tmp_path: Path) -> None:
    ds = Dataset()
    ds.add_new(0x00091010, "UN", (b"Patient Jane Roe " + b"x" * 20 + b" ") * 80_000)  # 3 MB of private text
    problems: list[ElementProblem] = []
    elements = list(iter_elements(ds, errors=problems))
    assert len(elements) == 1 and elements[0].text.startswith("Patient Jane Roe")
    assert [p.reason for p in problems] == [TRUNCATED] and "2.9 MiB" in problems[0].message


# --- windows ----------------------------------------------------------------------------

def test_windows_tile_the_value() -> None:
    for length in (1, 8192, 8193, 50_000):
        parts = list(windows(length, 8192, 1024))
        assert parts[0].core_start == 0 and parts[-1].core_end == length == parts[-1].end
        assert all(a.core_end == b.core_start for a, b in zip(parts, parts[1:], strict=False))
        assert all(w.end - w.core_end >= 512 for w in parts[:-1])


def _medium_text() -> str:
    sentences = ["Seen by Dr. John Smith on 03/04/2019 for follow up. ", "MRN 4455667 DOE^JOHN reviewed. ",
                 "Mrs Anna Karlsson of Lakeside Regional Hospital called. ", "No acute findings . . . . ",
                 "Contact: jane.doe@example.org or 617-555-0134. "]
    return "".join(sentences[i % len(sentences)] for i in range(900))


def test_windowed_scanning_finds_what_whole_scanning_finds() -> None:
    text = _medium_text()
    assert len(text) > 30_000
    whole = Registry(list(default_registry()), limits=ResourceLimits(whole_scan_chars=1 << 20))
    windowed = Registry(list(default_registry()), limits=ResourceLimits(whole_scan_chars=8192))
    expected = merge_spans(whole.analyze(text, "free"), text)
    assert expected and merge_spans(windowed.analyze(text, "free"), text) == expected


@pytest.mark.parametrize("shift", range(-12, 3, 3))
def test_a_name_across_a_window_edge_is_found(shift: int) -> None:
    for boundary in (7680, 8192):  # a core boundary and a window's end
        start = boundary + shift
        text = "x. " * (start // 3) + "." * (start % 3) + "Mr John Smith said hello" + " x." * 6000
        registry = Registry([NameRecognizer()], limits=ResourceLimits(whole_scan_chars=8192))
        spans = merge_spans(registry.analyze(text, "free"), text)
        assert "John Smith" in [text[s.start:s.end] for s in spans], (boundary, shift)
