"""Header actions: every element of a data set (sequences at any depth, private
elements, file meta) gets the policy's action, and kept text loses its PHI spans.

Elements are addressed by the findings table's ``tag_path`` (built the same way as
phidetect.dicom.elements builds it), so a span found by scanning is removed from exactly
the element it was found in. Elements that need no action are never converted from
their raw bytes: what holds no PHI is written back byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydicom.charset import encode_string
from pydicom.datadict import dictionary_VR
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from phidetect.dicom.elements import format_tag
from phidetect.redact.dates import shift_value
from phidetect.redact.policy import Policy
from phidetect.redact.safe_private import block_creator_tag, creator_of
from phidetect.redact.text_clean import remove_spans
from phidetect.redact.uids import UidMapper, names_a_kind
from phidetect.text.spans import Span

#: What D (dummy) writes, by VR: values the scanner itself reads as placeholders, or
#: dates that date nothing. ``verify`` knows them (they are no residual PHI).
DUMMIES = {
    "PN": "ANONYMOUS", "LO": "REMOVED", "SH": "REMOVED", "ST": "REMOVED", "LT": "REMOVED",
    "UT": "REMOVED", "UC": "REMOVED", "CS": "REMOVED", "AE": "REMOVED", "AS": "000Y",
    "DA": "19000101", "DT": "19000101000000", "TM": "000000", "DS": "0", "IS": "0",
}
DATE_VRS = {"DA", "DT", "TM"}
#: File meta elements that name the sending or receiving system, or carry private data.
META_REMOVED = {0x00020016, 0x00020017, 0x00020018, 0x00020100, 0x00020102}
MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003
PROFILE_RULE = "profile.ps315"


@dataclass
class HeaderContext:
    """What the walk needs: the policy, the run's keyed mappings and the file's findings."""

    policy: Policy
    uids: UidMapper
    shift: int | None
    spans: dict[str, list[Span]]
    texts: dict[str, str]
    overlays_with_text: set[int] = field(default_factory=set)
    changed: int = 0


def apply_header_actions(ds: Dataset, ctx: HeaderContext) -> int:
    """De-identify ``ds`` in place (file meta too); returns how many elements changed."""
    meta = getattr(ds, "file_meta", None)
    if meta is not None:
        for tag in list(meta.keys()):
            if int(tag) in META_REMOVED:
                del meta[tag]
                ctx.changed += 1
            elif int(tag) == MEDIA_STORAGE_SOP_INSTANCE_UID and not ctx.policy.retain_uids:
                _map_uids(meta[tag], ctx)
    _walk(ds, "", ctx)
    return ctx.changed


def _walk(ds: Dataset, prefix: str, ctx: HeaderContext) -> None:
    for tag in list(ds.keys()):
        tag_int = int(tag)
        path = prefix + format_tag(tag_int)
        group = tag_int >> 16
        try:
            if group & 1:
                _private(ds, tag_int, path, ctx)
            elif 0x5000 <= group <= 0x50FF:  # retired curves: X
                _remove(ds, tag_int, ctx)
            elif 0x6000 <= group <= 0x60FF:
                _overlay(ds, tag_int, path, ctx)
            else:
                _public(ds, tag_int, path, ctx)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, UnicodeError):
            # a value pydicom cannot convert cannot be checked either: it does not go out
            if tag_int in ds:
                _remove(ds, tag_int, ctx)
    if ctx.policy.private == "safe":
        _drop_empty_blocks(ds, ctx)


def _vr(ds: Dataset, tag: int) -> str:
    raw = ds.get_item(tag)
    vr = getattr(raw, "VR", None)
    if vr and vr != "UN":
        return vr
    try:
        return dictionary_VR(tag)
    except KeyError:
        return vr or "UN"


def _remove(ds: Dataset, tag: int, ctx: HeaderContext) -> None:
    del ds[tag]
    ctx.changed += 1


def _public(ds: Dataset, tag: int, path: str, ctx: HeaderContext) -> None:
    policy = ctx.policy
    action = policy.action_for(tag)
    vr = _vr(ds, tag)
    if vr == "SQ":
        _sequence(ds, tag, path, action, ctx)
        return
    if action is None:  # not in E.1-1: kept, minus what detection found in it
        if vr == "UI":
            if not policy.retain_uids and not names_a_kind(tag):
                _map_uids(ds[tag], ctx)
        elif vr in DATE_VRS and _spans(path, ctx, skip_profile=False):
            _date(ds[tag], path, ctx)
        else:
            _clean(ds, tag, path, ctx, skip_profile=False)
        return
    if action == "X":
        _remove(ds, tag, ctx)
    elif action == "Z":
        _empty(ds[tag], ctx)
    elif action == "U" or (action == "D" and vr == "UI"):
        _map_uids(ds[tag], ctx)
    elif action == "D":
        _dummy(ds[tag], vr, ctx)
    elif vr in DATE_VRS:  # K or C chosen by a dates option (or a device option)
        _date(ds[tag], path, ctx)
    else:  # K or C by an option: the value stays, minus PHI other rules found inside it
        _clean(ds, tag, path, ctx, skip_profile=True)


def _sequence(ds: Dataset, tag: int, path: str, action: str | None, ctx: HeaderContext) -> None:
    if action == "X":
        _remove(ds, tag, ctx)
        return
    elem = ds[tag]
    if action in ("Z", "D"):
        if elem.value:
            elem.value = []
            ctx.changed += 1
        return
    for index, item in enumerate(elem.value or []):
        _walk(item, f"{path}[{index}].", ctx)


def _private(ds: Dataset, tag: int, path: str, ctx: HeaderContext) -> None:
    """Removed (the default); ``safe``: kept when the safe-private list names it; ``clean``:
    kept unless detection found PHI in it."""
    mode = ctx.policy.private
    if mode == "remove":
        _remove(ds, tag, ctx)
        return
    if mode == "safe":
        _safe_private(ds, tag, path, ctx)
        return
    if tag & 0xFFFF < 0x0100:  # private creators reserve blocks: kept with the blocks they name
        return
    if _spans(path, ctx, skip_profile=False):
        _remove(ds, tag, ctx)
        return
    elem = ds[tag]
    if elem.VR == "SQ":
        for index, item in enumerate(elem.value or []):
            _walk(item, f"{path}[{index}].", ctx)
    elif elem.VR == "UI" and not ctx.policy.retain_uids:
        _map_uids(elem, ctx)


def _file_vr(ds: Dataset, tag: int) -> str | None:
    """The VR the file itself gives the element: None for implicit VR (where pydicom's
    guess from its private dictionary is no part of the file)."""
    raw = ds.get_item(tag)
    vr = getattr(raw, "VR", None)
    if not isinstance(raw, DataElement) or ds.original_encoding[0] is not True:
        return vr
    return None


def _safe_private(ds: Dataset, tag: int, path: str, ctx: HeaderContext) -> None:
    """Retain Safe Private: a listed element stays (a sequence's items walked, UIDs replaced,
    PHI spans detection found removed from text, any other value with a finding removed);
    every other element goes. Creators wait for _drop_empty_blocks."""
    element = tag & 0xFFFF
    if 0x0010 <= element <= 0x00FF:
        return
    creator = creator_of(ds, tag)
    safe = ctx.policy.safe_list()
    if creator is None or not safe.keeps(tag >> 16, creator, element & 0xFF, _file_vr(ds, tag)):
        _remove(ds, tag, ctx)
        return
    listed = safe.listed_vrs(tag >> 16, creator, element & 0xFF) or frozenset()
    raw_vr = getattr(ds.get_item(tag), "VR", None)
    if raw_vr in ("SQ", "UI") or raw_vr in (None, "UN") and listed & {"SQ", "UI"}:
        elem = ds[tag]  # converted only here: pydicom reads an implicit-VR value by its private dictionary
        if elem.VR == "SQ":
            for index, item in enumerate(elem.value or []):
                _walk(item, f"{path}[{index}].", ctx)
        elif elem.VR == "UI" or "UI" in listed:
            _safe_uid(elem, ctx)
        else:  # listed as a sequence, but pydicom read bytes: items that cannot be checked
            _remove(ds, tag, ctx)
        return
    if not _spans(path, ctx, skip_profile=False):
        return
    if ctx.texts.get(path) is None:  # a finding in a value that is not text: nothing to keep of it
        _remove(ds, tag, ctx)
    else:
        _clean(ds, tag, path, ctx, skip_profile=False)


def _safe_uid(elem: DataElement, ctx: HeaderContext) -> None:
    """A listed UI element: replaced like public UIDs (an implicit-VR one from its bytes)."""
    if ctx.policy.retain_uids:
        return
    if isinstance(elem.value, (bytes, bytearray)):
        text = bytes(elem.value).decode("ascii", "replace").strip("\0 ")
        mapped = [ctx.uids.map(v) for v in text.split("\\")] if text else []
        data = "\\".join(mapped).encode("ascii")
        if mapped and data != bytes(elem.value).rstrip(b"\0 "):
            elem.value = data + (b"\0" if len(data) % 2 else b"")
            ctx.changed += 1
        return
    _map_uids(elem, ctx)


def _drop_empty_blocks(ds: Dataset, ctx: HeaderContext) -> None:
    """Retain Safe Private: a private creator stays only while its block keeps an element."""
    tags = list(map(int, ds.keys()))  # keys: iterating the data set would convert every element
    used = {block_creator_tag(t) for t in tags}
    for tag in tags:
        if tag >> 16 & 1 and 0x0010 <= tag & 0xFFFF <= 0x00FF and tag not in used:
            _remove(ds, tag, ctx)


def _overlay(ds: Dataset, tag: int, path: str, ctx: HeaderContext) -> None:
    """Overlay groups are removed whole (Overlay Data and Comments are X); with Clean
    Graphics, overlays in which OCR read no text stay, their comments cleaned."""
    group = tag >> 16
    if group & 0xFF01 != 0x6000:  # not a repeating overlay group: an ordinary element
        _public(ds, tag, path, ctx)
    elif not ctx.policy.clean_graphics or group in ctx.overlays_with_text:
        _remove(ds, tag, ctx)
    elif tag & 0xFFFF == 0x4000:
        _clean(ds, tag, path, ctx, skip_profile=False)


def kept_by_option(rules: tuple[str, ...]) -> bool:
    """True for the attribute-level finding of an attribute an option keeps: found by the
    profile (perhaps with text rules agreeing), not by the file's own identity values (a
    patient's name inside a kept station name still goes)."""
    return PROFILE_RULE in rules and not any(r.startswith(("crossref.", "vr.")) for r in rules)


