"""Argument types, exit codes and output checks shared by the subcommands.

Exit codes: 0 clean (every file checked, nothing reaches --fail-on); 1 PHI found (and
only that); 2 usage or output errors; 3 no PHI found, but some files could not be
checked (error rows other than ``not DICOM``): an incomplete sweep never reads PASS.
"""

from __future__ import annotations

import argparse
import sys

from phidetect.ocr.devices import Device
from phidetect.output import FORMATS
from phidetect.sweep_summary import COMPLETE_KINDS, unchecked_files

EXIT_CLEAN, EXIT_PHI, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
#: Exit status of a sweep stopped by Ctrl-C or SIGTERM (what was finished is kept).
EXIT_INTERRUPTED = 130
__all__ = ["COMPLETE_KINDS", "unchecked_files"]

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


def add_file_timeout(group) -> None:
    """``--file-timeout S``, as scan and redact both take it (phidetect.limits)."""
    group.add_argument("--file-timeout", type=float, default=None, metavar="S",
                       help="seconds one file may take before it becomes a 'timeout' error row and its worker is "
                            "replaced (default 60 headers only, 1800 with OCR; 0: no limit)")


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


def add_device(group) -> None:
    """``--device``: where the OCR model runs (scan and redact share it)."""
    group.add_argument("--device", choices=[d.value for d in Device], default=Device.AUTO.value,
                       help="where the OCR model runs: a CUDA GPU when torch sees one (auto, the default), the "
                            "CPU, or cuda (an error where there is none)")
