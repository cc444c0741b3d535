"""JPEG-LS Lossless and JPEG Lossless SV1 encoding through GDCM, as a pydicom encoder plugin.

pydicom 3.0 encodes JPEG-LS only with pyjpegls and has no JPEG Lossless (Process 14)
encoder at all, while python-gdcm, already installed for decoding, writes both. The
plugin lives on encoders of phidetect's own (``gdcm_encoder``), never on pydicom's
registered ones, so importing phidetect changes nothing for other pydicom users; pydicom's
Encoder still does the validation against PS3.5's encoding profiles and the frame
iteration. Every frame is one gdcm.Image converted by ImageChangeTransferSyntax, as
pydicom's own GDCM RLE plugin does it.
"""

from __future__ import annotations

from functools import cache

from pydicom.pixels.encoders.base import Encoder, EncodeRunner
from pydicom.uid import UID, JPEGLosslessSV1, JPEGLSLossless

try:
    import gdcm
except ImportError:  # python-gdcm is optional (the ocr extra)
    gdcm = None

#: What this plugin writes, and what each needs (pydicom's plugin protocol).
ENCODER_DEPENDENCIES = {
    JPEGLSLossless: ("python-gdcm>=3.0",),
    JPEGLosslessSV1: ("python-gdcm>=3.0",),
}
PLUGIN = "phidetect-gdcm"
_PIXEL_DATA = (0x7FE0, 0x0010)


def is_available(uid: str) -> bool:
    """True when GDCM is installed and writes ``uid`` (pydicom's plugin protocol)."""
    return gdcm is not None and uid in ENCODER_DEPENDENCIES


@cache
def gdcm_encoder(uid: UID) -> Encoder | None:
    """phidetect's own pydicom Encoder for ``uid`` with the GDCM plugin, None when GDCM
    cannot write it."""
    if not is_available(uid):
        return None
    encoder = Encoder(UID(uid))
    encoder.add_plugin(PLUGIN, (__name__, "encode_frame"))
    return encoder


def encode_frame(src: bytes, runner: EncodeRunner) -> bytes:
    """One frame (little endian, the container Bits Stored needs) as a codestream."""
    if runner.get_option("byteorder", "<") == ">":
        raise ValueError("GDCM encodes little endian frames only")
    pixels = runner.rows * runner.columns * runner.samples_per_pixel
    container = 8 * (len(src) // pixels)  # pydicom hands over 1, 2 or 4 bytes per sample
    kind = gdcm.PhotometricInterpretation.GetPIType(runner.photometric_interpretation)
    if kind == gdcm.PhotometricInterpretation.PI_END:
        raise ValueError(f"GDCM: photometric interpretation {runner.photometric_interpretation!r}")
    writer = gdcm.ImageWriter()  # the image must belong to a writer that stays in scope
    image = writer.GetImage()
    image.SetNumberOfDimensions(2)
    image.SetDimensions((runner.columns, runner.rows, 1))
    image.SetPhotometricInterpretation(gdcm.PhotometricInterpretation(kind))
    image.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.ImplicitVRLittleEndian))
    image.SetPixelFormat(gdcm.PixelFormat(runner.samples_per_pixel, container, runner.bits_stored,
                                          runner.bits_stored - 1, runner.pixel_representation))
    if runner.samples_per_pixel > 1:
        image.SetPlanarConfiguration(0)
    element = gdcm.DataElement(gdcm.Tag(*_PIXEL_DATA))
    element.SetByteStringValue(src)
    image.SetDataElement(element)
    converter = gdcm.ImageChangeTransferSyntax()
    converter.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.GetTSType(str(runner.transfer_syntax))))
    converter.SetInput(image)
    if not converter.Change():
        raise RuntimeError(f"GDCM could not write {UID(runner.transfer_syntax).name}")
    fragments = converter.GetOutput().GetDataElement().GetSequenceOfFragments()
    if fragments is None or fragments.GetNumberOfFragments() == 0:
        raise RuntimeError("GDCM wrote no fragments")
    # one frame's codestream, whatever number of fragments GDCM cut it into
    return b"".join(fragments.GetFragment(i).GetByteValue().GetBuffer().encode("utf-8", "surrogateescape")
                    for i in range(fragments.GetNumberOfFragments()))
