"""The per-run secret and the keyed hashes derived from it.

Every pseudonymous value a redaction writes (replacement UIDs, date shifts) is a keyed
hash of the original under one secret, so the same input gives the same output in every
file of a run, in every worker process, and across runs that reuse the secret, while
nobody without the secret can recompute or invert the mapping.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

#: Environment variable the command line reads a secret from (safer than an argument: ps shows those).
SECRET_ENV = "PHIDETECT_REDACT_SECRET"


def run_secret(secret: bytes | str | None = None) -> bytes:
    """``secret`` as bytes; a fresh random one when None (mappings then differ per run)."""
    if secret is None:
        return secrets.token_bytes(32)
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not secret:
        raise ValueError("the redaction secret must not be empty")
    return bytes(secret)


def secret_from_env() -> bytes | None:
    value = os.environ.get(SECRET_ENV)
    return value.encode("utf-8") if value else None


def keyed_digest(secret: bytes, purpose: str, text: str) -> bytes:
    """HMAC-SHA256 of ``text`` under ``secret``, separated by ``purpose`` so a UID and a
    patient key that happen to be equal never share a hash."""
    return hmac.new(secret, purpose.encode("ascii") + b"\0" + text.encode("utf-8"), hashlib.sha256).digest()
