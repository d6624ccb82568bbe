"""An honest duration estimate: a few real training steps of the real network, timed.

Run in a child process (``meddisseg models estimate``) so the app never loads a network for
training in its own process. The first step is a warm-up and is not counted (allocator, lazy
kernel selection); the estimate is the median of the timed steps.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np
import torch

from meddisseg_core.data import read_image_bgr
from meddisseg_core.train import setup
from meddisseg_core.train.config import resolve_config
from meddisseg_core.train.steps import stage1_step, stage2_step


class StepEstimate(NamedTuple):
    seconds_per_step: float  # one optimiser step of ``batch_size`` images
    seconds_per_val_image: float  # one image of the per-epoch validation
    batch_size: int
    device: str

    def seconds_per_epoch(self, train_images: int, val_images: int) -> float:
        steps = math.ceil(train_images / self.batch_size)
        return steps * self.seconds_per_step + val_images * self.seconds_per_val_image

    def epochs_within(self, budget_s: float, train_images: int, val_images: int) -> int:
        return max(1, int(budget_s // self.seconds_per_epoch(train_images, val_images)))


def _batch(images: Sequence[Path], size: int, batch_size: int) -> torch.Tensor:
    """A batch of real images (BGR, [0,1]) when given, else of noise; pixels do not change speed."""
    arrays = []
    for index in range(batch_size):
        if images:
            bgr = read_image_bgr(Path(images[index % len(images)]))
            arrays.append(cv2.resize(bgr, (size, size), interpolation=cv2.INTER_LINEAR))
        else:
            arrays.append(np.random.default_rng(index).integers(0, 256, (size, size, 3), dtype=np.uint8))
    stacked = np.stack(arrays).transpose(0, 3, 1, 2).astype(np.float32) / 255.0
    return torch.from_numpy(np.ascontiguousarray(stacked))


def time_training_steps(
    base_model: Path | None,
    *,
    stage: int,
    network: str,
    train_scope: str,
    image_size: int,
    batch_size: int,
    device: str = "cpu",
    steps: int = 3,
    images: Sequence[Path] = (),
) -> StepEstimate:
    config = resolve_config(
        None,
        None,
        {
            "stage": stage,
            "network": network,
            "batch_size": batch_size,
            "train_scope": train_scope,
            "progress": False,
            "data": {"image_size": image_size},
        },
    )
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    torch_device = torch.device(device)
    model, _info, _warnings = setup.initialise_network(
        config,
        init_checkpoint=Path(base_model) if base_model is not None else None,
        backbone_weights=None,
        download_backbone=False,
    )
    model = model.to(torch_device)
    optimizer = setup.make_optimizer(model, config)  # freezes the encoder for "decoder"
    x = _batch(images, image_size, batch_size).to(torch_device)
    y = (x.mean(dim=1, keepdim=True) > 0.5).float()
    generator = torch.Generator().manual_seed(0)
    weight = config.dispersive_weight

    def one_step() -> float:
        began = time.perf_counter()
        model.train()
        if stage == 1:
            out = stage1_step(model, x, y, config.dispersive, weight, generator, bf16=False)
        else:
            out = stage2_step(model, x, y, 1.0 - y, config.dispersive, weight, bf16=False)
        optimizer.zero_grad(set_to_none=True)
        if out.loss is not None:
            out.loss.total.backward()
            optimizer.step()
        if torch_device.type == "cuda":
            torch.cuda.synchronize(torch_device)
        return time.perf_counter() - began

    one_step()  # warm-up
    step_times = [one_step() for _ in range(max(1, steps))]
    model.eval()
    with torch.no_grad():
        began = time.perf_counter()
        model(x[:1])
        if torch_device.type == "cuda":
            torch.cuda.synchronize(torch_device)
        val_time = time.perf_counter() - began
    return StepEstimate(statistics.median(step_times), val_time, batch_size, str(torch_device))
