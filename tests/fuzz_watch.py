"""Run one job per file in a child process under a watchdog, for the fuzz test.

Why a child: the files are made to break things. A codec that aborts the process, a decode
that asks for gigabytes, or a scan that never ends must cost one result row here, not the
test run. The child prints a line before and after each file; the parent gives each file
``limit`` seconds (a hang detector, not a speed test), and when the child dies or stalls it
records that file as ``died``/``hang`` and starts a fresh child on the next file.

Jobs: ``scan_file`` (the Python API: findings count, error rows, or the exception it let
escape) and ``decode`` (pydicom's own read and pixel decode: the array shape, or why not).
"""

from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
import time
from pathlib import Path

from fuzz_mutations import family_of

MEMORY_LIMIT = 6 << 30  # address space of the child: a runaway decode raises MemoryError instead


def _scan_file(path: str) -> dict:
    from phidetect.scan import scan_file

    findings, errors = scan_file(path, file=Path(path).name)
    return {"findings": len(findings), "errors": [[getattr(e.kind, "value", str(e.kind)), e.message] for e in errors]}


def _decode(path: str) -> dict:
    import pydicom

    ds = pydicom.dcmread(path)  # raises: the file does not read ("raised")
    if "PixelData" not in ds:
        return {"read": True, "shape": None, "why": "no pixel data"}
    try:
        return {"read": True, "shape": list(ds.pixel_array.shape)}
    except Exception as exc:  # noqa: BLE001 - read, but the pixels do not decode
        return {"read": True, "shape": None, "why": f"{type(exc).__name__}: {str(exc)[:200]}"}


JOBS = {"scan_file": _scan_file, "decode": _decode}


def child(job: str) -> None:
    """Read paths from stdin (one JSON list), print one JSON line per event."""
    import warnings

    warnings.simplefilter("ignore")
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    paths = json.load(sys.stdin)
    out = sys.stdout
    for index, path in enumerate(paths):
        print(json.dumps({"i": index, "event": "start"}), file=out, flush=True)
        started = time.perf_counter()
        try:
            row = JOBS[job](path)
        except Exception as exc:  # noqa: BLE001 - recorded: the point of the run
            row = {"raised": f"{type(exc).__name__}: {str(exc)[:300]}"}
        row.update(i=index, event="done", seconds=round(time.perf_counter() - started, 3))
        print(json.dumps(row), file=out, flush=True)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def watch(job: str, paths: list[Path], limit: float = 60.0) -> dict[str, dict]:
    """{path name: result row} for every path; a row has ``raised``, ``died`` or ``hang``
    when the job let an exception out, the child died, or the file ran past ``limit`` s."""
    results: dict[str, dict] = {}
    todo = [str(p) for p in paths]
    while todo:
        proc = subprocess.Popen([sys.executable, __file__, job], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=_env(), text=True)
        proc.stdin.write(json.dumps(todo))
        proc.stdin.close()
        current, deadline, before = None, time.monotonic() + limit + 30, len(results)  # +30: imports
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:  # stalled past the limit
                proc.kill()
                proc.wait()
                if current is None:
                    raise RuntimeError(f"fuzz_watch child for {job} did not start")
                results[Path(todo[current]).name] = {"hang": True, "seconds": limit}
                break
            line = proc.stdout.readline()
            if not line:  # the child exited
                code = proc.wait()
                if current is not None:
                    results[Path(todo[current]).name] = {"died": code}
                break
            if not line.startswith("{"):  # something else printed to stdout
                continue
            row = json.loads(line)
            if row["event"] == "start":
                current, deadline = row["i"], time.monotonic() + limit
            else:
                results[Path(todo[row["i"]]).name] = row
                current = None
        if len(results) == before:  # died between files: blame the next one, never loop
            results[Path(todo[0]).name] = {"died": proc.returncode}
        done_upto = max((i for i, p in enumerate(todo) if Path(p).name in results), default=-1)
        todo = todo[done_upto + 1:]
        proc.stdout.close()
    return results


def family_table(names: list[str], findings_files: set[str] | list[str],
                 error_files: list[str]) -> dict[str, dict[str, int]]:
    """Per family: files, error rows, files with an error row, files with findings."""
    table = {family_of(n): {"files": 0, "error rows": 0, "files with errors": 0, "files with findings": 0}
             for n in names}
    named = set(names)
    for name in names:
        table[family_of(name)]["files"] += 1
    for name in set(findings_files) & named:
        table[family_of(name)]["files with findings"] += 1
    for name in error_files:
        if name in named:
            table[family_of(name)]["error rows"] += 1
    for name in set(error_files) & named:
        table[family_of(name)]["files with errors"] += 1
    return table


def format_table(table: dict[str, dict[str, int]]) -> str:
    """The per-family table as aligned text."""
    columns = ["files", "error rows", "files with errors", "files with findings"]
    lines = [f"{'family':<22}" + "".join(f"{c:>20}" for c in columns)]
    for family, row in sorted(table.items()):
        lines.append(f"{family:<22}" + "".join(f"{row[c]:>20}" for c in columns))
    totals = {c: sum(r[c] for r in table.values()) for c in columns}
    lines.append(f"{'total':<22}" + "".join(f"{totals[c]:>20}" for c in columns))
    return "\n".join(lines)


if __name__ == "__main__":
    child(sys.argv[1])
