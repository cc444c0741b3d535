"""Scanning: one data set, one file, or many files on a process pool with progress.

Bad files never stop a batch: each becomes a row of the errors table, named and
explained. Inputs are only ever opened for reading.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache

from pydicom.dataset import Dataset
from tqdm.auto import tqdm

from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.files import ScanTarget, collect_targets
from phidetect.findings import FileError, Finding, errors_frame, findings_frame
from phidetect.header import header_findings
from phidetect.result import Findings
from phidetect.text.recognizer import Registry
from phidetect.text.registry import default_registry

#: Fewer files than this per worker are not worth starting processes for.
MIN_FILES_PER_WORKER = 8


@lru_cache(maxsize=1)
def _shared_registry() -> Registry:
    return default_registry()


@contextmanager
def _quiet_pydicom() -> Iterator[None]:
    """pydicom warns about every non-conformant value; a sweep of thousands of files would
    drown its own report, so warnings are silenced while a file is read and walked."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def scan_dataset(dataset: Dataset, *, file: str = "", registry: Registry | None = None,
                 min_confidence: float = 0.0) -> Findings:
    """Findings for an in-memory pydicom Dataset (header only)."""
    errors: list[str] = []
    with _quiet_pydicom():
        found = header_findings(dataset, file, registry or _shared_registry(), errors)
    kept = [f for f in found if f.confidence >= min_confidence]
    return Findings.build(findings_frame(kept), errors_frame([FileError(file, e) for e in errors]), 1)


def scan_file(path: str | os.PathLike, *, file: str | None = None, registry: Registry | None = None,
              min_confidence: float = 0.0) -> tuple[list[Finding], list[FileError]]:
    """(findings, errors) for one file; never raises for a bad file."""
    with _quiet_pydicom():
        return _scan_path(path, str(path) if file is None else file, registry or _shared_registry(),
                          min_confidence)


def _scan_path(path: str | os.PathLike, display: str, registry: Registry,
               min_confidence: float) -> tuple[list[Finding], list[FileError]]:
    element_errors: list[str] = []
    try:
        dataset = read_dicom(path, headers_only=True)
    except DicomReadError as exc:
        return [], [FileError(display, str(exc))]
    try:
        found = header_findings(dataset, display, registry, element_errors)
    except Exception as exc:  # a file pydicom reads but cannot walk: report, go on
        return [], [FileError(display, f"could not scan: {type(exc).__name__}: {exc}")]
    kept = [f for f in found if f.confidence >= min_confidence]
    return kept, [FileError(display, e) for e in element_errors]


def _scan_chunk(chunk: list[ScanTarget], min_confidence: float,
                registry: Registry | None) -> tuple[list[Finding], list[FileError], int]:
    findings: list[Finding] = []
    errors: list[FileError] = []
    registry = registry or _shared_registry()
    with _quiet_pydicom():
        for target in chunk:
            found, problems = _scan_path(target.path, target.display, registry, min_confidence)
            findings += found
            errors += problems
    return findings, errors, len(chunk)


def _chunks(items: list[ScanTarget], size: int) -> Iterator[list[ScanTarget]]:
    for index in range(0, len(items), size):
        yield items[index:index + size]


def scan(paths: str | os.PathLike | Iterable[str | os.PathLike], *, workers: int | None = None,
         min_confidence: float = 0.0, progress: bool = True, registry: Registry | None = None) -> Findings:
    """Scan files and folders (recursively) for header PHI.

    Returns a :class:`~phidetect.result.Findings` DataFrame, one row per finding, sorted by
    file then tag_path; files that could not be read are in ``result.errors``.
    ``workers``: processes (default: all cores; 1 runs in this process).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    targets, problems = collect_targets(paths)
    errors = [FileError(path, message) for path, message in problems]
    findings: list[Finding] = []
    workers = max(1, workers or os.cpu_count() or 1)
    workers = min(workers, max(1, len(targets) // MIN_FILES_PER_WORKER))
    bar = tqdm(total=len(targets), unit="file", desc="phidetect scan", disable=not progress, leave=False)
    try:
        if workers == 1:
            for chunk in _chunks(targets, 16):
                found, problems_, done = _scan_chunk(chunk, min_confidence, registry)
                findings += found
                errors += problems_
                bar.update(done)
        else:
            chunk_size = max(1, min(64, len(targets) // (workers * 8)))
            with ProcessPoolExecutor(max_workers=workers) as pool:
                jobs = [pool.submit(_scan_chunk, chunk, min_confidence, registry)
                        for chunk in _chunks(targets, chunk_size)]
                for job in jobs:
                    found, problems_, done = job.result()
                    findings += found
                    errors += problems_
                    bar.update(done)
    finally:
        bar.close()
    return Findings.build(findings_frame(findings), errors_frame(errors), len(targets))