def _spans(path: str, ctx: HeaderContext, *, skip_profile: bool) -> list[tuple[int, int]]:
    """The spans to remove from the element at ``path``: every finding at or above the
    policy's min_confidence, except (``skip_profile``) the attribute-level finding of an
    attribute an option chose to keep."""
    return [(s.start, s.end) for s in ctx.spans.get(path, ())
            if s.score >= ctx.policy.min_confidence and not (skip_profile and kept_by_option(s.rules))]


def _clean(ds: Dataset, tag: int, path: str, ctx: HeaderContext, *, skip_profile: bool) -> None:
    """Remove the spans found in the element; one without spans is not even converted
    (``ds[tag]`` would decode it, and pydicom would write the decoded value back, which
    is not always the same bytes: a value of blanks becomes empty)."""
    spans = _spans(path, ctx, skip_profile=skip_profile)
    text = ctx.texts.get(path)
    if not spans or text is None:
        return
    _set_text(ds[tag], remove_spans(text, spans))
    ctx.changed += 1


def _set_text(elem: DataElement, text: str) -> None:
    if isinstance(elem.value, (bytes, bytearray)):
        data = encode_string(text, ["iso8859", "utf-8"]) if text.isascii() else text.encode("utf-8")
        elem.value = data + (b" " if len(data) % 2 else b"")
    else:
        elem.value = text


