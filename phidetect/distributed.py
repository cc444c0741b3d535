"""Scanning on Dask, for sweeps larger than one machine.

The same per-file work as :func:`phidetect.scan` (``scan_file``) mapped over a
``dask.bag``; with a ``dask.distributed`` Client active, the files are read by the
cluster's workers (the paths must be visible to them, e.g. on a shared file system).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from phidetect.files import collect_targets
from phidetect.findings import errors_frame, findings_frame
from phidetect.result import Findings
from phidetect.scan import scan_file


def _scan_one(target, min_confidence: float) -> tuple[list, list]:
    return scan_file(target.path, file=target.display, min_confidence=min_confidence)


def scan_dask(paths: str | os.PathLike | Iterable[str | os.PathLike], *, min_confidence: float = 0.0,
              partition_size: int = 64, scheduler: str | None = None) -> Findings:
    """Like :func:`phidetect.scan`, computed with Dask. ``scheduler`` is passed to
    ``dask.compute`` ("processes", "threads", "synchronous"); None uses the active Client
    or Dask's default."""
    try:
        import dask
        import dask.bag as db
    except ImportError as exc:  # an optional extra: say how to get it
        raise ImportError("scan_dask needs Dask: pip install 'phidetect[scale]'") from exc
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    targets, problems = collect_targets(paths)
    errors = list(problems)
    findings = []
    if targets:
        bag = db.from_sequence(targets, partition_size=partition_size).map(_scan_one, min_confidence)
        (results,) = dask.compute(bag, scheduler=scheduler)
        for found, problems_ in results:
            findings += found
            errors += problems_
    return Findings.build(findings_frame(findings), errors_frame(errors), len(targets))
