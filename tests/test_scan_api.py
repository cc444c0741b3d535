"""The Python API and the findings schema (docs/findings-schema.md)."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pydicom
import pytest
from conftest import SAMPLE_DICOMS, SAMPLES, TESTS, fingerprint, package_root, value_text, write_dicom
from pydicom.datadict import keyword_for_tag

import phidetect

SCHEMA_DOC = TESTS.parent / "docs" / "findings-schema.md"
DTYPES = {"str": "string", "int": "int64", "float": "float64"}
ALLOWED_EXTRAS = {"private_creator", "plane"}
PIXEL_ONLY = ("frame", "x", "y", "width", "height")


def schema_columns() -> list[tuple[str, str]]:
    """(column, type) in the order of the schema document's table."""
    out = []
    for line in SCHEMA_DOC.read_text("utf-8").splitlines():
        match = re.match(r"^\|\s*(`[^|]+`)\s*\|\s*(\w+)\s*\|", line)
        if match:
            out += [(name, match.group(2)) for name in re.findall(r"`(\w+)`", match.group(1))]
    return out


def test_schema_document_parses():
    """Guard for the parser below: the 17 documented columns, in the document's order."""
    names = [name for name, _ in schema_columns()]
    assert names == ["file", "sop_instance_uid", "source", "tag_path", "keyword", "vr", "phi_type", "text",
                     "start", "end", "confidence", "rule", "frame", "x", "y", "width", "height"]


def test_columns_match_schema_order_and_types():
    """phidetect.COLUMNS: the schema's columns first, in order, with their types; then extras."""
    schema = schema_columns()
    columns = list(phidetect.COLUMNS)
    assert columns[:len(schema)] == [name for name, _ in schema]
    assert set(columns[len(schema):]) <= ALLOWED_EXTRAS
    for name, kind in schema:
        assert phidetect.COLUMNS[name] == DTYPES[kind], name
    assert phidetect.COLUMNS["private_creator"] == "string"


@pytest.mark.parametrize("which", ["samples", "empty"])
def test_result_frame_has_schema_dtypes(sample_result, tmp_path, which):
    """The returned DataFrame (also when empty) has exactly those columns and dtypes."""
    result = sample_result if which == "samples" else phidetect.scan(
        write_dicom(tmp_path / "clean.dcm"), progress=False, min_confidence=0.5)
    assert (len(result) > 50) == (which == "samples")
    assert list(result.columns) == list(phidetect.COLUMNS)
    for name, dtype in phidetect.COLUMNS.items():
        if dtype == "string":
            assert isinstance(result[name].dtype, pd.StringDtype), name
        else:
            assert str(result[name].dtype) == dtype, name


def test_rows_sorted_by_file_then_tag_path(sample_result):
    keys = list(zip(sample_result.file, sample_result.tag_path, sample_result.start, strict=True))
    assert keys == sorted(keys)
    assert sample_result.file.nunique() == 4


def test_tag_finding_invariants(sample_result):
    """source tag, pixel columns -1, text == value[start:end], keyword from the dictionary."""
    assert set(sample_result.source) == {"tag"}
    for column in PIXEL_ONLY:
        assert (sample_result[column] == -1).all(), column
    assert set(sample_result.phi_type) <= set(phidetect.PHI_TYPES)
    assert sample_result.confidence.between(0, 1).all() and (sample_result.rule.str.len() > 0).all()
    datasets = {name: pydicom.dcmread(SAMPLES / name, stop_before_pixels=True) for name in SAMPLE_DICOMS}
    for row in sample_result.itertuples():
        ds = datasets[row.file]
        value = value_text(ds, row.tag_path)
        assert 0 <= row.start < row.end <= len(value), row
        assert value[row.start:row.end] == row.text, row
        last = int(row.tag_path[-10:-6] + row.tag_path[-5:-1], 16)
        is_private = (last >> 16) % 2 == 1
        assert row.keyword == ("" if is_private else keyword_for_tag(last)), row.tag_path
        assert (row.private_creator != "") == is_private
        assert row.sop_instance_uid == ds.SOPInstanceUID and row.vr


def test_folder_scan_gives_relative_paths(tmp_path):
    """One folder: paths relative to it (posix); one file: as given."""
    folder = tmp_path / "study"
    write_dicom(folder / "a" / "b" / "x.dcm", PatientName="Roe^Ann")
    shutil.copy(SAMPLES / "2_ORIGINAL.dcm", folder / "a" / "b")
    result = phidetect.scan(folder, workers=1, progress=False)
    assert set(result.file) == {"a/b/x.dcm", "a/b/2_ORIGINAL.dcm"}
    single = phidetect.scan(str(folder / "a" / "b" / "x.dcm"), workers=1, progress=False)
    assert set(single.file) == {str(folder / "a" / "b" / "x.dcm")}
    both = phidetect.scan([folder / "a", SAMPLES / "RGB_ORIGINAL.dcm"], workers=1, progress=False)
    assert {f for f in both.file if f.endswith("x.dcm")} == {f"{(folder / 'a').as_posix()}/b/x.dcm"}


