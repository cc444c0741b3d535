"""Measure what redaction achieves on synthetic data with a known truth (issue 5).

    python scripts/measure_redaction.py --n 100 --seed 0 --ocr --out /tmp/measure

Generates ``--n`` synthetic files (phidetect.datasets.synthetic), redacts them with a
fixed secret, and measures, per run:

- **ocr**: redaction as a user runs it, burned-in text found by OCR (the realistic path:
  PHI words, the rest of their lines, text read too unsurely to judge);
- ``--phi-words-only``: the same, blanking only the words the rules name as PHI;
- ``--blank-text-regions``: the same, also blanking every classical text region;
- **truth boxes**: the truth's pixel boxes given as ``boxes=`` and OCR off, an upper bound
  for pixel blanking that does not depend on OCR.

What is measured, and how:

(a) **Residual header PHI.** For every required tag truth row the output file's element at
    the row's ``tag_path`` is read (phidetect.redact.resolve); the row is *residual* when
    the truth text still occurs in the value (case-insensitive) or, for a name, one of its
    parts (split on ``^``, spaces, commas, dots; two letters or more) still occurs as a
    word. An absent or empty element counts as removed. Rows in attributes that a policy
    option keeps on purpose (``K`` by Retain Device Identity under ``research``: station
    name, serial number) are counted apart as *kept by policy*. The copies are also
    rescanned (``phidetect.redact.verify``, tags only): residual findings at >= 0.5,
    what the policy keeps on purpose excluded.
(b) **Truth boxes blanked.** Each required pixel truth row (one per box and frame) is
    looked at in the output's display image of that frame (what a viewer shows, through
    phidetect.dicom.pixels.display_image): the tight truth box is *blanked* when at least
    95 % of its pixels display at or below grey level 16 of 255 (every channel), or its
    values spread over at most 8 grey levels (1st to 99th percentile: a uniform fill,
    whatever its grey). Text left in the box fails both. Reported per box and frame, and
    per distinct box (a cine's banner once: blanked in every frame it is in). Also: the
    share of pixels *outside* the truth boxes (all of a file's boxes, grown by the
    redaction margin, in every frame, since boxes are filled in every frame) whose stored
    values are unchanged: what redaction takes away from the image that was no PHI.
(c) **Untouched non-PHI elements unchanged.** For every input file, every top-level,
    non-private element that has no truth row and no finding (a tags-only scan of the
    input) and that the profile does not have to change is compared byte for byte with
    the output (raw value bytes; elements pydicom parses on reading, sequences, are
    compared in one encoding). Excluded, because the profile must change them:
    attributes whose E.1-1 action is X, Z, D or U; other UIDs that are not a class or
    syntax (replaced by keyed UIDs); dates (DA, DT) that a dates option shifts or
    removes; overlay (60xx) and curve (50xx) groups (removed whole); the
    de-identification marking (Patient Identity Removed, De-identification Method and
    its Code Sequence, Longitudinal Temporal Information Modified, Burned In Annotation);
    and the pixel attributes that are rewritten or made to describe decompressed frames
    (Pixel Data, Bits Allocated/Stored, High Bit, Pixel Representation, Samples per
    Pixel, Photometric Interpretation, Planar Configuration, the extended offset table).
    File meta is not compared (it is rebuilt).
(d) **Valid outputs.** Every copy opens with ``pydicom.dcmread`` without ``force`` and
    its ``pixel_array`` decodes with the input's shape.
(e) **Inputs unchanged.** SHA-256 of every input file before and after.
(f) **Time.** Seconds of the redaction call (and files per second).

Prints one table, one column per run; ``--out`` keeps the data, the copies and CSVs of the
residual spans, the boxes that were not blanked and the boxes redaction filled (with why).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_data_element
from pydicom.multival import MultiValue

from phidetect.dicom.pixels import display_image
from phidetect.redact import DEFAULT_MARGIN, Policy, redact, verify
from phidetect.redact.resolve import element as resolve_element
from phidetect.redact.resolve import last_tag, parse
from phidetect.redact.uids import names_a_kind

#: (b) a box is blanked when this share of its pixels displays at or below DARK_LEVEL...
DARK_SHARE = 0.95
DARK_LEVEL = 16
#: ... or when its values spread over at most this many grey levels (1st-99th percentile).
UNIFORM_SPREAD = 8.0
#: (a) residual findings of the rescan at or above this confidence count.
FAIL_ON = 0.5
SECRET = b"measure-redaction-fixed-secret"

#: (c) top-level elements redaction rewrites by design (see the module docstring).
MARKING = {0x00120062, 0x00120063, 0x00120064, 0x00280303, 0x00280301}
PIXEL_ATTRIBUTES = {0x7FE00010, 0x7FE00008, 0x7FE00009, 0x7FE00001, 0x7FE00002, 0x00280100, 0x00280101,
                    0x00280102, 0x00280103, 0x00280002, 0x00280004, 0x00280006}
_NAME_PART = re.compile(r"[\^\s,.]+")


@dataclass
class RunResult:
    """The numbers of one redaction run and the tables behind them."""

    name: str
    seconds: float
    files: int
    numbers: dict[str, object] = field(default_factory=dict)
    spans: pd.DataFrame = field(default_factory=pd.DataFrame)
    boxes: pd.DataFrame = field(default_factory=pd.DataFrame)
    elements: pd.DataFrame = field(default_factory=pd.DataFrame)
    validity: pd.DataFrame = field(default_factory=pd.DataFrame)
    residual: pd.DataFrame = field(default_factory=pd.DataFrame)
    filled: pd.DataFrame = field(default_factory=pd.DataFrame)   # redaction's own boxes table


# --- small helpers ------------------------------------------------------------------------

def tree_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``: inputs must be byte-identical after a run."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def output_paths(files: pd.DataFrame) -> dict[str, Path]:
    """Input name (as the truth spells it) -> its written copy, from ``result.files``."""
    written = files[files["status"] == "written"]
    return {str(r.input): Path(str(r.output)) for r in written.itertuples()}


def read(path: Path, *, headers_only: bool = False) -> Dataset:
    """A strict read (no ``force``): a copy that needs force is not a valid DICOM file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(path, stop_before_pixels=headers_only)


