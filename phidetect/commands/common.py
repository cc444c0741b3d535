"""Argument types, exit codes and output checks shared by the subcommands."""

from __future__ import annotations

import argparse
import sys

from phidetect.output import FORMATS

EXIT_CLEAN, EXIT_PHI, EXIT_USAGE = 0, 1, 2


def fraction(text: str) -> float:
    """A number in 0..1 (confidences, coverage)."""
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def positive(text: str) -> int:
    """A count of at least one (workers, files)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def table_path_ok(path: str | None, option: str = "--out") -> bool:
    """True when ``path`` is absent or ends in a table format we write; else says why on stderr."""
    if path and not path.lower().endswith(FORMATS):
        print(f"phidetect: {option} {path}: must end in .parquet or .csv", file=sys.stderr)
        return False
    return True


def fail(message: str) -> int:
    """Print a usage/output error and return its exit code."""
    print(f"phidetect: {message}", file=sys.stderr)
    return EXIT_USAGE
