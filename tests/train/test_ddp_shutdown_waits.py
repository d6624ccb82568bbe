"""A gloo rank leaves the process group only after a bounded barrier, and leaves even if it fails."""

from __future__ import annotations

import pytest

from meddisseg_core.train import distributed
from meddisseg_core.train.distributed import DistContext, shutdown_distributed


class FakeDist:
    def __init__(self, barrier_fails: bool) -> None:
        self.calls: list[tuple] = []
        self.barrier_fails = barrier_fails

    def is_initialized(self) -> bool:
        return True

    def get_backend(self) -> str:
        return "gloo"

    def monitored_barrier(self, timeout) -> None:
        self.calls.append(("barrier", timeout.total_seconds()))
        if self.barrier_fails:
            raise RuntimeError("rank 1 failed to pass monitoredBarrier")

    def destroy_process_group(self) -> None:
        self.calls.append(("destroy",))


@pytest.mark.parametrize("barrier_fails", [False, True])
def test_barrier_then_destroy(monkeypatch, barrier_fails: bool) -> None:
    fake = FakeDist(barrier_fails)
    monkeypatch.setattr(distributed, "dist", fake)
    shutdown_distributed(DistContext(rank=0, world_size=2))
    assert fake.calls == [("barrier", distributed.SHUTDOWN_WAIT_S), ("destroy",)]


def test_a_single_process_touches_nothing(monkeypatch) -> None:
    fake = FakeDist(False)
    monkeypatch.setattr(distributed, "dist", fake)
    shutdown_distributed(DistContext())
    assert fake.calls == []