def value_text(elem: DataElement | None) -> str:
    """An element's value as text (multi-valued joined by a backslash; bytes decoded)."""
    if elem is None or elem.VR == "SQ":
        return ""
    value = elem.value
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace").strip(" \0")
    if isinstance(value, (MultiValue, list, tuple)):
        return "\\".join(str(v) for v in value)
    return str(value)


# --- (a) residual header PHI --------------------------------------------------------------

def still_there(text: str, value: str, phi_type: str) -> bool:
    """True when the truth ``text`` (or, for a name, one of its parts) is still in ``value``."""
    haystack = value.lower()
    if not haystack or not text:
        return False
    if text.lower() in haystack:
        return True
    if phi_type != "NAME":
        return False
    parts = [p for p in _NAME_PART.split(text.lower()) if len(p) >= 2]
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", haystack) for p in parts)


def kept_by_option(tag_path: str, phi_type: str, policy: Policy) -> bool:
    """Truth in an attribute a chosen option keeps whole on purpose (K), such as a station
    name under Retain Device Identity. An age over 89 is never kept: the policy removes it."""
    tag = last_tag(tag_path)
    return phi_type != "AGE" and policy.option_keeps(tag) and policy.action_for(tag) == "K"


def residual_spans(truth: pd.DataFrame, outputs: dict[str, Path], policy: Policy) -> pd.DataFrame:
    """One row per required tag truth row: the value left in the copy, and whether the PHI
    is still there (``residual``) and whether the policy keeps it on purpose."""
    rows = []
    tags = truth[(truth["source"] == "tag") & truth["required"].astype(bool)]
    cache: dict[str, Dataset] = {}
    for row in tags.itertuples():
        out = outputs.get(str(row.file))
        if out is None:
            rows.append({"file": row.file, "tag_path": row.tag_path, "keyword": row.keyword, "text": row.text,
                         "found": "", "residual": False, "kept_by_policy": False, "no_copy": True})
            continue
        if row.file not in cache:
            cache[row.file] = read(out, headers_only=True)
        found = value_text(resolve_element(cache[row.file], str(row.tag_path)))
        rows.append({"file": row.file, "tag_path": row.tag_path, "keyword": row.keyword, "text": row.text,
                     "found": found, "residual": still_there(str(row.text), found, str(row.phi_type)),
                     "kept_by_policy": kept_by_option(str(row.tag_path), str(row.phi_type), policy),
                     "no_copy": False})
    return pd.DataFrame(rows, columns=["file", "tag_path", "keyword", "text", "found", "residual",
                                       "kept_by_policy", "no_copy"])


