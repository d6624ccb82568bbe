"""How many CPU threads background work may use, so the canvas stays smooth and a fine-tuning run
beside the app does not collapse inference.

On a small machine, two processes that each start one OpenMP thread per core do not share the
cores gracefully: the threads spin-wait at every barrier, and inference that takes 0.2 s alone
took many times longer (benchmarks/bench_proposals.py has the figures). So:

- one core stays with the GUI thread (painting, brush strokes, autosave);
- a long-running process that the app starts (a fine-tuning run) ``claim``s its cores;
- inference gets what is left, at least one thread, set with ``torch.set_num_threads`` for the
  length of a job and restored after it (the setting is process-wide).

The app also asks OpenMP to sleep rather than spin while it waits (``OMP_WAIT_POLICY=PASSIVE``,
set in ``main`` before torch loads, unless the user set it): idle worker threads then leave the
cores to the GUI and to other processes.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator

GUI_CORES = 1


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), not all the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class ThreadBudget:
    """Cores minus the GUI's, minus what other processes of the app claimed."""

    def __init__(self, cores: int | None = None) -> None:
        self.cores = cores if cores is not None else available_cores()
        self._claims: dict[int, int] = {}
        self._lock = threading.Lock()
        self._ids = iter(range(1, 1 << 62))

    def claim(self, cores: int) -> Callable[[], None]:
        """Another process of the app (a fine-tuning run) uses ``cores`` cores; returns ``release``."""
        with self._lock:
            ident = next(self._ids)
            self._claims[ident] = max(int(cores), 0)

        def release() -> None:
            with self._lock:
                self._claims.pop(ident, None)

        return release

    @property
    def claimed(self) -> int:
        with self._lock:
            return sum(self._claims.values())

    def inference_threads(self) -> int:
        """Threads for a proposal job now: at least one."""
        return max(1, self.cores - GUI_CORES - self.claimed)

    def training_threads(self) -> int:
        """Threads to give a fine-tuning process started beside the app: half of the non-GUI cores."""
        return max(1, (self.cores - GUI_CORES) // 2)


BUDGET = ThreadBudget()


_torch_lock = threading.Lock()
_torch_users = 0  # blocks inside torch_threads now (a proposal job and a prompt can overlap)
_torch_before = 0  # the setting before the first of them, restored when the last one leaves


@contextlib.contextmanager
def torch_threads(count: int | None) -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(count)``, then restore; None leaves it alone.

    Blocks on several threads may overlap (a Box prompt while proposals run): the setting is
    process-wide, so the one from before the first block is restored when the last one ends,
    whatever order they end in.
    """
    global _torch_users, _torch_before
    torch = sys.modules.get("torch")  # a model that is not a torch model needs no setting
    if count is None or torch is None:
        yield
        return

    with _torch_lock:
        if _torch_users == 0:
            _torch_before = torch.get_num_threads()
        _torch_users += 1
        torch.set_num_threads(count)
    try:
        yield
    finally:
        with _torch_lock:
            _torch_users -= 1
            if _torch_users == 0:
                torch.set_num_threads(_torch_before)


def passive_openmp_wait(environ: dict[str, str] | None = None) -> None:
    """Ask OpenMP threads to sleep while idle (before torch is imported; the user's choice wins)."""
    env = os.environ if environ is None else environ
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
