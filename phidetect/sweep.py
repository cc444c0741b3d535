"""A sweep folder: findings written as a sweep goes, so that a million files never sit in
one process's memory, and a sweep that dies at 90 % goes on from there.

Layout of ``DIR``::

    DIR/findings/part-000001.parquet   the findings schema
    DIR/errors/part-000001.parquet     file, kind, error
    DIR/files/part-000001.parquet      file, size, mtime_ns, findings, seconds, status, modality
    DIR/summary.json                   counts, verdict, whether the sweep completed
    DIR/settings.json                  what the findings depend on (confidence floor, OCR)

A part is written once ``part_files`` files or more were examined, each table atomically (a
temporary name, then a rename), the files table last: a part counts once its files table
exists, so a crash between two renames leaves a part that readers and ``resume`` ignore.
Every file's rows lie in one part, so the counts of the summary add up part by part and
the parent holds one part's rows at most. Resuming skips files the folder records with the
same size and modification time; a file that changed is scanned again and its newest rows
win; a resume with other settings (another --min-confidence, OCR on or off) is refused, as
one folder must not mix two kinds of sweep.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from phidetect.files import ScanTarget, collect_targets
from phidetect.findings import COLUMNS, ERROR_COLUMNS, FileError, Finding, errors_frame, findings_frame
from phidetect.ocr_settings import OcrSettings
from phidetect.output import write_table
from phidetect.result import Findings
from phidetect.scan import FileDone, scan_settings, scan_targets
from phidetect.sweep_summary import SweepSummary
from phidetect.text.recognizer import Registry

TABLES = ("findings", "errors", "files")
FILE_COLUMNS: dict[str, str] = {"file": "string", "size": "int64", "mtime_ns": "int64", "findings": "int64",
                                "seconds": "float64", "status": "string", "modality": "string"}
#: Files examined per part: a part's rows are all the parent holds.
PART_FILES = 1000
_PART = re.compile(r"part-(\d{6})\.parquet$")


class SweepFolderError(ValueError):
    """A folder that cannot take this sweep (not empty and not resumed, or not a sweep)."""


def is_sweep_path(out: str | os.PathLike) -> bool:
    """``--out`` names a sweep folder when it has no suffix or ends in a slash ("findings.txt"
    is neither a table nor a folder: a usage error)."""
    text = os.fspath(out)
    return text.endswith(("/", os.sep)) or Path(text).suffix == ""


def _parts(folder: Path, table: str) -> dict[int, Path]:
    found = {}
    for path in (folder / table).glob("part-*.parquet"):
        match = _PART.search(path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def part_path(folder: str | os.PathLike, table: str, part: int) -> Path:
    """Where part ``part`` of ``table`` (findings, errors, files) lies."""
    return Path(folder) / table / f"part-{part:06d}.parquet"


def newest_parts(folder: str | os.PathLike) -> pd.Series:
    """file -> the newest committed part that examined it (a file rescanned after it changed
    has its rows in a later part)."""
    files = _read(Path(folder), "files", committed_parts(folder), ["file"])
    return files.groupby("file")["_part"].max() if len(files) else pd.Series(dtype="int64")


def committed_parts(folder: str | os.PathLike) -> list[int]:
    """Numbers of the parts whose files table was written: the parts that count."""
    return sorted(_parts(Path(folder), "files"))


def _read(folder: Path, table: str, parts: list[int], columns: list[str] | None,
          files: list[str] | None = None) -> pd.DataFrame:
    paths = _parts(folder, table)
    where = [("file", "in", files)] if files is not None else None
    frames = [pd.read_parquet(paths[n], columns=columns, filters=where).assign(_part=n) for n in parts if n in paths]
    schema = {"findings": COLUMNS, "errors": ERROR_COLUMNS, "files": FILE_COLUMNS}[table]
    if not frames:
        empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in schema.items() if columns is None or c in columns})
        return empty.assign(_part=pd.Series(dtype="int64"))
    return pd.concat(frames, ignore_index=True)


def read_sweep(folder: str | os.PathLike, columns: list[str] | None = None,
               files: list[str] | None = None) -> Findings:
    """The findings of a sweep folder as a :class:`Findings` table (``.errors``,
    ``.files_scanned``), reading only ``columns`` (``file`` is always read) and, with
    ``files``, only those files' rows. Parts not committed are ignored; for a file scanned
    twice (changed before a resume) the newest part's rows are kept."""
    folder = Path(folder)
    parts = committed_parts(folder)
    newest = newest_parts(folder)
    wanted = None if columns is None else list(dict.fromkeys(["file", *columns]))
    findings = _newest(_read(folder, "findings", parts, wanted, files), newest)
    errors = _newest(_read(folder, "errors", parts, None), newest, keep_unlisted=True)
    findings = findings.sort_values(["file"], kind="stable").reset_index(drop=True)
    errors = errors.sort_values("file", kind="stable").reset_index(drop=True)
    return Findings.build(findings, errors, len(newest))


