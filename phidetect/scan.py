"""Scanning: one data set, one file, or many files on a process pool with progress.

Bad files never stop a batch: each becomes a row of the errors table, named and
explained. Inputs are only ever opened for reading.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import sys
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from pydicom.dataset import Dataset
from tqdm.auto import tqdm

from phidetect.dicom.elements import ElementProblem
from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.files import ScanTarget, collect_targets
from phidetect.findings import ErrorKind, FileError, Finding, errors_frame, findings_frame
from phidetect.header import analyse_header
from phidetect.ocr_settings import OcrSettings
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


@dataclass(frozen=True)
class ScanSettings:
    """Everything a worker process needs to scan a file the way the caller asked."""

    min_confidence: float = 0.0
    registry: Registry | None = None
    ocr: OcrSettings | None = None


def _ocr_findings(dataset: Dataset, display: str, identity, registry: Registry,
                  ocr: OcrSettings, unsafe: list | None = None) -> tuple[list[Finding], list[FileError]]:
    from phidetect.burned_in import STATIC_SAMPLE, pixel_findings, static_reference  # OCR stack only when asked for
    from phidetect.dicom.pixels import PixelDecodeError, display_frames, display_image, frame_count
    from phidetect.dicom.pixels.full_range import full_range_frame

    problems: list[FileError] = []

    def frames_until_failure():
        """Overlays and icon come before the image frames: keep what was read if decoding fails."""
        try:
            yield from display_frames(dataset)
            if ocr.options.full_range and count == 1:
                extra = full_range_frame(dataset)
                if extra is not None:
                    yield extra
            if ocr.options.steady_view and static is not None:
                yield static.steady_frame()
        except PixelDecodeError as exc:
            problems.append(FileError(display, ErrorKind.PIXEL_DECODE, f"pixel data: {exc}"))

    static = None
    count = frame_count(dataset) if "PixelData" in dataset else 0
    if count > 1 and ocr.options.regions:
        try:
            picks = sorted({round(i * (count - 1) / (STATIC_SAMPLE - 1)) for i in range(STATIC_SAMPLE)})
            static = static_reference([display_image(dataset, i) for i in picks])
        except PixelDecodeError:
            static = None  # reported below, when the frames themselves are read
    found = pixel_findings(
        frames_until_failure(), file=display, sop_instance_uid=str(dataset.get("SOPInstanceUID", "") or ""),
        engine=engine_for(ocr.engine), registry=registry, identity=identity, options=ocr.options, static=static,
        unsafe=unsafe)
    return found, problems


def scan_dataset(dataset: Dataset, *, file: str = "", registry: Registry | None = None,
                 min_confidence: float = 0.0, ocr: bool | OcrSettings = False,
                 unsafe_text: list | None = None) -> Findings:
    """Findings for an in-memory pydicom Dataset (header; pixels too with ``ocr``).
    ``unsafe_text``: a list that receives the burned-in text a redactor should blank
    beyond the findings (phidetect.burned_in.UnsafeText), when OCR runs."""
    settings = ScanSettings(min_confidence, registry, _ocr_settings(ocr))
    with _quiet_pydicom():
        found, errors = _scan_dataset(dataset, file, settings, [], unsafe_text)
    return Findings.build(findings_frame(found), errors_frame(errors), 1)


def _scan_dataset(dataset: Dataset, display: str, settings: ScanSettings, element_errors: list[ElementProblem],
                  unsafe_text: list | None = None) -> tuple[list[Finding], list[FileError]]:
    registry = settings.registry or _shared_registry()
    try:
        found, identity = analyse_header(dataset, display, registry, element_errors)
    except Exception as exc:  # a file pydicom reads but cannot walk: report, go on
        return [], [FileError(display, ErrorKind.SCAN, f"could not scan: {type(exc).__name__}: {exc}")]
    errors = [FileError(display, ErrorKind.ELEMENT, e.message, e.tag_path) for e in element_errors]
    if settings.ocr is not None:
        pixel_found, pixel_errors = _ocr_findings(dataset, display, identity, registry, settings.ocr,
                                                   unsafe_text)
        found += pixel_found
        errors += pixel_errors
    return [f for f in found if f.confidence >= settings.min_confidence], errors


def scan_file(path: str | os.PathLike, *, file: str | None = None, registry: Registry | None = None,
              min_confidence: float = 0.0, ocr: bool | OcrSettings = False) -> tuple[list[Finding], list[FileError]]:
    """(findings, errors) for one file; never raises for a bad file."""
    settings = ScanSettings(min_confidence, registry, _ocr_settings(ocr))
    with _quiet_pydicom():
        return _scan_path(path, str(path) if file is None else file, settings)


def _scan_path(path: str | os.PathLike, display: str,
               settings: ScanSettings) -> tuple[list[Finding], list[FileError]]:
    try:
        dataset = read_dicom(path, headers_only=settings.ocr is None)
    except DicomReadError as exc:
        return [], [FileError(display, exc.kind, str(exc))]
    return _scan_dataset(dataset, display, settings, [])


def _scan_chunk(chunk: list[ScanTarget], settings: ScanSettings) -> tuple[list[Finding], list[FileError], int]:
    findings: list[Finding] = []
    errors: list[FileError] = []
    with _quiet_pydicom():
        for target in chunk:
            found, problems = _scan_path(target.path, target.display, settings)
            findings += found
            errors += problems
    return findings, errors, len(chunk)


def _chunks(items: list[ScanTarget], size: int) -> Iterator[list[ScanTarget]]:
    for index in range(0, len(items), size):
        yield items[index:index + size]


def _ocr_settings(ocr: bool | OcrSettings | str) -> OcrSettings | None:
    if isinstance(ocr, OcrSettings):
        return ocr
    if isinstance(ocr, str):
        return OcrSettings(engine=ocr)
    return OcrSettings() if ocr else None


@lru_cache(maxsize=4)
def engine_for(name: str):
    """One OCR engine per process and name: loading a model takes seconds."""
    from phidetect.ocr.engine import get_engine

    return get_engine(name)


def _check_engine(engine) -> None:
    """Load the engine's model now: a missing model raises OcrUnavailable before any file."""
    import numpy as np

    engine.read(np.zeros((32, 96), dtype=np.uint8))


