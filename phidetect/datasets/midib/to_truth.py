"""A MIDI-B answer key as phidetect's truth table, for the original (synthetic-PHI) files.

What each action becomes (one truth row per check and file; places resolved in the file,
so private elements get the block they really sit in):

- ``text_removed`` -> a tag row, ``required=True``, over ``action_text`` inside the element's
  value (the whole value when it is not found there); phi_type guessed from the keyword.
- ``date_shifted`` -> DATE, ``patid_consistent`` -> ID, over the whole value, required.
- ``uid_changed`` / ``uid_consistent`` -> UID rows, ``required=uids_required`` (default
  False: UIDs link records rather than name anyone; a finding on them is no false alarm).
- ``pixels_hidden`` -> a pixel box (``top_left``/``bottom_right`` of its JSON) on frame 0
  (``frames="all"``: on every frame; the key does not say which frames carry the text).
- ``tag_retained``, ``text_notnull``, ``text_retained``, ``pixels_retained`` -> not truth:
  they are what must be kept, so a finding there *should* count as a false alarm. They
  are listed by :func:`midib_must_keep` instead.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator

import pandas as pd

from phidetect.datasets.midib.answer_key import load_answer_key
from phidetect.datasets.midib.checks import pixel_box
from phidetect.datasets.midib.files import DicomFile, by_uid, index_dicoms
from phidetect.datasets.midib.tags import parse_tag_ds, phi_type_for, resolve, value_text
from phidetect.datasets.presidio import label_phi_type
from phidetect.dicom.elements import iter_elements
from phidetect.evaluate import truth_frame

_FIXED_TYPES = {"date_shifted": "DATE", "patid_consistent": "ID", "uid_changed": "UID", "uid_consistent": "UID"}
KEEP_ACTIONS = ("tag_retained", "text_notnull", "text_retained", "pixels_retained")
_SCOPE_KEY = {"Series": "SeriesInstanceUID", "Study": "StudyInstanceUID", "Patient": "StudyInstanceUID"}


def _files_for(key: pd.DataFrame, files: list[DicomFile]) -> dict[int, list[DicomFile]]:
    """The original files each answer row covers (by its scope), keyed by row number."""
    groups = {k: by_uid(files, k) for k in ("SOPInstanceUID", "SeriesInstanceUID", "StudyInstanceUID")}
    out: dict[int, list[DicomFile]] = {}
    for row in key.drop_duplicates("row").itertuples(index=False):
        column = _SCOPE_KEY.get(row.scope, "SOPInstanceUID")
        out[row.row] = groups[column].get(getattr(row, column), [])
    return out


def _frames(f: DicomFile) -> int:
    try:
        return max(int(f.ds.get("NumberOfFrames", 1) or 1), 1)
    except (TypeError, ValueError):
        return 1


def _texts(f: DicomFile, cache: dict[str, dict[str, str]]) -> dict[str, str]:
    """tag_path -> value text exactly as a scan reads it (so spans line up with findings)."""
    if f.name not in cache:
        cache[f.name] = {e.tag_path: e.text for e in iter_elements(f.ds)}
    return cache[f.name]


def _tag_row(f: DicomFile, check: dict, uids_required: bool, cache: dict[str, dict[str, str]]) -> dict | None:
    steps = parse_tag_ds(check["tag_ds"] or check["tag"])
    found = resolve(f.ds, steps) if steps else None
    if found is None:
        return None
    value = _texts(f, cache).get(found.tag_path, value_text(found.element))
    action = check["action"]
    if action == "text_removed":
        wanted = (check["action_text"] or check["value"]).strip()
        phi_type = phi_type_for(found.keyword, found.element.VR)
        if phi_type == "OTHER" and wanted:
            phi_type = label_phi_type(wanted)[0]
        start = value.lower().find(wanted.lower()) if wanted else -1
        start, end = (start, start + len(wanted)) if start >= 0 else (0, len(value))
    else:
        phi_type, start, end = _FIXED_TYPES[action], 0, len(value)
    if not value:
        return None
    required = uids_required if phi_type == "UID" else True
    return {"file": f.name, "source": "tag", "tag_path": found.tag_path, "keyword": found.keyword,
            "phi_type": phi_type, "text": value[start:end], "start": start, "end": end, "required": required}


def _pixel_rows(f: DicomFile, check: dict, frames: str) -> Iterator[dict]:
    text, x, y, w, h = pixel_box(check)
    phi_type, required = label_phi_type(text)
    for frame in range(_frames(f) if frames == "all" else 1):
        yield {"file": f.name, "source": "pixel", "phi_type": phi_type, "text": text, "frame": frame,
               "x": x, "y": y, "width": w, "height": h, "required": required}


def midib_truth(answer_key: str | os.PathLike | pd.DataFrame, files_root: str | os.PathLike, *,
                uids_required: bool = False, frames: str = "first") -> pd.DataFrame:
    """The truth table (``phidetect.TRUTH_COLUMNS``) of the original files under
    ``files_root`` (a MIDI-B Validation or Test download), file names relative to it.

    Checks whose element is not in the file, or whose instance is not on disk, are left
    out; a warning says how many."""
    key = answer_key if isinstance(answer_key, pd.DataFrame) else load_answer_key(answer_key)
    if frames not in ("first", "all"):
        raise ValueError(f"frames must be 'first' or 'all', not {frames!r}")
    files = _files_for(key, index_dicoms(files_root))
    rows: list[dict] = []
    texts: dict[str, dict[str, str]] = {}
    no_file = no_element = 0
    for check in key.to_dict("records"):
        action = check["action"]
        if action not in _FIXED_TYPES and action not in ("text_removed", "pixels_hidden"):
            continue
        targets = files.get(check["row"], [])
        no_file += not targets
        for f in targets:
            if action == "pixels_hidden":
                rows += _pixel_rows(f, check, frames)
                continue
            row = _tag_row(f, check, uids_required, texts)
            no_element += row is None
            if row is not None:
                rows.append(row)
    if no_file or no_element:
        warnings.warn(f"{files_root}: {no_file} check(s) name an instance not on disk and {no_element} an "
                      "element absent or empty in its file; they are not in the truth table", stacklevel=2)
    truth = truth_frame(rows)
    truth = truth.sort_values("required", ascending=False, kind="stable")
    truth = truth.drop_duplicates(["file", "source", "tag_path", "start", "end", "frame", "x", "y", "width",
                                   "height"], keep="first")
    return truth.sort_values(["file", "source", "tag_path", "frame"], kind="stable").reset_index(drop=True)


def midib_must_keep(answer_key: str | os.PathLike | pd.DataFrame, files_root: str | os.PathLike) -> pd.DataFrame:
    """What the key says must survive de-identification (``KEEP_ACTIONS``), one row per check
    and file: ``file, tag_path, keyword, text, action``. A finding on one of these is an
    over-redaction; ``pixels_retained`` rows have an empty ``tag_path``."""
    key = answer_key if isinstance(answer_key, pd.DataFrame) else load_answer_key(answer_key)
    files = _files_for(key, index_dicoms(files_root))
    rows = []
    for check in key[key["action"].isin(KEEP_ACTIONS)].to_dict("records"):
        for f in files.get(check["row"], []):
            if check["action"] == "pixels_retained":
                rows.append({"file": f.name, "tag_path": "", "keyword": "PixelData", "text": "",
                             "action": check["action"]})
                continue
            steps = parse_tag_ds(check["tag_ds"] or check["tag"])
            found = resolve(f.ds, steps) if steps else None
            if found is not None:
                rows.append({"file": f.name, "tag_path": found.tag_path, "keyword": found.keyword,
                             "text": value_text(found.element), "action": check["action"]})
    return pd.DataFrame(rows, columns=["file", "tag_path", "keyword", "text", "action"])
