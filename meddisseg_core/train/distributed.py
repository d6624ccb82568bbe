"""Distributed data parallel under ``torchrun``: process group from the environment, sharding.

Only rank 0 writes checkpoints and events. Every per-batch decision that could differ between
ranks (a cancel request, a skipped non-finite step) is agreed with an all-reduce, so that no
rank waits forever in a collective the others have left.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistContext:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def init_distributed(device_type: str) -> DistContext:
    """Join the process group that torchrun describes in the environment (no-op without it)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistContext()
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if device_type == "cuda" else "gloo")
    return DistContext(dist.get_rank(), dist.get_world_size(), int(os.environ.get("LOCAL_RANK", "0")))


SHUTDOWN_WAIT_S = 60  # how long a rank waits for the others before tearing the group down anyway


def shutdown_distributed(ctx: DistContext) -> None:
    """Leave the process group once every rank is done with it.

    Without the barrier a rank that finished first tore its gloo connections down while another
    still used them, and that rank died in C++ ("terminate called without an active exception",
    SIGABRT; seen once in CI). The wait is bounded: on an error path a peer may be gone already.
    NCCL (CUDA) has no such teardown race and no bounded barrier, so it leaves at once as before.
    """
    if not (ctx.enabled and dist.is_initialized()):
        return
    if dist.get_backend() == "gloo":
        # A peer may be gone (its own error is what gets reported): leave anyway.
        with contextlib.suppress(Exception):
            dist.monitored_barrier(timeout=timedelta(seconds=SHUTDOWN_WAIT_S))
    dist.destroy_process_group()


def any_rank(ctx: DistContext, flag: bool, device: torch.device) -> bool:
    """True on every rank if ``flag`` is true on at least one."""
    if not ctx.enabled:
        return flag
    value = torch.tensor([1.0 if flag else 0.0], device=device)
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value.item() > 0)


def sum_across(ctx: DistContext, values: list[float], device: torch.device) -> list[float]:
    if not ctx.enabled:
        return values
    tensor = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return tensor.tolist()


class EpochSampler(torch.utils.data.Sampler[int]):
    """Seeded per-epoch shuffle, sharded like DistributedSampler, that can start mid-epoch.

    The order depends only on (seed, epoch), so a resumed run sees the same remaining samples.
    """

    def __init__(self, length: int, *, seed: int, shuffle: bool, ctx: DistContext) -> None:
        self.length = length
        self.seed = seed
        self.shuffle = shuffle
        self.ctx = ctx
        self.epoch = 0
        self.skip = 0

    def set_epoch(self, epoch: int, skip: int = 0) -> None:
        self.epoch = epoch
        self.skip = skip

    def _indices(self) -> list[int]:
        if self.shuffle:
            g = torch.Generator().manual_seed(self.seed * 100003 + self.epoch)
            order = torch.randperm(self.length, generator=g).tolist()
        else:
            order = list(range(self.length))
        if self.ctx.enabled:
            per_rank = -(-self.length // self.ctx.world_size)
            order = (order * 2)[: per_rank * self.ctx.world_size]  # pad by wrapping, as DistributedSampler
            order = order[self.ctx.rank :: self.ctx.world_size]
        return order

    def __iter__(self):
        return iter(self._indices()[self.skip :])

    def __len__(self) -> int:
        return max(0, len(self._indices()) - self.skip)
