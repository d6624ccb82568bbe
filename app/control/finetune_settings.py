"""What the fine-tune dialog hands the control layer: the settings of one job (no Qt).

Defined here, not in the dialog's module, because the control layer never imports widgets.
"""

from __future__ import annotations

from typing import NamedTuple

SCRATCH = ""  # base "id" of a new network trained from scratch


class FineTuneSettings(NamedTuple):
    base_id: str  # SCRATCH for a new network
    stage: int
    epochs: int
    time_budget_s: float | None
    train_scope: str  # "all" | "decoder"
    device: str
    nproc_per_node: int
    held_out_fraction: float
    batch_size: int
