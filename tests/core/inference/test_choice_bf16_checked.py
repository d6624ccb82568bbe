"""auto on an AVX512-BF16 CPU: plain bf16 failed the rule, bf16-checked passed: bf16-checked is chosen."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.inference import measured
from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

ZEN5 = Capability("cpu", "AMD EPYC", "avx512_bf16", "AVX512", frozenset({"avx512_bf16"}))
AVX2 = Capability("cpu", "AMD EPYC", "avx2", "AVX2", frozenset({"avx2"}))
ROWS = (
    measured.Verdict("avx512_bf16", 2, "bf16", "torch", 1.61, 0.9953, 0.9382, -0.03, 120, "E", "", "d", "t"),
    measured.Verdict(
        "avx512_bf16", 2, "bf16-checked", "torch", 1.33, 0.9981, 0.9822, 0.01, 120, "E", "", "d", "t"
    ),
)


def test_the_checked_row_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured, "VERDICTS", ROWS)
    choice = choose_runtime(
        "auto", torch.device("cpu"), stage=2, capability=ZEN5, env={}, ort_available=False
    )
    assert (choice.precision, choice.runtime) == ("bf16-checked", "torch")
    assert "1.33x faster than PyTorch fp32 with the same masks" in choice.reason


def test_an_avx2_cpu_does_not_take_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured, "VERDICTS", ROWS)
    choice = choose_runtime(
        "auto", torch.device("cpu"), stage=2, capability=AVX2, env={}, ort_available=False
    )
    assert choice.precision == "fp32"


def test_forcing_fp32_still_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured, "VERDICTS", ROWS)
    env = {"MEDDISSEG_PRECISION": "fp32"}
    choice = choose_runtime(
        "auto", torch.device("cpu"), stage=2, capability=ZEN5, env=env, ort_available=False
    )
    assert choice.precision == "fp32"
