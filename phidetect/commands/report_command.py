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
    report.add_argument("findings", metavar="FINDINGS",
                        help="findings table (.parquet or .csv), sweep folder from phidetect scan --out, or an "
                             "audit table from phidetect audit --out")
    report.add_argument("--out", required=True, help="the HTML file to write")
    report.add_argument("--root", help="folder the file column is relative to: the folder that was scanned "
                                       "(default: the current folder)")
    report.add_argument("--originals", help="audit reports: the folder of the originals (for the crops)")
    report.add_argument("--copies", help="audit reports: the folder of the copies (for the crops)")
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
    report.add_argument("--detail-files", type=int, default=None,
                        help="riskiest files that get a section with every finding (default 500)")
    report.add_argument("--table-files", type=int, default=None,
                        help="files after those that get one line in a searchable table (default 20000); the "
                             "rest are counted: the page stays small whatever the sweep")
    report.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from phidetect.report import (
        DEFAULT_DETAIL_FILES,
        DEFAULT_MAX_THUMBNAILS,
        DEFAULT_TABLE_FILES,
        write_report,
        write_sweep_report,
    )
    from phidetect.sweep import committed_parts

    if not args.out.lower().endswith((".html", ".htm")):
        return fail(f"--out {args.out}: must end in .html")
    if args.root and not Path(args.root).is_dir():
        return fail(f"--root {args.root}: no such folder")
    limit = DEFAULT_MAX_THUMBNAILS if args.max_thumbnails is None else max(0, args.max_thumbnails)
    options = {"root": args.root, "fail_on": args.fail_on, "title": args.title, "max_thumbnails": limit,
               "mask": args.mask,
               "detail_files": DEFAULT_DETAIL_FILES if args.detail_files is None else max(0, args.detail_files),
               "table_files": DEFAULT_TABLE_FILES if args.table_files is None else max(0, args.table_files)}
    if Path(args.findings).is_dir():
        if not (Path(args.findings) / "files").is_dir() or not committed_parts(args.findings):
            return fail(f"{args.findings}: not a phidetect sweep folder (no committed parts)")
        try:
            out = write_sweep_report(args.findings, args.out, **options)
        except (OSError, ValueError, KeyError, ImportError) as exc:
            return fail(f"cannot write {args.out}: {exc}")
        print(f"report written to {out}")
        return EXIT_CLEAN
    errors_file = Path(args.errors) if args.errors else errors_path(args.findings)
    if args.errors and not errors_file.is_file():
        return fail(f"--errors {args.errors}: no such file")
    try:
        findings = read_table(args.findings)
        errors = read_table(errors_file) if errors_file.is_file() else None
    except (OSError, ValueError, ImportError) as exc:
        return fail(f"cannot read {args.findings}: {exc}")
    if {"status", "copy", "evidence"} <= set(findings.columns):
        return _audit_report(findings, args)
    try:
        out = write_report(findings, args.out, errors=errors, files_scanned=args.files_scanned, **options)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        return fail(f"cannot write {args.out}: {exc}")
    print(f"report written to {out}")
    return EXIT_CLEAN


def _audit_report(audit, args: argparse.Namespace) -> int:
    """The page of an audit table: verdict, leaks first with crops, utility lost."""
    from phidetect.output import beside
    from phidetect.report.audit_page import write_audit_report

    utility_file = beside(args.findings, "utility")
    try:
        utility = read_table(utility_file) if utility_file.is_file() else None
        out = write_audit_report(audit, args.out, originals=args.originals or args.root or ".",
                                 copies=args.copies or ".", utility=utility, fail_on=args.fail_on,
                                 title=args.title, mask=args.mask)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        return fail(f"cannot write {args.out}: {exc}")
    print(f"audit report written to {out}")
    return EXIT_CLEAN
