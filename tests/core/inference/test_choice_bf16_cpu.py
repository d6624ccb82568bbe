"""auto on a CPU with AVX512-BF16 picks bf16 for the paper stage-2 network, and says why."""

from __future__ import annotations

import torch

from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

ZEN5 = Capability("cpu", "AMD EPYC", "avx512_bf16", "AVX512", frozenset({"avx512f", "avx512_bf16"}))


def test_bf16_cpu_gets_bf16() -> None:
    choice = choose_runtime("auto", torch.device("cpu"), stage=2, capability=ZEN5, env={}, ort_available=True)
    assert (choice.precision, choice.runtime) == ("bf16", "torch")
    assert "AVX512-BF16" in choice.reason and "faster than PyTorch fp32 with the same masks" in choice.reason
    assert choice.describe().startswith("bf16: this CPU has AVX512-BF16")
