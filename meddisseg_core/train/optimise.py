"""One optimiser step with its safety checks, and the recovery from non-finite steps (a Trainer part)."""

from __future__ import annotations

import math

import torch

from meddisseg_core.errors import NonFiniteLossError
from meddisseg_core.train.budget import TimeSchedule
from meddisseg_core.train.distributed import any_rank
from meddisseg_core.train.state import has_latest
from meddisseg_core.train.steps import dispersive_grad_norm, stage1_step, stage2_step


class OptimiseMixin:
    """The training step of the Trainer.

    It reads and sets the Trainer's attributes (config, network, optimizer, progress, clock, ...);
    it is a separate file only to keep each part readable. It imports nothing from trainer.py.
    """

    def _train_step(self, x: torch.Tensor, y: torch.Tensor, y_bg: torch.Tensor) -> dict[str, float] | None:
        cfg = self.config
        weight = cfg.dispersive_weight
        logits = cfg.logit_losses
        if cfg.stage == 1:
            step = stage1_step(
                self.model, x, y, cfg.dispersive, weight, self.aug_generator, bf16=self.bf16, logits=logits
            )
        else:
            step = stage2_step(self.model, x, y, y_bg, cfg.dispersive, weight, bf16=self.bf16, logits=logits)
        self.optimizer.zero_grad(set_to_none=True)
        loss_ok = step.loss is not None and bool(torch.isfinite(step.loss.total).item())
        # Every rank must agree before backward: under DDP a rank that skipped backward would leave
        # the others waiting in the gradient all-reduce.
        if any_rank(self.ctx, not loss_ok, self.device):
            return None
        disp_norm = dispersive_grad_norm(step, weight)
        step.loss.total.backward()
        grads = [p.grad for p in self.network.parameters() if p.grad is not None]
        # One fused norm over all gradients (foreach kernels); NaN/inf anywhere makes it non-finite.
        grad_norm = float(torch.nn.utils.get_total_norm(grads)) if grads else 0.0
        if not any_rank(self.ctx, not math.isfinite(grad_norm), self.device):
            clip = cfg.optim.clip_grad_norm
            if clip is not None and grad_norm > clip:
                torch._foreach_mul_(grads, clip / (grad_norm + 1e-6))
            self.optimizer.step()
            self.progress.step += 1
            scalars = step.loss.scalars()
            scalars["total"] = float(step.loss.total.detach())
            scalars["grad_norm"] = grad_norm
            if disp_norm is not None:
                scalars["dispersive_grad_norm"] = disp_norm
            return scalars
        self.optimizer.zero_grad(set_to_none=True)  # a NaN gradient never reaches Adam's moments
        return None

    def _handle_skip(self, streak: int) -> int:
        self.progress.skipped_steps += 1
        self._warn(
            "nonfinite",
            f"non-finite loss or gradient at step {self.progress.step}: step skipped",
            step=self.progress.step,
            consecutive=streak,
        )
        if streak < self.config.nonfinite_patience:
            return streak
        if self.progress.recoveries >= self.config.max_recoveries or not has_latest(self.out_dir):
            raise NonFiniteLossError(
                f"{streak} consecutive non-finite steps after {self.progress.recoveries} recoveries; "
                "lower the learning rates (optim.lr_backbone/lr_head) or check the data"
            )
        recoveries, skipped = self.progress.recoveries + 1, self.progress.skipped_steps
        elapsed = self.progress.elapsed_s
        self._load_latest()
        self.progress.recoveries, self.progress.skipped_steps = recoveries, skipped
        self.progress.elapsed_s = elapsed
        factor = self.config.nonfinite_lr_factor
        if isinstance(self.scheduler, TimeSchedule):
            self.scheduler.scale *= factor  # the time schedule rewrites lr every batch
            self.scheduler.update(self.clock.fraction())
        else:
            for group in self.optimizer.param_groups:
                group["lr"] *= factor
        self._warn(
            "recovered",
            f"restored the latest checkpoint (step {self.progress.step}) and lowered the "
            f"learning rates by {factor}",
            lr=self._lrs(),
        )
        return 0

    def _lrs(self) -> dict[str, float]:
        return {g.get("name", str(i)): g["lr"] for i, g in enumerate(self.optimizer.param_groups)}
