"""``--time-budget``: warm-up then cosine decay over time, best model by val mDSC, a finish inside it.

The run's clock is replaced by a fake one that advances a fixed amount per reading, so the
schedule and the stop decision are the same on a quiet or a loaded machine.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from meddisseg_core import checkpoint
from meddisseg_core.train import TrainRequest, run_training
from meddisseg_core.train import trainer as trainer_module
from meddisseg_core.train.budget import Clock, lr_factor

from .conftest import read_events, tiny_config

BUDGET = 30.0
TICK = 0.4  # fake seconds per reading of the clock (about 2.5 s per training step)


class _FakeClock(Clock):
    def __init__(self, budget_s: float | None, already_s: float = 0.0) -> None:
        self._fake = 0.0
        super().__init__(budget_s, already_s)

    def now(self) -> float:
        self._fake += TICK
        return self._fake


def test_lr_factor_warms_up_then_decays_by_cosine_to_the_floor() -> None:
    assert lr_factor(0.0, 0.1, 0.02) == pytest.approx(0.01)  # never a zero step
    assert lr_factor(0.05, 0.1, 0.02) == pytest.approx(0.5)
    assert lr_factor(0.1, 0.1, 0.02) == pytest.approx(1.0)
    assert lr_factor(0.55, 0.1, 0.02) == pytest.approx(0.02 + 0.98 * 0.5)  # half way: cos = 0
    assert lr_factor(1.0, 0.1, 0.02) == pytest.approx(0.02)
    after = [lr_factor(0.1 + 0.09 * i, 0.1, 0.02) for i in range(11)]
    assert all(a >= b for a, b in itertools.pairwise(after))


@pytest.mark.slow
def test_budget_run_ends_inside_the_budget_with_the_best_mdsc_model(
    small_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trainer_module, "Clock", _FakeClock)
    out = tmp_path / "run"
    config = tiny_config(
        batch_size=2,
        epochs=None,
        time_budget={"seconds": BUDGET, "warmup_fraction": 0.2, "checkpoint_interval_s": 5.0},
    )
    assert config.selection_metric == "mdsc"
    outcome = run_training(TrainRequest(small_dataset, out, config, events=out / "events.jsonl"))
    assert outcome.exit_code == 0
    events = read_events(out / "events.jsonl")
    finished = events[-1]
    assert finished["type"] == "finished" and finished["reason"] == "time_budget"
    assert finished["elapsed_s"] <= BUDGET
    assert finished["epochs"] >= 3  # the budget, not an epoch count, ended it
    epochs = [e for e in events if e["type"] == "epoch_end"]
    assert all(e["select_metric"] == "mdsc" for e in epochs)
    best = max(e["val"]["mdsc"] for e in epochs)
    assert finished["best_mdsc"] == pytest.approx(best)
    model = checkpoint.load_model(out / "model.safetensors")
    assert model.metadata.metrics["mdsc"] == pytest.approx(best)
    assert "by val mdsc" in model.metadata.notes
    # The learning rate follows the time schedule: rising in the warm-up, low at the end.
    head = [e["lr"]["head"] for e in epochs]
    base = config.optim.lr_head
    assert head[0] < base and max(head) > 0.5 * base and head[-1] < 0.3 * base
    assert all(not math.isnan(v) for v in head)
    # Checkpoints were rate-limited: fewer latest writes than epochs.
    latest = [e for e in events if e["type"] == "checkpoint" and e["kind"] == "latest"]
    assert 2 <= len(latest) < len(epochs)


@pytest.mark.slow
def test_low_resolution_phase_then_full_size(
    small_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trainer_module, "Clock", _FakeClock)
    sides: list[int] = []
    original = trainer_module.Trainer._train_step

    def recording(self, x, y, y_bg):
        sides.append((x.shape[-1], y.shape[-1], y_bg.shape[-1]))
        return original(self, x, y, y_bg)

    monkeypatch.setattr(trainer_module.Trainer, "_train_step", recording)
    config = tiny_config(
        batch_size=2,
        epochs=None,
        time_budget={"seconds": 40.0, "low_res_size": 16, "low_res_fraction": 0.3},
    )
    outcome = run_training(TrainRequest(small_dataset, tmp_path / "run", config))
    assert outcome.exit_code == 0
    assert sides[0] == (16, 16, 16) and sides[-1] == (32, 32, 32)
    first_full = sides.index((32, 32, 32))
    assert set(sides[:first_full]) == {(16, 16, 16)} and set(sides[first_full:]) == {(32, 32, 32)}
