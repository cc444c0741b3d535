"""Resource limits: how much of one file the scan will read, walk and decode.

A sweep over a million files meets files built to hurt (a 2 KB RLE file declaring
65535 x 65535 pixels, a 10 MB text value, sequences nested 1000 deep). Each limit here
turns such a file into an error row before the work starts, never a crash, an
out-of-memory kill or a scan that never ends; and never a silent skip: what was not
read is reported with the reason below.
"""

from __future__ import annotations

from dataclasses import dataclass

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30

#: ElementProblem reasons (phidetect.dicom.elements.ElementProblem.reason), for a caller
#: that maps them to error kinds: the value could not be decoded at all ...
DECODE = "decode"
#: ... the value is longer than ``max_scanned_chars``: only its first part was scanned ...
TRUNCATED = "truncated"
#: ... the sequence is nested deeper than ``max_sequence_depth``: its items were not walked.
TOO_DEEP = "too deep"


@dataclass(frozen=True)
class ResourceLimits:
    """The limits a scan works within; every default is far above what real files need.

    ``max_scanned_chars``: characters of one element value the text rules read (256 Ki: 2-10 s of rules
        on the densest text; real values are far shorter);
        the rest is not scanned, and the element is reported (reason ``truncated``), so
        a redacted copy removes it.
    ``max_text_bytes``: bytes of a UN/OB value tested for being text (1 MiB); a longer
        one that looks like text is read in part, like a long string value.
    ``whole_scan_chars``: values up to this long are scanned in one piece (16 Ki); longer
        ones in windows, since some rules (phonenumbers' matcher, name runs) cost more
        than linear in the length of what they read.
    ``window_chars`` / ``window_overlap``: a window's length and how much two neighbours
        share (8 Ki / 1 Ki); a span is kept from the window whose core holds its start, so
        every span up to ``window_overlap // 2`` characters long is found whole.
    ``max_sequence_depth``: sequence nesting walked (32; real files rarely pass 6): the
        items of a deeper sequence are not walked and the sequence is reported (``too deep``).
    ``pixel_memory_budget``: bytes one decoded frame may take (2 GiB); frames stream, so
        this bounds what decoding a file holds at once.
    """

    max_scanned_chars: int = 256 * KIB
    max_text_bytes: int = 1 * MIB
    whole_scan_chars: int = 16 * KIB
    window_chars: int = 8 * KIB
    window_overlap: int = 1 * KIB
    max_sequence_depth: int = 32
    pixel_memory_budget: int = 2 * GIB

    def __post_init__(self) -> None:
        if not 0 < self.window_overlap < self.window_chars:
            raise ValueError("window_overlap must be positive and below window_chars")
        if self.whole_scan_chars < self.window_chars:
            raise ValueError("whole_scan_chars must be at least window_chars")


#: The limits used when a caller names none.
DEFAULT_LIMITS = ResourceLimits()


def size_text(count: int) -> str:
    """A byte count for a message: ``8.0 GiB``, ``12.5 MiB``, ``2048 bytes``."""
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} bytes"


#: Seconds one file may take in a sweep's worker before it becomes a ``timeout`` error row
#: and its worker is replaced: headers only (a rich header takes milliseconds; the
#: densest 10 MB text value a few seconds) ...
FILE_TIMEOUT_HEADERS = 60.0
#: ... and with OCR (a long cine read the thorough way on a busy CPU takes minutes).
FILE_TIMEOUT_OCR = 1800.0


def file_timeout(given: float | None, ocr: bool) -> float | None:
    """The per-file limit a sweep uses: ``given`` (0 or less: none), else the default."""
    if given is None:
        return FILE_TIMEOUT_OCR if ocr else FILE_TIMEOUT_HEADERS
    return given if given > 0 else None
