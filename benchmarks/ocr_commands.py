"""Whole commands on a mixed synthetic set: plain easyocr ``readtext`` on every frame
against ``phidetect scan --ocr`` (default and ``--thorough``), start-up and model load
included on both sides, with burned-in recall and precision from the set's truth.

Why a second measure beside bench_ocr.py's real frames: those frames carry their text in
thin margins (ultrasound banners, pseudo-PHI samples), where the region finder shines.
``phidetect synth`` writes CT, MR, CR/DX, US cines and secondary captures whose text sits
beside and over anatomy, which is where a release's time goes. Nothing here asserts a
time; it prints a table. Used by ``bench_ocr.py --synth N``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

from phidetect.dicom.pixels import display_frames
from phidetect.dicom.reader import read_dicom
from phidetect.evaluate import evaluate, truth_frame

#: The modes timed, each a ``phidetect scan`` command line after the folder.
SCAN_MODES = {
    "default": ["--ocr"],
    "thorough": ["--ocr", "--thorough"],
}


def files_of(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.dcm"))


def frame_count(folder: Path) -> int:
    """Display frames of every file: what plain readtext reads, and what frames/s counts."""
    return sum(1 for path in files_of(folder) for _ in display_frames(read_dicom(path, headers_only=False)))


def readtext_every_frame(folder: Path) -> int:
    """Plain easyocr on every display frame (easyocr's own readtext and defaults), the
    md5-checked weights loaded as phidetect loads them. Returns the lines read."""
    from phidetect.pipeline import engine_for

    warnings.simplefilter("ignore")
    reader = engine_for("easyocr").reader  # weights md5-checked; the device phidetect's default would use
    lines = 0
    for path in files_of(folder):
        for frame in display_frames(read_dicom(path, headers_only=False)):
            lines += len(reader.readtext(frame.image))
    return lines


#: Exit statuses of a command that ran to its end (phidetect scan: 1 PHI found, 3 incomplete).
_FINISHED = (0, 1, 3)


def _wall(args: list[str], cwd: Path) -> float:
    """Wall seconds of a command that must run to its end (a crash is not a time)."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode not in _FINISHED:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - start


def _pixel_scores(findings: Path, truth: pd.DataFrame) -> tuple[float, float, int, int]:
    """(recall, precision, required PHI boxes missed, frames holding PHI with no box found)."""
    found = pd.read_parquet(findings)
    found["file"] = found["file"].str.removeprefix("./")
    pixel_truth = truth_frame(truth[truth["source"] == "pixel"])
    result = evaluate(found, pixel_truth)
    row = result.metrics[(result.metrics["source"] == "pixel") & (result.metrics["phi_type"] == "ALL")].iloc[0]
    pixel = found[found["source"] == "pixel"]
    seen = set(zip(pixel["file"], pixel["frame"], strict=True))
    required = pixel_truth[pixel_truth["required"]]
    frames_missed = len({(f, n) for f, n in zip(required["file"], required["frame"], strict=True) if (f, n) not in seen})
    return float(row["recall"]), float(row["precision"]), len(result.misses), frames_missed


def compare_commands(n: int, seed: int, repeat: int = 1) -> None:
    """Print the whole-command table for ``phidetect synth --n n --seed seed``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "set"
        subprocess.run([sys.executable, "-m", "phidetect", "synth", "--n", str(n), "--seed", str(seed),
                        str(folder)], check=True, stdout=subprocess.DEVNULL)
        truth = pd.read_csv(folder / "truth.csv")
        frames = frame_count(folder)
        plain = min(_wall([sys.executable, __file__, str(folder)], folder) for _ in range(repeat))
        rows = [("readtext (plain easyocr)", plain, None)]
        for mode, extra in SCAN_MODES.items():
            out = Path(tmp) / f"{mode}.parquet"
            command = [sys.executable, "-m", "phidetect", "scan", ".", *extra, "--workers", "1",
                       "--no-progress", "--out", str(out)]
            seconds = min(_wall(command, folder) for _ in range(repeat))
            rows.append((f"phidetect scan {' '.join(extra)}", seconds, _pixel_scores(out, truth)))
    print(f"\nwhole commands on phidetect synth --n {n} --seed {seed}: {n} files, {frames} display frames, "
          f"1 process each, best of {repeat}")
    print(f"{'command':<34} {'seconds':>8} {'frames/s':>9} {'vs plain':>9} {'recall':>7} {'precision':>9} "
          f"{'boxes missed':>13} {'PHI frames missed':>18}")
    for label, seconds, scores in rows:
        tail = "" if scores is None else (f" {scores[0]:7.3f} {scores[1]:9.3f} {scores[2]:13d} {scores[3]:18d}")
        print(f"{label:<34} {seconds:8.1f} {frames / seconds:9.3f} {plain / seconds:8.2f}x{tail}")


if __name__ == "__main__":  # the plain side, as its own command: python ocr_commands.py FOLDER
    readtext_every_frame(Path(sys.argv[1]))
