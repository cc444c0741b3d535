"""``phidetect evaluate FINDINGS TRUTH``: score a findings table against truth."""

from __future__ import annotations

import argparse

from phidetect.commands.common import EXIT_CLEAN, EXIT_USAGE, fail, fraction, table_path_ok
from phidetect.evaluate import evaluate
from phidetect.output import read_table, write_table


def add_parser(commands: argparse._SubParsersAction) -> None:
    score = commands.add_parser("evaluate", help="score a findings table against a truth table",
                                description="Compare findings with hand-made truth (docs/truth-schema.md).")
    score.add_argument("findings", metavar="FINDINGS", help="findings table (.parquet or .csv)")
    score.add_argument("truth", metavar="TRUTH", help="truth table (.parquet or .csv)")
    score.add_argument("--out", help="write the metrics table to FILE.parquet or FILE.csv")
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
    print(result.metrics.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"misses: {len(result.misses)}  false alarms: {len(result.false_alarms)}")
    return EXIT_CLEAN
