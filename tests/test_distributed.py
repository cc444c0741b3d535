"""scan_dask gives the same table as the process-pool scan."""

from pathlib import Path

import pandas as pd

import phidetect

SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"


def test_scan_dask_matches_scan() -> None:
    local = phidetect.scan(SAMPLES, workers=1, progress=False)
    dasked = phidetect.scan_dask(SAMPLES, address="local:2")
    pd.testing.assert_frame_equal(pd.DataFrame(local), pd.DataFrame(dasked))
    assert list(dasked.errors["file"]) == list(local.errors["file"])
    assert dasked.files_scanned == local.files_scanned == 6
    assert (dasked["text"] == "Douglas Davidson").any()


def test_a_sweep_on_a_local_dask_cluster_equals_the_local_pool(tmp_path: Path) -> None:
    """``phidetect scan --dask local:2 --out FOLDER``: the same findings, streamed to parts."""
    import subprocess
    import sys

    from phidetect.sweep import committed_parts, read_sweep

    sweep = tmp_path / "sweep"
    done = subprocess.run([sys.executable, "-m", "phidetect", "scan", str(SAMPLES), "--out", str(sweep),
                           "--dask", "local:2", "--part-files", "2", "--no-progress"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # PHI found
    local = phidetect.scan(SAMPLES, workers=1, progress=False)
    found = read_sweep(sweep)
    key = ["file", "tag_path", "start", "rule"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(found)[list(phidetect.COLUMNS)].sort_values(key).reset_index(drop=True),
        pd.DataFrame(local)[list(phidetect.COLUMNS)].sort_values(key).reset_index(drop=True), check_dtype=False)
    assert list(found.errors["file"]) == list(local.errors["file"])
    assert len(committed_parts(sweep)) >= 2


def test_ocr_tasks_go_to_workers_that_declare_a_gpu() -> None:
    from phidetect.distributed import task_resources
    from phidetect.ocr_settings import OcrSettings
    from phidetect.pipeline import ScanSettings

    gpu = {"tcp://a": {"resources": {"GPU": 1}}, "tcp://b": {"resources": {}}}
    cpu_only = {"tcp://b": {"resources": {}}}
    with_ocr = ScanSettings(0.0, None, OcrSettings("easyocr"))
    assert task_resources(with_ocr, gpu) == {"GPU": 1}
    assert task_resources(with_ocr, cpu_only) is None
    assert task_resources(ScanSettings(0.0, None, None), gpu) is None  # headers run anywhere
