"""How much slower a header scan is than just reading the headers, on real DICOM files.

Reading is the floor no scanner can beat, so phidetect's speed is reported as a ratio
to bare ``pydicom.dcmread(stop_before_pixels=True)`` over the same files, in the same
run, on one worker: a ratio travels between machines where files/s does not.
Target: ratio <= 3. Nothing here asserts a time; it prints numbers.

    python benchmarks/bench_scan_tags.py [--files 300] [--repeat 3] [--synth 300] [--profile 25]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pydicom

import phidetect
from phidetect.datasets.packaged import SOURCES, packaged_files
from phidetect.dicom.elements import iter_elements
from phidetect.dicom.reader import DicomReadError, read_dicom
from phidetect.header import header_findings
from phidetect.pipeline import shared_registry

TARGET_RATIO = 3.0


def readable_sources() -> list[Path]:
    """Packaged files that bare pydicom reads without force, so both passes see the same work."""
    found: list[Path] = []
    for package in SOURCES:
        for path in packaged_files(package):
            try:
                pydicom.dcmread(path, stop_before_pixels=True)
            except Exception:  # not DICOM or broken on purpose (pydicom's own test files)
                continue
            found.append(path)
    return found


def fill_folder(sources: list[Path], folder: Path, count: int) -> list[Path]:
    """Copy ``sources`` round-robin into ``folder`` until it holds ``count`` files."""
    copies: list[Path] = []
    for index in range(count):
        source = sources[index % len(sources)]
        target = folder / f"{index:05d}_{source.name}"
        shutil.copyfile(source, target)
        copies.append(target)
    return copies


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """Fastest wall time of ``repeat`` runs: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_read(paths: list[Path]) -> None:
    for path in paths:
        pydicom.dcmread(path, stop_before_pixels=True)


def decoded_read(paths: list[Path]) -> None:
    """Reference, not a target: bare read plus pydicom decoding every element's value
    (pydicom parses values lazily, so any walk over ``dataset[tag]`` pays this)."""
    for path in paths:
        for _ in pydicom.dcmread(path, stop_before_pixels=True).iterall():
            pass


def phase_times(paths: list[Path], repeat: int) -> dict[str, float]:
    """Best time per phase, without a profiler's overhead: read (phidetect's reader), walk
    (element values to text, which also decodes pydicom's lazily parsed values) and
    analyse (header_findings: walk + profile + recognizers + merge). Each pass gets freshly
    read data sets, because pydicom caches decoded values on first access."""
    registry = shared_registry()

    def read_all() -> list:
        datasets = []
        for path in paths:
            with contextlib.suppress(DicomReadError):  # the scan reports these; nothing to time
                datasets.append(read_dicom(path, headers_only=True))
        return datasets

    best = {"read": float("inf"), "walk": float("inf"), "analyse": float("inf")}
    for _ in range(repeat):
        start = time.perf_counter()
        datasets = read_all()
        best["read"] = min(best["read"], time.perf_counter() - start)
        start = time.perf_counter()
        for dataset in datasets:
            header_findings(dataset, "", registry, [])
        best["analyse"] = min(best["analyse"], time.perf_counter() - start)
        datasets = read_all()
        start = time.perf_counter()
        for dataset in datasets:
            list(iter_elements(dataset, errors=[]))
        best["walk"] = min(best["walk"], time.perf_counter() - start)
    return best


def profile_scan(folder: Path, top: int) -> str:
    """cProfile of one single-worker scan, top ``top`` functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    phidetect.scan(folder, workers=1, progress=False)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="files to scan (copies of packaged ones)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--synth", type=int, default=0, metavar="N",
                        help="use N rich headers made by phidetect synth (free text, sequences, private "
                             "blocks) instead of the packaged test files")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP",
                        help="also print a cProfile of one phidetect pass (top TOP functions)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # pydicom warns on its deliberately odd test files

    workdir = Path(tempfile.mkdtemp(prefix="phidetect-bench-"))
    if args.synth:
        from phidetect.datasets.synthetic.generate import generate

        generate(workdir / "rich", args.synth, seed=11)
        sources = sorted((workdir / "rich").rglob("*.dcm"))
    else:
        sources = readable_sources()
    if not sources:
        print("no packaged DICOM files found: install pydicom-data and deid-data (pip install -e '.[dev]')")
        return 2
    try:
        folder = workdir / "files"
        folder.mkdir()
        paths = fill_folder(sources, folder, args.files)
        # warm-up: OS file cache, phidetect's registry and profile table (built once per process)
        bare_read(paths)
        start = time.perf_counter()
        warm = phidetect.scan(folder, workers=1, progress=False)
        first_scan = time.perf_counter() - start

        bare = best_of(args.repeat, lambda: bare_read(paths))
        scan = best_of(args.repeat, lambda: phidetect.scan(folder, workers=1, progress=False))
        decoded = best_of(args.repeat, lambda: decoded_read(paths))
        phases = phase_times(paths, args.repeat)
        ratio = scan / bare
        n = len(paths)

        kind = "rich synthetic headers" if args.synth else "packaged DICOM files"
        print(f"files: {n} (copies of {len(sources)} distinct {kind})")
        print(f"cores: os.cpu_count() = {os.cpu_count()}; workers: 1; best of {args.repeat}")
        print(f"python {sys.version.split()[0]}, pydicom {pydicom.__version__}, phidetect {phidetect.__version__}")
        print(f"bare pydicom.dcmread:  {n / bare:8.1f} files/s  ({bare * 1000 / n:.2f} ms/file)")
        print(f"phidetect.scan:        {n / scan:8.1f} files/s  ({scan * 1000 / n:.2f} ms/file)")
        print(f"ratio phidetect/bare:  {ratio:8.2f}x slower  (target <= {TARGET_RATIO:g}: "
              f"{'met' if ratio <= TARGET_RATIO else 'NOT met'})")
        print(f"reference: dcmread + decode every element: {n / decoded:8.1f} files/s "
              f"(ratio {decoded / bare:.2f})")
        print(f"first scan (cold registry): {first_scan:.2f} s; findings {len(warm)}, "
              f"file errors {len(warm.errors)}")
        rest = scan - phases["read"] - phases["analyse"]
        print("phases (ms/file): "
              f"read {phases['read'] * 1000 / n:.2f} | "
              f"analyse {phases['analyse'] * 1000 / n:.2f} "
              f"(of which element walk {phases['walk'] * 1000 / n:.2f}) | "
              f"rest of scan (listing, tables) {rest * 1000 / n:.2f}")
        if args.profile:
            print(profile_scan(folder, args.profile))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
