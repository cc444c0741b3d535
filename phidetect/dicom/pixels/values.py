"""Small helpers shared by the greyscale, colour and overlay code: numbers read leniently
from element values, and stored-value arrays as table keys."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from pydicom.multival import MultiValue


def as_int(value: Any, default: int = 0) -> int:
    """``int(value)``, or ``default`` for a missing or malformed element value."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def as_number(value: Any) -> float | None:
    """A finite float from a DS/IS/FD value (the first of several), else None."""
    if isinstance(value, (MultiValue, list, tuple)):
        value = value[0] if len(value) else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def native_order(arr: np.ndarray) -> np.ndarray:
    """``arr`` in the machine's byte order (a big endian file decodes to swapped arrays)."""
    return arr if arr.dtype.isnative else arr.astype(arr.dtype.newbyteorder("="))


def table_keys(arr: np.ndarray) -> np.ndarray:
    """Stored values as unsigned table indices of the same width (signed values wrap)."""
    return arr.view(np.dtype(f"u{arr.dtype.itemsize}"))


def every_value(dtype: np.dtype) -> np.ndarray:
    """Every value ``dtype`` can hold, in the order of table_keys: one table entry per stored value."""
    keys = np.dtype(f"u{dtype.itemsize}")
    return np.arange(1 << (8 * dtype.itemsize), dtype=keys).view(dtype)


def tabulable(arr: np.ndarray) -> bool:
    """Integers of at most 16 bits: small enough to tabulate every value they can hold."""
    return arr.dtype.kind in "iu" and arr.dtype.itemsize <= 2
