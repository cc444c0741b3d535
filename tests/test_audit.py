"""phidetect.audit: copies judged against their originals. Every leak a copy leaves is
reported, and nothing else is called leaked; pairs are found when copies are renamed and
given new UIDs; decompressed and colour-converted copies are compared by what they show."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
import pytest
from audit_copies import make_copies, original_items
from conftest import fingerprint
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

import phidetect
from phidetect.datasets.synthetic import generate


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("originals")
    generate(str(root), 6, 31)
    return root


@pytest.fixture(scope="module")
def items(originals) -> pd.DataFrame:
    return original_items(originals)


def test_a_perfect_copy_leaks_nothing(originals, items, tmp_path) -> None:
    make_copies(originals, tmp_path, items)
    result = phidetect.audit(originals, tmp_path, findings=items)
    assert len(result) == len(items)
    assert result.leaked(0.0).empty, result.leaked(0.0)[["file", "tag_path", "text", "evidence"]]
    assert set(result["status"]) <= {"removed"}
    assert result.unpaired.empty


def test_every_leak_a_copy_leaves_is_reported_and_nothing_else(originals, items, tmp_path) -> None:
    """Free text naming the patient, a private element and half the files' boxes left."""
    private = items[(items["source"] == "tag") & (items["private_creator"] != "")]
    named = items[(items["source"] == "tag") & (items["phi_type"] == "NAME") & (items["vr"] != "PN")
                  & (items["private_creator"] == "")]
    assert len(private) and len(named)
    keep_tags = {private["tag_path"].iloc[0], named["tag_path"].iloc[0]}
    with_boxes = sorted(set(items.loc[items["source"] == "pixel", "file"]))
    kept_boxes = set(with_boxes[::2])
    make_copies(originals, tmp_path, items, keep_tags=keep_tags, keep_boxes_of=kept_boxes)
    before = fingerprint(originals), fingerprint(tmp_path)
    result = phidetect.audit(originals, tmp_path, findings=items)
    assert (fingerprint(originals), fingerprint(tmp_path)) == before  # nothing written to either side
    leaked = result[result["status"] == "leaked"]
    tag_leaks = leaked[leaked["source"] == "tag"]
    pixel_leaks = leaked[leaked["source"] == "pixel"]
    # every item whose element was kept is reported (the same value kept elsewhere counts too)
    kept = items[(items["source"] == "tag") & items["tag_path"].isin(keep_tags)]
    assert set(zip(kept["file"], kept["tag_path"], kept["start"], strict=True)) <= set(
        zip(tag_leaks["file"], tag_leaks["tag_path"], tag_leaks["start"], strict=True))
    # and any other tag item called leaked is one whose text is still in a kept element
    for row in tag_leaks[~tag_leaks["tag_path"].isin(keep_tags)].itertuples():
        assert any(path in row.evidence for path in keep_tags), row
    assert set(pixel_leaks["file"]) == kept_boxes
    assert (pixel_leaks["evidence"].str.startswith("pixels unchanged")).all()
    boxes = items[items["source"] == "pixel"]
    assert len(pixel_leaks) == int(boxes["file"].isin(kept_boxes).sum())
    assert not result.passes()


def test_a_decompressed_colour_converted_copy_is_compared_by_what_it_shows(originals, items, tmp_path) -> None:
    """Boxes left in a copy that was decompressed (JPEG, RLE) and turned from YBR to RGB are
    still 'pixels unchanged', not 'changed' because the bytes differ."""
    with_boxes = set(items.loc[items["source"] == "pixel", "file"])
    make_copies(originals, tmp_path, items, keep_boxes_of=with_boxes, decompress_kept=True)
    syntaxes = {pydicom.dcmread(tmp_path / f, stop_before_pixels=True).file_meta.TransferSyntaxUID for f in with_boxes}
    assert syntaxes == {ExplicitVRLittleEndian}
    assert any("ybr" in f for f in with_boxes)
    result = phidetect.audit(originals, tmp_path, findings=items)
    pixel = result[result["source"] == "pixel"]
    assert len(pixel) and (pixel["status"] == "leaked").all(), pixel[["file", "evidence"]]
    assert pixel["evidence"].str.startswith("pixels unchanged").all()


def test_renamed_copies_with_new_uids_pair_by_their_pixels(originals, items, tmp_path) -> None:
    make_copies(originals, tmp_path, items, rename=True)
    result = phidetect.audit(originals, tmp_path, findings=items)
    assert set(result.pairs["paired_by"]) == {"pixels"}
    assert len(result.pairs) == len(list(originals.rglob("*.dcm")))
    assert result.unpaired.empty
    assert result.leaked(0.0).empty


