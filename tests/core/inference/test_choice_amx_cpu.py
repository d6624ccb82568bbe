"""An AMX CPU (which also has AVX512-BF16) uses the passing bf16 row of the class it includes."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.inference import measured
from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

XEON = Capability("cpu", "Intel Xeon", "amx", "AVX512", frozenset({"amx_bf16", "amx_tile", "avx512_bf16"}))
ROWS = (
    # The AMX class's own row lacks the mDSC check: it cannot decide.
    measured.Verdict(
        "amx", 2, "bf16", "torch", 2.3, 0.996, 0.966, None, 12, "Xeon", "AMX", "2026-12-05", "t"
    ),
    measured.Verdict(
        "avx512_bf16", 2, "bf16", "torch", 2.0, 0.996, 0.97, 0.0, 120, "EPYC", "", "2026-12-06", "t"
    ),
)


def test_amx_cpu_falls_back_to_the_bf16_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured, "VERDICTS", ROWS)
    choice = choose_runtime(
        "auto", torch.device("cpu"), stage=2, capability=XEON, env={}, ort_available=False
    )
    assert choice.precision == "bf16"
    assert choice.reason.startswith("this CPU has AMX") and "120 image(s)" in choice.reason
