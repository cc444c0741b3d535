"""Replacement UIDs: one keyed hash per original UID, the same in every file of a run.

``2.25.<integer>`` is the standard's root for UIDs derived from a UUID-sized number
(PS3.5 B.2); 128 bits of HMAC-SHA256 give at most 39 digits, 44 characters in all.
Registered UIDs (SOP classes, transfer syntaxes, coding schemes, well-known frames of
reference) identify nobody and are kept: changing them would break the object.
"""

from __future__ import annotations

from functools import lru_cache

from pydicom.uid import UID_dictionary

from phidetect.redact.keys import keyed_digest

UID_ROOT = "2.25."
#: Keywords whose UIDs name a kind of thing, not an instance.
KEPT_SUFFIXES = ("ClassUID", "SyntaxUID", "CodingSchemeUID")


def is_registered(uid: str) -> bool:
    return uid in UID_dictionary


def names_a_kind(keyword: str) -> bool:
    """UIDs that say what (a SOP class, a transfer syntax), never which one."""
    return keyword.endswith(KEPT_SUFFIXES)


class UidMapper:
    """Original UID -> replacement UID under one secret (pure: no state to share between workers)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._map = lru_cache(maxsize=65536)(self._derive)

    def _derive(self, uid: str) -> str:
        number = int.from_bytes(keyed_digest(self._secret, "uid", uid)[:16], "big")
        return f"{UID_ROOT}{number}"

    def map(self, uid: str) -> str:
        """The replacement of ``uid`` (registered UIDs and empty values unchanged)."""
        uid = str(uid).strip("\0 ")
        if not uid or is_registered(uid):
            return uid
        return self._map(uid)
