"""One input file to one de-identified copy: read, find PHI, black out the pixels, apply
the header actions, mark, write. Runs in a worker process; never raises for a bad file."""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

from phidetect.boundary import PASS_THROUGH, describe
from phidetect.dicom.elements import ElementProblem, iter_elements
from phidetect.dicom.pixels.base import PIXEL_KEYWORDS
from phidetect.dicom.pixels.decoding import declared_syntax, read_syntax
from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.findings import ErrorKind, FileError, findings_frame, printable
from phidetect.geometry import FrameBox
from phidetect.ocr_settings import OcrSettings
from phidetect.pipeline import ScanSettings, analyse_dataset
from phidetect.redact.blanking import BlankingParameters, UnsafeBox
from phidetect.redact.boxes import boxes_for
from phidetect.redact.dates import patient_key, shift_days
from phidetect.redact.dicomdir import NOT_NAMED, is_directory
from phidetect.redact.endian import is_big_endian, to_little_endian
from phidetect.redact.header_actions import HeaderContext, apply_header_actions
from phidetect.redact.linkage import identity, link_values
from phidetect.redact.marking import mark
from phidetect.redact.pixels import PixelRedactionError, blackout
from phidetect.redact.policy import Policy
from phidetect.redact.resolve import remove
from phidetect.redact.text_boxes import text_region_boxes
from phidetect.redact.uids import UidMapper
from phidetect.redact.writer import OutputExists, write_dataset
from phidetect.text.spans import Span, split_rules


class NotRedacted(Exception):
    """A file that was read but must not be written: the message says why, ``kind`` what
    failed, ``errors`` the file's other problems."""

    def __init__(self, message: str, kind: ErrorKind, errors: list[FileError]) -> None:
        super().__init__(message)
        self.kind, self.errors = kind, errors


@dataclass(frozen=True)
class RedactSettings:
    """Everything a worker needs, the same for every file of a run."""

    policy: Policy
    secret: bytes
    ocr: OcrSettings | None
    margin: int
    every_frame: bool
    overwrite: bool
    blank_text_regions: bool = False
    blank_unsure_text: bool = True
    blanking: BlankingParameters = BlankingParameters()
    keep_compression: bool = True  # compressed inputs stay compressed, losslessly (phidetect.redact.recompress)


@dataclass(frozen=True)
class Job:
    """One input: where to read it, its name in the tables, where its copy goes, and the
    findings and boxes the caller supplied for it."""

    path: Path
    display: str
    output: Path
    findings: pd.DataFrame | None = None
    boxes: tuple[FrameBox, ...] = ()


def _row(job: Job, status: str, error: str = "", **values) -> dict:
    row = {"input": job.display, "output": "", "status": status, "error": printable(error), "n_header_actions": 0,
           "n_boxes": 0, "decompressed": False, "pixels_cleaned": False, "seconds": 0.0, "input_syntax": "",
           "output_syntax": "", "bytes_in": 0, "bytes_out": 0, "syntax_note": ""}
    row.update(values)
    row["output"] = printable(row["output"])  # tables cannot hold a name's undecodable bytes
    return row


def redact_file(job: Job, settings: RedactSettings) -> tuple[dict, list[FileError], list[dict]]:
    """(files-table row, errors, boxes-table rows) for one input."""
    started = time.perf_counter()
    filled: list[dict] = []
    try:
        if not settings.overwrite and job.output.exists():  # before any OCR: nothing would be written
            raise OutputExists(f"{job.output}: exists (pass overwrite to replace it)")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            row, errors, filled = _redact(job, settings)
    except DicomReadError as exc:
        status = "skipped" if exc.kind is ErrorKind.NOT_DICOM else "error"
        row, errors, kind = _row(job, status, str(exc)), [], exc.kind
    except OutputExists as exc:
        row, errors, kind = _row(job, "exists", str(exc)), [], ErrorKind.OUTPUT
    except PixelRedactionError as exc:
        row, errors, kind = _row(job, "error", str(exc)), [], ErrorKind.PIXEL_DECODE
    except NotRedacted as exc:
        row, errors, kind = _row(job, "error", str(exc)), exc.errors, exc.kind
    except PASS_THROUGH:
        raise
    except BaseException as exc:  # pydicom and its plugins raise anything (a Rust panic too): one file, not the batch
        row, errors, kind = _row(job, "error", f"cannot redact: {describe(exc)}"), [], ErrorKind.REDACT
    if row["status"] != "written":
        errors, filled = [*errors, FileError(job.display, kind, row["error"])], []
    row["seconds"] = time.perf_counter() - started
    return row, errors, filled


def lost_job(job: Job, kind: ErrorKind, message: str) -> tuple[dict, list[FileError], list[dict]]:
    """The result of a job whose worker process died (phidetect.pool): no copy written."""
    return _row(job, "error", message), [FileError(job.display, kind, message)], []


def _box_rows(file: str, boxes: list[FrameBox], reason: str | list[str]) -> list[dict]:
    """Rows of the boxes table (phidetect.redact.result.BOX_COLUMNS: frame -1 for every frame)."""
    reasons = reason if isinstance(reason, list) else [reason] * len(boxes)
    return [{"file": file, "frame": b.table_frame, "x": b.x, "y": b.y, "width": b.width, "height": b.height,
             "plane": b.plane.value, "reason": why} for b, why in zip(boxes, reasons, strict=True)]


def _collector(settings: RedactSettings):
    """The unsafe-text observer of a file's pixel reads (phidetect.redact.unsafe_text)."""
    from phidetect.redact.unsafe_text import UnsafeTextCollector  # the OCR stack: only when OCR runs

    return lambda static: UnsafeTextCollector(static, settings.blanking)


