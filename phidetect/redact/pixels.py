"""Pixel blackout: every box filled, in every frame it applies to, with a stored value
that displays as black; the rest of the pixels unchanged.

Compressed pixel data is decoded with pydicom (colour JPEG as RGB), filled, and written
back in a lossless syntax of the input's family where an installed encoder can
(phidetect.redact.recompress; else another lossless syntax, else uncompressed Explicit VR
Little Endian), never re-encoded lossily; Photometric Interpretation, Planar
Configuration and the transfer syntax are made to match. What
displays black is worked out through phidetect's own display path (modality LUT /
rescale, VOI LUT / window, MONOCHROME1 inversion, palette), so an inverted or windowed
image is blacked out too, with a value the image already uses where one is dark enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels import get_decoder, pack_bits
from pydicom.uid import (
    UID,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000TransferSyntaxes,
    JPEGLSTransferSyntaxes,
)

from phidetect.dicom.pixels.base import PIXEL_KEYWORDS
from phidetect.dicom.pixels.colour import DisplayPipeline
from phidetect.dicom.pixels.decoding import quiet_decoders, read_syntax, transfer_syntax
from phidetect.dicom.pixels.guards import check_pixel_data
from phidetect.dicom.pixels.overlays import overlay_specs
from phidetect.dicom.pixels.values import as_int, native_order
from phidetect.geometry import ALL_FRAMES, FrameBox
from phidetect.planes import Plane
from phidetect.redact.recompress import rewrite_compressed

#: Pixels added around every box: OCR boxes hug the glyphs, and anti-aliased edges reach further.
DEFAULT_MARGIN = 4


class PixelRedactionError(Exception):
    """Pixel data that could not be decoded or written back; the file is not written."""


@dataclass
class PixelResult:
    boxes: int = 0                 # distinct boxes filled (with every_frame: distinct regions)
    rewritten: bool = False        # the pixel data was written again
    decompressed: bool = False     # compressed input now stored uncompressed
    syntax_note: str = ""          # why the copy is not in the input's lossless family, lossy history kept
    overlay_groups: set[int] = field(default_factory=set)  # overlays in which text was found


def overlay_groups(boxes: list[FrameBox]) -> set[int]:
    """Overlay groups (0x6000...) in which a box was found: removed whole by the header step."""
    return {box.plane.group for box in boxes if box.plane.is_overlay}


def blackout(ds: Dataset, boxes: list[FrameBox], *, margin: int = DEFAULT_MARGIN,
             every_frame: bool = True, rewrite: bool = False, keep_compression: bool = True) -> PixelResult:
    """Fill the image-plane ``boxes`` of ``ds`` in place. ``every_frame``: each box in every
    frame (burned-in annotations stay put in a cine); False: only the frame it was found in
    (ALL_FRAMES still means every frame). Icon boxes need nothing here: the profile removes
    the icon. ``rewrite``: write the pixel data again even without boxes (big endian input
    becomes little endian). ``keep_compression``: compressed input is written back in a
    lossless compressed syntax (False: uncompressed)."""
    result = PixelResult(overlay_groups=overlay_groups(boxes))
    image = [b for b in boxes if b.plane is Plane.IMAGE]
    if every_frame:  # a cine reports its banner once per frame: one region, filled in every frame
        image = list(dict.fromkeys(b._replace(frame=ALL_FRAMES) for b in image))
    keyword = next((k for k in PIXEL_KEYWORDS if k in ds), None)
    embedded = any(spec.embedded for spec in overlay_specs(ds))
    if keyword is None or not (image or embedded or rewrite):
        return result
    try:
        with quiet_decoders():
            syntax = _syntax(ds)
            compressed_bytes = len(ds[keyword].value or b"") if syntax.is_encapsulated else 0
            frames, photometric = _decode(ds, result, syntax)
            _fill(ds, frames, photometric, image, margin, every_frame)
            _encode(ds, keyword, frames, photometric)
            if syntax.is_encapsulated:
                written = rewrite_compressed(ds, keyword, frames, syntax, compressed_bytes,
                                             keep_compression=keep_compression)
                result.decompressed, result.syntax_note = not written.syntax.is_compressed, written.note
    except PixelRedactionError:
        raise
    except Exception as exc:  # decoders and encoders raise anything
        raise PixelRedactionError(f"pixel data: {type(exc).__name__}: {exc}") from exc
    result.boxes = len(image)
    result.rewritten = True
    return result


def _syntax(ds: Dataset) -> UID:
    """The transfer syntax the pixel data is in (the native one read when the file names none)."""
    syntax = transfer_syntax(ds)
    return syntax if syntax.is_transfer_syntax else read_syntax(ds)


def _decode(ds: Dataset, result: PixelResult, syntax: UID) -> tuple[np.ndarray, str]:
    """All frames as (frames, rows, columns[, samples]) in native byte order, and the
    photometric interpretation they are in. Compressed frames come out as RGB where they
    were YBR, and ``ds``'s pixel attributes are made to describe the decoded frames."""
    count = max(1, as_int(ds.get("NumberOfFrames"), 1))
    check_pixel_data(ds, syntax, frames=count)  # before a decoder sees absurd declarations
    decoder = get_decoder(syntax)
    # pydicom's streaming path fixes JPEG 2000 / JPEG-LS signedness in place on a read-only buffer
    indices = range(count) if syntax in JPEG2000TransferSyntaxes or syntax in JPEGLSTransferSyntaxes else None
    frames, properties = [], {}
    for arr, found in decoder.iter_array(ds, indices=indices, as_rgb=syntax.is_encapsulated, number_of_frames=count):
        frames.append(np.array(native_order(arr)))  # writable copies
        properties = properties or found
    arr = np.stack(frames)
    samples = as_int(properties.get("samples_per_pixel"), as_int(ds.get("SamplesPerPixel"), 1))
    if samples > 1 and arr.ndim == 3:
        arr = arr[..., np.newaxis]
    if syntax.is_encapsulated:
        _describe(ds, arr, properties, samples)
        result.decompressed = True
    photometric = str(properties.get("photometric_interpretation") or ds.get("PhotometricInterpretation", ""))
    return arr, photometric.strip().upper()


