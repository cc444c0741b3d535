"""Evaluation against a truth table: matching rules, counts, sweep, calibration, CLI."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLES

import phidetect
from phidetect.cli import main
from phidetect.evaluate import TRUTH_COLUMNS, evaluate, truth_frame
from phidetect.findings import findings_frame
from phidetect.output import read_table, write_table


def tag(tag_path: str, phi_type: str, start: int, end: int, **extra) -> dict:
    return {"file": "a.dcm", "source": "tag", "tag_path": tag_path, "phi_type": phi_type,
            "start": start, "end": end, **extra}


def box(x: int, y: int, w: int, h: int, frame: int = 0, **extra) -> dict:
    return {"file": "b.dcm", "source": "pixel", "phi_type": "NAME", "frame": frame,
            "x": x, "y": y, "width": w, "height": h, **extra}


def found(**extra) -> dict:
    """A findings-schema row: what the test does not say is blank (-1 for numbers)."""
    blank = {"sop_instance_uid": "", "text": "", "rule": "test", "tag_path": "", "keyword": "", "vr": "",
             "private_creator": "", "plane": "", "start": -1, "end": -1, "frame": -1,
             "x": -1, "y": -1, "width": -1, "height": -1}
    return {**blank, **extra}


@pytest.fixture
def tag_truth() -> pd.DataFrame:
    return truth_frame([
        tag("(0010,0010)", "NAME", 0, 10),
        tag("(0008,1030)", "NAME", 25, 41),
        tag("(0008,0080)", "INSTITUTION", 0, 5),  # nobody finds it
        tag("(0008,0090)", "NAME", 0, 8, required=False),  # ambiguous
    ])


@pytest.fixture
def tag_findings() -> pd.DataFrame:
    return findings_frame([
        found(**tag("(0010,0010)", "NAME", 0, 10), confidence=0.9),
        found(**tag("(0008,1030)", "OTHER", 20, 30), confidence=0.6),  # overlaps; type differs
        found(**tag("(0008,0090)", "NAME", 0, 8), confidence=0.4),  # only non-required truth
        found(**tag("(0020,0010)", "ID", 0, 4), confidence=0.3),  # no truth at all
        found(**tag("(0008,1030)", "DATE", 0, 5), confidence=0.2),  # same element, no overlap
    ])


def row(metrics: pd.DataFrame, source: str, phi_type: str) -> pd.Series:
    hit = metrics[(metrics["source"] == source) & (metrics["phi_type"] == phi_type)]
    assert len(hit) == 1, (source, phi_type)
    return hit.iloc[0]


def test_truth_frame_has_the_schema_and_defaults() -> None:
    truth = truth_frame([tag("(0010,0010)", "NAME", 0, 3)])
    assert list(truth.columns) == list(TRUTH_COLUMNS)
    assert truth["required"].tolist() == [True] and truth["frame"].tolist() == [-1]
    assert truth_frame([tag("(0010,0010)", "NAME", 0, 3, required="False")])["required"].tolist() == [False]
    assert len(truth_frame([])) == 0


def test_tag_counts_exact(tag_findings, tag_truth) -> None:
    result = evaluate(tag_findings, tag_truth)
    overall = row(result.metrics, "ALL", "ALL")
    assert (overall.tp, overall.fp, overall.fn) == (2, 2, 1)
    assert overall.precision == pytest.approx(0.5)
    assert overall.recall == pytest.approx(2 / 3)
    assert overall.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    name = row(result.metrics, "tag", "NAME")  # tp by the truth's type, whatever the finding said
    assert (name.tp, name.fp, name.fn) == (2, 0, 0)
    assert (row(result.metrics, "tag", "INSTITUTION").fn, row(result.metrics, "tag", "ID").fp) == (1, 1)
    assert row(result.metrics, "tag", "DATE").fp == 1  # fp by the finding's type
    assert "OTHER" not in set(result.metrics["phi_type"])
    assert result.misses["tag_path"].tolist() == ["(0008,0080)"]
    assert sorted(result.false_alarms["tag_path"]) == ["(0008,1030)", "(0020,0010)"]


def test_min_confidence_drops_findings_first(tag_findings, tag_truth) -> None:
    overall = row(evaluate(tag_findings, tag_truth, min_confidence=0.5).metrics, "ALL", "ALL")
    assert (overall.tp, overall.fp, overall.fn) == (2, 0, 1)
    assert overall.precision == 1.0


def test_non_required_truth_counts_neither_way(tag_truth) -> None:
    missed = evaluate(findings_frame([]), tag_truth)
    assert row(missed.metrics, "ALL", "ALL").fn == 3  # the ambiguous row is no miss
    assert "(0008,0090)" not in set(missed.misses["tag_path"])
    hit = evaluate(findings_frame([found(**tag("(0008,0090)", "NAME", 2, 4), confidence=1.0)]), tag_truth)
    overall = row(hit.metrics, "ALL", "ALL")
    assert (overall.tp, overall.fp, overall.fn) == (0, 0, 3)
    assert hit.false_alarms.empty


def test_sweep_recall_never_rises(tag_findings, tag_truth) -> None:
    sweep = evaluate(tag_findings, tag_truth).sweep
    assert sweep["threshold"].tolist() == [round(0.05 * i, 2) for i in range(21)]
    assert (np.diff(sweep["recall"].to_numpy()) <= 1e-12).all()
    assert sweep["recall"].iloc[0] == pytest.approx(2 / 3) and sweep["recall"].iloc[-1] == 0.0
    at_half = sweep[sweep["threshold"] == 0.5].iloc[0]
    assert (at_half.tp, at_half.fp, at_half.fn) == (2, 0, 1)


def test_calibration_bins(tag_findings, tag_truth) -> None:
    calibration = evaluate(tag_findings, tag_truth).calibration.set_index("bin_low")
    assert len(calibration) == 10 and calibration["count"].sum() == 4  # the ignored finding left out
    assert (calibration.loc[0.9, "count"], calibration.loc[0.9, "precision"]) == (1, 1.0)
    assert (calibration.loc[0.6, "matched"], calibration.loc[0.3, "precision"]) == (1, 0.0)
    assert calibration.loc[0.2, "count"] == 1 and math.isnan(calibration.loc[0.4, "precision"])


def test_confidence_one_lands_in_the_last_bin() -> None:
    result = evaluate(findings_frame([found(**tag("(0010,0010)", "NAME", 0, 3), confidence=1.0)]),
                      truth_frame([tag("(0010,0010)", "NAME", 0, 3)]))
    assert result.calibration.iloc[-1]["count"] == 1


TRUTH_BOX = box(100, 100, 100, 20)


def pixel(x: int, y: int, w: int, h: int, frame: int = 0) -> dict:
    return found(**box(x, y, w, h, frame), confidence=0.8)


def test_boxes_together_cover_the_truth() -> None:
    truth = truth_frame([TRUTH_BOX])
    halves = findings_frame([pixel(100, 100, 30, 20), pixel(130, 95, 30, 30)])  # 30% + 30%
    assert row(evaluate(halves, truth).metrics, "ALL", "ALL").tp == 1
    strict = evaluate(halves, truth, box_coverage=0.7).metrics
    assert (row(strict, "ALL", "ALL").fn, row(strict, "ALL", "ALL").fp) == (1, 0)  # partial boxes: the truth is missed, they are no false alarms
    other_frame = evaluate(findings_frame([pixel(100, 100, 100, 20, frame=1)]), truth).metrics
    assert (row(other_frame, "pixel", "ALL").fn, row(other_frame, "pixel", "ALL").fp) == (1, 1)


def test_coverage_rule_versus_presidio_rule() -> None:
    truth = truth_frame([TRUTH_BOX])
    near = findings_frame([pixel(80, 90, 150, 40)])  # every edge within 30 px, covers all
    huge = findings_frame([pixel(0, 0, 400, 400)])  # covers all, edges far off
    short = findings_frame([pixel(100, 100, 40, 20)])  # covers 40%, right edge 60 px short
    for findings, coverage, presidio in ((near, 1, 1), (huge, 1, 0), (short, 0, 0)):
        assert row(evaluate(findings, truth).metrics, "ALL", "ALL").tp == coverage
        assert row(evaluate(findings, truth, box_rule="presidio").metrics, "ALL", "ALL").tp == presidio
    assert row(evaluate(short, truth, box_rule="presidio", tolerance=60).metrics, "ALL", "ALL").tp == 1
    with pytest.raises(ValueError):
        evaluate(near, truth, box_rule="iou")  # type: ignore[arg-type]


def test_box_touching_only_non_required_truth_is_no_false_alarm() -> None:
    truth = truth_frame([box(100, 100, 100, 20, required=False)])
    result = evaluate(findings_frame([pixel(150, 100, 10, 10)]), truth)
    overall = row(result.metrics, "ALL", "ALL")
    assert (overall.tp, overall.fp, overall.fn) == (0, 0, 0) and result.false_alarms.empty


def test_scan_of_samples_finds_known_header_phi() -> None:
    findings = phidetect.scan(SAMPLES, workers=1, progress=False)
    truth = truth_frame([
        {"file": "0_ORIGINAL_no_pixels.dcm", "source": "tag", "tag_path": "(0010,0010)",
         "keyword": "PatientName", "phi_type": "NAME", "text": "DAVIDSON^DOUGLAS", "start": 0, "end": 16},
        {"file": "0_ORIGINAL_no_pixels.dcm", "source": "tag", "tag_path": "(0008,1030)",
         "keyword": "StudyDescription", "phi_type": "NAME", "text": "Douglas Davidson",
         "start": 25, "end": 41},
    ])
    result = evaluate(findings, truth)
    overall = row(result.metrics, "ALL", "ALL")
    assert (overall.tp, overall.fn, overall.recall) == (2, 0, 1.0)
    assert result.misses.empty


def test_cli_evaluate_writes_metrics(tmp_path, capsys, tag_findings, tag_truth) -> None:
    write_table(tag_findings, tmp_path / "findings.csv")
    write_table(tag_truth, tmp_path / "truth.csv")
    out = tmp_path / "metrics.csv"
    code = main(["evaluate", str(tmp_path / "findings.csv"), str(tmp_path / "truth.csv"), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0 and "precision" in printed
    metrics = read_table(out)
    overall = row(metrics, "ALL", "ALL")
    assert (overall.tp, overall.fp, overall.fn) == (2, 2, 1)  # required=False survived the CSV


def test_cli_evaluate_missing_file_exits_2(tmp_path, capsys) -> None:
    assert main(["evaluate", str(tmp_path / "nope.csv"), str(tmp_path / "nope2.csv")]) == 2
    assert "cannot evaluate" in capsys.readouterr().err


def test_truth_schema_doc_lists_every_column() -> None:
    text = (SAMPLES.parent.parent.parent / "docs" / "truth-schema.md").read_text()
    for column in TRUTH_COLUMNS:
        assert f"`{column}`" in text, column


def test_per_file_puts_the_leakiest_file_first(tag_findings, tag_truth) -> None:
    more_truth = pd.concat([tag_truth, truth_frame([box(0, 0, 10, 10), box(50, 50, 10, 10)])])
    result = evaluate(tag_findings, more_truth)
    table = result.per_file
    assert list(table["file"]) == ["b.dcm", "a.dcm"]
    b, a = table.iloc[0], table.iloc[1]
    assert (b.tp, b.fn, b.pixel_fn, b.tag_fn, b.fp) == (0, 2, 2, 0, 0) and b.recall == 0.0
    assert (a.tp, a.fn, a.tag_fn, a.fp) == (2, 1, 1, 2)
    assert math.isclose(a.recall, 2 / 3) and math.isclose(a.precision, 0.5)


def test_per_file_of_empty_tables() -> None:
    result = evaluate(findings_frame([]), truth_frame([]))
    assert result.per_file.empty and list(result.per_file.columns)[0] == "file"


def test_cli_evaluate_details_and_printed_sweep(tmp_path, capsys, tag_findings, tag_truth) -> None:
    write_table(tag_findings, tmp_path / "findings.csv")
    write_table(tag_truth, tmp_path / "truth.csv")
    details = tmp_path / "details"
    code = main(["evaluate", str(tmp_path / "findings.csv"), str(tmp_path / "truth.csv"),
                 "--details", str(details)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "threshold sweep" in printed and "calibration" in printed and "files with most misses" in printed
    for name in ("misses", "false_alarms", "per_file", "sweep", "calibration"):
        assert (details / f"{name}.csv").exists(), name
    assert len(read_table(details / "misses.csv")) == 1