def test_errors_table_and_repr(sample_result):
    """result.errors: a DataFrame (file, kind, error), one row per unreadable file; repr says so."""
    errors = sample_result.errors
    assert isinstance(errors, pd.DataFrame) and list(errors.columns) == ["file", "kind", "error"]
    assert sorted(errors.file) == ["README.md", "ground_truth.json"]
    assert set(errors.kind) == {"not DICOM"}
    footer = repr(sample_result).splitlines()[-1]
    assert "2 files with errors" in footer and ".errors" in footer
    assert f"{len(sample_result)} findings" in footer and "6 scanned" in footer


def test_clean_repr_has_no_error_hint(tmp_path):
    result = phidetect.scan(write_dicom(tmp_path / "c.dcm"), progress=False)
    assert "0 files with errors" in repr(result) and ".errors" not in repr(result)


def test_derived_frames_keep_errors_and_repr(sample_result):
    """Filtering, selecting columns and head() keep .errors, and their repr never raises."""
    for derived in (sample_result.at_least(0.9), sample_result[sample_result.phi_type == "NAME"],
                    sample_result.head(3), sample_result[["tag_path", "text"]]):
        assert len(derived.errors) == 2
        assert isinstance(repr(derived), str)
    assert sample_result.at_least(0.9).files_scanned == 6


def test_min_confidence_filter(sample_result):
    """min_confidence keeps exactly the rows at or above it, nothing else changes."""
    strong = phidetect.scan(SAMPLES, workers=1, progress=False, min_confidence=0.9)
    assert len(strong) < len(sample_result) and (strong.confidence >= 0.9).all()
    expected = sample_result[sample_result.confidence >= 0.9].reset_index(drop=True)
    pd.testing.assert_frame_equal(pd.DataFrame(strong), pd.DataFrame(expected))
    pd.testing.assert_frame_equal(strong.errors, sample_result.errors)


def test_summary_counts(sample_result):
    summary = sample_result.summary()
    assert summary.loc["NAME", "files"] == 4
    assert summary["findings"].sum() == len(sample_result)
    assert summary.loc["PHONE", "findings"] == 2


def test_one_and_two_workers_same_table():
    """A process pool gives the same findings and errors as the in-process scan."""
    root = package_root("deid_data")
    one = phidetect.scan(root, workers=1, progress=False)
    two = phidetect.scan(root, workers=2, progress=False)
    assert len(one) > 100 and one.files_scanned == two.files_scanned >= 16
    pd.testing.assert_frame_equal(pd.DataFrame(one), pd.DataFrame(two))
    pd.testing.assert_frame_equal(one.errors, two.errors)


def test_scan_leaves_inputs_untouched(tmp_path):
    """sha256 and mtime of every input are the same after a scan (pool included)."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    for index in range(16):  # enough files for two workers
        write_dicom(folder / "more" / f"{index}.dcm", PatientName=f"Roe^Ann{index}")
    before, before_samples = fingerprint(folder), fingerprint(SAMPLES)
    assert len(phidetect.scan(folder, workers=2, progress=False)) > 100
    assert len(phidetect.scan(SAMPLES, workers=1, progress=False)) > 100
    assert fingerprint(folder) == before
    assert fingerprint(SAMPLES) == before_samples


def test_custom_registry_travels_to_worker_processes(tmp_path) -> None:
    """A user's rule works with workers > 1: the registry is pickled into each process."""
    import pydicom

    from phidetect import PatternRecognizer, default_registry

    source = SAMPLES / "2_ORIGINAL.dcm"
    for index in range(20):
        ds = pydicom.dcmread(source, stop_before_pixels=True)
        ds.ImageComments = f"OHIP 1234-567-89{index % 10}-AB"
        ds.save_as(tmp_path / f"f{index}.dcm")
    registry = default_registry().add(PatternRecognizer(
        rule="pattern.ohip", phi_type="ID", base_score=0.8, patterns=(r"\b\d{4}-\d{3}-\d{3}-[A-Z]{2}\b",)))
    result = phidetect.scan(tmp_path, workers=2, progress=False, registry=registry)
    ohip = result[result["rule"].str.contains("pattern.ohip")]
    assert len(ohip) == 20 and set(ohip["keyword"]) == {"ImageComments"}
