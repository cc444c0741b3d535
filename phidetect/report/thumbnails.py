"""Small PNG pictures of each image with its finding boxes, as data URIs.

Pillow, not matplotlib: a report of a few hundred files draws a few hundred pictures, and
ImageDraw on an already-shrunk image takes milliseconds. The PNGs are palette images
(255 grey levels or colours, plus the box colour), so the HTML stays small.
"""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from phidetect.boundary import PASS_THROUGH, describe
from phidetect.geometry import Box
from phidetect.planes import Plane

if TYPE_CHECKING:  # pragma: no cover - types only
    from PIL.Image import Image
    from pydicom.dataset import Dataset

BOX_COLOUR = (232, 17, 45)  # a red no greyscale image holds, so boxes (and tests) find it
BOX_WIDTH = 2
BOX_INDEX = 255  # the palette entry boxes are drawn with; the picture gets the 255 others


@dataclass(frozen=True)
class Thumbnail:
    """One picture for the report: a frame (or the icon) with its boxes, or why there is none."""

    frame: int
    plane: str  # the plane's table text (Plane.value): "image" or "icon"
    boxes: int
    data_uri: str = ""
    width: int = 0
    height: int = 0
    error: str = ""
    detail: bool = False  # a crop around the boxes, where the text is large enough to read


def _pillow():
    try:
        from PIL import Image, ImageDraw
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("thumbnails need Pillow: pip install 'phidetect[plots]'") from exc
    return Image, ImageDraw


def _palette_image(picture: Image) -> Image:
    """``picture`` (L or RGB) as a palette image whose last entry (255) is the box colour,
    so boxes keep their exact colour and the PNG stays as small as a greyscale one."""
    pil, _ = _pillow()
    if picture.mode == "L":
        indexed = pil.fromarray(np.minimum(np.asarray(picture), BOX_INDEX - 1).astype(np.uint8), "P")
        palette = [v for grey in range(BOX_INDEX) for v in (grey, grey, grey)]
    else:
        indexed = picture.quantize(colors=BOX_INDEX, method=pil.Quantize.MEDIANCUT)
        palette = indexed.getpalette()[: 3 * BOX_INDEX]
        palette += [0] * (3 * BOX_INDEX - len(palette))
    indexed.putpalette(palette + list(BOX_COLOUR))
    return indexed


