"""phidetect.audit: what of the originals' PHI survived in a de-identified copy.

    originals, copies -> pairs -> the originals' PHI items (findings) -> each item sought
    in its copy (header: every text value; pixels: the same box of the same frame)
    -> one row per item: leaked, removed, unchecked or unpaired, with evidence.

Judging against the originals sees what a rescan of the copy cannot: an item the copy kept
is found by its value, whatever the detector would make of it alone. The originals are
scanned here (with ``ocr``, burned-in text too) unless their findings table is given, so
an OCR scan done once is reused. Inputs and copies are only read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydicom.dataset import Dataset

from phidetect.copy_audit.declared import declared_policy, kept_on_purpose
from phidetect.copy_audit.header_leaks import CopyText, identity_of, seek
from phidetect.copy_audit.pairing import Pair, Pairing, pair_files, read_uid_map
from phidetect.copy_audit.pixel_leaks import Box, CropReader, FrameCache, Status, judge_box
from phidetect.copy_audit.utility import (
    CHANGED_COLUMNS,
    PairUtility,
    consistency,
    element_changes,
    pixels_changed_outside,
    study_date,
    top_value,
)
from phidetect.dicom.elements import ElementText, iter_elements
from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.files import collect_targets
from phidetect.findings import COLUMNS
from phidetect.output import read_table
from phidetect.scan import quiet_pydicom

#: Columns an audit adds to the original item's findings columns.
AUDIT_COLUMNS: dict[str, str] = {"copy": "string", "status": "string", "evidence": "string", "paired_by": "string"}
UNPAIRED = "unpaired"
#: Leaked items at or above this confidence fail an audit.
FAIL_ON = 0.5
ERROR_COLUMNS = ["side", "file", "error"]


class AuditResult(pd.DataFrame):
    """One row per PHI item of an original (its findings columns, then copy, status,
    evidence, paired_by; status ``kept`` where the copy declares an option that keeps the item),
    plus ``.unpaired`` (files on either side with no partner),
    ``.errors`` (files that could not be read), ``.pairs``, and what the copies destroyed
    that held no PHI: ``.utility`` (one row per pair), ``.changed`` (each non-PHI element
    removed or altered) and ``.verdicts`` (study UIDs and date shifts across the set)."""

    _metadata = ["unpaired", "errors", "pairs", "utility", "changed", "verdicts"]

    @property
    def _constructor(self):
        return AuditResult

    def leaked(self, fail_on: float = FAIL_ON) -> AuditResult:
        """The leaked items at or above ``fail_on``."""
        return self[(self["status"] == Status.LEAKED) & (self["confidence"] >= fail_on)]

    def passes(self, fail_on: float = FAIL_ON) -> bool:
        return self.leaked(fail_on).empty

    def summary(self) -> pd.DataFrame:
        """Items per phi_type and status."""
        if self.empty:
            return pd.DataFrame()
        return pd.DataFrame(self).groupby(["phi_type", "status"]).size().unstack(fill_value=0)


@dataclass(frozen=True)
class _Side:
    """One side's readable files and their SOPInstanceUIDs (for pairing): one string per
    file is held, not its header; each pair's two files are read again, once, when judged."""

    root: Path
    files: dict[str, Path]
    uids: dict[str, str]


