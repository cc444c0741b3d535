"""Compressed inputs whose pixels were blanked are written back compressed, losslessly.

Decompressing a copy made a 127 MB set 155 MB and a JPEG 2000 or JPEG-LS archive several
times larger. After the pixel step has filled the boxes (phidetect.redact.pixels), the
frames are encoded in the input's own lossless family when an installed encoder writes it
(phidetect.redact.syntax_families), else in another installed lossless syntax, else left
uncompressed (Explicit VR Little Endian); the reason for each fallback is the file's note.
Nothing is written that was not decoded back, before writing, to exactly the frames that
were encoded: a plugin that loses a bit (a sign, a high bit) is a fallback, not a copy.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, encapsulate_extended
from pydicom.pixels import get_decoder, get_encoder
from pydicom.pixels.encoders.base import Encoder
from pydicom.pixels.utils import as_pixel_options
from pydicom.uid import UID, ExplicitVRLittleEndian, JPEG2000Lossless
from pydicom.valuerep import VR

from phidetect.redact.gdcm_encoder import ENCODER_DEPENDENCIES as GDCM_DEPENDENCIES
from phidetect.redact.gdcm_encoder import gdcm_encoder
from phidetect.redact.syntax_families import LOSSY_FLAG, family_target, keep_lossy_history, targets, was_lossy

#: Image Pixel module attributes a decoder reads (copied into the round-trip check's data set).
PIXEL_MODULE = ("SamplesPerPixel", "PhotometricInterpretation", "PlanarConfiguration", "NumberOfFrames", "Rows",
                "Columns", "BitsAllocated", "BitsStored", "HighBit", "PixelRepresentation")
#: Encapsulated data beyond this needs the extended offset table (the basic one holds 32-bit offsets).
BASIC_OFFSET_LIMIT = 2**32 - 1
#: Characters of an encoder's error kept in a note.
NOTE_LENGTH = 160
_EXTENDED_OFFSETS = (0x7FE00001, 0x7FE00002)
YBR_RCT = "YBR_RCT"


class RoundTripMismatch(ValueError):
    """Encoded frames that do not decode back to the frames that were encoded."""


@dataclass(frozen=True)
class Recompression:
    """Where the copy's pixel data ended up: ``syntax``, and ``note`` (why, when that is
    not the input's own family; "" when it is)."""

    syntax: UID
    note: str = ""


def encoder_for(uid: UID) -> Encoder | None:
    """An installed encoder for ``uid``: pydicom's own when one of its plugins is available,
    else phidetect's GDCM one (JPEG-LS Lossless, JPEG Lossless SV1), else None. Tests
    monkeypatch this to simulate a missing encoder."""
    try:
        encoder = get_encoder(uid)
    except NotImplementedError:  # pydicom has no encoder at all for this syntax
        encoder = None
    if encoder is not None and encoder.is_available:
        return encoder
    return gdcm_encoder(uid)


def missing_for(uid: UID) -> str:
    """What to install so that ``uid`` can be written, in words."""
    needs: list[str] = []
    with contextlib.suppress(NotImplementedError):  # pydicom has no encoder for the syntax
        needs += [text.split(" - ")[0] for text in get_encoder(uid).missing_dependencies]
    needs += list(GDCM_DEPENDENCIES.get(uid, ()))
    return " or ".join(dict.fromkeys(needs)) or "no plugin known"


def recompress(ds: Dataset, frames: np.ndarray, source: UID) -> Recompression:
    """Encode ``frames`` (frames, rows, columns[, samples]), which ``ds`` already holds
    uncompressed, in the first lossless syntax for ``source`` that an installed encoder
    writes and that decodes back to ``frames``; ``ds`` is left uncompressed when none does."""
    family = family_target(source)
    reasons: list[str] = []
    if int(ds.get("BitsAllocated", 0) or 0) % 8:
        return Recompression(ExplicitVRLittleEndian, "written uncompressed: no encoder writes 1-bit pixel data")
    for target in targets(source, int(ds.get("SamplesPerPixel", 1) or 1)):
        encoder = encoder_for(target)
        if encoder is None:
            reasons.append(f"{target.name}: no encoder installed (needs {missing_for(target)})")
            continue
        photometric = ds.get("PhotometricInterpretation")
        try:
            _colour_transform(ds, target)
            encoded = _encode(encoder, ds, frames, validate=target != source)
            _check_round_trip(ds, target, encoded, frames)
        except MemoryError:
            raise
        except Exception as exc:  # encoder plugins raise anything; the next syntax is tried
            if photometric is not None:
                ds.PhotometricInterpretation = photometric
            reasons.append(f"{target.name}: {_short(exc)}")
            continue
        _store(ds, target, encoded)
        planned = target == family or (family is None and not reasons)  # the family, or the first choice
        return Recompression(target, "" if planned else _fallback(target, reasons))
    return Recompression(ExplicitVRLittleEndian, _fallback(ExplicitVRLittleEndian, reasons))


def _fallback(written: UID, reasons: list[str]) -> str:
    return f"written as {written.name} ({'; '.join(reasons)})"


