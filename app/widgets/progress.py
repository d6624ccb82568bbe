"""Status-bar job widget: progress bar, ETA and a cancel button."""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from ..workers.job import format_eta


class JobProgress(QWidget):
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(180)
        self.eta = QLabel()
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.setToolTip("Stop after the current item (Esc)")
        self.cancel.clicked.connect(self.cancelRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.eta, self.cancel):
            layout.addWidget(widget)
        self.hide()

    def begin(self, title: str, total: int) -> None:
        self.label.setText(title)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(0)
        self.eta.setText(format_eta(None))
        self.cancel.setEnabled(True)
        self.show()

    def update_progress(self, done: int, total: int, eta: float) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.eta.setText(format_eta(None if eta < 0 else eta))

    def end(self) -> None:
        self.hide()
