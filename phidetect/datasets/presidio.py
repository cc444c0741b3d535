"""Presidio's DICOM ground truth (``ground_truth.json``) as phidetect's truth table.

Format (microsoft/presidio, ``docs/image-redactor/evaluating_dicom_redaction.md``):
``{file: [{"label", "left", "top", "width", "height"}, ...]}``, one entry per word of
burned-in PHI, ``label`` being the text itself. The boxes are in the image Presidio's
``DicomImagePiiVerifyEngine`` reads: the DICOM rendered to PNG and padded by
``padding_width`` (default 25) pixels on every side. Presidio's own
``BboxProcessor.remove_bbox_padding`` takes a box back to the DICOM's grid as
``left = max(0, left - padding)``, ``top = max(0, top - padding)`` with width and height
unchanged; the same is done here.

Presidio matches a detected box to a truth box when ``|left|``, ``|top|``, ``|width|`` and
``|height|`` each differ by at most ``tolerance`` (default 50) pixels
(``BboxProcessor.match_with_source``).
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path, PurePosixPath

import pandas as pd

from phidetect.evaluate import truth_frame

#: The keys of the ground truth bundled in tests/data/pseudo-phi-samples -> its files there.
#: 0_ORIGINAL.dcm's pixels are those of 0_ORIGINAL_compressed.dcm (RLE); 1_ORIGINAL and
#: 3_ORIGINAL are not bundled.
PSEUDO_PHI_SAMPLES_FILE_MAP: dict[str, str | None] = {
    "sample_data/0_ORIGINAL.dcm": "0_ORIGINAL_compressed.dcm",
    "sample_data/2_ORIGINAL.dcm": "2_ORIGINAL.dcm",
    "sample_data/1_ORIGINAL.dcm": None,
    "sample_data/3_ORIGINAL.dcm": None,
}
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[./-]\d{4}|\d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?", re.I)
_SEX = re.compile(r"\[?\s*[MFUO]\s*\]?")
_NAME = re.compile(r"[A-Za-z][A-Za-z'\-]+([ ,^]+[A-Za-z][A-Za-z'\-.]*)*")


def label_phi_type(label: str) -> tuple[str, bool]:
    """(phi_type, required) of a burned-in text from its words alone: dates and times are
    DATE, digit runs ID, words NAME; a sex marker such as ``[M]`` is OTHER and not required
    (sex is no HIPAA identifier, though Presidio's truth lists it)."""
    text = label.strip()
    if _SEX.fullmatch(text):
        return "OTHER", False
    if _DATE.fullmatch(text):
        return "DATE", True
    if re.fullmatch(r"[#:]?\s*\d[\d\s\-]*", text):
        return "ID", True
    if _NAME.fullmatch(text):
        return "NAME", True
    return "OTHER", True


def _load(path: Path) -> dict[str, list[dict]]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: ground truth not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an object of file -> list of boxes, got {type(data).__name__}")
    for key, boxes in data.items():
        if not isinstance(boxes, list):
            raise ValueError(f"{path}: entry {key!r} is not a list of boxes")
        for box in boxes:
            missing = [k for k in ("label", "left", "top", "width", "height") if not isinstance(box, dict) or k not in box]
            if missing:
                raise ValueError(f"{path}: a box of {key!r} lacks {', '.join(missing)}")
    return data


def _target(key: str, files_root: Path | None, file_map: dict[str, str | None]) -> str | None:
    """The file (relative to files_root) that a ground-truth key stands for, or None."""
    if key in file_map:
        return file_map[key]
    name = PurePosixPath(key.replace("\\", "/")).name
    if files_root is None:
        return name
    for candidate in (key, name):
        if (files_root / candidate).is_file():
            return PurePosixPath(candidate).as_posix()
    return None


def presidio_truth(path: str | os.PathLike, files_root: str | os.PathLike | None = None, padding: int = 25,
                   file_map: dict[str, str | None] | None = None, *, sex_required: bool = False) -> pd.DataFrame:
    """The truth table of a Presidio ``ground_truth.json``: pixel boxes on frame 0, padding
    taken off, phi_type from the label (:func:`label_phi_type`).

    ``file_map`` names the file each key stands for (relative to ``files_root``; None drops
    the key on purpose). Unmapped keys become their base name, and with ``files_root`` given
    must exist there: keys without a file are dropped with a warning naming them."""
    source = Path(path)
    data = _load(source)
    root = Path(files_root) if files_root is not None else None
    mapping = dict(file_map or {})
    rows, missing = [], []
    for key, boxes in data.items():
        target = _target(key, root, mapping)
        if target is None:
            if mapping.get(key, "") is not None or key not in mapping:
                missing.append(key)
            continue
        for box in boxes:
            phi_type, required = label_phi_type(str(box["label"]))
            rows.append({"file": target, "source": "pixel", "phi_type": phi_type, "text": str(box["label"]),
                         "frame": 0, "x": max(0, int(box["left"]) - padding), "y": max(0, int(box["top"]) - padding),
                         "width": int(box["width"]), "height": int(box["height"]),
                         "required": required or (sex_required and phi_type == "OTHER")})
    if missing:
        warnings.warn(f"{source}: no file for {len(missing)} entr{'y' if len(missing) == 1 else 'ies'} "
                      f"({', '.join(missing)}); their boxes are not in the truth table", stacklevel=2)
    return truth_frame(rows)
