"""Draw text lines into pixels and report each piece's exact box.

Every piece of a line (a label such as ``MRN: ``, a PHI value, a look-alike) is
rendered on its own into an alpha mask, so its box is the bounding box of the pixels
that mask actually changes: tight, and known without OCR. Fonts: DejaVu TrueType
through Pillow (Debian's copy, else matplotlib's) and OpenCV's Hershey faces.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from phidetect.datasets.synthetic.identity import fold_ascii

DEJAVU_NAMES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf",
                "DejaVuSerif.ttf", "DejaVuSansCondensed.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSerif-Bold.ttf")
HERSHEY = {"simplex": cv2.FONT_HERSHEY_SIMPLEX, "plain": cv2.FONT_HERSHEY_PLAIN, "duplex": cv2.FONT_HERSHEY_DUPLEX,
           "complex": cv2.FONT_HERSHEY_COMPLEX, "triplex": cv2.FONT_HERSHEY_TRIPLEX,
           "complex_small": cv2.FONT_HERSHEY_COMPLEX_SMALL}
MIN_SIZE, MAX_SIZE = 9, 32
#: Anti-aliasing fringe fainter than this is dropped, so every box pixel is visibly ink.
MIN_ALPHA = 0.15
_PAD = 8


def _matplotlib_fonts() -> Path | None:
    """matplotlib's bundled DejaVu folder, imported only when Debian's fonts are missing."""
    if Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        return None
    try:
        import matplotlib
    except ImportError:
        return None
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@lru_cache(maxsize=1)
def truetype_files() -> tuple[str, ...]:
    """DejaVu TTFs: Debian's fonts-dejavu, else matplotlib's bundled copies, else none."""
    for folder in (Path("/usr/share/fonts/truetype/dejavu"), _matplotlib_fonts()):
        found = tuple(str(folder / name) for name in DEJAVU_NAMES if folder and (folder / name).is_file())
        if found:
            return found
    return ()


@dataclass(frozen=True)
class Font:
    engine: str      # "pil" or "cv2"
    name: str        # TTF path, or a HERSHEY key
    size: int        # pixels: the em size for TrueType; Hershey capitals are made 0.72 of it
    thickness: int = 1
    antialias: bool = True

    @property
    def label(self) -> str:
        return f"{Path(self.name).stem if self.engine == 'pil' else 'hershey-' + self.name} {self.size}px"


@dataclass(frozen=True)
class Piece:
    """One run of text in a line. ``phi_type`` None: not PHI (label, marker, setting)."""

    text: str
    phi_type: str | None = None
    required: bool = True


@dataclass(frozen=True)
class Drawn:
    """A rendered piece placed in the image: box (x, y, width, height) and its ink."""

    piece: Piece
    text: str          # as drawn (Hershey fonts drop accents)
    x: int
    y: int
    width: int
    height: int
    alpha: np.ndarray  # (height, width) float32, 0..1


def pick_font(rng: np.random.Generator, rows: int) -> Font:
    """A font and size for one image: TrueType two times in three when available."""
    top = max(MIN_SIZE, min(MAX_SIZE, rows // 14))
    size = int(rng.integers(MIN_SIZE, top + 1))
    ttfs = truetype_files()
    if ttfs and rng.random() < 0.67:
        return Font("pil", ttfs[int(rng.integers(0, len(ttfs)))], size)
    faces = sorted(HERSHEY)
    thickness = 2 if size >= 20 and rng.random() < 0.5 else 1
    return Font("cv2", faces[int(rng.integers(0, len(faces)))], size, thickness, bool(rng.random() < 0.7))


@lru_cache(maxsize=64)
def _truetype(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _cv2_scale(font: Font) -> float:
    (_, cap), _ = cv2.getTextSize("H", HERSHEY[font.name], 1.0, font.thickness)
    return 0.72 * font.size / cap


def line_height(font: Font) -> int:
    """Ascent + descent of a line in this font."""
    if font.engine == "pil":
        ascent, descent = _truetype(font.name, font.size).getmetrics()
        return ascent + descent
    (_, cap), base = cv2.getTextSize("Hg", HERSHEY[font.name], _cv2_scale(font), font.thickness)
    return cap + base + font.thickness


def drawn_text(text: str, font: Font) -> str:
    """What the font can draw: Hershey faces know ASCII only."""
    return text if font.engine == "pil" else fold_ascii(text)


def render(text: str, font: Font) -> tuple[np.ndarray, int, int, int]:
    """(alpha crop, dx, dy, advance): the ink of ``text`` drawn with its line's top-left at
    (0, 0); the crop starts at (dx, dy); the pen then moves ``advance`` pixels right."""
    if font.engine == "pil":
        face = _truetype(font.name, font.size)
        advance = math.ceil(face.getlength(text))
        ascent, descent = face.getmetrics()
        canvas = Image.new("L", (advance + 2 * _PAD + font.size, ascent + descent + 2 * _PAD), 0)
        ImageDraw.Draw(canvas).text((_PAD, _PAD), text, font=face, fill=255)
        ink = np.asarray(canvas, np.float32) / 255.0
    else:
        face, scale = HERSHEY[font.name], _cv2_scale(font)
        (width, cap), base = cv2.getTextSize(text, face, scale, font.thickness)
        advance = width
        (_, top), _ = cv2.getTextSize("Hg", face, scale, font.thickness)
        canvas = np.zeros((top + base + 2 * _PAD + 2 * font.thickness, width + 2 * _PAD + 2 * font.thickness), np.uint8)
        line = cv2.LINE_AA if font.antialias else cv2.LINE_8
        cv2.putText(canvas, text, (_PAD, _PAD + top), face, scale, 255, font.thickness, line)
        ink = canvas.astype(np.float32) / 255.0
    ink[ink < MIN_ALPHA] = 0.0
    ys, xs = np.nonzero(ink)
    if not len(ys):
        return np.zeros((0, 0), np.float32), 0, 0, advance
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    return np.ascontiguousarray(ink[y0:y1, x0:x1]), int(x0) - _PAD, int(y0) - _PAD, advance


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


#: Where a region's lines start and which way they stack.
TOP_REGIONS, BOTTOM_REGIONS = ("tl", "tr", "top"), ("bl", "br", "bottom")


def layout(lines: list[tuple[str, list[Piece]]], shape: tuple[int, int], font: Font,
           margin: int) -> list[Drawn]:
    """Place lines by region (tl, tr, top, bl, br, bottom, ml, mr). A line that would
    leave the image or touch another line is dropped whole, so no box is ever cut."""
    rows, cols = shape
    height, gap = line_height(font), max(2, font.size // 4)
    cursor = {r: margin for r in TOP_REGIONS} | {r: rows - margin - height for r in BOTTOM_REGIONS}
    cursor |= {"ml": rows // 2 - height // 2, "mr": rows // 2 - height // 2}
    taken: list[tuple[int, int, int, int]] = []
    placed: list[Drawn] = []
    for region, pieces in lines:
        rendered = [(p, drawn_text(p.text, font)) for p in pieces]
        inks = [render(text, font) for _, text in rendered]
        width = sum(advance for *_, advance in inks)
        y = cursor[region]
        x = {"tl": margin, "bl": margin, "ml": margin, "tr": cols - margin - width, "br": cols - margin - width,
             "mr": cols - margin - width}.get(region, (cols - width) // 2)
        boxes, pen = [], x
        for (piece, text), (alpha, dx, dy, advance) in zip(rendered, inks, strict=True):
            if alpha.size:
                boxes.append(Drawn(piece, text, pen + dx, y + dy, alpha.shape[1], alpha.shape[0], alpha))
            pen += advance
        if not boxes:
            continue
        extent = (min(b.x for b in boxes) - 1, min(b.y for b in boxes) - 1,
                  max(b.x + b.width for b in boxes) + 1, max(b.y + b.height for b in boxes) + 1)
        inside = extent[0] >= 0 and extent[1] >= 0 and extent[2] <= cols and extent[3] <= rows
        # top lines stay in the upper part and bottom lines in the lower, so bands never meet
        inside &= not (region in TOP_REGIONS and extent[3] > rows * 0.45)
        inside &= not (region in BOTTOM_REGIONS and extent[1] < rows * 0.55)
        apart = (extent[0] - font.size, extent[1], extent[2] + font.size, extent[3])  # lines stay apart
        if not inside or any(_overlaps(apart, other) for other in taken):
            continue
        taken.append(extent)
        placed += boxes
        step = height + gap
        cursor[region] = y + step if region in TOP_REGIONS else y - step
    return placed


def band_rows(placed: list[Drawn], rows: int, margin: int) -> list[tuple[int, int]]:
    """Row ranges of a solid band behind the top lines and behind the bottom lines."""
    upper = [d.y + d.height for d in placed if d.y + d.height <= rows // 2]
    lower = [d.y for d in placed if d.y > rows // 2]
    bands = []
    if upper:
        bands.append((0, min(rows, max(upper) + margin // 2 + 1)))
    if lower:
        bands.append((max(0, min(lower) - margin // 2 - 1), rows))
    return bands


def apply(frames: np.ndarray, placed: list[Drawn], value: np.ndarray, which: list[int]) -> None:
    """Blend ``value`` into ``frames`` (in place) through each piece's alpha, on frames ``which``."""
    for index in which:
        frame = frames[index]
        for d in placed:
            region = frame[d.y:d.y + d.height, d.x:d.x + d.width]
            alpha = d.alpha[..., None] if region.ndim == 3 else d.alpha
            region[...] = region * (1.0 - alpha) + value * alpha
