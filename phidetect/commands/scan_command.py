"""``phidetect scan``: the sweep. Exit 0 when every file was checked and nothing reaches
--fail-on, 1 when PHI is found, 2 on usage/output errors (a path that does not exist
counts as one), 3 when no PHI was found but some files could not be checked, 130 when the
sweep was stopped (Ctrl-C, SIGTERM) with what was finished kept in its sweep folder."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from phidetect.commands.common import (
    EXIT_CLEAN,
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_PHI,
    EXIT_USAGE,
    add_device,
    add_file_timeout,
    fail,
    fraction,
    positive,
    table_path_ok,
)
from phidetect.distributed import scan_dask
from phidetect.ocr_settings import OcrOptions, OcrSettings
from phidetect.output import errors_path, write_table
from phidetect.result import Findings
from phidetect.scan import scan
from phidetect.sweep import PART_FILES, SweepFolderError, is_sweep_path, scan_to_folder
from phidetect.sweep_summary import SweepSummary


def add_parser(commands: argparse._SubParsersAction) -> None:
    sweep = commands.add_parser("scan", help="scan files and folders for PHI in the headers",
                                description="Scan DICOM files (folders recursively) and report PHI.",
                                epilog="exit status: 0 every file checked, no finding reaches --fail-on; 1 PHI "
                                       "found; 2 usage or output error; 3 no PHI found but some files could not "
                                       "be checked (see the errors table): never a PASS")
    sweep.add_argument("paths", nargs="+", metavar="PATH", help="DICOM files or folders")
    sweep.add_argument("--out", help="write findings to FILE.parquet or FILE.csv (errors to FILE.errors.csv), or, "
                                     "for a large sweep, to a sweep FOLDER (no suffix): Parquet parts written as "
                                     "the sweep goes, a files table and summary.json (read it with "
                                     "phidetect.read_sweep)")
    sweep.add_argument("--resume", action="store_true",
                       help="with --out FOLDER: go on with the sweep recorded there, skipping files it holds "
                            "with the same size and modification time")
    sweep.add_argument("--part-files", type=positive, default=PART_FILES,
                       help=f"with --out FOLDER: files per Parquet part (default {PART_FILES})")
    sweep.add_argument("--workers", type=positive, default=None, help="processes (default: all cores)")
    sweep.add_argument("--dask", metavar="ADDRESS",
                       help="run on a Dask cluster: a scheduler's address (tcp://host:8786), or local / local:N "
                            "to start a LocalCluster of N workers here (needs phidetect[scale]); --workers is the "
                            "local pool's")
    add_file_timeout(sweep)
    sweep.add_argument("--min-confidence", type=fraction, default=0.0,
                       help="drop findings below this confidence (default 0)")
    sweep.add_argument("--fail-on", type=fraction, default=0.5,
                       help="exit 1 when a finding reaches this confidence (default 0.5)")
    sweep.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    pixels = sweep.add_argument_group("burned-in text")
    pixels.add_argument("--ocr", action="store_true", help="also read text burned into the pixels")
    pixels.add_argument("--ocr-engine", choices=("easyocr", "tesseract"), default="easyocr",
                        help="OCR engine (default easyocr; tesseract is lighter and less accurate)")
    add_device(pixels)
    pixels.add_argument("--no-prefilter", action="store_true",
                        help="OCR every frame, even those without text-like strokes")
    pixels.add_argument("--full-frame", action="store_true",
                        help="let the OCR engine find text over the whole frame instead of classical text regions")
    pixels.add_argument("--thorough", action="store_true",
                        help="also read the lines easyocr's detector finds beyond the classical text regions, and "
                             "cines in the temporal median of their frames; about 2-3x slower")
    sweep.set_defaults(run=run)


def print_summary(result: Findings, fail_on: float, out=None) -> bool:
    """Print the sweep summary (to ``out``, default the current stdout); True when some
    finding reaches ``fail_on``."""
    summary = SweepSummary.of(result, result.errors, result.files_scanned, fail_on)
    summary.print(out)
    return bool(summary.failing)


def _exit_status(summary: SweepSummary, missing: list[str]) -> int:
    if missing:  # a mistyped path must not let a sweep pass
        return fail(f"no such file or folder: {', '.join(missing)}")
    if summary.failing:
        return EXIT_PHI
    return EXIT_INCOMPLETE if summary.unchecked else EXIT_CLEAN


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # a killed job stops like Ctrl-C: what was finished is kept


def _run_folder(args: argparse.Namespace, ocr: OcrSettings | None, missing: list[str]) -> int:
    """The sweep into a folder: streamed parts, resumable (phidetect.sweep)."""
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        summary = scan_to_folder(args.paths, args.out, resume=args.resume, part_files=args.part_files,
                                 workers=args.workers, min_confidence=args.min_confidence,
                                 progress=not args.no_progress, ocr=ocr or False, file_timeout=args.file_timeout,
                                 fail_on=args.fail_on,
                                 on_error=lambda e: print(f"phidetect: {e.file}: {e.kind.value}: {e.message}",
                                                          file=sys.stderr), dask=args.dask)
    except SweepFolderError as exc:
        return fail(str(exc))
    except (RuntimeError, ValueError, ImportError, OSError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print(f"phidetect: interrupted; what was finished is in {args.out}. Run the same command with --resume "
              "to go on.", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)
    summary.print()
    print(f"sweep folder: {args.out} (phidetect.read_sweep)", file=sys.stderr)
    return _exit_status(summary, missing)


def run(args: argparse.Namespace) -> int:
    folder = bool(args.out) and is_sweep_path(args.out)
    if args.resume and not folder:
        return fail("--resume needs --out FOLDER (a sweep folder, no .csv/.parquet suffix)")
    if not folder and not table_path_ok(args.out):
        return EXIT_USAGE
    missing = [p for p in args.paths if not os.path.exists(p)]
    options = OcrOptions(prefilter=not args.no_prefilter, regions=not args.full_frame)
    ocr = OcrSettings(args.ocr_engine, options.thorough() if args.thorough else options,
                      device=args.device) if args.ocr else None
    if folder:
        return _run_folder(args, ocr, missing)
    try:
        if args.dask:
            if ocr is not None:
                return fail("--dask reads headers only for a table; with --ocr write to --out FOLDER")
            result = scan_dask(args.paths, min_confidence=args.min_confidence, address=args.dask,
                               progress=not args.no_progress, file_timeout=args.file_timeout)
        else:
            result = scan(args.paths, workers=args.workers, min_confidence=args.min_confidence,
                          progress=not args.no_progress, ocr=ocr or False, file_timeout=args.file_timeout)
    except (RuntimeError, ValueError, ImportError, OSError) as exc:  # OcrUnavailable, options, no Dask
        return fail(str(exc))
    for row in result.errors.itertuples():
        print(f"phidetect: {row.file}: {row.kind}: {row.error}", file=sys.stderr)
    if args.out:
        try:
            write_table(result, args.out)
            write_table(result.errors, errors_path(args.out))
        except (OSError, ValueError, ImportError) as exc:
            return fail(f"cannot write {args.out}: {exc}")
    summary = SweepSummary.of(result, result.errors, result.files_scanned, args.fail_on)
    summary.print()
    return _exit_status(summary, missing)
