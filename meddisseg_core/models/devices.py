"""Where a fine-tuning job can run: the CPU, and each usable GPU with its free memory."""

from __future__ import annotations

import os
from typing import NamedTuple

import torch

from meddisseg_core.inference.device import cpu_name, probe_cuda


class DeviceChoice(NamedTuple):
    device: str  # "cpu" or "cuda:N", as `meddisseg train --device` takes it
    label: str
    free_bytes: int | None


def training_devices() -> list[DeviceChoice]:
    """Usable GPUs first (name and free memory now), then the CPU."""
    choices = []
    count = torch.cuda.device_count() if torch.backends.cuda.is_built() else 0
    for index in range(count):
        if probe_cuda(index) is not None:
            continue
        free, total = torch.cuda.mem_get_info(index)
        name = torch.cuda.get_device_name(index)
        label = f"GPU {index}: {name}, {free / 2**30:.1f} of {total / 2**30:.1f} GiB free"
        choices.append(DeviceChoice(f"cuda:{index}", label, int(free)))
    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    choices.append(DeviceChoice("cpu", f"CPU: {cpu_name()} ({threads} threads)", None))
    return choices
