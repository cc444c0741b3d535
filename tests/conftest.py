"""Shared fixtures: the real sample files, the packaged DICOM collections, and helpers
that write small DICOM files and fingerprint inputs."""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

import phidetect
from phidetect.datasets.packaged import package_folder
from phidetect.dicom.elements import element_text

TESTS = Path(__file__).parent
SAMPLES = TESTS / "data" / "pseudo-phi-samples"
SAMPLE_DICOMS = ("0_ORIGINAL_compressed.dcm", "0_ORIGINAL_no_pixels.dcm", "2_ORIGINAL.dcm", "RGB_ORIGINAL.dcm")
PYDICOM_DATA = "pydicom"  # the whole pydicom/data folder: test_files, charset_files, palettes...
PACKAGES = ("pydicom", "data_store", "deid_data")
_TAG = re.compile(r"\(([0-9A-F]{4}),([0-9A-F]{4})\)(?:\[(\d+)\])?")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "packages: scans every file pydicom, pydicom-data and deid-data ship (runs by default)")


def new_dataset(transfer_syntax: str = ExplicitVRLittleEndian, **elements) -> FileDataset:
    """A minimal Secondary Capture data set with file meta, plus ``elements`` by keyword."""
    meta = FileMetaDataset()
    uid = generate_uid()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = uid
    meta.TransferSyntaxUID = transfer_syntax
    ds = FileDataset("", Dataset(), file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = uid
    ds.Modality = "OT"
    for keyword, value in elements.items():
        setattr(ds, keyword, value)
    return ds


def write_dicom(path: Path, ds: FileDataset | None = None, **elements) -> Path:
    """Write ``ds`` (or a new data set with ``elements``) as a DICOM file at ``path``."""
    ds = ds if ds is not None else new_dataset(**elements)
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)
    return path


def value_text(ds: Dataset, tag_path: str) -> str:
    """The element at ``tag_path`` as a string: found with pydicom alone and converted by
    pydicom (not the raw-bytes reading a scan uses), then put into text by the one
    definition, phidetect.dicom.elements.element_text (multi-valued values joined by a
    backslash, as the schema says; UN bytes decoded by the data set's character set)."""
    node = ds
    if tag_path.startswith("(0002,"):
        node = ds.file_meta
    elem = None
    for group, element, index in _TAG.findall(tag_path):
        elem = node[int(group + element, 16)]
        if index:
            node = elem.value[int(index)]
    return element_text(elem, ds) or ""


def fingerprint(root: Path) -> dict[str, tuple[str, int, int]]:
    """sha256, mtime_ns and size of every file under ``root`` (or of ``root`` itself)."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_size)
            for p in files}


def rows(result, **where):
    """Rows of a findings table whose columns equal the given values."""
    mask = pd.Series(True, index=result.index)
    for column, wanted in where.items():
        mask &= result[column] == wanted
    return result[mask]


def package_root(package: str) -> Path:
    """The folder whose every file the full-package scan reads."""
    folder = package_folder(package)
    assert folder is not None, f"{package} is not installed: pip install -e '.[dev]'"
    return folder.parent if package == PYDICOM_DATA else folder


def shipped_files(root: Path) -> list[str]:
    """Every non-hidden file under ``root`` as a posix path relative to it."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [(Path(folder) / n).relative_to(root).as_posix() for n in names if not n.startswith(".")]
    return sorted(found)


@pytest.fixture(scope="session")
def sample_result():
    """The pseudo-PHI sample folder scanned in this process."""
    return phidetect.scan(SAMPLES, workers=1, progress=False)


@pytest.fixture(scope="session")
def package_results():
    """{package: (root, result)} for the full scan of every shipped file, two workers."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for package in PACKAGES:
            root = package_root(package)
            out[package] = (root, phidetect.scan(root, workers=2, progress=False))
    return out
