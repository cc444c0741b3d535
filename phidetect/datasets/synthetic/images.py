"""Base pixels before any text: real images from installed packages, or phantoms.

Real images come from pydicom's and pydicom-data's test files whose pixels hold no
burned-in text (checked by eye; deid-data is avoided because its images carry real
burned-in PHI that the truth table would not know about). Phantoms (ellipses with
noise) stand in when a package is missing and add variety.

Units: CT in Hounsfield units, everything else as display brightness 0..1
(grey ``(H, W)`` or colour ``(H, W, 3)``).
"""

from __future__ import annotations

import warnings
from functools import cache

import cv2
import numpy as np
import pydicom
from pydicom.pixels import apply_modality_lut

from phidetect.datasets.packaged import package_folder

#: family -> (package, file) whose pixels are free of burned-in text.
REAL_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "ct": (("data_store", "693_UNCI.dcm"), ("pydicom", "CT_small.dcm"), ("data_store", "eCT_Supplemental.dcm")),
    "mr": (("data_store", "MR-SIEMENS-DICOM-WithOverlays.dcm"), ("data_store", "MR2_UNCI.dcm"),
           ("data_store", "emri_small.dcm"), ("pydicom", "MR_small.dcm")),
    "xr": (("data_store", "RG1_UNCI.dcm"),),
    "us": (("data_store", "color-px.dcm"),),
}
_MAX_CACHED_SIDE = 640


