"""The list that the Retain Safe Private Option keeps (PS3.15 E.3.10): private attributes
known to hold no identifying information, each named by its group, its private creator
and its element within the creator's block (the ``xx0C`` of ``(0019,xx0C)``), with its VR.

The packaged list is PS3.15 Table E.3.10-1 (phidetect/data/safe_private, provenance in its
README); files a user gives in the same columns extend it. A private element is safe only
where all three match: the same group, the same creator string (padding trimmed, the
vendor's spelling and case exactly) and the same element byte, and, where the file says
the element's VR (explicit VR), one of the VRs listed. Implicit-VR files do not say it (their
private elements arrive as UN): they are matched by group, creator and element alone.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from pydicom.dataset import Dataset

PACKAGE = "phidetect.data.safe_private"
PACKAGED_FILE = "ps3.15-table-e.3.10-1.csv"
#: Columns a list must have; ``vr`` (empty: any VR), ``vm``, ``name`` and ``source`` are optional.
REQUIRED_COLUMNS = ("group", "private_creator", "element")
#: A private creator is an LO value.
MAX_CREATOR_LENGTH = 64
#: VRs a file may give for an element that says nothing about its real VR.
UNKNOWN_VRS = frozenset({"", "UN"})
VRS = frozenset({"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
                 "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US",
                 "UT", "UV"})
#: Odd groups that cannot hold private data (PS3.5 7.8.1).
RESERVED_GROUPS = frozenset({0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF})
#: An empty VR set: the list gives no VR, any VR matches.
ANY_VR: frozenset[str] = frozenset()


class SafePrivateError(ValueError):
    """A safe-private list that cannot be used: the message names the file and the line."""


@dataclass(frozen=True)
class SafeEntry:
    """One listed private attribute: ``vrs`` empty when the list gives no VR."""

    group: int
    creator: str
    element: int
    vrs: frozenset[str]
    name: str = ""
    source: str = ""


Key = tuple[int, str, int]


class SafePrivateList:
    """The listed attributes by (group, creator, element byte), each with the VRs it may have."""

    def __init__(self, entries: Iterable[SafeEntry]) -> None:
        by_key: dict[Key, frozenset[str]] = {}
        for entry in entries:
            key = (entry.group, entry.creator, entry.element)
            known = by_key.get(key)
            if known is None:
                by_key[key] = entry.vrs
            else:  # two rows for one attribute: either VR is safe; a row without VR allows any
                by_key[key] = ANY_VR if not known or not entry.vrs else known | entry.vrs
        self._by_key: Mapping[Key, frozenset[str]] = MappingProxyType(by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def keeps(self, group: int, creator: str, element: int, vr: str | None) -> bool:
        """True when the list names this element: ``element`` is the byte within the block,
        ``vr`` the file's own VR (None or UN for implicit VR: not compared)."""
        vrs = self._by_key.get((group, creator, element))
        if vrs is None:
            return False
        return not vrs or vr is None or vr in UNKNOWN_VRS or vr in vrs

    def listed_vrs(self, group: int, creator: str, element: int) -> frozenset[str] | None:
        """The VRs the list gives for this element (empty: any), or None when it is not listed."""
        return self._by_key.get((group, creator, element))


def _hex(text: str, digits: int, what: str) -> int:
    value = text.strip()
    if what == "element" and value[:2].lower() == "xx":
        value = value[2:]  # PS3.15 and TCIA write the element within its block as xx0C
    if len(value) != digits or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise ValueError(f"{what} must be {digits} hex digits{' (or xxNN)' if what == 'element' else ''}, not {text!r}")
    return int(value, 16)


def _entry(row: Mapping[str, str | None]) -> SafeEntry:
    group = _hex(row["group"] or "", 4, "group")
    if not group & 1 or group in RESERVED_GROUPS:
        raise ValueError(f"group {group:04X} is not a private group (an odd group from 0009 to FFFD)")
    creator = (row["private_creator"] or "").strip(" \x00")
    if not creator or len(creator) > MAX_CREATOR_LENGTH or "\\" in creator:
        raise ValueError(f"private_creator must be 1 to {MAX_CREATOR_LENGTH} characters without a backslash, "
                         f"not {creator!r}")
    element = _hex(row["element"] or "", 2, "element")
    vr_text = (row.get("vr") or "").strip().upper()
    vrs = frozenset(v.strip() for v in vr_text.split("/")) if vr_text else ANY_VR
    if vrs - VRS:
        raise ValueError(f"vr must be empty or VRs separated by '/', not {vr_text!r}")
    return SafeEntry(group, creator, element, vrs, (row.get("name") or "").strip(), (row.get("source") or "").strip())


def parse_safe_private(text: str, name: str) -> list[SafeEntry]:
    """The entries of one list in CSV text; ``name`` (the file) is what errors are about."""
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SafePrivateError(f"{name}, line 1: the header must name the columns {', '.join(REQUIRED_COLUMNS)} "
                               f"(missing {', '.join(missing)})")
    reader.fieldnames = columns
    entries = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        try:
            entries.append(_entry(row))
        except ValueError as exc:
            raise SafePrivateError(f"{name}, line {reader.line_num}: {exc}") from None
    return entries


def read_safe_private(path: str | os.PathLike) -> list[SafeEntry]:
    """The entries of a user's list (UTF-8 CSV); SafePrivateError when it cannot be used."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SafePrivateError(f"{os.fspath(path)}: cannot read the safe-private list: {exc}") from None
    try:
        return parse_safe_private(text, os.fspath(path))
    except csv.Error as exc:
        raise SafePrivateError(f"{os.fspath(path)}: not a CSV file: {exc}") from None


@lru_cache(maxsize=1)
def packaged_entries() -> tuple[SafeEntry, ...]:
    """PS3.15 Table E.3.10-1 as packaged."""
    text = resources.files(PACKAGE).joinpath(PACKAGED_FILE).read_text("utf-8")
    return tuple(parse_safe_private(text, PACKAGED_FILE))


@lru_cache(maxsize=16)
def safe_private_list(extra: tuple[str, ...] = ()) -> SafePrivateList:
    """The packaged list extended by the user's files ``extra`` (each read once per process)."""
    entries = list(packaged_entries())
    for path in extra:
        entries += read_safe_private(path)
    return SafePrivateList(entries)


def block_creator_tag(tag: int) -> int | None:
    """The tag of the private creator that reserves this element's block, or None for an
    element outside any block (a creator itself, a group length, the reserved 0001-0FFF)."""
    group, element = tag >> 16, tag & 0xFFFF
    if not group & 1 or element < 0x1000:
        return None
    return (group << 16) | (element >> 8)


def creator_of(ds: Dataset, tag: int) -> str | None:
    """The private creator string of this element's block, padding trimmed, read without
    converting it; None when the block has no (single, text) creator."""
    creator_tag = block_creator_tag(tag)
    if creator_tag is None or creator_tag not in ds:
        return None
    value = ds.get_item(creator_tag).value
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str) or "\\" in value:
        return None
    return value.strip(" \x00") or None
