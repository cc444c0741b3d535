"""Which files a scan reads, and the name each gets in the findings table."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from phidetect.findings import ErrorKind, FileError


@dataclass(frozen=True)
class ScanTarget:
    path: Path      # where to read it
    display: str    # the ``file`` column: relative to the scanned folder, else as given


def collect_targets(paths: Iterable[str | os.PathLike]) -> tuple[list[ScanTarget], list[FileError]]:
    """Files under ``paths`` (folders recursed, hidden files skipped, every suffix accepted:
    DICOM files often have none). Returns (targets, problems) where problems are
    errors of kind LISTING for paths that do not exist or cannot be listed."""
    paths = list(paths)
    targets: list[ScanTarget] = []
    problems: list[FileError] = []
    for given in paths:
        # one folder: names relative to it; several paths: keep the folder as given in front
        prefix = "" if len(paths) == 1 else Path(given).as_posix().rstrip("/") + "/"
        root = Path(given)
        if root.is_dir():
            walk_errors: list[OSError] = []
            for folder, dirs, names in os.walk(root, onerror=walk_errors.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    full = Path(folder) / name
                    targets.append(ScanTarget(full, prefix + full.relative_to(root).as_posix()))
            problems += [FileError(str(e.filename), ErrorKind.LISTING, f"cannot list folder: {e.strerror}")
                         for e in walk_errors]
        elif root.exists():
            targets.append(ScanTarget(root, str(given)))
        else:
            problems.append(FileError(str(given), ErrorKind.LISTING, "no such file or folder"))
    return targets, problems
