"""(b) Burned-in PHI left in the copies, and image taken away that was no PHI.

Each required pixel truth row (one per box and frame) is looked at in the copy's display
image of that frame (what a viewer shows, phidetect.dicom.pixels.display_image): the tight
box is *blanked* when at least DARK_SHARE of its pixels display at or below DARK_LEVEL of
255 (every channel), or its values spread over at most UNIFORM_SPREAD grey levels (1st to
99th percentile: a uniform fill, whatever its grey). Text left in the box fails both. The
other number: the share of pixels *outside* all of a file's truth boxes (grown by the
redaction margin, in every frame, since boxes are filled in every frame) whose stored
values are unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from phidetect.dicom.pixels import display_image
from phidetect.measure.copies import frames_of, read

#: A box is blanked when this share of its pixels displays at or below DARK_LEVEL...
DARK_SHARE = 0.95
DARK_LEVEL = 16
#: ... or when its values spread over at most this many grey levels (1st-99th percentile).
UNIFORM_SPREAD = 8.0
BOX_COLUMNS = ["file", "frame", "text", "x", "y", "width", "height", "blanked"]


def blanked(image: np.ndarray, x: int, y: int, width: int, height: int) -> bool:
    """The criterion of the module docstring: the box is dark, or uniform."""
    crop = image[max(y, 0):max(y + height, 0), max(x, 0):max(x + width, 0)]
    if crop.size == 0:
        return False
    values = crop.reshape(crop.shape[0] * crop.shape[1], -1).astype(float)
    dark = float(np.mean(np.all(values <= DARK_LEVEL, axis=1)))
    spread = float(np.max(np.percentile(values, 99, axis=0) - np.percentile(values, 1, axis=0)))
    return dark >= DARK_SHARE or spread <= UNIFORM_SPREAD


def boxes_blanked(truth: pd.DataFrame, outputs: dict[str, Path]) -> pd.DataFrame:
    """One row per required pixel truth row (a box in one frame): blanked in the copy?"""
    rows = []
    pixel = truth[(truth["source"] == "pixel") & truth["required"].astype(bool)]
    for file, group in pixel.groupby("file", sort=True):
        out = outputs.get(str(file))
        ds = read(out) if out is not None else None
        images: dict[int, np.ndarray] = {}
        for row in group.itertuples():
            ok = False
            if ds is not None:
                frame = int(row.frame)
                if frame not in images:
                    images[frame] = display_image(ds, frame)
                ok = blanked(images[frame], int(row.x), int(row.y), int(row.width), int(row.height))
            rows.append({"file": file, "frame": int(row.frame), "text": row.text, "x": int(row.x), "y": int(row.y),
                         "width": int(row.width), "height": int(row.height), "blanked": ok})
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


def distinct_blanked(boxes: pd.DataFrame) -> float:
    """Share of distinct boxes (a cine's banner counted once) blanked in every frame they are in."""
    if boxes.empty:
        return float("nan")
    return float(boxes.groupby(["file", "text", "x", "y", "width", "height"])["blanked"].all().mean())


def allowed_mask(truth: pd.DataFrame, file: str, shape: tuple[int, int], margin: int) -> np.ndarray:
    """Pixels redaction may change in every frame of ``file``: all its truth boxes, grown."""
    mask = np.zeros(shape, dtype=bool)
    rows, columns = shape
    for r in truth[(truth["source"] == "pixel") & (truth["file"] == file)].itertuples():
        top, left = max(0, int(r.y) - margin), max(0, int(r.x) - margin)
        mask[top:min(rows, int(r.y) + int(r.height) + margin), left:min(columns, int(r.x) + int(r.width) + margin)] = True
    return mask


def pixels_outside_unchanged(source: Path, outputs: dict[str, Path], truth: pd.DataFrame,
                             margin: int) -> tuple[int, int]:
    """(pixels outside all truth boxes, how many of them kept their stored values)."""
    total = kept = 0
    for file, out in sorted(outputs.items()):
        before, after = read(source / file), read(out)
        if "PixelData" not in before:
            continue
        a, b = frames_of(before.pixel_array, before), frames_of(after.pixel_array, after)
        if a.shape != b.shape:
            continue
        outside = ~allowed_mask(truth, file, a.shape[1:3], margin)
        same = a == b
        if same.ndim == 4:
            same = same.all(axis=-1)
        total += int(outside.sum()) * a.shape[0]
        kept += int((same & outside[np.newaxis]).sum())
    return total, kept
