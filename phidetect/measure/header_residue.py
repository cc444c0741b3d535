"""(a) Residual header PHI: is a required tag truth row's text still in the copy?

The output's element at the row's ``tag_path`` is read as text
(phidetect.dicom.elements.element_text); the row is *residual* when the truth text still
occurs in it (case-insensitive) or, for a name, one of its parts (split on ``^``, spaces,
commas, dots; two letters or more) still occurs as a word. An absent or empty element
counts as removed. Rows in attributes a policy option keeps whole on purpose are counted
apart (*kept by policy*)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pydicom.dataset import Dataset

from phidetect.dicom.elements import element_text
from phidetect.measure.copies import read
from phidetect.redact import Policy
from phidetect.redact.resolve import element as resolve_element
from phidetect.redact.resolve import last_tag

#: Residual findings of the rescan at or above this confidence count.
FAIL_ON = 0.5
SPAN_COLUMNS = ["file", "tag_path", "keyword", "text", "found", "residual", "kept_by_policy", "no_copy"]
_NAME_PART = re.compile(r"[\^\s,.]+")


def still_there(text: str, value: str, phi_type: str) -> bool:
    """True when the truth ``text`` (or, for a name, one of its parts) is still in ``value``."""
    haystack = value.lower()
    if not haystack or not text:
        return False
    if text.lower() in haystack:
        return True
    if phi_type != "NAME":
        return False
    parts = [p for p in _NAME_PART.split(text.lower()) if len(p) >= 2]
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", haystack) for p in parts)


def kept_by_option(tag_path: str, phi_type: str, policy: Policy) -> bool:
    """Truth in an attribute a chosen option keeps whole on purpose (K), such as a station
    name under Retain Device Identity. An age over 89 is never kept: the policy removes it."""
    tag = last_tag(tag_path)
    return phi_type != "AGE" and policy.option_keeps(tag) and policy.action_for(tag) == "K"


def copy_text(ds: Dataset, tag_path: str) -> str:
    """The copy's value at ``tag_path`` as text; "" where the element is gone or holds none."""
    elem = resolve_element(ds, tag_path)
    return "" if elem is None else element_text(elem, ds) or ""


def residual_spans(truth: pd.DataFrame, outputs: dict[str, Path], policy: Policy) -> pd.DataFrame:
    """One row per required tag truth row: the value left in the copy, whether the PHI is
    still there (``residual``) and whether the policy keeps it on purpose."""
    rows = []
    tags = truth[(truth["source"] == "tag") & truth["required"].astype(bool)]
    cache: dict[str, Dataset] = {}
    for row in tags.itertuples():
        out = outputs.get(str(row.file))
        if out is None:
            rows.append({"file": row.file, "tag_path": row.tag_path, "keyword": row.keyword, "text": row.text,
                         "found": "", "residual": False, "kept_by_policy": False, "no_copy": True})
            continue
        if row.file not in cache:
            cache[row.file] = read(out, headers_only=True)
        found = copy_text(cache[row.file], str(row.tag_path))
        rows.append({"file": row.file, "tag_path": row.tag_path, "keyword": row.keyword, "text": row.text,
                     "found": found, "residual": still_there(str(row.text), found, str(row.phi_type)),
                     "kept_by_policy": kept_by_option(str(row.tag_path), str(row.phi_type), policy),
                     "no_copy": False})
    return pd.DataFrame(rows, columns=SPAN_COLUMNS)
