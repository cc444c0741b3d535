"""Plots of an evaluation and of findings on the image, for notebooks and reports.

matplotlib is imported inside each function: the core package (a header sweep on a
server) must not need it. Install it with ``pip install 'phidetect[plots]'``.
Every helper draws on ``ax`` when given (so plots compose into a figure of your own)
and returns the Axes it drew on.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydicom.dataset import Dataset

from phidetect.planes import Plane

if TYPE_CHECKING:  # pragma: no cover - types only
    from matplotlib.axes import Axes
    from PIL.Image import Image

#: The confidence ``phidetect scan --fail-on`` uses by default; marked on the sweep plot.
DEFAULT_THRESHOLD = 0.5
FINDING_COLOUR = "#e8112d"
TRUTH_COLOUR = "#00b3e6"


def _pyplot() -> Any:
    """matplotlib.pyplot, or an ImportError that says which extra to install."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("phidetect.plots needs matplotlib: pip install 'phidetect[plots]'") from exc
    return plt


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else _pyplot().subplots()[1]


def _table(data: Any, name: str) -> pd.DataFrame:
    """Accept the table itself or the EvaluationResult that holds it."""
    return getattr(data, name) if hasattr(data, name) and not isinstance(data, pd.DataFrame) else data


def plot_precision_recall(sweep: pd.DataFrame, ax: Axes | None = None, label: str | None = None,
                          threshold: float = DEFAULT_THRESHOLD) -> Axes:
    """Precision against recall over the confidence sweep (``EvaluationResult.sweep``), with
    ``threshold`` (default 0.5, the scan's ``--fail-on``) marked: where to set ``--fail-on``."""
    sweep = _table(sweep, "sweep")
    ax = _axes(ax)
    points = sweep.dropna(subset=["precision", "recall"]).sort_values("threshold")
    line = ax.plot(points["recall"], points["precision"], marker=".", label=label or "sweep")[0]
    at = points[np.isclose(points["threshold"], threshold)]
    if len(at):
        recall, precision = float(at["recall"].iloc[0]), float(at["precision"].iloc[0])
        ax.plot([recall], [precision], marker="o", markersize=9, linestyle="none", color=line.get_color(),
                markerfacecolor="none", markeredgewidth=2, label=f"threshold {threshold:g}")
        ax.annotate(f"{threshold:g}", (recall, precision), textcoords="offset points", xytext=(6, -12))
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title("precision / recall over the confidence threshold")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    return ax


