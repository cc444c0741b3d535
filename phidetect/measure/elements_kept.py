"""(c) Untouched non-PHI elements unchanged: what redaction must not change, compared
byte for byte.

For every input, every top-level, non-private element that has no truth row and no
finding (a tags-only scan of the input) and that the profile does not have to change is
compared with the copy (raw value bytes; elements pydicom parses on reading, sequences,
are compared in one encoding). Excluded, because the profile must change them:
attributes whose E.1-1 action is X, Z, D or U; other UIDs that are not a class or syntax
(replaced by keyed UIDs); dates (DA, DT) that a dates option shifts or removes; overlay
(60xx) and curve (50xx) groups (removed whole); the de-identification marking; and the
pixel attributes that are rewritten or made to describe decompressed frames. File meta
is not compared (it is rebuilt)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_data_element

from phidetect.dicom.elements import format_tag
from phidetect.measure.copies import read
from phidetect.redact import Policy
from phidetect.redact.resolve import parse
from phidetect.redact.uids import names_a_kind

#: Patient Identity Removed, De-identification Method and its Code Sequence, Longitudinal
#: Temporal Information Modified, Burned In Annotation.
MARKING = {0x00120062, 0x00120063, 0x00120064, 0x00280303, 0x00280301}
#: Pixel Data (and float/double variants), the extended offset table, Bits Allocated/Stored,
#: High Bit, Pixel Representation, Samples per Pixel, Photometric Interpretation, Planar
#: Configuration, and Lossy Image Compression with its ratio and method (a lossy input's
#: history, set when its pixels are rewritten: phidetect.redact.syntax_families).
PIXEL_ATTRIBUTES = {0x7FE00010, 0x7FE00008, 0x7FE00009, 0x7FE00001, 0x7FE00002, 0x00280100, 0x00280101,
                    0x00280102, 0x00280103, 0x00280002, 0x00280004, 0x00280006, 0x00282110, 0x00282112,
                    0x00282114}
ELEMENT_COLUMNS = ["file", "tag", "keyword", "excluded", "unchanged"]


def must_change(tag: int, vr: str, keyword: str, policy: Policy) -> str:
    """Why redaction must (or may by design) change this top-level element; "" if it must not."""
    group = tag >> 16
    if tag in MARKING:
        return "de-identification marking"
    if tag in PIXEL_ATTRIBUTES:
        return "pixel data and its description"
    if 0x6000 <= group <= 0x60FF or 0x5000 <= group <= 0x50FF:
        return "overlay or curve group"
    action = policy.action_for(tag)
    if action in ("X", "Z", "D", "U"):
        return f"profile action {action}"
    if vr == "UI" and not policy.retain_uids and not names_a_kind(tag):
        return "UID replaced"
    if vr in ("DA", "DT") and policy.dates != "keep" and action in ("C", "K"):
        return "date shifted or removed"
    return ""


def _vr(ds: Dataset, tag: int) -> str:
    """The element's VR without converting it (``ds[tag]`` would: raw bytes are compared)."""
    vr = getattr(ds.get_item(tag), "VR", None)
    if vr and vr != "UN":
        return str(vr)
    try:
        return dictionary_VR(tag)
    except KeyError:
        return vr or "UN"


def _encoded(elem: DataElement, charset: str | list[str]) -> bytes:
    """One element in Explicit VR Little Endian: to compare parsed elements (sequences)."""
    fp = DicomBytesIO()
    fp.is_little_endian, fp.is_implicit_VR = True, False
    write_data_element(fp, elem, charset)
    return fp.getvalue()


def same_bytes(before: Dataset, after: Dataset, tag: int) -> bool:
    """Byte-for-byte equality of a top-level element (raw value bytes where both are raw)."""
    if tag not in after:
        return False
    raw_in, raw_out = before.get_item(tag), after.get_item(tag)
    if isinstance(raw_in.value, bytes) and isinstance(raw_out.value, bytes) and not isinstance(raw_in, DataElement) \
            and not isinstance(raw_out, DataElement) and before.is_little_endian:
        return bytes(raw_in.value) == bytes(raw_out.value)
    return _encoded(before[tag], before._character_set) == _encoded(after[tag], after._character_set)


def phi_tags(truth: pd.DataFrame, findings: pd.DataFrame) -> dict[str, set[int]]:
    """Per file, the top-level tags that hold PHI by the truth or by a finding."""
    found: dict[str, set[int]] = {}
    for table in (truth[truth["source"] == "tag"], findings[findings["source"] == "tag"]):
        for file, path in zip(table["file"].astype(str), table["tag_path"].astype(str), strict=True):
            try:
                found.setdefault(file, set()).add(parse(path)[0][0])
            except ValueError:
                continue
    return found


def untouched_elements(source: Path, outputs: dict[str, Path], truth: pd.DataFrame, findings: pd.DataFrame,
                       policy: Policy) -> pd.DataFrame:
    """One row per top-level non-private element of every input: excluded (and why) or
    compared, and whether it is unchanged."""
    holds_phi = phi_tags(truth, findings)
    rows = []
    for file, out in sorted(outputs.items()):
        before, after = read(source / file, headers_only=True), read(out, headers_only=True)
        for tag in sorted(before.keys()):
            tag = int(tag)
            if tag >> 16 & 1:
                continue
            keyword = keyword_for_tag(tag) or ""
            vr = _vr(before, tag)
            reason = "holds PHI" if tag in holds_phi.get(file, set()) else must_change(tag, vr, keyword, policy)
            rows.append({"file": file, "tag": format_tag(tag), "keyword": keyword,
                         "excluded": reason, "unchanged": None if reason else same_bytes(before, after, tag)})
    return pd.DataFrame(rows, columns=ELEMENT_COLUMNS)
