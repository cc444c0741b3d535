"""Sweep folders: findings streamed to Parquet parts, a files table, a summary, and a sweep
that goes on after a crash (SIGKILL), a stop (SIGTERM) or a changed file, equal to one run.

The files are headers of real samples (the pseudo-PHI set) copied under many names, so a
sweep is long enough to be killed in the middle and each file still has findings.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import fingerprint, write_dicom

import phidetect
from phidetect.sweep import SweepFolderError, committed_parts, read_sweep, scan_to_folder

SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"
KEY = ["file", "source", "tag_path", "start", "end", "rule", "text"]


def _copies(folder: Path, n: int) -> Path:
    """``n`` DICOM files under ``folder``: the samples' headers copied round-robin."""
    samples = sorted(SAMPLES.glob("*.dcm"))
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(n):
        shutil.copyfile(samples[index % len(samples)], folder / f"f{index:04d}.dcm")
    (folder / "notes.txt").write_text("not DICOM")
    return folder


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    plain = pd.DataFrame(frame)[[c for c in phidetect.COLUMNS]]
    return plain.sort_values(KEY, kind="stable").reset_index(drop=True)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "phidetect", "scan", *args, "--no-progress", "--workers", "1"]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    return _copies(tmp_path_factory.mktemp("sweep-in") / "in", 24)


def test_a_sweep_folder_holds_what_a_scan_returns(files: Path, tmp_path: Path) -> None:
    before = fingerprint(files)
    summary = scan_to_folder([files], tmp_path / "sweep", part_files=5, workers=1, progress=False)
    expected = phidetect.scan(files, workers=1, progress=False)
    found = read_sweep(tmp_path / "sweep")
    pd.testing.assert_frame_equal(_sorted(found), _sorted(expected), check_dtype=False)
    assert list(found.errors["file"]) == list(expected.errors["file"]) == ["notes.txt"]
    assert found.files_scanned == expected.files_scanned == 25
    assert committed_parts(tmp_path / "sweep") == [1, 2]  # whole chunks of 16 files: a part once 5 are pending
    assert summary.complete and summary.files == 25 and summary.findings == len(expected)
    assert fingerprint(files) == before  # inputs never touched


def test_the_files_table_records_every_file_with_its_size_and_time(files: Path, tmp_path: Path) -> None:
    scan_to_folder([files], tmp_path / "sweep", part_files=7, workers=1, progress=False)
    table = pd.concat(pd.read_parquet(p) for p in sorted((tmp_path / "sweep" / "files").glob("*.parquet")))
    assert sorted(table["file"]) == sorted(p.name for p in files.iterdir())
    row = table.set_index("file").loc["f0003.dcm"]
    info = (files / "f0003.dcm").stat()
    assert (row["size"], row["mtime_ns"], row["status"]) == (info.st_size, info.st_mtime_ns, "ok")
    assert row["findings"] > 0
    assert table.set_index("file").loc["notes.txt", "status"] == "not DICOM"


def test_the_summary_counts_what_the_folder_holds(files: Path, tmp_path: Path) -> None:
    scan_to_folder([files], tmp_path / "sweep", part_files=4, workers=1, progress=False, fail_on=0.5)
    summary = json.loads((tmp_path / "sweep" / "summary.json").read_text())
    found = read_sweep(tmp_path / "sweep")
    strong = found[found["confidence"] >= 0.5]
    assert summary["findings"] == len(found) and summary["complete"] is True
    assert summary["files_with_phi"] == strong["file"].nunique()
    assert summary["by_phi_type"]["NAME"]["findings"] == int((found["phi_type"] == "NAME").sum())
    assert summary["verdict"].startswith("FAIL")


def test_read_sweep_reads_only_the_columns_asked(files: Path, tmp_path: Path) -> None:
    scan_to_folder([files], tmp_path / "sweep", workers=1, progress=False)
    assert list(read_sweep(tmp_path / "sweep", columns=["phi_type"]).columns) == ["file", "phi_type"]


def test_a_folder_that_holds_something_is_refused_without_resume(files: Path, tmp_path: Path) -> None:
    (tmp_path / "sweep").mkdir()
    (tmp_path / "sweep" / "mine.txt").write_text("a user's file")
    with pytest.raises(SweepFolderError, match="not empty"):
        scan_to_folder([files], tmp_path / "sweep", workers=1, progress=False)
    with pytest.raises(SweepFolderError, match="not a phidetect sweep folder"):
        scan_to_folder([files], tmp_path / "sweep", resume=True, workers=1, progress=False)
    done = subprocess.run(_cli(str(files), "--out", str(tmp_path / "sweep")), capture_output=True, text=True)
    assert done.returncode == 2 and "--resume" in done.stderr


