"""From a findings ``tag_path`` to the element it names, in a pydicom data set.

``(0010,0010)``, ``(0040,0275)[0].(0032,1060)``, private ``(0009,1001)``; file meta
paths start with group 0002. The inverse of how phidetect.dicom.elements spells them.
"""

from __future__ import annotations

import re

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset

_STEP = re.compile(r"\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)(?:\[(\d+)\])?")
_PATH = re.compile(r"(?:\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)\[\d+\]\.)*\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)")


def parse(tag_path: str) -> list[tuple[int, int | None]]:
    """[(tag, item index or None), ...]; ValueError for a string that is not a tag path."""
    if not _PATH.fullmatch(tag_path):
        raise ValueError(f"not a tag path: {tag_path!r}")
    return [(int(g + e, 16), None if i == "" else int(i)) for g, e, i in _STEP.findall(tag_path)]


def last_tag(tag_path: str) -> int:
    """The tag of the element a path ends in."""
    return parse(tag_path)[-1][0]


def resolve(ds: Dataset, tag_path: str) -> tuple[Dataset, int] | None:
    """(the data set holding the element, its tag), or None when the path leads nowhere."""
    steps = parse(tag_path)
    node: Dataset = ds
    if steps[0][0] >> 16 == 0x0002:
        node = getattr(ds, "file_meta", None)
        if node is None:
            return None
    for tag, index in steps[:-1]:
        if tag not in node or index is None:
            return None
        items = node[tag].value or []
        if index >= len(items):
            return None
        node = items[index]
    tag = steps[-1][0]
    return (node, tag) if tag in node else None


def element(ds: Dataset, tag_path: str) -> DataElement | None:
    found = resolve(ds, tag_path)
    return None if found is None else found[0][found[1]]


def remove(ds: Dataset, tag_path: str) -> bool:
    """Delete the element at ``tag_path``; True when there was one."""
    found = resolve(ds, tag_path)
    if found is None:
        return False
    del found[0][found[1]]
    return True
