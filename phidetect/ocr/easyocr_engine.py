"""easyocr (CRAFT detector + CRNN recogniser) behind the OcrEngine interface.

Reads either given regions (recogniser only: several times faster) or whole frames with
easyocr's own detector, and can find text lines itself (``detect``). Weights are found
and md5-checked in ``easyocr_weights`` before anything is loaded; word boxes come from
the pixels (``word_boxes``), since the recogniser reads whole lines.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import cv2
import numpy as np

from phidetect.geometry import Box, union_box
from phidetect.ocr.devices import Device, DeviceUnavailable, resolve
from phidetect.ocr.easyocr_weights import (
    DETECTOR_FILE,
    ENV_VAR,
    HOW_TO_GET,
    RECOGNISER_FILE,
    candidate_dirs,
    expected_md5,
    file_md5,
    find_weights,
    load_reader,
    quiet,
    verify_weights,
)
from phidetect.ocr.engine import EngineCapability, OcrLine, OcrUnavailable
from phidetect.ocr.parameters import EasyOcrParameters
from phidetect.ocr.textness import to_gray
from phidetect.ocr.word_boxes import word_boxes

# the weights names are re-exported: callers and tests know them from here
__all__ = ["DETECTOR_FILE", "ENV_VAR", "HOW_TO_GET", "READTEXT_DEFAULTS", "RECOGNISER_FILE", "EasyOcrEngine",
           "candidate_dirs", "expected_md5", "file_md5", "find_weights", "verify_weights", "word_boxes"]

#: easyocr.readtext settings for overlay text when easyocr's own detector reads a whole
#: frame. Measured on deid-data's 1024x768 ultrasounds (12-20 px text; 26/29 and 28/29
#: known tokens read, against 24/29 and 28/29 with easyocr's defaults, same time) and on
#: synthetic 9-12 px lines: ``min_size`` 8 keeps short tokens ("M", "RS") that the
#: default 20 drops; ``low_text`` 0.3 and ``text_threshold`` 0.6 keep thin small glyphs;
#: ``width_ths`` 0.7 joins the words of one field into a line. ``mag_ratio`` stays 1: 1.5
#: or 2 read no more (synthetic 9-12 px: 97-98 % similarity either way) at 1.5-2x the
#: CPU time.
READTEXT_DEFAULTS: dict[str, Any] = {
    "min_size": 8, "low_text": 0.3, "text_threshold": 0.6,
    "width_ths": 0.7, "add_margin": 0.1,
}
_DETECT_KEYS = {"min_size", "text_threshold", "low_text", "link_threshold", "canvas_size", "mag_ratio",
                "slope_ths", "ycenter_ths", "height_ths", "width_ths", "add_margin"}
_RECOGNISE_KEYS = {"decoder", "beamWidth", "batch_size", "allowlist", "blocklist", "contrast_ths",
                   "adjust_contrast", "filter_ths"}


class EasyOcrEngine:
    """easyocr behind the OcrEngine interface. ``model_dir``: weights folder tried first;
    ``gpu``: None uses CUDA when torch sees it; ``params``: how regions are prepared;
    ``readtext_options`` override READTEXT_DEFAULTS for full-frame reads."""

    name = "easyocr"
    capabilities = frozenset({EngineCapability.DETECT_REGIONS, EngineCapability.GPU})

    def __init__(self, model_dir: str | os.PathLike | None = None, gpu: bool | None = None,
                 params: EasyOcrParameters | None = None, **readtext_options: Any) -> None:
        unknown = set(readtext_options) - _DETECT_KEYS - _RECOGNISE_KEYS
        if unknown:
            raise TypeError(f"unknown easyocr options {sorted(unknown)}; known: {sorted(_DETECT_KEYS | _RECOGNISE_KEYS)}")
        self.model_dir = model_dir
        self.gpu = gpu
        self.params = params if params is not None else EasyOcrParameters()
        self.readtext_options = {**READTEXT_DEFAULTS, **readtext_options}
        self._reader: Any = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings only: a worker process builds (and caches) its own Reader."""
        return {**self.__dict__, "_reader": None}

    def check(self) -> None:
        """Raise OcrUnavailable unless this engine can load here: weights found and
        md5-checked, easyocr installed, a GPU asked for (``gpu`` True) seen by torch. The model
        is not loaded: a parent process checks before any file, its workers load it."""
        find_weights(self.model_dir)  # reads easyocr's catalogue: no easyocr package, no weights
        if importlib.util.find_spec("torch") is None:
            raise OcrUnavailable("easyocr needs torch, which is not installed: pip install 'phidetect[ocr]'")
        if self.gpu:
            self._use_gpu()

    @property
    def reader(self) -> Any:
        """The shared easyocr.Reader (built on first use, weights md5-checked first;
        raises OcrUnavailable)."""
        if self._reader is None:
            from phidetect.pool import limit_threads

            self._reader = load_reader(self.model_dir, self._use_gpu)
            limit_threads()  # a worker's share of the cores, now torch is loaded
        return self._reader

    def _use_gpu(self) -> bool:
        """True to load the model on the GPU: ``gpu`` None (auto) when torch sees one, True
        always (an error where there is none), False never."""
        device = Device.AUTO if self.gpu is None else Device.CUDA if self.gpu else Device.CPU
        try:
            return resolve(device) is Device.CUDA
        except DeviceUnavailable as exc:
            raise OcrUnavailable(str(exc)) from exc

    def _pad(self, gray: np.ndarray) -> tuple[np.ndarray, int]:
        """The frame with ``edge_pad`` pixels of its edge level around it, and that level."""
        level = _edge_level(gray)
        pad = self.params.edge_pad
        return cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=level), level

    def read(self, image: np.ndarray, boxes: list[Box] | None = None) -> list[OcrLine]:
        """Lines read from the whole frame (easyocr's CRAFT detector) or, with ``boxes``,
        from just those regions (recogniser only: several times faster)."""
        reader = self.reader
        gray = to_gray(image)
        if gray.size == 0:
            return []
        p = self.params
        h, w = gray.shape
        padded, level = self._pad(gray)
        with quiet():
            if boxes is not None:
                hlist = _padded_boxes([b for b in boxes if b[3] <= p.max_one_line_height], w, h, p.edge_pad)
                for box in _padded_boxes([b for b in boxes if b[3] > p.max_one_line_height], w, h, p.edge_pad):
                    hlist += _lines_inside(reader, padded, box, p)
                if not hlist:
                    return []
                batch = p.gpu_batch if reader.device != "cpu" else 1
                raw = reader.recognize(padded, horizontal_list=hlist, free_list=[], batch_size=batch,
                                       paragraph=False, detail=1)
            else:
                options = self.readtext_options
                hl, fl = reader.detect(_detector_input(image, padded, level, p.edge_pad),
                                       **{k: v for k, v in options.items() if k in _DETECT_KEYS})
                raw = reader.recognize(padded, horizontal_list=hl[0], free_list=fl[0], paragraph=False, detail=1,
                                       **{k: v for k, v in options.items() if k in _RECOGNISE_KEYS})
        raw = [([[px - p.edge_pad, py - p.edge_pad] for px, py in quad], text, conf) for quad, text, conf in raw]
        lines = [_to_line(gray, quad, text, conf, p) for quad, text, conf in raw]
        return sorted((ln for ln in lines if ln is not None), key=lambda ln: (ln.y, ln.x))

    def detect(self, image: np.ndarray) -> list[Box]:
        """Boxes (x, y, w, h) of the text lines easyocr's CRAFT detector finds in the whole
        frame, without reading them: a second opinion beside the classical text regions for
        text those miss (over anatomy, thin strokes)."""
        gray = to_gray(image)
        if gray.size == 0:
            return []
        pad = self.params.edge_pad
        padded, level = self._pad(gray)
        options = {k: v for k, v in self.readtext_options.items() if k in _DETECT_KEYS}
        with quiet():
            horizontal, _ = self.reader.detect(_detector_input(image, padded, level, pad), **options)
        h, w = gray.shape
        boxes = []
        for x0, x1, y0, y1 in horizontal[0]:
            x0, y0 = max(0, x0 - pad), max(0, y0 - pad)
            x1, y1 = min(w, x1 - pad), min(h, y1 - pad)
            if x1 > x0 and y1 > y0:
                boxes.append((int(x0), int(y0), int(x1 - x0), int(y1 - y0)))
        return boxes