def test_a_uid_map_pairs_renamed_copies(originals, items, tmp_path) -> None:
    make_copies(originals, tmp_path, items, rename=True)
    old = {p.relative_to(originals).as_posix(): pydicom.dcmread(p, stop_before_pixels=True).SOPInstanceUID
           for p in originals.rglob("*.dcm")}
    copies = sorted(tmp_path.rglob("*.dcm"))
    new_by_hash = {}
    for name, uid in old.items():
        target = tmp_path / f"renamed_{abs(hash(name)) % 10**8}.dcm"
        new_by_hash[uid] = pydicom.dcmread(target, stop_before_pixels=True).SOPInstanceUID
    assert len(copies) == len(old)
    result = phidetect.audit(originals, tmp_path, findings=items, uid_map=new_by_hash)
    assert set(result.pairs["paired_by"]) == {"uid_map"}


def test_files_without_a_partner_are_listed(originals, items, tmp_path) -> None:
    make_copies(originals, tmp_path, items)
    dropped = sorted(tmp_path.rglob("*.dcm"))[0]
    name = dropped.relative_to(tmp_path).as_posix()
    dropped.unlink()
    stray = tmp_path / "stray.dcm"
    shutil.copy(pydicom.data.get_testdata_file("CT_small.dcm"), stray)
    result = phidetect.audit(originals, tmp_path, findings=items)
    assert {"original": name} == {r.side: r.file for r in result.unpaired.itertuples() if r.side == "original"}
    assert "stray.dcm" in set(result.unpaired.loc[result.unpaired["side"] == "copy", "file"])
    unpaired_rows = result[result["file"] == name]
    assert len(unpaired_rows) and (unpaired_rows["status"] == "unpaired").all()


def test_a_copy_of_another_size_is_reported_unchecked_not_guessed(originals, items, tmp_path) -> None:
    make_copies(originals, tmp_path, items)
    name = sorted(set(items.loc[items["source"] == "pixel", "file"]))[0]
    ds = pydicom.dcmread(tmp_path / name)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    pixels = ds.pixel_array
    cropped = (pixels[:, 8:, :] if frames > 1 else pixels[8:, :]).copy()
    ds.PixelData, ds.Rows = cropped.tobytes(), ds.Rows - 8
    ds.save_as(tmp_path / name, enforce_file_format=True)
    result = phidetect.audit(originals, tmp_path, findings=items)
    rows = result[(result["file"] == name) & (result["source"] == "pixel")]
    assert (rows["status"] == "unchecked").all()
    assert rows["evidence"].str.contains("frame size differs").all()


def test_real_files_copied_unchanged_leak_every_header_item(tmp_path) -> None:
    """pydicom's own CT, copied as it is: each of its PHI items is found again."""
    originals, copies = tmp_path / "in", tmp_path / "out"
    originals.mkdir()
    shutil.copy(pydicom.data.get_testdata_file("CT_small.dcm"), originals / "ct.dcm")
    shutil.copytree(originals, copies)
    result = phidetect.audit(originals, copies)
    assert len(result) > 5
    assert (result["status"] == "leaked").all()
    assert set(result["paired_by"]) == {"path"}


def test_the_command_fails_on_leaks_and_passes_a_perfectmake_copies(originals, items, tmp_path) -> None:
    from phidetect.cli import main

    findings = tmp_path / "findings.parquet"
    items.to_parquet(findings, index=False)
    perfect, leaky = tmp_path / "perfect", tmp_path / "leaky"
    make_copies(originals, perfect, items)
    make_copies(originals, leaky, items, keep_boxes_of=set(items["file"]))
    assert main(["audit", str(originals), str(perfect), "--out", str(tmp_path / "a.csv"),
                 "--findings", str(findings), "--no-progress"]) == 0
    assert main(["audit", str(originals), str(leaky), "--out", str(tmp_path / "b.parquet"),
                 "--findings", str(findings), "--no-progress"]) == 1
    written = pd.read_parquet(tmp_path / "b.parquet")
    assert {"copy", "status", "evidence"} <= set(written.columns) and (written["status"] == "leaked").any()
    assert main(["audit", str(originals), str(leaky), "--out", str(tmp_path / "c.txt")]) == 2
    assert main(["audit", str(originals), str(tmp_path / "absent"), "--out", str(tmp_path / "d.csv")]) == 2


def test_a_perfect_copy_destroys_nothing_that_held_no_phi(originals, items, tmp_path) -> None:
    make_copies(originals, tmp_path, items)
    result = phidetect.audit(originals, tmp_path, findings=items)
    utility = result.utility
    assert len(utility) == len(result.pairs) and (utility["non_phi_elements"] > 0).all()
    assert (utility["removed"] == 0).all() and (utility["altered"] == 0).all(), result.changed
    assert (utility["pixels_changed"] == 0).all() and (utility["pixels_outside_boxes"] > 0).any()
    assert result.changed.empty
    assert result.verdicts["study_uids"] == "consistent"