def _short(exc: BaseException) -> str:
    """An encoder's error in one line: pydicom's profile errors name the values, not the rule."""
    text = re.sub(r"\s+", " ", str(exc)).strip() or type(exc).__name__
    text = text.replace(" See Part 5, Section 8.2 of the DICOM Standard for more information", "")
    text = re.sub(r"^Unable to encode as exceptions were raised by all available plugins: ", "", text)
    text = re.sub(r"One or more of the following values is not valid for pixel data encoded with '[^']*':",
                  "not allowed by PS3.5 8.2 for", text)
    return text[:NOTE_LENGTH]


def _colour_transform(ds: Dataset, target: UID) -> None:
    """RGB goes into JPEG 2000 Lossless through the reversible colour transform (YBR_RCT):
    without it colour compresses about half as well, and it loses nothing."""
    rgb = str(ds.get("PhotometricInterpretation", "")).strip().upper() == "RGB"
    if target == JPEG2000Lossless and rgb and int(ds.get("SamplesPerPixel", 1) or 1) == 3:
        ds.PhotometricInterpretation = YBR_RCT


def _source_array(ds: Dataset, frames: np.ndarray) -> np.ndarray:
    """``frames`` shaped as pydicom's encoders take them (no frame axis for one frame)."""
    samples = int(ds.get("SamplesPerPixel", 1) or 1)
    arr = frames[..., 0] if samples == 1 and frames.ndim == 4 else frames
    return arr[0] if len(arr) == 1 else arr


def _encode(encoder: Encoder, ds: Dataset, frames: np.ndarray, *, validate: bool) -> list[bytes]:
    """Every frame encoded. ``validate`` False (the input's own syntax): an encoding profile the
    input already had is kept even where PS3.5 8.2 does not list it (32-bit RLE)."""
    options = as_pixel_options(ds)
    options["number_of_frames"] = len(frames)
    return list(encoder.iter_encode(_source_array(ds, frames), validate=validate, **options))


def _encapsulated(encoded: list[bytes]) -> tuple[bytes, bytes | None, bytes | None]:
    """Pixel Data value, and the extended offset table and its lengths when needed."""
    total = 8 * (len(encoded) - 1) + sum(len(f) for f in encoded[:-1])
    if total > BASIC_OFFSET_LIMIT:
        return encapsulate_extended(encoded)
    return encapsulate(encoded), None, None


def _view(ds: Dataset, target: UID, encoded: list[bytes]) -> Dataset:
    """A data set holding only the pixel module and the encoded frames, to decode them."""
    view = Dataset()
    for keyword in PIXEL_MODULE:
        if keyword in ds:
            setattr(view, keyword, ds[keyword].value)
    view.file_meta = FileMetaDataset()
    view.file_meta.TransferSyntaxUID = target
    view.PixelData = encapsulate(encoded)
    view["PixelData"].VR = VR.OB
    view["PixelData"].is_undefined_length = True
    return view


def _check_round_trip(ds: Dataset, target: UID, encoded: list[bytes], frames: np.ndarray) -> None:
    """Raise RoundTripMismatch unless every encoded frame decodes to the frame it came from."""
    view = _view(ds, target, encoded)
    decoded = get_decoder(target).iter_array(view, indices=range(len(frames)), as_rgb=False,
                                             number_of_frames=len(frames))
    count = 0
    for index, (arr, _) in enumerate(decoded):
        expected = frames[index]
        if arr.shape != expected.shape and arr.size == expected.size:
            arr = arr.reshape(expected.shape)
        if not np.array_equal(arr, expected):
            raise RoundTripMismatch(f"frame {index} does not decode to the pixels encoded")
        count += 1
    if count != len(frames):
        raise RoundTripMismatch(f"{count} of {len(frames)} frames decoded")


def _store(ds: Dataset, target: UID, encoded: list[bytes]) -> None:
    """Put the encoded frames in ``ds`` as encapsulated Pixel Data of ``target``."""
    value, offsets, lengths = _encapsulated(encoded)
    for tag in _EXTENDED_OFFSETS:
        if tag in ds:
            del ds[tag]
    ds.PixelData = value
    if offsets is not None:
        ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths = offsets, lengths
    ds["PixelData"].VR = VR.OB
    ds["PixelData"].is_undefined_length = True
    ds.file_meta.TransferSyntaxUID = target


def rewrite_compressed(ds: Dataset, keyword: str, frames: np.ndarray, source: UID, compressed_bytes: int, *,
                       keep_compression: bool = True) -> Recompression:
    """After the pixel step wrote ``frames`` of a ``source``-compressed input uncompressed:
    keep a lossy input's history in the header, then compress again (``keep_compression``).
    The note says when the input was lossy and where the copy fell back to."""
    lossy = was_lossy(ds, source)
    if lossy:
        keep_lossy_history(ds, source, compressed_bytes, frames.nbytes)
    if not keep_compression:
        written = Recompression(ExplicitVRLittleEndian, "written uncompressed, as asked")
    elif keyword != "PixelData":
        written = Recompression(ExplicitVRLittleEndian, f"{keyword} is never compressed")
    else:
        written = recompress(ds, frames, source)
    if not lossy:
        return written
    history = f"lossy input ({source.name}) written losslessly, Lossy Image Compression {LOSSY_FLAG} kept"
    return Recompression(written.syntax, "; ".join(filter(None, (history, written.note))))
