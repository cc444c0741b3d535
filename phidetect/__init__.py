"""phidetect: find protected health information in DICOM headers and pixels.

    >>> import phidetect
    >>> result = phidetect.scan("folder/")        # findings DataFrame
    >>> result.errors                             # files that could not be read
    >>> phidetect.scan_to_folder(["folder/"], "sweep/")   # a large sweep, streamed to Parquet parts
    >>> phidetect.read_sweep("sweep/", columns=["phi_type", "confidence"])
"""

from typing import TYPE_CHECKING

# names that are also submodules (phidetect.scan, .redact, .evaluate) are bound here, or the
# submodule, once imported, would stand where the function should
from phidetect.evaluate import TRUTH_COLUMNS, EvaluationResult, evaluate, truth_frame
from phidetect.findings import COLUMNS, PHI_TYPES, ErrorKind
from phidetect.lazy import lazy_exports
from phidetect.ocr_settings import THOROUGH, OcrOptions, OcrSettings
from phidetect.redact import Policy, RedactionResult, redact, verify
from phidetect.result import Findings
from phidetect.scan import scan, scan_dataset, scan_file
from phidetect.sweep import read_sweep, scan_to_folder
from phidetect.text.ocr_rewrites import OcrRewrite
from phidetect.text.recognizer import AfterMergeRecognizer, PatternRecognizer, Recognizer, Registry, Suppressor
from phidetect.text.registry import default_registry

#: Loaded on first use: a sweep's command does not import the benchmark loaders or Dask.
_EXPORTS: dict[str, str] = {
    "audit": "phidetect.copy_audit",
    "AuditResult": "phidetect.copy_audit",
    "midib_truth": "phidetect.datasets.midib",
    "score_midib": "phidetect.datasets.midib",
    "packaged_truth": "phidetect.datasets.packaged_labels",
    "presidio_truth": "phidetect.datasets.presidio",
    "pseudo_phi_truth": "phidetect.datasets.pseudo_phi",
    "scan_dask": "phidetect.distributed",
}

if TYPE_CHECKING:  # type checkers and editors see the lazy names imported eagerly
    from phidetect.copy_audit import AuditResult, audit  # noqa: F401
    from phidetect.datasets.midib import midib_truth, score_midib  # noqa: F401
    from phidetect.datasets.packaged_labels import packaged_truth  # noqa: F401
    from phidetect.datasets.presidio import presidio_truth  # noqa: F401
    from phidetect.datasets.pseudo_phi import pseudo_phi_truth  # noqa: F401
    from phidetect.distributed import scan_dask  # noqa: F401

__version__ = "0.1.0"

__all__ = [
    "COLUMNS", "PHI_TYPES", "THOROUGH", "AuditResult", "audit", "TRUTH_COLUMNS", "AfterMergeRecognizer", "ErrorKind", "EvaluationResult",
    "Findings", "OcrOptions", "OcrRewrite", "OcrSettings", "PatternRecognizer", "Policy", "Suppressor",
    "RedactionResult", "redact", "verify",
    "Recognizer", "Registry", "default_registry", "evaluate", "midib_truth", "packaged_truth", "presidio_truth",
    "pseudo_phi_truth", "read_sweep", "scan", "scan_dask", "scan_to_folder", "scan_dataset", "scan_file", "score_midib", "truth_frame",
    "__version__",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
