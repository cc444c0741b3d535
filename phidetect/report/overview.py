"""What a report says about a whole sweep, computed without holding the sweep: counts by
phi_type, source and rule (and, from a sweep folder, by modality, with the files examined
of each), and one line per file with findings (how many, how many at the
fail-on threshold, the surest, which types).

From a findings table it is a few group-bys. From a sweep folder the parts are read one at
a time, light columns only (no text), and the counts added: a file's rows lie in one part,
so per-part distinct files add up, and the parent holds one part plus one line per file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from phidetect.sweep import committed_pairs

#: Columns the overview reads from a sweep's findings parts.
LIGHT = ["file", "source", "phi_type", "confidence", "rule"]
#: Count tables of the summary, by these columns (modality: sweep folders only, whose files
#: table records it; a findings table does not).
GROUPS = ("phi_type", "source", "modality", "rule")
FILE_COLUMNS = ["file", "findings", "failing", "max_confidence", "phi_types", "pixel"]


@dataclass
class Overview:
    """Counts (``by[column]``: key -> findings, files, failing), per-file lines, totals."""

    fail_on: float
    findings: int = 0
    failing: int = 0
    by: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FILE_COLUMNS))

    @property
    def files_with_findings(self) -> int:
        return len(self.files)

    @property
    def files_failing(self) -> int:
        return int((self.files["failing"] > 0).sum()) if len(self.files) else 0

    def ranked(self) -> list[str]:
        """Files riskiest first: most findings at fail-on, then the surest, then the most."""
        if not len(self.files):
            return []
        order = self.files.sort_values(["failing", "max_confidence", "findings", "file"],
                                       ascending=[False, False, False, True], kind="stable")
        return list(order["file"])


def _batch(findings: pd.DataFrame, fail_on: float) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The counts and file lines of one batch of findings."""
    strong = findings["confidence"] >= fail_on
    counts = {}
    for column in (c for c in GROUPS if c in findings.columns):
        grouped = findings.assign(_strong=strong).groupby(column)
        counts[column] = pd.DataFrame({"findings": grouped.size(), "files": grouped["file"].nunique(),
                                       "failing": grouped["_strong"].sum().astype("int64")})
    by_file = findings.assign(_strong=strong, _pixel=findings["source"].eq("pixel")).groupby("file")
    lines = pd.DataFrame({"findings": by_file.size(), "failing": by_file["_strong"].sum().astype("int64"),
                          "max_confidence": by_file["confidence"].max(),
                          "phi_types": by_file["phi_type"].agg(lambda s: " ".join(sorted(set(s)))),
                          "pixel": by_file["_pixel"].any()}).reset_index()
    return counts, lines


def _add(total: dict[str, pd.DataFrame], counts: dict[str, pd.DataFrame]) -> None:
    for column, frame in counts.items():
        total[column] = frame if column not in total else total[column].add(frame, fill_value=0).astype("int64")


def of_table(findings: pd.DataFrame, fail_on: float) -> Overview:
    """The overview of a findings table."""
    overview = Overview(fail_on)
    if len(findings):
        counts, lines = _batch(pd.DataFrame(findings), fail_on)
        overview.by, overview.files = counts, lines
        overview.findings, overview.failing = len(findings), int((findings["confidence"] >= fail_on).sum())
    return overview


def _modality_label(modality: pd.Series) -> pd.Series:
    """Modality as counted: "?" for a file whose modality was not recorded."""
    return modality.fillna("").replace("", "?")


def of_folder(folder: str | os.PathLike, fail_on: float) -> Overview:
    """The overview of a sweep folder, part by part (see the module docstring)."""
    overview = Overview(fail_on)
    lines, total = [], {}
    examined = pd.Series(dtype="int64")
    for findings, files in committed_pairs(folder, LIGHT, file_columns=("modality",)):
        examined = examined.add(_modality_label(files["modality"]).value_counts(), fill_value=0).astype("int64")
        if findings.empty:
            continue
        counts, part_lines = _batch(findings.assign(modality=_modality_label(findings["modality"])), fail_on)
        _add(total, counts)
        lines.append(part_lines)
        overview.findings += len(findings)
        overview.failing += int((findings["confidence"] >= fail_on).sum())
    if len(examined):
        by_modality = total.get("modality", pd.DataFrame(columns=["findings", "files", "failing"]))
        by_modality = by_modality.reindex(examined.index.union(by_modality.index), fill_value=0)
        total["modality"] = by_modality.assign(examined=examined.reindex(by_modality.index, fill_value=0)) \
            .astype("int64")
    overview.by = total
    if lines:
        overview.files = pd.concat(lines, ignore_index=True)
    return overview
