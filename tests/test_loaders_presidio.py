"""Presidio's ground_truth.json -> truth table, and Presidio's box-matching rule."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from phidetect.datasets.presidio import PSEUDO_PHI_SAMPLES_FILE_MAP, label_phi_type, presidio_truth
from phidetect.evaluate import TRUTH_COLUMNS, evaluate

SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"
GROUND_TRUTH = SAMPLES / "ground_truth.json"


def test_bundled_ground_truth_with_the_samples_map():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # keys mapped to None are dropped on purpose, silently
        truth = presidio_truth(GROUND_TRUTH, SAMPLES, file_map=PSEUDO_PHI_SAMPLES_FILE_MAP)
    assert list(truth.columns) == list(TRUTH_COLUMNS)
    assert sorted(truth["file"].unique()) == ["0_ORIGINAL_compressed.dcm", "2_ORIGINAL.dcm"]
    assert (truth["source"] == "pixel").all() and (truth["frame"] == 0).all()
    davidson = truth[truth["text"] == "DAVIDSON"].iloc[0]
    assert (davidson["x"], davidson["y"], davidson["width"], davidson["height"]) == (0, 0, 241, 37)
    kaufman = truth[truth["text"] == "KAUFMAN"].iloc[0]
    assert (kaufman["x"], kaufman["y"]) == (1, 0)  # left 26, top 25 in the padded image
    types = dict(zip(truth["text"], truth["phi_type"], strict=False))
    assert types["DOUGLAS"] == "NAME" and types["06.16.1976"] == "DATE" and types["[M]"] == "OTHER"
    assert not truth[truth["text"] == "[M]"]["required"].any()
    assert truth[truth["text"] != "[M]"]["required"].all()


def test_keys_without_a_file_are_reported(tmp_path):
    with pytest.warns(UserWarning, match=r"0_ORIGINAL\.dcm.*1_ORIGINAL\.dcm.*3_ORIGINAL\.dcm"):
        truth = presidio_truth(GROUND_TRUTH, SAMPLES)
    assert sorted(truth["file"].unique()) == ["2_ORIGINAL.dcm"]
    # no files_root: keys become base names, nothing can be checked, nothing is dropped
    assert presidio_truth(GROUND_TRUTH)["file"].nunique() == 4


def test_padding_and_sex_option(tmp_path):
    path = tmp_path / "gt.json"
    path.write_text(json.dumps({"a/x.dcm": [{"label": "[F]", "left": 10, "top": 40, "width": 5, "height": 6},
                                            {"label": "12345678", "left": 30, "top": 30, "width": 9, "height": 9}]}))
    truth = presidio_truth(path, padding=20, sex_required=True)
    assert truth["file"].tolist() == ["x.dcm", "x.dcm"]
    assert truth[["x", "y"]].values.tolist() == [[0, 20], [10, 10]]
    assert truth["phi_type"].tolist() == ["OTHER", "ID"] and truth["required"].all()


@pytest.mark.parametrize("label, expected", [
    ("DAVIDSON", ("NAME", True)), ("01.09.2012", ("DATE", True)), ("4/14/2020", ("DATE", True)),
    ("05:24:57PM", ("DATE", True)), ("00079241539", ("ID", True)), ("[U]", ("OTHER", False)),
    ("W:400 L:40", ("OTHER", True)),
])
def test_label_phi_type(label, expected):
    assert label_phi_type(label) == expected


@pytest.mark.parametrize("content, error, message", [
    (None, FileNotFoundError, "ground truth not found"),
    ("{not json", ValueError, "not valid JSON"),
    ("[1, 2]", ValueError, "expected an object"),
    ('{"f.dcm": [{"label": "X", "left": 1}]}', ValueError, "lacks top, width, height"),
    ('{"f.dcm": {"label": "X"}}', ValueError, "not a list of boxes"),
])
def test_bad_ground_truth(tmp_path, content, error, message):
    path = tmp_path / "ground_truth.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(error, match=message) as caught:
        presidio_truth(path)
    assert str(path) in str(caught.value)


def _finding(file: str, x: int, y: int, w: int, h: int) -> dict:
    return {"file": file, "sop_instance_uid": "", "source": "pixel", "tag_path": "", "keyword": "", "vr": "",
            "phi_type": "NAME", "text": "", "start": -1, "end": -1, "confidence": 0.9, "rule": "test",
            "frame": 0, "x": x, "y": y, "width": w, "height": h}


def presidio_match(finding: dict, truth: dict, tolerance: int = 50) -> bool:
    """Presidio's BboxProcessor.match_with_source: left, top, width and height each within
    ``tolerance`` (microsoft/presidio, presidio-image-redactor/presidio_image_redactor/bbox.py)."""
    return all(abs(finding[a] - truth[b]) <= tolerance
               for a, b in (("x", "x"), ("y", "y"), ("width", "width"), ("height", "height")))


def test_presidio_rule_agrees_where_edges_and_sizes_agree():
    truth = presidio_truth(GROUND_TRUTH, SAMPLES, file_map=PSEUDO_PHI_SAMPLES_FILE_MAP)
    shifted = pd.DataFrame([_finding(r.file, r.x + 30, r.y + 30, r.width, r.height) for r in truth.itertuples()])
    result = evaluate(shifted, truth, box_rule="presidio")
    assert result.metrics.iloc[-1]["fn"] == 0
    far = pd.DataFrame([_finding(r.file, r.x, r.y + 200, r.width, r.height) for r in truth.itertuples()])
    assert evaluate(far, truth, box_rule="presidio").metrics.iloc[-1]["tp"] == 0


def test_presidio_rule_compares_width_and_height_not_edges():
    truth_box = {"file": "f.dcm", "source": "pixel", "frame": 0, "x": 100, "y": 100, "width": 200, "height": 40}
    # left 40 px off and 40 px wider: Presidio matches (each within 50), the right edge is 80 px off
    finding = _finding("f.dcm", 140, 100, 240, 40)
    assert presidio_match(finding, truth_box)
    result = evaluate(pd.DataFrame([finding]), pd.DataFrame([truth_box]), box_rule="presidio")
    assert result.metrics.iloc[-1]["tp"] == 1
