"""Tesseract through pytesseract: lighter than easyocr (no torch, no GPU), a little
weaker on small overlay text. Tesseract's LSTM reads best with dark text on a light
background and capitals some 20-30 px tall, so each region is upscaled and, when its
background is dark, inverted before reading; all regions of a frame go to one tesseract
process (starting one costs ~0.1 s). Word boxes and confidences come straight from
``image_to_data``.
"""

from __future__ import annotations

import shutil
from typing import Any

import cv2
import numpy as np

from phidetect.geometry import Box, union_box
from phidetect.ocr.engine import EngineCapability, OcrLine, OcrUnavailable, OcrWord
from phidetect.ocr.parameters import TesseractParameters
from phidetect.ocr.textness import to_gray


class TesseractEngine:
    """The tesseract binary behind the OcrEngine interface. ``tesseract_cmd``: the binary
    (default: ``tesseract`` on PATH); ``lang``: traineddata to use; ``params``: how
    regions are shown to it. It boxes words itself but finds no text regions on its own
    (its whole-frame layout analysis reads; it does not hand back line boxes to read)."""

    name = "tesseract"
    capabilities = frozenset({EngineCapability.WORD_BOXES})

    def __init__(self, tesseract_cmd: str | None = None, lang: str = "eng",
                 params: TesseractParameters | None = None) -> None:
        self.tesseract_cmd = tesseract_cmd
        self.lang = lang
        self.params = params if params is not None else TesseractParameters()
        self._pytesseract: Any = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings only (the bound pytesseract module is looked up again)."""
        return {**self.__dict__, "_pytesseract": None}

    def check(self) -> None:
        """Raise OcrUnavailable unless pytesseract and a working tesseract binary are here."""
        _ = self.pytesseract

    @property
    def pytesseract(self) -> Any:
        """pytesseract bound to a working binary (checked once; raises OcrUnavailable)."""
        if self._pytesseract is None:
            try:
                import pytesseract
            except ImportError as exc:
                raise OcrUnavailable(f"pytesseract is not installed ({exc}): pip install 'phidetect[ocr]'") from exc
            cmd = self.tesseract_cmd or pytesseract.pytesseract.tesseract_cmd or "tesseract"
            if shutil.which(cmd) is None:
                raise OcrUnavailable(f"the tesseract binary ({cmd}) was not found: install it "
                                     "(Debian/Ubuntu: apt-get install tesseract-ocr; macOS: brew install tesseract) "
                                     "or pass tesseract_cmd")
            pytesseract.pytesseract.tesseract_cmd = cmd
            try:
                pytesseract.get_tesseract_version()
            except Exception as exc:  # noqa: BLE001 - any failure means the binary is unusable
                raise OcrUnavailable(f"the tesseract binary ({cmd}) does not run: {exc}") from exc
            self._pytesseract = pytesseract
        return self._pytesseract

    def read(self, image: np.ndarray, boxes: list[Box] | None = None) -> list[OcrLine]:
        """Lines of the whole frame (sparse-text layout analysis, small frames doubled) or,
        with ``boxes``, of just those regions."""
        tess = self.pytesseract
        gray = to_gray(image)
        if gray.size == 0:
            return []
        h, w = gray.shape
        if boxes is None:
            scale = 2.0 if max(h, w) < self.params.small_frame else 1.0
            return self._read_region(tess, gray, (0, 0, w, h), scale, psm=self.params.whole_frame_psm)
        regions = []
        for x, y, bw, bh in boxes:
            x0, y0 = max(0, x), max(0, y)
            x1, y1 = min(w, x + bw), min(h, y + bh)
            if x1 - x0 >= 2 and y1 - y0 >= 2:
                regions.append((x0, y0, x1 - x0, y1 - y0))
        return sorted(self._read_stacked(tess, gray, regions), key=lambda ln: (ln.y, ln.x)) if regions else []

    def _read_stacked(self, tess: Any, gray: np.ndarray, regions: list[Box]) -> list[OcrLine]:
        """All regions in one tesseract call (a process start costs ~0.1 s): each region,
        scaled and made dark-on-light, gets its own row of a white canvas; words map
        back to their region by the row their centre falls in."""
        p = self.params
        gap = p.row_gap
        rows, bands = [], []
        top = gap
        for x, y, w, h in regions:
            crop = gray[y:y + h, x:x + w]
            if _dark_background(crop, p):
                crop = 255 - crop
            crop = _drop_edge_fragments(crop, p)
            scale = float(np.clip(p.target_line_height / h, 1.0, p.max_scale))
            if scale != 1.0:
                crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
            rows.append((top, crop))
            bands.append((top, top + crop.shape[0], scale))
            top += crop.shape[0] + gap
        width = max(c.shape[1] for _, c in rows) + 2 * gap
        canvas = np.full((top, width), 255, np.uint8)
        for row_top, crop in rows:
            patch = crop.astype(np.float32)
            # stretch each crop so its own background is white: regions differ in level
            lo, hi = (float(np.percentile(patch, q)) for q in p.stretch_percentiles)
            if hi > lo:
                patch = np.clip((patch - lo) * (255.0 / (hi - lo)), 0, 255)
            canvas[row_top:row_top + crop.shape[0], gap:gap + crop.shape[1]] = patch.astype(np.uint8)
        data = tess.image_to_data(canvas, lang=self.lang, config=f"--psm {p.regions_psm}",
                                  output_type=tess.Output.DICT)
        per_region: dict[tuple[int, int, int, int], list[OcrWord]] = {}
        for i, text in enumerate(data["text"]):
            text = str(text).strip()
            conf = float(data["conf"][i])
            if not text or conf < 0:
                continue
            left, wtop = int(data["left"][i]), int(data["top"][i])
            ww, wh = int(data["width"][i]), int(data["height"][i])
            centre = wtop + wh / 2
            k = next((j for j, (b0, b1, _) in enumerate(bands) if b0 - gap / 2 <= centre < b1 + gap / 2), None)
            if k is None:
                continue
            b0, _, scale = bands[k]
            rx, ry, rw, rh = regions[k]
            word = _word(text, conf, rx + (left - gap) / scale, ry + (wtop - b0) / scale, ww / scale, wh / scale,
                         regions[k])
            line_key = (k, int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
            per_region.setdefault(line_key, []).append(word)
        return [_line(words) for words in per_region.values()]

    def _read_region(self, tess: Any, gray: np.ndarray, box: Box, scale: float, psm: int) -> list[OcrLine]:
        """One region (the whole frame) in one call, lines grouped by tesseract's layout."""
        x, y, w, h = box
        border = self.params.border
        crop = gray[y:y + h, x:x + w]
        if _dark_background(crop, self.params):
            crop = 255 - crop
        if scale != 1.0:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        crop = cv2.copyMakeBorder(crop, border, border, border, border, cv2.BORDER_REPLICATE)
        data = tess.image_to_data(crop, lang=self.lang, config=f"--psm {psm}", output_type=tess.Output.DICT)
        groups: dict[tuple[int, int, int], list[OcrWord]] = {}
        for i, text in enumerate(data["text"]):
            text = str(text).strip()
            conf = float(data["conf"][i])
            if not text or conf < 0:
                continue
            word = _word(text, conf, x + (int(data["left"][i]) - border) / scale,
                         y + (int(data["top"][i]) - border) / scale,
                         int(data["width"][i]) / scale, int(data["height"][i]) / scale, box)
            key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
            groups.setdefault(key, []).append(word)
        return [_line(words) for words in groups.values()]


