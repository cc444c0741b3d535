"""Plot helpers: each draws what it says on the Axes it returns, from a real evaluation."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLES

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from phidetect import plots  # noqa: E402
from phidetect.dicom.reader import read_dicom  # noqa: E402
from phidetect.evaluate import evaluate, truth_frame  # noqa: E402
from phidetect.findings import findings_frame  # noqa: E402

CT = "2_ORIGINAL.dcm"  # burned-in name and dates at the top left


def found(**extra) -> dict:
    blank = {"file": CT, "sop_instance_uid": "", "text": "x", "rule": "test", "tag_path": "", "keyword": "",
             "vr": "", "private_creator": "", "plane": "", "start": -1, "end": -1, "frame": -1,
             "x": -1, "y": -1, "width": -1, "height": -1}
    return {**blank, **extra}


@pytest.fixture
def findings() -> pd.DataFrame:
    return findings_frame([
        found(source="tag", tag_path="(0010,0010)", phi_type="NAME", start=0, end=16, confidence=0.95),
        found(source="tag", tag_path="(0008,1030)", phi_type="DATE", start=0, end=4, confidence=0.3),
        found(source="pixel", phi_type="NAME", frame=0, x=0, y=0, width=131, height=14, confidence=0.9,
              plane="image"),
        found(source="pixel", phi_type="DATE", frame=0, x=156, y=0, width=76, height=14, confidence=0.7,
              plane="image"),
        found(source="pixel", phi_type="OTHER", frame=0, x=300, y=200, width=40, height=10, confidence=0.2,
              plane="image"),
        found(file="other.dcm", source="pixel", phi_type="NAME", frame=0, x=5, y=5, width=10, height=10,
              confidence=0.9, plane="image"),
    ])


@pytest.fixture
def truth() -> pd.DataFrame:
    return truth_frame([
        {"file": CT, "source": "tag", "tag_path": "(0010,0010)", "phi_type": "NAME", "start": 0, "end": 16},
        {"file": CT, "source": "pixel", "phi_type": "NAME", "frame": 0, "x": 0, "y": 0, "width": 131,
         "height": 14},
        {"file": CT, "source": "pixel", "phi_type": "DATE", "frame": 0, "x": 156, "y": 0, "width": 76,
         "height": 14},
        {"file": CT, "source": "pixel", "phi_type": "DATE", "frame": 0, "x": 43, "y": 12, "width": 74,
         "height": 17},  # nobody finds the birth date
    ])


@pytest.fixture
def result(findings, truth):
    return evaluate(findings, truth)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_precision_recall_marks_the_default_threshold(result):
    ax = plots.plot_precision_recall(result.sweep, label="tiny")
    curve, marker = ax.get_lines()[:2]
    points = result.sweep.dropna(subset=["precision", "recall"])
    assert list(curve.get_xdata()) == list(points["recall"])
    at = result.sweep[np.isclose(result.sweep["threshold"], 0.5)].iloc[0]
    assert (marker.get_xdata()[0], marker.get_ydata()[0]) == (at["recall"], at["precision"])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["tiny", "threshold 0.5"]
    assert ax.get_xlabel() == "recall" and ax.get_ylabel() == "precision"


def test_helpers_accept_the_evaluation_result_and_an_axes(result):
    fig, axes = plt.subplots(1, 3)
    assert plots.plot_precision_recall(result, axes[0]) is axes[0]
    assert plots.plot_calibration(result, axes[1]) is axes[1]
    assert plots.plot_metrics(result, axes[2]) is axes[2]


def test_calibration_bars_follow_the_table(result):
    ax = plots.plot_calibration(result.calibration)
    filled = result.calibration[result.calibration["count"] > 0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert [round(b.get_height(), 6) for b in bars] == [round(v, 6) for v in filled["precision"]]
    diagonal = ax.get_lines()[0]
    assert list(diagonal.get_xdata()) == [0, 1] and list(diagonal.get_ydata()) == [0, 1]
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"n={n}" for n in filled["count"])


def test_metrics_bars_per_row_and_score(result):
    ax = plots.plot_metrics(result.metrics)
    assert len(ax.patches) == 2 * len(result.metrics)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == [f"{s} / {t}" for s, t in zip(result.metrics["source"], result.metrics["phi_type"],
                                                    strict=True)]
    recall = [p.get_width() for p in ax.containers[0]]
    assert recall == list(result.metrics["recall"].fillna(0.0))


def test_show_findings_draws_findings_and_truth(findings, truth):
    ax = plots.show_findings(SAMPLES / CT, findings, truth=truth)
    ds = read_dicom(SAMPLES / CT)
    assert ax.images[0].get_array().shape[:2] == (ds.Rows, ds.Columns)
    boxes = [p for p in ax.patches if isinstance(p, Rectangle)]
    solid = [b for b in boxes if b.get_linestyle() == "-"]
    dashed = [b for b in boxes if b.get_linestyle() == "--"]
    assert len(solid) == 3  # this file's pixel findings; other.dcm's is not drawn
    assert len(dashed) == 3
    assert {(b.get_x(), b.get_y(), b.get_width(), b.get_height()) for b in solid} == {
        (0, 0, 131, 14), (156, 0, 76, 14), (300, 200, 40, 10)}
    assert solid[0].get_edgecolor() != dashed[0].get_edgecolor()
    labels = {t.get_text() for t in ax.texts}
    assert {"NAME 0.90", "DATE 0.70", "OTHER 0.20", "NAME", "DATE"} <= labels


def test_show_findings_of_a_dataset(findings):
    ds = read_dicom(SAMPLES / CT, headers_only=False)
    one_file = findings[findings["file"] == CT]
    ax = plots.show_findings(ds, one_file)
    assert len(ax.patches) == 3
    with pytest.raises(ValueError, match="several files"):
        plots.show_findings(ds, findings)


def test_thumbnail_is_small_with_boxes(findings):
    picture = plots.thumbnail(SAMPLES / CT, findings)
    assert max(picture.size) <= 320
    pixels = np.asarray(picture.convert("RGB")).reshape(-1, 3).astype(int)
    red = (pixels[:, 0] > 200) & (pixels[:, 1] < 60) & (pixels[:, 2] < 80)
    assert red.sum() > 50


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"phidetect\[plots\]"):
        plots.plot_calibration(pd.DataFrame())


def test_core_package_does_not_import_matplotlib():
    code = ("import sys, phidetect, phidetect.plots, phidetect.report\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
