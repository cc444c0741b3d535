"""Measurements of what phidetect achieves on data with a known truth.

    >>> from phidetect.measure import measure_redaction
    >>> m = measure_redaction(n=100, seed=0, ocr=False)   # CLI: phidetect measure-redaction
    >>> m.table()                                         # metrics as rows, one column per run
    >>> m.truth_boxes.leaks()                             # header PHI left in the copies

The README's redaction figures come from here (docs/redaction.md, Measured); the
definitions of every number are in phidetect.measure.redaction.
"""

from phidetect.measure.header_residue import FAIL_ON
from phidetect.measure.redaction import (
    SECRET,
    RedactionMeasurement,
    RunMetrics,
    RunResult,
    measure_copies,
    measure_redaction,
    measure_run,
)

__all__ = ["FAIL_ON", "SECRET", "RedactionMeasurement", "RunMetrics", "RunResult", "measure_copies",
           "measure_redaction", "measure_run"]
