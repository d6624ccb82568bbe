"""Choosing the compute device, and saying why.

``torch.cuda.is_available()`` can be True while CUDA is still unusable (driver too old for the
wheel, a GPU taken by another process in exclusive mode, a broken install), so "auto" actually
runs a tiny operation on the GPU before trusting it. The :class:`DeviceReport` carries the reason
for the choice so the CLI and the app can show it ("CPU: torch built without CUDA").
"""

from __future__ import annotations

import functools
import platform
from dataclasses import dataclass
from pathlib import Path

import torch

from meddisseg_core.errors import DeviceError


@dataclass(frozen=True)
class DeviceReport:
    """The device chosen, a human name for it, and why it was chosen."""

    device: torch.device
    name: str
    reason: str

    def describe(self) -> str:
        """One line for logs and status bars, e.g. ``cpu (AMD EPYC): no CUDA device``."""
        return f"{self.device} ({self.name}): {self.reason}"


@functools.lru_cache(maxsize=1)
def cpu_name() -> str:
    """The processor's marketing name where the OS tells it, else the architecture."""
    cpuinfo = Path("/proc/cpuinfo")
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "CPU"


@functools.lru_cache(maxsize=8)
def probe_cuda(index: int = 0) -> str | None:
    """None if CUDA device ``index`` can run a kernel, else the reason it cannot.

    Cached: the answer does not change within a process, and the first CUDA call is slow.
    """
    if not torch.backends.cuda.is_built():
        return "torch built without CUDA"
    try:
        count = torch.cuda.device_count()
    except Exception as exc:  # a broken driver raises here rather than returning 0
        return f"CUDA unusable: {exc}"
    if count == 0:
        return "no CUDA device"
    if index >= count:
        return f"no CUDA device {index} (only {count})"
    try:
        device = torch.device("cuda", index)
        value = (torch.ones(4, device=device) * 2).sum().item()
        torch.cuda.synchronize(device)
    except Exception as exc:
        return f"CUDA error: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}"
    if value != 8.0:
        return f"CUDA computed a wrong result ({value} instead of 8.0)"
    return None


def _cuda_report(index: int) -> DeviceReport:
    device = torch.device("cuda", index)
    return DeviceReport(device, torch.cuda.get_device_name(device), "CUDA device is usable")


def cpu_report(reason: str) -> DeviceReport:
    """A report for the CPU, with ``reason`` saying why it was chosen."""
    return DeviceReport(torch.device("cpu"), cpu_name(), reason)


def choose_device(requested: str | torch.device = "auto") -> DeviceReport:
    """Pick the device for ``requested``: "auto", "cpu", "cuda" or "cuda:N".

    "auto" takes the GPU when a real CUDA operation succeeds and otherwise falls back to the
    CPU, giving the reason. An explicit "cuda" that cannot be used raises :class:`DeviceError`
    instead: the user asked for it, so silently running 50× slower would be a surprise.
    """
    text = str(requested).strip().lower()
    if text == "auto":
        problem = probe_cuda(0)
        if problem is None:
            return _cuda_report(0)
        return cpu_report(problem)
    if text == "cpu":
        return cpu_report("requested")
    if text == "cuda" or text.startswith("cuda:"):
        try:
            index = torch.device(text).index or 0
        except RuntimeError as exc:
            raise DeviceError(f"invalid device {requested!r}: {exc}") from exc
        problem = probe_cuda(index)
        if problem is not None:
            raise DeviceError(f"device {requested!r} was requested but cannot be used: {problem}")
        return _cuda_report(index)
    raise DeviceError(f"unknown device {requested!r}; use 'auto', 'cpu', 'cuda' or 'cuda:N'")
