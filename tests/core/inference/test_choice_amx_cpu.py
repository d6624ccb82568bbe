"""An AMX CPU (which also has AVX512-BF16) uses the bf16 row its class includes."""

from __future__ import annotations

import torch

from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

XEON = Capability("cpu", "Intel Xeon", "amx", "AVX512", frozenset({"amx_bf16", "amx_tile", "avx512_bf16"}))


def test_amx_cpu_gets_bf16() -> None:
    choice = choose_runtime(
        "auto", torch.device("cpu"), stage=2, capability=XEON, env={}, ort_available=False
    )
    assert choice.precision == "bf16"
    assert choice.reason.startswith("this CPU has AMX")
