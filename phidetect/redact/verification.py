"""Verification: scan the de-identified copies again (tags, and OCR of the pixels) and
keep what is still PHI.

A rescan also reports what the policy keeps on purpose: replaced UIDs, dates moved by
the patient's shift, times of day, dummy values, and attributes an option retains (a
device serial number under Retain Device Identity). Those are not residual PHI and are
left out. Each file's policy is read from its own De-identification Method Code Sequence
unless one is given. Everything else, burned-in text above all, is residual.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.ocr_settings import OcrSettings
from phidetect.redact.header_actions import DATE_VRS, is_dummy, kept_by_option
from phidetect.redact.marking import codes_of, methods_of
from phidetect.redact.policy import Policy
from phidetect.redact.resolve import last_tag
from phidetect.result import Findings
from phidetect.scan import scan
from phidetect.text.spans import split_rules


def kept_by_policy(row, policy: Policy) -> bool:
    """True when a rescan finding is something ``policy`` keeps by design."""
    if row.source != "tag":
        return False
    try:
        tag = last_tag(str(row.tag_path))
    except ValueError:
        return False
    vr, text = str(row.vr), str(row.text)
    if tag >> 16 & 1:
        # private elements left by safe mode (listed, their findings removed) or clean mode (no
        # findings): anything found in them now is residual
        return False
    if row.phi_type == "UID" and vr == "UI":
        return True  # replaced by keyed hashes (or retained by Retain UIDs)
    if is_dummy(vr, text):
        return True
    if vr in DATE_VRS and row.phi_type == "DATE" and row.start == 0:
        if vr == "TM" and policy.dates == "shift" or policy.dates == "keep":
            return True
        if policy.dates == "shift" and (policy.action_for(tag) in ("C", "K") or policy.action_for(tag) is None):
            return True  # moved by the patient's shift
    return policy.option_keeps(tag) and kept_by_option(split_rules(str(row.rule)))


def _file_policy(root: Path, file: str, cache: dict[str, Policy]) -> Policy:
    if file not in cache:
        path = root / file if root.is_dir() else Path(file)
        try:
            ds = read_dicom(path)
            cache[file] = Policy.from_codes(codes_of(ds), methods_of(ds))
        except (DicomReadError, ValueError):  # a copy that cannot be read: judged by the Basic Profile
            cache[file] = Policy.preset("basic")
    return cache[file]


def residual_mask(findings: pd.DataFrame, root: str | os.PathLike, policy: Policy | None = None) -> pd.Series:
    """True for each finding of a rescan of ``root`` that the policy did not keep on purpose."""
    root = Path(root)
    cache: dict[str, Policy] = {}
    keep = [kept_by_policy(row, policy or _file_policy(root, str(row.file), cache))
            for row in findings.itertuples(index=False)]
    return pd.Series([not k for k in keep], index=findings.index, dtype=bool)


def verify(out: str | os.PathLike | Iterable[str | os.PathLike], *, ocr: bool | str | OcrSettings = True,
           policy: Policy | str | None = None, workers: int | None = None, progress: bool = True,
           min_confidence: float = 0.0) -> Findings:
    """The residual findings of de-identified copies: ``phidetect.scan`` of ``out`` (tags,
    and burned-in text with ``ocr``), without what the policy keeps on purpose. Returns a
    Findings table (``.errors``: files that could not be scanned); a release should fail
    on ``result.at_least(0.5)``."""
    found = scan(out, workers=workers, min_confidence=min_confidence, progress=progress, ocr=ocr)
    if isinstance(policy, str):
        policy = Policy.preset(policy)
    root = Path(out) if isinstance(out, (str, os.PathLike)) else Path(".")
    residual = found[residual_mask(found, root, policy)] if len(found) else found
    return Findings.build(pd.DataFrame(residual).reset_index(drop=True), found.errors, found.files_scanned)