def audit(originals: str | os.PathLike, copies: str | os.PathLike, *,
          findings: pd.DataFrame | str | os.PathLike | None = None, ocr: bool | str = False,
          uid_map: str | os.PathLike | dict[str, str] | None = None, workers: int | None = None,
          progress: bool = False, utility: bool = True) -> AuditResult:
    """Audit the copies under ``copies`` against the originals under ``originals``.

    ``findings``: the originals' findings table (DataFrame or .parquet/.csv path, ``file``
    relative to ``originals``), else the originals are scanned here (``ocr`` for burned-in
    text; with ``ocr``, a changed box is read again before it is called removed).
    ``uid_map``: original -> new SOPInstanceUID (CSV path or dict), for renamed copies with
    new UIDs that should not be paired by their pixels alone. ``utility``: also measure what
    the copies changed outside the PHI (decodes every frame of both files of each pair)."""
    errors: list[dict] = []
    left, right = _side(Path(originals), "original", errors), _side(Path(copies), "copy", errors)
    mapping = read_uid_map(uid_map) if isinstance(uid_map, (str, os.PathLike)) else dict(uid_map or {})
    pairing = pair_files(left.files, right.files, left.uids, right.uids, mapping)
    items = _items(findings, originals, ocr, workers, progress)
    reader = _crop_reader(ocr) if ocr else None
    rows: list[dict] = []
    kept: list[PairUtility] = []
    by_file = {str(f): group for f, group in items.groupby("file", sort=False)} if len(items) else {}
    empty = items.iloc[:0]
    for pair in pairing.pairs:
        found, measured = _audit_pair(pair, left, right, by_file.get(pair.original, empty), reader, errors, utility)
        rows += found
        if measured is not None:
            kept.append(measured)
    for name in pairing.unpaired_originals:
        group = by_file.get(name)
        if group is not None:
            rows += [dict(r, copy="", status=UNPAIRED, evidence="no copy found for this original", paired_by="")
                     for r in group.to_dict("records")]
    return _result(rows, pairing, errors, kept)


def _side(root: Path, side: str, errors: list[dict]) -> _Side:
    targets, problems = collect_targets([root])
    errors += [{"side": side, "file": p.file, "error": p.message} for p in problems]
    files = {t.display: t.path for t in targets}
    uids: dict[str, str] = {}
    for name, path in list(files.items()):
        try:
            with quiet_pydicom():
                uids[name] = str(read_dicom(path, headers_only=True).get("SOPInstanceUID", "") or "")
        except DicomReadError as exc:
            errors.append({"side": side, "file": name, "error": str(exc)})
            del files[name]
    return _Side(root, files, uids)


def _items(findings, originals, ocr, workers, progress) -> pd.DataFrame:
    if findings is None:
        from phidetect.scan import scan

        found = scan(originals, ocr=ocr, workers=workers, progress=progress)
    elif isinstance(findings, (str, os.PathLike)):
        found = read_table(findings)
    else:
        found = findings
    missing = [c for c in COLUMNS if c not in found.columns]
    if missing:
        raise ValueError(f"findings table lacks the columns {', '.join(missing)} (see findings-schema.md)")
    return pd.DataFrame(found)[list(COLUMNS)]


def _crop_reader(ocr: bool | str) -> CropReader:
    from phidetect.ocr_settings import ocr_settings
    from phidetect.pipeline import engine_for

    settings = ocr_settings(ocr)
    engine = engine_for(settings.engine, settings.device)
    return lambda crop: " ".join(line.text for line in engine.read(crop))


