"""Running per-file work in this process or on a process pool, with a progress bar: the
one runner scan and redact share."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

from tqdm.auto import tqdm

Item = TypeVar("Item")
Result = TypeVar("Result")


def process_context() -> multiprocessing.context.BaseContext:
    """Workers start from a clean server process, not a fork of this one: a process that has
    loaded torch or OpenCV holds thread pools whose locks a forked child can never release."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def init_worker(threads: int) -> None:
    """Each worker process gets its share of the cores for OCR's own thread pools."""
    try:
        import cv2
        cv2.setNumThreads(threads)
    except ImportError:
        pass
    if "torch" in sys.modules or importlib.util.find_spec("torch") is not None:
        import torch
        torch.set_num_threads(threads)


def worker_count(requested: int | None, items: int, per_worker: int) -> int:
    """Processes to start: as asked (default all cores), but no more than one per
    ``per_worker`` items (fewer are not worth a process's start)."""
    cores = os.cpu_count() or 1
    return max(1, min(max(1, requested or cores), max(1, items // per_worker)))


def run_pool(work: Callable[[Item], Result], items: Iterable[Item], *, workers: int, total: int,
             progress: bool, desc: str, size: Callable[[Result], int] = lambda _: 1) -> Iterator[Result]:
    """``work(item)`` for every item, in this process (``workers`` 1) or on ``workers``
    processes, results in completion order; the bar counts ``size(result)`` per result
    (``total`` in all). ``work`` must be picklable (a module-level function or a
    functools.partial of one)."""
    bar = tqdm(total=total, unit="file", desc=desc, disable=not progress, leave=False)
    try:
        if workers == 1:
            for item in items:
                result = work(item)
                bar.update(size(result))
                yield result
            return
        threads = max(1, (os.cpu_count() or 1) // workers)
        with ProcessPoolExecutor(max_workers=workers, mp_context=process_context(),
                                 initializer=init_worker, initargs=(threads,)) as pool:
            futures = [pool.submit(work, item) for item in items]
            for future in as_completed(futures):
                result = future.result()
                bar.update(size(result))
                yield result
    finally:
        bar.close()