def committed_pairs(folder: str | os.PathLike, columns: list[str], file_columns: tuple[str, ...] = ()
                    ) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Each committed part as (findings, files), the newest rows of each file, one part at a
    time: what a summary or a report counts without holding the sweep. Findings carry
    ``columns`` (``file`` always) and, beside each row, the ``file_columns`` of the files
    table (``modality``); the files table (``file`` and ``file_columns``) is read only when
    some are asked for, once per part."""
    folder = Path(folder)
    newest = newest_parts(folder)
    wanted = list(dict.fromkeys(["file", *columns]))
    for part in committed_parts(folder):
        findings = pd.read_parquet(part_path(folder, "findings", part), columns=wanted)
        findings = findings[findings["file"].map(newest).eq(part)]
        files = pd.DataFrame(columns=["file"])
        if file_columns:
            files = _files_part(folder, part, file_columns)
            files = files[files["file"].map(newest).eq(part)]
            by_file = files.set_index("file")
            findings = findings.assign(**{c: findings["file"].map(by_file[c]) for c in file_columns})
        yield findings, files


def committed_batches(folder: str | os.PathLike, columns: list[str],
                      file_columns: tuple[str, ...] = ()) -> Iterator[pd.DataFrame]:
    """The findings of :func:`committed_pairs`, part by part."""
    return (findings for findings, _ in committed_pairs(folder, columns, file_columns))


def committed_files(folder: str | os.PathLike, columns: tuple[str, ...]) -> Iterator[pd.DataFrame]:
    """Each committed part's files table (``file`` and ``columns``), newest rows only."""
    return (files for _, files in committed_pairs(folder, [], columns))


def _files_part(folder: Path, part: int, columns: tuple[str, ...]) -> pd.DataFrame:
    """One files part, ``file`` and ``columns``; a column a sweep of an older phidetect did
    not write comes as ""."""
    path = part_path(folder, "files", part)
    present = set(pq.ParquetFile(path).schema_arrow.names)
    frame = pd.read_parquet(path, columns=["file", *(c for c in columns if c in present)])
    return frame.assign(**{c: "" for c in columns if c not in present})


def _newest(frame: pd.DataFrame, newest: pd.Series, keep_unlisted: bool = False) -> pd.DataFrame:
    """Rows from each file's newest part (errors of paths never examined, listing problems,
    are kept from the part that first recorded them)."""
    if frame.empty:
        return frame.drop(columns="_part")
    part_of = frame["file"].map(newest)
    keep = part_of.eq(frame["_part"]) | (part_of.isna() if keep_unlisted else False)
    kept = frame[keep]
    if keep_unlisted:
        kept = kept.drop_duplicates(subset=["file", "kind", "error"])
    return kept.drop(columns="_part")


