"""Base pixels -> stored values, with the rescale and window elements that display them,
and the stored value that shows a wanted brightness (for burning text).

Text is burned in stored units so a CT keeps its full Hounsfield range and a
MONOCHROME1 radiograph gets bright letters by writing low numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from phidetect.datasets.synthetic.kinds import Kind

#: CT windows (center, width, explanation).
CT_WINDOWS = ((40, 400, "SOFT TISSUE"), (40, 80, "BRAIN"), (-600, 1500, "LUNG"), (300, 1500, "BONE"))


@dataclass
class Stored:
    """Stored pixels (float while text is burned) and how they are displayed."""

    frames: np.ndarray
    dtype: np.dtype
    lo: float
    hi: float
    attrs: dict[str, object] = field(default_factory=dict)
    window: tuple[float, float] | None = None    # first window, in rescaled units
    slope: float = 1.0
    intercept: float = 0.0
    inverted: bool = False                       # MONOCHROME1

    @property
    def colour(self) -> bool:
        return self.frames.ndim == 4

    def level(self, brightness: float, colour: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> np.ndarray:
        """Stored value(s) that display at ``brightness`` (0 black .. 1 white)."""
        if self.colour:
            return np.clip(np.asarray(colour, np.float32) * brightness * 255.0, 0, 255)
        d = 1.0 - brightness if self.inverted else brightness
        if self.window is None:
            return np.float32(self.lo + d * (self.hi - self.lo))
        center, width = self.window
        shown = center - width / 2 + d * width
        return np.float32(np.clip((shown - self.intercept) / self.slope, self.lo, self.hi))

    def cast(self, frames: np.ndarray | None = None) -> np.ndarray:
        """The frames as the integers that will be written."""
        frames = self.frames if frames is None else frames
        return np.clip(np.rint(frames), self.lo, self.hi).astype(self.dtype)


def _bits(stored_bits: int, signed: bool, allocated: int) -> dict[str, object]:
    return {"BitsAllocated": allocated, "BitsStored": stored_bits, "HighBit": stored_bits - 1,
            "PixelRepresentation": int(signed)}


def _percentile_window(values: np.ndarray) -> tuple[float, float]:
    lo, hi = np.percentile(values[::2, ::2], [1, 99.5])
    return float(round((lo + hi) / 2)), float(max(round(hi - lo), 2))


def to_stored(kind: Kind, base: np.ndarray, rng: np.random.Generator) -> Stored:
    """Convert ``(frames, rows, cols[, 3])`` base pixels into a kind's stored values."""
    if kind.colour or kind.bits == 8:
        values = base * 255.0
        attrs = _bits(8, False, 8)
        window = None
        if not kind.colour and rng.random() < 0.5:
            attrs.update(WindowCenter="128", WindowWidth="256")
        return Stored(values, np.dtype(np.uint8), 0, 255, attrs, window)
    if kind.family == "ct":
        center, width, name = CT_WINDOWS[int(rng.integers(0, len(CT_WINDOWS)))]
        if rng.random() < 0.5:
            intercept, lo, hi, attrs = -1024.0, -32768, 32767, _bits(16, True, 16)
        else:
            intercept, lo, hi, attrs = 0.0, -2048, 2047, _bits(12, True, 16)
        attrs.update(RescaleIntercept=f"{intercept:g}", RescaleSlope="1", RescaleType="HU")
        if rng.random() < 0.4:
            second = CT_WINDOWS[3] if name != "BONE" else CT_WINDOWS[0]
            attrs.update(WindowCenter=[f"{center}", f"{second[0]}"], WindowWidth=[f"{width}", f"{second[1]}"],
                         WindowCenterWidthExplanation=[name, second[2]])
        else:
            attrs.update(WindowCenter=f"{center}", WindowWidth=f"{width}")
        return Stored(base - intercept, np.dtype(np.int16), lo, hi, attrs, (center, width), 1.0, intercept)
    bits = 12 if kind.family == "mr" or rng.random() < 0.5 else 14
    top = 2 ** bits - 1
    inverted = kind.photometric == "MONOCHROME1"
    scale = top * rng.uniform(0.55, 0.95)
    values = (1.0 - base if inverted else base) * scale
    values += top * 0.02 if inverted else 0
    center, width = _percentile_window(values[0])
    attrs = _bits(bits, False, 16)
    attrs.update(WindowCenter=f"{center:g}", WindowWidth=f"{width:g}")
    if kind.family == "xr":
        attrs.update(RescaleIntercept="0", RescaleSlope="1", RescaleType="US")
    if kind.modality == "DX":  # the DX IOD requires it: INVERSE goes with MONOCHROME1
        attrs.update(PresentationLUTShape="INVERSE" if inverted else "IDENTITY")
    return Stored(values, np.dtype(np.uint16), 0, top, attrs, (center, width), inverted=inverted)