def boxed_thumbnail(image: np.ndarray, boxes: list[Box], size: int = 320, *, mask: bool = False,
                    grow_to: int | None = None) -> Image:
    """``image`` (uint8 HxW or HxWx3) shrunk to at most ``size`` pixels a side, or grown by
    a whole factor up to ``grow_to`` (default ``size // 2``: icons), with ``boxes`` outlined,
    or filled when ``mask``; a palette image whose boxes are exactly ``BOX_COLOUR``."""
    pil, draw_module = _pillow()
    picture = pil.fromarray(np.ascontiguousarray(image))
    picture = picture.convert("L" if picture.mode in ("L", "I", "I;16", "F", "1") else "RGB")
    longest = max(picture.size)
    scale = size / longest if longest > size else max(1, (grow_to or size // 2) // longest)
    if scale != 1:
        new_size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        picture = picture.resize(new_size, pil.Resampling.BILINEAR if scale < 1 else pil.Resampling.NEAREST)
    picture = _palette_image(picture)
    draw = draw_module.Draw(picture)
    for x, y, w, h in boxes:
        x0, y0 = int(x * scale), int(y * scale)
        x1, y1 = max(x0, int((x + w) * scale)), max(y0, int((y + h) * scale))
        if mask:
            draw.rectangle((x0, y0, x1, y1), fill=BOX_INDEX)
        else:
            draw.rectangle((x0 - 1, y0 - 1, x1 + 1, y1 + 1), outline=BOX_INDEX, width=BOX_WIDTH)
    return picture


def png_data_uri(picture: Image) -> str:
    """``picture`` as a ``data:image/png;base64,...`` URI."""
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _boxes(rows: pd.DataFrame) -> list[Box]:
    return [tuple(int(v) for v in box) for box in rows[["x", "y", "width", "height"]].itertuples(
        index=False, name=None)]


def _overlays(ds: Dataset, frame: int, planes: set[Plane]) -> list[np.ndarray]:
    """The overlay planes named in ``planes`` that apply to ``frame`` (in the image grid),
    decoding no image frame past ``frame``."""
    from phidetect.dicom.pixels import display_frames

    found = []
    for plane in display_frames(ds, icon=False):
        if plane.plane is Plane.IMAGE and plane.frame > frame:
            break
        if plane.frame == frame and plane.plane in planes:
            found.append(plane.image)
    return found


def _frame_picture(ds: Dataset, frame: int, overlay_planes: set[Plane]) -> np.ndarray:
    """What the frame shows: the image with the overlays that carried findings laid on top."""
    from phidetect.dicom.pixels import display_image, frame_count

    overlays = _overlays(ds, frame, overlay_planes) if overlay_planes else []
    if frame < frame_count(ds):
        image = display_image(ds, frame)
    elif overlays:
        image = np.zeros(overlays[0].shape, dtype=np.uint8)
    else:
        raise IndexError(f"no frame {frame}")
    for overlay in overlays:
        if overlay.shape[:2] == image.shape[:2]:
            layer = overlay if image.ndim == 2 else overlay[..., None]
            image = np.maximum(image, layer)
    return image


def _icon_picture(ds: Dataset) -> np.ndarray | None:
    from phidetect.dicom.pixels import icon_frames  # the icon alone, no image frame decoded

    return next((plane.image for plane in icon_frames(ds)), None)


def detail_crop(image: np.ndarray, boxes: list[Box], max_share: float = 0.25) -> tuple[np.ndarray, list[Box]] | None:
    """The part of ``image`` around all ``boxes`` (padded), with the boxes moved into it;
    None when there are no boxes or they spread over more than ``max_share`` of the image
    (the thumbnail shows them well enough)."""
    if not boxes:
        return None
    height, width = image.shape[:2]
    pad = max(8, min(height, width) // 40)
    x0 = max(0, min(b[0] for b in boxes) - pad)
    y0 = max(0, min(b[1] for b in boxes) - pad)
    x1 = min(width, max(b[0] + b[2] for b in boxes) + pad)
    y1 = min(height, max(b[1] + b[3] for b in boxes) + pad)
    if x1 <= x0 or y1 <= y0 or (x1 - x0) * (y1 - y0) > max_share * width * height:
        return None
    return image[y0:y1, x0:x1], [(x - x0, y - y0, w, h) for x, y, w, h in boxes]


def _pictures(image: np.ndarray, frame: int, plane: str, boxes: list[Box], size: int, mask: bool) -> list[Thumbnail]:
    """The whole plane, then a readable crop around its boxes when they are small in it."""
    picture = boxed_thumbnail(image, boxes, size, mask=mask)
    thumbs = [Thumbnail(frame, plane, len(boxes), png_data_uri(picture), picture.width, picture.height)]
    crop = detail_crop(image, boxes) if max(image.shape[:2]) > size else None
    if crop is not None:
        detail = boxed_thumbnail(crop[0], crop[1], size, mask=mask, grow_to=size)
        thumbs.append(Thumbnail(frame, plane, len(boxes), png_data_uri(detail), detail.width, detail.height,
                                detail=True))
    return thumbs


def _safe(make, frame: int, plane: str, boxes: list[Box], size: int, mask: bool) -> list[Thumbnail]:
    """Thumbnails of ``make()`` (the plane's pixels), or one that says why there are none:
    a report must never stop at one undecodable file."""
    try:
        image = make()
        if image is None:
            return [Thumbnail(frame, plane, len(boxes), error="no picture")]
        return _pictures(image, frame, plane, boxes, size, mask)
    except ImportError:
        raise
    except PASS_THROUGH:
        raise
    except BaseException as exc:  # any decoder failure (a Rust panic too) becomes a note in the report
        return [Thumbnail(frame, plane, len(boxes), error=describe(exc))]


def file_thumbnails(path: str | os.PathLike, pixel_rows: pd.DataFrame, *, size: int = 320, max_frames: int = 4,
                    mask: bool = False) -> list[Thumbnail]:
    """Pictures of one file: each frame that has pixel findings (at most ``max_frames``; with
    a crop around small boxes), plus the icon when it has some; frame 0 alone when there are none, so a reviewer sees
    text that OCR missed. [] for a file without pixel data; one Thumbnail with ``error``
    for a file that cannot be read."""
    from phidetect.dicom.pixels import frame_count
    from phidetect.dicom.reader import read_dicom

    try:
        ds = read_dicom(path, headers_only=False)
    except Exception as exc:  # DicomReadError, and whatever a broken file raises
        return [Thumbnail(0, Plane.IMAGE.value, 0, error=f"cannot read: {exc}")]
    texts = pixel_rows["plane"] if "plane" in pixel_rows.columns else [None] * len(pixel_rows)
    planes = pd.Series([Plane.parse(text) for text in texts], index=pixel_rows.index, dtype=object)
    icon = planes == Plane.ICON
    on_image, on_icon = pixel_rows[~icon], pixel_rows[icon]
    frames = sorted(int(f) for f in on_image["frame"].unique())[:max_frames]
    if not frames and not len(on_icon):
        frames = [0] if frame_count(ds) else []
    thumbs = []
    for frame in frames:
        in_frame = ~icon & (pixel_rows["frame"] == frame)
        rows = pixel_rows[in_frame]
        overlay_planes = {plane for plane in planes[in_frame] if plane.is_overlay}
        thumbs += _safe(lambda f=frame, o=overlay_planes: _frame_picture(ds, f, o), frame, Plane.IMAGE.value,
                        _boxes(rows), size, mask)
    if len(on_icon):
        thumbs += _safe(lambda: _icon_picture(ds), 0, Plane.ICON.value, _boxes(on_icon), size, mask)
    return thumbs