# --- (b) pixels ---------------------------------------------------------------------------

def blanked(image: np.ndarray, x: int, y: int, width: int, height: int) -> bool:
    """The criterion of the module docstring: the box is dark, or uniform."""
    crop = image[max(y, 0):max(y + height, 0), max(x, 0):max(x + width, 0)]
    if crop.size == 0:
        return False
    values = crop.reshape(crop.shape[0] * crop.shape[1], -1).astype(float)
    dark = float(np.mean(np.all(values <= DARK_LEVEL, axis=1)))
    spread = float(np.max(np.percentile(values, 99, axis=0) - np.percentile(values, 1, axis=0)))
    return dark >= DARK_SHARE or spread <= UNIFORM_SPREAD


def boxes_blanked(truth: pd.DataFrame, outputs: dict[str, Path]) -> pd.DataFrame:
    """One row per required pixel truth row (a box in one frame): blanked in the copy?"""
    rows = []
    pixel = truth[(truth["source"] == "pixel") & truth["required"].astype(bool)]
    for file, group in pixel.groupby("file", sort=True):
        out = outputs.get(str(file))
        ds = read(out) if out is not None else None
        images: dict[int, np.ndarray] = {}
        for row in group.itertuples():
            ok = False
            if ds is not None:
                frame = int(row.frame)
                if frame not in images:
                    images[frame] = display_image(ds, frame)
                ok = blanked(images[frame], int(row.x), int(row.y), int(row.width), int(row.height))
            rows.append({"file": file, "frame": int(row.frame), "text": row.text, "x": int(row.x), "y": int(row.y),
                         "width": int(row.width), "height": int(row.height), "blanked": ok})
    return pd.DataFrame(rows, columns=["file", "frame", "text", "x", "y", "width", "height", "blanked"])


def distinct_blanked(boxes: pd.DataFrame) -> float:
    """Share of distinct boxes (a cine's banner counted once) blanked in every frame they are in."""
    if boxes.empty:
        return float("nan")
    return float(boxes.groupby(["file", "text", "x", "y", "width", "height"])["blanked"].all().mean())


def allowed_mask(truth: pd.DataFrame, file: str, shape: tuple[int, int], margin: int) -> np.ndarray:
    """Pixels redaction may change in every frame of ``file``: all its truth boxes, grown."""
    mask = np.zeros(shape, dtype=bool)
    rows, columns = shape
    for r in truth[(truth["source"] == "pixel") & (truth["file"] == file)].itertuples():
        top, left = max(0, int(r.y) - margin), max(0, int(r.x) - margin)
        mask[top:min(rows, int(r.y) + int(r.height) + margin), left:min(columns, int(r.x) + int(r.width) + margin)] = True
    return mask


def frames_of(arr: np.ndarray, ds: Dataset) -> np.ndarray:
    """``pixel_array`` as (frames, rows, columns[, samples])."""
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    return arr if frames > 1 else arr[np.newaxis]


# --- (c) untouched elements ---------------------------------------------------------------

def must_change(tag: int, vr: str, keyword: str, policy: Policy) -> str:
    """Why redaction must (or may by design) change this top-level element; "" if it must not."""
    group = tag >> 16
    if tag in MARKING:
        return "de-identification marking"
    if tag in PIXEL_ATTRIBUTES:
        return "pixel data and its description"
    if 0x6000 <= group <= 0x60FF or 0x5000 <= group <= 0x50FF:
        return "overlay or curve group"
    action = policy.action_for(tag)
    if action in ("X", "Z", "D", "U"):
        return f"profile action {action}"
    if vr == "UI" and not policy.retain_uids and not names_a_kind(keyword):
        return "UID replaced"
    if vr in ("DA", "DT") and policy.dates != "keep" and action in ("C", "K"):
        return "date shifted or removed"
    return ""


