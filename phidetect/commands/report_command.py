"""``phidetect report FINDINGS --out report.html``: the findings of a scan as one HTML page
for a reviewer. Exit 0 when the report is written, 2 on usage, input or output errors
(the verdict is in the page; ``phidetect scan`` is what gates a release)."""

from __future__ import annotations

import argparse
from pathlib import Path

from phidetect.commands.common import EXIT_CLEAN, fail, fraction, positive
from phidetect.output import errors_path, read_table


def add_parser(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="write an HTML report of a findings table",
                                 description="Turn a findings table into one self-contained HTML page: "
                                             "summary, findings per file with pictures of the boxes, errors.")
    report.add_argument("findings", metavar="FINDINGS", help="findings table (.parquet or .csv) from phidetect scan")
    report.add_argument("--out", required=True, help="the HTML file to write")
    report.add_argument("--root", help="folder the file column is relative to: the folder that was scanned "
                                       "(default: the current folder)")
    report.add_argument("--fail-on", type=fraction, default=0.5,
                        help="confidence that counts as PHI in the verdict (default 0.5)")
    report.add_argument("--errors", metavar="ERRORS.csv",
                        help="errors table (default: FINDINGS.errors.csv beside FINDINGS, if there)")
    report.add_argument("--title", help="the page title (default: phidetect report)")
    report.add_argument("--files-scanned", type=positive, help="files the scan read, for the summary")
    report.add_argument("--mask", action="store_true",
                        help="show only the first letter of each word of PHI text and fill the boxes")
    report.add_argument("--max-thumbnails", type=int, default=None,
                        help="files that get pictures, pixel findings first (default 200; 0: none)")
    report.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from phidetect.report import DEFAULT_MAX_THUMBNAILS, write_report

    if not args.out.lower().endswith((".html", ".htm")):
        return fail(f"--out {args.out}: must end in .html")
    if args.root and not Path(args.root).is_dir():
        return fail(f"--root {args.root}: no such folder")
    errors_file = Path(args.errors) if args.errors else errors_path(args.findings)
    if args.errors and not errors_file.is_file():
        return fail(f"--errors {args.errors}: no such file")
    try:
        findings = read_table(args.findings)
        errors = read_table(errors_file) if errors_file.is_file() else None
    except (OSError, ValueError, ImportError) as exc:
        return fail(f"cannot read {args.findings}: {exc}")
    limit = DEFAULT_MAX_THUMBNAILS if args.max_thumbnails is None else max(0, args.max_thumbnails)
    try:
        out = write_report(findings, args.out, root=args.root, fail_on=args.fail_on, title=args.title,
                           errors=errors, files_scanned=args.files_scanned, max_thumbnails=limit, mask=args.mask)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        return fail(f"cannot write {args.out}: {exc}")
    print(f"report written to {out}")
    return EXIT_CLEAN
