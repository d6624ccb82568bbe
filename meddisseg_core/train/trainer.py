"""The training loop: explicit, cancellable within one batch, resumable, DDP-aware.

Exit codes of a run (also documented in docs/EVENTS.md): 0 finished (including early
stopping), 2 the job could not start (bad config, dataset or checkpoint), 3 training failed
(non-finite loss that recovery could not fix, out of memory, unexpected error), 4 cancelled.
"""

from __future__ import annotations

import math
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import torch
from tqdm import tqdm

from meddisseg_core.config import to_dict
from meddisseg_core.data import open_dataset
from meddisseg_core.errors import MedDisSegError, NonFiniteLossError
from meddisseg_core.train import setup
from meddisseg_core.train.distributed import DistContext, any_rank, init_distributed, shutdown_distributed
from meddisseg_core.train.events import EventWriter
from meddisseg_core.train.final import save_best, save_final
from meddisseg_core.train.job import (
    EXIT_CANCELLED,
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    OOM_ADVICE,
    TrainOutcome,
    TrainRequest,
)
from meddisseg_core.train.state import (
    Progress,
    capture_rng,
    has_latest,
    load_latest,
    progress_from,
    restore_rng,
    save_latest,
)
from meddisseg_core.train.steps import dispersive_grad_norm, stage1_step, stage2_step
from meddisseg_core.train.validation import validate


class _CancelRequestedError(Exception):
    pass