def _vr(ds: Dataset, tag: int) -> str:
    """The element's VR without converting it (``ds[tag]`` would: raw bytes are compared)."""
    vr = getattr(ds.get_item(tag), "VR", None)
    if vr and vr != "UN":
        return str(vr)
    try:
        return dictionary_VR(tag)
    except KeyError:
        return vr or "UN"


def _encoded(elem: DataElement, charset) -> bytes:
    """One element in Explicit VR Little Endian: to compare parsed elements (sequences)."""
    fp = DicomBytesIO()
    fp.is_little_endian, fp.is_implicit_VR = True, False
    write_data_element(fp, elem, charset)
    return fp.getvalue()


def same_bytes(before: Dataset, after: Dataset, tag: int) -> bool:
    """Byte-for-byte equality of a top-level element (raw value bytes where both are raw)."""
    if tag not in after:
        return False
    raw_in, raw_out = before.get_item(tag), after.get_item(tag)
    if isinstance(raw_in.value, bytes) and isinstance(raw_out.value, bytes) and not isinstance(raw_in, DataElement) \
            and not isinstance(raw_out, DataElement) and before.is_little_endian:
        return bytes(raw_in.value) == bytes(raw_out.value)
    return _encoded(before[tag], before._character_set) == _encoded(after[tag], after._character_set)


def phi_tags(truth: pd.DataFrame, findings: pd.DataFrame) -> dict[str, set[int]]:
    """Per file, the top-level tags that hold PHI by the truth or by a finding."""
    found: dict[str, set[int]] = {}
    for table in (truth[truth["source"] == "tag"], findings[findings["source"] == "tag"]):
        for file, path in zip(table["file"].astype(str), table["tag_path"].astype(str), strict=True):
            try:
                found.setdefault(file, set()).add(parse(path)[0][0])
            except ValueError:
                continue
    return found


def untouched_elements(source: Path, outputs: dict[str, Path], truth: pd.DataFrame, findings: pd.DataFrame,
                       policy: Policy) -> pd.DataFrame:
    """One row per top-level non-private element of every input: excluded (and why) or
    compared, and whether it is unchanged."""
    holds_phi = phi_tags(truth, findings)
    rows = []
    for file, out in sorted(outputs.items()):
        before, after = read(source / file, headers_only=True), read(out, headers_only=True)
        for tag in sorted(before.keys()):
            tag = int(tag)
            if tag >> 16 & 1:
                continue
            keyword = keyword_for_tag(tag) or ""
            vr = _vr(before, tag)
            reason = "holds PHI" if tag in holds_phi.get(file, set()) else must_change(tag, vr, keyword, policy)
            rows.append({"file": file, "tag": f"({tag >> 16:04X},{tag & 0xFFFF:04X})", "keyword": keyword,
                         "excluded": reason, "unchanged": None if reason else same_bytes(before, after, tag)})
    return pd.DataFrame(rows, columns=["file", "tag", "keyword", "excluded", "unchanged"])


# --- (d) validity -------------------------------------------------------------------------

def validity(source: Path, outputs: dict[str, Path], inputs: list[str]) -> pd.DataFrame:
    """One row per input: a copy that reads without force and decodes with the input's shape."""
    rows = []
    for file in inputs:
        out = outputs.get(file)
        row = {"file": file, "written": out is not None, "readable": False, "same_shape": False, "error": ""}
        if out is not None:
            try:
                shape_in = read(source / file).pixel_array.shape
                copy = read(out)
                row["readable"] = True
                row["same_shape"] = copy.pixel_array.shape == shape_in
            except Exception as exc:  # any failure is the finding: the copy is not usable
                row["error"] = f"{type(exc).__name__}: {exc}"
        rows.append(row)
    return pd.DataFrame(rows, columns=["file", "written", "readable", "same_shape", "error"])