def _detector_input(image: np.ndarray, padded_gray: np.ndarray, level: int, pad: int) -> np.ndarray:
    """What CRAFT looks at: the frame in colour when it is 8-bit RGB (coloured text on a
    coloured band can vanish in grey), padded like ``padded_gray``; else the grey one."""
    if image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8:
        return cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(level, level, level))
    return padded_gray


def _lines_inside(reader: Any, padded: np.ndarray, box: list[int], p: EasyOcrParameters) -> list[list[int]]:
    """Line boxes [x0, x1, y0, y1] (padded-frame coordinates) that CRAFT finds inside ``box``;
    the box itself when it finds none. Small crops are magnified so 6-10 px text is seen,
    once a search at the crop's own scale (a quarter of the cost) has found any line: a
    crop with none there is anatomy the region finder took for text (see
    EasyOcrParameters.screen_unmagnified)."""
    x0, x1, y0, y1 = box
    crop = padded[y0:y1, x0:x1]
    if min(crop.shape[:2]) < p.split_min_crop:
        return [box]
    magnify = p.magnify if max(crop.shape[:2]) < p.magnify_below else 1.0
    if magnify > 1.0 and p.screen_unmagnified and not _crop_lines(reader, crop, 1.0, p):
        return [box]
    found = [[hx0 + x0, hx1 + x0, hy0 + y0, hy1 + y0] for hx0, hx1, hy0, hy1 in _crop_lines(reader, crop, magnify, p)]
    return [[max(x0, a), min(x1, b), max(y0, c), min(y1, d)] for a, b, c, d in found] or [box]


