"""``phidetect audit ORIGINALS COPIES``: what of the originals' PHI survived in the copies."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from phidetect.commands.common import EXIT_CLEAN, EXIT_PHI, EXIT_USAGE, fail, fraction, positive, table_path_ok


def add_parser(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser(
        "audit", help="judge de-identified copies against their originals",
        description="Pair every original with its copy (path, SOPInstanceUID, --map, else pixel content) and seek "
                    "each PHI item of the original in its copy: every header value, and each burned-in box in "
                    "the same place. One row per item: leaked, removed, unchecked or unpaired, with evidence.")
    audit.add_argument("originals", metavar="ORIGINALS", help="the original files (file or folder)")
    audit.add_argument("copies", metavar="COPIES", help="their de-identified copies (file or folder)")
    audit.add_argument("--out", required=True,
                       help="write the audit table to FILE.parquet or FILE.csv (and beside it FILE.utility.csv, "
                            "FILE.changed.csv, FILE.unpaired.csv, FILE.errors.csv)")
    audit.add_argument("--findings", metavar="F",
                       help="the originals' findings table (.parquet/.csv): reused instead of scanning them again")
    audit.add_argument("--ocr", action="store_true",
                       help="scan the originals' pixels too, and read changed boxes of the copies again")
    audit.add_argument("--map", metavar="MAP.csv", dest="uid_map",
                       help="original -> new SOPInstanceUID (two columns), for renamed copies with new UIDs")
    audit.add_argument("--fail-on", type=fraction, default=0.5,
                       help="exit 1 when a leaked item has at least this confidence (default 0.5)")
    audit.add_argument("--workers", type=positive, default=None, help="processes for the scan of the originals")
    audit.add_argument("--no-utility", action="store_true",
                       help="skip measuring what the copies changed outside the PHI (no frame decoded for it)")
    audit.add_argument("--no-progress", action="store_true", help="no progress bar")
    audit.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from phidetect.copy_audit import audit
    from phidetect.output import beside, write_table

    if not table_path_ok(args.out):
        return EXIT_USAGE
    for given in (args.originals, args.copies):
        if not Path(given).exists():
            return fail(f"{given}: no such file or folder")
    try:
        result = audit(args.originals, args.copies, findings=args.findings, ocr=args.ocr, uid_map=args.uid_map,
                       workers=args.workers, progress=not args.no_progress, utility=not args.no_utility)
    except (OSError, ValueError, KeyError) as exc:
        return fail(f"cannot audit: {exc}")
    try:
        write_table(result, args.out)
        for name in ("utility", "changed", "unpaired", "errors"):
            write_table(getattr(result, name), beside(args.out, name))
    except (OSError, ValueError, ImportError) as exc:
        return fail(f"cannot write {args.out}: {exc}")
    leaked = result.leaked(args.fail_on)
    print(f"pairs: {len(result.pairs)}  unpaired originals: {(result.unpaired['side'] == 'original').sum()}  "
          f"unpaired copies: {(result.unpaired['side'] == 'copy').sum()}  files not read: {len(result.errors)}")
    if not args.no_utility:
        lost = result.utility
        print(f"outside the PHI: {int(lost['removed'].sum())} elements removed, {int(lost['altered'].sum())} altered; "
              f"{int(lost['pixels_changed'].sum()):,} of {int(lost['pixels_outside_boxes'].sum()):,} pixels changed; "
              f"study UIDs {result.verdicts['study_uids']}; dates {result.verdicts['dates']}")
    counts = result["status"].value_counts()
    print("items: " + "  ".join(f"{status} {counts.get(status, 0)}"
                                for status in ("leaked", "kept", "removed", "unchecked", "unpaired")))
    if len(leaked):
        print(f"FAIL: {len(leaked)} PHI items of the originals left in the copies (>= {args.fail_on}):")
        shown = leaked[["file", "phi_type", "tag_path", "text", "evidence"]].head(20)
        print(shown.to_string(index=False), file=sys.stdout)
        return EXIT_PHI
    print(f"PASS: no PHI item of the originals at or above {args.fail_on} left in the copies")
    return EXIT_CLEAN