def pixels_outside_unchanged(source: Path, outputs: dict[str, Path], truth: pd.DataFrame,
                             margin: int) -> tuple[int, int]:
    """(pixels outside all truth boxes, how many of them kept their stored values)."""
    total = kept = 0
    for file, out in sorted(outputs.items()):
        before, after = read(source / file), read(out)
        if "PixelData" not in before:
            continue
        a, b = frames_of(before.pixel_array, before), frames_of(after.pixel_array, after)
        if a.shape != b.shape:
            continue
        outside = ~allowed_mask(truth, file, a.shape[1:3], margin)
        same = a == b
        if same.ndim == 4:
            same = same.all(axis=-1)
        total += int(outside.sum()) * a.shape[0]
        kept += int((same & outside[np.newaxis]).sum())
    return total, kept


# --- one run ------------------------------------------------------------------------------

def _share(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else float("nan")


def measure_run(name: str, source: Path, out: Path, truth: pd.DataFrame, input_findings: pd.DataFrame, *,
                ocr: bool | str, boxes: pd.DataFrame | None, policy: Policy, secret: bytes = SECRET,
                findings: pd.DataFrame | None = None, workers: int | None = None,
                progress: bool = False, blank_text_regions: bool = False,
                blank_unsure_text: bool = True) -> RunResult:
    """Redact ``source`` into ``out`` once and measure (a) to (f) against ``truth``.
    ``findings``: handed to redact (tag spans and boxes it uses on top of its own scan)."""
    hashes = tree_hashes(source)
    started = time.perf_counter()
    result = redact(source, out, policy=policy, secret=secret, ocr=ocr, boxes=boxes, findings=findings,
                    workers=workers, progress=progress, blank_text_regions=blank_text_regions,
                    blank_unsure_text=blank_unsure_text)
    seconds = time.perf_counter() - started
    outputs = output_paths(result.files)
    inputs = sorted(str(f) for f in result.files.loc[result.files["status"] != "skipped", "input"])
    run = RunResult(name, seconds, len(inputs), filled=result.boxes)
    run.spans = residual_spans(truth, outputs, policy)
    run.residual = verify(out, ocr=False, workers=workers, progress=progress).at_least(FAIL_ON)
    run.boxes = boxes_blanked(truth, outputs)
    run.elements = untouched_elements(source, outputs, truth, input_findings, policy)
    run.validity = validity(source, outputs, inputs)
    outside_total, outside_kept = pixels_outside_unchanged(source, outputs, truth, DEFAULT_MARGIN)
    run.numbers = summarise(run, result.files, outside_total, outside_kept, tree_hashes(source) == hashes)
    return run


def summarise(run: RunResult, files: pd.DataFrame, outside_total: int, outside_kept: int,
              inputs_unchanged: bool) -> dict[str, object]:
    """The table's rows for one run."""
    spans, boxes, compared = run.spans, run.boxes, run.elements[run.elements["excluded"] == ""]
    leaks = spans[spans["residual"] & ~spans["kept_by_policy"]]
    kept = spans[spans["residual"] & spans["kept_by_policy"]]
    blank = int(boxes["blanked"].sum())
    unchanged = int(compared["unchanged"].astype(bool).sum())
    counts = files["status"].value_counts()
    return {
        "files redacted (written / inputs)": f"{int(counts.get('written', 0))} / {run.files}",
        "required header truth spans": len(spans),
        "(a) residual required spans": len(leaks),
        "(a) kept on purpose by the policy": len(kept),
        f"(a) rescan residual findings >= {FAIL_ON}": len(run.residual),
        "required truth boxes (box x frame)": len(boxes),
        "(b) boxes blanked % (box x frame)": round(_share(blank, len(boxes)), 2),
        "(b) boxes blanked in all their frames %": round(100.0 * distinct_blanked(boxes), 2),
        "(b) pixels outside truth boxes unchanged %": round(_share(outside_kept, outside_total), 3),
        "non-PHI elements compared": len(compared),
        "(c) non-PHI elements unchanged %": round(_share(unchanged, len(compared)), 2),
        "(d) outputs valid (read, same shape)": f"{int((run.validity['readable'] & run.validity['same_shape']).sum())}"
                                                f" / {len(run.validity)}",
        "(e) inputs unchanged": inputs_unchanged,
        "(f) seconds": round(run.seconds, 1),
        "(f) files per second": round(run.files / run.seconds, 2) if run.seconds else float("nan"),
    }


def table(runs: list[RunResult]) -> pd.DataFrame:
    """Metrics as rows, runs as columns."""
    return pd.DataFrame({run.name: run.numbers for run in runs})


def save(runs: list[RunResult], out: Path) -> None:
    """The summary and, per run, what was missed: for reading after the run."""
    table(runs).to_csv(out / "summary.csv")
    for run in runs:
        stem = re.sub(r"\W+", "-", run.name).strip("-")
        run.spans[run.spans["residual"]].to_csv(out / f"{stem}.residual-spans.csv", index=False)
        run.boxes[~run.boxes["blanked"]].to_csv(out / f"{stem}.boxes-not-blanked.csv", index=False)
        changed = run.elements[(run.elements["excluded"] == "") & ~run.elements["unchanged"].astype(bool)]
        changed.to_csv(out / f"{stem}.changed-elements.csv", index=False)
        pd.DataFrame(run.residual).to_csv(out / f"{stem}.rescan-residual.csv", index=False)
        run.filled.to_csv(out / f"{stem}.boxes-filled.csv", index=False)


# --- command line -------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="synthetic files (19 or more covers every kind)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure the OCR run (slow on a CPU)")
    parser.add_argument("--ocr-engine", default="easyocr", choices=("easyocr", "tesseract"))
    parser.add_argument("--policy", default="research", choices=("research", "basic"))
    parser.add_argument("--blank-text-regions", action="store_true",
                        help="with --ocr: one more run that also blanks every text-like region")
    parser.add_argument("--phi-words-only", action="store_true",
                        help="with --ocr: one more run that blanks only the PHI words (no unsure text, no whole lines)")
    parser.add_argument("--workers", type=int, default=None, help="default: all cores")
    parser.add_argument("--out", type=Path, default=None, help="an empty or new folder (default: a temporary one)")
    return parser.parse_args(argv)


def run_all(args: argparse.Namespace, root: Path) -> list[RunResult]:
    """Generate once, then the truth-box run and (with --ocr) the OCR run."""
    from phidetect import scan
    from phidetect.datasets.synthetic import generate

    source = root / "input"
    truth = generate(source, args.n, args.seed)
    findings = pd.DataFrame(scan(source, ocr=False, workers=args.workers, progress=False))
    policy = Policy.preset(args.policy)
    runs = [measure_run("truth boxes", source, root / "truth-boxes", truth, findings, ocr=False, boxes=truth,
                        policy=policy, workers=args.workers)]
    if args.ocr:
        runs.append(measure_run(f"ocr ({args.ocr_engine})", source, root / "ocr", truth, findings,
                                ocr=args.ocr_engine, boxes=None, policy=policy, workers=args.workers,
                                progress=True))
        if args.phi_words_only:
            runs.append(measure_run(f"ocr ({args.ocr_engine}) PHI words only", source, root / "ocr-words", truth,
                                    findings, ocr=args.ocr_engine, boxes=None, policy=policy,
                                    workers=args.workers, progress=True, blank_unsure_text=False))
        if args.blank_text_regions:
            runs.append(measure_run(f"ocr ({args.ocr_engine}) + text regions", source, root / "ocr-regions",
                                    truth, findings, ocr=args.ocr_engine, boxes=None, policy=policy,
                                    workers=args.workers, progress=True, blank_text_regions=True))
    return runs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="measure-redaction-") as temp:
        root = args.out or Path(temp)
        if root.exists() and any(root.iterdir()):
            print(f"{root}: not empty; choose a new folder", file=sys.stderr)
            return 2
        root.mkdir(parents=True, exist_ok=True)
        runs = run_all(args, root)
        save(runs, root)
        with pd.option_context("display.width", 200, "display.max_colwidth", 60):
            print(f"n={args.n} seed={args.seed} policy={args.policy}")
            print(table(runs).to_string())
            for run in runs:
                leaks = run.spans[run.spans["residual"] & ~run.spans["kept_by_policy"]]
                if len(leaks):
                    print(f"\n{run.name}: residual spans\n{leaks.to_string(index=False)}")
        if args.out:
            print(f"\ntables in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
