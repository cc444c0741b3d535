"""The redact command run in this process, as the command line would run it."""

from __future__ import annotations

import argparse

from phidetect.commands import redact_command


def redact_cli(capsys, *args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``phidetect redact ARGS``."""
    parser = argparse.ArgumentParser(prog="phidetect")
    redact_command.add_parser(parser.add_subparsers(dest="command", required=True))
    parsed = parser.parse_args(["redact", *map(str, args)])
    code = parsed.run(parsed)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
