"""Sweeps at release scale: files/s and peak memory of ``phidetect scan --out FOLDER`` at
1,000, 10,000 and 100,000 files, on the local pool and on ``--dask local:2``, and how the
report of the sweep folder grows with N.

The files are hard links to a set of rich headers made by ``phidetect synth`` (free text,
nested sequences, private blocks, burned-in text the header scan does not read), spread
over folders of 1,000, so N costs disk entries, not bytes. Each sweep runs as its own
command (``python -m phidetect scan``), timed whole; peak RSS is the largest of that
command's processes (``getrusage(RUSAGE_CHILDREN)``), so memory flat in N means the parent
holds a part, not the sweep. Ratios are against the smallest N of the same route. Nothing
is asserted.

    .venv/bin/python benchmarks/bench_sweep.py [--sizes 1000,10000,100000] [--workers 2] [--no-dask]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import phidetect
from phidetect.datasets.synthetic.generate import generate


def _linked_set(source: Path, target: Path, n: int) -> None:
    """``n`` hard links to the DICOM files under ``source``, 1,000 to a folder."""
    files = sorted(p for p in source.rglob("*.dcm"))
    for index in range(n):
        folder = target / f"d{index // 1000:04d}"
        if index % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        os.link(files[index % len(files)], folder / f"f{index:07d}.dcm")


_MEASURE = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _run(args: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS MiB of the command's processes, exit status) of one command, run
    under a fresh wrapper process so that each command's peak is its own."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    status, peak_kib = (int(x) for x in done.stdout.split()[-2:])
    if status not in (0, 1, 3):
        print(done.stderr[-2000:], file=sys.stderr)
    return seconds, peak_kib / 1024, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated file counts")
    parser.add_argument("--workers", type=int, default=2, help="local pool processes (and Dask workers)")
    parser.add_argument("--rich", type=int, default=200, help="distinct synthetic files the links point to")
    parser.add_argument("--no-dask", action="store_true", help="skip the --dask local:N runs")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        generate(tmp / "rich", args.rich, seed=15)
        (tmp / "rich" / "truth.csv").unlink(missing_ok=True)
        rows = []
        for n in sizes:
            files = tmp / f"in{n}"
            _linked_set(tmp / "rich", files, n)
            routes = [("local pool", ["--workers", str(args.workers)])]
            if not args.no_dask:
                routes.append((f"dask local:{args.workers}", ["--dask", f"local:{args.workers}"]))
            for route, extra in routes:
                out = tmp / f"sweep-{n}-{route.split()[0]}"
                command = [sys.executable, "-m", "phidetect", "scan", str(files), "--out", str(out),
                           "--no-progress", *extra]
                seconds, peak, status = _run(command)
                report = tmp / f"report-{n}.html"
                report_seconds, _, _ = _run([sys.executable, "-m", "phidetect", "report", str(out), "--out",
                                             str(report), "--max-thumbnails", "20"])
                size = report.stat().st_size / 1e6 if report.exists() else float("nan")
                findings = phidetect.read_sweep(out, columns=["phi_type"])
                rows.append((n, route, seconds, n / seconds, peak, len(findings), size, report_seconds, status))
                shutil.rmtree(out)
            shutil.rmtree(files)
    print(f"phidetect {phidetect.__version__}; {args.rich} rich synthetic headers, hard-linked; {os.cpu_count()} cores")
    print(f"{'files':>8} {'route':<14} {'seconds':>8} {'files/s':>8} {'peak MiB':>9} {'x smallest':>10} "
          f"{'findings':>10} {'report MB':>10} {'report s':>9}")
    first: dict[str, tuple[float, float]] = {}
    for n, route, seconds, rate, peak, findings, size, report_seconds, _ in rows:
        base_rate, base_peak = first.setdefault(route, (rate, peak))
        print(f"{n:>8} {route:<14} {seconds:>8.1f} {rate:>8.0f} {peak:>9.0f} {peak / base_peak:>9.2f}x "
              f"{findings:>10} {size:>10.2f} {report_seconds:>9.1f}")
    print("x smallest: peak memory against the smallest sweep of the same route (flat in N: near 1)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
