"""``redact()``: de-identified copies of every DICOM file under a folder, in another folder.

Files are found the way a scan finds them, each becomes one job (phidetect.redact.file_job)
run in this process or on a process pool, and a bad file is a row of the result, never
the end of the batch. Inputs are only opened for reading.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pandas as pd

from phidetect.files import collect_targets
from phidetect.findings import ErrorKind, FileError, errors_frame
from phidetect.limits import file_timeout as file_timeout_for
from phidetect.ocr_settings import OcrSettings, ocr_settings
from phidetect.pipeline import check_reading
from phidetect.pool import run_pool, worker_count
from phidetect.redact.boxes import boxes_for, check_boxes
from phidetect.redact.dicomdir import rebuild_directories, split_directories
from phidetect.redact.file_job import Job, RedactSettings, lost_job, redact_file
from phidetect.redact.keys import run_secret
from phidetect.redact.linkage import check_map_path, linkage_frame, write_map
from phidetect.redact.pixels import DEFAULT_MARGIN
from phidetect.redact.policy import Policy
from phidetect.redact.result import RedactionResult, boxes_frame, files_frame
from phidetect.redact.verification import verify as verify_copies
from phidetect.redact.writer import hashed_parts, inside, output_path, relative_parts


def _check_folders(source: Path, out: Path) -> None:
    if not source.exists():
        raise FileNotFoundError(f"{source}: no such file or folder")
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out}: the output must be a folder")
    if out.resolve() == source.resolve():
        raise ValueError(f"{out}: the output folder is the input; redaction never works in place")


def plan_jobs(source: Path, out: Path, *, findings: pd.DataFrame | None = None,
              boxes: pd.DataFrame | None = None, rename: bool = False,
              secret: bytes = b"") -> tuple[list[Job], list[FileError]]:
    """One job per file under ``source`` (the output folder itself excluded when it lies
    inside), each with its sanitised output path and the caller's findings and boxes."""
    targets, problems = collect_targets([source])
    errors = list(problems)
    used: set[str] = set()
    jobs = []
    out_inside = source.is_dir() and inside(source, out)
    for target in targets:
        if out_inside and inside(out, target.path):
            continue
        # the real name (display escapes undecodable bytes with backslashes, which would split it)
        name = target.path.relative_to(source).as_posix() if source.is_dir() else source.name
        parts = relative_parts(name)
        if rename:
            parts = hashed_parts(parts, secret)
        try:
            output = output_path(out, parts, used)
        except ValueError as exc:
            errors.append(FileError(target.display, ErrorKind.OUTPUT, str(exc)))
            continue
        if output.exists() and output.resolve() == target.path.resolve():
            errors.append(FileError(target.display, ErrorKind.OUTPUT, "the output would replace the input"))
            continue
        own = None
        if findings is not None and not findings.empty:
            own = findings[findings["file"].astype(str) == target.display]
        jobs.append(Job(target.path, target.display, output, own, tuple(boxes_for(boxes, target.display))))
    return jobs, errors


