"""The summary of a sweep, counted as it goes: findings and files per phi_type, files with
PHI at the fail-on threshold, files not (fully) checked, and the verdict.

Counts are added one batch of files at a time (a sweep folder's part, or a whole scan's
table); a file's rows never span two batches, so per-batch distinct files add up.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import pandas as pd

from phidetect.findings import ErrorKind

#: Error kinds that leave a sweep complete: a file with no DICOM structure at all (a
#: README beside the images) holds no data set to check.
COMPLETE_KINDS = frozenset({ErrorKind.NOT_DICOM.value})


def unchecked_files(errors: pd.DataFrame) -> int:
    """Files of an errors table that were not (fully) checked for PHI."""
    if errors is None or errors.empty:
        return 0
    return int(errors.loc[~errors["kind"].astype(str).isin(COMPLETE_KINDS), "file"].nunique())


@dataclass
class SweepSummary:
    """Running counts of a sweep (see the module docstring)."""

    fail_on: float = 0.5
    files: int = 0
    findings: int = 0
    failing: int = 0                      # findings at or above fail_on
    files_with_phi: int = 0
    files_with_errors: int = 0
    unchecked: int = 0
    skipped: int = 0                      # files a resumed sweep had already examined
    complete: bool = False
    by_source: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)  # phi_type -> findings, files, failing

    def add(self, findings: pd.DataFrame, errors: pd.DataFrame, files: int) -> None:
        """Count one batch: its findings and error tables and how many files it examined."""
        self.files += files
        self.findings += len(findings)
        if len(findings):
            failing = findings[findings["confidence"] >= self.fail_on]
            self.failing += len(failing)
            self.files_with_phi += int(failing["file"].nunique())
            if "source" in findings.columns:
                for source, count in findings["source"].value_counts().items():
                    self.by_source[str(source)] = self.by_source.get(str(source), 0) + int(count)
            strong = failing.groupby("phi_type").size()
            for phi_type, group in findings.groupby("phi_type"):
                row = self.by_type.setdefault(str(phi_type), {"findings": 0, "files": 0, "failing": 0})
                row["findings"] += len(group)
                row["files"] += int(group["file"].nunique())
                row["failing"] += int(strong.get(phi_type, 0))
        if len(errors):
            self.files_with_errors += int(errors["file"].nunique())
            self.unchecked += unchecked_files(errors)

    @classmethod
    def of(cls, findings: pd.DataFrame, errors: pd.DataFrame, files: int, fail_on: float) -> SweepSummary:
        """The summary of a whole scan's tables."""
        summary = cls(fail_on=fail_on, complete=True)
        summary.add(findings, errors, files)
        return summary

    @property
    def verdict(self) -> str:
        if self.failing:
            return "FAIL: PHI found"
        if not self.complete:
            return "INCOMPLETE: the sweep was interrupted; not a pass"
        if self.unchecked:
            return f"INCOMPLETE: {self.unchecked} files could not be checked (see the errors); not a pass"
        return "PASS: no finding reaches the threshold"

    def as_dict(self) -> dict:
        return {"fail_on": self.fail_on, "files": self.files, "findings": self.findings,
                "findings_at_or_above_fail_on": self.failing, "files_with_phi": self.files_with_phi,
                "files_with_errors": self.files_with_errors, "files_unchecked": self.unchecked,
                "files_skipped_as_done": self.skipped, "complete": self.complete, "by_source": self.by_source,
                "by_phi_type": self.by_type, "verdict": self.verdict}

    def print(self, out=None) -> None:
        """The summary a person reads at the end of ``phidetect scan``."""
        out = out or sys.stdout
        skipped = f" ({self.skipped} already done, skipped)" if self.skipped else ""
        print(f"files scanned: {self.files}{skipped}", file=out)
        print(f"findings: {self.findings}  (at or above {self.fail_on}: {self.failing})", file=out)
        if self.by_source:
            print("by source: " + ", ".join(f"{s} {n}" for s, n in sorted(self.by_source.items(),
                                                                           key=lambda kv: -kv[1])), file=out)
        if self.by_type:
            print("by phi_type:          findings  files  >=fail-on", file=out)
            for phi_type, row in sorted(self.by_type.items()):
                print(f"  {phi_type:<18} {row['findings']:>9} {row['files']:>6} {row['failing']:>10}", file=out)
        print(f"files with PHI (>= {self.fail_on}): {self.files_with_phi}", file=out)
        print(f"files with errors: {self.files_with_errors}", file=out)
        print(self.verdict, file=out)
