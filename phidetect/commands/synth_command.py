"""``phidetect synth``: write labelled synthetic DICOM files and their truth table.
Exit 0 on success, 2 when the folder is not usable (already has a truth.csv or the
files, is a file) or cannot be written."""

from __future__ import annotations

import argparse

from phidetect.commands.common import EXIT_CLEAN, fail


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def add_parser(commands: argparse._SubParsersAction) -> None:
    synth = commands.add_parser(
        "synth", help="write synthetic DICOM files with planted PHI and a truth table",
        description="Write N synthetic DICOM files (CT, MR, CR/DX, US, secondary capture; several transfer "
                    "syntaxes) with PHI planted in tags and burned into pixels, and OUTDIR/truth.csv saying "
                    "where every piece is. The same seed gives byte-identical output.")
    synth.add_argument("outdir", metavar="OUTDIR", help="folder to write (created if missing)")
    synth.add_argument("--n", type=_count, default=100, help="number of files (default 100)")
    synth.add_argument("--seed", type=_count, default=0, help="random seed (default 0)")
    synth.add_argument("--overwrite", action="store_true",
                       help="replace an existing truth.csv and files of the same names")
    synth.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here so other subcommands do not pay for Faker, OpenCV and Pillow
    try:
        from phidetect.datasets.synthetic import generate
    except ImportError as exc:
        return fail(f"synth needs the synth extra (pip install 'phidetect[synth]'): {exc}")
    try:
        truth = generate(args.outdir, args.n, args.seed, overwrite=args.overwrite)
    except (ValueError, OSError) as exc:
        return fail(str(exc))
    pixel = int((truth["source"] == "pixel").sum())
    print(f"wrote {args.n} files and {len(truth)} truth rows ({len(truth) - pixel} tag, {pixel} pixel) "
          f"to {args.outdir}; truth table: {args.outdir.rstrip('/')}/truth.csv")
    return EXIT_CLEAN
