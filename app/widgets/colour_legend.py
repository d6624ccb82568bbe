"""A colour bar for the probability and uncertainty maps: which colour means which value.

The canvas hands it the very lookup table its heat layer uses (``canvas_layers.heat_lut``) and
the value range the colours span, so the legend cannot drift from what is drawn. It paints on a
dark translucent plate so it reads over any image, and lets the mouse through to the canvas.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

_BAR_W, _BAR_H, _PAD = 160, 12, 6


def _value_text(value: float) -> str:
    return f"{value:.2f}" if abs(value) >= 0.01 or value == 0 else f"{value:.1e}"


class ColourLegend(QWidget):
    """Title above a horizontal gradient bar, with the low, middle and high values under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._title = ""
        self._lut = np.zeros((256, 3), np.uint8)
        self._range = (0.0, 1.0)
        self._bar = QImage()
        self.setVisible(False)

    def set_map(self, title: str, lut: np.ndarray, low: float, high: float) -> None:
        """Show ``lut`` (N×3 uint8, low values first) spanning ``low``..``high`` under ``title``."""
        if lut.ndim != 2 or lut.shape[1] < 3 or len(lut) < 2:
            raise ValueError(f"a colour lookup table must be N×3, got shape {lut.shape}")
        self._title = title
        self._lut = np.ascontiguousarray(lut[:, :3], dtype=np.uint8)
        self._range = (float(low), float(high))
        # One row of the bar, one pixel per table entry across the bar's width.
        idx = np.linspace(0, len(self._lut) - 1, _BAR_W).round().astype(int)
        row = np.ascontiguousarray(self._lut[idx])
        self._bar = QImage(row.data, _BAR_W, 1, _BAR_W * 3, QImage.Format.Format_RGB888).copy()
        self.setToolTip(f"{title}: colours from {_value_text(low)} (left) to {_value_text(high)} (right)")
        self.update()

    @property
    def title(self) -> str:
        return self._title

    @property
    def value_range(self) -> tuple[float, float]:
        return self._range

    def labels(self) -> list[str]:
        """The value labels under the bar: low, middle, high."""
        low, high = self._range
        return [_value_text(low), _value_text((low + high) / 2), _value_text(high)]

    def bar_rect(self) -> QRectF:
        """Where the gradient is painted, in widget coordinates (for tests)."""
        top = _PAD + self.fontMetrics().height() + 2
        return QRectF(_PAD, top, _BAR_W, _BAR_H)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        line = self.fontMetrics().height()
        return QSize(_BAR_W + 2 * _PAD, _PAD + line + 2 + _BAR_H + 2 + line + _PAD)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 20, 20, 190))
        painter.drawRoundedRect(QRectF(self.rect()), 5, 5)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        bar = self.bar_rect()
        painter.drawImage(bar, self._bar)
        painter.setPen(QColor(235, 235, 235))
        line = self.fontMetrics().height()
        painter.drawText(QRectF(_PAD, _PAD, _BAR_W, line), Qt.AlignmentFlag.AlignLeft, self._title)
        under = QRectF(_PAD, bar.bottom() + 2, _BAR_W, line)
        for text, align in zip(
            self.labels(),
            (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignHCenter, Qt.AlignmentFlag.AlignRight),
            strict=True,
        ):
            painter.drawText(under, align, text)
        painter.end()