def _describe(ds: Dataset, arr: np.ndarray, properties: dict, samples: int) -> None:
    """Pixel attributes of decompressed frames: bits, sign, samples and photometric as decoded."""
    allocated = 8 * arr.dtype.itemsize
    stored = min(as_int(properties.get("bits_stored"), as_int(ds.get("BitsStored"), allocated)) or allocated, allocated)
    ds.BitsAllocated = allocated
    ds.BitsStored = stored
    ds.HighBit = stored - 1
    ds.PixelRepresentation = 1 if arr.dtype.kind == "i" else 0
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = str(properties.get("photometric_interpretation") or ds.PhotometricInterpretation)
    if samples > 1:
        ds.PlanarConfiguration = 0
    for tag in (0x7FE00001, 0x7FE00002):  # extended offset table: for encapsulated data only
        if tag in ds:
            del ds[tag]
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian


def _frames_for(box: FrameBox, count: int, every_frame: bool) -> range | list[int]:
    if every_frame or box.frame is ALL_FRAMES or box.frame < 0:  # a table's -2 reads as every frame too
        return range(count)
    return [box.frame] if box.frame < count else []


def _fill(ds: Dataset, frames: np.ndarray, photometric: str, boxes: list[FrameBox], margin: int,
          every_frame: bool) -> None:
    rows, columns = frames.shape[1], frames.shape[2]
    dark: dict[int, object] = {}
    for box in boxes:
        bounds = box.bounds(rows, columns, margin)
        if bounds is None:
            continue
        top, bottom, left, right = bounds
        for index in _frames_for(box, len(frames), every_frame):
            if index not in dark:
                dark[index] = _dark_value(ds, frames[index], index, photometric)
            frames[index, top:bottom, left:right] = dark[index]


def _dark_value(ds: Dataset, frame: np.ndarray, index: int, photometric: str):
    """The stored value (a sample tuple for colour) that displays darkest in this frame."""
    bits = as_int(ds.get("BitsStored"), 8 * frame.dtype.itemsize) or 8 * frame.dtype.itemsize
    if frame.ndim == 3 and frame.shape[-1] == 3:
        mid = 1 << (bits - 1)
        if photometric == "YBR_FULL" or photometric == "YBR_FULL_422":
            return (0, mid, mid)
        if photometric.startswith("YBR_PARTIAL"):
            return (16 << max(0, bits - 8), mid, mid)
        return 0
    plane = frame[..., 0] if frame.ndim == 3 else frame
    display = DisplayPipeline(_display_view(ds, photometric), True)
    if photometric == "PALETTE COLOR" and plane.dtype.kind in "iu" and plane.dtype.itemsize <= 2:
        low, high = _value_range(plane.dtype, bits)
        values = np.arange(low, high + 1, dtype=np.int64).astype(plane.dtype)[np.newaxis]
        rgb = display.render(values, index).astype(np.int64)
        return values[0, int(np.argmin(rgb.sum(axis=-1) if rgb.ndim == 3 else rgb))]
    if plane.dtype.kind == "f":
        finite = plane[np.isfinite(plane)]
        candidates = [finite.min(), finite.max()] if finite.size else [0.0]
    else:
        low, high = _value_range(plane.dtype, bits)
        candidates = [plane.min(), plane.max(), low, high]
    probe = plane.copy()
    flat = probe.reshape(-1)
    if flat.size < len(candidates):
        return candidates[0]
    flat[:len(candidates)] = np.array(candidates, dtype=plane.dtype)
    shown = display.render(probe, index).reshape(-1)[:len(candidates)]
    return candidates[int(np.argmin(shown))]  # ties: the first, a value the frame already uses


def _display_view(ds: Dataset, photometric: str) -> Dataset:
    """``ds`` as the display path should read it after decoding (the decoded photometric)."""
    if str(ds.get("PhotometricInterpretation", "")).strip().upper() == photometric:
        return ds
    view = Dataset()
    view.update(ds)
    view.PhotometricInterpretation = photometric
    return view


def _value_range(dtype: np.dtype, bits: int) -> tuple[int, int]:
    """The smallest and largest value Bits Stored allows in ``dtype``."""
    bits = min(bits, 8 * dtype.itemsize)
    if dtype.kind == "i":
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def _encode(ds: Dataset, keyword: str, frames: np.ndarray, photometric: str) -> None:
    """Write the frames back uncompressed, little endian, samples interleaved."""
    samples = as_int(ds.get("SamplesPerPixel"), 1)
    arr = frames if samples > 1 else frames[..., 0] if frames.ndim == 4 else frames
    if as_int(ds.get("BitsAllocated")) == 1:
        data = pack_bits(arr.astype(np.uint8), pad=False)
    else:
        data = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
    if len(data) % 2:
        data += b"\0"
    elem = ds[keyword]
    elem.value = data
    elem.is_undefined_length = False
    if samples > 1:
        ds.PlanarConfiguration = 0
    if photometric and str(ds.get("PhotometricInterpretation", "")).strip().upper() != photometric:
        ds.PhotometricInterpretation = photometric
    syntax = ds.file_meta.get("TransferSyntaxUID") if getattr(ds, "file_meta", None) is not None else None
    if syntax is None or UID(syntax).is_encapsulated or not UID(syntax).is_little_endian:
        implicit = syntax is None and ds.original_encoding[0]
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
