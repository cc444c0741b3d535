"""Set data elements and record, at the same moment, the truth rows for the PHI in them.

A tag path is spelled the way phidetect's findings spell it: uppercase hex
``(GGGG,EEEE)``, sequence items 0-based as ``[i].``, private elements by their full tag
(``(0011,1010)``). Offsets are into the value as a string, multi-valued values joined
by a backslash, person names as stored (``Doe^John``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset, PrivateBlock

from phidetect.datasets.synthetic.freetext import Composer


def tag_text(tag: int) -> str:
    """``(0010,0010)`` for 0x00100010."""
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


@dataclass
class Planter:
    """Collects tag truth rows (without the ``file`` column) while elements are set."""

    rows: list[dict] = field(default_factory=list)

    def _record(self, path: str, keyword: str, value: str, start: int, end: int,
                phi_type: str, required: bool) -> None:
        self.rows.append({"source": "tag", "tag_path": path, "keyword": keyword, "phi_type": phi_type,
                          "text": value[start:end], "start": start, "end": end, "required": required})

    def put(self, ds: Dataset, keyword: str, value: str | list[str], phi_type: str | None = None,
            required: bool = True, prefix: str = "") -> None:
        """Set ``keyword``; when ``phi_type`` is given each non-empty value is one truth row
        over its whole extent."""
        setattr(ds, keyword, value)
        if phi_type is None:
            return
        values = value if isinstance(value, list) else [value]
        path = prefix + tag_text(tag_for_keyword(keyword))
        joined, offset = "\\".join(values), 0
        for item in values:
            if item:
                self._record(path, keyword, joined, offset, offset + len(item), phi_type, required)
            offset += len(item) + 1

    def text(self, ds: Dataset, keyword: str, composed: Composer, prefix: str = "") -> None:
        """Set free text; one truth row per planted span."""
        setattr(ds, keyword, composed.value)
        path = prefix + tag_text(tag_for_keyword(keyword))
        for span in composed.spans:
            self._record(path, keyword, composed.value, span.start, span.end, span.phi_type, span.required)

    def private(self, block: PrivateBlock, offset: int, vr: str, value: str | Composer,
                phi_type: str | None = None, required: bool = True, prefix: str = "") -> None:
        """Add a private element; a Composer brings its spans, a plain PHI value is whole."""
        text = value.value if isinstance(value, Composer) else value
        block.add_new(offset, vr, text)
        path = prefix + tag_text(block.get_tag(offset))
        if isinstance(value, Composer):
            for span in value.spans:
                self._record(path, "", text, span.start, span.end, span.phi_type, span.required)
        elif phi_type is not None and text:
            self._record(path, "", text, 0, len(text), phi_type, required)


def item_prefix(keyword: str, index: int = 0, prefix: str = "") -> str:
    """The path prefix of item ``index`` of sequence ``keyword``: ``(0040,0275)[0].``"""
    return f"{prefix}{tag_text(tag_for_keyword(keyword))}[{index}]."
