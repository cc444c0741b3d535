"""Write stored pixels into a data set in the kind's photometric interpretation and
transfer syntax: native (RGB, YBR_FULL, YBR_FULL_422 packed by hand), RLE Lossless
(pydicom's own encoder) or JPEG Baseline (Pillow, encapsulated by pydicom)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from pydicom.dataset import Dataset
from pydicom.encaps import encapsulate
from pydicom.pixels import convert_color_space

from phidetect.datasets.synthetic.kinds import EXPLICIT, JPEG, RLE, Kind


def pack_ybr_422(ybr: np.ndarray) -> np.ndarray:
    """``(frames, rows, cols, 3)`` YBR_FULL -> the YBR_FULL_422 native layout: each pair of
    pixels stored as Y1 Y2 Cb Cr, the chroma averaged over the pair (cols must be even)."""
    pairs = ybr.reshape(ybr.shape[0], ybr.shape[1], ybr.shape[2] // 2, 2, 3).astype(np.uint16)
    out = np.empty((*pairs.shape[:3], 4), np.uint8)
    out[..., 0] = pairs[..., 0, 0]
    out[..., 1] = pairs[..., 1, 0]
    out[..., 2] = (pairs[..., 0, 1] + pairs[..., 1, 1] + 1) // 2
    out[..., 3] = (pairs[..., 0, 2] + pairs[..., 1, 2] + 1) // 2
    return out


def _jpeg_frames(pixels: np.ndarray, quality: int) -> list[bytes]:
    """Baseline JPEG per frame; colour with 4:2:2 chroma, as YBR_FULL_422 promises."""
    encoded = []
    for frame in pixels:
        buffer = io.BytesIO()
        if frame.ndim == 3:
            Image.fromarray(frame, "RGB").save(buffer, format="JPEG", quality=quality, subsampling="4:2:2")
        else:
            Image.fromarray(frame, "L").save(buffer, format="JPEG", quality=quality)
        encoded.append(buffer.getvalue())
    return encoded


def write_pixels(ds: Dataset, kind: Kind, pixels: np.ndarray, rng: np.random.Generator) -> None:
    """Set the image pixel elements and PixelData of ``ds`` from ``(frames, rows, cols[, 3])``
    integers, and the file meta transfer syntax."""
    frames, rows, cols = pixels.shape[:3]
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 3 if kind.colour else 1
    ds.PhotometricInterpretation = kind.photometric
    if kind.colour:
        ds.PlanarConfiguration = 0
    if kind.multiframe:
        ds.NumberOfFrames = frames
    # RLE: pydicom compresses only native data, and sets the syntax itself
    ds.file_meta.TransferSyntaxUID = EXPLICIT if kind.transfer_syntax == RLE else kind.transfer_syntax
    if kind.transfer_syntax == JPEG:
        quality = int(rng.integers(80, 96))
        encoded = _jpeg_frames(pixels, quality)
        ds.PixelData = encapsulate(encoded, has_bot=True)
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
        ratio = pixels.nbytes / sum(len(e) for e in encoded)
        ds.LossyImageCompression = "01"
        ds.LossyImageCompressionRatio = f"{ratio:.2f}"
        ds.LossyImageCompressionMethod = "ISO_10918_1"
        return
    data = pixels
    if kind.photometric == "YBR_FULL":
        data = convert_color_space(pixels, "RGB", "YBR_FULL")
    elif kind.photometric == "YBR_FULL_422":
        data = pack_ybr_422(convert_color_space(pixels, "RGB", "YBR_FULL"))
    little = data.astype(data.dtype.newbyteorder("<"))
    ds.PixelData = little.tobytes()
    ds["PixelData"].VR = "OW" if pixels.dtype.itemsize == 2 else "OB"
    if kind.transfer_syntax == RLE:
        # the photometric interpretation was set above as RGB/MONOCHROME*, which RLE keeps
        ds.compress(RLE, encoding_plugin="pydicom", generate_instance_uid=False)
