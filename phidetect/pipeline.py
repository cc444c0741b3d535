"""The data flow of one data set, in one place: header elements -> findings and the
file's identity; pixels -> views -> OCR reads (phidetect.pixel_reading) -> the same text
rules -> pixel findings; and, for a redactor, each read handed on with the lines that
hold PHI (phidetect.redact.unsafe_text decides what else to blank).

Scanning (phidetect.scan) and redaction (phidetect.redact) both call
:func:`analyse_dataset`; neither repeats any of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from pydicom.dataset import Dataset

from phidetect.boundary import PASS_THROUGH, fault
from phidetect.dicom.elements import ElementProblem
from phidetect.findings import ErrorKind, FileError, Finding
from phidetect.header import analyse_header
from phidetect.limits import DECODE
from phidetect.ocr_settings import OcrSettings
from phidetect.text.crossref import Identity
from phidetect.text.recognizer import Registry
from phidetect.text.registry import default_registry

if TYPE_CHECKING:  # the OCR stack: imported only when pixels are read
    from phidetect.ocr.engine import OcrEngine
    from phidetect.pixel_reading import FrameRead, LineRef, StaticReference


@dataclass(frozen=True)
class ScanSettings:
    """Everything a worker process needs to analyse a file the way the caller asked."""

    min_confidence: float = 0.0
    registry: Registry | None = None
    ocr: OcrSettings | None = None


class FrameObserver(Protocol):
    """Receives every FrameRead of a file with the lines that hold PHI; ``finish`` gives
    what it made of them (a redactor's unsafe-text boxes)."""

    def add(self, read: FrameRead, phi_lines: frozenset[LineRef]) -> None: ...

    def finish(self) -> list[Any]: ...


#: Makes a file's observer from its StaticReference (None for a single frame).
ObserverFactory = Callable[["StaticReference | None"], FrameObserver]


@dataclass
class FileAnalysis:
    """One data set's findings (at or above the settings' min_confidence), its problems,
    and what the observer made of its pixel reads."""

    findings: list[Finding]
    errors: list[FileError]
    observed: list[Any] = field(default_factory=list)


@lru_cache(maxsize=1)
def shared_registry() -> Registry:
    """The default registry, built once per process."""
    return default_registry()


@lru_cache(maxsize=4)
def engine_for(name: str, device: str = "auto") -> OcrEngine:
    """One OCR engine per process, name and device: loading a model takes seconds. An
    engine that can use a GPU is told the device; others run on the CPU whatever it is."""
    from phidetect.ocr.devices import gpu_flag
    from phidetect.ocr.engine import EngineCapability, engine_class, get_engine  # OCR stack only when asked for

    if EngineCapability.GPU in engine_class(name).capabilities:
        return get_engine(name, gpu=gpu_flag(device))
    return get_engine(name)


def check_engine(name: str, device: str = "auto") -> None:
    """Fail before any file where the engine cannot run: missing or corrupt weights, a
    missing binary raise OcrUnavailable; ``--device cuda`` where torch sees none raises
    DeviceUnavailable. The model itself is not loaded here: the workers that read load it,
    and loading it in this process too cost as much as reading a dozen frames (easyocr and
    torch imported, the Reader built). An engine that cannot check itself is loaded."""
    import numpy as np

    from phidetect.ocr.devices import Device, resolve
    from phidetect.ocr.engine import CheckedEngine

    if Device(device) is Device.CUDA:
        resolve(device)  # imports torch: only where a GPU was asked for by name
    engine = engine_for(name, device)
    if isinstance(engine, CheckedEngine):
        engine.check()
    else:
        engine.read(np.zeros((32, 96), dtype=np.uint8))


def unsupported(settings: OcrSettings) -> str:
    """What ``settings`` ask of their engine that it cannot do ("" when nothing): the
    detector pass of thorough reading needs an engine that finds text regions itself."""
    from phidetect.ocr.engine import EngineCannot, EngineCapability, require  # OCR stack only when asked for

    if settings.options.detector_regions:
        try:
            require(engine_for(settings.engine, settings.device), EngineCapability.DETECT_REGIONS, "thorough reading's detector pass")
        except EngineCannot as exc:
            return str(exc)
    return ""


def check_reading(settings: OcrSettings) -> None:
    """Fail loudly and early, not once per file: a missing engine or model raises
    OcrUnavailable, options the engine cannot carry out ValueError (asked for
    explicitly: never quietly read less)."""
    check_engine(settings.engine, settings.device)
    problem = unsupported(settings)
    if problem:
        raise ValueError(problem)


def analyse_dataset(dataset: Dataset, display: str, settings: ScanSettings,
                    observe: ObserverFactory | None = None) -> FileAnalysis:
    """Findings and problems of one data set: header, then (with ``settings.ocr``) pixels.
    Never raises for a bad data set (phidetect.boundary): a fault walking the header is a
    SCAN error (no findings: the file is not called clean), one reading the pixels a
    PIXEL_DECODE error beside the header's findings."""
    registry = settings.registry or shared_registry()
    problems: list[ElementProblem] = []
    try:
        found, identity = analyse_header(dataset, display, registry, problems)
    except PASS_THROUGH:
        raise
    except BaseException as exc:  # a file pydicom reads but cannot walk: report, go on
        return FileAnalysis([], [fault(display, ErrorKind.SCAN, exc, "could not scan")])
    errors = [FileError(display, ErrorKind.ELEMENT if p.reason == DECODE else ErrorKind.LIMIT, p.message, p.tag_path)
              for p in problems]
    observed: list[Any] = []
    if settings.ocr is not None:
        try:
            pixel_found, pixel_errors, observed = _pixels(dataset, display, registry, identity, settings.ocr,
                                                          observe)
        except PASS_THROUGH:
            raise
        except BaseException as exc:  # a codec's fault (a Rust panic too): header findings stand
            pixel_found, pixel_errors, observed = [], [fault(display, ErrorKind.PIXEL_DECODE, exc,
                                                             "pixels not checked for burned-in text")], []
        found += pixel_found
        errors += pixel_errors
    return FileAnalysis([f for f in found if f.confidence >= settings.min_confidence], errors, observed)


def _pixels(dataset: Dataset, display: str, registry: Registry, identity: Identity, ocr: OcrSettings,
            observe: ObserverFactory | None) -> tuple[list[Finding], list[FileError], list[Any]]:
    """files -> frames -> reads -> findings (-> the observer)."""
    from phidetect.burned_in import pixel_findings  # the OCR stack (OpenCV, torch): header sweeps never load it
    from phidetect.pixel_reading import PixelReading

    engine = engine_for(ocr.engine, ocr.device)
    reading = PixelReading(dataset, engine, ocr, display)
    observer = observe(reading.static) if observe is not None else None
    findings = pixel_findings(reading.frames(), file=display, sop_instance_uid=str(dataset.get("SOPInstanceUID", "") or ""),
                              engine_name=engine.name, registry=registry, identity=identity,
                              parameters=ocr.parameters, observer=observer)
    return findings, reading.problems, observer.finish() if observer is not None else []
