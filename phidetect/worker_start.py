"""Imported once by the fork server that starts worker processes (phidetect.pool.PRELOAD):
the scan, the redaction and the default registry with its name lists, so that every worker
forked from it starts with them built instead of importing and loading them again. Nothing
here loads torch or OpenCV, whose thread pools a forked child must not inherit."""

from phidetect.pipeline import shared_registry
from phidetect.redact import run as _redact_run  # noqa: F401  (imported for the workers)
from phidetect.scan import scan as _scan  # noqa: F401

shared_registry()
