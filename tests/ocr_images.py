"""Images and measures shared by the OCR tests: the Pseudo-PHI CT and CR samples
(ground-truth boxes), deid-data's ultrasounds, and synthetic lines drawn with OpenCV's
Hershey fonts and DejaVu (PIL) on dark, bright, noisy and anatomy-like backgrounds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.pixels import apply_modality_lut, apply_voi_lut
from rapidfuzz import fuzz

from phidetect.geometry import Box
from phidetect.ocr.engine import OcrLine

cv2 = pytest.importorskip("cv2", reason="the OCR extra is not installed: pip install -e '.[ocr]'")

SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"
PADDING = 25  # ground_truth.json boxes are in an image padded by 25 px on every side

# Synthetic strings: made up, so no name, institution or ID list knows them.
LINES = ("Velmora Quist 4821", "KX7 Brindle 09/14/1962", "Tarn 553-0192 Oskel")
FONTS = ("hershey", "hersheyd", "DejaVuSans.ttf", "DejaVuSansMono.ttf", "DejaVuSans-Bold.ttf")


def display(path: Path) -> np.ndarray:
    """A display image: 8-bit data as stored; anything else through the modality and VOI
    LUTs, then min..max to uint8 (MONOCHROME1 inverted)."""
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array
    if pixels.dtype == np.uint8:
        return pixels
    values = apply_voi_lut(apply_modality_lut(pixels, ds), ds).astype(np.float64)
    values = (values - values.min()) / max(1e-9, float(values.max() - values.min())) * 255.0
    if ds.PhotometricInterpretation == "MONOCHROME1":
        values = 255.0 - values
    return values.astype(np.uint8)


def ultrasound(name: str) -> np.ndarray:
    deid_data = pytest.importorskip("deid_data")
    return display(Path(deid_data.__file__).parent / "data" / "ultrasounds" / name)


def ground_truth(key: str) -> list[tuple[str, Box]]:
    """(label, box in the DICOM's own pixel grid) for one file of ground_truth.json."""
    truth = json.loads((SAMPLES / "ground_truth.json").read_text())[key]
    return [(b["label"], (b["left"] - PADDING, b["top"] - PADDING, b["width"], b["height"])) for b in truth]


def background(kind: str, h: int, w: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "dark":
        return np.full((h, w), 15, np.uint8)
    if kind == "bright":
        return np.full((h, w), 235, np.uint8)
    if kind == "noisy":
        return np.clip(rng.normal(70, 18, (h, w)), 0, 255).astype(np.uint8)
    if kind == "speckle":  # ultrasound-like Rayleigh speckle
        return np.clip(rng.rayleigh(35, (h, w)), 0, 255).astype(np.uint8)
    if kind == "anatomy":  # smooth structures, 60..210
        field = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 6)
        field = (field - field.min()) / (field.max() - field.min())
        return (60 + 150 * field).astype(np.uint8)
    raise ValueError(kind)


def dejavu(name: str, px: int):
    """A DejaVu font from PIL's font search, or skip."""
    image_font = pytest.importorskip("PIL.ImageFont")
    try:
        return image_font.truetype(name, px)
    except OSError:
        for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"):
            if (Path(folder) / name).is_file():
                return image_font.truetype(str(Path(folder) / name), px)
        pytest.skip(f"font {name} not installed")


def draw_line(text: str, px: int, kind: str, font: str, seed: int = 0) -> tuple[np.ndarray, Box]:
    """``text`` about ``px`` pixels tall on a ``kind`` background; the ink's box."""
    img = background(kind, 2 * px + 24, 24 + px * len(text), seed)
    color = 0 if kind == "bright" or (kind == "anatomy" and seed % 2) else 255
    if font.startswith("hershey"):
        face = cv2.FONT_HERSHEY_SIMPLEX if font == "hershey" else cv2.FONT_HERSHEY_DUPLEX
        scale = cv2.getFontScaleFromHeight(face, px, 1)
        (_, th), _ = cv2.getTextSize(text, face, scale, 1)
        cv2.putText(img, text, (12, 12 + th), face, scale, color, 1, cv2.LINE_AA)
    else:
        image_draw = pytest.importorskip("PIL.ImageDraw")
        from PIL import Image

        pil = Image.fromarray(img)
        image_draw.Draw(pil).text((12, 12), text, font=dejavu(font, px), fill=color)
        img = np.asarray(pil).copy()
    ink = np.abs(img.astype(int) - background(kind, *img.shape, seed).astype(int)) > 40
    ys, xs = np.nonzero(ink)
    return img, (int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))


def overlap(a: Box, b: Box) -> int:
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, ix) * max(0, iy)


def contained(box: Box, regions: list[Box], tolerance: int = 2) -> bool:
    x, y, w, h = box
    return any(rx <= x + tolerance and ry <= y + tolerance and rx + rw >= x + w - tolerance
               and ry + rh >= y + h - tolerance for rx, ry, rw, rh in regions)


def joined(lines: list[OcrLine]) -> str:
    return " ".join(line.text for line in lines)


def best_ratio(lines: list[OcrLine], expected: str) -> float:
    """Similarity of what was read to ``expected``: the whole reading or its best line."""
    candidates = [joined(lines)] + [line.text for line in lines]
    return max(fuzz.ratio(c, expected) for c in candidates)

