"""Where de-identified copies go, and how they are written.

Every output lies inside the output folder: each part of the input's relative path is
sanitised (no ``..``, no separators, no hidden or device names, no control characters),
names that collide after sanitising get a numbered suffix, and the final path is checked
to be under the folder. Files are written to a hidden temporary name beside the target
and then linked (or, when overwriting is allowed, renamed) into place, so a crash never
leaves half a file, and an existing file is never replaced unless asked.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pydicom.dataset import Dataset

from phidetect.redact.keys import keyed_digest

_UNSAFE = re.compile(r"[^\w.\-]", re.UNICODE)
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_PART = 200


def _file_mode() -> int:
    """What a plainly created file gets here (mkstemp's 0600 would hide copies from their readers)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


class OutputExists(FileExistsError):
    """The output file exists and overwriting was not asked for."""


def sanitise_part(part: str) -> str:
    """One path component made safe: word characters, dots and dashes only; never empty,
    hidden (a leading dot), a Windows device name, or longer than MAX_PART bytes."""
    part = "".join("_" if "\ud800" <= c <= "\udfff" else c for c in part)  # a name's undecodable bytes
    part = unicodedata.normalize("NFC", part)
    part = "".join(c for c in part if unicodedata.category(c)[0] != "C")
    part = _UNSAFE.sub("_", part).rstrip(". ")
    if part.startswith("."):
        part = "_" + part[1:]
    if part.split(".")[0].upper() in _RESERVED:
        part = "_" + part
    while len(part.encode("utf-8")) > MAX_PART:
        stem, dot, suffix = part.rpartition(".")
        part = (stem[:-1] + dot + suffix) if dot and len(suffix) <= 16 and stem else part[:-1]
    return part or "_"


def relative_parts(name: str) -> list[str]:
    """The input's relative name as safe components (``..`` and ``.`` dropped)."""
    parts = [p for p in re.split(r"[\\/]+", name) if p not in ("", ".", "..")]
    return [sanitise_part(p) for p in parts] or ["_"]


def hashed_parts(parts: list[str], secret: bytes) -> list[str]:
    """Names replaced by keyed hashes (folder and file names often hold patient names)."""
    out = []
    for index in range(len(parts)):
        stem = keyed_digest(secret, "name", "/".join(parts[:index + 1])).hex()[:16]
        out.append(stem + (".dcm" if index == len(parts) - 1 else ""))
    return out


def inside(root: Path, path: Path) -> bool:
    root, path = root.resolve(), path.resolve()
    return path != root and os.path.commonpath([root, path]) == str(root)


def output_path(root: Path, parts: list[str], used: set[str]) -> Path:
    """``root``/parts, with a numbered suffix when another input already took the name
    (compared without case: some file systems ignore it). Raises ValueError if the result
    would lie outside ``root``."""
    parts = list(parts)
    candidate = root.joinpath(*parts)
    number = 2
    while str(candidate).lower() in used:
        stem, dot, suffix = parts[-1].rpartition(".")
        base = f"{stem}_{number}{dot}{suffix}" if dot and stem else f"{parts[-1]}_{number}"
        candidate = root.joinpath(*parts[:-1], base)
        number += 1
    if not inside(root, candidate):
        raise ValueError(f"{candidate}: outside the output folder")
    used.add(str(candidate).lower())
    return candidate


def write_dataset(ds: Dataset, path: Path, *, overwrite: bool = False) -> None:
    """Write ``ds`` as a DICOM file (128-byte zero preamble, file meta) atomically."""
    if not overwrite and path.exists():
        raise OutputExists(f"{path}: exists (pass overwrite to replace it)")

    def save(temp: str) -> None:
        ds.preamble = b"\0" * 128  # applications put anything there, TIFF headers included
        ds.save_as(temp, enforce_file_format=True)

    place_atomically(path, save, overwrite=overwrite)


def place_atomically(path: Path, fill: Callable[[str], None], *, overwrite: bool) -> None:
    """``fill`` a hidden temporary file beside ``path``, then link (or, with ``overwrite``,
    rename) it into place: never half a file, never one replaced unasked (OutputExists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        os.chmod(temp, FILE_MODE)
        fill(temp)
        if overwrite:
            os.replace(temp, path)
        else:
            link_new(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def link_new(temp: str, path: Path) -> None:
    """Put ``temp`` at ``path`` only if nothing is there, without a race."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise OutputExists(f"{path}: exists (pass overwrite to replace it)") from None
    except OSError:  # file systems without hard links
        if path.exists():
            raise OutputExists(f"{path}: exists (pass overwrite to replace it)") from None
        os.replace(temp, path)
