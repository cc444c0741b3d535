"""DICOM PS3.15 Table E.1-1 as packaged (phidetect/data/ps315/ps3.15-table-e.1-1.json),
read and parsed once for everything that needs it: which attributes are PHI
(phidetect.dicom.profile) and what a redaction does with each (phidetect.redact.policy).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

_HEX = frozenset("0123456789abcdefABCDEF")


@dataclass(frozen=True)
class TableRow:
    """One E.1-1 row with a concrete tag, as the table writes it.

    ``tag`` is the table's text (``"(0008,0050)"``), ``basic_profile`` the Basic Profile
    action (``"Z"``, ``"X/Z"``...), ``options`` each option column the row lists (e.g.
    ``"rtnDevIdOpt"``) with its action (K or C)."""

    tag: str
    name: str
    basic_profile: str
    options: Mapping[str, str]


@lru_cache(maxsize=1)
def table_e1_1() -> Mapping[int, TableRow]:
    """The rows of Table E.1-1 with a concrete tag, by tag number, in the table's order.
    Wildcard rows (``(50xx,xxxx)``, ``(60xx,4000)``...) are left out: the code handles
    private groups, curves and overlays itself."""
    raw = resources.files("phidetect.data.ps315").joinpath("ps3.15-table-e.1-1.json").read_text("utf-8")
    rows: dict[int, TableRow] = {}
    for row in json.loads(raw):
        if not set(row["id"]) <= _HEX:
            continue
        options = MappingProxyType({k: v for k, v in row.items() if k.endswith("Opt")})
        rows[int(row["id"], 16)] = TableRow(row["tag"], row["name"], row["basicProfile"], options)
    return MappingProxyType(rows)
