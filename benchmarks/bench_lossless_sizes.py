"""Copy size against input, per transfer syntax, for the compressed files that ship with
pydicom, pydicom-data and deid-data (phidetect.datasets.packaged).

Every compressed file is redacted three ways, without OCR, into a temporary folder: its
top rows blanked and written losslessly compressed (the default), the same boxes with
``keep_compression=False`` (written uncompressed, as redaction did before), and with no
box at all (pixels untouched: the encapsulated pixel data is copied as it was). One
table per run, per input transfer syntax: files, bytes in, bytes out each way, and the
output syntaxes the lossless copies got. Nothing is asserted.

    .venv/bin/python benchmarks/bench_lossless_sizes.py [--rows 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd
import pydicom

from phidetect.datasets.packaged import SOURCES, package_folder, packaged_files
from phidetect.redact import redact, top_rows
from phidetect.redact.sizes import MEGABYTE


def syntax_keyword(uid: str) -> str:
    """A transfer syntax's short name (JPEG2000Lossless), for a table that fits a terminal."""
    return pydicom.uid.UID(uid).keyword or uid


def compressed_inputs(folder: Path) -> int:
    """Copy every packaged file whose transfer syntax is compressed into ``folder``/package/...;
    returns how many."""
    count = 0
    for package in SOURCES:
        root = package_folder(package)
        for path in packaged_files(package):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    syntax = pydicom.dcmread(path, stop_before_pixels=True).file_meta.get("TransferSyntaxUID")
            except Exception:  # not DICOM, or a header pydicom cannot read: not measured
                continue
            if syntax is None or not syntax.is_compressed:
                continue
            target = folder / package / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
            count += 1
    return count


def _run(source: Path, out: Path, workers: int, **options) -> tuple[pd.DataFrame, float]:
    started = time.perf_counter()
    result = redact(source, out, ocr=False, secret="bench", workers=workers, progress=False, **options)
    return result.files, time.perf_counter() - started


def size_table(rows: int, workers: int) -> tuple[pd.DataFrame, dict[str, float]]:
    with tempfile.TemporaryDirectory() as temp:
        source = Path(temp) / "in"
        compressed_inputs(source)
        boxes = top_rows(rows)
        lossless, t_lossless = _run(source, Path(temp) / "lossless", workers, boxes=boxes)
        plain, t_plain = _run(source, Path(temp) / "plain", workers, boxes=boxes, keep_compression=False)
        untouched, t_untouched = _run(source, Path(temp) / "untouched", workers)
    merged = lossless.merge(plain[["input", "status", "bytes_out"]], on="input", suffixes=("", "_plain"))
    merged = merged.merge(untouched[["input", "status", "bytes_out"]], on="input", suffixes=("", "_untouched"))
    failed = merged[merged["status"] != "written"]
    for row in failed.itertuples():
        print(f"not written: {row.input}: {row.error.splitlines()[0] if row.error else row.status}")
    merged = merged[(merged["status"] == "written") & (merged["status_plain"] == "written")
                    & (merged["status_untouched"] == "written")].copy()
    merged["syntax"] = merged["input_syntax"].map(syntax_keyword)
    merged["written_as"] = merged["output_syntax"].map(syntax_keyword)
    table = merged.groupby("syntax").agg(
        files=("input", "size"), bytes_in=("bytes_in", "sum"), lossless=("bytes_out", "sum"),
        uncompressed=("bytes_out_plain", "sum"), untouched=("bytes_out_untouched", "sum"),
        written_as=("written_as", lambda s: ", ".join(f"{k} ({v})" for k, v in s.value_counts().items())))
    total = table[["files", "bytes_in", "lossless", "uncompressed", "untouched"]].sum()
    table.loc["all"] = [*total.tolist(), ""]
    for column in ("lossless", "uncompressed", "untouched"):
        table[f"{column} / in"] = (table[column] / table["bytes_in"]).round(2)
    return table, {"lossless": t_lossless, "uncompressed": t_plain, "untouched": t_untouched}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=8, help="top rows blanked in every frame (default 8)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    table, seconds = size_table(args.rows, args.workers)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 90)
    for column in ("bytes_in", "lossless", "uncompressed", "untouched"):
        table[column] = (table[column] / MEGABYTE).round(3)
    print(table.rename(columns={c: f"{c} MB" for c in ("bytes_in", "lossless", "uncompressed", "untouched")})
          .to_string())
    print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))


if __name__ == "__main__":
    main()
