"""Every registered model in a table; pick one to make it current for this folder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..state.score_text import metrics_score_text

if TYPE_CHECKING:  # the models package imports torch: not at start-up
    from meddisseg_core.models.record import ModelRecord

COLUMNS = ("", "name", "source", "score", "created", "id", "sha256")


def score_text(record: ModelRecord) -> str:
    metrics = record.metrics
    if metrics is None:
        return "–"
    return metrics_score_text(metrics.values, len(metrics.images or ()))


class ModelListDialog(QDialog):
    """``chosen_id()`` after ``exec()``/``accept()``: the selected record's id."""

    def __init__(
        self, records: Sequence[ModelRecord], current_id: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Switch model")
        self.records = list(records)
        self.table = QTableWidget(len(self.records), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, record in enumerate(self.records):
            cells = (
                "current" if record.id == current_id else "",
                record.name,
                record.describe_source(),
                score_text(record),
                record.created,
                record.id,
                record.sha256[:16] + "…",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(record.notes or record.name)
                self.table.setItem(row, column, item)
            if record.id == current_id:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self.table.doubleClicked.connect(lambda _index: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Use this model")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel("The chosen model becomes current for this image folder (remembered across restarts).")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(900, 360)

    def select(self, model_id: str) -> None:
        for row, record in enumerate(self.records):
            if record.id == model_id:
                self.table.selectRow(row)

    def chosen_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.records[rows[0].row()].id if rows else None
