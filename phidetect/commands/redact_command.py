"""``phidetect redact IN OUT``: de-identified copies, optionally verified by a rescan.
Exit 0 when every copy was written (and, with --verify, no residual finding reaches
--fail-on), 1 when residual PHI is found, 2 on usage errors or outputs that exist, 3 when
files could not be redacted or copies could not be verified (they are listed on stderr
and in --log; the rest of the batch is written)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from phidetect.commands.common import (
    EXIT_CLEAN,
    EXIT_INCOMPLETE,
    EXIT_PHI,
    EXIT_USAGE,
    add_device,
    add_file_timeout,
    fail,
    fraction,
    positive,
    table_path_ok,
    unchecked_files,
)
from phidetect.ocr_settings import OcrOptions, OcrSettings
from phidetect.output import errors_path, read_table, write_table
from phidetect.redact.boxes import top_rows
from phidetect.redact.keys import SECRET_ENV, secret_from_env
from phidetect.redact.pixels import DEFAULT_MARGIN
from phidetect.redact.policy import PRESETS, PRIVATE_MODES, Policy
from phidetect.redact.result import RedactionResult
from phidetect.redact.run import redact
from phidetect.redact.sizes import size_lines

#: Policy switches with a --flag/--no-flag pair; None leaves the preset's value.
SWITCHES = ("clean_descriptors", "clean_structured_content", "clean_graphics", "retain_patient_characteristics",
            "retain_device_identity", "retain_institution_identity", "retain_uids")


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser("redact", help="write de-identified copies of DICOM files",
                              description="Write a de-identified copy of every DICOM file under IN into OUT "
                                          "(PS3.15 header actions, burned-in text blacked out). Never in place.",
                              epilog="exit status: 0 every copy written (and verified clean); 1 residual PHI; 2 "
                                     "usage error or outputs that exist; 3 files that could not be redacted or "
                                     "copies that could not be verified")
    cmd.add_argument("source", metavar="IN", help="DICOM file or folder (recursed)")
    cmd.add_argument("out", metavar="OUT", help="output folder (the tree of IN is mirrored)")
    policy = cmd.add_argument_group("policy (docs/redaction.md)")
    policy.add_argument("--policy", choices=sorted(PRESETS), default="research",
                        help="preset: research (default; TCIA-like options) or basic (Basic Profile only)")
    policy.add_argument("--dates", choices=("remove", "shift", "keep"),
                        help="remove dates, shift them per patient (Modified Dates) or keep them (Full Dates)")
    policy.add_argument("--private", choices=PRIVATE_MODES,
                        help="remove private elements (default); safe: Retain Safe Private, keep those on the "
                             "safe-private list (PS3.15 Table E.3.10-1 and --safe-private), cleaned of detected PHI; "
                             "clean: keep every one without detected PHI (not the standard's option)")
    policy.add_argument("--safe-private", action="append", metavar="FILE.csv",
                        help="more safe private attributes for --private safe (columns group, private_creator, "
                             "element, vr; repeatable)")
    for name in SWITCHES:
        policy.add_argument("--" + name.replace("_", "-"), dest=name, action=argparse.BooleanOptionalAction,
                            default=None, help="option of PS3.15 (default: as the preset)")
    policy.add_argument("--secret-file", help=f"key for UIDs and date shifts (else ${SECRET_ENV}, else random)")
    policy.add_argument("--rename", action="store_true", help="name outputs by keyed hashes, not input names")
    pixels = cmd.add_argument_group("pixels")
    pixels.add_argument("--no-ocr", action="store_true", help="do not read burned-in text (only --boxes are blacked out)")
    pixels.add_argument("--ocr-engine", choices=("easyocr", "tesseract"), default="easyocr")
    add_device(pixels)
    pixels.add_argument("--no-prefilter", action="store_true", help="OCR every frame")
    pixels.add_argument("--full-frame", action="store_true", help="the OCR engine's own text detector")
    pixels.add_argument("--thorough", action="store_true",
                        help="read as phidetect scan --thorough does: also the lines easyocr's detector finds beyond "
                             "the classical text regions, and cines' steady view (about 2-3x slower)")
    pixels.add_argument("--margin", type=int, default=DEFAULT_MARGIN,
                        help=f"pixels added around every box (default {DEFAULT_MARGIN})")
    pixels.add_argument("--box-frames", choices=("all", "found"), default="all",
                        help="black out each box in every frame (default) or only where it was found")
    pixels.add_argument("--boxes", help="more boxes to black out: a table in findings or truth schema")
    pixels.add_argument("--findings", help="an earlier scan's findings table (its boxes and spans are used too)")
    pixels.add_argument("--blank-top-rows", type=positive, help="black out the top N rows of every frame")
    pixels.add_argument("--blank-text-regions", action="store_true",
                        help="also black out every text-like region, read or not (conservative: OCR misses small "
                             "text; costs image area)")
    pixels.add_argument("--phi-words-only", action="store_true",
                        help="black out only the words rules name as PHI (default: also the rest of their line, "
                             "text read too unsurely to judge or only in part and text regions OCR read nothing in)")
    pixels.add_argument("--decompress", action="store_true",
                        help="write blanked compressed inputs uncompressed (default: a lossless compressed syntax, "
                             "the input's family where an encoder is installed)")
    run_group = cmd.add_argument_group("run")
    run_group.add_argument("--overwrite", action="store_true", help="replace outputs that exist")
    run_group.add_argument("--workers", type=positive, default=None, help="processes (default: all cores)")
    add_file_timeout(run_group)
    run_group.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    run_group.add_argument("--log", help="write one row per file to FILE.csv or FILE.parquet (errors in "
                                         "FILE.errors.csv, every box filled and why in FILE.boxes.csv)")
    run_group.add_argument("--map-out", metavar="MAP", help="write the linkage map to MAP.csv or MAP.parquet: each "
                                                            "original's path, UIDs and Patient ID beside its copy's "
                                                            "(sensitive: it re-identifies the copies; docs/redaction.md)")
    run_group.add_argument("--map-inside-output", action="store_true",
                           help="allow --map-out inside OUT (refused by default: the map must not travel with the copies)")
    check = cmd.add_argument_group("verify")
    check.add_argument("--verify", action="store_true", help="scan the copies again (tags and OCR)")
    check.add_argument("--fail-on", type=fraction, default=0.5,
                       help="exit 1 when a residual finding reaches this confidence (default 0.5)")
    check.add_argument("--residual", help="write the residual findings to FILE.csv or FILE.parquet")
    cmd.set_defaults(run=run)


def policy_from(args: argparse.Namespace) -> Policy:
    changes = {name: getattr(args, name) for name in SWITCHES if getattr(args, name) is not None}
    if args.dates:
        changes["dates"] = args.dates
    if args.private:
        changes["private"] = args.private
    if args.safe_private:
        changes["safe_private"] = tuple(args.safe_private)
    return Policy.preset(args.policy, **changes)


def _secret(args: argparse.Namespace) -> bytes | None:
    if args.secret_file:
        return Path(args.secret_file).read_bytes().strip()
    return secret_from_env()


def _boxes(args: argparse.Namespace):
    import pandas as pd

    tables = []
    if args.boxes:
        tables.append(read_table(args.boxes))
    if args.blank_top_rows:
        tables.append(top_rows(args.blank_top_rows))
    return pd.concat(tables, ignore_index=True) if tables else None


def print_report(result: RedactionResult, fail_on: float, out=None) -> bool:
    """The run in a few lines; True when a residual finding reaches ``fail_on``."""
    out = out or sys.stdout
    counts = result.counts()
    files = result.files
    print("files: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=out)
    print(f"header actions: {int(files['n_header_actions'].sum())}  boxes blacked out: "
          f"{int(files['n_boxes'].sum())}  decompressed: {int(files['decompressed'].sum())}", file=out)
    for line in size_lines(files):
        print(line, file=out)
    if result.residual is None:
        return False
    failing = result.residual.at_least(fail_on)
    print(f"verify: {result.residual.files_scanned} copies scanned, residual findings {len(result.residual)} "
          f"(at or above {fail_on}: {len(failing)})", file=out)
    for row in failing.head(20).itertuples():
        where = row.tag_path or f"frame {row.frame} box {row.x},{row.y},{row.width}x{row.height}"
        print(f"  {row.file}: {where} {row.phi_type} {row.confidence:.2f} {row.rule}", file=out)
    print("FAIL: PHI left in the copies" if len(failing) else "PASS: no residual finding reaches the threshold",
          file=out)
    return bool(len(failing))


def run(args: argparse.Namespace) -> int:
    if not (table_path_ok(args.log, "--log") and table_path_ok(args.residual, "--residual")
            and table_path_ok(args.map_out, "--map-out")):
        return EXIT_USAGE
    if args.margin < 0:
        return fail("--margin must be 0 or more")
    options = OcrOptions(prefilter=not args.no_prefilter, regions=not args.full_frame)
    ocr = False if args.no_ocr else OcrSettings(
        args.ocr_engine, options.thorough() if args.thorough else options, device=args.device)
    try:
        policy = policy_from(args)
        boxes = _boxes(args)
        findings = read_table(args.findings) if args.findings else None
        result = redact(args.source, args.out, policy=policy, secret=_secret(args), ocr=ocr, findings=findings,
                        boxes=boxes, margin=args.margin, every_frame=args.box_frames == "all",
                        overwrite=args.overwrite, rename=args.rename, workers=args.workers,
                        progress=not args.no_progress, verify=args.verify, file_timeout=args.file_timeout,
                        blank_text_regions=args.blank_text_regions,
                        blank_unsure_text=not args.phi_words_only, map_out=args.map_out,
                        map_inside_output=args.map_inside_output, keep_compression=not args.decompress)
    except (OSError, ValueError, KeyError, ImportError, RuntimeError) as exc:  # RuntimeError: OcrUnavailable
        return fail(f"cannot redact: {exc}")
    for note in result.notes:
        print(f"phidetect: note: {note}", file=sys.stderr)
    for row in result.errors.itertuples():
        print(f"phidetect: {row.file}: {row.kind}: {row.error}", file=sys.stderr)
    if result.residual is not None:
        for row in result.residual.errors.itertuples():
            print(f"phidetect: verify: {row.file}: {row.kind}: {row.error}", file=sys.stderr)
    try:
        if args.log:
            write_table(result.files, args.log)
            write_table(result.errors, errors_path(args.log))
            log = Path(args.log)
            write_table(result.boxes, log.with_name(log.stem + ".boxes.csv"))
        if args.residual and result.residual is not None:
            write_table(result.residual, args.residual)
    except (OSError, ValueError, ImportError) as exc:
        return fail(f"cannot write the log: {exc}")
    found = print_report(result, args.fail_on)
    if found:
        return EXIT_PHI
    unverified = unchecked_files(result.residual.errors) if result.residual is not None else 0
    if result.counts()["error"] or unverified:
        return EXIT_INCOMPLETE
    return EXIT_USAGE if result.counts()["exists"] else EXIT_CLEAN
