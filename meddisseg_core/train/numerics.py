"""Training precision: bf16 autocast where the hardware runs it natively, fp32 elsewhere, and why.

"auto" is bf16 on CUDA GPUs with bf16, and on CPUs with AVX512-BF16 or AMX (measured on the paper
stage-2 network: ``benchmarks/bench_finetune.py``, the loss after the epoch within 5 % of fp32's
on the same seed) for the paper networks; fp32 on other CPUs (bf16 is emulated there, slower).
Losses are always computed in fp32 (``steps.py``). ``MEDDISSEG_PRECISION=fp32`` forces fp32.
"""

from __future__ import annotations

import os

import torch

from meddisseg_core.inference.capability import detect_cpu
from meddisseg_core.inference.choice import ENV_PRECISION


def train_precision(requested: str, device: torch.device, network: str) -> tuple[bool, str]:
    """(use bf16 autocast, why) for a run of ``network`` ("paper" or "tiny") on ``device``."""
    if requested == "fp32":
        return False, "fp32 requested"
    if device.type == "cuda":
        supported = torch.cuda.is_bf16_supported()
        if requested == "bf16" and not supported:
            return False, "this GPU has no bf16 support; fp32 instead"
        if requested == "auto" and os.environ.get(ENV_PRECISION, "").lower() == "fp32":
            return False, f"{ENV_PRECISION}=fp32"
        return supported, "bf16 autocast on CUDA" if supported else "this GPU has no bf16 support"
    if requested == "bf16":
        return True, "bf16 requested"
    if os.environ.get(ENV_PRECISION, "").lower() == "fp32":
        return False, f"{ENV_PRECISION}=fp32"
    cap = detect_cpu()
    if not cap.native_bf16:
        return False, f"{cap.describe()}: bf16 would be emulated (slower)"
    if network != "paper":
        return False, f"{cap.describe()}, but only the paper networks were measured"
    return True, f"{cap.describe()}: bf16 autocast (benchmarks/bench_finetune.py)"
