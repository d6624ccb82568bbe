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
import torch.nn.functional as F
from tqdm import tqdm

from meddisseg_core.config import to_dict
from meddisseg_core.data import open_dataset
from meddisseg_core.errors import MedDisSegError
from meddisseg_core.train import setup
from meddisseg_core.train.batch_events import BatchReporter
from meddisseg_core.train.budget import Clock, TimeSchedule
from meddisseg_core.train.distributed import DistContext, any_rank, init_distributed, shutdown_distributed
from meddisseg_core.train.events import EventWriter
from meddisseg_core.train.final import RunDescription, Snapshot, save_final
from meddisseg_core.train.fused import FusedSetup, enable_fused_regions
from meddisseg_core.train.job import (
    EXIT_CANCELLED,
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    OOM_ADVICE,
    TrainOutcome,
    TrainRequest,
)
from meddisseg_core.train.numerics import train_precision
from meddisseg_core.train.optimise import OptimiseMixin
from meddisseg_core.train.run_files import RunFilesMixin
from meddisseg_core.train.state import (
    Progress,
    has_latest,
    latest_weights_path,
)
from meddisseg_core.train.validation import validate


class _CancelRequestedError(Exception):
    pass


def _resize_batch(size: int, *tensors: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Bilinear resize of a batch (images and soft targets alike) to size×size."""
    if tensors[0].shape[-1] == size and tensors[0].shape[-2] == size:
        return tensors
    return tuple(F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False) for t in tensors)


class Trainer(OptimiseMixin, RunFilesMixin):
    """One training job: set up, epochs (or a time budget), validation, checkpoints, events."""

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
        self.clock = Clock(None)
        self.best_snapshot: Snapshot | None = None
        self.best_dirty = False  # the best epoch so far is not yet on disk
        self.last_save = 0.0  # clock time of the last checkpoint write
        self.validated_step = -1  # optimiser step of the last validation

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
        self.bf16, self.precision_reason = train_precision(cfg.precision, self.device, cfg.network)
        self.channels_last = cfg.channels_last and self.device.type == "cuda"
        if self.device.type == "cuda":
            # Fixed shapes batch after batch: let cuDNN pick its fastest kernels (as the authors do).
            torch.backends.cudnn.benchmark = True
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
        self.run_description = RunDescription(
            config=cfg,
            network=self.network.config,
            data_dir=Path(self.request.data_dir),
            split_source=self.spec.split.source,
            train_images=len(self.spec.split.train),
            val_images=len(self.spec.split.val),
        )
        self.resumed = False
        if self.request.resume and has_latest(self.out_dir):
            self._load_latest()
            self.resumed = True
            # The weights now come from the run being resumed; the backbone init no longer applies.
            self.init_info = {"backbone": "resumed", "source": str(self.out_dir), "entries": 0}
            warnings = []
        elif self.request.resume:
            warnings.append(f"--resume: no checkpoint in {self.out_dir}; starting a new run")
        self.fused = self._setup_fused_regions()
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
            precision_reason=self.precision_reason,
            channels_last=self.channels_last,
            compile_regions=self.fused.as_event(),
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
        if self.fused.error is not None:
            self._warn(
                "compile",
                f"compile_regions={cfg.compile_regions!r} failed ({self.fused.error}); "
                "training in eager mode",
            )
        self.clock = Clock(cfg.time_budget.seconds, self.progress.elapsed_s)
        if not self.resumed:
            self._save_latest()

    def _setup_fused_regions(self) -> FusedSetup:
        backend = self.config.compile_regions
        if backend == "off":
            return FusedSetup(None, 0, 0.0)
        return enable_fused_regions(
            self.network,
            backend,
            device=self.device,
            bf16=self.bf16,
            channels_last=self.channels_last,
            batch=self.config.batch_size,
            sides=self._training_sides(),
            logits=self.config.logit_losses,
        )

    def _training_sides(self) -> tuple[int, ...]:
        """Every image side the run trains at: the low-resolution phase's, then the full size."""
        budget, full = self.config.time_budget, self.config.data.image_size
        low = budget.low_res_size if self.config.budgeted and budget.low_res_fraction > 0 else None
        return (full,) if low is None or low == full else (low, full)

    def _warn(self, code: str, message: str, **fields: object) -> None:
        if self.ctx.is_main:
            print(f"meddisseg train: warning: {message}", file=sys.stderr)
        self.events.emit("warning", code=code, message=message, **fields)

    # ----------------------------------------------------------------- epochs
    def _image_side_now(self) -> int:
        """Training image side for this batch: the low-resolution phase of a budget run, else full."""
        budget = self.config.time_budget
        if budget.low_res_size is not None and self.clock.fraction() < budget.low_res_fraction:
            return budget.low_res_size
        return self.config.data.image_size

    def _train_epoch(self, epoch: int) -> tuple[dict[str, float], float, str | None]:
        """Returns (mean scalars, images/s, stop reason or None); raises _CancelRequestedError."""
        skip = self.progress.batches_in_epoch
        self.loaders.train_sampler.set_epoch(epoch, skip * self.config.batch_size)
        self.loaders.train_set.reseed(self.config.seed * 7919 + epoch * 104729 + skip)
        self.model.train()
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        images, streak, started = 0, 0, time.perf_counter()
        reason: str | None = None
        show = self.config.progress and self.ctx.is_main and sys.stderr.isatty()
        bar = tqdm(total=len(self.loaders.train), desc=f"epoch {epoch + 1}", disable=not show, leave=False)
        report = BatchReporter(
            self.events, stage=self.config.stage, epoch=epoch + 1, batches=len(self.loaders.train)
        )
        try:
            tick: float | None = None
            for x, y, y_bg in self.loaders.train:
                now = self.clock.now()
                if tick is not None:  # a whole iteration: batch preparation, step, bookkeeping
                    self.clock.record_step(now - tick)
                tick = now
                if self.should_stop():
                    raise _CancelRequestedError
                if self.config.budgeted and any_rank(self.ctx, self.clock.out_of_time(), self.device):
                    reason = "time_budget"
                    break
                if isinstance(self.scheduler, TimeSchedule):
                    self.scheduler.update(self.clock.fraction())
                x, y, y_bg = x.to(self.device, non_blocking=True), y.to(self.device), y_bg.to(self.device)
                x, y, y_bg = _resize_batch(self._image_side_now(), x, y, y_bg)
                if self.channels_last:
                    x = x.contiguous(memory_format=torch.channels_last)
                scalars = self._train_step(x, y, y_bg)
                self.progress.batches_in_epoch += 1
                bar.update(1)
                trained = 0 if scalars is None else x.shape[0] * self.ctx.world_size
                report.step(self.progress.batches_in_epoch, self.progress.step, trained, scalars)
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
                    reason = "max_steps"
                    break
        finally:
            bar.close()
        elapsed = max(time.perf_counter() - started, 1e-9)
        means = {key: sums[key] / counts[key] for key in sums}
        return means, images / elapsed, reason

    def _validate(self) -> dict[str, float]:
        cfg = self.config
        started = self.clock.now()
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
            logits=cfg.logit_losses,
        )
        self.clock.validation_s = self.clock.now() - started
        return val

    def _end_epoch(self, epoch: int, train: dict[str, float], speed: float, last: bool) -> bool:
        """Validate, schedule, early-stop, checkpoint; returns True when training should stop.

        ``last``: the run ends after this (possibly partial) epoch, so it is validated and its
        checkpoints written whatever the intervals say.
        """
        cfg = self.config
        p = self.progress
        p.epoch, p.batches_in_epoch = epoch + 1, 0
        if (not last and (epoch + 1) % cfg.val_every_epochs) or self.validated_step == p.step:
            # Not a validation epoch, or nothing trained since the last validation.
            self._write_checkpoints(last)
            return False
        val = self._validate()
        self.validated_step = p.step
        if math.isfinite(val["loss"]):
            self.scheduler.step(val["loss"])
        metric = cfg.selection_metric
        improved = val[metric] > p.best_metric  # strictly greater, as the authors
        if improved:
            p.best_metric, p.best_epoch, p.bad_epochs = val[metric], epoch + 1, 0
            p.best_values = {k: float(v) for k, v in val.items() if isinstance(v, (int, float))}
        elif val[metric] < p.best_metric:
            p.bad_epochs += 1
        self.events.emit(
            "epoch_end",
            epoch=epoch + 1,
            step=p.step,
            train=train,
            val=val,
            lr=self._lrs(),
            images_per_s=speed,
            best_miou=p.best_values.get("miou", p.best_metric),
            best_mdsc=p.best_values.get("mdsc"),
            select_metric=metric,
            early_stop_counter=p.bad_epochs,
            skipped_steps=p.skipped_steps,
            elapsed_s=self.clock.elapsed(),
            gpu_memory_gib=(
                torch.cuda.max_memory_allocated(self.device) / 2**30 if self.device.type == "cuda" else None
            ),
        )
        if improved and self.ctx.is_main:
            self.best_snapshot, self.best_dirty = Snapshot(self.network), True
        self._write_checkpoints(last)
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
            reason = None
            while reason is None:
                if epoch >= self.config.max_epochs:
                    reason = "max_epochs"
                    break
                train, speed, reason = self._train_epoch(epoch)
                last = reason is not None or epoch + 1 >= self.config.max_epochs
                if self._end_epoch(epoch, train, speed, last) and reason is None:
                    reason = "early_stopping"
                    if not last:
                        self._write_checkpoints(True)
                epoch += 1
            self.progress.elapsed_s = self.clock.elapsed()
            paths: dict[str, str] = {}
            if self.ctx.is_main:
                paths = save_final(
                    self.out_dir,
                    self.network,
                    self.run_description,
                    self.progress.best_values,
                    self._final_notes(),
                )
                paths["latest"] = str(latest_weights_path(self.out_dir))
                paths["events_job"] = self.events.job_id
            p = self.progress
            self.events.emit(
                "finished",
                reason=reason,
                best_miou=p.best_values.get("miou", p.best_metric),
                best_mdsc=p.best_values.get("mdsc"),
                select_metric=self.config.selection_metric,
                best_epoch=p.best_epoch,
                epochs=p.epoch,
                steps=p.step,
                elapsed_s=p.elapsed_s,
                paths=paths,
            )
            return TrainOutcome("finished", EXIT_OK, best_metric=p.best_metric, paths=paths)
        except _CancelRequestedError:
            self._flush_best(force=True)  # a budget run may hold its best epoch in memory only
            self._save_latest()
            self.events.emit(
                "cancelled",
                epoch=self.progress.epoch,
                step=self.progress.step,
                batches_in_epoch=self.progress.batches_in_epoch,
                latest=str(latest_weights_path(self.out_dir)),
            )
            return TrainOutcome("cancelled", EXIT_CANCELLED, "cancelled on request")
        except torch.cuda.OutOfMemoryError as exc:
            self._keep_best()
            self.events.emit(
                "failed", message=str(exc).splitlines()[0], advice=OOM_ADVICE, error="out_of_memory"
            )
            return TrainOutcome("failed", EXIT_FAILED, f"{exc}; {OOM_ADVICE}")
        except MedDisSegError as exc:
            self._keep_best()
            code = EXIT_FAILED if self.started else EXIT_ERROR
            advice = (
                "see the message" if self.started else "fix the configuration, dataset or checkpoint named"
            )
            self.events.emit("failed", message=str(exc), advice=advice, error=type(exc).__name__)
            return TrainOutcome("failed", code, str(exc))
        except Exception as exc:
            self._keep_best()
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
