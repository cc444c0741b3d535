"""phidetect: find protected health information in DICOM headers and pixels.

    >>> import phidetect
    >>> result = phidetect.scan("folder/")        # findings DataFrame
    >>> result.errors                             # files that could not be read
    >>> phidetect.scan_to_folder(["folder/"], "sweep/")   # a large sweep, streamed to Parquet parts
    >>> phidetect.read_sweep("sweep/", columns=["phi_type", "confidence"])
"""

from phidetect.datasets.midib import midib_truth, score_midib
from phidetect.datasets.packaged_labels import packaged_truth
from phidetect.datasets.presidio import presidio_truth
from phidetect.datasets.pseudo_phi import pseudo_phi_truth
from phidetect.distributed import scan_dask
from phidetect.evaluate import TRUTH_COLUMNS, EvaluationResult, evaluate, truth_frame
from phidetect.findings import COLUMNS, PHI_TYPES, ErrorKind
from phidetect.ocr_settings import THOROUGH, OcrOptions, OcrSettings
from phidetect.redact import Policy, RedactionResult, redact, verify
from phidetect.result import Findings
from phidetect.scan import scan, scan_dataset, scan_file
from phidetect.sweep import read_sweep, scan_to_folder
from phidetect.text.ocr_rewrites import OcrRewrite
from phidetect.text.recognizer import AfterMergeRecognizer, PatternRecognizer, Recognizer, Registry, Suppressor
from phidetect.text.registry import default_registry

__version__ = "0.1.0"

__all__ = [
    "COLUMNS", "PHI_TYPES", "THOROUGH", "TRUTH_COLUMNS", "AfterMergeRecognizer", "ErrorKind", "EvaluationResult",
    "Findings", "OcrOptions", "OcrRewrite", "OcrSettings", "PatternRecognizer", "Policy", "Suppressor",
    "RedactionResult", "redact", "verify",
    "Recognizer", "Registry", "default_registry", "evaluate", "midib_truth", "packaged_truth", "presidio_truth",
    "pseudo_phi_truth", "read_sweep", "scan", "scan_dask", "scan_to_folder", "scan_dataset", "scan_file", "score_midib", "truth_frame",
    "__version__",
]
