"""How worker processes start: a cheap fork where nothing unsafe to fork is loaded, a clean
fork server otherwise (torch's and OpenCV's thread pools must never be inherited)."""

from __future__ import annotations

import subprocess
import sys
import threading
import types

import pandas as pd
import pytest
from conftest import SAMPLES

import phidetect
from phidetect import pool


@pytest.fixture
def forkable(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as a command-line header sweep sees it: Linux, no OCR stack, one thread."""
    for name in pool.FORK_UNSAFE:
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(pool.sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def test_a_header_sweep_forks_its_workers(forkable: None) -> None:
    assert pool.can_fork()
    assert pool.process_context().get_start_method() == "fork"


@pytest.mark.parametrize("module", pool.FORK_UNSAFE)
def test_a_process_that_loaded_torch_or_opencv_never_forks(forkable: None, monkeypatch: pytest.MonkeyPatch,
                                                           module: str) -> None:
    monkeypatch.setitem(sys.modules, module, types.ModuleType(module))
    assert not pool.can_fork()
    assert pool.process_context().get_start_method() in ("forkserver", "spawn")


def test_a_process_with_other_threads_never_forks(forkable: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not pool.can_fork()


def test_macos_and_windows_never_fork(forkable: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool.sys, "platform", "darwin")
    assert not pool.can_fork()


_FORKED_SCAN = """
import sys
import phidetect
from phidetect import pool
folder, out = sys.argv[1], sys.argv[2]
assert pool.can_fork(), "a fresh header-only process should fork its workers"
found = phidetect.scan(folder, workers=2, progress=False)
found.to_parquet(out)
"""


def test_forked_workers_find_what_one_process_finds(tmp_path) -> None:
    """End to end in a fresh process (this test process may have loaded torch): a header
    sweep on forked workers gives the table a scan in one process gives."""
    folder = tmp_path / "in"
    folder.mkdir()
    sources = [SAMPLES / "0_ORIGINAL_no_pixels.dcm", SAMPLES / "2_ORIGINAL.dcm"]
    for index in range(40):  # enough files for two workers
        source = sources[index % 2]
        (folder / f"{index:03d}_{source.name}").write_bytes(source.read_bytes())
    out = tmp_path / "forked.parquet"
    subprocess.run([sys.executable, "-c", _FORKED_SCAN, str(folder), str(out)], check=True)
    alone = phidetect.scan(folder, workers=1, progress=False)
    forked = pd.read_parquet(out)
    assert len(alone) > 0
    pd.testing.assert_frame_equal(forked.reset_index(drop=True), pd.DataFrame(alone).reset_index(drop=True),
                                  check_dtype=False)
