"""The de-identification tools people use, audited against their originals (phidetect audit).

Each tool copies the same originals: deid (its default recipe), dicognito (defaults; it
renames files by their new UID, so copies pair by pixel content), Kitware's
dicom-anonymizer (defaults), and ``phidetect redact`` (research and basic policies).
Every copy is audited against the originals with the originals' findings (scanned once,
with OCR, and reused), and one table per data set says, per tool: header items leaked and
burned-in boxes leaked (at or above 0.5), non-PHI elements removed or altered, pixels
changed outside the PHI boxes, files broken (no copy, or a copy that does not read), and
the tool's seconds. Peers run from their own virtual environment (benchmarks/
requirements-peers.txt, made on first use in benchmarks/.peers-venv): never the package's
dependencies. Nothing is asserted.

    .venv/bin/python benchmarks/bench_audit_tools.py [--synth 24] [--seed 7] [--tools deid,dicognito,...]
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

import pandas as pd

import phidetect
from phidetect.datasets.packaged import package_folder

HERE = Path(__file__).resolve().parent
PEERS = Path(os.environ.get("PHIDETECT_PEERS_VENV", HERE / ".peers-venv"))
PEER_REQUIREMENTS = HERE / "requirements-peers.txt"
FAIL_ON = 0.5

#: deid writes every file to one folder, and dicom-anonymizer reads one folder without its
#: subfolders: both run per folder, so the tree (and its names) stay.
DEID_DRIVER = """
import sys, pathlib
from deid.dicom import replace_identifiers
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for folder in sorted({p.parent for p in src.rglob('*.dcm')}):
    target = out / folder.relative_to(src)
    target.mkdir(parents=True, exist_ok=True)
    files = [str(p) for p in sorted(folder.glob('*.dcm'))]
    replace_identifiers(dicom_files=files, save=True, output_folder=str(target), overwrite=True)
"""


def peer_python() -> Path:
    """The peers' interpreter, their environment made on first use."""
    python = PEERS / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(PEER_REQUIREMENTS)], check=True)
    return python


def run_tool(tool: str, source: Path, out: Path) -> float:
    """Copy ``source`` into ``out`` with ``tool``; returns its seconds (whole command)."""
    started = time.perf_counter()
    if tool == "deid":
        command = [str(peer_python()), "-c", DEID_DRIVER, str(source), str(out)]
    elif tool == "dicognito":
        command = [str(peer_python()), "-m", "dicognito", "--output-directory", str(out),
                   "--assume-burned-in-annotation", "never", "--quiet", str(source)]
    elif tool == "dicom-anonymizer":
        peer_python()
        for folder in sorted({p.parent for p in source.rglob("*.dcm")}):
            target = out / folder.relative_to(source)
            target.mkdir(parents=True, exist_ok=True)
            _run(tool, [str(PEERS / "bin" / "dicom-anonymizer"), str(folder), str(target)])
        return time.perf_counter() - started
    elif tool.startswith("phidetect-"):
        command = [sys.executable, "-m", "phidetect", "redact", str(source), str(out), "--policy",
                   tool.split("-", 1)[1], "--no-progress"]
    else:
        raise ValueError(f"unknown tool {tool}")
    _run(tool, command)
    return time.perf_counter() - started


def _run(tool: str, command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # phidetect redact exits 1 when it leaves PHI
        print(f"  {tool}: exit {done.returncode}: {done.stderr.strip()[-300:]}", file=sys.stderr)


def tool_row(tool: str, result: phidetect.AuditResult, originals: int, seconds: float) -> dict:
    leaked = result.leaked(FAIL_ON)
    utility = result.utility
    outside = int(utility["pixels_outside_boxes"].sum()) if len(utility) else 0
    unpaired = int((result.unpaired["side"] == "original").sum()) if len(result.unpaired) else 0
    broken = unpaired + int((result.errors["side"] == "copy").sum()) if len(result.errors) else unpaired
    return {
        "tool": tool,
        "header leaked": int((leaked["source"] == "tag").sum()),
        "header items": int((result["source"] == "tag").sum()),
        "boxes leaked": int((leaked["source"] != "tag").sum()),
        "boxes": int((result["source"] != "tag").sum()),
        "non-PHI elements lost": int(utility["removed"].sum() + utility["altered"].sum()) if len(utility) else 0,
        "pixels damaged %": round(100 * int(utility["pixels_changed"].sum()) / outside, 2) if outside else 0.0,
        "files broken": f"{broken}/{originals}",
        "paired by": ",".join(sorted(set(result.pairs["paired_by"]))),
        "tool s": round(seconds, 1),
    }


def originals_sets(work: Path, synth: int, seed: int) -> dict[str, Path]:
    """The packaged real files (pseudo-PHI samples, deid-data) and a synthetic set, as folders."""
    sets: dict[str, Path] = {}
    real = work / "real"
    samples = Path(__file__).resolve().parents[1] / "tests" / "data" / "pseudo-phi-samples"
    for path in sorted(samples.glob("*.dcm")):
        (real / "pseudo-phi").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, real / "pseudo-phi" / path.name)
    deid = package_folder("deid_data")
    if deid is not None:
        for folder in ("humans", "ultrasounds", "dicom-cookies"):
            for path in sorted((deid / folder).glob("*.dcm")):
                (real / folder).mkdir(parents=True, exist_ok=True)
                shutil.copy(path, real / folder / path.name)
    sets["packaged real"] = real
    if synth:
        from phidetect.datasets.synthetic import generate

        generate(str(work / "synth"), synth, seed)
        (work / "synth" / "truth.csv").unlink()
        sets[f"synth n={synth} seed={seed}"] = work / "synth"
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synth", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tools", default="deid,dicognito,dicom-anonymizer,phidetect-research,phidetect-basic")
    parser.add_argument("--no-ocr", action="store_true", help="header items only (no burned-in boxes)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="phidetect-audit-tools-"))
    try:
        for name, originals in originals_sets(work, args.synth, args.seed).items():
            count = len(list(originals.rglob("*.dcm")))
            started = time.perf_counter()
            findings = phidetect.scan(originals, ocr=not args.no_ocr, progress=False)
            scanned = time.perf_counter() - started
            rows = []
            for tool in args.tools.split(","):
                out = work / "copies" / name.replace(" ", "_") / tool
                seconds = run_tool(tool, originals, out)
                started = time.perf_counter()
                result = phidetect.audit(originals, out, findings=findings)
                audited = time.perf_counter() - started
                rows.append({**tool_row(tool, result, count, seconds), "audit s": round(audited, 1)})
            print(f"\n== {name}: {count} files; originals scanned{' with OCR' if not args.no_ocr else ''} "
                  f"in {scanned:.1f} s, {len(findings)} PHI items ==")
            print(pd.DataFrame(rows).to_string(index=False))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
