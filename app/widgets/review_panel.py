"""Review controls: approve, reject with a reason, next unreviewed, and the uncertainty queue.

Names are elided in the middle (full name in the tooltip), so a long file name never widens
the panel into a horizontal scrollbar.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
)

from ..state.model import ImageEntry
from .elided_label import ElidedLabel
from .image_list import status_text


def _button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


class ReviewPanel(QGroupBox):
    """Buttons share the window's QActions, so a click and a key press do exactly the same."""

    imageActivated = Signal(str)

    def __init__(
        self, approve: QAction, reject: QAction, next_unreviewed: QAction, next_uncertain: QAction
    ) -> None:
        super().__init__("Review")
        # Two buttons a row: one row of all four would set the panel's minimum width (no h-scroll).
        buttons = QGridLayout()
        for n, action in enumerate((approve, reject, next_unreviewed, next_uncertain)):
            buttons.addWidget(_button(action), n // 2, n % 2)
        self.name_label = ElidedLabel("")
        font = self.name_label.font()
        font.setBold(True)
        self.name_label.setFont(font)
        self.status_label = QLabel("No image")
        self.status_label.setWordWrap(True)
        self.queue = QListWidget()
        self.queue.setToolTip("Unreviewed images, most uncertain first (double-click to open)")
        self.queue.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.queue.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.queue.itemActivated.connect(
            lambda item: self.imageActivated.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.name_label)
        layout.addWidget(self.status_label)
        layout.addWidget(QLabel("Uncertainty queue"))
        layout.addWidget(self.queue)

    def show_entry(self, entry: ImageEntry | None) -> None:
        if entry is None:
            self.name_label.setText("")
            self.status_label.setText("No image")
            return
        self.name_label.setText(entry.key)
        text = escape(status_text(entry))
        if entry.error:
            text += f"<br><span style='color:#6a1b9a'>unreadable: {escape(entry.error)}</span>"
        self.status_label.setText(text)

    def set_queue(self, entries: Iterable[ImageEntry], limit: int = 200) -> None:
        """Show the first ``limit`` queue entries (the queue can be the whole project)."""
        self.queue.clear()
        for n, entry in enumerate(entries):
            if n >= limit:
                break
            unc = "–" if entry.uncertainty is None else f"{entry.uncertainty:.3f}"
            item = QListWidgetItem(f"{unc}  {entry.key}")
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            item.setToolTip(entry.key)
            self.queue.addItem(item)
