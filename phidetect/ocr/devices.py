"""Where an OCR model runs: the CPU, a CUDA GPU, or whichever this machine has.

A capability with a declared interface, as pydicom's pixel plugins are: ``is_available``
says whether a device can be used here, ``resolve`` turns what a user asked for into the
device used, and says clearly why when it cannot ("--device cuda" on a machine whose torch
sees no GPU). torch is imported only when a question needs it.
"""

from __future__ import annotations

from enum import Enum


class Device(str, Enum):
    """``--device``: ``auto`` (a CUDA GPU when torch sees one, else the CPU), ``cpu``, ``cuda``."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"


class DeviceUnavailable(RuntimeError):
    """The device asked for cannot be used on this machine."""


def cuda_available() -> bool:
    """Whether torch is installed and sees a CUDA device."""
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def is_available(device: Device | str) -> bool:
    """Whether ``device`` can run a model here (``auto`` always can)."""
    device = Device(device)
    return device is not Device.CUDA or cuda_available()


def resolve(device: Device | str) -> Device:
    """The device a model runs on: ``auto`` becomes ``cuda`` or ``cpu``; ``cuda`` where torch
    sees none raises DeviceUnavailable, naming the fix."""
    device = Device(device)
    if device is Device.AUTO:
        return Device.CUDA if cuda_available() else Device.CPU
    if not is_available(device):
        raise DeviceUnavailable("--device cuda: torch sees no CUDA device here (a CPU-only torch build, no GPU, "
                                "or CUDA_VISIBLE_DEVICES empty); use --device cpu or auto")
    return device


def gpu_flag(device: Device | str) -> bool | None:
    """What an engine's ``gpu`` argument is for ``device``: None lets it decide (auto)."""
    device = Device(device)
    return None if device is Device.AUTO else device is Device.CUDA
