"""A truth box redaction missed is named by what was filled near it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from phidetect.measure.box_misses import COVERED_NOT_BLANK, NO_COPY, NOTHING_FILLED, misses_by_reason, with_miss_reasons


def _boxes(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"file": f, "frame": 0, "text": t, "x": x, "y": 10, "width": 40, "height": 10,
                          "blanked": b} for f, t, x, b in rows])


def test_each_miss_is_named_by_what_was_filled_over_it():
    boxes = _boxes(("a.dcm", "DOE^JOHN", 0, False), ("a.dcm", "12345678", 100, False),
                   ("a.dcm", "01/02/2020", 200, False), ("a.dcm", "ST. MARY", 300, True),
                   ("b.dcm", "SMITH", 0, False))
    filled = pd.DataFrame([
        {"file": "a.dcm", "frame": -1, "x": 100, "y": 10, "width": 20, "height": 10},   # half of the ID
        {"file": "a.dcm", "frame": 0, "x": 200, "y": 10, "width": 40, "height": 10},    # all of the date
        {"file": "a.dcm", "frame": 0, "x": 300, "y": 10, "width": 40, "height": 10},
    ])
    why = with_miss_reasons(boxes, filled, {"a.dcm": Path("a.dcm")}, margin=0)["why"].tolist()
    assert why == [NOTHING_FILLED, "box filled over part of it (50% covered)", COVERED_NOT_BLANK, "", NO_COPY]
    counts = misses_by_reason(with_miss_reasons(boxes, filled, {"a.dcm": Path("a.dcm")}, margin=0))
    assert counts.to_dict() == {NOTHING_FILLED: 1, "box filled over part of it": 1, COVERED_NOT_BLANK: 1, NO_COPY: 1}


def test_the_margin_counts_as_filled_and_other_frames_do_not():
    boxes = _boxes(("a.dcm", "DOE", 0, False))
    filled = pd.DataFrame([{"file": "a.dcm", "frame": 0, "x": 3, "y": 13, "width": 34, "height": 4},
                           {"file": "a.dcm", "frame": 5, "x": 0, "y": 10, "width": 40, "height": 10}])
    assert with_miss_reasons(boxes, filled, {"a.dcm": Path("a.dcm")}, margin=3)["why"].tolist() == [COVERED_NOT_BLANK]
    assert with_miss_reasons(boxes, filled.iloc[1:], {"a.dcm": Path("a.dcm")}, margin=3)["why"].tolist() == [NOTHING_FILLED]
