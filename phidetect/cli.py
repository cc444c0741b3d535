"""The ``phidetect`` command line: one subcommand per module in ``phidetect.commands``.
Exit codes: 0 clean, 1 PHI found (or left), 2 usage or output errors, 3 files that could
not be checked (or redacted) and no PHI found: an incomplete sweep never passes."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from phidetect.commands.common import EXIT_CLEAN, EXIT_INCOMPLETE, EXIT_PHI, EXIT_USAGE

#: Subcommand modules by name, in the order ``--help`` lists them. Only the module of the
#: command asked for is imported: a header sweep does not load redaction's stack.
COMMANDS = {
    "scan": "phidetect.commands.scan_command",
    "redact": "phidetect.commands.redact_command",
    "evaluate": "phidetect.commands.evaluate_command",
    "audit": "phidetect.commands.audit_command",
    "report": "phidetect.commands.report_command",
    "synth": "phidetect.commands.synth_command",
    "measure-redaction": "phidetect.commands.measure_command",
}

__all__ = ["EXIT_CLEAN", "EXIT_INCOMPLETE", "EXIT_PHI", "EXIT_USAGE", "build_parser", "main"]


def _modules(argv: Sequence[str] | None) -> list[ModuleType]:
    """The command modules a parse of ``argv`` needs: the named command's alone, or all of
    them (``--help``, no command, a misspelt one: the message lists every command)."""
    first = next((a for a in (argv or []) if not a.startswith("-")), None)
    names = [first] if first in COMMANDS else list(COMMANDS)
    return [importlib.import_module(COMMANDS[name]) for name in names]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="phidetect", description="Find PHI in DICOM files.",
                                     epilog="exit status: 0 clean; 1 PHI found; 2 usage or output error; 3 some "
                                            "files could not be checked and no PHI found (never a pass)")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in _modules(argv):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