def _audit_pair(pair: Pair, left: _Side, right: _Side, group: pd.DataFrame, reader: CropReader | None,
                errors: list[dict], utility: bool) -> tuple[list[dict], PairUtility | None]:
    if group.empty and not utility:
        return [], None
    boxes = group[group["source"] != "tag"]
    pixels = len(boxes) > 0 or utility
    original, original_frames = _read(left.files[pair.original], pair.original, "original", pixels, errors)
    copy, copy_frames = _read(right.files[pair.copy], pair.copy, "copy", pixels, errors)
    if original is None or copy is None:
        return [], None
    frames = (original_frames, copy_frames) if original_frames is not None and copy_frames is not None else None
    original_elements, copy_elements = _elements(original), _elements(copy)
    copy_text = CopyText.of(copy_elements)
    declared = declared_policy(copy)
    rows = []
    for record in group.to_dict("records"):
        if record["source"] == "tag":
            verdict = seek(str(record["text"]), str(record["tag_path"]), str(record["phi_type"]), copy_text,
                           identity_of(str(record["tag_path"]), original_elements))
            status, evidence = (Status.LEAKED if verdict.leaked else Status.REMOVED), verdict.evidence
            if verdict.leaked and kept_on_purpose(record, declared):
                status, evidence = Status.KEPT, f"{verdict.evidence}; kept by an option the copy declares (0012,0064)"
        elif frames is None:
            status, evidence = Status.UNCHECKED, "pixels could not be read in both files"
        else:
            box = Box(int(record["frame"]), int(record["x"]), int(record["y"]), int(record["width"]),
                      int(record["height"]), str(record["text"]))
            judged = judge_box(box, frames[0], frames[1], reader)
            status, evidence = judged.status, judged.evidence
        rows.append(dict(record, copy=pair.copy, status=status, evidence=evidence, paired_by=pair.paired_by.value))
    if not utility:
        return rows, None
    phi_paths = set(group.loc[group["source"] == "tag", "tag_path"].astype(str))
    considered, changed = element_changes(original_elements, copy_elements, phi_paths, pair.original, pair.copy)
    try:
        outside, moved = pixels_changed_outside(*frames, boxes) if frames is not None else (0, 0)
    except Exception as exc:  # a copy whose frames no longer decode: reported, not fatal
        errors.append({"side": "copy", "file": pair.copy, "error": f"pixels not compared: {exc}"})
        outside, moved = 0, 0
    before, after = study_date(original_elements), study_date(copy_elements)
    measured = PairUtility(
        row={"file": pair.original, "copy": pair.copy, "non_phi_elements": considered,
             "removed": sum(c["change"] == "removed" for c in changed),
             "altered": sum(c["change"] == "altered" for c in changed),
             "pixels_outside_boxes": outside, "pixels_changed": moved},
        changed=changed, original_study=top_value(original_elements, "StudyInstanceUID"),
        copy_study=top_value(copy_elements, "StudyInstanceUID"), patient=top_value(original_elements, "PatientID"),
        shift=None if before is None or after is None else (after - before).days)
    return rows, measured


def _elements(dataset: Dataset) -> list[ElementText]:
    with quiet_pydicom():
        return [e for e in iter_elements(dataset) if e.text.strip()]


def _read(path: Path, name: str, side: str, pixels: bool,
          errors: list[dict]) -> tuple[Dataset | None, FrameCache | None]:
    """The file read once (with its pixels when they are to be compared) and its frames;
    a file whose pixels cannot be read is read again without them, so its header is still
    judged, and the problem is an error row."""
    try:
        with quiet_pydicom():
            dataset = read_dicom(path, headers_only=not pixels)
        return dataset, FrameCache(dataset) if pixels else None
    except DicomReadError as exc:
        if pixels:
            errors.append({"side": side, "file": name, "error": str(exc)})
    try:
        with quiet_pydicom():
            return read_dicom(path, headers_only=True), None
    except DicomReadError as exc:
        errors.append({"side": side, "file": name, "error": str(exc)})
        return None, None


def _result(rows: Iterable[dict], pairing: Pairing, errors: list[dict], kept: list[PairUtility]) -> AuditResult:
    columns = {**COLUMNS, **AUDIT_COLUMNS}
    frame = pd.DataFrame(list(rows), columns=list(columns))
    frame = frame.astype(columns) if len(frame) else frame.astype(columns, errors="ignore")
    frame = frame.sort_values(["file", "source", "tag_path", "start", "frame", "y", "x"], kind="stable")
    result = AuditResult(frame.reset_index(drop=True))
    result.unpaired = pd.DataFrame(
        [{"side": "original", "file": n} for n in pairing.unpaired_originals]
        + [{"side": "copy", "file": n} for n in pairing.unpaired_copies], columns=["side", "file"])
    result.errors = pd.DataFrame(errors, columns=ERROR_COLUMNS)
    result.pairs = pd.DataFrame([{"original": p.original, "copy": p.copy, "paired_by": p.paired_by.value}
                                 for p in pairing.pairs], columns=["original", "copy", "paired_by"])
    result.utility, result.verdicts = consistency(kept)
    result.changed = pd.DataFrame([c for pair in kept for c in pair.changed], columns=CHANGED_COLUMNS)
    return result