def test_what_a_copy_destroyed_outside_the_phi_is_measured(originals, items, tmp_path) -> None:
    """A copy that drops one plain attribute, alters another, adds noise to the image and
    gives every file one study UID: each of those is in the utility tables."""
    make_copies(originals, tmp_path, items)
    merged = generate_uid()
    target = None
    for path in sorted(tmp_path.rglob("*.dcm")):
        ds = pydicom.dcmread(path)
        ds.StudyInstanceUID = merged
        if target is None and "Modality" in ds and "Manufacturer" in ds:
            target = path.relative_to(tmp_path).as_posix()
            del ds.Modality
            ds.Manufacturer = "SOMEONE ELSE"
            pixels = ds.pixel_array.copy()
            pixels[...] = pixels.max() - pixels
            ds.PixelData = pixels.tobytes()
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
            if str(ds.PhotometricInterpretation).startswith("YBR"):
                ds.PhotometricInterpretation = "RGB"
        ds.save_as(path, enforce_file_format=True)
    assert target is not None
    result = phidetect.audit(originals, tmp_path, findings=items)
    changed = result.changed[result.changed["file"] == target]
    assert {("Modality", "removed"), ("Manufacturer", "altered")} <= set(zip(changed["keyword"], changed["change"],
                                                                           strict=True))
    row = result.utility[result.utility["file"] == target].iloc[0]
    assert row["pixels_changed"] > 0.5 * row["pixels_outside_boxes"]
    others = result.utility[result.utility["file"] != target]
    assert (others["removed"] == 0).all() and (others["pixels_changed"] == 0).all()
    assert set(result.utility["study_uid"]) == {"merged"}
    assert result.verdicts["study_uids"] == "broken"


def test_phidetect_redact_copies_leak_nothing_and_declared_options_are_kept_not_leaked(originals, items,
                                                                                      tmp_path) -> None:
    """The research policy keeps times of day and declares it (0012,0064): those items are
    'kept', not leaks; everything else of the originals is gone, boxes included."""
    boxes = items[items["source"] == "pixel"]
    phidetect.redact(originals, tmp_path, ocr=False, boxes=boxes, workers=1, progress=False)
    result = phidetect.audit(originals, tmp_path, findings=items)
    assert result.leaked(0.5).empty, result.leaked(0.5)[["file", "keyword", "text", "evidence"]]
    kept = result[result["status"] == "kept"]
    assert len(kept) and set(kept["vr"]) <= {"TM", "SH", "LO", "DS", "CS", "IS", "UI"}
    assert (result.loc[result["source"] == "pixel", "status"] == "removed").all()


def test_a_date_left_unchanged_under_modified_dates_is_still_a_leak(originals, items, tmp_path) -> None:
    phidetect.redact(originals, tmp_path, ocr=False, workers=1, progress=False)
    name = sorted(set(items.loc[items["keyword"] == "StudyDate", "file"]))[0]
    before = pydicom.dcmread(originals / name, stop_before_pixels=True).StudyDate
    ds = pydicom.dcmread(tmp_path / name)
    ds.StudyDate = before  # the shift "forgotten" for this one attribute
    ds.save_as(tmp_path / name)
    result = phidetect.audit(originals, tmp_path, findings=items)
    row = result[(result["file"] == name) & (result["keyword"] == "StudyDate")]
    assert list(row["status"]) == ["leaked"]


class _Frames:
    """A stand-in for FrameCache: frames held in memory."""

    def __init__(self, frames: np.ndarray) -> None:
        self.frames, self.count = frames, len(frames)

    def get(self, frame: int) -> np.ndarray:
        return self.frames[frame]

    def shape(self) -> tuple[int, int]:
        return self.frames.shape[1], self.frames.shape[2]


def test_a_changed_box_is_read_again_and_leaks_only_if_the_text_is_still_there() -> None:
    from phidetect.copy_audit.pixel_leaks import Box, judge_box

    rng = np.random.default_rng(3)
    before = rng.integers(0, 255, size=(1, 64, 128), dtype=np.uint8)
    after = before.copy()
    after[0, 10:30, 20:100] = rng.integers(0, 255, size=(20, 80), dtype=np.uint8)  # changed, not blank
    box = Box(0, 20, 10, 80, 20, "Nakamura Yui")
    original, copy = _Frames(before), _Frames(after)
    assert judge_box(box, original, copy, lambda crop: "NAKAMURA YUI").status == "leaked"
    assert judge_box(box, original, copy, lambda crop: "#%&@").status == "removed"
    assert "OCR off" in judge_box(box, original, copy, None).evidence
    assert judge_box(box, original, original, None).status == "leaked"
    blank = before.copy()
    blank[0, 10:30, 20:100] = 0
    assert judge_box(box, original, _Frames(blank), None).evidence == "blanked"
