"""``phidetect scan``: the sweep. Exit 0 when every file was checked and nothing reaches
--fail-on, 1 when PHI is found, 2 on usage/output errors (a path that does not exist
counts as one), 3 when no PHI was found but some files could not be checked."""

from __future__ import annotations

import argparse
import os
import sys

from phidetect.commands.common import (
    EXIT_CLEAN,
    EXIT_INCOMPLETE,
    EXIT_PHI,
    EXIT_USAGE,
    add_file_timeout,
    fail,
    fraction,
    positive,
    table_path_ok,
    unchecked_files,
)
from phidetect.ocr_settings import OcrOptions, OcrSettings
from phidetect.output import errors_path, write_table
from phidetect.result import Findings
from phidetect.scan import scan


def add_parser(commands: argparse._SubParsersAction) -> None:
    sweep = commands.add_parser("scan", help="scan files and folders for PHI in the headers",
                                description="Scan DICOM files (folders recursively) and report PHI.",
                                epilog="exit status: 0 every file checked, no finding reaches --fail-on; 1 PHI "
                                       "found; 2 usage or output error; 3 no PHI found but some files could not "
                                       "be checked (see the errors table): never a PASS")
    sweep.add_argument("paths", nargs="+", metavar="PATH", help="DICOM files or folders")
    sweep.add_argument("--out", help="write findings to FILE.parquet or FILE.csv (errors to FILE.errors.csv)")
    sweep.add_argument("--workers", type=positive, default=None, help="processes (default: all cores)")
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
    pixels.add_argument("--no-prefilter", action="store_true",
                        help="OCR every frame, even those without text-like strokes")
    pixels.add_argument("--full-frame", action="store_true",
                        help="let the OCR engine find text over the whole frame instead of classical text regions")
    pixels.add_argument("--thorough", action="store_true",
                        help="also read the lines easyocr's detector finds beyond the classical text regions, and "
                             ">8-bit greyscale images in a full-range view (text the display window hides); "
                             "about 3x slower")
    sweep.set_defaults(run=run)


def print_summary(result: Findings, fail_on: float, out=None) -> bool:
    """Print the sweep summary (to ``out``, default the current stdout); True when some
    finding reaches ``fail_on``."""
    out = out or sys.stdout
    failing = result.at_least(fail_on)
    print(f"files scanned: {result.files_scanned}", file=out)
    print(f"findings: {len(result)}  (at or above {fail_on}: {len(failing)})", file=out)
    if len(result):
        by_source = result["source"].value_counts()
        print("by source: " + ", ".join(f"{source} {count}" for source, count in by_source.items()), file=out)
    summary = result.summary()
    if not summary.empty:
        at_fail = failing.groupby("phi_type").size() if not failing.empty else None
        print("by phi_type:          findings  files  >=fail-on", file=out)
        for phi_type, row in summary.iterrows():
            strong = int(at_fail.get(phi_type, 0)) if at_fail is not None else 0
            print(f"  {phi_type:<18} {row['findings']:>9} {row['files']:>6} {strong:>10}", file=out)
    print(f"files with PHI (>= {fail_on}): {failing['file'].nunique()}", file=out)
    print(f"files with errors: {result.errors['file'].nunique()}", file=out)
    unchecked = unchecked_files(result.errors)
    if len(failing):
        verdict = "FAIL: PHI found"
    elif unchecked:
        verdict = f"INCOMPLETE: {unchecked} files could not be checked (see the errors); not a pass"
    else:
        verdict = "PASS: no finding reaches the threshold"
    print(verdict, file=out)
    return bool(len(failing))


def run(args: argparse.Namespace) -> int:
    if not table_path_ok(args.out):
        return EXIT_USAGE
    missing = [p for p in args.paths if not os.path.exists(p)]
    options = OcrOptions(prefilter=not args.no_prefilter, regions=not args.full_frame)
    ocr = OcrSettings(args.ocr_engine, options.thorough() if args.thorough else options) if args.ocr else None
    try:
        result = scan(args.paths, workers=args.workers, min_confidence=args.min_confidence,
                      progress=not args.no_progress, ocr=ocr or False, file_timeout=args.file_timeout)
    except (RuntimeError, ValueError) as exc:  # OcrUnavailable, or options the engine cannot carry out
        return fail(str(exc))
    for row in result.errors.itertuples():
        print(f"phidetect: {row.file}: {row.kind}: {row.error}", file=sys.stderr)
    if args.out:
        try:
            write_table(result, args.out)
            write_table(result.errors, errors_path(args.out))
        except (OSError, ValueError, ImportError) as exc:
            return fail(f"cannot write {args.out}: {exc}")
    found = print_summary(result, args.fail_on)
    if missing:  # a mistyped path must not let a sweep pass
        return fail(f"no such file or folder: {', '.join(missing)}")
    if found:
        return EXIT_PHI
    return EXIT_INCOMPLETE if unchecked_files(result.errors) else EXIT_CLEAN
