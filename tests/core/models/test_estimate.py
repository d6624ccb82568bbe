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


def test_a_short_time_times_one_small_image_and_scales(make_safetensors) -> None:
    base = make_safetensors()
    seen: list[tuple[str, float]] = []
    estimate = time_training_steps(
        base,
        stage=2,
        network="tiny",
        train_scope="all",
        image_size=256,
        batch_size=4,
        max_seconds=0.01,  # far less than a full batch of 256x256 takes: it must scale
        progress=lambda text, fraction: seen.append((text, fraction)),
    )
    assert estimate.measured_batch == 1 and estimate.measured_size < 256
    assert estimate.batch_size == 4 and estimate.seconds_per_step > 0
    assert seen[0][0] == "building the network" and seen[-1][0] == "done"
    assert all(0.0 <= fraction <= 1.0 for _text, fraction in seen)


def test_fixed_part_plus_per_pixel_scaling() -> None:
    from meddisseg_core.models.estimate import _scale

    # 0.4 s fixed + 1e-4 s per pixel: 0.8096 s at 64, 7.0 s at 256.
    def cost(side: int) -> float:
        return 0.4 + 1e-4 * side**2

    assert _scale(cost(32), 32, cost(64), 64, 256) == pytest.approx(cost(256) / cost(64))
    assert _scale(1.0, 32, 0.9, 64, 256) == pytest.approx(16.0)  # noise: plain pixel scaling
