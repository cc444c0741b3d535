"""De-identified copies of DICOM files: PS3.15 header actions and options, keyed UID and
date mappings, burned-in text blacked out, and a rescan that verifies the result.

    >>> from phidetect.redact import redact, verify, Policy
    >>> result = redact("in/", "out/", policy="research", secret=b"keep me safe", verify=True)
    >>> result.files            # one row per input: output, status, actions, boxes
    >>> result.residual         # findings left in the copies (policy-kept values excluded)

See docs/redaction.md.
"""

from phidetect.redact.boxes import top_rows
from phidetect.redact.pixels import DEFAULT_MARGIN, PixelRedactionError, blackout
from phidetect.redact.policy import CODES, PRESETS, Policy
from phidetect.redact.result import FILE_COLUMNS, RedactionResult
from phidetect.redact.run import redact
from phidetect.redact.uids import UidMapper
from phidetect.redact.verification import verify

__all__ = [
    "CODES", "DEFAULT_MARGIN", "FILE_COLUMNS", "PRESETS", "PixelRedactionError", "Policy",
    "RedactionResult", "UidMapper", "blackout", "redact", "top_rows", "verify",
]
