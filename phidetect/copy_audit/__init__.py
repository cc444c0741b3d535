"""Judge a de-identification by its originals: which PHI items of each original survived
in its copy (``phidetect.audit``; CLI ``phidetect audit``). Named apart from the function
so that ``phidetect.audit`` stays the function once the package is imported."""

from phidetect.copy_audit.run import FAIL_ON, AuditResult, audit

__all__ = ["FAIL_ON", "AuditResult", "audit"]
