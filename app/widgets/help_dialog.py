"""Help > Keyboard shortcuts: tables generated from the action registry and the tools (never hand-written).

The first table lists every command and its keys; the second the mouse gestures and modifier
keys of the canvas and each tool (``tools.gesture_rows()``: Alt cuts, Shift+click floods a
region open to the border, Enter closes a polygon, …).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

Row = tuple[str, str, str]


def _table(rows: Sequence[Row], headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _rows_of(table: QTableWidget) -> list[Row]:
    return [
        tuple(table.item(r, c).text() for c in range(3))  # type: ignore[misc]
        for r in range(table.rowCount())
    ]


class HelpDialog(QDialog):
    def __init__(
        self, rows: Sequence[Row], parent: QWidget | None = None, gestures: Sequence[Row] = ()
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = _table(rows, ["Menu", "Command", "Shortcut"])
        self.gesture_table = _table(gestures, ["Where", "What", "Mouse or keys"])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        if gestures:
            layout.addWidget(QLabel("Mouse and modifier keys"))
            layout.addWidget(self.gesture_table, 2)
        else:
            self.gesture_table.hide()
        layout.addWidget(buttons)
        self.resize(560, 640)

    def rows(self) -> list[Row]:
        return _rows_of(self.table)

    def gesture_rows(self) -> list[Row]:
        return _rows_of(self.gesture_table)
