"""Scoring a de-identified copy of a MIDI-B set against its answer key, check by check.

How rows find files and how the score is counted follow the NCI validation script
(github.com/CBIIT/MIDI_validation_script: ``answer_preparer.py`` maps the key's UIDs to
new ones with the UID mapping; ``curation_validator.py`` applies a row to the file with
that SOP Instance UID, or, for a row with ``scope`` Series / Study / Patient, to every file
of that series or study; ``reports_helper.py`` scores passed / all checks, per action and
overall). An instance with no de-identified file fails the checks that ask to keep
something and passes the rest, as the script's newer versions do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from phidetect.datasets.midib import checks
from phidetect.datasets.midib.answer_key import ACTIONS, load_answer_key, load_mapping
from phidetect.datasets.midib.files import DicomFile, by_uid, index_dicoms

SUMMARY_COLUMNS = ["action", "checks", "passed", "failed", "percent"]
DETAIL_COLUMNS = ["file", "sop_instance_uid", "row", "check", "action", "tag_ds", "tag_path", "tag_name",
                  "expected", "found", "passed", "score", "reason"]
_SCOPE_KEYS = {"Instance": ("SOPInstanceUID", "SOPInstanceUID"), "Series": ("SeriesInstanceUID", "SeriesInstanceUID"),
               "Study": ("StudyInstanceUID", "StudyInstanceUID"), "Patient": ("StudyInstanceUID", "StudyInstanceUID")}


def _mapping(given: str | os.PathLike | Mapping[str, str] | None) -> dict[str, str] | None:
    if given is None:
        return None
    if isinstance(given, Mapping):
        return {str(k): str(v) for k, v in given.items()}
    return load_mapping(given)


def _answer_key(given: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    return given if isinstance(given, pd.DataFrame) else load_answer_key(given)


def _run(action: str, f: DicomFile, check: Mapping, image: Callable[[], np.ndarray | None],
         uid_map: dict | None, patid_map: dict | None, strict: bool, blank_spread: float,
         ocr: Callable[[np.ndarray], str] | None) -> checks.CheckResult:
    ds = f.ds
    if action == "tag_retained":
        return checks.check_tag_retained(ds, check)
    if action == "text_notnull":
        return checks.check_text_notnull(ds, check)
    if action == "text_retained":
        return checks.check_text_retained(ds, check)
    if action == "text_removed":
        return checks.check_text_removed(ds, check)
    if action == "date_shifted":
        return checks.check_date_shifted(ds, check, strict=strict)
    if action == "uid_changed":
        return checks.check_uid_changed(ds, check, strict=strict)
    if action == "uid_consistent":
        return checks.check_uid_consistent(ds, check, uid_map)
    if action == "patid_consistent":
        return checks.check_patid_consistent(ds, check, patid_map)
    if action == "pixels_retained":
        from phidetect.dicom.reader import read_dicom

        return checks.check_pixels_retained(read_dicom(f.path, headers_only=False), check)
    if action == "pixels_hidden":
        return checks.check_pixels_hidden(image(), check, blank_spread=blank_spread, ocr=ocr)
    return checks.CheckResult(False, 0.0, f"unknown action {action!r}")


def _targets(rows: pd.DataFrame, files: list[DicomFile], uid_map: dict | None) -> dict[int, list[DicomFile]]:
    """Each answer row's de-identified files: the key's UID, mapped to its new UID (kept as
    is when the mapping lacks it), found among the files by the row's scope."""
    forward = uid_map or {}
    groups = {key: by_uid(files, key) for key, _ in _SCOPE_KEYS.values()}
    found: dict[int, list[DicomFile]] = {}
    for row in rows.drop_duplicates("row").itertuples(index=False):
        key_column, file_key = _SCOPE_KEYS.get(row.scope, _SCOPE_KEYS["Instance"])
        old = getattr(row, key_column)
        found[row.row] = groups[file_key].get(forward.get(old, old), []) if old else []
    return found


