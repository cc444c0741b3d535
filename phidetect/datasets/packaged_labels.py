"""Truth tables that ship with phidetect, for real files that ship elsewhere.

Each label set names its files relative to a base folder (``LABEL_SETS``). The caller
says where that folder's files are with ``root``: the folder they scanned, so that the
``file`` column is spelled as the scan spells it.
"""

from __future__ import annotations

import os
import warnings
from importlib import resources
from io import StringIO
from pathlib import Path, PurePosixPath

import pandas as pd

from phidetect.evaluate import truth_frame

#: name -> (CSV in phidetect/datasets/labels, the folder its file names are relative to)
LABEL_SETS: dict[str, tuple[str, str]] = {
    "deid_ultrasounds": ("deid_ultrasounds_pixels.csv",
                         "deid-data's ultrasounds folder: phidetect.datasets.packaged.deid_ultrasounds()[0].parent"),
    "deid_cines": ("deid_cines_pixels.csv", "the out_dir given to extract_zipped('deid_data', out_dir)"),
    "pseudo_phi_samples": ("pseudo_phi_samples_headers.csv", "tests/data/pseudo-phi-samples"),
}


def _read(name: str) -> pd.DataFrame:
    if name not in LABEL_SETS:
        raise ValueError(f"no label set {name!r}; choose from {', '.join(sorted(LABEL_SETS))}")
    text = resources.files("phidetect.datasets.labels").joinpath(LABEL_SETS[name][0]).read_text("utf-8")
    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)


def _locate(name: str, root: Path, cache: dict[str, list[str]]) -> str | None:
    """``name`` as a path relative to ``root``: itself, or the one file below ``root`` whose
    path ends with it (a scan of a parent folder)."""
    if (root / name).is_file():
        return name
    if "all" not in cache:
        cache["all"] = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    hits = [p for p in cache["all"] if p.endswith("/" + name)]
    return hits[0] if len(hits) == 1 else None


def packaged_truth(name: str, root: str | os.PathLike | None = None) -> pd.DataFrame:
    """The truth table ``name`` (one of ``LABEL_SETS``).

    Without ``root`` the ``file`` column is relative to the set's base folder. With ``root``
    (the folder a scan was run on: the base folder or one above it) each file is spelled
    relative to ``root``; files not found there are dropped with a warning naming them."""
    table = _read(name)
    if root is not None:
        base = Path(root)
        if not base.is_dir():
            raise FileNotFoundError(f"{base}: folder not found")
        cache: dict[str, list[str]] = {}
        located = {f: _locate(str(PurePosixPath(f)), base, cache) for f in table["file"].unique()}
        missing = sorted(f for f, where in located.items() if where is None)
        if missing:
            warnings.warn(f"{base}: {len(missing)} labelled file(s) not found ({', '.join(missing)}); "
                          "their rows are left out", stacklevel=2)
        table = table[table["file"].map(located).notna()].copy()
        table["file"] = table["file"].map(located)
    return truth_frame(table.reset_index(drop=True))