def redact(source: str | os.PathLike, out: str | os.PathLike, *, policy: Policy | str | None = None,
           secret: bytes | str | None = None, ocr: bool | str | OcrSettings = True,
           findings: pd.DataFrame | None = None, boxes: pd.DataFrame | None = None,
           margin: int = DEFAULT_MARGIN, every_frame: bool = True, overwrite: bool = False,
           rename: bool = False, workers: int | None = None, progress: bool = True,
           verify: bool = False, verify_ocr: bool | str | OcrSettings | None = None,
           blank_text_regions: bool = False, blank_unsure_text: bool = True,
           file_timeout: float | None = None, map_out: str | os.PathLike | None = None,
           map_inside_output: bool = False, keep_compression: bool = True) -> RedactionResult:
    """Write a de-identified copy of every DICOM file under ``source`` into ``out``,
    mirroring the folder tree (names sanitised; ``rename``: keyed hashes instead).

    ``policy``: a Policy or a preset name (``research``, the default; ``basic``).
    ``secret``: key of the UID mapping and date shifts; the same secret gives the same
    UIDs and shifts in a later run (default: random, so each run differs).
    ``ocr``: read burned-in text and black it out (True: easyocr; an engine name; False:
    only the boxes given). ``findings``: an earlier scan's table (its pixel boxes and tag
    spans are used too); ``boxes``: more boxes (findings or truth schema; ``file == "*"``
    for every file, see phidetect.redact.boxes.top_rows). ``margin``: pixels added around
    every box. ``every_frame``: each box in every frame of a multi-frame image.
    ``overwrite``: replace existing outputs. ``verify``: scan the copies again and put the
    residual findings in ``result.residual`` (``verify_ocr``: default, as ``ocr``).
    ``blank_text_regions``: also black out every text-like region found without OCR (the
    conservative mode: OCR misses small text; this costs image area, see text_boxes).
    ``blank_unsure_text`` (default): besides the PHI words, black out the whole line they
    are in, every line OCR read too unsurely to judge or only in part and every text
    region it read nothing in (phidetect.redact.unsafe_text); False: only the PHI words'
    boxes. Burned-in text is read as ``ocr`` says, as a scan reads it (with OcrSettings
    whose options are phidetect.ocr_settings.THOROUGH: also the lines easyocr's own
    detector finds beyond the classical text regions, and cines' steady view).
    ``file_timeout``: as phidetect.scan's (a file past it is an error row of kind "timeout").
    ``map_out``: write the linkage map (``result.linkage``, phidetect.redact.linkage) to this
    .csv or .parquet file; refused inside ``out`` unless ``map_inside_output``. A DICOMDIR
    is rebuilt from the copies or left out (phidetect.redact.dicomdir), never copied.
    ``keep_compression`` (default): a compressed input whose pixels are blanked is written
    in its family's lossless syntax, else another installed one, else uncompressed (the
    files table's ``syntax_note`` says why; ``result.sizes()`` compares the bytes); False:
    uncompressed. A missing OCR engine or model raises phidetect.ocr.engine.OcrUnavailable before any file.
    """
    source, out = Path(source), Path(out)
    _check_folders(source, out)
    if map_out is not None:
        map_out = check_map_path(map_out, source, out, inside_output=map_inside_output, overwrite=overwrite)
    if isinstance(policy, str) or policy is None:
        policy = Policy.preset(policy or "research")
    if margin < 0:
        raise ValueError("margin must be 0 or more")
    if boxes is not None:
        check_boxes(boxes)
    key = run_secret(secret)
    # read as a scan reads (docs/redaction.md: the default reading blanked as many truth
    # boxes on unseen synthetic sets as the thorough one, at about a third of its time)
    reading = ocr_settings(ocr) if policy.clean_pixels else None
    if reading is not None:
        check_reading(reading)
    settings = RedactSettings(policy, key, reading, margin, every_frame, overwrite, blank_text_regions,
                              blank_unsure_text, keep_compression=keep_compression)
    jobs, errors = plan_jobs(source, out, findings=findings, boxes=boxes, rename=rename, secret=key)
    jobs, directories = split_directories(jobs)
    unplanned = list(errors)
    out.mkdir(parents=True, exist_ok=True)
    workers = worker_count(workers, len(jobs), 1 if reading is not None else 8)
    rows, filled = [], []
    # with OCR even one worker is a process of its own: a decoder that aborts costs one file
    for row, problems, boxes_filled in run_pool(partial(redact_file, settings=settings), jobs, workers=workers,
                                                total=len(jobs), progress=progress, desc="phidetect redact",
                                                lost=lost_job, isolate=reading is not None,
                                                limit=file_timeout_for(file_timeout, reading is not None)):
        rows.append(row)
        errors += problems
        filled += boxes_filled
    dir_rows, dir_errors, dir_notes = rebuild_directories(directories, jobs, rows, secret=key, overwrite=overwrite,
                                                          rename=rename)
    rows, errors = rows + dir_rows, errors + dir_errors
    result = RedactionResult(files_frame(rows), errors_frame(errors), boxes=boxes_frame(filled),
                             notes=dir_notes, linkage=linkage_frame(rows, unplanned, out))
    if map_out is not None:
        write_map(result.linkage, map_out)
    if verify:
        result.residual = verify_copies(out, ocr=ocr if verify_ocr is None else verify_ocr, policy=policy,
                                        workers=workers, progress=progress)
    return result
