"""The fuzz sweep at benchmark size: ``--n`` mutated files (default 10,000) from
tests/fuzz_mutations.py through ``phidetect scan`` (header-only, as a new user would run
it), optionally a ``phidetect redact --no-ocr`` run over a slice.

Why: tests/test_fuzz.py proves the promises on 2,000 files in CI; this shows they hold at
sweep scale and what they cost. It prints, per mutation family, the files, the error rows,
the files with an error row and the files with findings; then the exit code, files/s, error
rows by kind and the peak resident memory of the phidetect process tree (getrusage of the
children: the largest single process, workers included).

Families (each a seeded function; a file ``{family}__{source}__{seed}.dcm`` is rebuilt by
``fuzz_mutations.mutate(family, seed)``): truncate_random, truncate_meta, truncate_pixels,
flip_bytes, wrong_length, wrong_vr, broken_meta (group length, transfer syntax UID),
deflate_corrupt, encapsulated_corrupt (items, offset table, fragments), absurd_pixels
(frames, bits, rows/columns, samples), deep_nesting (40-3000 levels), huge_text (``--huge-mb``
a value: a repeated name, PHI words, dots, digits), non_dicom (random, empty, text, PNG,
JPEG, zip, DICM + garbage), zeroed_magic (PHI intact behind a spoiled 'DICM').

    .venv/bin/python benchmarks/bench_fuzz.py                 # 10,000 files, 2 workers
    .venv/bin/python benchmarks/bench_fuzz.py --n 2000 --redact 300 --keep /tmp/fuzz
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fuzz_mutations import FAMILIES, generate  # noqa: E402
from fuzz_watch import family_table, format_table  # noqa: E402


def _cli(*args: str, timeout: int) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "phidetect", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=timeout)
    return proc, time.perf_counter() - started


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame({"file": [], "kind": [], "error": []})
    return pd.read_csv(path, keep_default_na=False, dtype=str)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def scan_run(folder: Path, names: list[str], work: Path, workers: int, timeout: int) -> None:
    out = work / "findings.csv"
    proc, seconds = _cli("scan", str(folder), "--workers", str(workers), "--no-progress", "--out", str(out),
                         timeout=timeout)
    findings, errors = _read(out), _read(out.with_name("findings.errors.csv"))
    counted = re.search(r"files scanned: (\d+)", proc.stdout)
    print(f"\n== scan: {len(names)} files, {workers} workers ==")
    print(format_table(family_table(names, set(findings.get("file", [])), list(errors.file))))
    print(f"exit code {proc.returncode}; files scanned {counted.group(1) if counted else '?'}; "
          f"findings {len(findings)}; error rows {len(errors)}; {seconds:.1f} s, {len(names) / seconds:.1f} files/s; "
          f"peak RSS {_peak_mb():.0f} MB")
    print("error rows by kind: " + ", ".join(f"{k} {v}" for k, v in Counter(errors.kind).most_common()))
    if "Traceback" in proc.stderr:
        print("TRACEBACK on stderr:\n" + proc.stderr[-2000:])


def redact_run(folder: Path, names: list[str], work: Path, workers: int, timeout: int) -> None:
    log = work / "redact.csv"
    proc, seconds = _cli("redact", str(folder), str(work / "redacted"), "--no-ocr", "--workers", str(workers),
                         "--no-progress", "--log", str(log), timeout=timeout)
    files = _read(log)
    errors = _read(log.with_name("redact.errors.csv"))
    written = set(files.input[files.status == "written"]) if "status" in files else set()
    print(f"\n== redact --no-ocr: {len(names)} files ('files with findings' = copies written) ==")
    print(format_table(family_table(names, written, list(errors.file))))
    statuses = dict(Counter(files.status)) if "status" in files else {}
    print(f"exit code {proc.returncode}; rows {len(files)} {statuses}; {seconds:.1f} s, "
          f"{len(names) / seconds:.1f} files/s; peak RSS {_peak_mb():.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="mutated files for the scan (default 10,000)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--huge-mb", type=float, default=2.0, help="size of a huge_text value (default 2 MB)")
    parser.add_argument("--redact", type=int, default=0, help="also redact this many files (default none)")
    parser.add_argument("--families", nargs="+", choices=sorted(FAMILIES), help="only these families")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them (default: a temp folder)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per CLI run before giving up")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-fuzz-") as temp:
        work = args.keep or Path(temp)
        families = tuple(args.families) if args.families else None
        started = time.perf_counter()
        paths = generate(work / "in", args.n, args.seed, families=families, huge_size=int(args.huge_mb * 1e6))
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"generated {len(paths)} files ({size:.0f} MB) in {time.perf_counter() - started:.1f} s "
              f"into {work / 'in'}")
        scan_run(work / "in", [p.name for p in paths], work, args.workers, args.timeout)
        if args.redact:
            rpaths = generate(work / "redact-in", args.redact, args.seed + 1, families=families,
                              huge_size=int(args.huge_mb * 1e6))
            redact_run(work / "redact-in", [p.name for p in rpaths], work, args.workers, args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
