"""The reading stage between decoded pixels and the text rules: every view of a file's
pixels read with OCR, as typed records (phidetect.pixel_reading.records)."""

from phidetect.pixel_reading.records import FrameRead, LineRef, RegionRead
from phidetect.pixel_reading.stage import OcrFailed, PixelReading, read_frames
from phidetect.pixel_reading.static import StaticReference, static_reference

__all__ = ["FrameRead", "LineRef", "OcrFailed", "PixelReading", "read_frames", "RegionRead", "StaticReference", "static_reference"]
