"""``phidetect evaluate FINDINGS TRUTH``: score a findings table against truth."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from phidetect.commands.common import EXIT_CLEAN, EXIT_USAGE, fail, fraction, table_path_ok
from phidetect.evaluate import EvaluationResult, evaluate
from phidetect.output import read_table, write_table

#: EvaluationResult tables written by --details, one CSV each.
DETAIL_TABLES = ("misses", "false_alarms", "per_file", "sweep", "calibration")
#: Thresholds printed from the sweep (the whole sweep goes to --details).
SWEEP_SHOWN = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def add_parser(commands: argparse._SubParsersAction) -> None:
    score = commands.add_parser("evaluate", help="score a findings table against a truth table",
                                description="Compare findings with hand-made truth (docs/truth-schema.md).")
    score.add_argument("findings", metavar="FINDINGS", help="findings table (.parquet or .csv)")
    score.add_argument("truth", metavar="TRUTH", help="truth table (.parquet or .csv)")
    score.add_argument("--out", help="write the metrics table to FILE.parquet or FILE.csv")
    score.add_argument("--details", metavar="DIR",
                       help="also write misses, false_alarms, per_file, sweep and calibration CSVs into DIR")
    score.add_argument("--min-confidence", type=fraction, default=0.0,
                       help="ignore findings below this confidence (default 0)")
    score.add_argument("--box-rule", choices=("coverage", "presidio"), default="coverage",
                       help="how pixel boxes match (default coverage)")
    score.add_argument("--box-coverage", type=fraction, default=0.5,
                       help="coverage rule: share of a truth box to cover (default 0.5)")
    score.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not table_path_ok(args.out):
        return EXIT_USAGE
    try:
        findings, truth = read_table(args.findings), read_table(args.truth)
        result = evaluate(findings, truth, min_confidence=args.min_confidence,
                          box_coverage=args.box_coverage, box_rule=args.box_rule)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        return fail(f"cannot evaluate: {exc}")
    if args.out:
        try:
            write_table(result.metrics, args.out)
        except (OSError, ValueError, ImportError) as exc:
            return fail(f"cannot write {args.out}: {exc}")
    if args.details:
        try:
            _write_details(result, Path(args.details))
        except (OSError, ValueError) as exc:
            return fail(f"cannot write {args.details}: {exc}")
    print_evaluation(result)
    return EXIT_CLEAN


def _write_details(result: EvaluationResult, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in DETAIL_TABLES:
        write_table(getattr(result, name), str(folder / f"{name}.csv"))


def number(value: float) -> str:
    """Scores printed with three decimals."""
    return f"{value:.3f}"


def print_evaluation(result: EvaluationResult, out=None, *, worst_files: int = 5) -> None:
    """The metrics table, the precision/recall at a few thresholds, the calibration bins that
    hold findings, and the leakiest files: what a reviewer reads first."""
    out = out or sys.stdout
    print(result.metrics.to_string(index=False, float_format=number), file=out)
    print(f"misses: {len(result.misses)}  false alarms: {len(result.false_alarms)}", file=out)
    sweep = result.sweep[result.sweep["threshold"].isin(SWEEP_SHOWN)]
    print("\nthreshold sweep (all sources):", file=out)
    print(sweep.to_string(index=False, float_format=number), file=out)
    calibration = result.calibration[result.calibration["count"] > 0]
    if len(calibration):
        print("\ncalibration (confidence bin -> observed precision):", file=out)
        print(calibration.to_string(index=False, float_format=number), file=out)
    leaky = result.per_file[result.per_file["fn"] > 0].head(worst_files)
    if len(leaky):
        print(f"\nfiles with most misses (of {int((result.per_file['fn'] > 0).sum())}):", file=out)
        print(leaky.to_string(index=False, float_format=number), file=out)
