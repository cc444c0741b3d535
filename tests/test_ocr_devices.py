"""--device: where the OCR model runs. Tested without a GPU: what auto picks, what cuda says
where there is none, and that the choice reaches the engine, the CLI and Dask's placement."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from phidetect.distributed import task_resources
from phidetect.ocr import devices
from phidetect.ocr.devices import Device, DeviceUnavailable, gpu_flag, resolve
from phidetect.ocr.easyocr_engine import EasyOcrEngine
from phidetect.ocr.engine import OcrUnavailable
from phidetect.ocr_settings import OcrSettings
from phidetect.pipeline import ScanSettings, engine_for

SAMPLES = Path(__file__).parent / "data" / "pseudo-phi-samples"


def test_auto_is_the_gpu_where_torch_sees_one_and_the_cpu_elsewhere(monkeypatch) -> None:
    monkeypatch.setattr(devices, "cuda_available", lambda: True)
    assert resolve("auto") is Device.CUDA
    monkeypatch.setattr(devices, "cuda_available", lambda: False)
    assert resolve("auto") is Device.CPU and resolve("cpu") is Device.CPU


def test_cuda_where_there_is_none_says_so(monkeypatch) -> None:
    monkeypatch.setattr(devices, "cuda_available", lambda: False)
    with pytest.raises(DeviceUnavailable, match="--device cuda: torch sees no CUDA device"):
        resolve("cuda")
    with pytest.raises(OcrUnavailable, match="no CUDA device"):
        EasyOcrEngine(gpu=True)._use_gpu()
    assert EasyOcrEngine(gpu=None)._use_gpu() is False


def test_an_unknown_device_is_refused() -> None:
    with pytest.raises(ValueError):
        OcrSettings(device="gpu")


def test_the_device_is_not_part_of_what_findings_depend_on() -> None:
    """A sweep started on the CPU may be resumed on a GPU: equal settings, the same record."""
    cpu, cuda = OcrSettings(device="cpu"), OcrSettings(device="cuda")
    assert cpu == cuda and repr(cpu) == repr(cuda)


@pytest.mark.parametrize("device, flag", [("auto", None), ("cpu", False), ("cuda", True)])
def test_the_engine_is_told_the_device(device: str, flag: bool | None) -> None:
    assert gpu_flag(device) is flag
    assert engine_for("easyocr", device).gpu is flag
    assert engine_for("tesseract", device).name == "tesseract"  # an engine without a GPU runs anyway


def test_dask_pins_ocr_to_gpu_workers_unless_asked_for_the_cpu() -> None:
    workers = {"tcp://a": {"resources": {"GPU": 1}}, "tcp://b": {"resources": {}}}
    assert task_resources(ScanSettings(ocr=OcrSettings(device="auto")), workers) == {"GPU": 1}
    assert task_resources(ScanSettings(ocr=OcrSettings(device="cpu")), workers) is None
    assert task_resources(ScanSettings(ocr=None), workers) is None


@pytest.mark.skipif(devices.cuda_available(), reason="this machine has a CUDA device")
def test_scan_with_device_cuda_on_a_cpu_machine_fails_before_any_file() -> None:
    done = subprocess.run([sys.executable, "-m", "phidetect", "scan", str(SAMPLES), "--ocr", "--device", "cuda",
                           "--no-progress"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "--device cuda: torch sees no CUDA device" in done.stderr
    assert "files scanned" not in done.stdout
