"""Size a small table so that every column shows without a horizontal scroll bar.

A QTableWidget's size hint ignores its columns' widths, so a dialog holding one opened at a default
width with the last columns off screen (the fine-tune result's "new" and "difference").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QTableWidget


def fit_table_width(table: QTableWidget) -> int:
    """Make ``table`` at least as wide as all its columns (and as tall as its rows); returns the width."""
    table.resizeColumnsToContents()
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    frame = 2 * table.frameWidth()
    width = table.verticalHeader().sizeHint().width() + table.horizontalHeader().length() + frame
    height = table.horizontalHeader().sizeHint().height() + table.verticalHeader().length() + frame
    table.setMinimumWidth(width)
    table.setMinimumHeight(height)
    return width
