"""Running per-file work in this process or on a process pool, with a progress bar: the
one runner scan and redact share.

A worker process that dies (a codec's segfault or abort, the OOM killer, ``os._exit``)
breaks a ``ProcessPoolExecutor``: every pending future fails with BrokenProcessPool. The
runner keeps at most a small window of items in flight, so only those are suspects; it
starts a fresh pool for the rest, and runs the suspects one at a time in a pool of one
worker, splitting a chunk into its files when it dies there, so only the culprit costs a
row (``lost(item, ErrorKind.WORKER_DIED, message)``) and the sweep goes on. Pools stay
warm between runs of one process (their workers keep the imported package and the OCR
model), so isolating OCR in a worker costs its start once, not once a call.
"""

from __future__ import annotations

import atexit
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from tqdm.auto import tqdm

from phidetect.boundary import describe
from phidetect.findings import ErrorKind

Item = TypeVar("Item")
Result = TypeVar("Result")
#: Makes the result of an item whose work did not come back: (item, kind, message) -> result.
Lost = Callable[[Item, ErrorKind, str], Result]

#: Items in flight per worker: enough to keep workers busy, few enough that a death
#: leaves few suspects to run again one by one.
IN_FLIGHT_PER_WORKER = 2
#: Seconds added to the time limit of the first item a new worker process takes: its
#: start (importing the package; with OCR, loading the model) is not the file's fault.
STARTUP_GRACE = 120.0


#: Modules the fork server imports once, so that a worker starts with them loaded instead
#: of importing the package and its name lists again (about a second per worker); none
#: loads torch or OpenCV.
PRELOAD = ["phidetect.worker_start"]
#: This worker's share of the cores, set by :func:`init_worker` (0 in the parent).
WORKER_THREADS = 0


#: Modules a forked worker must not inherit from its parent: they hold thread pools whose
#: locks a forked child can never release.
FORK_UNSAFE = ("torch", "cv2")


def can_fork() -> bool:
    """Whether a worker may be a plain fork of this process, which costs milliseconds and
    inherits the imported package and its built registry: on Linux only (macOS frameworks
    do not survive a fork), with no other thread running and neither torch nor OpenCV
    loaded here (a header sweep from the command line; a notebook before any OCR)."""
    return (sys.platform.startswith("linux") and threading.active_count() == 1
            and not any(name in sys.modules for name in FORK_UNSAFE)
            and "fork" in multiprocessing.get_all_start_methods())


def process_context() -> multiprocessing.context.BaseContext:
    """Workers are forks of this process where :func:`can_fork` allows; else they start
    from a clean server process that has imported the scan (:data:`PRELOAD`), nothing
    heavier, so no torch or OpenCV lock is ever inherited."""
    if can_fork():
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def init_worker(threads: int) -> None:
    """Each worker process gets its share of the cores for OCR's thread pools. A header-only
    worker never imports torch or OpenCV for it: torch reads OMP_NUM_THREADS when the OCR
    engine loads it, and :func:`limit_threads` sets what is loaded by then."""
    global WORKER_THREADS
    WORKER_THREADS = threads
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, str(threads))
    limit_threads()


def limit_threads() -> None:
    """Give cv2 and torch, where this worker has loaded them, its share of the cores (the OCR
    engines call it once they are loaded)."""
    if not WORKER_THREADS:
        return
    if "cv2" in sys.modules:
        sys.modules["cv2"].setNumThreads(WORKER_THREADS)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(WORKER_THREADS)


