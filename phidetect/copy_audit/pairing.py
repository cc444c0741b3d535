"""Which copy was made from which original.

A de-identifier may keep the folder layout (deid, phidetect redact), rename the files
(dicognito writes new names), give every instance a new SOPInstanceUID, or do all three.
Pairs are found in that order of certainty: the same relative path; the same
SOPInstanceUID; the UID map a tool wrote (original -> new SOPInstanceUID); and last, the
look of the first frame (a thumbnail of cell means, compared by the median of the cells'
differences), which survives renaming, new UIDs, re-compression and blanked text: boxes
change a minority of cells, and the median does not see them. Whatever is left over is listed, never guessed at.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset

from phidetect.dicom.pixels import display_image
from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.scan import quiet_pydicom

#: Side of the thumbnail (THUMB_SIDE x THUMB_SIDE cell means of the displayed first frame).
THUMB_SIDE = 32
#: Pixel-content pairs: the median cell of the two thumbnails differs by at most this many
#: grey levels of 255 (the same image, boxes blanked or re-compressed: under 1; two frames
#: of one series or two patients' scans: tens).
MAX_CELL_DIFFERENCE = 2.0


class PairedBy(str, Enum):
    """How a copy was matched to its original (strongest first)."""

    PATH = "path"
    SOP_INSTANCE_UID = "sop_instance_uid"
    UID_MAP = "uid_map"
    PIXELS = "pixels"


@dataclass(frozen=True)
class Pair:
    """One original (relative to the originals' root) and the copy made from it."""

    original: str
    copy: str
    paired_by: PairedBy


@dataclass(frozen=True)
class Pairing:
    """Pairs, and the files on either side that found no partner."""

    pairs: tuple[Pair, ...]
    unpaired_originals: tuple[str, ...]
    unpaired_copies: tuple[str, ...]


def read_uid_map(path: str | os.PathLike) -> dict[str, str]:
    """original SOPInstanceUID -> new one, from a CSV with two columns (a header row, as CTP's
    and dicognito's exports have, is recognised by its not being UIDs)."""
    mapping: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) < 2:
                continue
            old, new = row[0].strip(), row[1].strip()
            if old and new and old[0].isdigit() and new[0].isdigit():
                mapping[old] = new
    return mapping


def thumbnail(dataset: Dataset) -> np.ndarray | None:
    """The displayed first frame as THUMB_SIDE x THUMB_SIDE cell means (grey), with its frame
    count and size in front so that only like files are compared; None for a file without
    pixels or whose pixels cannot be decoded."""
    if "PixelData" not in dataset:
        return None
    try:
        image = display_image(dataset, 0)
    except Exception:  # an undecodable copy is reported by the pixel check, not here
        return None
    grey = image.astype(np.float32).mean(axis=2) if image.ndim == 3 else image.astype(np.float32)
    if min(grey.shape) < THUMB_SIDE:
        return None
    rows = np.array_split(grey, THUMB_SIDE, axis=0)
    cells = np.array([[c.mean() for c in np.array_split(r, THUMB_SIDE, axis=1)] for r in rows])
    frames = int(dataset.get("NumberOfFrames", 1) or 1)
    return np.concatenate([[frames, *grey.shape], cells.ravel()])


def thumbnail_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Median difference of the cells; infinite for files of other geometry."""
    if a.shape != b.shape or not np.array_equal(a[:3], b[:3]):
        return float("inf")
    return float(np.median(np.abs(a[3:] - b[3:])))


def pair_files(originals: dict[str, Path], copies: dict[str, Path], original_uids: dict[str, str],
               copy_uids: dict[str, str], uid_map: dict[str, str] | None = None) -> Pairing:
    """Pair every original with its copy. Both sides: relative name -> path, and relative
    name -> SOPInstanceUID as read ("" where it has none); thumbnails are read only for
    the files the other ways left over."""
    pairs = [Pair(name, name, PairedBy.PATH) for name in originals if name in copies]
    taken_left = {p.original for p in pairs}
    taken_right = {p.copy for p in pairs}
    copy_by_uid = {copy_uids.get(n, ""): n for n in copies if n not in taken_right}
    copy_by_uid.pop("", None)
    for how, translate in ((PairedBy.SOP_INSTANCE_UID, lambda u: u), (PairedBy.UID_MAP, (uid_map or {}).get)):
        for name in originals:
            if name in taken_left:
                continue
            target = translate(original_uids.get(name, ""))
            match = copy_by_uid.get(target) if target else None
            if match is not None and match not in taken_right:
                pairs.append(Pair(name, match, how))
                taken_left.add(name)
                taken_right.add(match)
    pairs += _pairs_by_pixels({n: p for n, p in originals.items() if n not in taken_left},
                              {n: p for n, p in copies.items() if n not in taken_right})
    taken_left |= {p.original for p in pairs}
    taken_right |= {p.copy for p in pairs}
    return Pairing(tuple(sorted(pairs, key=lambda p: p.original)),
                   tuple(n for n in originals if n not in taken_left), tuple(n for n in copies if n not in taken_right))


def _thumbnails(files: dict[str, Path]) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    for name, path in files.items():
        try:
            with quiet_pydicom():
                digest = thumbnail(read_dicom(path, headers_only=False))
        except DicomReadError:
            continue
        if digest is not None:
            found[name] = digest
    return found


def _pairs_by_pixels(left: dict[str, Path], right: dict[str, Path]) -> list[Pair]:
    """Closest thumbnails first, each file in one pair at most, only within MAX_CELL_DIFFERENCE."""
    if not left or not right:
        return []
    a, b = _thumbnails(left), _thumbnails(right)
    by_geometry: dict[tuple, list[tuple[str, np.ndarray]]] = {}
    for name, thumb in b.items():  # only files of one frame count and size are ever compared
        by_geometry.setdefault(tuple(thumb[:3]), []).append((name, thumb))
    candidates = sorted((thumbnail_distance(ta, tb), ln, rn) for ln, ta in a.items()
                        for rn, tb in by_geometry.get(tuple(ta[:3]), ()))
    pairs: list[Pair] = []
    used_left: set[str] = set()
    used_right: set[str] = set()
    for distance, ln, rn in candidates:
        if distance > MAX_CELL_DIFFERENCE:
            break
        if ln in used_left or rn in used_right:
            continue
        pairs.append(Pair(ln, rn, PairedBy.PIXELS))
        used_left.add(ln)
        used_right.add(rn)
    return pairs
