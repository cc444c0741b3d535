"""Writing tables atomically: a temporary file beside the target, then a rename, so a
crash or a full disk never leaves a half-written findings file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

FORMATS = (".parquet", ".csv")


def errors_path(out: str | os.PathLike) -> Path:
    """Where the errors table goes beside ``out``: ``findings.parquet`` -> ``findings.errors.csv``."""
    return beside(out, "errors")


def beside(out: str | os.PathLike, table: str) -> Path:
    """A second table written next to ``out``: ``audit.parquet`` -> ``audit.utility.csv``."""
    out = Path(out)
    return out.with_name(f"{out.stem}.{table}.csv")


def write_table(frame: pd.DataFrame, out: str | os.PathLike) -> Path:
    """Write ``frame`` as Parquet or CSV (by suffix) atomically; returns the path."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{out}: output must end in .parquet or .csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(handle)
    try:
        plain = pd.DataFrame(frame)
        if suffix == ".parquet":
            plain.to_parquet(temp, index=False)
        else:
            plain.to_csv(temp, index=False)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out


#: Columns of the findings and truth tables that hold text, whatever they look like.
TEXT_COLUMNS = ("file", "sop_instance_uid", "source", "tag_path", "keyword", "vr", "phi_type", "text",
                "rule", "private_creator", "plane", "error")


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a findings or truth table written by :func:`write_table` (Parquet or CSV).
    Text columns stay text: an ID "00315811" must not come back as the number 315811."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    table = pd.read_csv(path, keep_default_na=False, dtype={name: str for name in TEXT_COLUMNS})
    for name in table.columns:  # a number column with blanks (NaN precision) is still numbers
        if name not in TEXT_COLUMNS and not pd.api.types.is_numeric_dtype(table[name]):
            blank = table[name] == ""
            numbers = pd.to_numeric(table[name].where(~blank), errors="coerce")
            if numbers[~blank].notna().all():
                table[name] = numbers
    return table
