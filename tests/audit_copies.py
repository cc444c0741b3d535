"""Copies made by hand for the audit tests: every PHI item of each original removed (UIDs
replaced) and its boxes blanked, except what a test asks to leave."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

import phidetect
from phidetect.findings import COLUMNS
from phidetect.redact.resolve import element, remove

#: One new UID per original UID, as a de-identifier keeps a study consistent.
_NEW_UIDS: dict[str, str] = {}


def original_items(originals: Path) -> pd.DataFrame:
    """The originals' PHI items: their header findings, and the truth's burned-in boxes (so
    that the pixel check is tested apart from how well OCR reads)."""
    found = pd.DataFrame(phidetect.scan(originals, workers=1, progress=False))
    truth = pd.read_csv(originals / "truth.csv", keep_default_na=False)
    boxes = truth[truth["source"] == "pixel"].copy()
    boxes["confidence"] = 0.9
    boxes["rule"] = "truth"
    for column in COLUMNS:
        if column not in boxes:
            boxes[column] = ""
    return pd.concat([found, boxes[list(COLUMNS)]], ignore_index=True).astype(COLUMNS)


def blank_boxes(ds: pydicom.Dataset, boxes: pd.DataFrame) -> None:
    """The boxes filled with the frame's lowest value in every frame, written uncompressed
    (YBR colour written as RGB, as decompressing tools do)."""
    pixels = ds.pixel_array.copy()
    frames = pixels if int(ds.get("NumberOfFrames", 1) or 1) > 1 else pixels[np.newaxis]
    for box in boxes.itertuples():
        frames[:, box.y:box.y + box.height, box.x:box.x + box.width] = frames.min()
    ds.PixelData = frames.tobytes()
    if str(ds.PhotometricInterpretation).startswith("YBR"):
        ds.PhotometricInterpretation = "RGB"
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian


def make_copies(originals: Path, copies: Path, items: pd.DataFrame, *, keep_tags: set[str] = frozenset(),
          keep_boxes_of: set[str] = frozenset(), rename: bool = False, decompress_kept: bool = False) -> None:
    """A copy of every original with each header item's element removed and each box blanked,
    except the elements in ``keep_tags`` and the boxes of the files in ``keep_boxes_of``."""
    for original in sorted(originals.rglob("*.dcm")):
        name = original.relative_to(originals).as_posix()
        ds = pydicom.dcmread(original)
        mine = items[items["file"] == name]
        tags = mine[mine["source"] == "tag"]
        for path in sorted(set(tags["tag_path"]) - set(keep_tags), reverse=True):
            held = element(ds, path)
            if held is not None and held.VR == "UI":  # UIDs are replaced, as de-identifiers do
                held.value = _NEW_UIDS.setdefault(str(held.value), generate_uid())
            else:
                remove(ds, path)
        boxes = mine[mine["source"] == "pixel"]
        if len(boxes) and name not in keep_boxes_of:
            blank_boxes(ds, boxes)
        elif len(boxes) and decompress_kept:
            blank_boxes(ds, boxes.iloc[:0])  # decompressed (and YBR made RGB), nothing blanked
        target = copies / (f"renamed_{abs(hash(name)) % 10**8}.dcm" if rename else name)
        if rename:  # a new UID of its own, not the one a path-keeping copy was given
            ds.SOPInstanceUID = generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        target.parent.mkdir(parents=True, exist_ok=True)
        ds.save_as(target, enforce_file_format=True)
