"""Scanning: one data set, one file, or many files on a process pool with progress.

Bad files never stop a batch: each becomes a row of the errors table, named and
explained. Inputs are only ever opened for reading. What is done to one data set is
phidetect.pipeline's; this module reads files and runs them.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from pydicom.dataset import Dataset

from phidetect.boundary import PASS_THROUGH, fault
from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.files import ScanTarget, collect_targets
from phidetect.findings import ErrorKind, FileError, Finding, errors_frame, findings_frame
from phidetect.limits import file_timeout as file_timeout_for
from phidetect.ocr_settings import OcrSettings, ocr_settings
from phidetect.pipeline import ScanSettings, analyse_dataset, check_reading
from phidetect.pool import run_pool, worker_count
from phidetect.result import Findings
from phidetect.text.recognizer import Registry

#: Fewer files than this per worker are not worth starting processes for: with OCR a file
#: takes seconds; headers only, a file takes milliseconds and a pool's start (its fork
#: server, about a second) pays off from a few hundred files per worker.
MIN_FILES_PER_WORKER = 8
MIN_HEADER_FILES_PER_WORKER = 200


@contextmanager
def quiet_pydicom() -> Iterator[None]:
    """pydicom warns about every non-conformant value; a sweep of thousands of files would
    drown its own report, so warnings are silenced while a file is read and walked."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def scan_dataset(dataset: Dataset, *, file: str = "", registry: Registry | None = None,
                 min_confidence: float = 0.0, ocr: bool | str | OcrSettings = False) -> Findings:
    """Findings for an in-memory pydicom Dataset (header; pixels too with ``ocr``)."""
    settings = ScanSettings(min_confidence, registry, ocr_settings(ocr))
    with quiet_pydicom():
        analysis = analyse_dataset(dataset, file, settings)  # never raises for a bad data set
    return Findings.build(findings_frame(analysis.findings), errors_frame(analysis.errors), 1)


def scan_file(path: str | os.PathLike, *, file: str | None = None, registry: Registry | None = None,
              min_confidence: float = 0.0, ocr: bool | str | OcrSettings = False) -> tuple[list[Finding], list[FileError]]:
    """(findings, errors) for one file; never raises for a bad file."""
    settings = ScanSettings(min_confidence, registry, ocr_settings(ocr))
    with quiet_pydicom():
        return _scan_path(path, str(path) if file is None else file, settings)


def _scan_path(path: str | os.PathLike, display: str,
               settings: ScanSettings) -> tuple[list[Finding], list[FileError]]:
    """The file boundary of a scan (phidetect.boundary): never raises for a bad file."""
    return _examine(path, display, settings)[:2]


def _examine(path: str | os.PathLike, display: str,
             settings: ScanSettings) -> tuple[list[Finding], list[FileError], str]:
    """(findings, errors, modality) of one file; never raises for a bad file."""
    damage: list[DicomReadError] = []
    try:
        dataset = read_dicom(path, headers_only=settings.ocr is None, problems=damage)
    except DicomReadError as exc:
        return [], [FileError(display, exc.kind, str(exc))], ""
    except PASS_THROUGH:
        raise
    except BaseException as exc:
        return [], [fault(display, ErrorKind.READ, exc, "cannot read")], ""
    errors = [FileError(display, d.kind, str(d)) for d in damage]  # read anyway: PHI must not hide
    modality = _modality(dataset)
    try:
        analysis = analyse_dataset(dataset, display, settings)
    except PASS_THROUGH:
        raise
    except BaseException as exc:  # analyse_dataset guards itself; this is the last line
        return [], [*errors, fault(display, ErrorKind.SCAN, exc, "could not scan")], modality
    return analysis.findings, errors + analysis.errors, modality


#: (0008,0060) Modality.
MODALITY = 0x00080060


def _modality(dataset) -> str:
    """Modality as written (CT, MR, US...), for a sweep's counts; "" where absent or unreadable.
    Read from the raw bytes where it is still raw: converting it costs a tenth of a read."""
    try:
        raw = dataset.get_item(MODALITY)
        value = getattr(raw, "value", None)
        if isinstance(value, bytes):
            return value.decode("ascii", "replace").strip(" \x00")[:16]
        return str(value or "").strip()[:16]
    except Exception:  # a fuzzed Modality is the walk's to report, not this count's
        return ""


@dataclass(frozen=True)
class FileDone:
    """One examined file, a row of a sweep folder's files table: what it was when read (size,
    mtime: how a resumed sweep knows it is unchanged), what came of it, and how long it took."""

    file: str
    size: int
    mtime_ns: int
    findings: int
    seconds: float
    status: str  # "ok", or the kind of its first error
    modality: str = ""  # (0008,0060) as read; "" when the file could not be read


def _file_done(target: ScanTarget, found: list[Finding], problems: list[FileError], seconds: float,
               modality: str = "") -> FileDone:
    try:
        info = os.stat(target.path)
        size, mtime = info.st_size, info.st_mtime_ns
    except OSError:
        size, mtime = -1, -1
    status = problems[0].kind.value if problems else "ok"
    return FileDone(target.display, size, mtime, len(found), round(seconds, 4), status, modality)


