"""Switching a run onto the compiled training regions (``compile_regions``), safely.

The regions (``meddisseg_core.nn.regions``) are compiled lazily, forward at the first call and
backward at the first ``backward()``. A compiler failure there would end the run in its first
step, after the data is loaded, with nothing trained. So before training, probe steps (forward
and backward on random images at the run's batch size and at each training size, under its
autocast and memory layout) compile both; if that raises, the run goes on in eager mode with a
``warning`` event (code ``compile``). The probe leaves no trace: weights, BatchNorm statistics
and gradients are restored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch
from torch import nn

from meddisseg_core.nn.regions import set_fused_regions
from meddisseg_core.train.steps import autocast_for


@dataclass(frozen=True)
class FusedSetup:
    """How the run's training regions ended up: the backend in use (None: eager), and why."""

    backend: str | None
    modules: int
    compile_s: float
    error: str | None = None

    def as_event(self) -> dict[str, object]:
        return {
            "backend": self.backend,
            "modules": self.modules,
            "compile_s": round(self.compile_s, 2),
            "error": self.error,
        }


def _probe_loss(out: object) -> torch.Tensor:
    maps = [t for t in (out if isinstance(out, tuple) else (out,)) if isinstance(t, torch.Tensor)]
    return sum((t.float().mean() for t in maps if t.requires_grad), torch.zeros(()))


def enable_fused_regions(
    network: nn.Module,
    backend: str,
    *,
    device: torch.device,
    bf16: bool,
    channels_last: bool,
    batch: int,
    sides: tuple[int, ...],
    logits: bool,
) -> FusedSetup:
    """Route ``network`` through ``backend``'s regions and compile them with one probe step per
    training size, at the training batch size: the very shapes the run will use, so that any
    shape-specific recompile happens here, where a failure is caught, and not in the run."""
    modules = set_fused_regions(network, backend)
    saved = {k: v.detach().clone() for k, v in network.state_dict().items()}
    was_training = network.training
    started = time.perf_counter()
    try:
        network.train()
        generator = torch.Generator().manual_seed(0)
        for side in sides:
            x = torch.rand(batch, 3, side, side, generator=generator).to(device)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            with autocast_for(device, bf16):
                out = network(x, logits=True) if logits else network(x)
            _probe_loss(out).to(device).backward()
            del out
        if device.type == "cuda":
            torch.cuda.synchronize(device)
    except torch.cuda.OutOfMemoryError:
        raise  # not a compiler failure: the run's own out-of-memory handling applies
    except Exception as exc:  # any compiler failure: train in eager mode instead
        set_fused_regions(network, None)
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        return FusedSetup(None, 0, time.perf_counter() - started, error)
    finally:
        network.load_state_dict(saved)
        network.zero_grad(set_to_none=True)
        network.train(was_training)
    return FusedSetup(backend, modules, time.perf_counter() - started)
