"""The object a scan returns: the findings DataFrame, with the error table attached.

A notebook user gets a plain-looking DataFrame and finds the problems with files
where tab completion shows them: ``result.errors``. The repr says when there are any.
"""

from __future__ import annotations

import pandas as pd

from phidetect.findings import ERROR_COLUMNS, errors_frame


class Findings(pd.DataFrame):
    """Findings (one row per PHI span or box) plus ``.errors``: files that could not be scanned."""

    _metadata = ["errors", "files_scanned"]

    @property
    def _constructor(self):  # pandas keeps the subclass through slicing and filtering
        return Findings

    @classmethod
    def build(cls, findings: pd.DataFrame, errors: pd.DataFrame | None = None,
              files_scanned: int = 0) -> Findings:
        result = cls(findings)
        result.errors = errors if errors is not None else errors_frame([])
        result.files_scanned = files_scanned
        return result

    def __getattr__(self, name: str):
        # pandas looks up _metadata attributes before they are set on fresh frames
        if name == "errors":
            return pd.DataFrame({c: pd.Series(dtype=t) for c, t in ERROR_COLUMNS.items()})
        if name == "files_scanned":
            return 0
        return super().__getattr__(name)

    def at_least(self, confidence: float) -> Findings:
        """Only the findings whose confidence reaches ``confidence``."""
        return self[self["confidence"] >= confidence]

    def summary(self, min_confidence: float = 0.0) -> pd.DataFrame:
        """Counts per phi_type: findings, and distinct files holding that type."""
        kept = self[self["confidence"] >= min_confidence]
        if kept.empty:
            return pd.DataFrame(columns=["findings", "files"]).rename_axis("phi_type")
        grouped = pd.DataFrame(kept).groupby("phi_type")
        return pd.DataFrame({"findings": grouped.size(), "files": grouped["file"].nunique()})

    def _footer(self) -> str:
        n_err = len(self.errors)
        files = f" in {self['file'].nunique()} files" if "file" in self.columns else ""
        return (f"{len(self)} findings{files}"
                f" ({self.files_scanned} scanned); {n_err} files with errors"
                + (": see .errors" if n_err else ""))

    def __repr__(self) -> str:
        return super().__repr__() + "\n" + self._footer()

    def _repr_html_(self) -> str:
        return (super()._repr_html_() or "") + f"<p><b>{self._footer()}</b></p>"
