"""The ``phidetect`` command line. Exit codes: 0 nothing reaches --fail-on, 1 PHI found,
2 usage or output errors (a path given that does not exist counts as one)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from phidetect.evaluate import evaluate
from phidetect.ocr_settings import OcrOptions, OcrSettings
from phidetect.output import FORMATS, errors_path, read_table, write_table
from phidetect.result import Findings
from phidetect.scan import scan

EXIT_CLEAN, EXIT_PHI, EXIT_USAGE = 0, 1, 2


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of workers")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="phidetect", description="Find PHI in DICOM files.")
    commands = parser.add_subparsers(dest="command", required=True)
    sweep = commands.add_parser("scan", help="scan files and folders for PHI in the headers",
                                description="Scan DICOM files (folders recursively) and report PHI.")
    sweep.add_argument("paths", nargs="+", metavar="PATH", help="DICOM files or folders")
    sweep.add_argument("--out", help="write findings to FILE.parquet or FILE.csv (errors to FILE.errors.csv)")
    sweep.add_argument("--workers", type=_positive, default=None, help="processes (default: all cores)")
    sweep.add_argument("--min-confidence", type=_fraction, default=0.0,
                       help="drop findings below this confidence (default 0)")
    sweep.add_argument("--fail-on", type=_fraction, default=0.5,
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
    score = commands.add_parser("evaluate", help="score a findings table against a truth table",
                                description="Compare findings with hand-made truth (docs/truth-schema.md).")
    score.add_argument("findings", metavar="FINDINGS", help="findings table (.parquet or .csv)")
    score.add_argument("truth", metavar="TRUTH", help="truth table (.parquet or .csv)")
    score.add_argument("--out", help="write the metrics table to FILE.parquet or FILE.csv")
    score.add_argument("--min-confidence", type=_fraction, default=0.0,
                       help="ignore findings below this confidence (default 0)")
    score.add_argument("--box-rule", choices=("coverage", "presidio"), default="coverage",
                       help="how pixel boxes match (default coverage)")
    score.add_argument("--box-coverage", type=_fraction, default=0.5,
                       help="coverage rule: share of a truth box to cover (default 0.5)")
    return parser


def _run_evaluate(args: argparse.Namespace) -> int:
    if args.out and not args.out.lower().endswith(FORMATS):
        print(f"phidetect: --out {args.out}: must end in .parquet or .csv", file=sys.stderr)
        return EXIT_USAGE
    try:
        findings, truth = read_table(args.findings), read_table(args.truth)
        result = evaluate(findings, truth, min_confidence=args.min_confidence,
                          box_coverage=args.box_coverage, box_rule=args.box_rule)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        print(f"phidetect: cannot evaluate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.out:
        try:
            write_table(result.metrics, args.out)
        except (OSError, ValueError, ImportError) as exc:
            print(f"phidetect: cannot write {args.out}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    print(result.metrics.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"misses: {len(result.misses)}  false alarms: {len(result.false_alarms)}")
    return EXIT_CLEAN


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
    verdict = "FAIL: PHI found" if len(failing) else "PASS: no finding reaches the threshold"
    print(verdict, file=out)
    return bool(len(failing))


def _run_scan(args: argparse.Namespace) -> int:
    if args.out and not args.out.lower().endswith(FORMATS):
        print(f"phidetect: --out {args.out}: must end in .parquet or .csv", file=sys.stderr)
        return EXIT_USAGE
    missing = [p for p in args.paths if not os.path.exists(p)]
    ocr = OcrSettings(args.ocr_engine, OcrOptions(prefilter=not args.no_prefilter, regions=not args.full_frame)) \
        if args.ocr else None
    try:
        result = scan(args.paths, workers=args.workers, min_confidence=args.min_confidence,
                      progress=not args.no_progress, ocr=ocr or False)
    except RuntimeError as exc:  # OcrUnavailable: the engine or its model is missing
        print(f"phidetect: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for row in result.errors.itertuples():
        print(f"phidetect: {row.file}: {row.error}", file=sys.stderr)
    if args.out:
        try:
            write_table(result, args.out)
            write_table(result.errors, errors_path(args.out))
        except (OSError, ValueError, ImportError) as exc:
            print(f"phidetect: cannot write {args.out}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    found = print_summary(result, args.fail_on)
    if missing:  # a mistyped path must not let a sweep pass
        print(f"phidetect: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_PHI if found else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if args.command == "scan":
        return _run_scan(args)
    if args.command == "evaluate":
        return _run_evaluate(args)
    parser.print_help()
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