def test_resume_skips_what_is_done_and_rescans_a_changed_file(files: Path, tmp_path: Path) -> None:
    work = _copies(tmp_path / "in", 6)
    scan_to_folder([work], tmp_path / "sweep", part_files=2, workers=1, progress=False)
    again = scan_to_folder([work], tmp_path / "sweep", resume=True, workers=1, progress=False)
    assert again.skipped == 7 and again.files == 7 and again.complete
    write_dicom(work / "f0002.dcm", PatientName="NEWNAME^CHANGED", PatientID="CHG-000001")
    third = scan_to_folder([work], tmp_path / "sweep", resume=True, workers=1, progress=False)
    assert third.skipped == 6
    found = read_sweep(tmp_path / "sweep")
    changed = found[found["file"] == "f0002.dcm"]
    assert "NEWNAME^CHANGED" in set(changed["text"]) and len(found.errors) == 1
    assert _sorted(found).equals(_sorted(phidetect.scan(work, workers=1, progress=False)))


def _kill_after_first_part(args: list[str], sweep: Path, sig: int) -> subprocess.CompletedProcess | None:
    """Start the sweep, send ``sig`` once a part is committed; None if it finished first."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if (sweep / "files").is_dir() and committed_parts(sweep):
            process.send_signal(sig)
            break
        time.sleep(0.01)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def test_a_sweep_killed_mid_way_resumes_to_the_uninterrupted_result(tmp_path: Path) -> None:
    work = _copies(tmp_path / "in", 400)
    sweep = tmp_path / "sweep"
    killed = _kill_after_first_part(_cli(str(work), "--out", str(sweep), "--part-files", "10"), sweep, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL, "the sweep ended before it could be killed"
    assert not (sweep / "summary.json").exists()
    (sweep / "findings" / "part-999999.parquet").write_bytes(b"torn")  # an uncommitted part is ignored
    resumed = subprocess.run(_cli(str(work), "--out", str(sweep), "--resume", "--part-files", "10"),
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1, resumed.stderr  # PHI found
    assert "already done, skipped" in resumed.stdout
    found = read_sweep(sweep)
    assert found["file"].nunique() == 400 and found.files_scanned == 401
    expected = phidetect.scan(work, workers=1, progress=False)
    pd.testing.assert_frame_equal(_sorted(found), _sorted(expected), check_dtype=False)
    files = pd.concat(pd.read_parquet(p) for p in (sweep / "files").glob("*.parquet"))
    assert not files["file"].duplicated().any()  # no file twice
    assert json.loads((sweep / "summary.json").read_text())["complete"] is True


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM")
def test_sigterm_stops_a_sweep_cleanly_and_says_how_to_resume(tmp_path: Path) -> None:
    work = _copies(tmp_path / "in", 400)
    sweep = tmp_path / "sweep"
    stopped = _kill_after_first_part(_cli(str(work), "--out", str(sweep), "--part-files", "10"), sweep, signal.SIGTERM)
    assert stopped.returncode == 130, stopped.stderr
    assert "--resume" in stopped.stderr
    summary = json.loads((sweep / "summary.json").read_text())
    assert summary["complete"] is False and summary["verdict"].startswith(("FAIL", "INCOMPLETE"))
    assert len(read_sweep(sweep)) > 0


def test_a_resume_with_other_settings_is_refused(files: Path, tmp_path: Path) -> None:
    """One folder must not hold findings made two ways (another confidence floor, OCR on)."""
    scan_to_folder([files], tmp_path / "sweep", workers=1, progress=False, min_confidence=0.3)
    with pytest.raises(SweepFolderError, match="min_confidence=0.3"):
        scan_to_folder([files], tmp_path / "sweep", resume=True, workers=1, progress=False, min_confidence=0.0)
    again = scan_to_folder([files], tmp_path / "sweep", resume=True, workers=1, progress=False, min_confidence=0.3)
    assert again.skipped == 25


def test_a_resumed_summary_counts_what_one_run_counts(files: Path, tmp_path: Path) -> None:
    """The counts of a resumed sweep come from its parts, a part at a time, sources included."""
    one = scan_to_folder([files], tmp_path / "one", workers=1, progress=False)
    scan_to_folder([files], tmp_path / "two", workers=1, progress=False)
    resumed = scan_to_folder([files], tmp_path / "two", resume=True, workers=1, progress=False)
    for name in ("findings", "failing", "files_with_phi", "files_with_errors", "by_source", "by_type"):
        assert getattr(resumed, name) == getattr(one, name), name
