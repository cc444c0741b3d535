"""How worker processes start: a cheap fork where nothing unsafe to fork is loaded, a clean
fork server otherwise (torch's and OpenCV's thread pools must never be inherited)."""

from __future__ import annotations

import sys
import threading
import types

import pytest

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
