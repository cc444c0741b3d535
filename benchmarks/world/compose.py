"""Text built piece by piece, every planted piece's character span known exactly.

A ``Builder`` holds segments: plain text, or a planted piece (PHI, or a look-alike that is
not PHI) with what it is. ``render`` writes the segments one after the other, applying the
case (ALL CAPS values are common in DICOM) to each segment before it is placed, so spans are
counted on the final text and never searched for afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Piece:
    """A planted piece of text. ``phi_type`` is "" for a look-alike (not PHI)."""

    text: str
    phi_type: str
    kind: str  # name, record, national_id, phone, date, address, lookalike
    detail: str = ""  # name form, ID kind, date shape, record shape, look-alike kind
    in_header: bool = False  # a name part of the file's own header people (crossref can find it)
    start: int = -1
    end: int = -1


@dataclass
class Builder:
    """Segments of one text value: ``(text, None)`` for plain text, ``(text, Piece)`` planted."""

    segments: list[tuple[str, Piece | None]] = field(default_factory=list)

    def add(self, text: str) -> None:
        """Plain text (template words, look-alike-free filler)."""
        if text:
            self.segments.append((text, None))

    def plant(self, text: str, phi_type: str, kind: str, detail: str = "", in_header: bool = False) -> None:
        """A piece whose span is to be tracked."""
        self.segments.append((text, Piece(text, phi_type, kind, detail, in_header)))

    def extend(self, other: Builder, separator: str = " ") -> None:
        """Append another builder's segments, with ``separator`` between when both hold text."""
        if self.segments and other.segments:
            self.add(separator)
        self.segments.extend(other.segments)

    def plain(self) -> str:
        """The text as written, without case changes (for length checks)."""
        return "".join(text for text, _ in self.segments)

    def render(self, upper: bool = False) -> tuple[str, list[Piece]]:
        """(value, pieces with start/end): each segment cased, then placed at the current end."""
        out: list[str] = []
        pieces: list[Piece] = []
        position = 0
        for text, piece in self.segments:
            written = text.upper() if upper else text
            if piece is not None:
                pieces.append(replace(piece, text=written, start=position, end=position + len(written)))
            out.append(written)
            position += len(written)
        value = "".join(out)
        for piece in pieces:  # the invariant this module exists for
            assert value[piece.start:piece.end] == piece.text, piece
        return value, pieces
