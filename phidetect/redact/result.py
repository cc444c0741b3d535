"""What a redaction run returns: one row per input file, the errors, and (with verify)
the residual findings of the scan of the copies."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from phidetect.findings import ERROR_COLUMNS, typed_frame
from phidetect.redact.linkage import LINK_COLUMNS
from phidetect.redact.sizes import size_summary
from phidetect.result import Findings

#: Columns of ``RedactionResult.files`` (and of ``phidetect redact --log``).
FILE_COLUMNS: dict[str, str] = {
    "input": "string",             # the input file, relative to the input folder
    "output": "string",            # the copy written ("" when none was)
    "status": "string",            # written, skipped (not DICOM), exists (not overwritten), error
    "error": "string",             # why, in words ("" when written)
    "n_header_actions": "int64",   # elements removed, emptied or changed
    "n_boxes": "int64",            # distinct pixel boxes blacked out
    "decompressed": "bool",        # compressed pixel data written uncompressed
    "pixels_cleaned": "bool",      # OCR read the pixels and every box was filled (BurnedInAnnotation NO)
    "seconds": "float64",
    "input_syntax": "string",      # transfer syntax UID of the input (phidetect.redact.sizes names them)
    "output_syntax": "string",     # transfer syntax UID of the copy
    "bytes_in": "int64",           # size of the input file
    "bytes_out": "int64",          # size of the copy
    "syntax_note": "string",       # why the copy is not in the input's lossless family, lossy history kept
}
STATUSES = ("written", "skipped", "exists", "error")
#: Columns of ``RedactionResult.boxes``: every box filled, and why.
BOX_COLUMNS: dict[str, str] = {
    "file": "string",      # the input file, relative to the input folder
    "frame": "int64",      # 0-based; -1: every frame
    "x": "int64", "y": "int64", "width": "int64", "height": "int64",   # before the margin
    "plane": "string",     # image, overlay:60xx
    "reason": "string",    # "PHI NAME" (a finding), "line holds PHI", "read too unsurely to judge",
                           # "text region not read", "line read only in part", "stacked with unsafe text",
                           # "continues a line holding PHI" (phidetect.redact.blanking.Reason),
                           # "given" (boxes= / --boxes), "text region (conservative mode)"
}


def files_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(FILE_COLUMNS))
    return typed_frame(frame, FILE_COLUMNS).sort_values("input", kind="stable").reset_index(drop=True)


def boxes_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(BOX_COLUMNS))
    return typed_frame(frame, BOX_COLUMNS).sort_values(["file", "frame", "y", "x"], kind="stable").reset_index(drop=True)


@dataclass
class RedactionResult:
    """``files``: one row per input (FILE_COLUMNS); ``errors``: (file, error) rows for
    inputs that were not written and elements that could not be read; ``residual``: the
    findings left in the copies when the run was verified, else None; ``boxes``: every
    pixel box filled in the written copies and why (BOX_COLUMNS)."""

    files: pd.DataFrame
    errors: pd.DataFrame = field(default_factory=lambda: typed_frame(pd.DataFrame(), ERROR_COLUMNS))
    residual: Findings | None = None
    boxes: pd.DataFrame = field(default_factory=lambda: boxes_frame([]))
    #: what the run did differently from what was asked, and why (e.g. reading the thorough way)
    notes: list[str] = field(default_factory=list)
    #: original -> copy, one row per input (LINK_COLUMNS; sensitive: it re-identifies the copies)
    linkage: pd.DataFrame = field(default_factory=lambda: typed_frame(pd.DataFrame(), LINK_COLUMNS))

    def counts(self) -> dict[str, int]:
        """Files per status."""
        found = self.files["status"].value_counts()
        return {status: int(found.get(status, 0)) for status in STATUSES}

    def sizes(self) -> pd.DataFrame:
        """Bytes in and out of the written copies per (input, output) transfer syntax
        (phidetect.redact.sizes.SIZE_COLUMNS)."""
        return size_summary(self.files)

    def residual_at_least(self, confidence: float) -> Findings | None:
        return None if self.residual is None else self.residual.at_least(confidence)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.counts().items())
        residual = "" if self.residual is None else f"; residual findings {len(self.residual)}"
        return f"RedactionResult({len(self.files)} files: {counts}; errors {len(self.errors)}{residual})"
