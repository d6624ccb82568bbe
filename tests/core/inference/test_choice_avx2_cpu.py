"""An AVX2-only CPU keeps fp32 in PyTorch for stage 2: bf16 is emulated there and ORT was slower."""

from __future__ import annotations

import torch

from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

ZEN3 = Capability("cpu", "AMD EPYC", "avx2", "AVX2", frozenset({"avx", "avx2"}))


def test_avx2_cpu_keeps_fp32_for_stage2() -> None:
    choice = choose_runtime("auto", torch.device("cpu"), stage=2, capability=ZEN3, env={}, ort_available=True)
    assert (choice.precision, choice.runtime) == ("fp32", "torch")
    assert "AVX2 but no AVX-512" in choice.reason and "no faster candidate" in choice.reason
