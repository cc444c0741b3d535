"""synth -> scan -> evaluate through the command line, and the metrics move the right way
when findings are taken away (recall falls) or junk is added (precision falls)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from phidetect.cli import main
from phidetect.output import read_table, write_table


def overall(metrics: pd.DataFrame, source: str = "ALL") -> pd.Series:
    return metrics[(metrics["source"] == source) & (metrics["phi_type"] == "ALL")].iloc[0]


def evaluate_cli(findings: pd.DataFrame | Path, truth: Path, folder: Path, name: str) -> pd.Series:
    if isinstance(findings, pd.DataFrame):
        path = folder / f"{name}-findings.csv"
        write_table(findings, path)
        findings = path
    metrics = folder / f"{name}-metrics.csv"
    assert main(["evaluate", str(findings), str(truth), "--out", str(metrics)]) == 0
    return overall(read_table(metrics), "tag")


@pytest.fixture(scope="module")
def synthetic_scan(tmp_path_factory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("e2e")
    data = folder / "synth"
    assert main(["synth", str(data), "--n", "20", "--seed", "11"]) == 0
    findings = folder / "findings.csv"
    code = main(["scan", str(data), "--out", str(findings), "--no-progress", "--workers", "1"])
    assert code == 1  # PHI was planted: the sweep must fail
    return folder, data / "truth.csv", findings


def test_synth_scan_evaluate_end_to_end(synthetic_scan, capsys) -> None:
    folder, truth, findings = synthetic_scan
    tags = evaluate_cli(findings, truth, folder, "full")
    assert tags.tp > 100
    assert tags.recall > 0.85 and tags.precision > 0.85  # far above chance; the real numbers are in the issue note
    printed = capsys.readouterr().out
    assert "threshold sweep" in printed


def test_removing_findings_lowers_recall(synthetic_scan) -> None:
    folder, truth, findings = synthetic_scan
    full = evaluate_cli(findings, truth, folder, "full")
    table = read_table(findings)
    names = (table["phi_type"] == "NAME") & (table["source"] == "tag")
    fewer = evaluate_cli(table[~names], truth, folder, "fewer")
    assert fewer.recall < full.recall and fewer.fn > full.fn
    assert fewer.tp < full.tp


def test_adding_junk_lowers_precision(synthetic_scan) -> None:
    folder, truth, findings = synthetic_scan
    full = evaluate_cli(findings, truth, folder, "full")
    table = read_table(findings)
    junk = table[table["source"] == "tag"].drop_duplicates("file").copy()
    junk["tag_path"], junk["keyword"], junk["vr"] = "(0008,0060)", "Modality", "CS"  # never PHI
    junk["phi_type"], junk["start"], junk["end"], junk["confidence"] = "NAME", 0, 2, 0.95
    noisy = evaluate_cli(pd.concat([table, junk], ignore_index=True), truth, folder, "noisy")
    assert noisy.fp == full.fp + len(junk)
    assert noisy.precision < full.precision and noisy.recall == full.recall


@pytest.mark.ocr
@pytest.mark.slow
def test_burned_in_text_is_scored_end_to_end(tmp_path) -> None:
    data = tmp_path / "synth"
    assert main(["synth", str(data), "--n", "19", "--seed", "5"]) == 0  # 19: one file of every kind
    findings = tmp_path / "findings.csv"
    assert main(["scan", str(data), "--ocr", "--out", str(findings), "--no-progress", "--workers", "1"]) == 1
    metrics = tmp_path / "metrics.csv"
    assert main(["evaluate", str(findings), str(data / "truth.csv"), "--out", str(metrics)]) == 0
    pixel = overall(read_table(metrics), "pixel")
    assert pixel.tp > 0 and pixel.recall > 0.5
