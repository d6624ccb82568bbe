"""Settings of a fine-tuning job: base model, stage, length, what to train, device, held-out part.

It refuses (Start disabled, with the reason in red) when too few images are approved. The
duration estimate comes from a few timed training steps that the controller measures in a
child process (``measureRequested``), never from a guess; a progress bar follows it. A time
budget never waits for it: the trainer itself stops on time. The values are kept per folder
(:meth:`values` / :meth:`restore`).
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..control.finetune_settings import SCRATCH, FineTuneSettings

if TYPE_CHECKING:  # the models package imports torch: not at start-up
    from meddisseg_core.models.devices import DeviceChoice
    from meddisseg_core.models.record import ModelRecord

__all__ = ["SCRATCH", "FineTuneDialog", "FineTuneSettings"]

# A budget run started before the speed is known: an upper bound only (the trainer stops on time).
BUDGET_MAX_EPOCHS = 1000


class FineTuneDialog(QDialog):
    measureRequested = Signal(object)  # FineTuneSettings

    def __init__(
        self,
        bases: Sequence[ModelRecord],
        current_id: str | None,
        approved: int,
        needed: int,
        held_out_note: str | None,
        devices: Sequence[DeviceChoice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fine-tune on approved images")
        self.bases = list(bases)
        self.base = QComboBox()
        for record in self.bases:
            self.base.addItem(f"{record.name} ({record.id})", record.id)
        self.base.addItem("none: a new network from scratch (needs many images)", SCRATCH)
        if current_id is not None and self.base.findData(current_id) >= 0:
            self.base.setCurrentIndex(self.base.findData(current_id))
        self.stage = QComboBox()
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 1000)
        self.epochs.setValue(10)
        self.budget = QDoubleSpinBox()
        self.budget.setRange(1, 24 * 60)
        self.budget.setValue(30)
        self.budget.setSuffix(" min")
        self.by_epochs, self.by_budget = QRadioButton("epochs"), QRadioButton("time budget")
        self.by_epochs.setChecked(True)
        self._length_group = QButtonGroup(self)
        for button in (self.by_epochs, self.by_budget):
            self._length_group.addButton(button)
        self.scope_all = QRadioButton("all weights")
        self.scope_decoder = QRadioButton("decoder only (encoder frozen)")
        self.scope_decoder.setToolTip(
            "Fewer weights change, which suits a few approved images. It is not much faster: in this "
            "network the decoder does most of the work (benchmarks/bench_finetune.py measures both)."
        )
        self.scope_all.setChecked(True)
        self._scope_group = QButtonGroup(self)
        for button in (self.scope_all, self.scope_decoder):
            self._scope_group.addButton(button)
        self.device = QComboBox()
        for choice in devices:
            self.device.addItem(choice.label, choice.device)
        gpus = sum(1 for choice in devices if str(choice.device).startswith("cuda"))
        self.all_gpus = QCheckBox(f"use all {gpus} GPUs (torchrun --nproc_per_node {gpus})")
        self.all_gpus.setVisible(gpus > 1)
        self.gpu_count = gpus
        self.batch = QSpinBox()
        self.batch.setRange(1, 64)
        self.batch.setValue(4)
        self.held_out = QDoubleSpinBox()
        self.held_out.setRange(0.05, 0.5)
        self.held_out.setSingleStep(0.05)
        self.held_out.setValue(0.2)
        self.held_out_label = QLabel(held_out_note or "of the approved images, chosen now and kept for later")
        self.held_out_label.setWordWrap(True)
        self.held_out.setEnabled(held_out_note is None)
        self.measure = QPushButton("Measure speed")
        self.estimate = QLabel("Not measured yet: a few real training steps are timed in the background.")
        self.estimate.setWordWrap(True)
        self.measure_progress = QProgressBar()
        self.measure_progress.setRange(0, 100)
        self.measure_progress.setVisible(False)
        self.refusal = QLabel("")
        self.refusal.setStyleSheet("color: #c0392b;")
        self.refusal.setWordWrap(True)
        self.seconds_per_epoch: float | None = None

        form = QFormLayout()
        form.addRow("Start from", self.base)
        form.addRow("Stage", self.stage)
        length = QHBoxLayout()
        for widget in (self.by_epochs, self.epochs, self.by_budget, self.budget):
            length.addWidget(widget)
        form.addRow("Length", length)
        scope = QVBoxLayout()
        scope.addWidget(self.scope_all)
        scope.addWidget(self.scope_decoder)
        form.addRow("Train", scope)
        form.addRow("Device", self.device)
        form.addRow("", self.all_gpus)
        form.addRow("Batch size", self.batch)
        held = QHBoxLayout()
        held.addWidget(self.held_out)
        held.addWidget(self.held_out_label, 1)
        form.addRow("Held out", held)
        measure = QHBoxLayout()
        measure.addWidget(self.measure)
        measure.addWidget(self.estimate, 1)
        form.addRow("Estimate", measure)
        form.addRow("", self.measure_progress)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("Start")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.refusal)
        layout.addWidget(self.buttons)

        self.base.currentIndexChanged.connect(lambda _i: self._base_changed())
        self.device.currentIndexChanged.connect(lambda _i: self._device_changed())
        self.measure.clicked.connect(lambda _c=False: self.measureRequested.emit(self.settings()))
        for widget in (self.epochs, self.budget):
            widget.valueChanged.connect(lambda _v: self._refresh_estimate())
        self.by_budget.toggled.connect(lambda _on: self._budget_toggled())
        self.enough = approved >= needed
        self._base_changed()
        self._device_changed()
        if not self.enough:
            self.refusal.setText(
                f"Only {approved} image(s) are approved; fine-tuning needs at least {needed} "
                "(some are held out to compare before and after). Approve more images first."
            )
        self._update_start()

    def _budget_toggled(self) -> None:
        # The estimate helps to read a budget in epochs, but a budget run never waits for it:
        # the trainer stops on time by itself.
        if self.by_budget.isChecked() and self.seconds_per_epoch is None:
            self.measureRequested.emit(self.settings())
        self._update_start()

    def _update_start(self) -> None:
        self.start_button.setEnabled(self.enough)

    def _record(self) -> ModelRecord | None:
        return next((r for r in self.bases if r.id == self.base.currentData()), None)

    def _base_changed(self) -> None:
        record = self._record()
        self.stage.clear()
        stages = [1, 2] if record is None else ([1, 2] if record.network.stage == 1 else [2])
        for stage in stages:
            self.stage.addItem(f"stage {stage}", stage)
        self.stage.setCurrentIndex(self.stage.findData(record.network.stage if record is not None else 2))
        self.seconds_per_epoch = None
        self._refresh_estimate()

    def _device_changed(self) -> None:
        self.all_gpus.setEnabled(self.device.currentData() != "cpu")
        self.seconds_per_epoch = None
        self._refresh_estimate()

    def show_estimate(self, text: str, seconds_per_epoch: float | None) -> None:
        self.seconds_per_epoch = seconds_per_epoch
        self.estimate.setText(text)
        if seconds_per_epoch is not None or not text.startswith("Measuring"):
            self.measure_progress.setVisible(False)
        self._refresh_estimate()

    def show_measuring(self, text: str, fraction: float) -> None:
        """The estimate's progress: what is being timed now, and how much of its time is used."""
        self.measure_progress.setVisible(True)
        self.measure_progress.setValue(round(100 * fraction))
        self.measure_progress.setFormat(f"{text} (%p %)")

    def _refresh_estimate(self) -> None:
        if hasattr(self, "start_button") and hasattr(self, "enough"):
            self._update_start()
        if self.seconds_per_epoch is None:
            return
        epochs = self.epochs_to_run()
        total = epochs * self.seconds_per_epoch
        self.estimate.setToolTip(f"about {total / 60:.1f} min for {epochs} epoch(s)")

    def epochs_to_run(self) -> int:
        """Epochs of the job. With a time budget, an upper bound: the trainer stops on time (so a
        measured speed gives the epochs that fit, with room for a faster machine than measured)."""
        if self.by_budget.isChecked():
            if self.seconds_per_epoch:
                return max(1, 2 * int(self.budget.value() * 60 // self.seconds_per_epoch) + 1)
            return BUDGET_MAX_EPOCHS
        return self.epochs.value()

    # -- kept per folder ---------------------------------------------------------------
    def values(self) -> dict[str, object]:
        """What the user set, to restore when the dialog opens again."""
        return {
            "base_id": self.base.currentData(),
            "stage": self.stage.currentData(),
            "epochs": self.epochs.value(),
            "budget_min": self.budget.value(),
            "by_budget": self.by_budget.isChecked(),
            "scope": "decoder" if self.scope_decoder.isChecked() else "all",
            "device": self.device.currentData(),
            "all_gpus": self.all_gpus.isChecked(),
            "batch_size": self.batch.value(),
            "held_out": self.held_out.value(),
        }

    def restore(self, values: dict) -> None:
        """Put back :meth:`values`; what no longer applies (a removed model, a gone GPU) is skipped."""

        def pick(combo: QComboBox, data: object) -> None:
            index = combo.findData(data)
            if index >= 0:
                combo.setCurrentIndex(index)

        def number(key: str, default: float) -> float:
            value = values.get(key, default)
            return float(value) if isinstance(value, (int, float)) else default

        pick(self.base, values.get("base_id"))
        pick(self.stage, values.get("stage"))
        pick(self.device, values.get("device"))
        self.epochs.setValue(int(number("epochs", self.epochs.value())))
        self.budget.setValue(number("budget_min", self.budget.value()))
        self.batch.setValue(int(number("batch_size", self.batch.value())))
        if self.held_out.isEnabled():
            self.held_out.setValue(number("held_out", self.held_out.value()))
        (self.scope_decoder if values.get("scope") == "decoder" else self.scope_all).setChecked(True)
        self.all_gpus.setChecked(bool(values.get("all_gpus", False)))
        # Last: choosing a budget may ask for a measurement of the settings now on screen.
        (self.by_budget if values.get("by_budget") else self.by_epochs).setChecked(True)

    def settings(self) -> FineTuneSettings:
        several = self.gpu_count > 1 and self.all_gpus.isEnabled() and self.all_gpus.isChecked()
        nproc = self.gpu_count if several else 1
        return FineTuneSettings(
            base_id=self.base.currentData(),
            stage=int(self.stage.currentData()),
            epochs=self.epochs_to_run(),
            time_budget_s=self.budget.value() * 60 if self.by_budget.isChecked() else None,
            train_scope="decoder" if self.scope_decoder.isChecked() else "all",
            device=self.device.currentData(),
            nproc_per_node=nproc,
            held_out_fraction=self.held_out.value(),
            batch_size=self.batch.value(),
        )
