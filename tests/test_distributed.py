"""scan_dask gives the same table as the process-pool scan."""

from pathlib import Path

import pandas as pd

import phidetect

SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"


def test_scan_dask_matches_scan() -> None:
    local = phidetect.scan(SAMPLES, workers=1, progress=False)
    dasked = phidetect.scan_dask(SAMPLES, scheduler="synchronous", partition_size=2)
    pd.testing.assert_frame_equal(pd.DataFrame(local), pd.DataFrame(dasked))
    assert list(dasked.errors["file"]) == list(local.errors["file"])
    assert dasked.files_scanned == local.files_scanned == 6
    assert (dasked["text"] == "Douglas Davidson").any()
