"""Attribute places as the MIDI-B answer key writes them, resolved in a pydicom data set.

The NCI validation script (github.com/CBIIT/MIDI_validation_script,
``modules/file_indexer.py``) names every element by the path its indexer builds:
``<(0010,0010)>`` at the top level, ``<(0008,1115)>[<0000>]<(0020,000e)>`` inside item 0
of a sequence, and ``<(0019,"SIEMENS CT VA0  COAD",92)>`` for a private element (its
creator in upper case and the last two hex digits of its element, since the block a
creator reserves differs between files). The answer key's ``tag_ds`` uses the same
form. The keys were made with pydicom 2, which prints tags in lower-case hex, so hex is
read case-insensitively here. phidetect spells the same place ``(0008,1115)[0].(0020,000E)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydicom.datadict import keyword_for_tag
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset

from phidetect.dicom.elements import element_text, format_tag

_ELEMENT = re.compile(
    r'<\((?P<group>[0-9A-Fa-f]{4}),(?:(?P<element>[0-9A-Fa-f]{4})|"(?P<creator>[^"]*)",(?P<low>[0-9A-Fa-f]{2}))\)>')
_ITEM = re.compile(r"\[<(?P<item>\d+)>\]")


@dataclass(frozen=True)
class Step:
    """One element on a path: a plain tag, or a private element by creator and low byte."""

    group: int
    element: int            # full element number, or the low byte for a private step with a creator
    creator: str | None = None
    item: int | None = None  # for a sequence step: the item the next step is in


def parse_tag_ds(text: str) -> list[Step] | None:
    """The steps of an answer-key place (``tag_ds`` or ``tag``), or None when ``text`` is not
    of that form. A bare ``(0010,0010)`` without angle brackets is accepted too."""
    text = (text or "").strip()
    if re.fullmatch(r"\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)", text):
        text = f"<{text}>"
    steps: list[Step] = []
    position = 0
    while True:
        match = _ELEMENT.match(text, position)
        if match is None:
            return None
        group = int(match["group"], 16)
        if match["creator"] is None:
            step = Step(group, int(match["element"], 16))
        else:
            step = Step(group, int(match["low"], 16), match["creator"])
        position = match.end()
        if position == len(text):
            steps.append(step)
            return steps
        item = _ITEM.match(text, position)
        if item is None:
            return None
        steps.append(Step(step.group, step.element, step.creator, int(item["item"])))
        position = item.end()


def _private_tag(ds: Dataset, group: int, creator: str, low: int) -> int | None:
    """The tag of a private element by its creator (compared without case or padding)."""
    wanted = creator.strip().upper()
    for block in range(0x10, 0x100):
        elem = ds.get((group << 16) | block)
        if elem is None:
            continue
        value = elem.value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if str(value or "").strip(" \x00").upper() == wanted:
            return (group << 16) | (block << 8) | low
    return None


@dataclass(frozen=True)
class Resolved:
    """An answer-key place found in a data set."""

    tag_path: str           # phidetect's spelling
    keyword: str
    element: DataElement


def resolve(ds: Dataset, steps: list[Step]) -> Resolved | None:
    """The element that ``steps`` name in ``ds``, or None where any step is missing."""
    current = ds
    parts: list[str] = []
    for index, step in enumerate(steps):
        tag = (step.group << 16) | step.element if step.creator is None else _private_tag(
            current, step.group, step.creator, step.element)
        if tag is None or tag not in current:
            return None
        elem = current[tag]
        last = index == len(steps) - 1
        if last:
            parts.append(format_tag(tag))
            keyword = "" if step.group % 2 else (keyword_for_tag(tag) or "")
            return Resolved(".".join(parts), keyword, elem)
        item = step.item or 0
        if elem.VR != "SQ" or elem.value is None or item >= len(elem.value):
            return None
        parts.append(f"{format_tag(tag)}[{item}]")
        current = elem.value[item]
    return None


def value_text(elem: DataElement) -> str:
    """An element's value as one string, surrounding spaces and NULs stripped: its text as
    a scan reads it (phidetect.dicom.elements.element_text), and for a value that holds no
    text what the validation script compares of it too (numbers, a sequence as
    ``<n item(s)>``, other bytes as Latin-1)."""
    text = element_text(elem)
    if text is not None:
        return text.strip(" \x00")
    value = elem.value
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("latin-1").strip(" \x00")
    if elem.VR == "SQ":
        return f"<{len(value)} item(s)>"
    if elem.VM > 1 and not isinstance(value, str):
        return "\\".join(str(v) for v in value).strip()
    return str(value).strip(" \x00")


#: Keyword fragments -> phi_type, tried in order (before the VR decides).
_KEYWORD_TYPES = (
    (("Address", "Residence", "Country", "Region", "Location"), "ADDRESS"),
    (("Telephone", "Telecom", "Phone"), "PHONE"),
    (("Email", "EMail", "ElectronicMail"), "EMAIL"),
    (("Institution", "Department", "Organization", "Sponsor", "Issuer", "Site"), "INSTITUTION"),
    (("StationName", "DeviceSerial", "DeviceUID", "AETitle", "DeviceID", "DetectorID"), "DEVICE"),
    (("Age",), "AGE"),
)


def phi_type_for(keyword: str, vr: str) -> str:
    """A phi_type guessed from an attribute's keyword and VR: what a truth row is grouped
    under in the metrics (matching ignores it)."""
    if vr == "PN":
        return "NAME"
    if vr == "UI":
        return "UID"
    if vr in ("DA", "DT", "TM") or keyword.endswith(("Date", "Time", "DateTime")):
        return "DATE"
    for words, phi_type in _KEYWORD_TYPES:
        if any(word in keyword for word in words):
            return phi_type
    if keyword.endswith(("ID", "IDs", "Number", "Identifier", "Locator")) or "ID" in keyword:
        return "ID"
    return "OTHER"
