"""DICOM PS3.15 Table E.1-1 (phidetect.dicom.ps315) and which of its attributes are PHI.

The table lists what the Basic Application Level Confidentiality Profile does with
each attribute; not every attribute it touches identifies someone. phidetect sorts
every row into one category (the full list: docs/profile-attributes.csv):

- ``identifier``: the value names or points to a person, place, device or time of
  care. A non-empty value is a finding over its whole value (rule ``profile.ps315``).
- ``descriptor``: free text (Clean Descriptors option, comments, labels). Not PHI by
  itself; the text rules look inside it for names, dates, IDs...
- ``characteristic``: patient characteristics (sex, age, size, weight, allergies;
  the Retain Patient Characteristics option). Not identifiers; ages over 89 are still
  caught by ``pattern.age``.
- ``structure``: sequences (walked into), binary blobs (signatures, padding), trial
  protocol metadata and GPS technical fields: handled by redaction, not findings.

A row's class comes from the table itself (its option columns) and the attribute's VR,
or, where those do not decide, from a decision written down once per attribute with its
reason (phidetect/data/ps315/attribute-classes.csv). No keyword is read letter by letter:
an attribute the table does not list gets no class here (redaction keeps it, minus what
the text rules find in it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
from pydicom.datadict import dictionary_VR, keyword_for_tag

from phidetect.dicom.ps315 import table_e1_1

RULE = "profile.ps315"

#: Confidence of a whole-value identifier finding, by phi_type (docs/rules.md).
SCORE_BY_TYPE = {
    "NAME": 0.95, "DATE": 0.85, "ID": 0.8, "ADDRESS": 0.95, "PHONE": 0.95, "EMAIL": 0.95,
    "INSTITUTION": 0.85, "DEVICE": 0.6, "OTHER": 0.7,
    # UIDs link records rather than name anyone, and every file has them: reported, but
    # under the default fail-on threshold (0.5) so a sweep fails on identities, not on links.
    "UID": 0.4,
}
#: Times of care (VR TM) say less than dates: reported, with less confidence.
TIME_SCORE = 0.6
_BINARY_VRS = {"OB", "OW", "UN", "OF", "OD", "OL", "OV", "US", "FL", "FD", "SL", "SS", "UL", "UV", "SV"}
#: Attributes whose class neither their VR nor the table's option columns decide, each
#: decided once and written down with its reason (packaged data, reviewed row by row).
DECISIONS_FILE = "attribute-classes.csv"
#: Where a row is decided by nothing: not an identifier by itself, the text rules read it.
UNDECIDED = ("descriptor", "", 0.0)


@dataclass(frozen=True)
class ProfileEntry:
    tag: str
    keyword: str
    name: str
    vr: str
    action: str
    options: tuple[str, ...]
    category: str
    phi_type: str
    confidence: float
    basis: str


@dataclass(frozen=True)
class Decision:
    """One attribute's class, decided by name: (category, phi_type, confidence) and why."""

    category: str
    phi_type: str
    confidence: float
    reason: str


@lru_cache(maxsize=1)
def decisions() -> dict[int, Decision]:
    """The packaged per-attribute decisions (phidetect/data/ps315/attribute-classes.csv), by tag."""
    text = resources.files("phidetect.data.ps315").joinpath(DECISIONS_FILE).read_text("utf-8")
    found: dict[int, Decision] = {}
    for row in csv.DictReader(io.StringIO(text)):
        tag = int(row["tag"].strip("()").replace(",", ""), 16)
        found[tag] = Decision(row["category"], row["phi_type"], float(row["confidence"]), row["reason"])
    return found


def _from_table(vr: str, options: set[str]) -> tuple[str, str, float, str] | None:
    """(category, phi_type, confidence, basis) from what the table and the dictionary say of
    the row: its option columns and its VR; None where they do not decide."""
    if vr == "SQ":
        return "structure", "", 0.0, "VR SQ: walked into"
    if "rtnPatCharsOpt" in options:
        return "characteristic", "", 0.0, "option rtnPatCharsOpt"
    if "cleanDescOpt" in options:
        return "descriptor", "", 0.0, "option cleanDescOpt"
    by_vr = {"UI": "UID", "AE": "DEVICE", "PN": "NAME", "DA": "DATE", "DT": "DATE"}
    if vr in by_vr:
        return "identifier", by_vr[vr], SCORE_BY_TYPE[by_vr[vr]], f"VR {vr}"
    if vr == "TM":
        return "identifier", "DATE", TIME_SCORE, "VR TM"
    if vr in _BINARY_VRS:
        return "structure", "", 0.0, f"VR {vr}: binary"
    if "rtnDevIdOpt" in options:
        return "identifier", "DEVICE", SCORE_BY_TYPE["DEVICE"], "option rtnDevIdOpt"
    if "rtnInstIdOpt" in options:
        return "identifier", "INSTITUTION", SCORE_BY_TYPE["INSTITUTION"], "option rtnInstIdOpt"
    return None


def _classify(tag: int, vr: str, options: set[str]) -> tuple[str, str, float, str]:
    """(category, phi_type, confidence, basis) for one E.1-1 row: a written decision first,
    else the table's own columns and the VR, else undecided (the text rules read it)."""
    decision = decisions().get(tag)
    if decision is not None:
        return decision.category, decision.phi_type, decision.confidence, f"decided: {decision.reason}"
    return _from_table(vr, options) or (*UNDECIDED, "undecided: the text rules read it")


def _vr_for(tag_int: int) -> str:
    try:
        return dictionary_VR(tag_int)
    except KeyError:
        return ""


@lru_cache(maxsize=1)
def profile_entries() -> dict[int, ProfileEntry]:
    """E.1-1 rows with a concrete tag, keyed by tag number (wildcard rows are rules in code:
    odd groups are private, 50xx curves and 60xx overlays belong to the pixel path)."""
    entries: dict[int, ProfileEntry] = {}
    for tag_int, row in table_e1_1().items():
        vr = _vr_for(tag_int)
        keyword = keyword_for_tag(tag_int) or row.name.replace(" ", "")
        options = set(row.options)
        category, phi_type, confidence, basis = _classify(tag_int, vr, options)
        entries[tag_int] = ProfileEntry(row.tag, keyword, row.name, vr, row.basic_profile,
                                        tuple(sorted(options)), category, phi_type, confidence, basis)
    return entries


def profile_table() -> pd.DataFrame:
    """The whole E.1-1 classification as a DataFrame, for reading and for the docs."""
    return pd.DataFrame([e.__dict__ for e in profile_entries().values()]).sort_values("tag").reset_index(drop=True)


#: Values that de-identification tools put in place of PHI; not PHI themselves.
PLACEHOLDERS = {
    "", "anonymous", "anonymized", "anonymised", "anon", "removed", "deidentified", "de-identified",
    "unknown", "none", "null", "n/a", "na", "xxx", "xxxx", "xxxxx", "***", "*", "^", "-", "--", "?",
    "redacted", "not available", "not applicable", "empty", "dummy", "0",
}


@lru_cache(maxsize=16384)
def is_placeholder(text: str) -> bool:
    normalised = text.strip().strip("^ ").lower()
    return normalised in PLACEHOLDERS or set(normalised) <= set("x*#-_^ 0")
