"""Which lossless transfer syntax a copy of a compressed input should be written in, and
whether the input was lossy (its history must stay in the header).

A copy keeps its input's family (RLE, JPEG, JPEG-LS, JPEG 2000) in that family's lossless
syntax; a lossy input is never re-encoded lossily, it is written lossless and keeps
Lossy Image Compression "01" with the ratio and method as history (PS3.3 C.7.6.1.1.5).
"""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.uid import (
    HTJ2K,
    JPEG2000,
    JPEG2000MC,
    UID,
    JPEG2000Lossless,
    JPEG2000MCLossless,
    JPEG2000TransferSyntaxes,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    JPEGLSTransferSyntaxes,
    MPEGTransferSyntaxes,
    RLELossless,
)

#: Lossless targets tried after the input's own family, smallest copies first: JPEG-LS for
#: grey images; for colour JPEG 2000 (its reversible colour transform: about a quarter smaller).
FALLBACK_ORDER: tuple[UID, ...] = (JPEGLSLossless, JPEG2000Lossless, JPEGLosslessSV1, RLELossless)
COLOUR_ORDER: tuple[UID, ...] = (JPEG2000Lossless, JPEGLSLossless, JPEGLosslessSV1, RLELossless)
#: Syntaxes that cannot lose information.
LOSSLESS = frozenset({RLELossless, JPEGLossless, JPEGLosslessSV1, JPEGLSLossless, JPEG2000Lossless,
                      JPEG2000MCLossless, UID("1.2.840.10008.1.2.4.201"), UID("1.2.840.10008.1.2.4.202")})
#: Syntaxes that may be either: lossy unless Lossy Image Compression says "00".
EITHER = frozenset({JPEG2000, JPEG2000MC, HTJ2K, JPEGLSNearLossless})
#: The JPEG (ITU T.81) DCT processes, retired ones included (1.2.840.10008.1.2.4.52-56, 59-64): always lossy.
JPEG_LOSSY = frozenset({JPEGBaseline8Bit, JPEGExtended12Bit,
                        *(UID(f"1.2.840.10008.1.2.4.{n}") for n in (*range(52, 57), *range(59, 65)))})
#: Lossy Image Compression Method codes (PS3.3 C.7.6.1.1.5.1) of the lossy syntaxes.
_METHODS = {JPEGLSNearLossless: "ISO_14495_1", HTJ2K: "ISO_15444_15"}
LOSSY_FLAG = "01"
LOSSLESS_FLAG = "00"


def family_target(source: UID) -> UID | None:
    """The lossless syntax of ``source``'s family: None for the DCT JPEG processes (Process
    14 is another coding, and the copy of a lossy image is best kept small), video and
    unknown syntaxes."""
    if source == RLELossless:
        return RLELossless
    if source in JPEGLSTransferSyntaxes:
        return JPEGLSLossless
    if source in JPEG2000TransferSyntaxes:
        return JPEG2000Lossless  # HTJ2K too: pydicom writes no HTJ2K, and Part 1 decoders are everywhere
    if source in (JPEGLossless, JPEGLosslessSV1):
        return JPEGLosslessSV1
    return None


def targets(source: UID, samples: int = 1) -> list[UID]:
    """Lossless syntaxes to try for a copy of ``source`` (``samples`` per pixel), its own family first."""
    first = family_target(source)
    order = COLOUR_ORDER if samples > 1 else FALLBACK_ORDER
    return ([first] if first else []) + [uid for uid in order if uid != first]


def was_lossy(ds: Dataset, source: UID) -> bool:
    """True when the pixel data as read had been through lossy compression."""
    flag = str(ds.get("LossyImageCompression", "") or "").strip()
    if flag == LOSSY_FLAG or source in JPEG_LOSSY or source in MPEGTransferSyntaxes:
        return True
    if source in LOSSLESS or not source.is_compressed:
        return False
    return flag != LOSSLESS_FLAG  # EITHER, or a syntax phidetect does not know: lossy unless said otherwise


def lossy_method(source: UID) -> str:
    """The Lossy Image Compression Method code of ``source`` (video is never decoded here)."""
    if source in _METHODS:
        return _METHODS[source]
    return "ISO_15444_1" if source in JPEG2000TransferSyntaxes else "ISO_10918_1"


def keep_lossy_history(ds: Dataset, source: UID, compressed_bytes: int, decoded_bytes: int) -> None:
    """Mark ``ds`` as once lossy compressed: Lossy Image Compression "01", and when the
    input gave neither ratio nor method, the ratio it had (decoded / compressed size) with
    the method of ``source`` (the two are paired value by value, so one is never added alone)."""
    ds.LossyImageCompression = LOSSY_FLAG
    if "LossyImageCompressionRatio" in ds or "LossyImageCompressionMethod" in ds:
        return
    if compressed_bytes > 0 and decoded_bytes > 0:
        ds.LossyImageCompressionRatio = f"{decoded_bytes / compressed_bytes:.2f}"[:16]
        ds.LossyImageCompressionMethod = lossy_method(source)
