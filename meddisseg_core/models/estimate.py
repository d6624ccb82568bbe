"""An honest duration estimate: a few real training steps of the real network, timed, in seconds.

Run in a child process (``meddisseg models estimate``) so the app never loads a network for
training in its own process. The first step is a warm-up and is not counted (allocator, lazy
kernel selection); the estimate is the median of the timed steps.

It must answer within ``max_seconds`` (15 s by default: under 20 s on a 2-core CPU with the
network setup), where one full step of the paper network (4 images of 256x256) takes half a
minute or more. So it times a step of one image at 32x32, then steps of one image at the largest
side that fits the time left (at least 64), fits "a fixed part plus a part per pixel" through the
two, and scales to the job's side and batch. On the paper network this lands within about 10 %
of a timed full-size step (7.1 s measured, 6.5 s estimated from 64 and 128, CPU time, one
thread). ``measured_size`` and ``measured_batch`` say what was timed. Where the full batch fits
the time (a GPU, the tiny network) it is timed as it is.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np
import torch

from meddisseg_core.data import read_image_bgr
from meddisseg_core.train import setup
from meddisseg_core.train.config import resolve_config
from meddisseg_core.train.steps import stage1_step, stage2_step

PROBE_SIDE = 32  # the first, smallest timed side: cheap even for the paper network on a CPU
MAX_SECONDS = 15.0


class StepEstimate(NamedTuple):
    seconds_per_step: float  # one optimiser step of ``batch_size`` images
    seconds_per_val_image: float  # one image of the per-epoch validation
    batch_size: int
    device: str
    measured_size: int = 0  # the side of the timed steps (0: not said; the job's size)
    measured_batch: int = 0  # the images per timed step (0: not said; ``batch_size``)

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


def _side_within(seconds: float, probe_s: float, probe_side: int, image_size: int, batch: int) -> int:
    """The largest side (multiple of 16, PROBE_SIDE..image_size) whose step of ``batch`` images
    is expected to take at most ``seconds``, from a step of one image at ``probe_side``."""
    side = image_size
    while side > probe_side and probe_s * batch * (side / probe_side) ** 2 > seconds:
        side -= 16
    return max(side, probe_side)


def _scale(t_small: float, small: int, t_side: float, side: int, image_size: int) -> float:
    """How much longer a step of one image takes at ``image_size`` than at ``side``.

    A step costs about a + b * side^2 (a fixed part, then work per pixel): fitted through the two
    timed sides. Noise can make the fit useless (b <= 0): then plain pixel scaling from ``side``."""
    b = (t_side - t_small) / (side**2 - small**2) if side != small else 0.0
    if b <= 0:
        return (image_size / side) ** 2
    a = max(0.0, t_side - b * side**2)
    return (a + b * image_size**2) / (a + b * side**2)


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
    max_seconds: float = MAX_SECONDS,
    progress: Callable[[str, float], None] | None = None,
) -> StepEstimate:
    """Time training steps within about ``max_seconds`` (network setup included); ``progress``
    gets (what is happening, fraction of the time used)."""
    began = time.perf_counter()

    def report(text: str) -> None:
        if progress is not None:
            progress(text, min(1.0, (time.perf_counter() - began) / max_seconds))

    report("building the network")
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
    generator = torch.Generator().manual_seed(0)
    weight = config.dispersive_weight

    def one_step(side: int, batch: int) -> float:
        x = _batch(images, side, batch).to(torch_device)
        y = (x.mean(dim=1, keepdim=True) > 0.5).float()
        started = time.perf_counter()
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
        return time.perf_counter() - started

    def left() -> float:
        return max_seconds - (time.perf_counter() - began)

    # A small warm-up step, then one timed, says how fast this machine is.
    small = min(PROBE_SIDE, image_size)
    report(f"warm-up step at {small}x{small}")
    one_step(small, 1)
    report(f"timing a step at {small}x{small}")
    t_small = one_step(small, 1)
    # Pixel scaling from the small side over-states the cost (it scales the fixed part too), so
    # it is a safe bound for "does the real batch fit": then it is timed as it is.
    if 2 * t_small * batch_size * (image_size / small) ** 2 <= left() / 2:
        side, batch = image_size, batch_size
        report(f"warm-up step of {batch} image(s) at {side}x{side}")
        one_step(side, batch)
    else:
        side = max(min(2 * small, image_size), _side_within(left() / 3, t_small, small, image_size, 1))
        batch = 1
    step_times: list[float] = []
    while len(step_times) < max(1, steps) and (not step_times or left() > 1.2 * max(step_times)):
        report(f"timing step {len(step_times) + 1} of {batch} image(s) at {side}x{side}")
        step_times.append(one_step(side, batch))
    measured = statistics.median(step_times)
    ratio = _scale(t_small, small, measured, side, image_size) if side != image_size else 1.0
    model.eval()
    report("timing a validation image")
    with torch.no_grad():
        x = _batch(images, side, 1).to(torch_device)
        started = time.perf_counter()
        model(x)
        if torch_device.type == "cuda":
            torch.cuda.synchronize(torch_device)
        val_time = (time.perf_counter() - started) * ratio
    report("done")
    per_step = measured * ratio * batch_size / batch
    return StepEstimate(per_step, val_time, batch_size, str(torch_device), side, batch)