class SweepWriter:
    """Writes one sweep folder part by part (see the module docstring)."""

    def __init__(self, folder: str | os.PathLike, *, resume: bool = False, part_files: int = PART_FILES,
                 fail_on: float = 0.5, settings: dict | None = None) -> None:
        self.folder = Path(folder)
        self.part_files = max(1, part_files)
        self.summary = SweepSummary(fail_on=fail_on)
        if self.folder.exists() and not self.folder.is_dir():
            raise SweepFolderError(f"{self.folder}: exists and is not a folder")
        parts = committed_parts(self.folder) if self.folder.is_dir() else []
        started = self.folder.is_dir() and any(self.folder.iterdir())
        if started and not resume:
            raise SweepFolderError(f"{self.folder}: not empty; add --resume to go on with that sweep, or name a new folder")
        if started and not (self.folder / "files").is_dir():
            raise SweepFolderError(f"{self.folder}: not a phidetect sweep folder (no files/ table)")
        self._check_settings(settings or {}, started)
        for table in TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)
        if not started:
            _write_json(self.folder / "settings.json", settings or {})
        self._next = (max(parts) + 1) if parts else 1
        self._pending: tuple[list[Finding], list[FileError], list[FileDone]] = ([], [], [])
        self.done: dict[str, tuple[int, int]] = {}
        self._seen_errors: set[tuple[str, str, str]] = set()
        if parts:
            self._load(parts)

    def _check_settings(self, settings: dict, started: bool) -> None:
        """A resumed sweep must be the same sweep: what its findings depend on unchanged."""
        recorded = self.folder / "settings.json"
        if not started or not recorded.is_file():
            return
        before = json.loads(recorded.read_text(encoding="utf-8"))
        if before != json.loads(json.dumps(settings)):
            changed = sorted(k for k in set(before) | set(settings) if before.get(k) != settings.get(k))
            raise SweepFolderError(f"{self.folder}: made with other settings ({', '.join(changed)}: "
                                   f"{', '.join(f'{k}={before.get(k)!r}' for k in changed)}); resume with those, "
                                   "or name a new folder")

    def _load(self, parts: list[int]) -> None:
        """What a resumed sweep already holds: its files, error rows and counts."""
        files = _read(self.folder, "files", parts, ["file", "size", "mtime_ns"])
        for row in files.itertuples():
            self.done[row.file] = (int(row.size), int(row.mtime_ns))
        for findings in committed_batches(self.folder, ["source", "phi_type", "confidence"]):
            self.summary.add(findings, pd.DataFrame(), 0)  # counted a part at a time
        errors = _newest(_read(self.folder, "errors", parts, None), newest_parts(self.folder), keep_unlisted=True)
        self.summary.add(pd.DataFrame(), errors, len(self.done))
        self._seen_errors = {(e.file, e.kind, e.error) for e in errors.itertuples()}

    def unchanged(self, target: ScanTarget) -> bool:
        """True when the folder records ``target`` as examined, unchanged since."""
        recorded = self.done.get(target.display)
        if recorded is None:
            return False
        try:
            info = os.stat(target.path)
        except OSError:
            return False
        return recorded == (info.st_size, info.st_mtime_ns)

    def add(self, found: list[Finding], problems: list[FileError], done: list[FileDone]) -> None:
        findings, errors, files = self._pending
        findings += found
        errors += [e for e in problems if (e.file, e.kind.value, e.message) not in self._seen_errors]
        files += done
        if len(files) >= self.part_files:
            self.flush()

    def flush(self) -> None:
        """Write the pending rows as the next part (files table last: the commit)."""
        findings, errors, files = self._pending
        if not (findings or errors or files):
            return
        name = f"part-{self._next:06d}.parquet"
        found, problems = findings_frame(findings), errors_frame(errors)
        write_table(found, self.folder / "findings" / name)
        write_table(problems, self.folder / "errors" / name)
        files_frame = pd.DataFrame([asdict(d) for d in files], columns=list(FILE_COLUMNS)).astype(FILE_COLUMNS)
        write_table(files_frame, self.folder / "files" / name)
        self.summary.add(found, problems, len({d.file for d in files} - set(self.done)))
        for d in files:
            self.done[d.file] = (d.size, d.mtime_ns)
        self._next += 1
        self._pending = ([], [], [])

    def close(self, *, complete: bool) -> SweepSummary:
        """Flush, then write summary.json (atomically); ``complete`` False for an interrupted sweep."""
        self.flush()
        self.summary.complete = complete
        _write_json(self.folder / "summary.json", self.summary.as_dict())
        return self.summary


def _write_json(path: Path, data: dict) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2, sort_keys=True)
    os.replace(temp, path)


def scan_to_folder(paths: list[str | os.PathLike], folder: str | os.PathLike, *, resume: bool = False,
                   part_files: int = PART_FILES, workers: int | None = None, min_confidence: float = 0.0,
                   progress: bool = True, registry: Registry | None = None, ocr: bool | str | OcrSettings = False,
                   file_timeout: float | None = None, fail_on: float = 0.5,
                   on_error: Callable[[FileError], None] | None = None, dask: str | None = None) -> SweepSummary:
    """Scan ``paths`` into the sweep folder ``folder`` (see the module docstring) and return
    the summary. On KeyboardInterrupt (Ctrl-C, or SIGTERM turned into one by the command)
    what was finished is written and summary.json says the sweep is not complete; the
    exception goes on to the caller. ``on_error`` sees each error row as it comes (the
    command prints them). ``dask``: run on that Dask cluster ("local", "local:N" or a
    scheduler's address) instead of the local process pool."""
    settings = scan_settings(min_confidence, registry, ocr)
    recorded = {"min_confidence": min_confidence, "ocr": None if settings.ocr is None else repr(settings.ocr),
                "registry": "default" if registry is None else ",".join(registry.rules)}
    writer = SweepWriter(folder, resume=resume, part_files=part_files, fail_on=fail_on, settings=recorded)
    targets, problems = collect_targets(paths)
    todo = [t for t in targets if not writer.unchanged(t)]
    writer.summary.skipped = len(targets) - len(todo)
    writer.add([], problems, [])
    try:
        if dask:
            from phidetect.distributed import scan_targets_dask
            results = scan_targets_dask(todo, settings, dask, progress=progress, file_timeout=file_timeout)
        else:
            results = scan_targets(todo, settings, workers=workers, progress=progress, file_timeout=file_timeout)
        for found, errors, done in results:
            writer.add(found, errors, done)
            for error in errors if on_error is not None else ():
                on_error(error)
    except BaseException:
        writer.close(complete=False)
        raise
    return writer.close(complete=True)
