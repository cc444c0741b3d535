"""pydicom's and pydicom-data's test files by name, never downloaded (a test whose file is
not installed is skipped, not failed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.data import get_testdata_file


def pydicom_file(name: str) -> Path:
    path = get_testdata_file(name, download=False)
    if path is None:
        pytest.skip(f"{name} is not installed (pydicom-data)")
    return Path(path)
