"""Which files a scan reads, and the name each gets in the findings table.

Only regular files are read: a FIFO blocks whoever opens it and a device (or a link to
/dev/zero) never ends, so those are error rows of kind NOT_REGULAR, checked with
``os.stat`` (links followed) before anything opens them. Names that are not valid UTF-8
(os.fsdecode's surrogate escapes) are shown escaped (``\\xNN``) in every table.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from phidetect.findings import ErrorKind, FileError, printable


@dataclass(frozen=True)
class ScanTarget:
    path: Path      # where to read it
    display: str    # the ``file`` column: relative to the scanned folder, else as given; always printable


def regular_file_problem(path: Path, display: str) -> FileError | None:
    """The error row of a path that must not be opened (not a regular file, a broken link), or None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return FileError(display, ErrorKind.LISTING, "no such file (a broken link)" if os.path.islink(path) else "no such file")
    except OSError as exc:
        return FileError(display, ErrorKind.LISTING, f"cannot stat: {exc.strerror or exc}")
    if stat.S_ISREG(mode):
        return None
    what = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
        else "a socket" if stat.S_ISSOCK(mode) else "not a file"
    link = " (a link to it)" if os.path.islink(path) else ""
    return FileError(display, ErrorKind.NOT_REGULAR, f"{what}{link}, not a regular file: never opened")


def collect_targets(paths: Iterable[str | os.PathLike]) -> tuple[list[ScanTarget], list[FileError]]:
    """Files under ``paths`` (folders recursed, hidden files skipped, every suffix accepted:
    DICOM files often have none). Returns (targets, problems) where problems are errors of
    kind LISTING for paths that do not exist or cannot be listed, and NOT_REGULAR for
    FIFOs, devices and sockets; every name listed is in one or the other."""
    paths = list(paths)
    targets: list[ScanTarget] = []
    problems: list[FileError] = []

    def add(full: Path, display: str) -> None:
        problem = regular_file_problem(full, display)
        if problem is None:
            targets.append(ScanTarget(full, display))
        else:
            problems.append(problem)

    for given in paths:
        # one folder: names relative to it; several paths: keep the folder as given in front
        shown = printable(os.fspath(given))
        prefix = "" if len(paths) == 1 else Path(shown).as_posix().rstrip("/") + "/"
        root = Path(given)
        if root.is_dir():
            walk_errors: list[OSError] = []
            for folder, dirs, names in os.walk(root, onerror=walk_errors.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    full = Path(folder) / name
                    add(full, prefix + printable(full.relative_to(root).as_posix()))
            problems += [FileError(printable(str(e.filename)), ErrorKind.LISTING,
                                   f"cannot list folder: {e.strerror}") for e in walk_errors]
        elif root.exists() or root.is_symlink():
            add(root, shown)
        else:
            problems.append(FileError(shown, ErrorKind.LISTING, "no such file or folder"))
    return targets, problems