def _findings(ds: Dataset, job: Job,
              settings: RedactSettings) -> tuple[pd.DataFrame, list[UnsafeBox], list[FileError]]:
    """This file's findings (header, and pixels when OCR is on) plus the caller's, and the
    boxes of burned-in text that is unsafe beyond its PHI words (when asked for)."""
    ocr = settings.ocr if settings.policy.clean_pixels else None
    observe = _collector(settings) if ocr is not None and settings.blank_unsure_text else None
    analysis = analyse_dataset(ds, job.display, ScanSettings(ocr=ocr), observe)
    frame = findings_frame(analysis.findings)
    if job.findings is not None and not job.findings.empty:
        frame = pd.concat([frame, job.findings], ignore_index=True)
    return frame, analysis.observed, analysis.errors


def _spans(findings: pd.DataFrame, min_confidence: float) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = {}
    tags = findings[(findings["source"] == "tag") & (findings["confidence"] >= min_confidence)]
    for row in tags.itertuples():
        first, *others = split_rules(str(row.rule)) or ("",)
        spans.setdefault(str(row.tag_path), []).append(
            Span(int(row.start), int(row.end), str(row.phi_type), float(row.confidence), first, tuple(others)))
    return spans


def _redact(job: Job, settings: RedactSettings) -> tuple[dict, list[FileError], list[dict]]:
    policy = settings.policy
    damage: list[DicomReadError] = []  # a bad DICM magic: the data set after it is redacted all the same
    ds = read_dicom(job.path, headers_only=False, problems=damage)
    if is_directory(ds):  # its records name patients; only a file named DICOMDIR is rebuilt (redact.dicomdir)
        raise NotRedacted(NOT_NAMED, ErrorKind.REDACT, [])
    original = identity(ds)  # the linkage map's original values, before anything changes
    input_syntax = _syntax_of(ds)
    bad_elements: list[ElementProblem] = []
    texts = {e.tag_path: e.text for e in iter_elements(ds, errors=bad_elements)}
    findings, unsafe, errors = _findings(ds, job, settings)
    errors = [FileError(job.display, d.kind, str(d)) for d in damage] + errors
    has_pixels = any(k in ds for k in PIXEL_KEYWORDS)
    pixel_problems = [e for e in errors if e.kind in (ErrorKind.PIXEL_DECODE, ErrorKind.OCR)]
    ocr_ran = settings.ocr is not None and policy.clean_pixels and has_pixels
    if ocr_ran and pixel_problems:
        raise NotRedacted(f"pixels not checked for burned-in text: {pixel_problems[0].message}",
                          pixel_problems[0].kind, errors)
    boxes: list[FrameBox] = []
    reasons: list[str] = []

    def fill(found: list[FrameBox], why: str | list[str]) -> None:
        boxes.extend(found)
        reasons.extend(why if isinstance(why, list) else [why] * len(found))

    if policy.clean_pixels:
        sure = findings[(findings["confidence"] >= policy.min_confidence) & (findings["source"] == "pixel")]
        found = boxes_for(sure, job.display)
        phi_types = [f"PHI {t}" for t in sure.loc[sure["file"].astype(str) == job.display, "phi_type"]]
        fill(list(job.boxes), "given")
        fill(found, phi_types if len(phi_types) == len(found) else "PHI")
        fill([u.box for u in unsafe], [u.reason.value for u in unsafe])
        if settings.blank_text_regions and has_pixels and not pixel_problems:
            fill(text_region_boxes(ds), "text region (conservative mode)")
    filled = _box_rows(job.display, boxes, reasons)
    big_endian = is_big_endian(ds)
    pixels = blackout(ds, boxes, margin=settings.margin, every_frame=settings.every_frame, rewrite=big_endian,
                      keep_compression=settings.keep_compression)
    if big_endian:
        to_little_endian(ds)

    shift = shift_days(settings.secret, patient_key(ds), policy.max_shift_days) if policy.dates == "shift" else None
    context = HeaderContext(policy, UidMapper(settings.secret), shift, _spans(findings, policy.min_confidence),
                            texts, pixels.overlay_groups)
    for problem in bad_elements:  # an element that could not be read could not be checked either
        if remove(ds, problem.tag_path):
            context.changed += 1
    changed = apply_header_actions(ds, context)
    mark(ds, policy, pixels_cleaned=ocr_ran)
    _complete_file_meta(ds)
    write_dataset(ds, job.output, overwrite=settings.overwrite)
    return _row(job, "written", output=str(job.output), n_header_actions=changed, n_boxes=pixels.boxes,
                decompressed=pixels.decompressed, pixels_cleaned=ocr_ran, input_syntax=input_syntax,
                output_syntax=_syntax_of(ds), bytes_in=job.path.stat().st_size, bytes_out=job.output.stat().st_size,
                syntax_note=pixels.syntax_note, link=link_values(original, identity(ds), shift)), errors, filled


def _syntax_of(ds: Dataset) -> str:
    """The transfer syntax UID ``ds`` is (or will be written) in; the native one read when none is named."""
    return str(declared_syntax(ds) or read_syntax(ds))


def _complete_file_meta(ds: Dataset) -> None:
    """A file read without file meta (no preamble) gets one that matches how it is encoded."""
    meta = getattr(ds, "file_meta", None)
    if meta is None:
        meta = ds.file_meta = FileMetaDataset()
    if "TransferSyntaxUID" not in meta:
        implicit = bool(ds.original_encoding[0]) if ds.original_encoding[0] is not None else False
        meta.TransferSyntaxUID = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
    if "MediaStorageSOPClassUID" not in meta and "SOPClassUID" in ds:
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
    if "SOPInstanceUID" in ds:
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
