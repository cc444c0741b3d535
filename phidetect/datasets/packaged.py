"""Real DICOM files that ship inside installed PyPI packages, found on disk.

Never calls ``pydicom.data.get_testdata_files('*')``: that asks the network for files
that are not installed. Every folder here is read from the package's own install.
"""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

#: package -> folder (inside the package) that holds its DICOM files
SOURCES = {
    "pydicom": "data/test_files",
    "data_store": "data",          # PyPI package pydicom-data
    "deid_data": "data",           # PyPI package deid-data
}
_NOT_DICOM_SUFFIXES = {".py", ".pyc", ".json", ".txt", ".md", ".gz", ".zip", ".icc", ".dump", ".bz2", ".xz"}


def package_folder(package: str) -> Path | None:
    """The data folder of an installed package, or None when it is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / SOURCES[package]
    return folder if folder.is_dir() else None


def packaged_files(package: str) -> list[Path]:
    """Candidate DICOM files of one package (by suffix: some have none), sorted."""
    folder = package_folder(package)
    if folder is None:
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() not in _NOT_DICOM_SUFFIXES and "__pycache__" not in p.parts)


def deid_ultrasounds() -> list[Path]:
    """The deid-data ultrasounds (real burned-in names, IDs, dates) that are plain files."""
    folder = package_folder("deid_data")
    return sorted((folder / "ultrasounds").glob("*.dcm")) if folder else []


def extract_zipped(package: str, out_dir: Path) -> list[Path]:
    """Unpack the zipped DICOM series of a package (deid-data's cines) into ``out_dir``."""
    folder = package_folder(package)
    extracted: list[Path] = []
    if folder is None:
        return extracted
    for archive in sorted(folder.rglob("*.zip")):
        target = out_dir / archive.stem
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(target)
        extracted += sorted(p for p in target.rglob("*") if p.is_file())
    return extracted
