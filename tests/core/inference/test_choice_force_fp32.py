"""The user can always force fp32: the precision argument, or MEDDISSEG_PRECISION=fp32 for "auto"."""

from __future__ import annotations

import torch

from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import ENV_PRECISION, choose_runtime

ZEN5 = Capability("cpu", "AMD EPYC", "avx512_bf16", "AVX512", frozenset({"avx512_bf16"}))


def test_fp32_can_be_forced() -> None:
    cpu = torch.device("cpu")
    by_env = choose_runtime("auto", cpu, stage=2, capability=ZEN5, env={ENV_PRECISION: "fp32"})
    assert (by_env.precision, by_env.runtime) == ("fp32", "torch")
    assert ENV_PRECISION in by_env.reason
    by_arg = choose_runtime("fp32", cpu, stage=1, capability=ZEN5, env={}, ort_available=True)
    assert (by_arg.precision, by_arg.runtime) == ("fp32", "torch")
