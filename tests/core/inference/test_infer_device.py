"""choose_device on this CPU-only machine: auto falls back with a reason, cuda is refused."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.errors import DeviceError
from meddisseg_core.inference.device import choose_device, probe_cuda


def test_cpu_requested() -> None:
    report = choose_device("cpu")
    assert report.device == torch.device("cpu")
    assert report.reason == "requested" and report.name


@pytest.mark.skipif(probe_cuda(0) is None, reason="a usable GPU is present")
def test_auto_without_cuda_explains_why() -> None:
    report = choose_device("auto")
    assert report.device.type == "cpu"
    assert report.reason in {"torch built without CUDA", "no CUDA device"} or "CUDA" in report.reason
    assert report.reason in report.describe()


@pytest.mark.skipif(probe_cuda(0) is None, reason="a usable GPU is present")
def test_explicit_cuda_unusable_raises() -> None:
    with pytest.raises(DeviceError, match="cannot be used"):
        choose_device("cuda")


def test_unknown_device_raises() -> None:
    with pytest.raises(DeviceError, match="tpu"):
        choose_device("tpu")


def test_torch_without_cuda_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    probe_cuda.cache_clear()
    monkeypatch.setattr(torch.backends.cuda, "is_built", lambda: False)
    try:
        assert choose_device("auto").reason == "torch built without CUDA"
    finally:
        probe_cuda.cache_clear()
