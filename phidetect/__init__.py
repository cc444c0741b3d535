"""phidetect: find protected health information in DICOM headers and pixels.

    >>> import phidetect
    >>> result = phidetect.scan("folder/")        # findings DataFrame
    >>> result.errors                             # files that could not be read
    >>> phidetect.scan_to_folder(["folder/"], "sweep/")   # a large sweep, streamed to Parquet parts
    >>> phidetect.read_sweep("sweep/", columns=["phi_type", "confidence"])

Every public name is imported on first use (PEP 562): ``import phidetect`` costs almost
nothing, and a header sweep's command never loads redaction's encoders, the evaluation,
the benchmark loaders or Dask.
"""

from typing import TYPE_CHECKING

from phidetect.lazy import keep_functions, lazy_exports

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("TRUTH_COLUMNS", "EvaluationResult", "evaluate", "truth_frame"), "phidetect.evaluate"),
    **dict.fromkeys(("COLUMNS", "PHI_TYPES", "ErrorKind"), "phidetect.findings"),
    **dict.fromkeys(("THOROUGH", "OcrOptions", "OcrSettings"), "phidetect.ocr_settings"),
    **dict.fromkeys(("Policy", "RedactionResult", "redact", "verify"), "phidetect.redact"),
    "Findings": "phidetect.result",
    **dict.fromkeys(("scan", "scan_dataset", "scan_file"), "phidetect.scan"),
    **dict.fromkeys(("read_sweep", "scan_to_folder"), "phidetect.sweep"),
    "OcrRewrite": "phidetect.text.ocr_rewrites",
    **dict.fromkeys(("AfterMergeRecognizer", "PatternRecognizer", "Recognizer", "Registry", "Suppressor"),
                    "phidetect.text.recognizer"),
    "default_registry": "phidetect.text.registry",
    **dict.fromkeys(("audit", "AuditResult"), "phidetect.copy_audit"),
    **dict.fromkeys(("midib_truth", "score_midib"), "phidetect.datasets.midib"),
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
    from phidetect.evaluate import TRUTH_COLUMNS, EvaluationResult, evaluate, truth_frame  # noqa: F401
    from phidetect.findings import COLUMNS, PHI_TYPES, ErrorKind  # noqa: F401
    from phidetect.ocr_settings import THOROUGH, OcrOptions, OcrSettings  # noqa: F401
    from phidetect.redact import Policy, RedactionResult, redact, verify  # noqa: F401
    from phidetect.result import Findings  # noqa: F401
    from phidetect.scan import scan, scan_dataset, scan_file  # noqa: F401
    from phidetect.sweep import read_sweep, scan_to_folder  # noqa: F401
    from phidetect.text.ocr_rewrites import OcrRewrite  # noqa: F401
    from phidetect.text.recognizer import (  # noqa: F401
        AfterMergeRecognizer,
        PatternRecognizer,
        Recognizer,
        Registry,
        Suppressor,
    )
    from phidetect.text.registry import default_registry  # noqa: F401

__version__ = "0.1.0"

__all__ = [*_EXPORTS, "__version__"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
# phidetect.scan, .redact and .evaluate are both submodules and functions: the function wins
keep_functions(__name__, _EXPORTS)