def score_midib(answer_key: str | os.PathLike | pd.DataFrame, redacted_root: str | os.PathLike,
                uid_map: str | os.PathLike | Mapping[str, str] | None = None,
                patid_map: str | os.PathLike | Mapping[str, str] | None = None, *, strict: bool = False,
                blank_spread: float = checks.BLANK_SPREAD,
                ocr: Callable[[np.ndarray], str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary, details) of a de-identified copy of a MIDI-B set under ``redacted_root``.

    ``answer_key``: the SQLite key or :func:`load_answer_key`'s table. ``uid_map`` /
    ``patid_map``: the de-identifier's old -> new mappings (CSV ``id_old,id_new`` or a dict);
    without ``uid_map`` files must keep their UIDs to be found, and consistency checks are
    judged by :func:`checks.consistency`. ``strict`` also asks shifted dates and changed
    UIDs to be valid values. ``blank_spread`` and ``ocr``: see :func:`checks.check_pixels_hidden`.

    ``summary``: one row per action that occurs (``checks, passed, failed, percent``) and
    ``ALL`` last. ``details``: one row per check and file, with ``passed`` and ``reason``.
    """
    key = _answer_key(answer_key)
    uids, patids = _mapping(uid_map), _mapping(patid_map)
    files = index_dicoms(redacted_root)
    targets = _targets(key, files, uids)
    images: dict[str, np.ndarray | None] = {}

    def image_of(f: DicomFile) -> Callable[[], np.ndarray | None]:
        def load() -> np.ndarray | None:
            if f.name not in images:
                images[f.name] = checks.read_frame0(f.path)
            return images[f.name]
        return load

    details: list[dict] = []
    for check in key.to_dict("records"):
        action = check["action"]
        base = {"sop_instance_uid": check["SOPInstanceUID"], "row": check["row"], "check": check["check"],
                "action": action, "tag_ds": check["tag_ds"], "tag_name": check["tag_name"],
                "expected": check["value"] if action != "pixels_hidden" else check["action_text"]}
        matched = targets.get(check["row"], [])
        if not matched:
            keep = action in checks.RETAINING
            details.append({**base, "file": "", "tag_path": "", "found": "", "passed": not keep,
                            "score": float(not keep), "reason": "no de-identified file for this instance"})
            continue
        for f in matched:
            result = _run(action, f, check, image_of(f), uids, patids, strict, blank_spread, ocr)
            details.append({**base, "file": f.name, "tag_path": result.tag_path, "found": result.found,
                            "passed": result.passed, "score": result.score, "reason": result.reason})
    checks.consistency(details)
    table = pd.DataFrame(details, columns=DETAIL_COLUMNS)
    table["passed"] = table["passed"].astype(bool)
    return _summary(table), table.sort_values(["row", "file"], kind="stable").reset_index(drop=True)


def _summary(details: pd.DataFrame) -> pd.DataFrame:
    """Checks, passes and the percentage per action (in the key's action order), then ALL."""
    order = {a: i for i, a in enumerate(ACTIONS)}
    rows = []
    for action in sorted(details["action"].unique(), key=lambda a: (order.get(a, len(order)), a)):
        part = details[details["action"] == action]
        rows.append((action, len(part), int(part["passed"].sum())))
    rows.append(("ALL", len(details), int(details["passed"].sum())))
    table = pd.DataFrame(rows, columns=SUMMARY_COLUMNS[:3])
    table["failed"] = table["checks"] - table["passed"]
    table["percent"] = np.where(table["checks"] > 0, 100.0 * table["passed"] / table["checks"].clip(lower=1), np.nan)
    return table


def failed_checks(details: pd.DataFrame) -> pd.DataFrame:
    """The checks that failed, for reading: file, action, place, expected, found, reason."""
    return details[~details["passed"]][["file", "action", "tag_ds", "tag_name", "expected", "found",
                                        "reason"]].reset_index(drop=True)


def write_report(summary: pd.DataFrame, details: pd.DataFrame, out_dir: str | os.PathLike) -> Path:
    """``summary.csv`` and ``details.csv`` in ``out_dir`` (made if needed); returns the folder."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    summary.to_csv(folder / "summary.csv", index=False)
    details.to_csv(folder / "details.csv", index=False)
    return folder
