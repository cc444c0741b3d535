"""What a redaction does with each attribute: PS3.15 Table E.1-1 and its options.

The Basic Profile gives every listed attribute an action (D dummy, Z empty, X remove,
K keep, C clean, U new UID); each option the user chooses replaces the action of the rows
it lists (K or C). Where the table leaves a choice (X/Z, X/D, Z/D, X/Z/D) the action that
keeps the least information while keeping the element present where the choice allows
is taken: X/Z, Z/D and X/Z/D become Z (the element stays, empty, so Type 2 attributes
stay valid), X/D becomes X, and X/Z/U* (sequences of references) keeps the sequence with
its UIDs replaced.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Literal

from phidetect.dicom.ps315 import table_e1_1
from phidetect.redact.safe_private import SafePrivateList, safe_private_list

#: CID 7050 De-identification Method codes (coding scheme DCM), by what they name.
CODES = {
    "basic": ("113100", "Basic Application Confidentiality Profile"),
    "clean_pixels": ("113101", "Clean Pixel Data Option"),
    "clean_graphics": ("113103", "Clean Graphics Option"),
    "clean_structured_content": ("113104", "Clean Structured Content Option"),
    "clean_descriptors": ("113105", "Clean Descriptors Option"),
    "dates_keep": ("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
    "dates_shift": ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    "retain_patient_characteristics": ("113108", "Retain Patient Characteristics Option"),
    "retain_device_identity": ("113109", "Retain Device Identity Option"),
    "retain_uids": ("113110", "Retain UIDs Option"),
    "private_safe": ("113111", "Retain Safe Private Option"),
    "retain_institution_identity": ("113112", "Retain Institution Identity Option"),
}
#: Which E.1-1 option column each policy switch turns on.
OPTION_COLUMNS = {
    "clean_descriptors": "cleanDescOpt",
    "clean_structured_content": "cleanStructContOpt",
    "clean_graphics": "cleanGraphOpt",
    "retain_patient_characteristics": "rtnPatCharsOpt",
    "retain_device_identity": "rtnDevIdOpt",
    "retain_institution_identity": "rtnInstIdOpt",
    "retain_uids": "rtnUIDsOpt",
}
_CHOICES = {"X/Z": "Z", "Z/D": "Z", "X/Z/D": "Z", "X/D": "X", "X/Z/U*": "K"}

DateMode = Literal["remove", "shift", "keep"]
PrivateMode = Literal["remove", "clean", "safe"]
PRIVATE_MODES = ("remove", "clean", "safe")
#: What DeidentificationMethod says of ``private="clean"``: no CID 7050 code names it (it is
#: not Retain Safe Private, whose 113111 only ``safe`` claims), so verify reads it from here.
PRIVATE_CLEAN_METHOD = "Private elements without detected PHI kept (no safe list)"


@dataclass(frozen=True)
class Row:
    """One E.1-1 row: the Basic Profile action and the option columns that change it."""

    action: str
    options: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def table() -> dict[int, Row]:
    """E.1-1 rows with a concrete tag, by tag number, with each option's K/C."""
    return {tag: Row(row.basic_profile.strip(), dict(row.options)) for tag, row in table_e1_1().items()}


