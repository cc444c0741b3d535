"""How big the copies are against their inputs, per transfer syntax: the check that a
redacted archive did not grow several-fold by being written decompressed."""

from __future__ import annotations

import pandas as pd
from pydicom.uid import UID

from phidetect.findings import typed_frame

#: Columns of ``RedactionResult.sizes()``: one row per (input syntax, output syntax) of the written copies.
SIZE_COLUMNS: dict[str, str] = {
    "input_syntax": "string",    # transfer syntax name of the inputs
    "output_syntax": "string",   # transfer syntax name of their copies
    "files": "int64",
    "bytes_in": "int64",
    "bytes_out": "int64",
    "ratio": "float64",          # bytes_out / bytes_in (1.0: the same size)
    "noted": "int64",            # copies with a syntax_note (written outside the input's family, or lossy input)
}
MEGABYTE = 1_000_000
KILOBYTE = 1_000
#: Notes printed by ``size_lines``; the rest are in the log.
NOTES_SHOWN = 5


def syntax_name(uid: str) -> str:
    """A transfer syntax's name ("" stays "": no pixel data read, nothing written)."""
    return UID(uid).name if uid else ""


def size_summary(files: pd.DataFrame) -> pd.DataFrame:
    """SIZE_COLUMNS rows for the written copies of a redaction's files table."""
    written = files[files["status"] == "written"]
    if written.empty:
        return typed_frame(pd.DataFrame(columns=list(SIZE_COLUMNS)), SIZE_COLUMNS)
    frame = pd.DataFrame({
        "input_syntax": written["input_syntax"].map(syntax_name),
        "output_syntax": written["output_syntax"].map(syntax_name),
        "bytes_in": written["bytes_in"], "bytes_out": written["bytes_out"],
        "noted": written["syntax_note"].fillna("").astype(str) != "",
    })
    grouped = frame.groupby(["input_syntax", "output_syntax"], sort=True).agg(
        files=("bytes_in", "size"), bytes_in=("bytes_in", "sum"), bytes_out=("bytes_out", "sum"),
        noted=("noted", "sum")).reset_index()
    grouped["ratio"] = (grouped["bytes_out"] / grouped["bytes_in"].where(grouped["bytes_in"] > 0)).round(3)
    return typed_frame(grouped[list(SIZE_COLUMNS)], SIZE_COLUMNS)


def _size(count: int) -> str:
    """Bytes in the unit that shows them (a set of small files is not "0.00 MB")."""
    if count >= MEGABYTE:
        return f"{count / MEGABYTE:.2f} MB"
    return f"{count / KILOBYTE:.1f} kB" if count >= KILOBYTE else f"{count} B"


def size_lines(files: pd.DataFrame) -> list[str]:
    """The run summary's size lines: total in and out, each syntax pair, and the notes."""
    summary = size_summary(files)
    if summary.empty:
        return []
    total_in, total_out = int(summary["bytes_in"].sum()), int(summary["bytes_out"].sum())
    share = f" ({100 * total_out / total_in:.0f} %)" if total_in else ""
    lines = [f"size: {_size(total_in)} in, {_size(total_out)} out{share}"]
    for row in summary.itertuples():
        lines.append(f"  {row.input_syntax} -> {row.output_syntax}: {row.files} files, "
                     f"{_size(row.bytes_in)} -> {_size(row.bytes_out)}")
    written = files[(files["status"] == "written") & (files["syntax_note"].fillna("") != "")]
    counts = written["syntax_note"].value_counts()
    for note, count in counts.head(NOTES_SHOWN).items():
        lines.append(f"  note ({count} files): {note}")
    if len(counts) > NOTES_SHOWN:
        lines.append(f"  ... {len(counts) - NOTES_SHOWN} more notes in the log's syntax_note column")
    return lines
