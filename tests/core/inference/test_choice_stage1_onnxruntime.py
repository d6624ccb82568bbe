"""Stage 1 on a CPU: ONNX Runtime when it is installed, PyTorch fp32 (saying why) when it is not."""

from __future__ import annotations

import torch

from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

ZEN3 = Capability("cpu", "AMD EPYC", "avx2", "AVX2", frozenset({"avx2"}))


def test_stage1_uses_onnxruntime_only_when_installed() -> None:
    cpu = torch.device("cpu")
    with_ort = choose_runtime("auto", cpu, stage=1, capability=ZEN3, env={}, ort_available=True)
    assert (with_ort.precision, with_ort.runtime) == ("fp32", "onnxruntime")
    without = choose_runtime("auto", cpu, stage=1, capability=ZEN3, env={}, ort_available=False)
    assert (without.precision, without.runtime) == ("fp32", "torch")
    assert "not installed" in without.reason