class Trainer:
    def __init__(self, request: TrainRequest, should_stop: Callable[[], bool] | None = None) -> None:
        self.request = request
        self.config = request.config
        self.out_dir = Path(request.out_dir)
        self._external_stop = should_stop
        self._signalled = threading.Event()
        self.ctx = DistContext()
        self.events = EventWriter(None)
        self.progress = Progress()
        self.started = False

    # ----------------------------------------------------------------- stopping
    def should_stop(self) -> bool:
        local = self._signalled.is_set()
        cancel_file = self.request.cancel_file
        local = local or (cancel_file is not None and Path(cancel_file).exists())
        local = local or (self._external_stop is not None and self._external_stop())
        return any_rank(self.ctx, local, self.device)

    def _on_sigterm(self, signum: int, frame: object) -> None:
        self._signalled.set()

    # ----------------------------------------------------------------- setup
    def _setup(self) -> None:
        cfg = self.config
        device_type = (
            "cuda"
            if self.request.device.startswith("cuda")
            or (self.request.device == "auto" and torch.cuda.is_available())
            else "cpu"
        )
        self.ctx = init_distributed(device_type)
        self.device = setup.choose_train_device(self.request.device, self.ctx)
        self.events = EventWriter(self.request.events, job_id=self.request.job_id, enabled=self.ctx.is_main)
        self.bf16 = cfg.precision == "bf16" or (
            cfg.precision == "auto" and self.device.type == "cuda" and torch.cuda.is_bf16_supported()
        )
        self.bf16 = self.bf16 and self.device.type == "cuda"
        self.channels_last = cfg.channels_last and self.device.type == "cuda"
        setup.seed_everything(cfg.seed)
        if self.ctx.is_main:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        self.spec = open_dataset(
            self.request.data_dir, cfg.data, write_split_to=self.out_dir if self.ctx.is_main else None
        )
        self.loaders = setup.make_loaders(self.spec, cfg, self.ctx, self.device)
        network, self.init_info, warnings = setup.initialise_network(
            cfg,
            init_checkpoint=self.request.init_checkpoint,
            backbone_weights=self.request.backbone_weights,
            download_backbone=self.request.download_backbone,
        )
        self.network = network.to(self.device)
        if self.channels_last:
            self.network = self.network.to(memory_format=torch.channels_last)
        self.optimizer = setup.make_optimizer(self.network, cfg)
        self.scheduler = setup.make_scheduler(self.optimizer, cfg)
        self.aug_generator = torch.Generator().manual_seed(cfg.seed + 1)
        self.resumed = False
        if self.request.resume and has_latest(self.out_dir):
            self._load_latest()
            self.resumed = True
            # The weights now come from the run being resumed; the backbone init no longer applies.
            self.init_info = {"backbone": "resumed", "source": str(self.out_dir), "entries": 0}
            warnings = []
        elif self.request.resume:
            warnings.append(f"--resume: no checkpoint in {self.out_dir}; starting a new run")
        self.model: torch.nn.Module = self.network
        if self.ctx.enabled:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.model = torch.nn.parallel.DistributedDataParallel(self.network, device_ids=ids)
        self.events.emit(
            "started",
            config=to_dict(cfg),
            device=str(self.device),
            world_size=self.ctx.world_size,
            precision="bf16" if self.bf16 else "fp32",
            channels_last=self.channels_last,
            backbone_init=self.init_info,
            data=str(self.request.data_dir),
            split_source=self.spec.split.source,
            train_images=len(self.spec.split.train),
            val_images=len(self.spec.split.val),
            out_dir=str(self.out_dir),
            resumed_from=(
                {"epoch": self.progress.epoch, "step": self.progress.step} if self.resumed else None
            ),
        )
        self.started = True
        for message in warnings:
            self._warn("resume" if message.startswith("--resume") else "backbone", message)
        if not self.resumed:
            self._save_latest()

    def _load_latest(self) -> None:
        weights, payload = load_latest(self.out_dir)
        self.network.load_state_dict(weights, strict=True)
        self.optimizer.load_state_dict(payload["optimizer"])
        self.scheduler.load_state_dict(payload["scheduler"])
        self.progress = progress_from(payload)
        restore_rng(payload["rng"], {"aug": self.aug_generator})

    def _save_latest(self) -> None:
        if self.ctx.is_main:
            path = save_latest(
                self.out_dir,
                self.network,
                self.optimizer,
                self.scheduler,
                self.progress,
                capture_rng({"aug": self.aug_generator}),
                to_dict(self.config),
            )
            self.events.emit(
                "checkpoint",
                kind="latest",
                path=str(path),
                epoch=self.progress.epoch,
                step=self.progress.step,
            )

    def _warn(self, code: str, message: str, **fields: object) -> None:
        if self.ctx.is_main:
            print(f"meddisseg train: warning: {message}", file=sys.stderr)
        self.events.emit("warning", code=code, message=message, **fields)

    # ----------------------------------------------------------------- one step
    def _train_step(self, x: torch.Tensor, y: torch.Tensor, y_bg: torch.Tensor) -> dict[str, float] | None:
        cfg = self.config
        weight = cfg.dispersive_weight
        if cfg.stage == 1:
            step = stage1_step(self.model, x, y, cfg.dispersive, weight, self.aug_generator, bf16=self.bf16)
        else:
            step = stage2_step(self.model, x, y, y_bg, cfg.dispersive, weight, bf16=self.bf16)
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
        self._load_latest()
        self.progress.recoveries, self.progress.skipped_steps = recoveries, skipped
        for group in self.optimizer.param_groups:
            group["lr"] *= self.config.nonfinite_lr_factor
        self._warn(
            "recovered",
            f"restored the latest checkpoint (step {self.progress.step}) and lowered the "
            f"learning rates by {self.config.nonfinite_lr_factor}",
            lr=self._lrs(),
        )
        return 0

    def _lrs(self) -> dict[str, float]:
        return {g.get("name", str(i)): g["lr"] for i, g in enumerate(self.optimizer.param_groups)}

    # ----------------------------------------------------------------- epochs
    def _train_epoch(self, epoch: int) -> tuple[dict[str, float], float, bool]:
        """Returns (mean scalars, images/s, reached max_steps); raises _CancelRequestedError."""
        skip = self.progress.batches_in_epoch
        self.loaders.train_sampler.set_epoch(epoch, skip * self.config.batch_size)
        self.loaders.train_set.reseed(self.config.seed * 7919 + epoch * 104729 + skip)
        self.model.train()
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        images, streak, started = 0, 0, time.perf_counter()
        show = self.config.progress and self.ctx.is_main and sys.stderr.isatty()
        bar = tqdm(total=len(self.loaders.train), desc=f"epoch {epoch + 1}", disable=not show, leave=False)
        try:
            for x, y, y_bg in self.loaders.train:
                if self.should_stop():
                    raise _CancelRequestedError
                x = x.to(self.device, non_blocking=True)
                if self.channels_last:
                    x = x.contiguous(memory_format=torch.channels_last)
                scalars = self._train_step(x, y.to(self.device), y_bg.to(self.device))
                self.progress.batches_in_epoch += 1
                bar.update(1)
                if scalars is None:
                    streak = self._handle_skip(streak + 1)
                    continue
                streak = 0
                images += x.shape[0] * self.ctx.world_size
                for key, value in scalars.items():
                    if value is not None:
                        sums[key] = sums.get(key, 0.0) + value
                        counts[key] = counts.get(key, 0) + 1
                bar.set_postfix(loss=f"{scalars['total']:.4f}")
                if self.config.max_steps is not None and self.progress.step >= self.config.max_steps:
                    break
        finally:
            bar.close()
        elapsed = max(time.perf_counter() - started, 1e-9)
        means = {key: sums[key] / counts[key] for key in sums}
        reached = self.config.max_steps is not None and self.progress.step >= self.config.max_steps
        return means, images / elapsed, reached

    def _end_epoch(self, epoch: int, train: dict[str, float], speed: float) -> bool:
        """Validate, schedule, early-stop, checkpoint; returns True when training should stop."""
        cfg = self.config
        val = validate(
            self.network,
            self.loaders.val,
            stage=cfg.stage,
            dispersive=cfg.dispersive,
            weight=cfg.dispersive_weight,
            device=self.device,
            bf16=self.bf16,
            channels_last=self.channels_last,
            ctx=self.ctx,
        )
        if math.isfinite(val["loss"]):
            self.scheduler.step(val["loss"])
        p = self.progress
        p.epoch, p.batches_in_epoch = epoch + 1, 0
        improved = val["miou"] > p.best_metric  # strictly greater, as the authors
        if improved:
            p.best_metric, p.best_epoch, p.bad_epochs = val["miou"], epoch + 1, 0
        elif val["miou"] < p.best_metric:
            p.bad_epochs += 1
        self.events.emit(
            "epoch_end",
            epoch=epoch + 1,
            step=p.step,
            train=train,
            val=val,
            lr=self._lrs(),
            images_per_s=speed,
            best_miou=p.best_metric,
            early_stop_counter=p.bad_epochs,
            skipped_steps=p.skipped_steps,
        )
        if improved and self.ctx.is_main:
            path = save_best(self, val)
            self.events.emit("checkpoint", kind="best", path=str(path), epoch=epoch + 1, miou=val["miou"])
        self._save_latest()
        return p.bad_epochs >= cfg.patience

    def run(self) -> TrainOutcome:
        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, self._on_sigterm) if main_thread else None
        try:
            return self._run()
        finally:
            if main_thread:
                signal.signal(signal.SIGTERM, previous)
            self.events.close()
            shutdown_distributed(self.ctx)

    def _run(self) -> TrainOutcome:
        try:
            self._setup()
            epoch = self.progress.epoch
            stop = False
            while not stop and epoch < self.config.max_epochs:
                train, speed, reached = self._train_epoch(epoch)
                stop = self._end_epoch(epoch, train, speed) or reached
                epoch += 1
            paths = save_final(self) if self.ctx.is_main else {}
            self.events.emit(
                "finished",
                best_miou=self.progress.best_metric,
                best_epoch=self.progress.best_epoch,
                epochs=self.progress.epoch,
                steps=self.progress.step,
                paths=paths,
            )
            return TrainOutcome("finished", EXIT_OK, best_metric=self.progress.best_metric, paths=paths)
        except _CancelRequestedError:
            self._save_latest()
            self.events.emit(
                "cancelled",
                epoch=self.progress.epoch,
                step=self.progress.step,
                batches_in_epoch=self.progress.batches_in_epoch,
                latest=str(self.out_dir / "latest.safetensors"),
            )
            return TrainOutcome("cancelled", EXIT_CANCELLED, "cancelled on request")
        except torch.cuda.OutOfMemoryError as exc:
            self.events.emit(
                "failed", message=str(exc).splitlines()[0], advice=OOM_ADVICE, error="out_of_memory"
            )
            return TrainOutcome("failed", EXIT_FAILED, f"{exc}; {OOM_ADVICE}")
        except MedDisSegError as exc:
            code = EXIT_FAILED if self.started else EXIT_ERROR
            advice = (
                "see the message" if self.started else "fix the configuration, dataset or checkpoint named"
            )
            self.events.emit("failed", message=str(exc), advice=advice, error=type(exc).__name__)
            return TrainOutcome("failed", code, str(exc))
        except Exception as exc:
            self.events.emit(
                "failed",
                message=f"{type(exc).__name__}: {exc}",
                advice="unexpected error; please report it with the events file",
                error=type(exc).__name__,
            )
            raise


def run_training(request: TrainRequest, should_stop: Callable[[], bool] | None = None) -> TrainOutcome:
    """Run one training job to its end (finished, cancelled or failed) and report how it ended."""
    return Trainer(request, should_stop).run()
