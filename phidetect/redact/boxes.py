"""Boxes to black out: pixel findings of a scan, and boxes the caller adds (truth boxes,
or a fixed region such as the top rows of a known ultrasound layout).

Any DataFrame in the findings or truth schema will do: rows with ``source == "pixel"``
(or without a ``source`` column) and ``file``, ``frame``, ``x``, ``y``, ``width``,
``height``, optionally ``plane``. ``file == "*"`` applies a box to every file,
``frame == -1`` to every frame, and a width or height of 0 or less reaches the edge.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

BOX_COLUMNS = ("file", "frame", "x", "y", "width", "height")
EVERY_FILE = "*"


class Box(NamedTuple):
    """One region in image pixel coordinates; frame -1: every frame."""

    frame: int
    x: int
    y: int
    width: int
    height: int
    plane: str = "image"

    def bounds(self, rows: int, columns: int, margin: int) -> tuple[int, int, int, int] | None:
        """(top, bottom, left, right) grown by ``margin`` and clipped to the image; None if empty."""
        left = max(0, self.x) - margin
        top = max(0, self.y) - margin
        right = columns if self.width <= 0 else max(0, self.x) + self.width + margin
        bottom = rows if self.height <= 0 else max(0, self.y) + self.height + margin
        top, bottom = max(0, top), min(rows, bottom)
        left, right = max(0, left), min(columns, right)
        return (top, bottom, left, right) if bottom > top and right > left else None


def check_boxes(frame: pd.DataFrame) -> None:
    """Raise ValueError naming the missing columns of a boxes table."""
    missing = [c for c in BOX_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"boxes table lacks column(s) {', '.join(missing)}")


def boxes_for(frame: pd.DataFrame | None, file: str) -> list[Box]:
    """The boxes of ``frame`` that apply to ``file`` (its own rows and the ``*`` rows)."""
    if frame is None or frame.empty:
        return []
    check_boxes(frame)
    rows = frame[(frame["file"].astype(str) == file) | (frame["file"].astype(str) == EVERY_FILE)]
    if "source" in rows.columns:
        rows = rows[rows["source"].astype(str) == "pixel"]
    planes = rows["plane"].astype(str) if "plane" in rows.columns else pd.Series("image", index=rows.index)
    return [Box(int(r.frame), int(r.x), int(r.y), int(r.width), int(r.height), plane or "image")
            for r, plane in zip(rows.itertuples(), planes.replace({"nan": "image", "<NA>": "image"}), strict=True)]


def top_rows(rows: int, file: str = EVERY_FILE) -> pd.DataFrame:
    """A boxes table that blanks the top ``rows`` rows of every frame (of ``file``, default all
    files): the patient banner of many ultrasound layouts."""
    return pd.DataFrame([{"file": file, "source": "pixel", "frame": -1, "x": 0, "y": 0,
                          "width": 0, "height": int(rows), "plane": "image"}])
