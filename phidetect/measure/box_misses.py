"""Why a truth box was not blanked: what redaction filled near it, named for a person.

A miss says where to look: redaction filled nothing there (OCR did not read the text, or
read it without PHI), filled part of it (a box that stops short of the text's ink), or
covered it and the copy still shows something there (a fill that did not hold)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

NO_COPY = "no copy written"
NOTHING_FILLED = "no box filled over it (text not read, or read without PHI)"
COVERED_NOT_BLANK = "covered by filled boxes, yet not blank in the copy"


def _covered_share(row, filled: pd.DataFrame, margin: int) -> float:
    """Share of the truth box's pixels inside the filled boxes of its frame (grown by ``margin``)."""
    width, height = int(row.width), int(row.height)
    if width <= 0 or height <= 0:
        return 0.0
    mask = np.zeros((height, width), dtype=bool)
    for box in filled.itertuples():
        if int(box.frame) not in (-1, int(row.frame)):
            continue
        left = max(0, int(box.x) - margin - int(row.x))
        top = max(0, int(box.y) - margin - int(row.y))
        right = min(width, int(box.x) + int(box.width) + margin - int(row.x))
        bottom = min(height, int(box.y) + int(box.height) + margin - int(row.y))
        if right > left and bottom > top:
            mask[top:bottom, left:right] = True
    return float(mask.mean())


def with_miss_reasons(boxes: pd.DataFrame, filled: pd.DataFrame, outputs: dict[str, Path],
                      margin: int) -> pd.DataFrame:
    """``boxes`` (pixel_residue.boxes_blanked) with a ``why`` column: "" where blanked."""
    reasons = []
    by_file = {file: group for file, group in filled.groupby("file")} if len(filled) else {}
    for row in boxes.itertuples():
        if row.blanked:
            reasons.append("")
        elif str(row.file) not in outputs:
            reasons.append(NO_COPY)
        else:
            share = _covered_share(row, by_file.get(row.file, filled.iloc[0:0]), margin)
            reasons.append(NOTHING_FILLED if share == 0 else COVERED_NOT_BLANK if share >= 1
                           else f"box filled over part of it ({share:.0%} covered)")
    return boxes.assign(why=reasons)


def misses_by_reason(boxes: pd.DataFrame) -> pd.Series:
    """Count of box x frame misses per reason (the partial ones counted together)."""
    missed = boxes.loc[~boxes["blanked"].astype(bool), "why"]
    return missed.str.replace(r" \(\d+% covered\)$", "", regex=True).value_counts()
