"""A one-line label that elides its text to the width it gets, with the full text as its tooltip.

A plain QLabel asks for the width of its whole text, so one long file name widens a panel
until it needs a horizontal scrollbar. This label asks for almost nothing and shows what fits.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Plain text only; ``mode`` is where the "…" goes (the middle keeps a file's extension)."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle,
    ) -> None:
        super().__init__(parent)
        self._mode = mode
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setToolTip(text)
        self.update()

    def elided_text(self, width: int | None = None) -> str:
        """The text as it is drawn in ``width`` pixels (default: the label's own width)."""
        width = self.contentsRect().width() if width is None else width
        return self.fontMetrics().elidedText(self.text(), self._mode, max(width, 0))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.fontMetrics().horizontalAdvance("W…W"), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(min(super().sizeHint().width(), 400), super().sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        painter.drawText(rect, int(self.alignment()) | Qt.AlignmentFlag.AlignVCenter, self.elided_text())
        painter.end()