def worker_count(requested: int | None, items: int, per_worker: int) -> int:
    """Processes to start: as asked (default all cores), but no more than one per
    ``per_worker`` items (fewer are not worth a process's start)."""
    cores = os.cpu_count() or 1
    return max(1, min(max(1, requested or cores), max(1, items // per_worker)))


#: Pools kept warm between runs of this process, by worker count: a worker that has
#: imported the package and loaded the OCR model serves the next run at once (a notebook's
#: next cell, verify after redact, a test suite). Retired when broken or stopped.
_warm: dict[int, ProcessPoolExecutor] = {}


def _warm_pool(workers: int) -> tuple[ProcessPoolExecutor, bool]:
    """(a pool of ``workers`` processes, whether it is new)."""
    pool = _warm.get(workers)
    if pool is not None and not getattr(pool, "_broken", False) and not getattr(pool, "_shutdown_thread", False):
        return pool, False
    pool = _warm[workers] = _executor(workers)
    return pool, True


def _retire(pool: ProcessPoolExecutor) -> None:
    for workers, warm in list(_warm.items()):
        if warm is pool:
            del _warm[workers]
    pool.shutdown(wait=False, cancel_futures=True)


@atexit.register
def _close_warm_pools() -> None:
    for pool in list(_warm.values()):
        pool.shutdown(wait=False, cancel_futures=True)
    _warm.clear()


def _executor(workers: int) -> ProcessPoolExecutor:
    threads = max(1, (os.cpu_count() or 1) // workers)
    context = process_context()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=init_worker, initargs=(threads,))
    if context.get_start_method() == "fork":
        pool.submit(os.getpid)  # forks every worker now, before the pool's own thread starts
    return pool


def _death(pool: ProcessPoolExecutor) -> str:
    """What is known of a worker's death: its exit status or signal when the pool kept it."""
    processes = getattr(pool, "_processes", None) or {}  # CPython's private map; empty when gone
    codes = [p.exitcode for p in list(processes.values()) if p.exitcode not in (None, 0)]
    if not codes:
        return "the worker process died (a crash in a decoder, or killed: out of memory?)"
    code = codes[0]
    if code < 0:
        try:
            return f"the worker process was killed by {signal.Signals(-code).name} (a crash in a decoder, or out of memory)"
        except ValueError:
            pass
    return f"the worker process died with exit status {code}"


def _lost(lost: Lost | None, item: Item, kind: ErrorKind, message: str, exc: BaseException) -> Result:
    if lost is None:
        raise exc
    return lost(item, kind, message)


def _kill(pool: ProcessPoolExecutor) -> None:
    """End a pool whose work ran past its time: its processes are killed, not waited for."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):  # CPython's private map
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _overdue(limit: float | None) -> str:
    return f"ran past the per-file time limit of {limit:g} s; its worker was stopped"


def _one_by_one(work: Callable[[Item], Result], items: Iterable[Item], lost: Lost | None,
                split: Callable[[Item], list[Item]] | None, limit: float | None,
                weight: Callable[[Item], int], grace: float) -> Iterator[Result]:
    """Each item alone in a pool of one worker: a death or an overrun names its item; a
    dying or overrunning chunk is split into its files, which are run one by one in turn."""
    queue = deque(items)
    pool: ProcessPoolExecutor | None = None
    try:
        while queue:
            item = queue.popleft()
            fresh = pool is None
            pool = pool or _executor(1)
            try:
                allowed = None if limit is None else limit * weight(item) + (grace if fresh else 0.0)
                result = pool.submit(work, item).result(timeout=allowed)
            except (BrokenProcessPool, FutureTimeout) as exc:
                timed_out = isinstance(exc, FutureTimeout)
                message = _overdue(limit) if timed_out else _death(pool)
                _kill(pool) if timed_out else pool.shutdown(wait=True, cancel_futures=True)
                pool = None
                parts = split(item) if split is not None else [item]
                if len(parts) > 1:
                    queue.extendleft(reversed(parts))
                    continue
                yield _lost(lost, item, ErrorKind.TIMEOUT if timed_out else ErrorKind.WORKER_DIED, message, exc)
                continue
            except Exception as exc:  # the work raised past its own guard, or its result would not pickle
                yield _lost(lost, item, ErrorKind.CRASH, f"the work on the file failed: {describe(exc)}", exc)
                continue
            yield result
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _pooled(work: Callable[[Item], Result], items: Iterable[Item], workers: int, lost: Lost | None,
            split: Callable[[Item], list[Item]] | None, limit: float | None,
            weight: Callable[[Item], int], grace: float, started: bool) -> Iterator[Result]:
    """``work`` on ``workers`` processes, replacing the pool whenever a worker dies or an
    item runs past ``limit`` seconds (per unit of ``weight``). With a limit, one item is
    in flight per worker, so an item's clock starts about when its work does."""
    source = iter(items)
    retry: deque[Item] = deque()   # in flight when the pool was stopped for another item's overrun
    window = workers if limit is not None else workers * IN_FLIGHT_PER_WORKER
    exhausted = False
    while True:
        suspects: list[Item] = []
        overrun: list[Item] = []
        pool, fresh = _warm_pool(workers)
        fresh, started = fresh or started, False   # ``started``: the caller made the pool just now
        in_flight: dict[Future, tuple[Item, float]] = {}
        stopped, submitted = False, 0 if fresh else workers   # a warm pool's workers have started
        try:
            while not stopped:
                while len(in_flight) < window and (retry or not exhausted):
                    item = retry.popleft() if retry else next(source, _END)
                    if item is _END:
                        exhausted = True
                        break
                    deadline = math.inf
                    if limit is not None:  # the first item of each new worker is allowed its start
                        deadline = time.monotonic() + limit * weight(item) + (grace if submitted < workers else 0.0)
                    try:
                        in_flight[pool.submit(work, item)] = (item, deadline)
                    except BrokenProcessPool:  # a worker died since the last wait: not this item's doing
                        retry.appendleft(item)
                        stopped = True
                        break
                    submitted += 1
                if stopped or not in_flight:
                    break
                wait_for = None if limit is None else max(0.0, min(d for _, d in in_flight.values()) - time.monotonic())
                done, _ = wait(in_flight, timeout=wait_for, return_when=FIRST_COMPLETED)
                for future in done:
                    item, _ = in_flight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append(item)
                        stopped = True
                        continue
                    except Exception as exc:
                        yield _lost(lost, item, ErrorKind.CRASH, f"the work on the file failed: {describe(exc)}", exc)
                        continue
                    yield result
                if not done and limit is not None:
                    now = time.monotonic()
                    overrun = [item for item, deadline in in_flight.values() if deadline <= now]
                    if overrun:
                        retry.extend(item for item, deadline in in_flight.values() if deadline > now)
                        in_flight.clear()
                        _kill(pool)
                        stopped = True
            for future, (item, _) in in_flight.items():  # after a death: what finished stands, the rest is suspect
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield future.result()
                else:
                    suspects.append(item)
        finally:  # a run abandoned midway leaves no work queued on the warm pool
            for future in in_flight:
                future.cancel()
        if stopped:
            _retire(pool)
        for item in overrun:
            parts = split(item) if split is not None else [item]
            if len(parts) > 1:
                suspects += parts
            else:
                yield _lost(lost, item, ErrorKind.TIMEOUT, _overdue(limit), FutureTimeout())
        if suspects:
            yield from _one_by_one(work, suspects, lost, split, limit, weight, grace)
        if exhausted and not retry:
            break


_END = object()


def run_pool(work: Callable[[Item], Result], items: Iterable[Item], *, workers: int, total: int,
             progress: bool, desc: str, size: Callable[[Result], int] = lambda _: 1,
             lost: Lost | None = None, split: Callable[[Item], list[Item]] | None = None,
             isolate: bool = False, limit: float | None = None,
             weight: Callable[[Item], int] = lambda _: 1, grace: float = STARTUP_GRACE) -> Iterator[Result]:
    """``work(item)`` for every item, in this process (``workers`` 1, unless ``isolate``)
    or on ``workers`` processes, results in completion order; the bar counts
    ``size(result)`` per result (``total`` in all). ``work`` must be picklable (a
    module-level function or a functools.partial of one).

    On processes, an item whose worker died (or whose work raised past its own guard)
    gives ``lost(item, kind, message)`` instead of ending the run (without ``lost``, the
    exception is raised); ``split`` turns a chunk into single items to find the culprit.
    ``isolate``: run in a worker process even with one worker, so that a fault that ends
    its process (python-gdcm's abort on some JPEGs) costs one item, not the caller.
    ``limit``: seconds an item may take per unit of ``weight(item)`` (a chunk: its files)
    on processes; past it the worker is stopped and the item gives
    ``lost(item, ErrorKind.TIMEOUT, message)`` (a chunk is split and its files run again
    one by one); a new worker's first item is allowed ``grace`` seconds more for the
    worker's start. In this process (one worker, not isolated) there is no limit.
    """
    if workers == 1 and not isolate:
        results: Iterator[Result] = (work(item) for item in items)
    else:
        _, started = _warm_pool(workers)  # its workers start before the bar's monitor thread: see can_fork
        results = _pooled(work, items, workers, lost, split, limit, weight, grace, started)
    bar = tqdm(total=total, unit="file", desc=desc, disable=not progress, leave=False)
    try:
        for result in results:
            bar.update(size(result))
            yield result
    finally:
        bar.close()
