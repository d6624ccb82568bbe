"""auto on a CPU with AVX512-BF16 picks bf16 when a passing, faster bf16 row is recorded, and says why."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.inference import measured
from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

ZEN5 = Capability("cpu", "AMD EPYC", "avx512_bf16", "AVX512", frozenset({"avx512f", "avx512_bf16"}))
PASSING = measured.Verdict(
    "avx512_bf16",
    2,
    "bf16",
    "torch",
    2.1,
    0.996,
    0.97,
    -0.1,
    120,
    "Test EPYC",
    "AVX512",
    "2026-12-06",
    "test",
)


def test_bf16_cpu_gets_bf16(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured, "VERDICTS", (PASSING,))
    choice = choose_runtime("auto", torch.device("cpu"), stage=2, capability=ZEN5, env={}, ort_available=True)
    assert (choice.precision, choice.runtime) == ("bf16", "torch")
    assert "AVX512-BF16" in choice.reason and "faster than PyTorch fp32 with the same masks" in choice.reason
    assert choice.describe().startswith("bf16: this CPU has AVX512-BF16")