def _process_context() -> multiprocessing.context.BaseContext:
    """Workers start from a clean server process, not a fork of this one: a process that has
    loaded torch or OpenCV holds thread pools whose locks a forked child can never release."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _init_worker(threads: int) -> None:
    """Each worker process gets its share of the cores for OCR's own thread pools."""
    try:
        import cv2
        cv2.setNumThreads(threads)
    except ImportError:
        pass
    if "torch" in sys.modules or importlib.util.find_spec("torch") is not None:
        import torch
        torch.set_num_threads(threads)


def scan(paths: str | os.PathLike | Iterable[str | os.PathLike], *, workers: int | None = None,
         min_confidence: float = 0.0, progress: bool = True, registry: Registry | None = None,
         ocr: bool | str | OcrSettings = False) -> Findings:
    """Scan files and folders (recursively) for PHI in headers, and with ``ocr`` in the pixels.

    Returns a :class:`~phidetect.result.Findings` DataFrame, one row per finding, sorted by
    file then tag_path; files that could not be read are in ``result.errors``.
    ``workers``: processes (default: all cores; 1 runs in this process). ``ocr``: True for
    easyocr, an engine name ("easyocr", "tesseract"), or OcrSettings. A missing OCR engine or
    model raises ``phidetect.ocr.engine.OcrUnavailable`` before any file is read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    settings = ScanSettings(min_confidence, registry, _ocr_settings(ocr))
    if settings.ocr is not None:
        _check_engine(engine_for(settings.ocr.engine))  # fail loudly and early, not once per file
    targets, problems = collect_targets(paths)
    errors = list(problems)
    findings: list[Finding] = []
    cores = os.cpu_count() or 1
    workers = max(1, workers or cores)
    per_worker = 1 if settings.ocr is not None else MIN_FILES_PER_WORKER
    workers = min(workers, max(1, len(targets) // per_worker))
    bar = tqdm(total=len(targets), unit="file", desc="phidetect scan", disable=not progress, leave=False)
    try:
        if workers == 1:
            for chunk in _chunks(targets, 1 if settings.ocr else 16):
                found, problems_, done = _scan_chunk(chunk, settings)
                findings += found
                errors += problems_
                bar.update(done)
        else:
            chunk_size = 1 if settings.ocr else max(1, min(64, len(targets) // (workers * 8)))
            with ProcessPoolExecutor(max_workers=workers, mp_context=_process_context(),
                                     initializer=_init_worker, initargs=(max(1, cores // workers),)) as pool:
                jobs = [pool.submit(_scan_chunk, chunk, settings) for chunk in _chunks(targets, chunk_size)]
                for job in as_completed(jobs):
                    found, problems_, done = job.result()
                    findings += found
                    errors += problems_
                    bar.update(done)
    finally:
        bar.close()
    return Findings.build(findings_frame(findings), errors_frame(errors), len(targets))
