"""A faster bf16 whose masks fail the rule (one image below Dice 0.95) leaves fp32, and the reason says so."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.inference import measured
from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

ZEN5 = Capability("cpu", "AMD EPYC", "avx512_bf16", "AVX512", frozenset({"avx512_bf16"}))
FAILING = measured.Verdict(
    "avx512_bf16", 2, "bf16", "torch", 1.22, 0.9953, 0.9382, -0.03, 120, "EPYC", "AVX512", "2026-12-06", "t"
)


def test_failing_bf16_row_keeps_fp32(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured, "VERDICTS", (FAILING,))
    choice = choose_runtime("auto", torch.device("cpu"), stage=2, capability=ZEN5, env={}, ort_available=True)
    assert (choice.precision, choice.runtime) == ("fp32", "torch")
    assert "fail the same-masks rule" in choice.reason and "min 0.9382" in choice.reason