def plot_calibration(calibration: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Observed precision per confidence bin (``EvaluationResult.calibration``) against the
    diagonal a calibrated detector follows, each bar labelled with its count of findings."""
    calibration = _table(calibration, "calibration")
    ax = _axes(ax)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="calibrated")
    filled = calibration[calibration["count"] > 0]
    centres = (filled["bin_low"] + filled["bin_high"]) / 2
    widths = (filled["bin_high"] - filled["bin_low"]) * 0.9
    bars = ax.bar(centres, filled["precision"], width=widths, alpha=0.7, label="observed precision")
    ax.bar_label(bars, labels=[f"n={n}" for n in filled["count"]], fontsize=8)
    ax.set_xlabel("confidence")
    ax.set_ylabel("share of findings that are PHI")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.1)
    ax.set_title("calibration")
    ax.legend(loc="upper left")
    return ax


def plot_metrics(metrics: pd.DataFrame, ax: Axes | None = None,
                 columns: tuple[str, ...] = ("recall", "precision")) -> Axes:
    """Recall and precision per (source, phi_type) of ``EvaluationResult.metrics`` as
    horizontal bars: the types a detector misses stand out."""
    metrics = _table(metrics, "metrics")
    ax = _axes(ax)
    labels = [f"{s} / {t}" for s, t in zip(metrics["source"], metrics["phi_type"], strict=True)]
    rows = np.arange(len(metrics))
    height = 0.8 / len(columns)
    for i, column in enumerate(columns):
        values = metrics[column].astype(float).fillna(0.0)
        bars = ax.barh(rows + (i - (len(columns) - 1) / 2) * height, values, height=height, label=column)
        ax.bar_label(bars, labels=[f"{v:.2f}" if not np.isnan(v) else "n/a" for v in metrics[column]],
                     fontsize=7, padding=2)
    ax.set_yticks(rows, labels)
    ax.invert_yaxis()  # the table's order, top to bottom
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("score")
    ax.set_title("metrics per source / phi_type")
    ax.legend(loc="lower right")
    return ax


def _dataset(path_or_dataset: str | os.PathLike | Dataset) -> tuple[Dataset, str | None]:
    if isinstance(path_or_dataset, Dataset):
        return path_or_dataset, None
    from phidetect.dicom.reader import read_dicom

    return read_dicom(path_or_dataset, headers_only=False), os.fspath(path_or_dataset)


def rows_for_file(table: pd.DataFrame | None, path: str | None, frame: int | None = None) -> pd.DataFrame:
    """Pixel rows of ``table`` (findings or truth) that belong to ``path`` and ``frame``.

    A table holding one file is taken whole (it was filtered already, or made for a Dataset);
    otherwise a row belongs to ``path`` when ``path`` ends with its ``file`` (tables name
    files relative to the scanned folder)."""
    if table is None or not len(table):
        return pd.DataFrame(columns=["file", "frame", "x", "y", "width", "height"])
    rows = table[table["source"] == "pixel"] if "source" in table.columns else table
    if "file" in rows.columns and rows["file"].nunique() > 1:
        if path is None:
            raise ValueError("the table holds several files: pass the file's path, not a Dataset")
        wanted = path.replace(os.sep, "/")
        rows = rows[[wanted == f or wanted.endswith("/" + f) for f in rows["file"].astype(str)]]
    if frame is not None:
        rows = rows[rows["frame"] == frame]
    return rows


def _off_icon(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` without those of the icon: its boxes are on another pixel grid."""
    if "plane" not in rows.columns:
        return rows
    return rows[np.array([Plane.parse(text) is not Plane.ICON for text in rows["plane"]], dtype=bool)]


def _draw_boxes(ax: Axes, rows: pd.DataFrame, colour: str, linestyle: str, with_confidence: bool) -> None:
    from matplotlib.patches import Rectangle

    for row in rows.itertuples(index=False):
        ax.add_patch(Rectangle((row.x, row.y), row.width, row.height, fill=False, edgecolor=colour,
                               linewidth=1.5, linestyle=linestyle))
        label = str(row.phi_type)
        if with_confidence and hasattr(row, "confidence"):
            label += f" {float(row.confidence):.2f}"
        above = row.y >= 12  # no room above a box at the top edge: label it below
        ax.text(row.x, row.y - 2 if above else row.y + row.height + 2, label, color="white", fontsize=7,
                va="bottom" if above else "top",
                bbox={"facecolor": colour, "edgecolor": "none", "pad": 1, "alpha": 0.8})


def show_findings(path_or_dataset: str | os.PathLike | Dataset, findings: pd.DataFrame, frame: int = 0,
                  ax: Axes | None = None, truth: pd.DataFrame | None = None) -> Axes:
    """The image frame as a person sees it, finding boxes (solid, red) labelled with phi_type
    and confidence, and truth boxes (dashed, blue) when ``truth`` is given: see at a glance
    what was found and what was missed. Icon findings (another pixel grid) are left out."""
    from phidetect.dicom.pixels import display_image

    ds, path = _dataset(path_or_dataset)
    image = display_image(ds, frame)
    ax = _axes(ax)
    ax.imshow(image, cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=255)
    found = _off_icon(rows_for_file(findings, path, frame))
    _draw_boxes(ax, rows_for_file(truth, path, frame), TRUTH_COLOUR, "--", with_confidence=False)
    _draw_boxes(ax, found, FINDING_COLOUR, "-", with_confidence=True)
    ax.set_axis_off()
    name = os.path.basename(path) if path else "data set"
    ax.set_title(f"{name} frame {frame}: {len(found)} finding box(es)", fontsize=9)
    return ax


def thumbnail(path_or_dataset: str | os.PathLike | Dataset, findings: pd.DataFrame | None = None,
              frame: int = 0, size: int = 320, mask: bool = False) -> Image:
    """A small Pillow image of the frame with its finding boxes drawn (filled when ``mask``),
    the picture the HTML report shows; displays inline in a notebook."""
    from phidetect.dicom.pixels import display_image
    from phidetect.report.thumbnails import boxed_thumbnail

    ds, path = _dataset(path_or_dataset)
    rows = _off_icon(rows_for_file(findings, path, frame))
    boxes = list(rows[["x", "y", "width", "height"]].itertuples(index=False, name=None))
    return boxed_thumbnail(display_image(ds, frame), boxes, size, mask=mask)
