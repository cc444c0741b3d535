"""Frames through the reading stage and detection (and a redactor's unsafe-text
collector), as the pipeline runs them, for tests that script the OCR engine."""

from __future__ import annotations

from phidetect.burned_in import pixel_findings
from phidetect.dicom.pixels import DisplayFrame
from phidetect.geometry import ALL_FRAMES
from phidetect.ocr_settings import OcrOptions, OcrSettings
from phidetect.pixel_reading import FrameRead, RegionRead, StaticReference, read_frames
from phidetect.planes import View
from phidetect.redact.blanking import UnsafeBox
from phidetect.redact.unsafe_text import UnsafeTextCollector


def detect(frames: list[DisplayFrame], engine, *, registry, identity, options: OcrOptions | None = None,
           static: StaticReference | None = None, collect: bool = False, file: str = "f.dcm",
           sop_instance_uid: str = "1.2") -> tuple[list, list[UnsafeBox]]:
    """(findings, unsafe boxes — empty unless ``collect``) of ``frames`` read by ``engine``."""
    settings = OcrSettings(engine.name, options or OcrOptions())
    collector = UnsafeTextCollector(static) if collect else None
    findings = pixel_findings(read_frames(frames, engine, settings, static), file=file,
                              sop_instance_uid=sop_instance_uid, engine_name=engine.name, registry=registry,
                              identity=identity, observer=collector)
    return findings, collector.finish() if collector is not None else []


def unsafe_in(frame: DisplayFrame, regions: list[tuple], phi_lines: frozenset = frozenset(),
              static: StaticReference | None = None) -> list[UnsafeBox]:
    """The unsafe text of one frame whose regions ((box, [lines]) pairs) are given."""
    number = ALL_FRAMES if frame.view is View.STEADY else frame.frame
    read = FrameRead(number, frame.plane, frame.view, frame.image,
                     tuple(RegionRead(box, tuple(lines)) for box, lines in regions))
    collector = UnsafeTextCollector(static)
    collector.add(read, phi_lines)
    return collector.finish()
