"""Numeric precision of inference: fp32, or autocast to bf16/fp16.

* ``bf16``: the whole network under bf16 autocast.
* ``bf16-decoder``: the encoder in fp32 and everything after it in bf16 (``infer(...,
  fp32_encoder=True)``). The encoder's bf16 rounding is what moves masks: on the Zen 5 EPYC the
  least alike Kvasir-SEG val image goes from Dice 0.94 against fp32 to 0.999, at about the cost
  of one stride-16 ResNet pass in fp32, while the decoder, at full and half resolution, holds
  most of the convolutions.
* ``bf16-checked``: bf16, with the maps near 0.5 predicted again in fp32 (checked.py).

What "auto" means is decided per device capability in :mod:`meddisseg_core.inference.choice`,
from the measured rows of :mod:`meddisseg_core.inference.measured` (``benchmarks/bench_precision.py``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch

from meddisseg_core.inference.choice import PRECISIONS, choose_runtime

__all__ = ["PRECISIONS", "autocast", "resolve_precision"]

_DTYPES = {
    "bf16": torch.bfloat16,
    "bf16-decoder": torch.bfloat16,
    "bf16-checked": torch.bfloat16,
    "fp16": torch.float16,
}


def resolve_precision(requested: str, device: torch.device, *, stage: int = 2) -> tuple[str, str]:
    """The precision used in PyTorch on ``device`` for ``requested`` (paper network), and why."""
    choice = choose_runtime(requested, device, stage=stage, ort_available=False)
    return choice.precision, choice.reason


@contextlib.contextmanager
def autocast(precision: str, device: torch.device) -> Iterator[None]:
    """Autocast for bf16/fp16 (bf16-checked: bf16; its fp32 re-runs happen outside; bf16-decoder:
    bf16, the network keeps its encoder out of it), nothing for fp32."""
    if precision == "fp32":
        yield
        return
    with torch.autocast(device_type=device.type, dtype=_DTYPES[precision]):
        yield
