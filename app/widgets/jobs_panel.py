"""The jobs panel: a fine-tuning job's curves (loss per batch and epoch, val Dice per epoch), speed,
ETA and log tail; after a restart, the folder's last job as it ended.

The loss curve is the segmentation part of the trainer's objective (Dice + BCE of the mask, never
negative). The trainer's total also holds the dispersive term, a log of a mean of exponentials
that is negative, so the total can sit anywhere below zero; it is shown as a number, labelled.

pyqtgraph is imported when the panel is first shown, not when the module is imported, so the
window does not pay for plots nobody has opened.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # both are imported when needed, not at start-up
    from pyqtgraph import PlotDataItem

    from meddisseg_core.models.jobrun import BatchPoint, EpochPoint

PLOT_HEIGHT = 110  # pixels: two plots, stacked, fit a side panel of a 768-pixel screen


def format_speed(images_per_s: float | None) -> str:
    """Images per second, or seconds per image when slower than one a second (a CPU run)."""
    if not images_per_s:
        return "– images/s"
    if images_per_s >= 1:
        return f"{images_per_s:.1f} images/s"
    return f"{1 / images_per_s:.1f} s per image"


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, sec = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{sec:02d}" if hours else f"{minutes:02d}:{sec:02d}"


class JobsPanel(QWidget):
    """Shows one job at a time; ``cancelRequested`` when the user presses Cancel."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("No job has run yet")
        self.title.setWordWrap(True)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.stats = QLabel("")
        self.stats.setWordWrap(True)
        self.loss_note = QLabel("")
        self.loss_note.setWordWrap(True)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel job")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(lambda _checked=False: self.cancelRequested.emit())
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(200)
        self.log.setPlaceholderText("The end of the job's log appears here.")
        self.log.setMinimumHeight(60)
        # Stacked, not side by side: the panel is a tab of the right column, never a wide strip
        # across the bottom that would take the canvas's height.
        self.plots = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(self.plots)
        row = QHBoxLayout()
        row.addWidget(self.stats, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(self.loss_note)
        layout.addWidget(self.result)
        layout.addWidget(self.log, 1)
        self.loss_curve: PlotDataItem | None = None
        self.batch_curve: PlotDataItem | None = None
        self.dice_curve: PlotDataItem | None = None
        self._pending: tuple[list[int], list[float], list[int], list[float]] | None = None
        self._pending_batches: tuple[list[float], list[float]] = ([], [])

    # -- plots (lazy) ---------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.ensure_plots()
        super().showEvent(event)

    def ensure_plots(self) -> None:
        if self.loss_curve is not None:
            return
        import pyqtgraph as pg

        loss_plot = pg.PlotWidget(title="segmentation loss")
        loss_plot.setLabel("left", "Dice + BCE")
        dice_plot = pg.PlotWidget(title="val Dice (held-out)")
        for plot in (loss_plot, dice_plot):
            plot.setLabel("bottom", "epoch")
            plot.setMinimumHeight(PLOT_HEIGHT)
            self.plots.addWidget(plot)
        dice_plot.setYRange(0.0, 1.0)
        self.batch_curve = loss_plot.plot([], [], pen=pg.mkPen("#f0b48c", width=1))
        self.loss_curve = loss_plot.plot([], [], pen=pg.mkPen("#e07b39", width=2), symbol="o", symbolSize=5)
        self.dice_curve = dice_plot.plot([], [], pen=pg.mkPen("#3a7bd5", width=2), symbol="o", symbolSize=5)
        if self._pending is not None:
            self._draw(*self._pending)
        self.batch_curve.setData(*self._pending_batches)

    # -- content ---------------------------------------------------------------------
    def begin(self, title: str) -> None:
        self.title.setText(title)
        self.status.setText("Starting the training process…")
        self.stats.setText("")
        self.log.clear()
        self.loss_note.setText("")
        self.result.setText("")
        self.cancel_button.setEnabled(True)
        self.show_points([])
        self.show_batches([])

    def show_points(self, points: Sequence[EpochPoint]) -> None:
        """Epoch points (``epoch``, ``loss``, ``val_dice``) as they arrive.

        The curve is the segmentation part where the trainer reports it, else its total."""
        loss = [
            (p.epoch, p.segmentation if p.segmentation is not None else p.loss)
            for p in points
            if p.segmentation is not None or p.loss is not None
        ]
        dice = [(p.epoch, p.val_dice) for p in points if p.val_dice is not None]
        data = ([e for e, _ in loss], [v for _, v in loss], [e for e, _ in dice], [v for _, v in dice])
        self._pending = data
        if self.loss_curve is not None:
            self._draw(*data)

    def show_batches(self, batches: Sequence[BatchPoint]) -> None:
        """Batch points as they arrive: the segmentation loss at epoch + fraction of the epoch."""
        shown = [b for b in batches if b.segmentation is not None and b.batches]
        data = ([b.epoch - 1 + b.batch / b.batches for b in shown], [float(b.segmentation) for b in shown])
        self._pending_batches = data
        if self.batch_curve is not None:
            self.batch_curve.setData(*data)
        total = next((b.loss for b in reversed(batches) if b.loss is not None), None)
        if total is not None:
            self.loss_note.setText(
                f"The trainer's total loss is {total:.4f}: it adds the dispersive term, which is "
                "negative, so the total can be below zero. The curve shows the segmentation part."
            )

    def _draw(self, le: list[int], lv: list[float], de: list[int], dv: list[float]) -> None:
        assert self.loss_curve is not None and self.dice_curve is not None
        self.loss_curve.setData(le, lv)
        self.dice_curve.setData(de, dv)

    def show_progress(self, epoch: int, epochs: int, images_per_s: float | None, eta_s: float | None) -> None:
        """``epochs`` 0: a time-budget run, which stops on time (the ETA is what is left of it)."""
        speed = format_speed(images_per_s)
        count = f"epoch {epoch}/{epochs}" if epochs else f"epoch {epoch} (time budget)"
        self.stats.setText(f"{count} · {speed} · ETA {format_duration(eta_s)}")

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def show_log(self, tail: str) -> None:
        if tail != self.log.toPlainText():
            self.log.setPlainText(tail)
            self.log.verticalScrollBar().setValue(self.log.verticalScrollBar().maximum())

    def end(self, text: str) -> None:
        self.status.setText(text)
        self.cancel_button.setEnabled(False)

    def show_result(self, text: str) -> None:
        """The before/after verdict of the job (kept with the folder's last job)."""
        self.result.setText(text)

    def show_record(self, record: dict) -> None:
        """The folder's last job as it ended (after a restart): title, curves, status, result."""
        from meddisseg_core.models.jobrun import BatchPoint, EpochPoint

        if not record:  # a folder where no job has run
            self.title.setText("No job has run yet")
            for label in (self.status, self.stats, self.loss_note, self.result):
                label.setText("")
            self.log.clear()
            self.show_points([])
            self.show_batches([])
            return
        self.title.setText(f"Last job: {record.get('title', '')}")
        self.status.setText(str(record.get("status", "")))
        self.stats.setText(str(record.get("stats", "")))
        self.show_points([EpochPoint(*p) for p in record.get("points", [])])
        self.show_batches([BatchPoint(*b) for b in record.get("batches", [])])
        self.result.setText(str(record.get("result_text", "")))
        self.log.setPlainText(str(record.get("log_tail", "")))
        self.cancel_button.setEnabled(False)
