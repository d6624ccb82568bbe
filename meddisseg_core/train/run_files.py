"""What a run writes and reads back: the resumable checkpoint and the best model (a Trainer part).

The resumable checkpoint (``train.state``) is written at every epoch end, or, in a time-budget
run, at most every ``time_budget.checkpoint_interval_s``; the best epoch is kept in memory and
written to ``best.safetensors`` on the same rhythm, and always before the run ends.
"""

from __future__ import annotations

import sys

from meddisseg_core.config import to_dict
from meddisseg_core.errors import ConfigError
from meddisseg_core.train.final import run_metadata, save_best
from meddisseg_core.train.state import (
    capture_rng,
    load_latest,
    progress_from,
    restore_rng,
    save_latest,
    saved_config,
)


class RunFilesMixin:
    """Checkpoint reading and writing of the Trainer.

    It reads and sets the Trainer's attributes (config, network, optimizer, progress, clock, ...);
    it is a separate file only to keep each part readable. It imports nothing from trainer.py.
    """

    def _check_resumable(self, payload: dict) -> None:
        """Refuse, in one line, to resume a run folder trained as another stage or network."""
        saved = saved_config(payload)
        for key, what in (("stage", "stage"), ("network", "network")):
            ours, theirs = getattr(self.config, key), saved.get(key)
            if theirs is not None and theirs != ours:
                raise ConfigError(
                    f"--resume: {self.out_dir} holds a {what}-{theirs} run but this run is {what} {ours}; "
                    f"resume with --{key} {theirs}, or use another --out"
                )

    def _load_latest(self) -> None:
        weights, payload = load_latest(self.out_dir)
        self._check_resumable(payload)
        self.network.load_state_dict(weights, strict=True)
        self.optimizer.load_state_dict(payload["optimizer"])
        self.scheduler.load_state_dict(payload["scheduler"])
        self.progress = progress_from(payload)
        restore_rng(payload["rng"], {"aug": self.aug_generator})

    def _save_latest(self) -> None:
        self.progress.elapsed_s = self.clock.elapsed()
        started = self.clock.now()
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
        self.clock.save_s = max(self.clock.save_s, self.clock.now() - started)
        self.last_save = self.clock.elapsed()

    def _due(self) -> bool:
        interval = self.config.time_budget.checkpoint_interval_s if self.config.budgeted else 0.0
        return self.clock.elapsed() - self.last_save >= interval

    def _write_checkpoints(self, final: bool) -> None:
        """End of an epoch: best and latest to disk when due; always when the run ends (``final``)."""
        self._flush_best(force=final)
        if final or self._due():
            self._save_latest()

    def _flush_best(self, force: bool) -> None:
        """Write the best epoch to best.safetensors when it changed and the interval allows."""
        if not (self.ctx.is_main and self.best_dirty and self.best_snapshot is not None):
            return
        if not force and not self._due():
            return
        p = self.progress
        notes = f"best validation {self.config.selection_metric} at epoch {p.best_epoch} (step {p.step})"
        started = self.clock.now()
        metadata = run_metadata(self.run_description, p.best_values, notes)
        path = save_best(self.out_dir, self.best_snapshot, metadata)
        self.clock.save_s = max(self.clock.save_s, self.clock.now() - started)
        self.best_dirty = False
        self.events.emit(
            "checkpoint",
            kind="best",
            path=str(path),
            epoch=p.best_epoch,
            miou=p.best_values.get("miou"),
            metric=self.config.selection_metric,
            value=p.best_metric,
        )

    def _final_notes(self) -> str:
        cfg, p = self.config, self.progress
        budget = f"; time budget {cfg.time_budget.seconds:g} s" if cfg.budgeted else ""
        return (
            f"stage {cfg.stage}; {p.epoch} epochs, {p.step} steps in {p.elapsed_s:.0f} s{budget}; "
            f"best epoch {p.best_epoch} by val {cfg.selection_metric}; "
            f"backbone init {self.init_info.get('backbone')}; "
            f"dispersive {cfg.dispersive.variant} w={cfg.dispersive_weight} T={cfg.dispersive.temperature}"
        )

    def _keep_best(self) -> None:
        """On a failure: write the best epoch held in memory, if any; never raise from here."""
        try:
            self._flush_best(force=True)
        except Exception as exc:  # the original failure is what gets reported
            print(f"meddisseg train: could not write the best model ({exc})", file=sys.stderr)
