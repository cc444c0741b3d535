"""The files a measured run compares: strict reads, input fingerprints, and (d) whether
every copy is a valid DICOM file with the input's pixel shape."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pydicom
from pydicom.dataset import Dataset

VALIDITY_COLUMNS = ["file", "written", "readable", "same_shape", "error"]


def tree_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``: inputs must be byte-identical after a run."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def output_paths(files: pd.DataFrame) -> dict[str, Path]:
    """Input name (as the truth spells it) -> its written copy, from a redaction's ``files``."""
    written = files[files["status"] == "written"]
    return {str(r.input): Path(str(r.output)) for r in written.itertuples()}


def measured_inputs(files: pd.DataFrame) -> list[str]:
    """The inputs a run was asked to redact (skipped files, not DICOM, left out)."""
    return sorted(str(f) for f in files.loc[files["status"] != "skipped", "input"])


def read(path: Path, *, headers_only: bool = False) -> Dataset:
    """A strict read (no ``force``): a copy that needs force is not a valid DICOM file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(path, stop_before_pixels=headers_only)


def frames_of(arr: np.ndarray, ds: Dataset) -> np.ndarray:
    """``pixel_array`` as (frames, rows, columns[, samples])."""
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    return arr if frames > 1 else arr[np.newaxis]


def validity(source: Path, outputs: dict[str, Path], inputs: list[str]) -> pd.DataFrame:
    """(d) One row per input: a copy that reads without force and decodes with the input's shape."""
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
    return pd.DataFrame(rows, columns=VALIDITY_COLUMNS)