def _empty(elem: DataElement, ctx: HeaderContext) -> None:
    if elem.value not in (None, "", b"", []):
        elem.value = elem.empty_value
        ctx.changed += 1


def _dummy(elem: DataElement, vr: str, ctx: HeaderContext) -> None:
    dummy = DUMMIES.get(vr)
    if dummy is None:  # binary and numeric values: emptied (nothing of the original survives)
        _empty(elem, ctx)
        return
    if _joined(elem.value) != dummy:
        elem.value = dummy
        ctx.changed += 1


def _joined(value) -> str:
    if isinstance(value, (MultiValue, list, tuple)):
        return "\\".join(str(v) for v in value)
    return "" if value is None else str(value)


def _map_uids(elem: DataElement, ctx: HeaderContext) -> None:
    value = elem.value
    if value in (None, ""):
        return
    values = list(value) if isinstance(value, (MultiValue, list, tuple)) else [value]
    mapped = [ctx.uids.map(str(v)) for v in values]
    if mapped != [str(v).strip("\0 ") for v in values]:
        elem.value = mapped if len(mapped) > 1 else mapped[0]
        ctx.changed += 1


def _date(elem: DataElement, path: str, ctx: HeaderContext) -> None:
    """Dates: shifted by the patient's days (Modified Dates), kept (Full Dates), or, for a
    date outside E.1-1 under the Basic Profile, emptied."""
    mode = ctx.policy.dates
    if mode == "keep" or elem.VR == "TM" and mode == "shift":
        return
    if mode == "remove" or ctx.shift is None:
        _empty(elem, ctx)
        return
    values = _joined(elem.value).split("\\")
    moved = [shift_value(elem.VR, v, ctx.shift) for v in values]
    new = "\\".join(m or "" for m in moved)
    if new != "\\".join(values):
        elem.value = new
        ctx.changed += 1


def is_dummy(vr: str, value: str) -> bool:
    """True when ``value`` is what D writes for ``vr``."""
    return DUMMIES.get(vr) == value.strip()
