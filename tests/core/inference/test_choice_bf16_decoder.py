"""auto on an AVX512-BF16 CPU: the fastest passing row decides; bf16-decoder beats bf16-checked."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.inference import measured
from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import PRECISIONS, choose_runtime

ZEN5 = Capability("cpu", "AMD EPYC", "avx512_bf16", "AVX512", frozenset({"avx512_bf16"}))
AMX = Capability("cpu", "Intel Xeon", "amx", "AVX512", frozenset({"avx512_bf16", "amx_bf16"}))
ROWS = (
    measured.Verdict("avx512_bf16", 2, "bf16", "torch", 1.61, 0.9953, 0.9382, -0.03, 120, "E", "", "d", "t"),
    measured.Verdict(
        "avx512_bf16", 2, "bf16-decoder", "torch", 1.52, 0.9993, 0.9958, 0.02, 120, "E", "", "d", "t"
    ),
    measured.Verdict(
        "avx512_bf16", 2, "bf16-checked", "torch", 1.33, 0.9981, 0.9822, 0.01, 120, "E", "", "d", "t"
    ),
)


def test_it_is_a_precision_a_user_can_ask_for() -> None:
    assert "bf16-decoder" in PRECISIONS
    choice = choose_runtime("bf16-decoder", torch.device("cpu"), stage=2, capability=ZEN5, env={})
    assert (choice.precision, choice.reason) == ("bf16-decoder", "requested")


@pytest.mark.parametrize("capability", [ZEN5, AMX], ids=["avx512_bf16", "amx"])
def test_the_decoder_row_decides(capability: Capability, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured, "VERDICTS", ROWS)
    choice = choose_runtime(
        "auto", torch.device("cpu"), stage=2, capability=capability, env={}, ort_available=False
    )
    assert (choice.precision, choice.runtime) == ("bf16-decoder", "torch")
    assert "bf16-decoder measured 1.52x faster than PyTorch fp32 with the same masks" in choice.reason