def _crop_lines(reader: Any, crop: np.ndarray, magnify: float, p: EasyOcrParameters) -> list[list[int]]:
    """CRAFT's horizontal line boxes [x0, x1, y0, y1] in ``crop`` searched at ``magnify``."""
    horizontal, _ = reader.detect(crop, min_size=p.split_min_size, mag_ratio=magnify,
                                  canvas_size=p.split_canvas_size, width_ths=p.split_width_ths)
    return horizontal[0]


def _edge_level(gray: np.ndarray) -> int:
    """The grey level around the frame's edge: the colour of the pad added beyond it."""
    edge = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return int(np.median(edge))


def _padded_boxes(boxes: list[Box], w: int, h: int, pad: int) -> list[list[int]]:
    """easyocr horizontal_list entries [x_min, x_max, y_min, y_max] in the frame padded
    by ``pad``: boxes are clipped to the frame, and a side on the frame's edge extends
    into the pad (text cut by the edge is read far better with background beyond it)."""
    out = []
    for x, y, bw, bh in boxes:
        x0, x1 = max(0, x), min(w, x + bw)
        y0, y1 = max(0, y), min(h, y + bh)
        if x1 <= x0 or y1 <= y0:
            continue
        x0 = 0 if x0 == 0 else x0 + pad
        y0 = 0 if y0 == 0 else y0 + pad
        x1 = x1 + 2 * pad if x1 == w else x1 + pad
        y1 = y1 + 2 * pad if y1 == h else y1 + pad
        out.append([x0, x1, y0, y1])
    return out


def _to_line(gray: np.ndarray, quad: Any, text: str, confidence: float, p: EasyOcrParameters) -> OcrLine | None:
    """An easyocr result (quadrilateral, text, confidence) as an OcrLine on the
    quadrilateral's bounding rectangle, with word boxes estimated from the pixels."""
    raw = str(text).strip()
    text = " ".join(raw.split())
    if not text:
        return None
    xs = [float(pt[0]) for pt in quad]
    ys = [float(pt[1]) for pt in quad]
    h, w = gray.shape
    x0, x1 = max(0, int(np.floor(min(xs)))), min(w, int(np.ceil(max(xs))))
    y0, y1 = max(0, int(np.floor(min(ys)))), min(h, int(np.ceil(max(ys))))
    if x1 <= x0 or y1 <= y0:
        return None
    conf = float(max(0.0, min(1.0, confidence)))
    words = word_boxes(gray, (x0, y0, x1 - x0, y1 - y0), raw, conf, p.words)
    lx, ly, lw, lh = union_box([(wd.x, wd.y, wd.width, wd.height) for wd in words]) if words else \
        (x0, y0, x1 - x0, y1 - y0)
    return OcrLine(text, lx, ly, lw, lh, conf, words)
