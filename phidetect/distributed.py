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

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from tqdm.auto import tqdm

from phidetect.files import ScanTarget, collect_targets
from phidetect.findings import ErrorKind, errors_frame, findings_frame
from phidetect.ocr_settings import OcrSettings
from phidetect.pipeline import ScanSettings
from phidetect.result import Findings
from phidetect.scan import ChunkResult, _lost, _scan_chunk, scan_settings

#: Files per task: large enough that scheduling costs little, small enough to balance.
DASK_CHUNK_FILES = 32
#: Tasks kept in flight per worker thread: the client holds only their results.
IN_FLIGHT_PER_THREAD = 4


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
                      progress: bool = True, chunk_files: int = DASK_CHUNK_FILES) -> Iterator[ChunkResult]:
    """Like :func:`phidetect.scan.scan_targets`, on the Dask cluster at ``address``; results in
    completion order, a bounded number of tasks in flight."""
    from dask.distributed import as_completed

    work = partial(_scan_chunk, settings=settings)
    bar = tqdm(total=len(targets), unit="file", desc="phidetect scan (dask)", disable=not progress, leave=False)
    with dask_client(address) as client:
        threads = max(1, sum(client.nthreads().values()))
        resources = task_resources(settings, client.scheduler_info().get("workers", {}))
        size = max(1, min(chunk_files, len(targets) // (threads * IN_FLIGHT_PER_THREAD)))  # every worker busy
        pending = iter([targets[i:i + size] for i in range(0, len(targets), size)])
        futures = {}
        for chunk in _take(pending, threads * IN_FLIGHT_PER_THREAD):
            futures[client.submit(work, chunk, pure=False, resources=resources)] = chunk
        flowing = as_completed(list(futures))
        try:
            for future in flowing:
                chunk = futures.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # the task raised or its workers kept dying
                    result = _lost(chunk, ErrorKind.WORKER_DIED, f"the Dask task failed: {type(exc).__name__}: {exc}")
                future.release()
                for more in _take(pending, 1):
                    submitted = client.submit(work, more, pure=False, resources=resources)
                    futures[submitted] = more
                    flowing.add(submitted)
                bar.update(len(result[2]))
                yield result
        finally:
            bar.close()


def task_resources(settings: ScanSettings, workers: dict) -> dict | None:
    """With OCR, tasks go to the workers that declare a GPU (``dask worker --resources
    "GPU=1"``) when any does: the model is loaded there once per worker; header-only work
    runs anywhere."""
    if settings.ocr is None:
        return None
    declared = any(info.get("resources", {}).get("GPU", 0) > 0 for info in workers.values())
    return {"GPU": 1} if declared else None


def _take(items: Iterator, n: int) -> list:
    taken = []
    for item in items:
        taken.append(item)
        if len(taken) >= n:
            break
    return taken


def scan_dask(paths: str | os.PathLike | Iterable[str | os.PathLike], *, min_confidence: float = 0.0,
              address: str = "local", progress: bool = False, ocr: bool | str | OcrSettings = False) -> Findings:
    """Like :func:`phidetect.scan`, on the Dask cluster at ``address`` ("local", "local:N" or a
    scheduler's address). For sweeps too large for one table, ``scan_to_folder(..., dask=...)``."""
    settings = scan_settings(min_confidence, ocr=ocr)
    targets, errors = collect_targets([paths] if isinstance(paths, (str, os.PathLike)) else paths)
    findings = []
    for found, problems, _ in scan_targets_dask(targets, settings, address, progress=progress):
        findings += found
        errors += problems
    return Findings.build(findings_frame(findings), errors_frame(errors), len(targets))
