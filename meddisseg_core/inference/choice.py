"""The precision and runtime a network runs in, chosen from the device's capability, with why.

``choose_runtime("auto", device, ...)`` looks up the measured rows of :mod:`measured` for the
device's class (AMX / AVX512-BF16 / AVX-512 / AVX2 CPU, or the GPU's kind) and the network, and
takes the fastest candidate that passed the "same masks" rule there; fp32 in PyTorch otherwise.
A user can always force fp32: ``--precision fp32``, the ``MEDDISSEG_PRECISION=fp32`` environment
variable (it replaces "auto" everywhere: CLI, app, fine-tuning), or the app's Preferences.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass

import torch

from meddisseg_core.inference.capability import Capability, detect
from meddisseg_core.inference.measured import Verdict, verdicts_for

PRECISIONS = ("auto", "fp32", "bf16", "bf16-decoder", "bf16-checked", "fp16")
# bf16-decoder: the encoder in fp32, the rest in bf16 (precision.py); bf16-checked: bf16 with fp32
# re-runs of borderline maps (checked.py).
BF16 = ("bf16", "bf16-decoder", "bf16-checked")
RUNTIMES = ("torch", "onnxruntime")
ENV_PRECISION = "MEDDISSEG_PRECISION"


@dataclass(frozen=True)
class RuntimeChoice:
    """What runs: ``precision`` in ``runtime``, and a human ``reason``."""

    precision: str
    runtime: str
    reason: str

    def describe(self) -> str:
        """``bf16: this CPU has AVX512-BF16 (measured 2.10x ...)``; the runtime only if not torch."""
        where = "" if self.runtime == "torch" else f" in {self.runtime}"
        return f"{self.precision}{where}: {self.reason}"


def onnxruntime_available() -> bool:
    """Both onnx (to export) and onnxruntime (to run) import: the optional ``[onnx]`` extra."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))


def network_kind(config: object) -> str:
    """ "paper" for the authors' networks (what the rows were measured on), else "other"."""
    from meddisseg_core.nn import NetworkConfig

    stage = getattr(config, "stage", None)
    if isinstance(config, NetworkConfig) and stage in (1, 2) and config == NetworkConfig.paper(stage):
        return "paper"
    return "other"


def _explicit(requested: str, device: torch.device, cap: Capability | None, why: str) -> RuntimeChoice:
    if requested == "fp16" and device.type != "cuda":
        return RuntimeChoice("fp32", "torch", "fp16 is only used on CUDA; fp32 instead")
    if requested in BF16 and device.type == "cuda" and not torch.cuda.is_bf16_supported():
        return RuntimeChoice("fp32", "torch", "this GPU has no bf16 support; fp32 instead")
    if requested in BF16 and device.type == "cpu" and cap is not None and not cap.native_bf16:
        return RuntimeChoice(
            requested, "torch", f"{why}; this CPU has no bf16 instructions, so it is emulated"
        )
    return RuntimeChoice(requested, "torch", why)


def _usable(verdict: Verdict, device: torch.device, ort: bool) -> bool:
    if verdict.runtime == "onnxruntime":
        return device.type == "cpu" and ort
    return verdict.precision not in BF16 or device.type != "cuda" or torch.cuda.is_bf16_supported()


def choose_runtime(
    requested: str,
    device: torch.device,
    *,
    stage: int,
    network: str = "paper",
    capability: Capability | None = None,
    env: Mapping[str, str] | None = None,
    ort_available: bool | None = None,
) -> RuntimeChoice:
    """The precision and runtime for ``requested`` (one of :data:`PRECISIONS`) on ``device``.

    ``network`` is :func:`network_kind` of the model: the rows were measured on the paper
    networks, so any other (a tiny test network) stays in fp32 under "auto". ``capability``,
    ``env`` and ``ort_available`` default to this machine's (tests pass their own).
    """
    if requested not in PRECISIONS:
        raise ValueError(f"unknown precision {requested!r}; use one of {list(PRECISIONS)}")
    env = os.environ if env is None else env
    forced = env.get(ENV_PRECISION, "").strip().lower()
    if requested == "auto" and forced and forced != "auto":
        if forced not in PRECISIONS:
            raise ValueError(f"{ENV_PRECISION}={forced!r} is not one of {list(PRECISIONS)}")
        cap = capability or (detect(device) if forced in BF16 else None)
        return _explicit(forced, device, cap, f"{ENV_PRECISION}={forced}")
    if requested != "auto":
        cap = capability or (detect(device) if requested in BF16 else None)
        return _explicit(requested, device, cap, "requested")
    cap = capability or detect(device)
    on = cap.describe()
    if network != "paper":
        return RuntimeChoice("fp32", "torch", f"{on}, but only the paper networks were measured")
    ort = onnxruntime_available() if ort_available is None else ort_available
    missing_ort: Verdict | None = None
    failed: Verdict | None = None  # a faster candidate whose masks failed the rule: named in the reason
    for group in verdicts_for(cap.cls, stage, gpu=cap.kind == "cuda"):
        eligible = [v for v in group if v.eligible]
        usable = [v for v in eligible if _usable(v, device, ort)]
        if usable:
            best = max(usable, key=lambda v: v.speedup)
            return RuntimeChoice(best.precision, best.runtime, f"{on} ({best.figure()})")
        missing_ort = missing_ort or next((v for v in eligible if v.runtime == "onnxruntime"), None)
        measured = [v for v in group if v.speedup > 1.0 and not v.passes and v.min_dice is not None]
        failed = failed or (measured[0] if measured else None)
    if missing_ort is not None and device.type == "cpu":
        return RuntimeChoice(
            "fp32",
            "torch",
            f"{on}; ONNX Runtime would be {missing_ort.speedup:.2f}x faster but is not installed "
            "(pip install 'meddisseg-studio[onnx]')",
        )
    if failed is not None:
        return RuntimeChoice("fp32", "torch", f"{on}, but {failed.figure()}")
    return RuntimeChoice("fp32", "torch", f"{on}; no faster candidate passed the same-masks rule there")
