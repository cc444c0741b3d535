"""Is an original's header PHI still somewhere in its copy?

Each PHI item of the original (a finding's text) is sought in every text value of the
copy: every element, nested items, private blocks, UN bytes decoded, as the scan's walk
reads them. Where the item is one of the original's identity values (a person's name, an
ID, the birth date, the institution), the cross-reference rule seeks it, with the folding
the detector uses: names in any order and case, with or without accents and ``^``; a birth
date in any format. Any other item is sought as a whole token after the same folding
(case, accents, ``^`` and runs of spaces), and dates by their calendar value, so that
"20230714" is found again as "14.07.2023" but not inside a UID.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from phidetect.dicom.elements import ElementText
from phidetect.dicom.identity import identity_from_elements
from phidetect.text.crossref import CrossReferenceRecognizer, Identity, whole_token_starts
from phidetect.text.dates import find_dates
from phidetect.text.folding import fold

#: Items shorter than this (folded) are sought only in the element they came from: "45"
#: or "M" occur in any header and prove nothing elsewhere.
MIN_SOUGHT_CHARS = 4
#: Evidence names at most this many places of the copy.
MAX_EVIDENCE = 3

_CROSSREF = CrossReferenceRecognizer()
_SPACES = re.compile(r"[\s^]+")


def folded(text: str) -> str:
    """Case, accents, ``^`` and runs of spaces folded away, as the detector compares names."""
    return _SPACES.sub(" ", fold(text).casefold()).strip()


@dataclass(frozen=True)
class CopyText:
    """The copy's text values, once folded."""

    elements: tuple[ElementText, ...]
    folded: tuple[str, ...]

    @classmethod
    def of(cls, elements: Sequence[ElementText]) -> CopyText:
        kept = tuple(e for e in elements if e.text.strip())
        return cls(kept, tuple(folded(e.text) for e in kept))


@dataclass(frozen=True)
class Verdict:
    """``leaked`` with the copy's tag paths as evidence, or not found."""

    leaked: bool
    evidence: str


NOT_FOUND = Verdict(False, "not found in the copy's header")


def identity_of(item_path: str, originals: Sequence[ElementText]) -> Identity | None:
    """The identity values the original's element at ``item_path`` holds, if it is one of
    those cross-reference seeks (PN, IDs, birth date, institution); else None."""
    source = [e for e in originals if e.tag_path == item_path]
    if not source:
        return None
    identity = identity_from_elements(source)
    return None if identity.is_empty() else identity


def seek(item_text: str, item_path: str, phi_type: str, copy: CopyText,
         identity: Identity | None) -> Verdict:
    """Where the copy still holds ``item_text`` (found at ``item_path`` in the original)."""
    places: list[str] = []
    needle = folded(item_text)
    if not needle:
        return NOT_FOUND
    dates = {d.value for d in find_dates(item_text)} if phi_type == "DATE" else set()
    anywhere = len(needle) >= MIN_SOUGHT_CHARS
    for element, text in zip(copy.elements, copy.folded, strict=True):
        if element.tag_path != item_path and not anywhere:
            continue
        if _holds(element, text, needle, dates, identity):
            places.append(element.tag_path)
    if not places:
        return NOT_FOUND
    places.sort(key=lambda path: path != item_path)  # where it was first, then where else
    if len(places) > MAX_EVIDENCE:
        places[MAX_EVIDENCE:] = [f"and {len(places) - MAX_EVIDENCE} more"]
    return Verdict(True, "copy holds it at " + ", ".join(places))


def _holds(element: ElementText, text: str, needle: str, dates: set, identity: Identity | None) -> bool:
    if identity is not None and any(True for _ in _CROSSREF.find(element.text, identity)):
        return True
    if _whole_token(text, needle):
        return True
    if dates and element.vr != "UI" and any(ch.isdigit() for ch in text):
        return any(d.value in dates for d in find_dates(element.text))
    return False


def _whole_token(text: str, needle: str) -> bool:
    """``needle`` in ``text`` with no letter or digit glued to either end."""
    return next(whole_token_starts(text, needle), None) is not None
