"""Plausible acquisition elements per modality (vendor, kVp, spacing, MR timing...).

None of these is PHI; they make the files look like what scanners write, and give a
detector realistic non-PHI text and numbers to stay quiet on.
"""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset

from phidetect.datasets.synthetic.kinds import Kind
from phidetect.datasets.synthetic.lookalikes import VENDORS


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(0, len(options)))]


def _ds(value: float) -> str:
    """A DS string within 16 characters."""
    return f"{value:.6g}"


def pick_vendor(modality: str, rng: np.random.Generator) -> tuple[str, str]:
    """(Manufacturer, ManufacturerModelName) from real vendors of the modality."""
    vendors = VENDORS[modality if modality in VENDORS else "OT"]
    maker = _pick(rng, sorted(vendors))
    return maker, _pick(rng, vendors[maker])


def add_technical(ds: Dataset, kind: Kind, rows: int, cols: int, rng: np.random.Generator) -> None:
    """The modality's acquisition elements; geometry follows the image size."""
    ds.SoftwareVersions = _pick(rng, ("VE11C", "syngo CT VA48A", "DV26.0_R03", "5.1.1", "R5.6.1", "V10.2"))
    if kind.family == "ct":
        fov = float(rng.uniform(220, 480))
        spacing = fov / cols
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.BodyPartExamined = _pick(rng, ("HEAD", "CHEST", "ABDOMEN"))
        ds.SliceThickness = _pick(rng, ("0.625", "1.25", "2.5", "5"))
        ds.KVP = _pick(rng, ("80", "100", "120", "140"))
        ds.XRayTubeCurrent = int(rng.integers(80, 500))
        ds.ExposureTime = int(rng.integers(500, 1500))
        ds.ConvolutionKernel = _pick(rng, ("STANDARD", "BONE", "B30f", "FC13", "LUNG"))
        ds.ReconstructionDiameter = _ds(fov)
        ds.GantryDetectorTilt = "0"
        ds.PatientPosition = "HFS"
        ds.PixelSpacing = [_ds(spacing), _ds(spacing)]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        z = float(rng.uniform(-300, 100))
        ds.ImagePositionPatient = [_ds(-fov / 2), _ds(-fov / 2), _ds(z)]
        ds.SliceLocation = _ds(z)
    elif kind.family == "mr":
        fov = float(rng.uniform(180, 400))
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND"]
        ds.BodyPartExamined = _pick(rng, ("BRAIN", "KNEE", "LSPINE", "SHOULDER", "PELVIS"))
        ds.ScanningSequence = _pick(rng, ("SE", "GR", "IR"))
        ds.SequenceVariant = _pick(rng, ("SK", "SP", "NONE"))
        ds.MRAcquisitionType = _pick(rng, ("2D", "3D"))
        ds.MagneticFieldStrength = _pick(rng, ("1.5", "3"))
        ds.RepetitionTime = _ds(float(rng.uniform(400, 9000)))
        ds.EchoTime = _ds(float(rng.uniform(8, 120)))
        ds.FlipAngle = _pick(rng, ("90", "150", "15", "10"))
        ds.EchoTrainLength = int(rng.integers(1, 25))
        ds.ImagingFrequency = "63.6" if ds.MagneticFieldStrength == "1.5" else "123.2"
        ds.ImagedNucleus = "1H"
        ds.SliceThickness = _pick(rng, ("3", "4", "5"))
        ds.PatientPosition = "HFS"
        ds.PixelSpacing = [_ds(fov / rows), _ds(fov / cols)]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.ImagePositionPatient = [_ds(-fov / 2), _ds(-fov / 2), _ds(float(rng.uniform(-80, 80)))]
    elif kind.family == "xr":
        spacing = float(rng.uniform(0.14, 0.2)) * 1760 / max(rows, cols)
        ds.ImageType = ["ORIGINAL", "PRIMARY"]
        ds.BodyPartExamined = _pick(rng, ("CHEST", "HAND", "KNEE", "PELVIS", "FOOT"))
        ds.ViewPosition = _pick(rng, ("PA", "AP", "LL"))
        ds.KVP = _pick(rng, ("60", "70", "85", "110", "125"))
        ds.ExposureTime = int(rng.integers(5, 40))
        ds.XRayTubeCurrent = int(rng.integers(100, 500))
        ds.DistanceSourceToDetector = _pick(rng, ("1000", "1800"))
        ds.ImagerPixelSpacing = [_ds(spacing), _ds(spacing)]
        ds.PatientOrientation = ["L", "F"]
        if kind.modality == "DX":
            ds.PresentationIntentType = "FOR PRESENTATION"
            ds.DetectorType = _pick(rng, ("SCINTILLATOR", "DIRECT"))
            ds.PixelSpacing = [_ds(spacing), _ds(spacing)]
    elif kind.family == "us":
        ds.ImageType = ["ORIGINAL", "PRIMARY", "ABDOMINAL", "0001"]
        ds.PatientOrientation = ""
        ds.TransducerType = _pick(rng, ("CURVED LINEAR", "SECTOR_PHASED", "LINEAR"))
        if kind.multiframe:
            rate = int(rng.integers(15, 40))
            ds.FrameTime = _ds(1000 / rate)
            ds.CineRate = rate
            ds.RecommendedDisplayFrameRate = rate
            ds.FrameIncrementPointer = 0x00181063  # FrameTime
    else:
        ds.ImageType = ["DERIVED", "SECONDARY"]
        ds.ConversionType = "WSD"
        ds.SecondaryCaptureDeviceManufacturer = ds.get("Manufacturer", "")
        ds.SecondaryCaptureDeviceManufacturerModelName = ds.get("ManufacturerModelName", "")
        ds.PatientOrientation = ""
        if kind.multiframe:
            ds.FrameTime = "100"
            ds.FrameIncrementPointer = 0x00181063
