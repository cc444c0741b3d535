"""What a copy destroyed that held no PHI: the other half of judging a de-identification.

Per pair of files: the original's text elements that no PHI item touches, and how many of
them the copy removed or altered (each listed in ``changed``); the share of displayed
pixels outside every PHI box (grown by BOX_MARGIN) that changed by more than
PIXEL_TOLERANCE. Across pairs: whether each original study keeps one StudyInstanceUID of
its own in the copies (a study split or merged breaks every viewer's grouping), and
whether each patient's dates moved by one shift (longitudinal studies stay usable) or
not at all, or inconsistently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from phidetect.copy_audit.pixel_leaks import FrameCache, geometry_problem
from phidetect.dicom.elements import ElementText
from phidetect.measure.pixel_residue import allowed_mask
from phidetect.text.dates import find_dates

#: Pixels this close to a PHI box may change (redaction pads its boxes).
BOX_MARGIN = 6
#: Displayed grey levels (of 255) a pixel may move and still count as unchanged (lossy
#: re-compression).
PIXEL_TOLERANCE = 8

#: Not counted as lost: how the pixels are encoded (a decompressed or colour-converted copy
#: must say so) and the file meta group, which every writer rebuilds.
ENCODING_KEYWORDS = frozenset({"PhotometricInterpretation", "PlanarConfiguration", "TransferSyntaxUID"})

UTILITY_COLUMNS = ["file", "copy", "non_phi_elements", "removed", "altered", "pixels_outside_boxes",
                   "pixels_changed", "study_uid", "date_shift_days"]
CHANGED_COLUMNS = ["file", "copy", "tag_path", "keyword", "change", "before", "after"]


@dataclass
class PairUtility:
    """What one copy kept of its original outside the PHI."""

    row: dict
    changed: list[dict]
    original_study: str
    copy_study: str
    patient: str
    shift: int | None


def element_changes(original: list[ElementText], copy: list[ElementText], phi_paths: set[str],
                    file: str, copy_name: str) -> tuple[int, list[dict]]:
    """(non-PHI text elements of the original, the removed or altered ones)."""
    in_copy = {e.tag_path: e.text for e in copy}
    considered = 0
    changed: list[dict] = []
    for element in original:
        if element.tag_path in phi_paths or element.vr == "UI" or element.keyword in ENCODING_KEYWORDS \
                or element.tag_path.startswith("(0002,"):  # UIDs are replaced by design
            continue
        considered += 1
        after = in_copy.get(element.tag_path)
        if after is None:
            change = "removed"
        elif after.strip() != element.text.strip():
            change = "altered"
        else:
            continue
        changed.append({"file": file, "copy": copy_name, "tag_path": element.tag_path, "keyword": element.keyword,
                        "change": change, "before": element.text[:64], "after": (after or "")[:64]})
    return considered, changed


def pixels_changed_outside(original: FrameCache, copy: FrameCache, boxes: pd.DataFrame) -> tuple[int, int]:
    """(displayed pixels outside every PHI box over all frames, how many of them changed);
    (0, 0) where the frames cannot be compared pixel for pixel (geometry_problem says why)."""
    if original.count == 0 or geometry_problem(original, copy):
        return 0, 0
    outside = ~allowed_mask(boxes.assign(source="pixel", file=""), "", original.shape(), BOX_MARGIN)
    total = changed = 0
    for frame in range(original.count):
        a, b = original.get(frame).astype(np.int16), copy.get(frame).astype(np.int16)
        moved = np.abs(a - b) > PIXEL_TOLERANCE
        if moved.ndim == 3:
            moved = moved.any(axis=2)
        total += int(outside.sum())
        changed += int((moved & outside).sum())
    return total, changed


def study_date(elements: list[ElementText]) -> date | None:
    for element in elements:
        if element.keyword == "StudyDate" and element.depth == 0:
            found = find_dates(element.text)
            return found[0].value if found else None
    return None


def top_value(elements: list[ElementText], keyword: str) -> str:
    return next((e.text.strip() for e in elements if e.keyword == keyword and e.depth == 0), "")


def consistency(pairs: list[PairUtility]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The per-file rows with each study's UID verdict, and the whole set's verdicts."""
    by_study: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    shifts: dict[str, set[int | None]] = defaultdict(set)
    for pair in pairs:
        by_study[pair.original_study].add(pair.copy_study)
        owners[pair.copy_study].add(pair.original_study)
        shifts[pair.patient].add(pair.shift)
    rows = []
    for pair in pairs:
        copies = by_study[pair.original_study]
        if not pair.copy_study:
            verdict = "removed"
        elif len(copies) > 1:
            verdict = "split"
        elif len(owners[pair.copy_study]) > 1:
            verdict = "merged"
        else:
            verdict = "kept" if pair.copy_study == pair.original_study else "consistent"
        rows.append({**pair.row, "study_uid": verdict,
                     "date_shift_days": pd.NA if pair.shift is None else pair.shift})
    known = [s for s in shifts.values() if s != {None}]
    verdicts = {
        "study_uids": "broken" if any(r["study_uid"] in ("split", "merged") for r in rows) else "consistent",
        "dates": ("not compared" if not known else "unchanged" if all(s == {0} for s in known)
                  else "shifted consistently per patient" if all(len(s) == 1 for s in known)
                  else "shifted inconsistently"),
    }
    return pd.DataFrame(rows, columns=UTILITY_COLUMNS), verdicts