#: What scanning a chunk of files gives: findings, error rows, one FileDone per file.
ChunkResult = tuple[list[Finding], list[FileError], list[FileDone]]


def _scan_chunk(chunk: list[ScanTarget], settings: ScanSettings) -> ChunkResult:
    findings: list[Finding] = []
    errors: list[FileError] = []
    done: list[FileDone] = []
    with quiet_pydicom():
        for target in chunk:
            started = time.perf_counter()
            found, problems, modality = _examine(target.path, target.display, settings)
            findings += found
            errors += problems
            done.append(_file_done(target, found, problems, time.perf_counter() - started, modality))
    return findings, errors, done


def _one_each(chunk: list[ScanTarget]) -> list[list[ScanTarget]]:
    return [[target] for target in chunk]


def _lost(chunk: list[ScanTarget], kind: ErrorKind, message: str) -> ChunkResult:
    """The result of a chunk whose worker died: one error row per file, no findings."""
    errors = [FileError(target.display, kind, message) for target in chunk]
    return [], errors, [_file_done(target, [], [error], 0.0) for target, error in zip(chunk, errors, strict=True)]


def _chunks(items: list[ScanTarget], size: int) -> Iterator[list[ScanTarget]]:
    for index in range(0, len(items), size):
        yield items[index:index + size]


def scan(paths: str | os.PathLike | Iterable[str | os.PathLike], *, workers: int | None = None,
         min_confidence: float = 0.0, progress: bool = True, registry: Registry | None = None,
         ocr: bool | str | OcrSettings = False, file_timeout: float | None = None) -> Findings:
    """Scan files and folders (recursively) for PHI in headers, and with ``ocr`` in the pixels.

    Returns a :class:`~phidetect.result.Findings` DataFrame, one row per finding, sorted by
    file then tag_path; files that could not be read are in ``result.errors``.
    ``workers``: processes (default: all cores; 1 runs in this process). ``ocr``: True for
    easyocr, an engine name ("easyocr", "tesseract"), or OcrSettings; with OCR, files are read
    in worker processes even with ``workers=1``, so that a decoder that aborts its process
    costs one error row (kind "worker died"), as does any worker that dies. A missing OCR engine or
    model raises ``phidetect.ocr.engine.OcrUnavailable``, and options the engine cannot
    carry out (thorough reading with tesseract) ValueError, before any file is read.
    ``file_timeout``: seconds one file may take on a worker process before it becomes an
    error row of kind "timeout" and its worker is replaced (default: 60 headers only, 1800
    with OCR, phidetect.limits; 0: no limit; a scan in this process has none).
    """
    settings = scan_settings(min_confidence, registry, ocr)
    targets, errors = collect_targets([paths] if isinstance(paths, (str, os.PathLike)) else paths)
    findings: list[Finding] = []
    for found, problems, _ in scan_targets(targets, settings, workers=workers, progress=progress,
                                           file_timeout=file_timeout):
        findings += found
        errors += problems
    return Findings.build(findings_frame(findings), errors_frame(errors), len(targets))


def scan_settings(min_confidence: float = 0.0, registry: Registry | None = None,
                  ocr: bool | str | OcrSettings = False) -> ScanSettings:
    """The settings of a scan, the OCR engine checked before any file is read: a missing
    engine or model raises OcrUnavailable, options it cannot carry out ValueError."""
    settings = ScanSettings(min_confidence, registry, ocr_settings(ocr))
    if settings.ocr is not None:
        check_reading(settings.ocr)
    return settings


def scan_targets(targets: list[ScanTarget], settings: ScanSettings, *, workers: int | None = None,
                 progress: bool = True, file_timeout: float | None = None) -> Iterator[ChunkResult]:
    """Scan ``targets``, yielding each chunk's (findings, errors, files done) as it completes:
    :func:`scan` gathers them, a sweep folder writes them as they come."""
    with_ocr = settings.ocr is not None
    per_worker = 1 if with_ocr else MIN_HEADER_FILES_PER_WORKER if workers is None else MIN_FILES_PER_WORKER
    workers = worker_count(workers, len(targets), per_worker)
    if workers == 1:
        chunk_size = 1 if with_ocr else 16
    else:
        chunk_size = 1 if with_ocr else max(1, min(16, len(targets) // (workers * 8)))
    # with OCR even one worker is a process of its own: a decoder that aborts (python-gdcm)
    # then costs its file a "worker died" row, not the sweep
    yield from run_pool(partial(_scan_chunk, settings=settings), _chunks(targets, chunk_size),
                        workers=workers, total=len(targets), progress=progress,
                        desc="phidetect scan", size=lambda result: len(result[2]),
                        lost=_lost, split=_one_each, isolate=with_ocr,
                        limit=file_timeout_for(file_timeout, with_ocr), weight=len)
