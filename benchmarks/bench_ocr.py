"""How fast burned-in text is read, and what the shortcuts cost.

Four ways to read the same real frames, measured in one run:

- plain:     the OCR engine's own detector over every whole frame (the baseline)
- prefilter: frames without text-like strokes skipped, the rest read whole
- regions:   every frame, but only classical text regions handed to the recogniser
- both:      pre-filter and regions (phidetect's default)

For each: frames/s, its speed as a ratio to plain, and how many text-bearing frames and
PHI boxes it loses compared with plain (a box is lost when no box of the same frame
overlaps it). On the Pseudo-PHI samples the ground-truth boxes are checked too.

Before that, what the shortcuts themselves cost: ms per frame of the ``has_text``
pre-filter and of ``text_regions``, against the engine reading the whole frame with its
own detector, as ratios measured in the same run (the unit tests never time anything).

    python benchmarks/bench_ocr.py [--engine easyocr] [--max-frames N] [--frames N]

``--frames 3`` is a quick run (minutes on a laptop CPU): the first three frames in all.

    python benchmarks/bench_ocr.py --synth 16 [--seed 4711] [--repeat 1]

times whole commands instead, on a mixed ``phidetect synth`` set (CT, MR, CR/DX, US
cines, secondary captures: text beside and over anatomy): plain easyocr ``readtext`` on
every frame against ``phidetect scan --ocr`` and ``--thorough``, with burned-in recall and
precision from the set's truth (benchmarks/ocr_commands.py).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from phidetect.burned_in import pixel_findings
from phidetect.datasets.packaged import deid_ultrasounds, extract_zipped, package_folder
from phidetect.dicom.pixels import DisplayFrame, display_frames
from phidetect.dicom.reader import read_dicom
from phidetect.findings import Finding
from phidetect.header import analyse_header
from phidetect.ocr.engine import OcrEngine
from phidetect.ocr.textness import has_text, text_regions
from phidetect.ocr_settings import OcrOptions, OcrSettings
from phidetect.pipeline import engine_for, shared_registry
from phidetect.pixel_reading import read_frames

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "pseudo-phi-samples"
MODES = {
    "plain": OcrOptions(prefilter=False, regions=False),
    "prefilter": OcrOptions(prefilter=True, regions=False),
    "regions": OcrOptions(prefilter=False, regions=True),
    "both": OcrOptions(prefilter=True, regions=True),
}
PADDING = 25  # ground_truth.json boxes are in an image padded by 25 px


def real_images(workdir: Path) -> list[Path]:
    """The packaged real images with burned-in text, two with technical text only, and
    four with no text at all (where the pre-filter earns its keep)."""
    data_store, pydicom_files = package_folder("data_store"), package_folder("pydicom")
    files = [SAMPLES / "2_ORIGINAL.dcm", SAMPLES / "0_ORIGINAL_compressed.dcm", *deid_ultrasounds()]
    files += extract_zipped("deid_data", workdir)
    if data_store is not None:
        files += [data_store / n for n in ("US1_UNCR.dcm", "OBXXXX1A.dcm", "JPGLosslessP14SV1_1s_1f_8b.dcm",
                                           "emri_small.dcm", "MR2_UNCR.dcm")]
    if pydicom_files is not None:
        files += [pydicom_files / "CT_small.dcm", SAMPLES / "RGB_ORIGINAL.dcm"]
    return [f for f in files if f.exists()]


def limited(frames: Iterator[DisplayFrame], max_frames: int | None) -> list[DisplayFrame]:
    kept = []
    for frame in frames:
        if max_frames is not None and frame.frame >= max_frames:
            break
        kept.append(frame)
    return kept


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def boxes(found: list[Finding]) -> dict[tuple[str, int], list[tuple[int, int, int, int]]]:
    by_frame: dict[tuple[str, int], list[tuple[int, int, int, int]]] = {}
    for f in found:
        by_frame.setdefault((f.file, f.frame), []).append((f.x, f.y, f.width, f.height))
    return by_frame


def lost(reference: list[Finding], candidate: list[Finding]) -> tuple[int, int]:
    """(text-bearing frames lost, PHI boxes lost) of ``candidate`` against ``reference``."""
    ref, cand = boxes(reference), boxes(candidate)
    frames_lost = sum(1 for key in ref if key not in cand)
    boxes_lost = sum(1 for key, bs in ref.items() for b in bs if not any(overlaps(b, c) for c in cand.get(key, [])))
    return frames_lost, boxes_lost


def truth_missed(found: list[Finding]) -> int:
    """Ground-truth boxes of the Pseudo-PHI samples that no finding overlaps."""
    truth = json.loads((SAMPLES / "ground_truth.json").read_text())
    names = {"0_ORIGINAL_compressed.dcm": "sample_data/0_ORIGINAL.dcm", "2_ORIGINAL.dcm": "sample_data/2_ORIGINAL.dcm"}
    by_frame = boxes(found)
    missed = 0
    for file, key in names.items():
        for box in truth[key]:
            b = (box["left"] - PADDING, box["top"] - PADDING, box["width"], box["height"])
            missed += not any(overlaps(b, c) for c in by_frame.get((file, 0), []))
    return missed


def per_frame_ms(fn, images: list[np.ndarray]) -> float:
    """Mean milliseconds of ``fn`` per image."""
    start = time.perf_counter()
    for image in images:
        fn(image)
    return 1000.0 * (time.perf_counter() - start) / len(images)


def shortcut_costs(images: list[np.ndarray], engine: OcrEngine) -> None:
    """Print ms per frame of has_text, text_regions and a plain whole-frame read, and
    the two shortcuts as ratios of the plain read (same frames, same run)."""
    prefilter = per_frame_ms(has_text, images)
    regions = per_frame_ms(text_regions, images)
    plain = per_frame_ms(engine.read, images)
    print(f"{'cost per frame':<28} {'ms':>9} {'of plain':>9}")
    for label, ms in (("has_text (pre-filter)", prefilter), ("text_regions", regions),
                      (f"plain {engine.name} read", plain)):
        print(f"{label:<28} {ms:9.1f} {ms / plain:9.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", default="easyocr")
    parser.add_argument("--max-frames", type=int, default=None, help="first N frames of each multi-frame file")
    parser.add_argument("--frames", type=int, default=None, help="first N frames in all (a quick run)")
    parser.add_argument("--synth", type=int, default=None, metavar="N",
                        help="time whole commands on N mixed synthetic files instead (easyocr only)")
    parser.add_argument("--seed", type=int, default=4711, help="seed of the --synth set")
    parser.add_argument("--repeat", type=int, default=1, help="--synth: best of this many runs per command")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if args.synth is not None:
        from ocr_commands import compare_commands  # benchmarks/ is the script's folder

        compare_commands(args.synth, args.seed, args.repeat)
        return 0
    engine = engine_for(args.engine)
    registry = shared_registry()
    with tempfile.TemporaryDirectory() as tmp:
        prepared = []
        for path in real_images(Path(tmp)):
            dataset = read_dicom(path, headers_only=False)
            _, identity = analyse_header(dataset, path.name, registry)
            frames = limited(display_frames(dataset), args.max_frames)
            if args.frames is not None:
                frames = frames[:max(0, args.frames - sum(len(p[2]) for p in prepared))]
            if frames:
                prepared.append((path.name, identity, frames))
    n_frames = sum(len(p[2]) for p in prepared)
    engine.read(prepared[0][2][0].image)  # load the model before timing
    import torch
    print(f"files: {len(prepared)}, frames: {n_frames}; engine: {args.engine}; "
          f"cores: {os.cpu_count()}; torch threads: {torch.get_num_threads()}; cuda: {torch.cuda.is_available()}")
    shortcut_costs([frame.image for _, _, frames in prepared for frame in frames], engine)
    results: dict[str, tuple[float, list[Finding]]] = {}
    for mode, options in MODES.items():
        start = time.perf_counter()
        found: list[Finding] = []
        settings = OcrSettings(args.engine, options)
        for name, identity, frames in prepared:
            found += pixel_findings(read_frames(frames, engine, settings), file=name, sop_instance_uid="",
                                    engine_name=engine.name, registry=registry, identity=identity)
        results[mode] = (time.perf_counter() - start, found)
    base_time, base_found = results["plain"]
    print(f"{'mode':<10} {'frames/s':>9} {'speed vs plain':>15} {'frames lost':>12} {'boxes lost':>11} "
          f"{'PHI boxes':>10} {'truth missed':>13}")
    for mode, (seconds, found) in results.items():
        frames_lost, boxes_lost = lost(base_found, found)
        print(f"{mode:<10} {n_frames / seconds:9.2f} {base_time / seconds:14.2f}x {frames_lost:12d} "
              f"{boxes_lost:11d} {len(found):10d} {truth_missed(found):13d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
