"""The fuzz test (issue 13, item 5): a few thousand mutated real files (tests/fuzz_mutations.py)
through ``phidetect scan``, a smaller run through ``phidetect redact``, a tiny OCR run.

Why: one bad file must never stop a sweep. The assertions are the promises a data steward
relies on the morning after a million-file run: the exit code means what it says (0 clean,
1 PHI, the incomplete-sweep code when files could not be checked — never a crash), both
tables are written, every input is accounted for, no error message is a traceback, inputs are
byte-identical afterwards, no file hangs, and a redacted copy reads back and decodes to the
shape its input had. No assertion is on speed: the only clock is a hang detector (60 s a file,
tests/fuzz_watch.py) and a generous whole-run timeout.

To reproduce one failing file: its name is ``{family}__{source}__{seed}.dcm`` and
``fuzz_mutations.mutate(family, seed)`` gives its bytes. ``pytest -s`` prints the per-family
table; benchmarks/bench_fuzz.py runs the same with 10,000 files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from fuzz_mutations import MUST_ERROR, NEVER_CLEAN, PIXEL_FAMILIES, family_of, generate
from fuzz_watch import family_table, format_table, watch

from phidetect.commands import common

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SEED, N_SCAN, N_REDACT, N_OCR = 13, 2000, 200, 20
HUGE_SIZE = 1_000_000          # bytes of a huge_text value in CI
RUN_TIMEOUT = 1200             # whole CLI run: generous, a hang guard only
FILE_LIMIT = 60.0              # one file through the API: a hang detector, not a speed test
OK_CODES = {common.EXIT_CLEAN, common.EXIT_PHI, getattr(common, "EXIT_INCOMPLETE", 3)}
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \".*\", line \d+")


def _hashes(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _cli(*args: str, timeout: int = RUN_TIMEOUT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "phidetect", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, dtype=str)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Path], dict[str, str]]:
    folder = tmp_path_factory.mktemp("fuzz") / "in"
    paths = generate(folder, N_SCAN, SEED, huge_size=HUGE_SIZE)
    return folder, paths, _hashes(paths)


@pytest.fixture(scope="module")
def scanned(corpus, tmp_path_factory):
    folder, paths, _ = corpus
    out = tmp_path_factory.mktemp("fuzz-out") / "findings.csv"
    proc = _cli("scan", str(folder), "--workers", "2", "--no-progress", "--out", str(out))
    errors_csv = out.with_name(out.stem + ".errors.csv")
    findings = _read(out) if out.exists() else None
    errors = _read(errors_csv) if errors_csv.exists() else None
    if findings is not None and errors is not None:
        names = [p.name for p in paths]
        print("\nscan: exit", proc.returncode, "\n" + format_table(
            family_table(names, set(findings.file), list(errors.file))))
    return proc, findings, errors


def test_scan_exit_code(scanned):
    proc, _, _ = scanned
    assert proc.returncode in OK_CODES, f"exit {proc.returncode}\n{proc.stderr[-3000:]}"
    assert not TRACEBACK.search(proc.stderr), proc.stderr[-3000:]


def test_scan_tables_written(scanned):
    _, findings, errors = scanned
    assert findings is not None, "no findings table"
    assert errors is not None, "no errors table"
    assert {"file", "kind", "error"} <= set(errors.columns)


def test_scan_every_input_accounted(corpus, scanned):
    """Every input counted as scanned; no row names a file that was not given."""
    _, paths, _ = corpus
    proc, findings, errors = scanned
    counted = re.search(r"files scanned: (\d+)", proc.stdout)
    assert counted, proc.stdout[-2000:]
    assert int(counted.group(1)) == len(paths)
    names = {p.name for p in paths}
    assert set(findings.file) <= names
    assert set(errors.file) <= names


def test_scan_error_messages_are_one_line(scanned):
    _, _, errors = scanned
    bad = errors[errors.error.str.contains("\n") | errors.error.str.contains(TRACEBACK) | (errors.error == "")]
    assert bad.empty, bad.head(10).to_string()
    assert (errors.kind != "").all()


def test_unreadable_families_are_error_rows(corpus, scanned):
    """No DICOM structure at all: an error row each, never a clean file."""
    _, paths, _ = corpus
    _, _, errors = scanned
    missing = [p.name for p in paths if family_of(p.name) in MUST_ERROR and p.name not in set(errors.file)]
    assert not missing, missing[:10]


def test_phi_families_never_pass_clean(corpus, scanned):
    """Zeroed magic, deep nesting, huge values all carry a readable PatientName: a finding or
    an error row, never silence."""
    _, paths, _ = corpus
    _, findings, errors = scanned
    seen = set(findings.file) | set(errors.file)
    silent = [p.name for p in paths if family_of(p.name) in NEVER_CLEAN and p.name not in seen]
    assert not silent, silent[:10]


def test_scan_leaves_inputs_unchanged(corpus, scanned):
    _, paths, before = corpus
    assert _hashes(paths) == before


def test_scan_file_never_raises_or_hangs(corpus):
    """The Python API, one file at a time under a watchdog: no exception escapes, no process
    dies, no file runs past FILE_LIMIT (a hang, not a speed limit)."""
    _, paths, _ = corpus
    results = watch("scan_file", paths, FILE_LIMIT)
    assert len(results) == len(paths)
    bad = {name: row for name, row in results.items() if {"raised", "died", "hang"} & set(row)}
    summary = {}
    for name, row in bad.items():
        what = row.get("raised", "").split(":")[0] or ("hang" if "hang" in row else f"died {row.get('died')}")
        summary.setdefault(f"{family_of(name)}: {what}", []).append(name)
    assert not bad, "\n".join(f"{k} x{len(v)} e.g. {v[0]}" for k, v in sorted(summary.items()))


@pytest.fixture(scope="module")
def redacted(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz-redact")
    families = PIXEL_FAMILIES + ("broken_meta", "deflate_corrupt", "zeroed_magic", "non_dicom", "deep_nesting")
    paths = generate(base / "in", N_REDACT, SEED + 1, families=families)
    before = _hashes(paths)
    log = base / "log.csv"
    proc = _cli("redact", str(base / "in"), str(base / "out"), "--no-ocr", "--workers", "2", "--no-progress",
                "--log", str(log))
    return base, paths, before, proc, log


def test_redact_run(redacted):
    base, paths, before, proc, log = redacted
    assert proc.returncode in OK_CODES, f"exit {proc.returncode}\n{proc.stderr[-3000:]}"
    assert not TRACEBACK.search(proc.stderr), proc.stderr[-3000:]
    assert log.exists(), "no files table"
    files = _read(log)
    errors_csv = log.with_name(log.stem + ".errors.csv")
    errors = _read(errors_csv) if errors_csv.exists() else pd.DataFrame({"file": []})
    names = [p.name for p in paths]
    print("\nredact: exit", proc.returncode, dict(files.status.value_counts()), "\n" + format_table(
        family_table(names, set(files.input[files.status == "written"]), list(errors.file))))
    assert sorted(files.input) == sorted(names), "every input has one row in the files table"
    assert _hashes(paths) == before, "inputs changed"
    assert not [p for p in (base / "out").rglob("*") if p.is_file() and p.suffix in {".tmp", ".part"}]


def test_redacted_copies_read_back_with_their_shape(redacted):
    """A copy reads with pydicom; when its input decoded, the copy decodes to the same shape."""
    base, paths, _, _, log = redacted
    files = _read(log)
    written = files[files.status == "written"]
    outputs = [Path(o) if Path(o).is_absolute() else base / "out" / o for o in written.output]
    inputs = [base / "in" / i for i in written.input]
    decoded_in = watch("decode", inputs, FILE_LIMIT)
    decoded_out = watch("decode", outputs, FILE_LIMIT)
    problems = []
    for source, copy in zip(inputs, outputs, strict=True):
        out_row = decoded_out.get(copy.name, {})
        if not out_row.get("read"):
            problems.append(f"{source.name}: copy does not read: {out_row}")
            continue
        shape = decoded_in.get(source.name, {}).get("shape")
        if shape is not None and out_row.get("shape") != shape:
            problems.append(f"{source.name}: input {shape}, copy {out_row.get('shape')} {out_row.get('why', '')}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.ocr
def test_ocr_scan_of_mutated_pixels(tmp_path):
    """A few files with spoiled pixel data through ``scan --ocr``: one error row at most each,
    the sweep goes on (decoders that abort or panic cost one row)."""
    engine = "tesseract" if shutil.which("tesseract") else "easyocr"
    paths = generate(tmp_path / "in", N_OCR, SEED + 2, families=("truncate_pixels", "encapsulated_corrupt",
                                                                   "absurd_pixels"))
    before = _hashes(paths)
    out = tmp_path / "findings.csv"
    proc = _cli("scan", str(tmp_path / "in"), "--ocr", "--ocr-engine", engine, "--workers", "2", "--no-progress",
                "--out", str(out))
    assert proc.returncode in OK_CODES, f"exit {proc.returncode}\n{proc.stderr[-3000:]}"
    assert out.exists() and out.with_name("findings.errors.csv").exists()
    counted = re.search(r"files scanned: (\d+)", proc.stdout)
    assert counted and int(counted.group(1)) == len(paths), proc.stdout[-2000:]
    assert not TRACEBACK.search(proc.stderr), proc.stderr[-3000:]
    assert _hashes(paths) == before
