"""The ``phidetect`` command line: one subcommand per module in ``phidetect.commands``.
Exit codes: 0 clean, 1 PHI found (or left), 2 usage or output errors, 3 files that could
not be checked (or redacted) and no PHI found: an incomplete sweep never passes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from phidetect.commands import (
    evaluate_command,
    measure_command,
    redact_command,
    report_command,
    scan_command,
    synth_command,
)
from phidetect.commands.common import EXIT_CLEAN, EXIT_INCOMPLETE, EXIT_PHI, EXIT_USAGE
from phidetect.commands.scan_command import print_summary

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS = [scan_command, redact_command, evaluate_command, report_command, synth_command, measure_command]

__all__ = ["EXIT_CLEAN", "EXIT_INCOMPLETE", "EXIT_PHI", "EXIT_USAGE", "build_parser", "main", "print_summary"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="phidetect", description="Find PHI in DICOM files.",
                                     epilog="exit status: 0 clean; 1 PHI found; 2 usage or output error; 3 some "
                                            "files could not be checked and no PHI found (never a pass)")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
