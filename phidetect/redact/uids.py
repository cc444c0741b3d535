"""Replacement UIDs: one keyed hash per original UID, the same in every file of a run.

``2.25.<integer>`` is the standard's root for UIDs derived from a UUID-sized number
(PS3.5 B.2); 128 bits of HMAC-SHA256 give at most 39 digits, 44 characters in all.
Registered UIDs (SOP classes, transfer syntaxes, coding schemes, well-known frames of
reference) identify nobody and are kept: changing them would break the object.
"""

from __future__ import annotations

import csv
import io
from functools import cache, lru_cache
from importlib import resources

from pydicom.uid import UID_dictionary

from phidetect.redact.keys import keyed_digest

UID_ROOT = "2.25."
#: UID attributes E.1-1 does not list whose values name a kind of thing, decided once per
#: attribute with its reason (phidetect/data/ps315/kind-uids.csv), not by their keyword.
KIND_UIDS_FILE = "kind-uids.csv"


def is_registered(uid: str) -> bool:
    return uid in UID_dictionary


@cache
def kind_uid_tags() -> frozenset[int]:
    """The tags of the packaged kind-UID decisions."""
    text = resources.files("phidetect.data.ps315").joinpath(KIND_UIDS_FILE).read_text("utf-8")
    return frozenset(int(row["tag"].strip("()").replace(",", ""), 16) for row in csv.DictReader(io.StringIO(text)))


def names_a_kind(tag: int) -> bool:
    """UIDs that say what (a SOP class, a transfer syntax), never which one."""
    return tag in kind_uid_tags()


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
