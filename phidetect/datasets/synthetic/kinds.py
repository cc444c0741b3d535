"""The kinds of file the generator makes, one row each: modality, storage class,
photometric interpretation, bit depth, transfer syntax, frames.

Files cycle through the whole list (in a seed-dependent order), so any run of at
least ``len(KINDS)`` files holds every kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydicom import uid

EXPLICIT, IMPLICIT = uid.ExplicitVRLittleEndian, uid.ImplicitVRLittleEndian
RLE, JPEG = uid.RLELossless, uid.JPEGBaseline8Bit


@dataclass(frozen=True)
class Kind:
    """One recipe for a file."""

    name: str
    modality: str          # Modality (0008,0060)
    family: str            # which base pixels: ct, mr, xr, us, sc
    sop_class: str
    photometric: str       # as stored: MONOCHROME1/2, RGB, YBR_FULL, YBR_FULL_422
    bits: int              # BitsAllocated: 8 or 16
    transfer_syntax: str
    frames: tuple[int, int] = (1, 1)   # inclusive range of NumberOfFrames
    text_frames: str = "all"           # burned text on "all" frames or "some"

    @property
    def colour(self) -> bool:
        return self.photometric not in ("MONOCHROME1", "MONOCHROME2")

    @property
    def multiframe(self) -> bool:
        return self.frames[1] > 1


KINDS: tuple[Kind, ...] = (
    Kind("ct_explicit", "CT", "ct", uid.CTImageStorage, "MONOCHROME2", 16, EXPLICIT),
    Kind("ct_implicit", "CT", "ct", uid.CTImageStorage, "MONOCHROME2", 16, IMPLICIT),
    Kind("ct_rle", "CT", "ct", uid.CTImageStorage, "MONOCHROME2", 16, RLE),
    Kind("mr_explicit", "MR", "mr", uid.MRImageStorage, "MONOCHROME2", 16, EXPLICIT),
    Kind("mr_implicit", "MR", "mr", uid.MRImageStorage, "MONOCHROME2", 16, IMPLICIT),
    Kind("mr_rle", "MR", "mr", uid.MRImageStorage, "MONOCHROME2", 16, RLE),
    Kind("cr_mono1", "CR", "xr", uid.ComputedRadiographyImageStorage, "MONOCHROME1", 16, EXPLICIT),
    Kind("dx_mono2", "DX", "xr", uid.DigitalXRayImageStorageForPresentation, "MONOCHROME2", 16, IMPLICIT),
    Kind("dx_mono1_rle", "DX", "xr", uid.DigitalXRayImageStorageForPresentation, "MONOCHROME1", 16, RLE),
    Kind("us_rgb", "US", "us", uid.UltrasoundImageStorage, "RGB", 8, EXPLICIT),
    Kind("us_ybr_full", "US", "us", uid.UltrasoundImageStorage, "YBR_FULL", 8, EXPLICIT),
    Kind("us_cine", "US", "us", uid.UltrasoundMultiFrameImageStorage, "RGB", 8, EXPLICIT, (3, 8)),
    Kind("us_cine_jpeg", "US", "us", uid.UltrasoundMultiFrameImageStorage, "YBR_FULL_422", 8, JPEG, (3, 6)),
    Kind("us_jpeg", "US", "us", uid.UltrasoundImageStorage, "YBR_FULL_422", 8, JPEG),
    Kind("sc_rgb", "OT", "sc", uid.SecondaryCaptureImageStorage, "RGB", 8, EXPLICIT),
    Kind("sc_ybr_422", "OT", "sc", uid.SecondaryCaptureImageStorage, "YBR_FULL_422", 8, EXPLICIT),
    Kind("sc_mono_jpeg", "OT", "sc", uid.SecondaryCaptureImageStorage, "MONOCHROME2", 8, JPEG),
    Kind("sc_rgb_rle", "OT", "sc", uid.SecondaryCaptureImageStorage, "RGB", 8, RLE),
    Kind("sc_grey_cine", "OT", "sc", uid.MultiFrameGrayscaleByteSecondaryCaptureImageStorage,
         "MONOCHROME2", 8, IMPLICIT, (3, 6), "some"),
)


def kind_order(seed: int) -> list[Kind]:
    """The cycle of kinds for one seed: every kind once, shuffled by the seed."""
    order = np.random.default_rng([seed, 0x4B1D]).permutation(len(KINDS))
    return [KINDS[int(i)] for i in order]


def kind_for(seed: int, index: int) -> Kind:
    """The kind of file ``index`` (0-based) of a run with ``seed``."""
    order = kind_order(seed)
    return order[index % len(order)]
