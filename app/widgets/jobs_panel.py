"""The jobs panel: a fine-tuning job's curves (loss, val Dice per epoch), speed, ETA and log tail.

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

    from meddisseg_core.models.jobrun import EpochPoint


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
        self.cancel_button = QPushButton("Cancel job")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(lambda _checked=False: self.cancelRequested.emit())
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(200)
        self.log.setPlaceholderText("The end of the job's log appears here.")
        self.plots = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(self.plots)
        row = QHBoxLayout()
        row.addWidget(self.stats, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(self.log)
        self.loss_curve: PlotDataItem | None = None
        self.dice_curve: PlotDataItem | None = None
        self._pending: tuple[list[int], list[float], list[int], list[float]] | None = None

    # -- plots (lazy) ---------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.ensure_plots()
        super().showEvent(event)

    def ensure_plots(self) -> None:
        if self.loss_curve is not None:
            return
        import pyqtgraph as pg

        loss_plot = pg.PlotWidget(title="training loss")
        dice_plot = pg.PlotWidget(title="val Dice (held-out)")
        for plot in (loss_plot, dice_plot):
            plot.setLabel("bottom", "epoch")
            plot.setMinimumHeight(140)
            self.plots.addWidget(plot)
        dice_plot.setYRange(0.0, 1.0)
        self.loss_curve = loss_plot.plot([], [], pen=pg.mkPen("#e07b39", width=2), symbol="o", symbolSize=5)
        self.dice_curve = dice_plot.plot([], [], pen=pg.mkPen("#3a7bd5", width=2), symbol="o", symbolSize=5)
        if self._pending is not None:
            self._draw(*self._pending)

    # -- content ---------------------------------------------------------------------
    def begin(self, title: str) -> None:
        self.title.setText(title)
        self.status.setText("Starting the training process…")
        self.stats.setText("")
        self.log.clear()
        self.cancel_button.setEnabled(True)
        self.show_points([])

    def show_points(self, points: Sequence[EpochPoint]) -> None:
        """Epoch points (``epoch``, ``loss``, ``val_dice``) as they arrive."""
        loss = [(p.epoch, p.loss) for p in points if p.loss is not None]
        dice = [(p.epoch, p.val_dice) for p in points if p.val_dice is not None]
        data = ([e for e, _ in loss], [v for _, v in loss], [e for e, _ in dice], [v for _, v in dice])
        self._pending = data
        if self.loss_curve is not None:
            self._draw(*data)

    def _draw(self, le: list[int], lv: list[float], de: list[int], dv: list[float]) -> None:
        assert self.loss_curve is not None and self.dice_curve is not None
        self.loss_curve.setData(le, lv)
        self.dice_curve.setData(de, dv)

    def show_progress(self, epoch: int, epochs: int, images_per_s: float | None, eta_s: float | None) -> None:
        speed = f"{images_per_s:.1f} images/s" if images_per_s else "– images/s"
        self.stats.setText(f"epoch {epoch}/{epochs} · {speed} · ETA {format_duration(eta_s)}")

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def show_log(self, tail: str) -> None:
        if tail != self.log.toPlainText():
            self.log.setPlainText(tail)
            self.log.verticalScrollBar().setValue(self.log.verticalScrollBar().maximum())

    def end(self, text: str) -> None:
        self.status.setText(text)
        self.cancel_button.setEnabled(False)
