"""Training for a wall-clock budget: warm-up then cosine decay over TIME, and a clean stop inside it.

``meddisseg train --time-budget SECONDS`` ("train for 20 minutes") cannot schedule by epochs: how
many fit depends on the machine. The learning rate is therefore a function of the fraction of the
budget used (training, validation and checkpointing time all count), and the trainer stops
before a batch whenever the time left would not cover that batch plus the finishing work (a
last validation, the checkpoints, the final model), estimated from what they took so far.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import torch

from meddisseg_core.errors import ConfigError


@dataclass(frozen=True)
class BudgetConfig:
    """The time budget of a run; ``seconds`` None means epoch-based training (the authors' way).

    * ``warmup_fraction``: linear warm-up over this fraction of the budget, then cosine decay
      to ``final_lr_fraction`` of the configured learning rates at the end of the budget.
    * ``checkpoint_interval_s``: the resumable checkpoint and ``best.safetensors`` are written at
      most this often (and always at the end): a 180 MB checkpoint every few-second epoch would
      eat the budget. 0 writes them every epoch.
    * ``low_res_size`` / ``low_res_fraction``: train on ``low_res_size`` images (batches resized
      on the device) during the first fraction of the budget, the full size afterwards.
    """

    seconds: float | None = None
    warmup_fraction: float = 0.05
    final_lr_fraction: float = 0.01
    checkpoint_interval_s: float = 60.0
    low_res_size: int | None = None
    low_res_fraction: float = 0.0

    def __post_init__(self) -> None:
        if self.seconds is not None and not self.seconds > 0:
            raise ConfigError(f"time_budget.seconds must be > 0, got {self.seconds!r}")
        if not 0.0 <= self.warmup_fraction < 1.0:
            raise ConfigError(f"time_budget.warmup_fraction must be in [0, 1), got {self.warmup_fraction!r}")
        if not 0.0 <= self.final_lr_fraction <= 1.0:
            raise ConfigError(
                f"time_budget.final_lr_fraction must be in [0, 1], got {self.final_lr_fraction!r}"
            )
        if self.checkpoint_interval_s < 0:
            raise ConfigError(
                f"time_budget.checkpoint_interval_s must be >= 0, got {self.checkpoint_interval_s!r}"
            )
        if self.low_res_size is not None and (self.low_res_size < 16 or self.low_res_size % 16):
            raise ConfigError(
                f"time_budget.low_res_size must be a positive multiple of 16, got {self.low_res_size!r}"
            )
        if not 0.0 <= self.low_res_fraction <= 1.0:
            raise ConfigError(
                f"time_budget.low_res_fraction must be in [0, 1], got {self.low_res_fraction!r}"
            )


def lr_factor(fraction: float, warmup: float, final: float) -> float:
    """Multiplier of the base learning rates at ``fraction`` (0..1) of the budget."""
    fraction = min(max(fraction, 0.0), 1.0)
    if warmup > 0 and fraction < warmup:
        # Start at 1 % rather than 0: a zero step is wasted time.
        return max(fraction / warmup, 0.01)
    span = max(1.0 - warmup, 1e-9)
    progress = (fraction - warmup) / span
    return final + (1.0 - final) * 0.5 * (1.0 + math.cos(math.pi * progress))


class TimeSchedule:
    """Sets every parameter group's lr from the elapsed fraction of the budget (called per batch).

    It has ``state_dict``/``load_state_dict`` and a no-op ``step(metric)`` so that it stands where
    the epoch runs' plateau scheduler stands (checkpointed, stepped after validation).
    ``scale`` is lowered by the non-finite recovery and persists through the schedule.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, config: BudgetConfig) -> None:
        self.optimizer = optimizer
        self.config = config
        self.base_lrs = [float(group["lr"]) for group in optimizer.param_groups]
        self.scale = 1.0
        self.update(0.0)

    def update(self, fraction: float) -> float:
        factor = lr_factor(fraction, self.config.warmup_fraction, self.config.final_lr_fraction)
        for group, base in zip(self.optimizer.param_groups, self.base_lrs, strict=True):
            group["lr"] = base * factor * self.scale
        return factor

    def step(self, metric: float | None = None) -> None:
        """Epoch-end hook of the plateau scheduler; the time schedule ignores it."""

    def state_dict(self) -> dict[str, Any]:
        return {"base_lrs": list(self.base_lrs), "scale": self.scale}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.base_lrs = [float(v) for v in state.get("base_lrs", self.base_lrs)]
        self.scale = float(state.get("scale", 1.0))


class Clock:
    """Elapsed training time of a run (continuing a resumed run's) and the stop decision."""

    def __init__(self, budget_s: float | None, already_s: float = 0.0) -> None:
        self.budget_s = budget_s
        self._already = already_s
        self._start = self.now()
        self.step_s = 0.0  # running estimate of one training step
        self.validation_s = 0.0  # the last validation
        self.save_s = 0.0  # the slowest checkpoint write so far

    def now(self) -> float:
        """The one time source of the run's budget decisions (tests substitute a fake one)."""
        return time.monotonic()

    def elapsed(self) -> float:
        return self._already + (self.now() - self._start)

    def fraction(self) -> float:
        if not self.budget_s:
            return 0.0
        return min(self.elapsed() / self.budget_s, 1.0)

    def record_step(self, seconds: float) -> None:
        # The first steps include cuDNN autotuning and lazy initialisation: let later ones win.
        self.step_s = seconds if self.step_s == 0.0 else 0.9 * self.step_s + 0.1 * seconds

    def finishing_s(self) -> float:
        """Time to reserve for the end: a last validation, three writes (best, latest, final model)."""
        return 1.5 * (self.validation_s + 3.0 * self.save_s) + 1.0

    def out_of_time(self) -> bool:
        """True when one more step, a possible epoch end after it and the finish would not fit."""
        if self.budget_s is None:
            return False
        epoch_end = self.validation_s + self.save_s
        return self.elapsed() + self.step_s + epoch_end + self.finishing_s() >= self.budget_s
