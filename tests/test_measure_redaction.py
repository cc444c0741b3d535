"""phidetect.measure: the redaction measurement behind the README's figures.

A small synthetic set (19 consecutive files hold every kind) measured with the truth's
boxes and OCR off; then copies spoiled on purpose (a name put back, text put back into a
box, anatomy and a kept element changed, a copy cut short, an input touched) must be counted as
failures, so a measurement that passes says something.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
import pytest
from pydicom.dataset import Dataset

from phidetect.cli import main
from phidetect.measure import FAIL_ON, RedactionMeasurement, measure_copies, measure_redaction
from phidetect.measure.copies import tree_hashes, validity
from phidetect.measure.header_residue import copy_text, still_there
from phidetect.measure.pixel_residue import DARK_LEVEL, UNIFORM_SPREAD, allowed_mask, blanked
from phidetect.redact import DEFAULT_MARGIN, Policy
from phidetect.scan import scan

N, SEED = 19, 7
#: The OCR run on 4 files of seed 7 blanked 100 % of the 16 boxes (box x frame), 80.9 % of other
#: pixels unchanged (easyocr, CPU); asserted with margin.
OCR_BOXES_BLANKED = 90.0


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> RedactionMeasurement:
    return measure_redaction(N, SEED, ocr=False, workers=1, out=tmp_path_factory.mktemp("measure") / "run")


def test_truth_box_run_leaves_no_phi_and_changes_nothing_else(measured):
    metrics = measured.truth_boxes.metrics
    assert (metrics.files, metrics.files_written, metrics.outputs_valid) == (N, N, N)
    assert metrics.header_spans > 300 and metrics.residual_spans == 0 and metrics.rescan_residual == 0
    assert metrics.kept_by_policy > 0  # research keeps station names and serial numbers (Retain Device Identity)
    assert metrics.boxes >= 40
    assert metrics.boxes_blanked == metrics.boxes_blanked_all_frames == 100.0
    assert metrics.pixels_outside_unchanged == 100.0
    assert metrics.elements_compared >= 200 and metrics.elements_unchanged == 100.0
    assert metrics.inputs_unchanged


def test_table_has_one_column_per_run_and_the_scripts_rows(measured):
    table = measured.table()
    assert list(table.columns) == ["truth boxes"]
    assert table.loc["files redacted (written / inputs)", "truth boxes"] == f"{N} / {N}"
    assert table.loc[f"(a) rescan residual findings >= {FAIL_ON}", "truth boxes"] == 0
    assert table.loc["(d) outputs valid (read, same shape)", "truth boxes"] == f"{N} / {N}"
    assert len(table) == 15
    with pytest.raises(KeyError):
        measured.run("ocr (easyocr)")


def test_out_keeps_the_data_and_what_was_missed(measured):
    out = measured.out
    assert (out / "input" / "truth.csv").is_file() and len(list((out / "truth-boxes").rglob("*.dcm"))) == N
    summary = pd.read_csv(out / "summary.csv", index_col=0)
    assert list(summary.columns) == ["truth boxes"]
    for suffix in ("residual-spans", "boxes-not-blanked", "changed-elements", "rescan-residual", "boxes-filled"):
        assert (out / f"truth-boxes.{suffix}.csv").is_file(), suffix
    with pytest.raises(ValueError, match="not an empty folder"):
        measure_redaction(1, SEED, ocr=False, out=out)


def _spoiled_copies(measured: RedactionMeasurement, root: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """The truth-box copies, copied into ``root`` and spoiled in three files; returns the
    files table of the new copies and which input name got which damage."""
    run = measured.truth_boxes
    shutil.copytree(measured.out / "truth-boxes", root)
    copies = run.copies.copy()
    written = copies["status"] == "written"
    copies.loc[written, "output"] = [str(root / Path(p).relative_to(measured.out / "truth-boxes"))
                                     for p in copies.loc[written, "output"]]
    by_input = dict(zip(copies.loc[written, "input"], copies.loc[written, "output"], strict=True))
    truth = pd.read_csv(measured.out / "input" / "truth.csv", keep_default_na=False)
    done: dict[str, str] = {}

    names = truth[(truth["source"] == "tag") & (truth["keyword"] == "PatientName") & truth["required"]]
    name = names.iloc[0]
    ds = pydicom.dcmread(by_input[name.file])
    ds.PatientName = name.text  # the name is back
    ds.save_as(by_input[name.file])
    done["name"] = name.file

    def plain(file: str) -> bool:
        ds = pydicom.dcmread(by_input[file], stop_before_pixels=True)
        return (not ds.file_meta.TransferSyntaxUID.is_compressed and int(ds.get("NumberOfFrames", 1) or 1) == 1
                and ds.SamplesPerPixel == 1 and file != done["name"])

    boxes = truth[(truth["source"] == "pixel") & truth["required"]]
    box = boxes[boxes["file"] == next(f for f in sorted(set(boxes["file"])) if plain(f))].iloc[0]
    original = pydicom.dcmread(measured.out / "input" / box.file).pixel_array
    ds = pydicom.dcmread(by_input[box.file])
    pixels = ds.pixel_array.copy()
    rows, columns = slice(box.y, box.y + box.height), slice(box.x, box.x + box.width)
    pixels[rows, columns] = original[rows, columns]  # the burned-in text is back
    outside = ~allowed_mask(truth, box.file, pixels.shape, DEFAULT_MARGIN)
    pixels[outside] = pixels[outside] + 1  # and anatomy changed where no PHI was
    ds.PixelData = pixels.tobytes()
    ds.save_as(by_input[box.file])
    done["box"] = box.file

    element = run.elements[(run.elements["excluded"] == "") & (run.elements["keyword"] == "Manufacturer")
                           & ~run.elements["file"].isin(list(done.values()))].iloc[0]
    ds = pydicom.dcmread(by_input[element.file])
    ds.Manufacturer = "CHANGED BY THE TEST"  # an element without PHI, changed
    ds.save_as(by_input[element.file])
    done["element"] = element.file
    return copies, done


def test_spoiled_copies_are_counted_as_failures(measured, tmp_path):
    """The measurement can fail: each spoiled copy shows in its own number."""
    copies, done = _spoiled_copies(measured, tmp_path / "spoiled")
    source = measured.out / "input"
    truth = pd.read_csv(source / "truth.csv", keep_default_na=False)
    findings = pd.DataFrame(scan(source, ocr=False, workers=1, progress=False))
    run = measure_copies("spoiled", source, tmp_path / "spoiled", copies, truth, findings,
                         Policy.preset("research"), inputs_before=tree_hashes(source), workers=1)
    metrics = run.metrics
    leaks = run.leaks()
    assert metrics.residual_spans >= 1 and set(leaks["file"]) == {done["name"]}
    assert set(leaks["keyword"]) == {"PatientName"}
    assert metrics.rescan_residual >= 1 and done["name"] in set(run.residual["file"])
    missed = run.boxes[~run.boxes["blanked"]]
    assert metrics.boxes_blanked < 100.0 and set(missed["file"]) == {done["box"]}
    assert metrics.boxes_blanked_all_frames < 100.0
    assert metrics.pixels_outside_unchanged < 100.0
    changed = run.elements[(run.elements["excluded"] == "") & ~run.elements["unchanged"].astype(bool)]
    assert metrics.elements_unchanged < 100.0
    assert set(zip(changed["file"], changed["keyword"], strict=True)) == {(done["element"], "Manufacturer")}
    assert metrics.outputs_valid == N and metrics.inputs_unchanged


def test_a_copy_that_does_not_read_is_not_valid(measured, tmp_path):
    run = measured.truth_boxes
    written = run.copies[run.copies["status"] == "written"]
    first = written.iloc[0]
    cut = tmp_path / "cut.dcm"
    cut.write_bytes(Path(first.output).read_bytes()[:1000])
    table = validity(measured.out / "input", {str(first.input): cut, str(written.iloc[1].input): Path(
        written.iloc[1].output)}, [str(first.input), str(written.iloc[1].input), "never written.dcm"])
    assert list(table["readable"] & table["same_shape"]) == [False, True, False]
    assert list(table["written"]) == [True, True, False] and table["error"].iloc[0]


def test_a_changed_input_is_reported(measured, tmp_path):
    source = tmp_path / "input"
    shutil.copytree(measured.out / "input", source)
    hashes = tree_hashes(source)
    first = sorted(source.rglob("*.dcm"))[0]
    first.write_bytes(first.read_bytes() + b"\0\0")
    run = measured.truth_boxes
    truth = pd.read_csv(source / "truth.csv", keep_default_na=False)
    again = measure_copies("inputs", source, measured.out / "truth-boxes", run.copies, truth,
                           pd.DataFrame({"file": [], "source": [], "tag_path": []}), Policy.preset("research"),
                           inputs_before=hashes, workers=1)
    assert not again.metrics.inputs_unchanged


def test_name_parts_count_as_residual_only_as_whole_words():
    assert still_there("Doe^John", "seen by JOHN", "NAME")
    assert not still_there("Doe^John", "Johnson", "NAME")
    assert not still_there("Doe^John", "seen by JOHN", "OTHER")   # parts count for names only
    assert still_there("555-0142", "call 555-0142", "PHONE")
    assert not still_there("Doe^John", "", "NAME")


@pytest.mark.parametrize(("dark_share", "expected"), [(0.95, True), (0.94, False)])
def test_a_box_is_blanked_when_95_percent_displays_at_grey_16(dark_share, expected):
    image = np.full((10, 10), 255, dtype=np.uint8)
    image.flat[: int(round(dark_share * 100))] = DARK_LEVEL
    assert blanked(image, 0, 0, 10, 10) is expected


@pytest.mark.parametrize(("spread", "expected"), [(UNIFORM_SPREAD, True), (UNIFORM_SPREAD + 1, False)])
def test_a_uniform_fill_of_any_grey_is_blanked(spread, expected):
    image = np.full((10, 10, 3), 128, dtype=np.uint8)
    image[:5] = 128 + int(spread)
    assert blanked(image, 0, 0, 10, 10) is expected


def test_header_residue_reads_private_bytes_in_the_files_character_set():
    """A private element of an implicit-VR file arrives as UN bytes: read as the scan reads it."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.add_new(0x00091001, "UN", "Müller^Jürgen".encode())
    assert copy_text(ds, "(0009,1001)") == "Müller^Jürgen"
    assert still_there("Müller^Jürgen", copy_text(ds, "(0009,1001)"), "NAME")
    assert copy_text(ds, "(0010,0010)") == ""  # removed


