"""Boxes to black out: pixel findings of a scan, and boxes the caller adds (truth boxes,
or a fixed region such as the top rows of a known ultrasound layout).

Any DataFrame in the findings or truth schema will do: rows with ``source == "pixel"``
(or without a ``source`` column) and ``file``, ``frame``, ``x``, ``y``, ``width``,
``height``, optionally ``plane``. ``file == "*"`` applies a box to every file,
``frame == -1`` to every frame, and a width or height of 0 or less reaches the edge.
Tables keep those text forms; inside the code a box is a :class:`FrameBox` (every frame:
``ALL_FRAMES``, the plane a :class:`Plane`), converted here, at the table's edge.
"""

from __future__ import annotations

import pandas as pd

from phidetect.geometry import ALL_FRAMES_IN_TABLES, FrameBox, frame_from_table
from phidetect.planes import Plane

BOX_COLUMNS = ("file", "frame", "x", "y", "width", "height")
EVERY_FILE = "*"

def check_boxes(frame: pd.DataFrame) -> None:
    """Raise ValueError naming the missing columns of a boxes table, or a plane it names
    that no data set has (such a box could never be blanked)."""
    missing = [c for c in BOX_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"boxes table lacks column(s) {', '.join(missing)}")
    for text in _pixel_rows(frame).get("plane", pd.Series(dtype=str)).unique():
        Plane.parse(text)


def _pixel_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if "source" in frame.columns:
        return frame[frame["source"].astype(str) == "pixel"]
    return frame


def boxes_for(frame: pd.DataFrame | None, file: str) -> list[FrameBox]:
    """The boxes of ``frame`` that apply to ``file`` (its own rows and the ``*`` rows)."""
    if frame is None or frame.empty:
        return []
    check_boxes(frame)
    rows = frame[(frame["file"].astype(str) == file) | (frame["file"].astype(str) == EVERY_FILE)]
    rows = _pixel_rows(rows)
    planes = rows["plane"] if "plane" in rows.columns else pd.Series(Plane.IMAGE.value, index=rows.index)
    return [FrameBox(frame_from_table(r.frame), int(r.x), int(r.y), int(r.width), int(r.height), Plane.parse(plane))
            for r, plane in zip(rows.itertuples(), planes, strict=True)]


def top_rows(rows: int, file: str = EVERY_FILE) -> pd.DataFrame:
    """A boxes table that blanks the top ``rows`` rows of every frame (of ``file``, default all
    files): the patient banner of many ultrasound layouts."""
    return pd.DataFrame([{"file": file, "source": "pixel", "frame": ALL_FRAMES_IN_TABLES, "x": 0, "y": 0,
                          "width": 0, "height": int(rows), "plane": Plane.IMAGE.value}])