def _word(text: str, conf: float, wx: float, wy: float, ww: float, wh: float, clip: Box) -> OcrWord:
    """A word in frame pixels, clipped to the region it was read from; conf 0..100 -> 0..1."""
    x, y, w, h = clip
    x0, y0 = max(x, int(np.floor(wx))), max(y, int(np.floor(wy)))
    x1, y1 = min(x + w, int(np.ceil(wx + ww))), min(y + h, int(np.ceil(wy + wh)))
    return OcrWord(text, x0, y0, max(1, x1 - x0), max(1, y1 - y0), round(conf / 100.0, 4))


def _line(words: list[OcrWord]) -> OcrLine:
    """Words of one line, left to right, as an OcrLine (confidence: the words' mean)."""
    words = sorted(words, key=lambda wd: wd.x)
    lx, ly, lw, lh = union_box([(wd.x, wd.y, wd.width, wd.height) for wd in words])
    conf = float(np.mean([wd.confidence for wd in words]))
    return OcrLine(" ".join(wd.text for wd in words), lx, ly, lw, lh, conf, tuple(words))


def _drop_edge_fragments(crop: np.ndarray, p: TesseractParameters) -> np.ndarray:
    """Paint out ink touching the crop's top or bottom edge that is short: descenders and
    ascenders of the neighbouring lines, which tesseract would read as a line of junk.
    ``crop`` is dark text on a light background."""
    if crop.shape[0] < p.fragment_min_height:
        return crop
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h = crop.shape[0]
    out = crop
    for i in range(1, count):
        top, height = stats[i, 1], stats[i, 3]
        if (top == 0 or top + height >= h) and height < p.fragment_share * h:
            if out is crop:
                out = crop.copy()
            out[labels == i] = int(np.median(crop[ink == 0])) if np.any(ink == 0) else 255
    return out


def _dark_background(crop: np.ndarray, p: TesseractParameters) -> bool:
    """Whether the crop is light text on a dark background (judged by its border)."""
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    return float(np.median(border)) < p.dark_below
