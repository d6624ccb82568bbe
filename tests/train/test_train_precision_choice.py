"""Training "auto" precision: bf16 on CPUs with native bf16 for the paper networks, fp32 elsewhere."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.inference.capability import Capability
from meddisseg_core.train import numerics

CPU = torch.device("cpu")


@pytest.mark.parametrize(
    ("cls", "network", "env", "expected"),
    [
        ("avx512_bf16", "paper", "", True),
        ("amx", "paper", "", True),
        ("avx2", "paper", "", False),  # emulated: slower
        ("avx512_bf16", "tiny", "", False),  # not measured
        ("avx512_bf16", "paper", "fp32", False),  # forced by MEDDISSEG_PRECISION
    ],
)
def test_auto_training_precision(
    monkeypatch: pytest.MonkeyPatch, cls: str, network: str, env: str, expected: bool
) -> None:
    monkeypatch.setattr(numerics, "detect_cpu", lambda: Capability("cpu", "Test CPU", cls))
    monkeypatch.setenv("MEDDISSEG_PRECISION", env)
    bf16, why = numerics.train_precision("auto", CPU, network)
    assert bf16 is expected and why
    assert numerics.train_precision("fp32", CPU, "paper")[0] is False
