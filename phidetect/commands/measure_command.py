"""``phidetect measure-redaction``: the README's redaction figures, reproduced in one
command (phidetect.measure.measure_redaction). Exit 0 when measured (the numbers are the
result, whatever they are), 2 when the output folder is not usable, an extra or an OCR
model is missing."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from phidetect.commands.common import EXIT_CLEAN, fail, positive
from phidetect.measure.box_misses import misses_by_reason
from phidetect.redact.policy import PRESETS


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser(
        "measure-redaction", help="measure redaction on synthetic files with a known truth",
        description="Generate N synthetic files, redact them (the truth's boxes given, OCR off; then, unless "
                    "--no-ocr, as a user runs it) and print one column per run: header PHI left, truth boxes "
                    "blanked, pixels outside them unchanged, non-PHI elements unchanged, valid outputs, inputs "
                    "unchanged, seconds. Definitions: phidetect.measure.redaction, docs/redaction.md.")
    cmd.add_argument("--n", type=positive, default=100, help="synthetic files (19 or more covers every kind)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed of the synthetic set (default 0)")
    cmd.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=True,
                     help="also measure the OCR run (default; slow on a CPU)")
    cmd.add_argument("--ocr-engine", default="easyocr", choices=("easyocr", "tesseract"))
    cmd.add_argument("--policy", default="research", choices=sorted(PRESETS))
    cmd.add_argument("--blank-text-regions", action="store_true",
                     help="with OCR: one more run that also blanks every text-like region")
    cmd.add_argument("--phi-words-only", action="store_true",
                     help="with OCR: one more run that blanks only the PHI words (no unsure text, no whole lines)")
    cmd.add_argument("--workers", type=positive, default=None, help="default: all cores")
    cmd.add_argument("--out", type=Path, default=None,
                     help="a new or empty folder that keeps the data, the copies and CSVs of what was missed "
                          "(default: a temporary folder, deleted)")
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here so other subcommands do not pay for Faker, OpenCV and Pillow (synth extra)
    try:
        from phidetect.measure import measure_redaction
    except ImportError as exc:
        return fail(f"measure-redaction needs the synth extra (pip install 'phidetect[synth]'): {exc}")
    try:
        measurement = measure_redaction(args.n, args.seed, ocr=args.ocr, ocr_engine=args.ocr_engine,
                                        policy=args.policy, blank_text_regions=args.blank_text_regions,
                                        phi_words_only=args.phi_words_only, workers=args.workers, out=args.out,
                                        progress=True)
    except (ValueError, OSError, ImportError, RuntimeError) as exc:  # RuntimeError: OcrUnavailable
        return fail(f"cannot measure: {exc}")
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(f"n={args.n} seed={args.seed} policy={args.policy}")
        print(measurement.table().to_string())
        for result in measurement.runs:
            leaks = result.leaks()
            if len(leaks):
                print(f"\n{result.name}: residual spans\n{leaks.to_string(index=False)}")
            missed = result.boxes[~result.boxes["blanked"].astype(bool)]
            if len(missed):
                print(f"\n{result.name}: truth boxes not blanked, by reason\n{misses_by_reason(result.boxes).to_string()}")
                print(missed[["file", "frame", "text", "why"]].to_string(index=False))
    if measurement.out is not None:
        print(f"\ntables in {measurement.out}")
    return EXIT_CLEAN
