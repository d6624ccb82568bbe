"""Numeric precision of inference: fp32, or autocast to bf16/fp16.

"auto" means fp32 unless a measurement says a lower precision gives the same masks faster on
that kind of device: ``benchmarks/bench_precision.py`` produces that measurement, and the
result is recorded in :data:`AUTO_PRECISION`. Until it has been measured on a GPU, fp32 it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# Device type -> precision chosen by "auto". Change only with a bench_precision.py result.
AUTO_PRECISION: dict[str, str] = {"cuda": "fp32", "cpu": "fp32"}
_DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


def resolve_precision(requested: str, device: torch.device) -> tuple[str, str]:
    """The precision actually used on ``device`` for ``requested``, and a note on why."""
    if requested not in PRECISIONS:
        raise ValueError(f"unknown precision {requested!r}; use one of {list(PRECISIONS)}")
    if requested == "auto":
        chosen = AUTO_PRECISION.get(device.type, "fp32")
        return chosen, f"auto: {chosen} on {device.type}"
    if requested == "fp16" and device.type != "cuda":
        return "fp32", "fp16 is only used on CUDA; fp32 instead"
    if requested == "bf16" and device.type == "cuda" and not torch.cuda.is_bf16_supported():
        return "fp32", "this GPU has no bf16 support; fp32 instead"
    return requested, "requested"


@contextlib.contextmanager
def autocast(precision: str, device: torch.device) -> Iterator[None]:
    """Autocast for bf16/fp16, nothing for fp32."""
    if precision == "fp32":
        yield
        return
    with torch.autocast(device_type=device.type, dtype=_DTYPES[precision]):
        yield
