"""Orchestration: one file from (seed, index), and a folder of files with truth.csv.

File ``index`` of a seed depends on nothing else (not on ``n``, not on the other
files), so a run of 100 files starts with the same 20 files as a run of 20.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydicom.dataset import FileDataset

from phidetect.datasets.synthetic import burn, encode, images, overlay, storage, technical
from phidetect.datasets.synthetic.header import build_header
from phidetect.datasets.synthetic.identity import make_identity
from phidetect.datasets.synthetic.kinds import Kind, kind_for
from phidetect.evaluate import truth_frame

TRUTH_NAME = "truth.csv"

#: (rows, cols) choices per family; multi-frame files stay small.
SIZES: dict[str, tuple[tuple[int, int], ...]] = {
    "ct": ((256, 256), (384, 384), (512, 512)),
    "mr": ((256, 256), (320, 320), (256, 320), (384, 384)),
    "xr": ((512, 416), (480, 384), (640, 512), (576, 448)),
    "us": ((360, 480), (420, 560), (480, 640)),
    "sc": ((384, 512), (300, 400), (480, 640), (256, 320)),
    "cine": ((240, 320), (288, 384), (256, 256)),
}


@dataclass
class BuiltFile:
    """One generated file before it is written, with what the tests need to check it."""

    relpath: str                # POSIX, relative to the output folder
    kind: Kind
    dataset: FileDataset
    truth: list[dict]           # tag and pixel rows, ``file`` filled in
    drawn: list[burn.Drawn]     # every burned piece, PHI or not
    text_frames: list[int]      # frames that carry the burned text
    before: np.ndarray          # stored pixels after any band, before the text
    after: np.ndarray           # stored pixels as encoded (before any lossy step)


def relpath_for(seed: int, index: int) -> str:
    """Where file ``index`` goes: ``<Modality>/<index>_<kind>.dcm``."""
    kind = kind_for(seed, index)
    return f"{kind.modality}/{index:04d}_{kind.name}.dcm"


def _pixel_rows(relpath: str, drawn: list[burn.Drawn], frames: list[int]) -> list[dict]:
    return [{"file": relpath, "source": "pixel", "tag_path": "", "keyword": "", "phi_type": d.piece.phi_type,
             "text": d.text, "frame": f, "x": d.x, "y": d.y, "width": d.width, "height": d.height,
             "required": d.piece.required}
            for f in frames for d in drawn if d.piece.phi_type is not None]


def build_file(seed: int, index: int) -> BuiltFile:
    """Make file ``index`` of ``seed`` in memory: header, pixels, burned text, truth."""
    kind = kind_for(seed, index)
    rng = np.random.default_rng([seed, index])
    who = make_identity(rng, int(rng.integers(0, 2**31)), kind.modality)
    manufacturer, model = technical.pick_vendor(kind.modality, rng)
    ds, tag_rows = build_header(kind, who, seed, index, manufacturer, model, rng)
    choices = SIZES["cine" if kind.multiframe else kind.family]
    rows, cols = choices[int(rng.integers(0, len(choices)))]
    frames = int(rng.integers(kind.frames[0], kind.frames[1] + 1))
    technical.add_technical(ds, kind, rows, cols, rng)

    base = images.base_frames(kind.family, rows, cols, frames, kind.colour, rng)
    pixels = storage.to_stored(kind, base, rng)
    for keyword, value in pixels.attrs.items():
        setattr(ds, keyword, value)
    font = burn.pick_font(rng, rows)
    margin = int(rng.integers(4, 13))
    drawn = burn.layout(overlay.plan_lines(who, kind, manufacturer, rng), (rows, cols), font, margin)
    style = overlay.pick_style(rng)
    if style.band is not None:
        for top, bottom in burn.band_rows(drawn, rows, margin):
            pixels.frames[:, top:bottom] = pixels.level(style.band)
    before = pixels.cast()
    text_frames = overlay.pick_frames(kind, frames, rng)
    burn.apply(pixels.frames, drawn, pixels.level(style.brightness, style.colour), text_frames)
    after = pixels.cast()
    encode.write_pixels(ds, kind, after, rng)

    relpath = relpath_for(seed, index)
    truth = [{"file": relpath, **row} for row in tag_rows] + _pixel_rows(relpath, drawn, text_frames)
    return BuiltFile(relpath, kind, ds, truth, drawn, text_frames, before, after)


def _write_atomic(path: Path, write) -> None:
    """Write through a hidden temporary file in the same folder, then rename."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def generate(outdir: str | os.PathLike, n: int, seed: int = 0, *, overwrite: bool = False) -> pd.DataFrame:
    """Write ``n`` labelled synthetic DICOM files under ``outdir`` and their truth table
    (``outdir/truth.csv``, see docs/truth-schema.md), and return that table.

    Refuses (ValueError) to write into a folder that already has a non-empty truth.csv
    or any of the files it would create, unless ``overwrite`` is True.
    """
    if n < 0:
        raise ValueError(f"n must be at least 0, not {n}")
    if seed < 0:
        raise ValueError(f"seed must be at least 0, not {seed}")
    out = Path(outdir)
    truth_path = out / TRUTH_NAME
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} exists and is not a folder")
    if not overwrite:
        if truth_path.is_file() and truth_path.stat().st_size > 0:
            raise ValueError(f"{truth_path} already exists; choose an empty folder or pass overwrite=True")
        clashes = [p for p in (relpath_for(seed, i) for i in range(n)) if (out / p).exists()]
        if clashes:
            raise ValueError(f"{out} already holds {len(clashes)} of the files to write (e.g. {clashes[0]}); "
                             "choose an empty folder or pass overwrite=True")
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    for index in range(n):
        built = build_file(seed, index)
        target = out / built.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(target, lambda p, ds=built.dataset: ds.save_as(p, enforce_file_format=True))
        rows += built.truth
    truth = truth_frame(rows)
    _write_atomic(truth_path, lambda p: truth.to_csv(p, index=False))
    return truth
