"""The file boundary: whatever happens to one file, a fault becomes one error row of that
file and the sweep goes on.

Only ``KeyboardInterrupt``, ``SystemExit`` and ``GeneratorExit`` pass: the user or the
interpreter asked to stop. Everything else is caught, ``BaseException`` subclasses too:
pylibjpeg-rle raises a Rust ``PanicException`` that derives from ``BaseException``.
Faults that end the process itself (python-gdcm's abort, a segfault, the OOM killer)
cannot be caught here; phidetect.pool runs files in worker processes for those.
"""

from __future__ import annotations

from phidetect.findings import ErrorKind, FileError, printable

#: What a file's guard lets through: requests to stop, never faults of the file.
PASS_THROUGH: tuple[type[BaseException], ...] = (KeyboardInterrupt, SystemExit, GeneratorExit)

#: The longest message an error row gets (a pydicom message may quote kilobytes of bytes).
MAX_MESSAGE = 300


def describe(exc: BaseException) -> str:
    """One line naming the fault: its type and the first line of its message, shortened."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, RecursionError):
        text = "nesting too deep to walk"
    elif isinstance(exc, MemoryError):
        text = text or "out of memory"
    kind = type(exc).__qualname__
    if type(exc).__module__ not in ("builtins", "__main__"):
        kind = f"{type(exc).__module__}.{kind}"  # "zlib.error", not "error"
    line = f"{kind}: {text}" if text else kind
    line = printable(line)
    return line if len(line) <= MAX_MESSAGE else line[:MAX_MESSAGE - 3] + "..."


def fault(display: str, kind: ErrorKind, exc: BaseException, doing: str) -> FileError:
    """The error row of ``exc`` raised while ``doing`` something to the file ``display``."""
    return FileError(display, kind, f"{doing}: {describe(exc)}")
