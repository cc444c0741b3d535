"""The reading stage: one place that makes every view of a data set's pixels (display
frames, overlays, icon, the full-range view, a cine's steady view) and reads it with
OCR, one frame at a time, as typed :class:`FrameRead` records.

Frames stream: a 1000-frame cine is never held whole. Problems (pixel data that cannot
be decoded, an OCR engine that fails) become typed errors after the frames read so far;
a file whose pixels were not all read is reported, never taken as clean.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydicom.dataset import Dataset

from phidetect.dicom.pixels import DisplayFrame, PixelDecodeError, display_frames, display_image, frame_count
from phidetect.dicom.pixels.full_range import full_range_frame
from phidetect.findings import ErrorKind, FileError
from phidetect.geometry import ALL_FRAMES
from phidetect.ocr.engine import OcrEngine
from phidetect.ocr_settings import OcrSettings
from phidetect.pixel_reading.records import FrameRead
from phidetect.pixel_reading.regions import FileReadCache, read_frame
from phidetect.pixel_reading.static import StaticReference, sampled_frames, static_reference
from phidetect.planes import Plane, View


class PixelReading:
    """Every view of one data set's pixels, read by ``engine`` as ``settings`` say.
    Iterate :meth:`frames`; afterwards :attr:`problems` holds what could not be read."""

    def __init__(self, dataset: Dataset, engine: OcrEngine, settings: OcrSettings, file: str = "") -> None:
        self.dataset, self.engine, self.settings, self.file = dataset, engine, settings, file
        self.problems: list[FileError] = []
        self.count = frame_count(dataset) if "PixelData" in dataset else 0
        self.static = self._static_reference()

    def _static_reference(self) -> StaticReference | None:
        """Sampled frames of a cine (when regions are read), to tell steady text from anatomy."""
        if self.count < 2 or not self.settings.options.regions:
            return None
        parameters = self.settings.parameters
        try:
            picks = sampled_frames(self.count, parameters.static_sample)
            return static_reference([display_image(self.dataset, i) for i in picks], parameters)
        except PixelDecodeError:
            return None  # reported when the frames themselves are read

    def _views(self) -> Iterator[DisplayFrame]:
        """Overlays and icon come before a decoding failure is raised: what was made is read."""
        options = self.settings.options
        try:
            yield from display_frames(self.dataset)
            if options.full_range and self.count == 1:
                extra = full_range_frame(self.dataset)
                if extra is not None:
                    yield extra
            if options.steady_view and self.static is not None:
                yield DisplayFrame(0, self.static.typical_image, Plane.IMAGE, View.STEADY)
        except PixelDecodeError as exc:
            self.problems.append(FileError(self.file, ErrorKind.PIXEL_DECODE, f"pixel data: {exc}"))

    def frames(self) -> Iterator[FrameRead]:
        """One record per plane, frame and view that was made, with the regions read in it.
        A failure ends the file's reads and becomes a problem: ``OCR`` when the engine
        failed, ``pixel decode`` when making a view did."""
        try:
            yield from read_frames(self._views(), self.engine, self.settings, self.static)
        except OcrFailed as exc:
            self.problems.append(FileError(self.file, ErrorKind.OCR, str(exc)))
        except Exception as exc:  # decoders raise anything: the pixels are unchecked, not clean
            self.problems.append(FileError(self.file, ErrorKind.PIXEL_DECODE,
                                           f"pixel data: {type(exc).__name__}: {exc}"))


class OcrFailed(Exception):
    """The OCR engine raised on a frame; the message names the frame and the error."""


def read_frames(frames: Iterable[DisplayFrame], engine: OcrEngine, settings: OcrSettings,
                static: StaticReference | None = None) -> Iterator[FrameRead]:
    """Display frames read by ``engine`` as ``settings`` say, one record each (a frame of
    view STEADY stands for every frame). ``static``: see PixelReading.static."""
    cache = FileReadCache(settings.parameters)
    for frame in frames:
        try:
            regions = read_frame(frame, engine, settings.options, settings.parameters, cache, static)
        except Exception as exc:
            raise OcrFailed(f"OCR failed on frame {frame.frame}: {type(exc).__name__}: {exc}") from exc
        number = ALL_FRAMES if frame.view is View.STEADY else frame.frame
        yield FrameRead(number, frame.plane, frame.view, frame.image, tuple(regions))
