"""The duration estimate times real training steps; the decoder-only ones skip the encoder's backward."""

from __future__ import annotations

import pytest

from meddisseg_core.models.estimate import StepEstimate, time_training_steps


def test_estimate_times_real_steps(make_safetensors) -> None:
    base = make_safetensors()
    estimate = time_training_steps(
        base, stage=2, network="tiny", train_scope="decoder", image_size=32, batch_size=2, steps=2
    )
    assert estimate.device == "cpu" and estimate.batch_size == 2
    assert estimate.seconds_per_step > 0 and estimate.seconds_per_val_image > 0


def test_epoch_arithmetic() -> None:
    estimate = StepEstimate(seconds_per_step=2.0, seconds_per_val_image=0.5, batch_size=4, device="cpu")
    assert estimate.seconds_per_epoch(10, 4) == pytest.approx(3 * 2.0 + 4 * 0.5)
    assert estimate.epochs_within(60, 10, 4) == 7
    assert estimate.epochs_within(1, 10, 4) == 1  # never zero epochs
