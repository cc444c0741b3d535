"""What every module of the package shares: the public DisplayFrame and PixelDecodeError,
and the keywords pixel data is stored under."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from phidetect.planes import Plane, View

PIXEL_KEYWORDS = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")


@dataclass(frozen=True)
class DisplayFrame:
    """One display-ready plane that may carry burned-in text.

    ``frame`` is the 0-based frame of the stored image (for overlays: the image frame they
    apply to); ``image`` is uint8 HxW or HxWx3 on the stored image's grid (the icon: its
    own grid); ``plane`` is the image, an overlay group or the icon; ``view`` is how the
    plane was made visible (as a viewer shows it, or every stored value made visible: see
    phidetect.dicom.pixels.full_range).
    """

    frame: int
    image: np.ndarray
    plane: Plane
    view: View = View.DISPLAY


class PixelDecodeError(Exception):
    """Pixel data that cannot be decoded; the message names the transfer syntax and, for a
    missing codec, the package to install."""