@dataclass(frozen=True)
class Policy:
    """How to de-identify: the Basic Profile plus the options switched on here.

    ``dates``: ``remove`` (Basic Profile), ``shift`` (Retain Longitudinal Temporal
    Information with Modified Dates: one keyed shift per patient) or ``keep`` (Full Dates).
    ``private``: ``remove`` every private element; ``safe``: the Retain Safe Private Option,
    keep those the safe-private list names (PS3.15 Table E.3.10-1, plus the CSV files in
    ``safe_private``), minus the PHI detection finds in them; or ``clean``: keep every one in
    which detection finds no PHI (not the standard's option: it keeps what nobody listed).
    ``clean_descriptors``: keep descriptions and comments minus the PHI detection finds.
    ``clean_pixels``: black out burned-in text that OCR finds (and boxes given).
    ``clean_graphics``: keep overlays in which OCR finds no text (default: all removed).
    ``min_confidence``: spans below it are not removed from kept text (default 0: every span).
    """

    dates: DateMode = "shift"
    clean_descriptors: bool = True
    clean_structured_content: bool = False
    clean_graphics: bool = False
    clean_pixels: bool = True
    retain_patient_characteristics: bool = True
    retain_device_identity: bool = True
    retain_institution_identity: bool = False
    retain_uids: bool = False
    private: PrivateMode = "remove"
    min_confidence: float = 0.0
    max_shift_days: int = 3650
    safe_private: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.dates not in ("remove", "shift", "keep"):
            raise ValueError(f"dates must be remove, shift or keep, not {self.dates!r}")
        if self.private not in PRIVATE_MODES:
            raise ValueError(f"private must be remove, clean or safe, not {self.private!r}")
        paths = self.safe_private
        paths = (paths,) if isinstance(paths, (str, os.PathLike)) else paths
        object.__setattr__(self, "safe_private", tuple(os.fspath(p) for p in paths))
        if self.safe_private and self.private != "safe":
            raise ValueError("safe_private lists are read only with private='safe' (--private safe)")
        if self.safe_private:
            self.safe_list()  # a bad file fails here, before any input is read

    def safe_list(self) -> SafePrivateList:
        """What ``private="safe"`` keeps: the packaged list and the user's files (read once
        per process; SafePrivateError names a bad file's line)."""
        return safe_private_list(self.safe_private)

    @classmethod
    def preset(cls, name: str, **changes) -> Policy:
        """``basic``: the Basic Profile alone (dates, descriptors, device and patient
        characteristics removed); ``research``: the default, the options a research
        archive such as TCIA uses (modified dates, clean descriptors, patient
        characteristics and device identity kept)."""
        if name not in PRESETS:
            raise ValueError(f"unknown policy {name!r}: choose from {', '.join(PRESETS)}")
        return replace(PRESETS[name], **changes)

    def enabled_columns(self) -> list[str]:
        columns = [column for switch, column in OPTION_COLUMNS.items() if getattr(self, switch)]
        if self.dates == "shift":
            columns.append("rtnLongModifDatesOpt")
        elif self.dates == "keep":
            columns.append("rtnLongFullDatesOpt")
        return columns

    def action_for(self, tag: int) -> str | None:
        """The one action (X, Z, D, K, C, U) for a public tag; None when E.1-1 does not list it."""
        return _action(self, tag)

    def option_keeps(self, tag: int) -> bool:
        """True when a chosen option, not the Basic Profile, decides this tag (K or C)."""
        row = table().get(tag)
        return row is not None and any(c in row.options for c in self.enabled_columns())

    def codes(self, *, pixels_cleaned: bool) -> list[tuple[str, str]]:
        """(code value, code meaning) of CID 7050 for what this policy did to a file."""
        keys = ["basic"]
        if pixels_cleaned:
            keys.append("clean_pixels")
        keys += [name for name in ("clean_graphics", "clean_structured_content", "clean_descriptors")
                 if getattr(self, name)]
        if self.dates != "remove":
            keys.append(f"dates_{self.dates}")
        keys += [name for name in ("retain_patient_characteristics", "retain_device_identity", "retain_uids")
                 if getattr(self, name)]
        if self.private == "safe":
            keys.append("private_safe")
        if self.retain_institution_identity:
            keys.append("retain_institution_identity")
        return [CODES[k] for k in keys]

    def method_texts(self, *, pixels_cleaned: bool) -> list[str]:
        """DeidentificationMethod values (LO, 64 characters each): the profile and each option
        in words, then what no code names (``private="clean"``)."""
        texts = [meaning.replace(" Option", "")[:64] for _, meaning in self.codes(pixels_cleaned=pixels_cleaned)]
        return texts + [PRIVATE_CLEAN_METHOD] if self.private == "clean" else texts

    @classmethod
    def from_codes(cls, codes: list[str], methods: list[str] | tuple[str, ...] = (), **changes) -> Policy:
        """The policy whose CID 7050 codes (and DeidentificationMethod ``methods``) these are:
        what verify reads from a redacted file."""
        present = set(codes)
        has = {name: CODES[name][0] in present for name in CODES}
        dates = "shift" if has["dates_shift"] else "keep" if has["dates_keep"] else "remove"
        clean = PRIVATE_CLEAN_METHOD in {str(m).strip() for m in methods}
        settings = dict(
            dates=dates, clean_pixels=has["clean_pixels"],
            private="safe" if has["private_safe"] else "clean" if clean else "remove",
            **{name: has[name] for name in ("clean_graphics", "clean_structured_content", "clean_descriptors",
                                            "retain_patient_characteristics", "retain_device_identity",
                                            "retain_uids", "retain_institution_identity")})
        settings.update(changes)
        return cls(**settings)

    def describe(self) -> list[str]:
        """Short names of the profile and options, for DeidentificationMethod (LO, 64 chars each)."""
        return self.method_texts(pixels_cleaned=False)

    def as_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=8192)
def _action(policy: Policy, tag: int) -> str | None:
    row = table().get(tag)
    if row is None:
        return None
    chosen = [row.options[c] for c in policy.enabled_columns() if c in row.options]
    if chosen:
        return "C" if "C" in chosen else "K"  # two options disagree: clean is the safer one
    return _CHOICES.get(row.action, row.action)


PRESETS: dict[str, Policy] = {
    "basic": Policy(dates="remove", clean_descriptors=False, retain_patient_characteristics=False,
                    retain_device_identity=False),
    "research": Policy(),
}
