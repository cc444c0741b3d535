"""How much slower a header scan is than just reading the headers, on the same files.

Reading is the floor no scanner can beat, so phidetect's speed is reported as a ratio
to bare ``pydicom.dcmread(stop_before_pixels=True)`` over the same files, in the same
run: a ratio travels between machines where files/s does not. The headline is the whole
command (``phidetect scan FOLDER --workers 1 --out F.parquet``, start-up and output
included) against a command that only reads every header, each best of ``--repeat``.
Target: ratio <= 3 (aim 2). Nothing here asserts a time; it prints numbers.

Two shapes of rich synthetic headers (``phidetect synth``: free text, nested sequences,
private blocks), because a sweep's cost depends on how often values repeat:
- unique: every file another patient and study (the worst case: nothing repeats);
- series: ``--series K`` instances per study, as a release holds them (a CT series is
  100-300 slices): per-instance values (UIDs, instance number, position) differ.
With ``--packaged``, pydicom's and deid's small real test files are measured too.

    python benchmarks/bench_scan_tags.py [--synth 1200] [--series 10] [--repeat 3] [--packaged] [--profile 25]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pydicom
import pydicom.uid

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
    """Best time of three streaming passes, each a step longer: read (phidetect's reader),
    read + walk (element values to text, which decodes pydicom's lazily parsed values),
    read + analyse (header_findings: walk, profile, recognizers, merge; answers remembered
    from the scans before). Differences give each step's cost; nothing is held between
    files, as in a scan."""
    registry = shared_registry()

    def each(step: Callable[[object], object]) -> None:
        for path in paths:
            with contextlib.suppress(DicomReadError):  # the scan reports these; nothing to time
                step(read_dicom(path, headers_only=True))

    return {
        "read": best_of(repeat, lambda: each(lambda dataset: None)),
        "walk": best_of(repeat, lambda: each(lambda dataset: list(iter_elements(dataset, errors=[])))),
        "analyse": best_of(repeat, lambda: each(lambda dataset: header_findings(dataset, "", registry, []))),
    }


def profile_scan(folder: Path, top: int) -> str:
    """cProfile of one single-worker scan, top ``top`` functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    phidetect.scan(folder, workers=1, progress=False)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def series_copies(sources: list[Path], folder: Path, per_series: int, count: int) -> list[Path]:
    """``count`` files: each source header as ``per_series`` instances of one series (new
    SOP Instance UID, instance number, slice position), without the pixel data a header
    scan does not read, so the set costs little disk."""
    paths: list[Path] = []
    for index in range(count):
        source, instance = sources[(index // per_series) % len(sources)], index % per_series
        dataset = pydicom.dcmread(source, stop_before_pixels=True)
        dataset.SOPInstanceUID = pydicom.uid.generate_uid(entropy_srcs=[str(index)])
        dataset.file_meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
        dataset.InstanceNumber = instance + 1
        dataset.SliceLocation = instance * 2.5
        if "ImagePositionPatient" in dataset:
            dataset.ImagePositionPatient = [0.0, 0.0, instance * 2.5]
        target = folder / f"{index:05d}_{source.name}"
        dataset.save_as(target)
        paths.append(target)
    return paths


_BARE_COMMAND = ("import sys, warnings, pathlib, pydicom\nwarnings.simplefilter('ignore')\n"
                 "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.dcm')):\n"
                 "    pydicom.dcmread(p, stop_before_pixels=True)\n")


def whole_commands(folder: Path, out: Path, repeat: int, workers: int | None) -> tuple[float, float]:
    """(bare read command, phidetect scan command) wall seconds, best of ``repeat`` each."""
    bare = best_of(repeat, lambda: subprocess.run([sys.executable, "-c", _BARE_COMMAND, str(folder)], check=True))
    scan_args = [sys.executable, "-m", "phidetect", "scan", str(folder), "--out", str(out), "--no-progress"]
    if workers is not None:
        scan_args += ["--workers", str(workers)]
    scan = best_of(repeat, lambda: subprocess.run(scan_args, stdout=subprocess.DEVNULL, check=False))
    return bare, scan


def in_process(paths: list[Path], folder: Path, repeat: int) -> dict[str, float]:
    """Seconds of the passes inside one process: bare reads, a scan with nothing remembered
    (each file's answers worked out), a repeated scan (everything remembered), decoding."""
    registry = shared_registry()
    bare_read(paths)  # OS file cache

    def first_pass() -> None:
        registry.forget()
        phidetect.scan(folder, workers=1, progress=False)

    return {
        "bare": best_of(repeat, lambda: bare_read(paths)),
        "first": best_of(repeat, first_pass),
        "repeat": best_of(repeat, lambda: phidetect.scan(folder, workers=1, progress=False)),
        "decoded": best_of(repeat, lambda: decoded_read(paths)),
    }


def report_set(label: str, paths: list[Path], folder: Path, workdir: Path, args: argparse.Namespace) -> None:
    n = len(paths)
    out = workdir / "findings.parquet"
    bare_cmd, scan_cmd = whole_commands(folder, out, args.repeat, 1)
    _, scan_default = whole_commands(folder, out, args.repeat, None)
    found = pd.read_parquet(out, columns=["phi_type"])
    times = in_process(paths, folder, args.repeat)
    phases = phase_times(paths, args.repeat)
    ratio = scan_cmd / bare_cmd
    print(f"\n== {label}: {n} files ==")
    print(f"whole command, 1 worker: bare read {bare_cmd:.2f} s, phidetect scan {scan_cmd:.2f} s: "
          f"ratio {ratio:.2f}x (target <= {TARGET_RATIO:g}: {'met' if ratio <= TARGET_RATIO else 'NOT met'}); "
          f"{len(found)} findings")
    print(f"whole command, default workers ({os.cpu_count()} cores): {scan_default:.2f} s: "
          f"ratio {scan_default / bare_cmd:.2f}x")
    per = {k: v * 1000 / n for k, v in times.items()}
    print(f"in one process (ms/file): bare {per['bare']:.3f} | scan, nothing remembered {per['first']:.3f} "
          f"({times['first'] / times['bare']:.2f}x) | scan repeated {per['repeat']:.3f} "
          f"({times['repeat'] / times['bare']:.2f}x) | dcmread + decode every element {per['decoded']:.3f} "
          f"({times['decoded'] / times['bare']:.2f}x)")
    walk, analyse = phases["walk"] - phases["read"], phases["analyse"] - phases["walk"]
    print(f"steps, repeated (ms/file): read {phases['read'] * 1000 / n:.3f} | walk {walk * 1000 / n:.3f} | "
          f"rules, merge, findings {analyse * 1000 / n:.3f} | rest of the scan (listing, tables) "
          f"{(times['repeat'] - phases['analyse']) * 1000 / n:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synth", type=int, default=1200, metavar="N", help="files in each synthetic set")
    parser.add_argument("--series", type=int, default=10, metavar="K", help="instances per series in the series set")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--packaged", type=int, default=0, metavar="N",
                        help="also N copies of the packaged real test files (pydicom, deid)")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP",
                        help="also print a cProfile of one scan of the series set (top TOP functions)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # pydicom warns on its deliberately odd test files
    from phidetect.datasets.synthetic.generate import generate

    print(f"cores: os.cpu_count() = {os.cpu_count()}; best of {args.repeat}; python {sys.version.split()[0]}, "
          f"pydicom {pydicom.__version__}, phidetect {phidetect.__version__}")
    workdir = Path(tempfile.mkdtemp(prefix="phidetect-bench-"))
    try:
        generate(workdir / "rich", args.synth, seed=11)
        sources = sorted((workdir / "rich").rglob("*.dcm"))
        unique = workdir / "unique"
        unique.mkdir()
        report_set("unique: every file another patient", fill_folder(sources, unique, args.synth), unique,
                   workdir, args)
        series = workdir / "series"
        series.mkdir()
        series_paths = series_copies(sources, series, args.series, args.synth)
        report_set(f"series: {args.series} instances per study", series_paths, series, workdir, args)
        if args.packaged:
            packaged = workdir / "packaged"
            packaged.mkdir()
            report_set("packaged real test files (copies)", fill_folder(readable_sources(), packaged, args.packaged),
                       packaged, workdir, args)
        if args.profile:
            print(profile_scan(series, args.profile))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