def test_cli_prints_the_table(tmp_path, capsys):
    out = tmp_path / "cli"
    code = main(["measure-redaction", "--n", "3", "--seed", "2", "--no-ocr", "--workers", "1", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert printed.startswith("n=3 seed=2 policy=research\n")
    assert "truth boxes" in printed and "(b) boxes blanked % (box x frame)" in printed
    assert f"tables in {out}" in printed and (out / "summary.csv").is_file()
    assert main(["measure-redaction", "--n", "3", "--no-ocr", "--out", str(out)]) == 2  # not empty
    assert "not an empty folder" in capsys.readouterr().err


@pytest.mark.ocr
@pytest.mark.slow
def test_ocr_run_is_measured_beside_the_truth_boxes():
    """The OCR column, on a few files: OCR touches pixels only, so headers are as clean as
    with the truth boxes; most boxes are found and blanked; copies valid, inputs unchanged."""
    pytest.importorskip("easyocr")
    measurement = measure_redaction(4, SEED, ocr=True, workers=1)
    assert [run.name for run in measurement.runs] == ["truth boxes", "ocr (easyocr)"]
    assert list(measurement.table().columns) == ["truth boxes", "ocr (easyocr)"] and measurement.out is None
    metrics = measurement.run("ocr (easyocr)").metrics
    assert metrics.residual_spans == 0 and metrics.outputs_valid == 4 and metrics.inputs_unchanged
    assert metrics.boxes_blanked >= OCR_BOXES_BLANKED
    assert metrics.pixels_outside_unchanged < 100.0  # whole lines and unsure text go too (docs/redaction.md)
