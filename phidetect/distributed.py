"""Scanning on Dask, for sweeps larger than one machine.

The same per-chunk work as the local pool (``phidetect.scan._scan_chunk``) submitted to a
``dask.distributed`` cluster: an existing scheduler (``tcp://host:8786``) or a
``LocalCluster`` started here. Results come back chunk by chunk as they complete, so a
sweep folder writes them as they arrive and the client never gathers the whole table. The
paths must be visible to the workers (a shared file system). A chunk whose work fails on a
worker (the worker died, the task raised) becomes error rows of its files, as on the local
pool; Dask itself retries a task whose worker was lost.
"""

from __future__ import annotations

import math
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from tqdm.auto import tqdm

from phidetect.files import ScanTarget, collect_targets
from phidetect.findings import ErrorKind, errors_frame, findings_frame
from phidetect.limits import file_timeout as file_timeout_for
from phidetect.ocr_settings import OcrSettings
from phidetect.pipeline import ScanSettings
from phidetect.pool import STARTUP_GRACE, _overdue
from phidetect.result import Findings
from phidetect.scan import ChunkResult, _lost, _scan_chunk, scan_settings
from phidetect.text.recognizer import Registry

#: Files per task: large enough that scheduling costs little, small enough to balance.
DASK_CHUNK_FILES = 32
#: Tasks kept in flight per worker thread: the client holds only their results.
IN_FLIGHT_PER_THREAD = 4
#: How often the client looks for tasks past their time limit.
POLL_SECONDS = 1.0
#: Seconds more for the first tasks of a header-only sweep: a new worker imports the scan
#: (with OCR: phidetect.pool.STARTUP_GRACE, for the model).
HEADER_STARTUP_GRACE = 15.0


def _client(address: str):
    """A distributed Client for ``address``: "local" / "local:N" start a LocalCluster of N
    worker processes (default: the cores), anything else is a scheduler's address."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # an optional extra: say how to get it
        raise ImportError("--dask needs dask.distributed: pip install 'phidetect[scale]'") from exc
    if address == "local" or address.startswith("local:"):
        workers = int(address.split(":", 1)[1]) if ":" in address else (os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    return Client(address), None


@contextmanager
def dask_client(address: str):
    client, cluster = _client(address)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def scan_targets_dask(targets: list[ScanTarget], settings: ScanSettings, address: str, *,
                      progress: bool = True, chunk_files: int = DASK_CHUNK_FILES,
                      file_timeout: float | None = None) -> Iterator[ChunkResult]:
    """Like :func:`phidetect.scan.scan_targets`, on the Dask cluster at ``address``; results in
    completion order, a bounded number of tasks in flight. ``file_timeout`` as the local
    pool's (default 60 s headers only, 1800 s with OCR; 0: none): a task past its files'
    time has its worker restarted, a chunk is run again file by file, and the file that
    overruns alone becomes a "timeout" error row."""
    limit = file_timeout_for(file_timeout, settings.ocr is not None)
    bar = tqdm(total=len(targets), unit="file", desc="phidetect scan (dask)", disable=not progress, leave=False)
    with dask_client(address) as client:
        threads = max(1, sum(client.nthreads().values()))
        flight = threads if limit else threads * IN_FLIGHT_PER_THREAD  # with a limit, a task's clock starts with it
        size = max(1, min(chunk_files, len(targets) // flight))  # every worker busy
        run = _DaskRun(client, partial(_scan_chunk, settings=settings), limit,
                       task_resources(settings, client.scheduler_info().get("workers", {})),
                       STARTUP_GRACE if settings.ocr is not None else HEADER_STARTUP_GRACE)
        try:
            yield from run.results([targets[i:i + size] for i in range(0, len(targets), size)], flight, bar)
        finally:
            bar.close()


class _DaskRun:
    """Chunks in flight on a Dask cluster, each with its deadline."""

    def __init__(self, client, work, limit: float | None, resources: dict | None, grace: float) -> None:
        self.client, self.work, self.limit, self.resources, self.grace = client, work, limit, resources, grace
        self.running: dict = {}  # future -> (chunk, deadline)
        self.warm = False  # a result came back: the workers have imported what the work needs

    def _submit(self, chunk: list[ScanTarget]) -> None:
        grace = 0.0 if self.warm else self.grace
        deadline = math.inf if not self.limit else time.monotonic() + self.limit * len(chunk) + grace
        self.running[self.client.submit(self.work, chunk, pure=False, resources=self.resources)] = (chunk, deadline)

    def results(self, chunks: list[list[ScanTarget]], flight: int, bar) -> Iterator[ChunkResult]:
        from dask.distributed import wait

        queue = deque(chunks)
        while queue or self.running:
            while queue and len(self.running) < flight:
                self._submit(queue.popleft())
            try:
                done, _ = wait(list(self.running), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
            except TimeoutError:  # none finished this second: look for overruns
                done = set()
            for future in done:
                self.warm = True
                chunk, _ = self.running.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # the task raised or its workers kept dying
                    result = _lost(chunk, ErrorKind.WORKER_DIED, f"the Dask task failed: {type(exc).__name__}: {exc}")
                future.release()
                bar.update(len(result[2]))
                yield result
            for lost in self._overdue(queue):
                bar.update(len(lost[2]))
                yield lost

    def _overdue(self, queue: deque) -> Iterator[ChunkResult]:
        """Tasks past their deadline: their workers restarted, chunks split, single files lost."""
        now = time.monotonic()
        late = [(f, chunk) for f, (chunk, deadline) in self.running.items() if now > deadline]
        if not late:
            return
        processing = self.client.processing()
        keys = {f.key for f, _ in late}
        stuck = [worker for worker, tasks in processing.items() if keys & set(tasks)]
        for future, chunk in late:
            del self.running[future]
            future.cancel()
            if len(chunk) > 1:
                queue.extendleft([[target] for target in reversed(chunk)])
            else:
                yield _lost(chunk, ErrorKind.TIMEOUT, _overdue(self.limit))
        if stuck:
            self.client.restart_workers(stuck)
            self.warm = False  # a restarted worker imports the scan again: the next tasks get the grace


def task_resources(settings: ScanSettings, workers: dict) -> dict | None:
    """With OCR, tasks go to the workers that declare a GPU (``dask worker --resources
    "GPU=1"``) when any does: the model is loaded there once per worker; header-only work,
    and OCR asked to run on the CPU (``--device cpu``), runs anywhere."""
    if settings.ocr is None or settings.ocr.device == "cpu":
        return None
    declared = any(info.get("resources", {}).get("GPU", 0) > 0 for info in workers.values())
    return {"GPU": 1} if declared else None


def scan_dask(paths: str | os.PathLike | Iterable[str | os.PathLike], *, min_confidence: float = 0.0,
              address: str = "local", progress: bool = False, ocr: bool | str | OcrSettings = False,
              registry: Registry | None = None, file_timeout: float | None = None) -> Findings:
    """Like :func:`phidetect.scan`, on the Dask cluster at ``address`` ("local", "local:N" or a
    scheduler's address). For sweeps too large for one table, ``scan_to_folder(..., dask=...)``."""
    settings = scan_settings(min_confidence, registry, ocr)
    targets, errors = collect_targets([paths] if isinstance(paths, (str, os.PathLike)) else paths)
    findings = []
    for found, problems, _ in scan_targets_dask(targets, settings, address, progress=progress,
                                                file_timeout=file_timeout):
        findings += found
        errors += problems
    return Findings.build(findings_frame(findings), errors_frame(errors), len(targets))