@cache
def load_real(package: str, name: str) -> np.ndarray | None:
    """First frame of a packaged file in base units (HU for CT, else 0..1), at most
    640 px a side; None when the package or file is missing or does not decode."""
    folder = package_folder(package)
    if folder is None or not (folder / name).is_file():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(folder / name)
            arr = ds.pixel_array
    except Exception:  # a broken optional source must not stop generation
        return None
    if int(ds.get("NumberOfFrames", 1) or 1) > 1:
        arr = arr[0]
    photometric = str(ds.get("PhotometricInterpretation", "MONOCHROME2"))
    if ds.get("Modality") == "CT":
        out = apply_modality_lut(arr, ds).astype(np.float32)
    elif arr.ndim == 3:
        out = arr.astype(np.float32) / 255.0
    else:
        lo, hi = np.percentile(arr, [0.5, 99.5])
        out = np.clip((arr.astype(np.float32) - lo) / max(hi - lo, 1.0), 0.0, 1.0)
        if photometric == "MONOCHROME1":
            out = 1.0 - out
    scale = _MAX_CACHED_SIDE / max(out.shape[:2])
    if scale < 1:
        out = cv2.resize(out, (round(out.shape[1] * scale), round(out.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    out.setflags(write=False)
    return out


def fit_to(image: np.ndarray, rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """A random crop of ``image`` with the target's aspect ratio, resized to rows x cols."""
    h, w = image.shape[:2]
    aspect = cols / rows
    ch, cw = (h, int(h * aspect)) if w / h >= aspect else (int(w / aspect), w)
    zoom = rng.uniform(0.8, 1.0)
    ch, cw = max(8, int(ch * zoom)), max(8, int(cw * zoom))
    y0 = int(rng.integers(0, h - ch + 1))
    x0 = int(rng.integers(0, w - cw + 1))
    crop = np.ascontiguousarray(image[y0:y0 + ch, x0:x0 + cw])
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    method = cv2.INTER_AREA if ch > rows else cv2.INTER_CUBIC
    return cv2.resize(np.ascontiguousarray(crop), (cols, rows), interpolation=method)


def _grid(rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float32)
    return yy / (rows / 2) - 1, xx / (cols / 2) - 1


def _ellipse(yy, xx, cy, cx, ry, rx) -> np.ndarray:
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 < 1


def ct_phantom(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """A head or chest section in HU: air, soft tissue, bone, lungs, noise."""
    yy, xx = _grid(rows, cols)
    img = np.full((rows, cols), -1000.0, np.float32)
    cy, cx = rng.uniform(-0.05, 0.05, 2)
    if rng.random() < 0.5:  # head: skull ring around brain
        img[_ellipse(yy, xx, cy, cx, 0.85, 0.7)] = 900
        img[_ellipse(yy, xx, cy, cx, 0.78, 0.63)] = 35
        img[_ellipse(yy, xx, cy + 0.1, cx, 0.12, 0.08)] = 5   # ventricle
    else:  # chest: fat, soft tissue, two lungs, spine
        img[_ellipse(yy, xx, cy, cx, 0.65, 0.9)] = -90
        img[_ellipse(yy, xx, cy, cx, 0.6, 0.85)] = 40
        for side in (-1, 1):
            img[_ellipse(yy, xx, cy - 0.05, cx + side * 0.4, 0.4, 0.3)] = -850
        img[_ellipse(yy, xx, cy + 0.45, cx, 0.1, 0.1)] = 700
        img[_ellipse(yy, xx, cy - 0.05, cx + 0.05, 0.15, 0.12)] = 45  # heart
    img = cv2.GaussianBlur(img, (0, 0), 1.2)
    return img + rng.normal(0, 12, img.shape).astype(np.float32)


def blob_phantom(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """MR-like tissue: overlapping ellipses of random brightness, smoothed, with noise (0..1)."""
    yy, xx = _grid(rows, cols)
    img = np.zeros((rows, cols), np.float32)
    img[_ellipse(yy, xx, 0, 0, rng.uniform(0.7, 0.9), rng.uniform(0.6, 0.9))] = 0.4
    for _ in range(int(rng.integers(4, 9))):
        cy, cx = rng.uniform(-0.5, 0.5, 2)
        img[_ellipse(yy, xx, cy, cx, *rng.uniform(0.05, 0.3, 2))] = rng.uniform(0.1, 0.95)
    img = cv2.GaussianBlur(img, (0, 0), 2.0)
    return np.clip(img + np.abs(rng.normal(0, 0.03, img.shape)).astype(np.float32), 0, 1)


def xray_phantom(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """A chest radiograph as displayed (bone bright, air dark), 0..1."""
    yy, xx = _grid(rows, cols)
    img = np.full((rows, cols), 0.05, np.float32)
    img[_ellipse(yy, xx, 0.1, 0, 1.0, 0.85)] = 0.55
    for side in (-1, 1):
        img[_ellipse(yy, xx, -0.05, side * 0.38, 0.6, 0.3)] = 0.22
    img[np.abs(xx) < 0.07] = 0.75
    for k in range(6):  # ribs
        img[(np.abs(yy - (-0.5 + 0.17 * k) - 0.15 * xx ** 2) < 0.025) & (np.abs(xx) < 0.7)] += 0.15
    img = cv2.GaussianBlur(img, (0, 0), 3.0)
    return np.clip(img + rng.normal(0, 0.02, img.shape).astype(np.float32), 0, 1)


def us_phantom(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """A B-mode fan of speckle with dark cysts, sometimes with a Doppler blob (RGB 0..1)."""
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float32)
    apex_x, depth = cols / 2, rows * 0.95
    radius = np.hypot(yy + rows * 0.05, xx - apex_x)
    angle = np.arctan2(xx - apex_x, yy + rows * 0.05)
    fan = (radius < depth) & (radius > rows * 0.1) & (np.abs(angle) < 0.6)
    speckle = rng.rayleigh(0.25, (rows, cols)).astype(np.float32)
    speckle = cv2.GaussianBlur(speckle, (0, 0), 1.0) * (1.1 - radius / depth * 0.6)
    for _ in range(int(rng.integers(1, 4))):
        cy, cx = rng.uniform(0.3, 0.8) * rows, rng.uniform(0.35, 0.65) * cols
        speckle[((yy - cy) / (rows * 0.08)) ** 2 + ((xx - cx) / (cols * 0.06)) ** 2 < 1] *= 0.15
    grey = np.clip(np.where(fan, speckle, 0.0), 0, 1)
    rgb = np.repeat(grey[..., None], 3, axis=2)
    if rng.random() < 0.4:
        cy, cx = rng.uniform(0.3, 0.7) * rows, rng.uniform(0.4, 0.6) * cols
        blob = (((yy - cy) / (rows * 0.1)) ** 2 + ((xx - cx) / (cols * 0.03)) ** 2 < 1) & fan
        rgb[blob] = (0.9, 0.1, 0.05) if rng.random() < 0.5 else (0.1, 0.2, 0.95)
    return rgb


PHANTOMS = {"ct": ct_phantom, "mr": blob_phantom, "xr": xray_phantom, "us": us_phantom}


def family_image(family: str, rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """One base image of a family: a real packaged image two times in three, else a phantom."""
    sources = [load_real(p, n) for p, n in REAL_SOURCES.get(family, ())]
    sources = [s for s in sources if s is not None]
    choice = int(rng.integers(0, len(sources) + 1)) if sources and rng.random() < 0.67 else -1
    if 0 <= choice < len(sources):
        return fit_to(sources[choice], rows, cols, rng).astype(np.float32)
    return PHANTOMS[family](rows, cols, rng).astype(np.float32)


def screen_capture(rows: int, cols: int, colour: bool, rng: np.random.Generator) -> np.ndarray:
    """A secondary capture: a grey image pasted on a dark viewer canvas (RGB or grey, 0..1)."""
    family = ("ct", "mr", "xr")[int(rng.integers(0, 3))]
    inner_rows, inner_cols = int(rows * rng.uniform(0.55, 0.72)), int(cols * rng.uniform(0.55, 0.75))
    inner = family_image(family, inner_rows, inner_cols, rng)
    if family == "ct":
        inner = np.clip((inner + 160) / 400, 0, 1)
    canvas = np.full((rows, cols), rng.uniform(0.0, 0.12), np.float32)
    y0 = int(rng.integers(rows // 8, rows - inner_rows - rows // 10 + 1))
    x0 = int(rng.integers(cols // 10, cols - inner_cols - cols // 10 + 1))
    canvas[y0:y0 + inner_rows, x0:x0 + inner_cols] = inner
    if not colour:
        return canvas
    rgb = np.repeat(canvas[..., None], 3, axis=2)
    rgb[y0 - 2:y0, x0:x0 + inner_cols] = rng.uniform(0.3, 1.0, 3)  # a coloured frame edge
    return rgb


def base_frames(family: str, rows: int, cols: int, frames: int, colour: bool,
                rng: np.random.Generator) -> np.ndarray:
    """``(frames, rows, cols[, 3])`` base pixels; cine frames differ by fresh noise and a drift."""
    if family == "sc":
        image = screen_capture(rows, cols, colour, rng)
    else:
        image = family_image(family, rows, cols, rng)
        if colour and image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=2)
        if not colour and image.ndim == 3:
            image = image.mean(axis=2)
    out = np.empty((frames, *image.shape), np.float32)
    spread = 12.0 if family == "ct" else 0.03
    for f in range(frames):
        moved = np.roll(image, shift=2 * f, axis=0) if f else image
        noise = rng.normal(0, spread, image.shape[:2]).astype(np.float32) if f else 0.0
        out[f] = moved + (noise[..., None] if image.ndim == 3 and f else noise)
    if family != "ct":
        np.clip(out, 0, 1, out=out)
    return out
